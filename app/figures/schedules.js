// Page module of /schedules (app/figures/schedules.py): four (αₖ, βₖ) schedules under the same noise, each
// run as heavy ball and as stochastic primal averaging (the same iterates), their smoothed losses, the
// effective steps, the floors and the readout, computed in the page from the controls.
//
// One expression: a function of the kernel (app/static/kernel.js) giving {read, state, paint}.
(k) => {
  "use strict";
  const {
    readSliders, eigenNoise, scheduledErrors, primalAveragingErrors, primalAveragingSchedule, lossGap, stationaryLoss, formatE,
    formatNumber, rows, pad, showReadout,
  } = k;

  // schedules.running_mean: the mean of the last `window` values at each step (fewer at the start),
  // from cumulative sums as numpy.cumsum adds them.
  const runningMean = (values, window) => {
    const sums = new Float64Array(values.length + 1);
    for (let i = 0; i < values.length; i++) sums[i + 1] = sums[i] + values[i];
    return values.map((_, i) => (sums[i + 1] - sums[Math.max(i + 1 - window, 0)]) / Math.min(i + 1, window));
  };

  // max over k, i of |wᵏ − x_SPAᵏ|ᵢ = |Q(xᵏ − vᵏ)|ᵢ, from the two forms' errors in the eigenbasis (NaN
  // if one is NaN, as numpy's max). A function of its own: a loop this long inside `state` has the
  // browser compile `state` again for it (on-stack replacement) state after state.
  const largestGap = (Q, momentum, averaged) => {
    let gap = -Infinity;
    for (let s = 0; s < momentum[0].length; s++) {
      for (let i = 0; i < Q.length; i++) {
        const d = Q[i].reduce((sum, q, j) => sum + (momentum[j][s] - averaged[j][s]) * q, 0);
        gap = Number.isNaN(d) || Number.isNaN(gap) ? NaN : Math.max(gap, Math.abs(d));
      }
    }
    return gap;
  };

  // schedules.corners: the steps where the polyline of `values` bends (runs of equal values by their ends).
  const corners = (values) => {
    const ks = [];
    const kept = [];
    values.forEach((v, i) => {
      const inner = i > 0 && i < values.length - 1 && v === values[i - 1] && v === values[i + 1];
      if (!inner) {
        ks.push(i);
        kept.push(v);
      }
    });
    return [ks, kept];
  };

  // schedules.dropped_momentum: β' with α/(1 − β') = factor·α/(1 − β), rounded to 12 decimals as Python's
  // round (1 − 0.1/0.1 is 0, not 2e-16).
  const droppedMomentum = (beta, factor) => {
    const value = 1 - (1 - beta) / factor;
    return Math.max(0, Number(value.toFixed(12)));
  };

  // schedules.schedules: per-step (αₖ, βₖ) of each schedule.
  const plan = (steps, alpha, beta, change, factor) => {
    const ks = Array.from({ length: steps }, (_, i) => i);
    const constant = (v) => ks.map(() => v);
    const dropped = droppedMomentum(beta, factor);
    return {
      constant: [constant(alpha), constant(beta)],
      lr_drop: [ks.map((i) => (i >= change ? alpha * factor : alpha)), constant(beta)],
      momentum_drop: [constant(alpha), ks.map((i) => (i >= change ? dropped : beta))],
      warmup: [constant(alpha), ks.map((i) => beta * Math.min(1, i / Math.max(change, 1)))],
    };
  };

  // Schedules.update: per schedule its effective step's corners, its smoothed loss (cut where it passes
  // CAP × the start), the primal-averaging dots, and its readout row.
  const state = (spec, { alpha, beta, noise, change, factor, seed }) => {
    const { problem, start, steps, dots: every, floor, cap, smoothing, labels, startLoss } = spec;
    const lam = problem.eigenvalues;
    const eta = eigenNoise(problem, noise, seed, steps);
    const columns = {};
    const lines = [["<b>schedule</b>", "<b>mean loss, last 20 % · expected floor · max |w − x_SPA|</b>"]];
    for (const [key, [alphas, betas]] of Object.entries(plan(steps, alpha, beta, change, factor))) {
      [columns[`step_k_${key}`], columns[`step_${key}`]] = corners(alphas.map((a, i) => a / (1 - betas[i])));
      const momentum = scheduledErrors(problem, start, alphas, betas, eta);
      const [etas, cs] = primalAveragingSchedule(alphas, betas);
      const averaged = primalAveragingErrors(problem, start, etas, cs, eta);
      const gaps = lossGap(lam, momentum);
      let cut = gaps.findIndex((v) => !(Number.isFinite(v) && Math.abs(v) <= cap * startLoss));
      const length = cut < 0 ? gaps.length : cut;
      const shown = runningMean(gaps.slice(0, length), smoothing).map((v) => Math.max(v, floor));
      const dots = [];
      for (let d = 0; d <= steps; d += every) if (d < shown.length) dots.push(d);
      const averagedMean = runningMean(lossGap(lam, averaged).slice(0, length), smoothing);
      Object.assign(columns, {
        [`k_${key}`]: shown.map((_, i) => i),
        [key]: shown,
        [`dot_k_${key}`]: dots,
        [`dot_${key}`]: dots.map((d) => Math.max(averagedMean[d], floor)),
      });
      const [endAlpha, endBeta] = [alphas[steps - 1], betas[steps - 1]];
      if (cut >= 0) {
        lines.push([labels[key], `diverges at step ${cut}`]);
        continue;
      }
      const tail = gaps.slice(-Math.floor(steps / 5));
      const mean = tail.reduce((s, v) => s + v, 0) / tail.length;
      const gap = largestGap(problem.eigenvectors, momentum, averaged);
      const loss = stationaryLoss(lam, endAlpha, endBeta, noise);
      const floorText = Number.isFinite(loss) ? formatE(loss, 3) : "none (does not converge)";
      const ends = `ends at α = ${formatNumber(endAlpha)}, β = ${formatNumber(endBeta)}`;
      lines.push([labels[key], `${formatE(mean, 3)} · ${floorText} · ${formatE(gap, 1)} (${ends})`]);
    }
    return { columns: pad(columns), stepRange: stepAxis(spec, columns), readout: rows(lines) };
  };

  // schedules.step_axis: the effective-step plot's log axis in whole decades, at least stepMargin of a
  // decade beyond the positive steps drawn ("1eN" read: Python's float).
  const stepAxis = (spec, columns) => {
    const steps = Object.entries(columns)
      .filter(([name]) => name.startsWith("step_") && !name.startsWith("step_k_"))
      .flatMap(([, values]) => Array.from(values))
      .filter((v) => Number.isFinite(v) && v > 0);
    if (steps.length === 0) return [1e-3, 1.0];
    const low = Math.floor(Math.log10(Math.min(...steps)) - spec.stepMargin);
    const high = Math.ceil(Math.log10(Math.max(...steps)) + spec.stepMargin);
    return [Number(`1e${low}`), Number(`1e${high}`)];
  };

  const read = (m) => readSliders(m.sliders);

  const paint = (m, result) => {
    m.frame.data = result.columns;
    m.stepRange.setv({ start: result.stepRange[0], end: result.stepRange[1] });
    showReadout(m.readout, result.readout);
  };

  return { read, state, paint };
}
