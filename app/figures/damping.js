// Page module of /damping (app/figures/damping.py): one eigencomponent's phase portrait for each λ, at
// this β and at its critical damping, the β bar and the readout, computed in the page from the controls.
//
// One expression: a function of the kernel (app/static/kernel.js) giving {read, state, paint} and the
// buttons' and the bar's actions.
(k) => {
  "use strict";
  const {
    readSliders, heavyBallMatrix, orbitStates, spectralRadius, criticalDamping, regime, iterationsToTolerance, formatG, formatNumber,
    formatRate, rows, pad, showReadout,
  } = k;

  // damping.portrait: (xᵏ, vᵏ/√(αλ)) from trajectories.phase_portrait (vᵏ = −αyᵏ; every entry inf from
  // the first step that leaves the floats), up to where the run leaves 4× the view.
  const portrait = (spec, alpha, beta, lam, steps) => {
    const [y, x] = orbitStates(heavyBallMatrix(alpha, beta, lam), 0, spec.start, steps);
    const scale = Math.sqrt(alpha * lam);
    const reach = 4 * spec.view;
    const v = new Float64Array(x.length);
    let cut = x.length;
    for (let i = 0; i < x.length; i++) {
      v[i] = (-alpha * y[i]) / scale;
      if (!(Number.isFinite(x[i]) && Number.isFinite(v[i])) || Math.abs(x[i]) > reach || Math.abs(v[i]) > reach) {
        cut = i;
        break;
      }
    }
    const kept = Math.max(cut, 1);
    return [Array.from(x.subarray(0, kept)), Array.from(v.subarray(0, kept))];
  };

  // damping.damping_label.
  const dampingLabel = (spec, alpha, beta, lam) => {
    if (Math.abs(beta - criticalDamping(alpha, lam)) <= spec.criticalWithin && alpha * lam < 1) {
      return "critically damped";
    }
    return spec.regimeLabels[regime(alpha, beta, lam)];
  };

  // Damping._bands: per component, over-damped below its critical β, under-damped above.
  const bands = (spec, critical) => {
    const data = { left: [], right: [], row: [], color: [] };
    critical.forEach((c, i) => {
      data.left.push(spec.barRange[0], c);
      data.right.push(c, 1);
      data.row.push(i, i);
      data.color.push(...spec.bandColors);
    });
    return data;
  };

  // Damping.update.
  const state = (spec, { alpha, beta, steps }) => {
    const columns = {};
    const critical = spec.lambdas.map((lam) => criticalDamping(alpha, lam));
    spec.lambdas.forEach((lam, i) => {
      [columns[`x${i}`], columns[`v${i}`]] = portrait(spec, alpha, beta, lam, steps);
      [columns[`crit${i}_x`], columns[`crit${i}_v`]] = portrait(spec, alpha, critical[i], lam, steps);
    });
    columns.crit_beta = critical;
    columns.crit_row = spec.lambdas.map((_, i) => i);
    const lines = [];
    spec.lambdas.forEach((lam, i) => {
      const rate = spectralRadius(alpha, beta, lam);
      const needed = iterationsToTolerance(rate, spec.tolerance);
      lines.push(
        [`<b>λ = ${formatG(lam, 6)}</b>`, `αλ = ${formatNumber(alpha * lam)}, critical β = ${formatNumber(critical[i])}`],
        ["at this β", dampingLabel(spec, alpha, beta, lam)],
        ["rate max|σ(R)|", formatRate(rate)],
        ["steps to shrink 1000×", rate >= 1 ? "—" : BigInt(needed).toString()],
      );
    });
    const labels = critical.map((c) => ({
      x: Math.min(Math.max(c, 0.08), 0.94),
      text: `critical β = ${formatNumber(c)}`,
    }));
    return { columns: pad(columns), bar: bands(spec, critical), labels, beta, readout: rows(lines) };
  };

  const read = (m) => readSliders(m.sliders);

  const paint = (m, result) => {
    m.frame.data = result.columns;
    m.bar.data = result.bar;
    result.labels.forEach((label, i) => m.bar_labels[i].setv(label));
    m.beta_mark.location = result.beta;
    showReadout(m.readout, result.readout);
  };

  // A click on the bar sets β there (to 0.001, as Damping._tap_bar); a button, β at a critical damping.
  const setBeta = (m, beta) => {
    const { start, end } = m.sliders.beta;
    m.sliders.beta.value = Math.min(Math.max(beta, start), end);
  };
  const tapBar = (m, spec, event) => {
    if (Number.isFinite(event.x)) setBeta(m, Math.round(event.x * 1000) / 1000);
  };
  const critical = (i) => (m, spec) => setBeta(m, criticalDamping(10 ** m.sliders.alpha.value, spec.lambdas[i]));

  return { read, state, paint, tapBar, critical0: critical(0), critical1: critical(1) };
}
