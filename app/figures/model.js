// Page module of /model (app/figures/model.py): heavy ball and gradient descent on L2-regularised
// logistic regression over the shipped data (momentum_core.model), the quadratic theory's predicted rate
// and the rate fitted on each run's tail, computed in the page from the controls.
//
// One expression: a function of the kernel (app/static/kernel.js) giving {read, state, paint} and the
// buttons' actions.
(k) => {
  "use strict";
  const { readSliders, writeSliders, heavyBallRate, momentumOptimalRate, formatE, formatNumber, formatRate, rows, pad, showReadout } = k;

  // The runs' arithmetic is WebAssembly (model.wat, shipped assembled as spec.wasm): Python's operations in
  // Python's order, two samples (or two features) a 128-bit lane pair — the same bits as numpy, in about
  // a third of plain JavaScript's time (a run of 400 steps: 11 → 4 ms; α moves both runs).
  // An engine per spec: the page's memory laid out as model.wat's header says (rows of up to 32
  // features), the data and tables written once, and two runs' places (momentum, gradient descent).
  const engines = new WeakMap();
  const engineOf = (spec) => {
    if (engines.has(spec)) return engines.get(spec);
    const { dim, maxSteps } = spec;
    const m = spec.y.length;
    const mp = Math.ceil(m / 8) * 8;
    let end = 0;
    const take = (count) => {
      const at = end;
      end += Math.ceil(count / 2) * 16; // 16-byte aligned
      return at;
    };
    const places = {
      rows: take(m * 32), columns: take(dim * mp), y: take(mp), target: take(32),
      expTable: take(spec.expTable.length), expCoefficients: take(spec.expCoefficients.length),
      logTable: take(spec.logTable.length), logCoefficients: take(spec.logCoefficients.length),
      scores: take(mp), exps: take(mp), terms: take(mp),
    };
    const runPlaces = () => ({
      w: take(32), z: take(32), g: take(32), r: take(mp), distances: take(maxSteps + 1), gaps: take(maxSteps + 1),
    });
    const slots = { momentum: runPlaces(), gd: runPlaces() };
    const memory = new WebAssembly.Memory({ initial: Math.ceil(end / 65536) });
    const f = new Float64Array(memory.buffer);
    const put = (at, values) => f.set(values, at / 8);
    for (let i = 0; i < m; i++) {
      const row = spec.X.slice(i * dim, (i + 1) * dim);
      put(places.rows + i * 256, row);
      row.forEach((x, j) => (f[places.columns / 8 + j * mp + i] = x));
    }
    put(places.y, spec.y);
    put(places.target, spec.wStar);
    for (const name of ["expTable", "expCoefficients", "logTable", "logCoefficients"]) put(places[name], spec[name]);
    const bytes = Uint8Array.from(atob(spec.wasm), (c) => c.charCodeAt(0));
    const code = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
    code.setup(
      places.rows, places.columns, places.y, places.target, places.expTable, places.expCoefficients,
      places.logTable, places.logCoefficients, places.scores, places.exps, places.terms, m, mp, dim, spec.mu,
      spec.fStar, spec.cap, spec.expScale, spec.expStepHi, spec.expStepLo, spec.expCoefficients.length - 1,
      spec.logCoefficients.length - 1,
    );
    const engine = { code, f, slots };
    engines.set(spec, engine);
    return engine;
  };

  // model.heavy_ball_run, then run_curves: ‖wᵏ − w*‖ and f(wᵏ) − f* for k = 0…steps, cut at the first
  // step farther than cap × the first distance (or past the floats). A run's steps do not depend on how
  // many are asked for, so a run is kept and continued: `extend` takes it from the steps it has to
  // `steps` (a drag of the steps slider computes only the steps it adds; fewer steps read a prefix).
  const newRun = (spec, key) => {
    const engine = engineOf(spec);
    const at = engine.slots[key];
    engine.f.fill(0, at.w / 8, at.w / 8 + 64); // w⁰ = 0, z⁰ = 0
    return { engine, at, count: 0, cut: null };
  };
  const extend = (run, alpha, beta, steps) => {
    if (run.cut !== null || run.count > steps) return;
    const { w, z, g, r, distances, gaps } = run.at;
    const stop = run.engine.code.advance(w, z, g, r, distances, gaps, run.count, steps, alpha, beta);
    if (stop <= steps) run.cut = stop;
    run.count = stop;
  };
  // The run's first steps + 1 values, and the step it was cut at if that is one of them.
  const runCurves = (run, steps) => {
    const { f } = run.engine;
    const n = Math.min(run.count, steps + 1);
    const values = (at) => Array.from(f.subarray(at / 8, at / 8 + n));
    return {
      distance: values(run.at.distances),
      gap: values(run.at.gaps),
      cut: run.cut !== null && run.cut <= steps ? run.cut : null,
    };
  };

  // model.observed_rate: exp of the least-squares slope of log‖wᵏ − w*‖ over the second half of the
  // steps before the distance falls below `resolved` or leaves the floats, with the line's R²
  // (steady ≥ spec.steady); null under 4 such steps.
  const observedRate = (errors, resolved, steadyAt) => {
    let end = errors.findIndex((e) => !(Number.isFinite(e) && e >= resolved));
    if (end < 0) end = errors.length;
    const first = Math.floor(end / 2);
    const n = end - first;
    if (n < 4) return null;
    if (errors.slice(first, end).every((e) => e === errors[first])) return { rate: 1, steady: true };
    let kMean = 0;
    let lMean = 0;
    for (let s = first; s < end; s++) {
      kMean += s;
      lMean += Math.log(errors[s]);
    }
    kMean /= n;
    lMean /= n;
    let num = 0;
    let den = 0;
    let total = 0;
    for (let s = first; s < end; s++) {
      const spread = Math.log(errors[s]) - lMean;
      num += (s - kMean) * spread;
      den += (s - kMean) ** 2;
      total += spread * spread;
    }
    const slope = num / den;
    const steadiness = (slope * slope * den) / total;
    return { rate: Math.exp(slope), steady: steadiness >= steadyAt };
  };

  // model.fitted_text
  const fitted = (observed) =>
    observed === null ? "—" : observed.steady ? formatRate(observed.rate) : "none steady (it bounces)";

  // The last run of each method, kept (gradient descent's does not move with β) and continued.
  const kept = new Map();
  const curvesOf = (spec, key, alpha, beta, steps) => {
    const id = `${alpha} ${beta}`;
    let last = kept.get(key);
    if (!(last && last.spec === spec && last.id === id)) {
      last = { spec, id, run: newRun(spec, key) };
      kept.set(key, last);
    }
    extend(last.run, alpha, beta, steps);
    return runCurves(last.run, steps);
  };

  // Model.update: both runs' curves, the predicted lines and the readout.
  const state = (spec, { alpha, beta, steps }) => {
    const { low, high, kappa, floor, cap, resolved } = spec;
    const n = formatNumber;
    const columns = { k: Array.from({ length: steps + 1 }, (_, s) => s), alpha_now: [alpha], beta_now: [beta] };
    try {
      engineOf(spec);
    } catch (error) {
      // A browser without WebAssembly's 128-bit lanes (before Chrome 91, Firefox 89, Safari 16.4): no runs.
      for (const key of ["momentum", "gd"]) {
        for (const name of ["k", "distance", "gap", "predicted"]) columns[`${name}_${key}`] = [];
      }
      return { columns: pad(columns), steps, readout: rows([["runs", `${spec.texts.unsupported} (${error})`]]) };
    }
    const lines = [
      ["data", "569 tumours × 30 features (Wisconsin), standardised"],
      ["model", `logistic regression, L2 penalty μ = ${n(spec.mu)}`],
      ["curvature at w* (Lanczos)", `λ₁ = ${n(low)}, λₙ = ${n(high)}, κ = ${n(kappa)}`],
      ["largest curvature at the start w⁰ = 0", `${n(spec.start_high)} (${n(spec.start_high / high)}× λₙ at w*)`],
      [
        "theory's α*, β* (rate)",
        `${n(spec.alpha_star)}, ${n(spec.beta_star)} (${formatRate(momentumOptimalRate(kappa))})`,
      ],
    ];
    for (const [key, b] of [["momentum", beta], ["gd", 0]]) {
      const { distance, gap, cut } = curvesOf(spec, key, alpha, b, steps);
      const predicted = heavyBallRate(alpha, b, [low, high]);
      const observed = observedRate(distance, resolved, spec.steady);
      columns[`k_${key}`] = distance.map((_, s) => s);
      columns[`distance_${key}`] = distance.map((d) => Math.max(d, floor));
      columns[`gap_${key}`] = gap.map((g) => Math.max(g, floor));
      columns[`predicted_${key}`] = columns.k.map((s) =>
        Math.min(Math.max(distance[0] * predicted ** s, floor), cap * distance[0]));
      // model.run_status: what the run did, not what the theory says.
      const status =
        cut !== null
          ? `${spec.texts.diverges} (cut at step ${cut})`
          : observed === null || (observed.steady && observed.rate < 1)
            ? spec.texts.converges
            : `not converging within ${steps} steps`;
      const last = gap[gap.length - 1];
      lines.push(
        [`<b>${spec.labels[key]}</b>`, status],
        [
          "rate: the quadratic's · fitted on the run's tail",
          `${formatRate(predicted)}${predicted >= 1 ? " (diverges)" : ""} · ${fitted(observed)}`,
        ],
        [`f(w<sup>${gap.length - 1}</sup>) − f*`, last >= spec.gapShown ? formatE(last, 3) : `below ${formatE(spec.gapShown, 0)}`],
      );
    }
    return { columns: pad(columns), steps, readout: rows(lines) };
  };

  const read = (m) => readSliders(m.sliders);

  // As Model.update sets its models.
  const paint = (m, result) => {
    m.frame.data = result.columns;
    m.k_range.setv({ start: 0, end: result.steps });
    showReadout(m.readout, result.readout);
  };

  // The buttons: the theory's (α*, β*), gradient descent's best step, or a step the network can take.
  const theory = (m, spec) => writeSliders(m.sliders, { alpha: spec.alpha_star, beta: spec.beta_star });
  const descent = (m, spec) => writeSliders(m.sliders, { alpha: spec.descent_alpha, beta: 0 });
  const networkStep = (m, spec) =>
    writeSliders(m.sliders, { alpha: spec.network_step[0], beta: spec.network_step[1] });

  // A click on a map: (α, β) to the cell clicked, within the map and the sliders' bounds.
  const runAt = (m, spec, event) => {
    const clip = (v, [low, high]) => Math.min(Math.max(v, low), high);
    if (Number.isFinite(event.x) && Number.isFinite(event.y)) {
      writeSliders(m.sliders, { alpha: clip(event.x, m.alpha_range), beta: clip(event.y, m.beta_range) });
    }
  };

  return { read, state, paint, theory, descent, networkStep, runAt };
}
