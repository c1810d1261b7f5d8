// Page module of /stochastic (app/figures/stochastic.py): heavy ball and gradient descent with noisy
// gradients (the same noise, momentum_core.noise's counter-based draws of the seed), the exact run, the
// expected noise floors and the readout, computed in the page from the controls.
//
// One expression: a function of the kernel (app/static/kernel.js) giving {read, state, paint}.
(k) => {
  "use strict";
  const {
    readSliders, heavyBallMatrix, heavyBallRate, eigenErrors, eigenNoise, scheduledErrors, stationaryLoss, lossGap, formatNumber, formatRate, rows, pad,
    showReadout,
  } = k;

  // stochastic.transient_steps: first step the exact run's loss is at or below the floor, or null.
  const transientSteps = (exact, floor) => {
    const k = exact.findIndex((v) => v <= floor);
    return k < 0 ? null : k;
  };

  // Stochastic.update: three loss curves (cut where they pass CAP × the start), the floors, the
  // view and the readout.
  const state = (spec, { alpha, beta, noise, seed, steps }) => {
    const { problem, start, cap, floor, texts } = spec;
    const lam = problem.eigenvalues;
    const eta = eigenNoise(problem, noise, seed, steps);
    const constant = (value) => new Array(steps).fill(value);
    const runs = {
      momentum: lossGap(lam, scheduledErrors(problem, start, constant(alpha), constant(beta), eta)),
      gd: lossGap(lam, scheduledErrors(problem, start, constant(alpha), constant(0), eta)),
      exact: lossGap(lam, eigenErrors(problem, heavyBallMatrix, alpha, beta, start, steps)),
    };
    const first = runs.exact[0];
    const floors = { momentum: stationaryLoss(lam, alpha, beta, noise), gd: stationaryLoss(lam, alpha, 0, noise) };
    const columns = {};
    const diverged = []; // stochastic.divergence_text: a line for each run cut as diverging
    for (const [name, gaps] of Object.entries(runs)) {
      const cut = gaps.findIndex((v) => !(Number.isFinite(v) && Math.abs(v) <= cap * first));
      if (cut >= 0) diverged.push(`${spec.runs[name]}: diverges at step ${cut}`);
      columns[name] = gaps.slice(0, cut < 0 ? gaps.length : cut).map((v) => Math.max(v, floor * first));
    }
    const length = Math.max(...Object.values(columns).map((c) => c.length));
    const visible = {};
    for (const name of ["momentum", "gd"]) {
      visible[name] = Number.isFinite(floors[name]) && floors[name] > 0;
      columns[`floor_${name}`] = new Array(length).fill(visible[name] ? Math.max(floors[name], floor * first) : first);
    }
    columns.k = Array.from({ length }, (_, i) => i);
    const rate = heavyBallRate(alpha, beta, lam);
    const transient = transientSteps(runs.exact, floors.momentum);
    const shownPhase = Number.isFinite(floors.momentum) && noise > 0 && transient !== null;
    // stochastic.transient_words: left of the line, or under the floor's words when the transient is short.
    const words = shownPhase && transient < spec.shortTransient * steps ? "under" : "left";
    const phase = { visible: shownPhase, x: shownPhase ? transient : 0, y: first * spec.phaseHeight, place: spec.transientWords[words] };
    const bottom = noise === 0 ? floor * first * 1e8 : 1e-8; // the view's
    const gdFloor = Number.isFinite(floors.gd) ? formatNumber(floors.gd) : "diverges";
    let lines;
    if (!Number.isFinite(floors.momentum)) {
      lines = [["<b>Momentum</b>", texts.diverges], ["rate", formatRate(rate)], ["expected noise floor, gradient descent", gdFloor]];
    } else {
      const tail = runs.momentum.slice(-Math.max(Math.floor(runs.momentum.length / 5), 1));
      const phaseText =
        noise === 0
          ? "no noise: no floor, the error keeps shrinking"
          : transient === null
            ? `longer than ${steps} steps`
            : `≈ ${transient} steps`;
      lines = [
        ["rate max|σ(R)| (transient)", formatRate(rate)],
        ["expected noise floor, momentum", formatNumber(floors.momentum)],
        ["expected noise floor, gradient descent", gdFloor],
        ["mean of the last 20 % of this run", formatNumber(tail.reduce((s, v) => s + v, 0) / tail.length)],
        ["transient phase (exact run reaches the floor)", phaseText],
      ];
    }
    return {
      columns: pad(columns),
      visible,
      phase,
      divergence: { visible: diverged.length > 0, text: diverged.join("\n"), y: bottom },
      xRange: [0, steps],
      yRange: [bottom, first * 10],
      readout: rows(lines),
    };
  };

  const read = (m) => readSliders(m.sliders);

  // As Stochastic.update sets its models.
  const paint = (m, result) => {
    m.frame.data = result.columns;
    for (const [name, visible] of Object.entries(result.visible)) m.floors[name].visible = visible;
    m.xRange.setv({ start: result.xRange[0], end: result.xRange[1] });
    m.yRange.setv({ start: result.yRange[0], end: result.yRange[1] });
    const { visible, x, y, place } = result.phase;
    m.phase_line.setv({ visible, location: x });
    for (const label of m.phase_labels) label.setv({ visible, x, y });
    if (visible) m.phase_labels[0].setv(place);
    m.divergence.setv(result.divergence);
    showReadout(m.readout, result.readout);
  };

  return { read, state, paint };
}
