// Page module of /regions (app/figures/regions.py): the (α, β) map for κ, the roots of R, one
// component's trace and the readout, computed in the page from the controls.
//
// One expression: a function of the kernel (app/static/kernel.js) giving {read, state, paint, moveTo, goTo}.
(k) => {
  "use strict";
  const {
    readSliders, momentumOptimalRate, criticalDamping, dominantRegime, linspace, optimalParameters, iterationEigenvalues, eigenErrors,
    heavyBallMatrix, divergenceStep, heavyBallRate, regime, spectralRadius, formatNumber, formatRate, rows, pad,
    showReadout,
  } = k;

  // The largest eigenvalue's rate (spectralRadius) at every cell, row by row, once per spec: it does
  // not move with κ.
  const largest = new WeakMap();
  const largestRates = (spec) => {
    if (!largest.has(spec)) {
      const { alphas, betas, lamMax } = spec;
      largest.set(spec, Float64Array.from({ length: betas.length * alphas.length }, (_, cell) =>
        spectralRadius(alphas[cell % alphas.length], betas[Math.floor(cell / alphas.length)], lamMax)));
    }
    return largest.get(spec);
  };

  // Regions._draw_map: the κ-dependent layers of the (α, β) map. The rate image as colour codes
  // (regions.rate_grid, in place as spectral.convergence_rate computes it, then regions.colour_codes:
  // the colour BokehJS's mapper over [low, 1] gives each rate, grey past 1), the regime labels
  // (regions.regime_label_positions), the critical-damping curves and the optimum.
  const regionsMap = (spec, kappa) => {
    const { alphas, betas, stride, palette, diverged, lamMax } = spec;
    const lam = [lamMax / kappa, lamMax];
    const low = momentumOptimalRate(kappa) * spec.lowMargin;
    const scale = 1 / (1 - low);
    const unit = 1 / palette;
    const codes = new Uint16Array(betas.length * alphas.length);
    const highest = largestRates(spec);
    for (let row = 0, cell = 0; row < betas.length; row++) {
      for (let column = 0; column < alphas.length; column++, cell++) {
        const rate = Math.max(spectralRadius(alphas[column], betas[row], lam[0]), highest[cell]);
        const index =
          rate === 1 ? palette - 1 : Math.min(Math.max(Math.floor(((rate - low) * scale) / unit), -1), palette);
        codes[cell] = index < 0 ? 0 : index >= palette ? diverged : index;
      }
    }
    const [labelAlphas, labelBetas] = [alphas, betas].map((values) => values.filter((_, i) => i % stride === 0));
    const cells = spec.regimes.map(() => []); // per regime: its [row, column] cells, row by row
    labelBetas.forEach((beta, row) =>
      labelAlphas.forEach((alpha, column) => cells[dominantRegime(alpha, beta, lam)].push([row, column])),
    );
    const labels = { x: [], y: [], text: [], align: [], offset: [] };
    // regions.label_align: anchored by its left end near the left edge, its right end near the right.
    const align = (place) =>
      place < spec.labelEdge ? "left" : place > 1 - spec.labelEdge ? "right" : "center";
    const middle = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
    cells.forEach((inRegime, code) => {
      if (inRegime.length === 0) return;
      const column = middle(inRegime.map(([, c]) => c));
      const row = middle(inRegime.filter(([, c]) => c === column).map(([r]) => r));
      labels.x.push(labelAlphas[column]);
      labels.y.push(labelBetas[row]);
      labels.text.push(spec.regimes[code]);
      labels.align.push(align(column / labelAlphas.length));
      labels.offset.push(spec.labelOffsets[labels.align[labels.align.length - 1]]);
    });
    const critical = lam.map((l) => {
      const xs = linspace(0, Math.min(spec.alphaMax, 4 / l), spec.criticalPoints);
      const ys = xs.map((a) => criticalDamping(a, l));
      return [xs, ys];
    });
    const [alphaStar, betaStar] = optimalParameters(...lam);
    return {
      codes,
      low,
      labels,
      optimum: { x: [alphaStar], y: [betaStar] },
      critical: { xs: critical.map(([xs]) => xs), ys: critical.map(([, ys]) => ys) },
    };
  };

  // Regions.update: the roots of R for λ₁ and λₙ, the trace of one component from
  // x⁰ = 1 (cut where it leaves [−cap, cap]), its plot's reach, and the readout.
  const regionsState = (spec, state) => {
    const { alpha, beta, kappa, component } = state;
    const lam = [spec.lamMax / kappa, spec.lamMax];
    const columns = {};
    lam.forEach((l, i) => {
      const roots = iterationEigenvalues(alpha, beta, l);
      columns[`root${i}_re`] = roots.map(([re]) => re);
      columns[`root${i}_im`] = roots.map(([, im]) => im);
    });
    const one = { eigenvalues: [lam[component]], eigenvectors: [[1]], w_star: [0] };
    const [trace] = eigenErrors(one, heavyBallMatrix, alpha, beta, [1], spec.traceSteps);
    const cut = divergenceStep(Array.from(trace, (v) => [v]), spec.traceCap);
    const shown = cut === null ? Array.from(trace) : Array.from(trace.subarray(0, cut));
    const reach = Math.max(1, Math.max(...shown.map(Math.abs))) * 1.1;
    const rate = heavyBallRate(alpha, beta, lam);
    const { regimes, texts } = spec;
    const status = rate >= 1 ? texts.diverges : `${texts.converges}, ${regimes[dominantRegime(alpha, beta, lam)]}`;
    const [alphaStar, betaStar] = optimalParameters(...lam);
    const n = formatNumber;
    const readout = rows([
      ["<b>At (α, β)</b>", `(${n(alpha)}, ${n(beta)}): ${status}`],
      ["rate max|σ(R)|", formatRate(rate)],
      ["regime of λ₁ / λₙ", lam.map((l) => regimes[regime(alpha, beta, l)]).join(" / ")],
      ["eigenvalues", `λ₁ = ${n(lam[0])}, λₙ = ${n(lam[1])}, κ = ${n(kappa)}`],
      ["optimum (α*, β*)", `(${n(alphaStar)}, ${n(betaStar)}), rate ${n(momentumOptimalRate(kappa))}`],
    ]);
    return { columns: pad({ k: shown.map((_, k) => k), trace: shown, ...columns }), reach, readout };
  };

  const read = (m) => ({
    ...readSliders(m.sliders),
    component: m.choice.active,
  });

  // The map's layers for κ (the image's codes set in place: its shape and type stay) and (α, β)'s
  // state. The map is computed only when κ is not the one drawn.
  const drawn = new WeakMap();  // image source → the κ its codes show
  const state = (spec, s) => {
    const result = regionsState(spec, s);
    return { ...result, kappa: s.kappa, alpha: s.alpha, beta: s.beta, spec };
  };
  const paint = (m, result) => {
    const { kappa, alpha, beta, spec } = result;
    if (!drawn.has(m.image)) drawn.set(m.image, spec.kappa);  // drawn by Python for the first κ
    if (drawn.get(m.image) !== kappa) {
      const map = regionsMap(spec, kappa);
      const codes = m.image.data.rate[0];
      codes.set(map.codes);
      m.image.setv({ data: { rate: [codes] } }, { check_eq: false });
      m.labels.data = map.labels;
      m.critical.data = { ...map.critical, color: m.critical.data.color };
      m.optimum.data = map.optimum;
      m.mapper.low = map.low;
      drawn.set(m.image, kappa);
    }
    m.frame.data = result.columns;
    m.trace_range.setv({ start: -result.reach, end: result.reach });
    if (m.point.data.x[0] !== alpha || m.point.data.y[0] !== beta) m.point.data = { x: [alpha], y: [beta] };
    showReadout(m.readout, result.readout);
  };

  // A click on the map (a tap event) or the marker dragged (its source, whose callback finds the
  // sliders by name) moves (α, β) there, clamped to the map, as Regions._move_to does.
  const moveTo = (m, spec, event) => {  // the sliders' own callbacks then update
    const dragged = event.data !== undefined;
    const [x, y] = dragged ? [event.data.x[0], event.data.y[0]] : [event.x, event.y];
    const find = (name) => event.document.get_model_by_name(name);
    const sliders = dragged ? { alpha: find(m.names.alpha), beta: find(m.names.beta) } : m.sliders;
    if (Number.isFinite(x) && Number.isFinite(y)) {
      const clip = (v, [low, high]) => Math.min(Math.max(v, low), high);
      const [alpha, beta] = [clip(x, m.alpha_range), clip(y, m.beta_range)];
      if (sliders.alpha.value !== alpha) sliders.alpha.value = alpha;
      if (sliders.beta.value !== beta) sliders.beta.value = beta;
    }
  };

  // A click on a small example: (α, β) to its place, and the trace to the component it shows (λₙ).
  const goTo = (m, spec) => {
    moveTo(m, spec, { x: m.to[0], y: m.to[1] });
    if (m.choice.active !== 1) m.choice.active = 1;
  };

  return { read, state, paint, moveTo, goTo, regionsMap, regionsState };
}
