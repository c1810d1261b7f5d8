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

  // damping.grid_betas: under-damped, critical, over-damped β for one component at α.
  const gridBetas = (alpha, lam) => {
    const c = criticalDamping(alpha, lam);
    return [1 - (1 - c) / 4, c, c / 4];
  };

  // damping.fitted: an axis showing the values and 0, a margin of the span more each side.
  const fitted = (spec, ...values) => {
    let low = 0;
    let high = 0;
    for (const array of values) {
      for (const value of array) {
        if (value < low) low = value;
        if (value > high) high = value;
      }
    }
    const span = Math.max(high - low, spec.minSpan);
    const half = span / 2 + span * spec.margin;
    const middle = (low + high) / 2;
    return [middle - half, middle + half];
  };

  // damping.short_label.
  const shortLabel = (spec, alpha, beta, lam) => {
    const label = dampingLabel(spec, alpha, beta, lam);
    return label === spec.regimeLabels[spec.regimeLabels.length - 1] ? "diverges" : label.split(":")[0].split(" (")[0];
  };

  // Damping.grid_runs and draw_grid: each component at the grid's three β, fitted, titled.
  const gridState = (spec, alpha, steps) => {
    const runs = [];
    const columns = {};
    const ranges = [];
    const titles = [];
    spec.lambdas.forEach((lam, i) => {
      runs.push(gridBetas(alpha, lam).map((beta, j) => {
        const [x, v] = portrait(spec, alpha, beta, lam, steps);
        columns[`x${i}${j}`] = x;
        columns[`v${i}${j}`] = v;
        ranges.push([fitted(spec, x), fitted(spec, v)]);
        titles.push(`λ = ${formatG(lam, 6)}, β = ${formatNumber(beta)}: ${shortLabel(spec, alpha, beta, lam)}`);
        return [x, v];
      }));
    });
    return { runs, columns: pad(columns), ranges, titles, key: `${alpha} ${steps}` };
  };

  // Damping._bands: per component, over-damped below its critical β, under-damped above.
  const bands = (spec, critical) => {
    const data = { left: [], right: [], row: [], color: [], name: [] };
    critical.forEach((c, i) => {
      data.left.push(spec.barRange[0], c);
      data.right.push(c, 1);
      data.row.push(i, i);
      data.color.push(...spec.bandColors);
      data.name.push(...spec.bandNames);
    });
    return data;
  };

  // Damping.update (the grid's runs kept while α and the steps stay: a β drag does not redo them).
  const lastGrid = { spec: null, value: null };
  const state = (spec, { alpha, beta, steps }) => {
    const columns = {};
    const critical = spec.lambdas.map((lam) => criticalDamping(alpha, lam));
    const key = `${alpha} ${steps}`;
    if (lastGrid.spec !== spec || lastGrid.value.key !== key) Object.assign(lastGrid, { spec, value: gridState(spec, alpha, steps) });
    const grid = lastGrid.value;
    const ranges = [];
    spec.lambdas.forEach((lam, i) => {
      const [x, v] = portrait(spec, alpha, beta, lam, steps);
      [columns[`x${i}`], columns[`v${i}`]] = [x, v];
      [columns[`crit${i}_x`], columns[`crit${i}_v`]] = portrait(spec, alpha, critical[i], lam, steps);
      // Damping.update: fitted to the grid's runs of this component, and to this β's run if it converges.
      const runs = spectralRadius(alpha, beta, lam) < 1 ? [...grid.runs[i], [x, v]] : grid.runs[i];
      ranges.push([fitted(spec, ...runs.map((run) => run[0])), fitted(spec, ...runs.map((run) => run[1]))]);
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
      x: c,
      text: `critical β = ${formatNumber(c)}`,
      text_align: c < 0.5 ? "left" : "right", // damping.bar_label_align
    }));
    const { columns: gridColumns, ranges: gridRanges, titles } = grid;
    return { columns: pad(columns), ranges, grid: { columns: gridColumns, ranges: gridRanges, titles, key }, bar: bands(spec, critical), labels, beta, readout: rows(lines) };
  };

  const read = (m) => readSliders(m.sliders);

  const setRange = (range, [start, end]) => range.setv({ start, end });
  const gridDrawn = new WeakMap();  // grid source → the (α, steps) its runs show
  const paint = (m, result) => {
    m.frame.data = result.columns;
    result.ranges.forEach(([x, v], i) => {
      setRange(m.ranges[i][0], x);
      setRange(m.ranges[i][1], v);
    });
    const { grid } = result;
    if (gridDrawn.get(m.grid) !== grid.key) {
      m.grid.data = grid.columns;
      grid.ranges.forEach(([x, v], i) => {
        setRange(m.grid_ranges[i][0], x);
        setRange(m.grid_ranges[i][1], v);
        m.grid_titles[i].text = grid.titles[i];
      });
      gridDrawn.set(m.grid, grid.key);
    }
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
