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

  // regions.label_cell: the label grid's cell [row, column] nearest (α, β).
  const labelCell = (alphas, betas, alpha, beta) => [
    Math.floor((beta - betas[0]) / (betas[1] - betas[0]) + 0.5),
    Math.floor((alpha - alphas[0]) / (alphas[1] - alphas[0]) + 0.5),
  ];

  // regions.regime_label_positions: each regime's label (its map words), the smallest regime's first,
  // centred (on a cell of it, where one fits) where its box covers the most cells of its regime, the
  // fewest of the labels placed before it and no marker; of equal places the nearest the regime's
  // centre of mass, then the first row by row (whole numbers: the same cells as Python's).
  const regimeLabels = (spec, lam) => {
    const alphas = spec.alphas.filter((_, i) => i % spec.stride === 0);
    const betas = spec.betas.filter((_, i) => i % spec.stride === 0);
    const [rows, cols] = [betas.length, alphas.length];
    const codes = new Uint8Array(rows * cols);
    betas.forEach((beta, row) => alphas.forEach((alpha, col) => { codes[row * cols + col] = dominantRegime(alpha, beta, lam); }));
    const markers = [...spec.fixedMarkers, labelCell(alphas, betas, ...optimalParameters(...lam))];
    const [markerAcross, markerUp] = spec.markerCells;
    const [overlapCost, markerCost, offRegimeCost] = spec.labelCosts;
    const [pxAcross, pxUp] = spec.labelCellPx;
    const labels = { x: [], y: [], text: [] };
    const placed = []; // boxes: [first row, last row, first column, last column]
    const sums = new Float64Array((rows + 1) * (cols + 1)); // cells of the regime up to (row, column)
    const sizes = spec.regimes.map(() => 0);
    for (const code of codes) sizes[code]++;
    const order = spec.regimes.map((_, code) => code).sort((a, b) => sizes[a] - sizes[b] || a - b);
    order.forEach((code) => {
      const text = spec.mapWords[code];
      let n = 0, rowSum = 0, colSum = 0;
      for (let row = 0; row < rows; row++) {
        let line = 0;
        for (let col = 0; col < cols; col++) {
          const inside = codes[row * cols + col] === code ? 1 : 0;
          line += inside;
          sums[(row + 1) * (cols + 1) + col + 1] = sums[row * (cols + 1) + col + 1] + line;
          if (inside) { n++; rowSum += row; colSum += col; }
        }
      }
      if (n === 0) return;
      const [across, up] = spec.labelBoxes[code]; // regions.label_box: at most half the grid
      const sum = (row, col) => sums[row * (cols + 1) + col];
      // A centre off the regime costs more than any other place can (offRegimeCost): where a centre in
      // it fits, only those are scored (the same place as Python's, a fraction of the work).
      let fits = false;
      for (let row = up; row < rows - up && !fits; row++)
        for (let col = across; col < cols - across && !fits; col++) fits = codes[row * cols + col] === code;
      let best = null;
      for (let row = up; row < rows - up; row++) {
        for (let col = across; col < cols - across; col++) {
          if (fits && codes[row * cols + col] !== code) continue;
          const [top, bottom, left, right] = [row + up + 1, row - up, col + across + 1, col - across];
          const own = sum(top, left) - sum(bottom, left) - sum(top, right) + sum(bottom, right);
          let overlap = 0;
          for (const [r0, r1, c0, c1] of placed)
            overlap += Math.max(Math.min(r1, row + up) - Math.max(r0, row - up) + 1, 0) *
              Math.max(Math.min(c1, col + across) - Math.max(c0, col - across) + 1, 0);
          let covered = 0;
          for (const [r, c] of markers)
            if (Math.abs(r - row) <= up + markerUp && Math.abs(c - col) <= across + markerAcross) covered++;
          const off = codes[row * cols + col] === code ? 0 : offRegimeCost;
          const score = own - overlapCost * overlap - markerCost * covered - off;
          const far = (pxAcross * (col * n - colSum)) ** 2 + (pxUp * (row * n - rowSum)) ** 2;
          if (best === null || score > best.score || (score === best.score && far < best.far)) best = { score, far, row, col };
        }
      }
      placed.push([best.row - up, best.row + up, best.col - across, best.col + across]);
      labels.x.push(alphas[best.col]);
      labels.y.push(betas[best.row]);
      labels.text.push(text);
    });
    return labels;
  };

  // Regions._draw_map: the κ-dependent layers of the (α, β) map. The rate image as colour codes
  // (regions.rate_grid, in place as spectral.convergence_rate computes it, then regions.colour_codes:
  // the colour BokehJS's mapper over [low, 1] gives each rate, grey past 1), the regime labels
  // (regions.regime_label_positions), the critical-damping curves and the optimum.
  const regionsMap = (spec, kappa) => {
    const { alphas, betas, palette, diverged, lamMax } = spec;
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
    const labels = regimeLabels(spec, lam);
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
  // state. The map is computed only for a κ it does not show (first: the κ Python drew), in `state`,
  // so that the warm-up's states near the shown one compile it too.
  const mapped = new WeakMap();  // spec → the κ the map shows
  const state = (spec, s) => {
    const map = (mapped.get(spec) ?? spec.kappa) === s.kappa ? null : regionsMap(spec, s.kappa);
    return { ...regionsState(spec, s), map, kappa: s.kappa, alpha: s.alpha, beta: s.beta, spec };
  };
  const paint = (m, result) => {
    const { map, kappa, alpha, beta, spec } = result;
    if (map !== null) {
      const codes = m.image.data.rate[0];
      codes.set(map.codes);
      m.image.setv({ data: { rate: [codes] } }, { check_eq: false });
      m.labels.data = map.labels;
      m.critical.data = { ...map.critical, color: m.critical.data.color };
      m.optimum.data = map.optimum;
      m.mapper.low = map.low;
      mapped.set(spec, kappa);
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
