// Page module of /decomposition (app/figures/decomposition.py): each eigencomponent's share of the
// loss gap, stacked, computed in the page from the controls.
//
// One expression: a function of the kernel (app/static/kernel.js) giving {read, state, paint}.
(k) => {
  "use strict";
  const {
    readSliders, writeSliders, fromEigenbasis, eigenErrors, heavyBallMatrix, divergenceStep, heavyBallRate, formatRate, formatNumber,
    formatShort, formatE, rows, pad, showReadout,
  } = k;

  // Decomposition.update: each eigencomponent's share ½λᵢ(xᵢᵏ)² of f(wᵏ) − f*
  // (trajectories.loss_contributions) from xᵢ⁰ = 1/√λᵢ (decomposition.equal_shares_start), stacked into
  // bands; the ranges, the divergence marker, the bars of when each band is done and the readout.
  const decompositionState = (spec, state) => {
    const { problem, cap, logFloor, bands } = spec;
    const { alpha, beta, steps, scale } = state;
    const lam = problem.eigenvalues;
    const n = lam.length;
    const start = fromEigenbasis(problem, lam.map((l) => 1 / Math.sqrt(l)));
    const x = eigenErrors(problem, heavyBallMatrix, alpha, beta, start, steps);
    const parts = [];
    let bad = false;
    for (let k = 0; k <= steps; k++) {
      const row = lam.map((l, i) => 0.5 * l * x[i][k] ** 2);
      bad = bad || row.some((v) => !Number.isFinite(v));
      parts.push(bad ? row.fill(Infinity) : row);
    }
    const cut = divergenceStep(parts, cap * parts[0].reduce((a, b) => a + b, 0));
    const shown = cut === null ? parts : parts.slice(0, cut);
    const length = shown.length;
    const columns = { k: shown.map((_, k) => k) };
    const upper = shown.map((row) => {
      let sum = 0;
      return row.map((v) => (sum += v));
    });
    for (let i = 0; i < bands; i++) {
      if (i >= n) {
        columns[`lower${i}`] = columns[`upper${i}`] = [logFloor];
        continue;
      }
      const lower = upper.map((row, k) => row[i] - shown[k][i]);
      const floor = scale === "log" ? lower.map((v) => Math.max(v, logFloor)) : lower;
      columns[`lower${i}`] = floor;
      columns[`upper${i}`] = upper.map((row, k) => Math.max(row[i], floor[k]));
    }
    const total = upper.map((row) => Math.max(row[n - 1], logFloor));
    columns.total = total;
    const yRange =
      scale === "linear"
        ? [0, Math.max(...total) * 1.05]
        : [Math.max(Math.min(...total) / 3, logFloor), Math.max(...total) * 3];
    const rate = heavyBallRate(alpha, beta, lam);
    const componentRates = lam.map((l) => heavyBallRate(alpha, beta, [l]));
    const argmax = (values) => values.indexOf(Math.max(...values));
    const slowest = argmax(componentRates);
    const last = shown[length - 1];
    const largest = argmax(last);
    const status =
      rate >= 1 || cut !== null ? spec.texts.diverges + (cut ? ` (cut at step ${length - 1})` : "") : spec.texts.converges;
    const readout = rows([
      ["<b>Status</b>", status],
      ["rate max|σ(R)|", formatRate(rate)],
      ["rate per component", componentRates.map((r, i) => `λ${i + 1}: ${formatNumber(r)}`).join(", ")],
      ["slowest component (sets the rate)", `λ${slowest + 1} = ${formatShort(lam[slowest])}`],
      [`largest share at step ${length - 1}`, `λ${largest + 1} = ${formatShort(lam[largest])}`],
      [`f(w<sup>${length - 1}</sup>) − f*`, formatE(last.reduce((a, b) => a + b, 0), 3)],
    ]);
    // Decomposition.done_bars (decomposition.done_steps): from the top, λ₁ first.
    const done = { row: [], right: [], color: [], text: [] };
    lam.forEach((l, i) => {
      let last = -1;
      for (let k = 0; k < length; k++) if (shown[k][i] > spec.doneShare * shown[0][i]) last = k;
      const step = last + 1 < length ? last + 1 : null;
      const name = `λ${i + 1} = ${formatShort(l)}`;
      done.row.push(n - 1 - i);
      done.right.push(step === null ? length - 1 : step);
      done.color.push(spec.colors[i]);
      done.text.push(
        cut !== null ? `${name}: diverges` : step === null ? `${name}: not within ${length - 1} steps` : `${name}: step ${step}`,
      );
    });
    return {
      done,
      doneRange: [-0.6, n - 0.4],
      columns: pad(columns),
      kRange: [0, Math.max(length - 1, 1)],
      yRange,
      marker: { visible: cut !== null, location: cut !== null ? length - 1 : 0 },
      readout,
      scale,
    };
  };

  const read = (m) => ({
    ...readSliders(m.sliders),
    scale: m.scale_choice.active === 1 ? "log" : "linear",
  });

  // As Decomposition.update sets its models: the visible plot, bands, ranges, markers and readout.
  const paint = (m, result) => {
    const scale = result.scale;
    m.plots.linear.visible = scale === "linear";
    m.plots.log.visible = scale === "log";
    m.frame.data = result.columns;
    m.k_range.setv({ start: result.kRange[0], end: result.kRange[1] });
    m.plots[scale].y_range.setv({ start: result.yRange[0], end: result.yRange[1] });
    for (const marker of m.markers) marker.setv({ visible: result.marker.visible, location: result.marker.location });
    m.done.data = result.done;
    m.done_range.setv({ start: result.doneRange[0], end: result.doneRange[1] });
    showReadout(m.readout, result.readout);
  };

  // The buttons: α and β as Decomposition.optimal_settings gives them for the problem (its spec).
  const setOptimal = (which) => (m, spec) => {
    const [alpha, beta] = spec.optimal[which];
    writeSliders(m.sliders, { alpha, beta });
  };

  return {
    read, state: decompositionState, paint, optimalStep: setOptimal("step"), optimalMomentum: setOptimal("momentum"),
  };
}
