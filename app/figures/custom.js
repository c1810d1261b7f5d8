// Page module of /custom (app/figures/custom.py): heavy ball and gradient descent on the reader's typed
// quadratic, computed in the page from α, β and the steps. Python parses the problem and the start and
// decomposes the problem (the spec, sent again when either box changes); the page runs it.
//
// One expression: a function of the kernel (app/static/kernel.js) giving {read, state, paint} and the
// button's action.
(k) => {
  "use strict";
  const {
    readSliders, writeSliders, heavyBallMatrix, heavyBallRate, eigenErrors, fromEigenbasis, lossGap, optimalParameters, formatNumber, formatRate, rows,
    pad, showReadout,
  } = k;

  // Custom.update: each run's loss gap (cut where it passes CAP × the start's), the momentum run's
  // parts ½λᵢxᵢ², the path on the plane (2-D problems), the readout.
  const state = (spec, { alpha, beta, steps }) => {
    const { problem, start, startLoss, cap, floor, maxDimension, note, links, texts } = spec;
    const lam = problem.eigenvalues;
    const n = lam.length;
    const columns = {};
    const cuts = {};
    for (const [key, b] of [["momentum", beta], ["gd", 0]]) {
      const errors = eigenErrors(problem, heavyBallMatrix, alpha, b, start, steps);
      const loss = lossGap(lam, errors);
      const cut = loss.findIndex((v) => !(Number.isFinite(v) && Math.abs(v) <= cap * startLoss));
      cuts[key] = cut < 0 ? null : cut;
      const keep = cut < 0 ? loss.length : Math.max(cut, 1);
      columns[`k_${key}`] = Array.from({ length: keep }, (_, i) => i);
      columns[`loss_${key}`] = loss.slice(0, keep).map((v) => Math.max(v, floor));
      const path = n === 2 ? Array.from({ length: keep }, (_, s) => fromEigenbasis(problem, errors.map((c) => c[s]))) : [[0, 0]];
      columns[`${key}_x`] = path.map((w) => w[0]);
      columns[`${key}_y`] = path.map((w) => w[1]);
      if (key === "momentum") {
        // trajectories.eigenbasis_loss_parts: ½λᵢxᵢ², every part inf from a step that overflowed on.
        let bad = -1;
        for (let s = 0; s < keep && bad < 0; s++) if (errors.some((c, i) => !Number.isFinite(0.5 * lam[i] * c[s] * c[s]))) bad = s;
        for (let i = 0; i < maxDimension; i++) {
          columns[`part${i}`] =
            i < n
              ? Array.from({ length: keep }, (_, s) => (bad >= 0 && s >= bad ? Infinity : Math.max(0.5 * lam[i] * (errors[i][s] * errors[i][s]), floor)))
              : [floor];
        }
      }
    }
    const [alphaStar, betaStar] = optimalParameters(lam[0], lam[n - 1]);
    const lines = [
      ["eigenvalues of A", lam.map(formatNumber).join(", ")],
      ["κ = λₙ/λ₁", formatNumber(lam[n - 1] / lam[0])],
      ["optimal α*, β*", `${formatNumber(alphaStar)}, ${formatNumber(betaStar)}`],
    ];
    for (const [key, b, label] of [["momentum", beta, "momentum"], ["gd", 0, "gradient descent"]]) {
      const rate = heavyBallRate(alpha, b, lam);
      const verdict = cuts[key] !== null || rate >= 1 ? texts.diverges : texts.converges;
      lines.push([`<b>${label}</b>`, `${verdict}, rate ${formatRate(rate)}`]);
    }
    if (note) lines.push(["note", note]);
    if (links) lines.push(["open it in", links]);
    return { columns: pad(columns), steps, readout: rows(lines) };
  };

  const read = (m) => readSliders(m.sliders);

  const paint = (m, result) => {
    m.frame.data = result.columns;
    m.lossRange.setv({ start: 0, end: result.steps });
    showReadout(m.readout, result.readout);
  };

  // The button: α* (clamped to the slider's range) and β* of the problem, as Custom.set_optimal sets them.
  const optimal = (m, spec) => {
    const [alpha, beta] = spec.optimal;
    writeSliders(m.sliders, { alpha, beta });
  };

  return { read, state, paint, optimal };
}
