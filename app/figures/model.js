// Page module of /model (app/figures/model.py): heavy ball and gradient descent on L2-regularised
// logistic regression over the shipped data (momentum_core.model), the quadratic theory's predicted rate
// and the rate fitted on each run's tail, computed in the page from the controls.
//
// One expression: a function of the kernel (app/static/kernel.js) giving {read, state, paint} and the
// buttons' actions.
(k) => {
  "use strict";
  const { readSliders, writeSliders, heavyBallRate, momentumOptimalRate, formatE, formatNumber, formatRate, rows, pad, showReadout } = k;

  // A run's step goes over the 569 samples four at a time, a, b, c, d (the last sample repeated past the
  // end: it computes and writes the same value again): four samples' sums or series side by side are
  // independent, so the processor overlaps them, where one sample's additions each wait on the last (a
  // β change's run: 36 → 11 ms). Each sample's operations and their order are Python's: the same bits.

  // LogisticRegression.scores: zᵢ = xᵢᵀw, added in order over j.
  const scores = (X, w, zs, m, dim) => {
    for (let i = 0; i < m; i += 4) {
      const a = i, b = Math.min(i + 1, m - 1), c = Math.min(i + 2, m - 1), d = Math.min(i + 3, m - 1);
      const w0 = w[0];
      let za = X[a * dim] * w0, zb = X[b * dim] * w0, zc = X[c * dim] * w0, zd = X[d * dim] * w0;
      for (let j = 1; j < dim; j++) {
        const wj = w[j];
        za += X[a * dim + j] * wj;
        zb += X[b * dim + j] * wj;
        zc += X[c * dim + j] * wj;
        zd += X[d * dim + j] * wj;
      }
      zs[a] = za;
      zs[b] = zb;
      zs[c] = zc;
      zs[d] = zd;
    }
  };

  // model.exp_neg at x = −|zᵢ|: eˣ by argument reduction and a Taylor polynomial, in the same IEEE
  // operations as Python's (Math.exp and libm's exp differ in the last bit now and then); 2ᵏ exact,
  // from a table (2 ** k is a call to pow: a quarter of the run).
  const LN2_HI = 6.93147180369123816490e-01;
  const LN2_LO = 1.90821492927058770002e-10;
  const POW2 = Float64Array.from({ length: 1100 }, (_, i) => 2 ** -i); // 2⁻ⁱ; x ≥ −746 needs i ≤ 1 077
  const negAbs = (z) => Math.max(-Math.abs(z), -746);
  const expNegAbs = (zs, es, m, terms, inv) => {
    for (let i = 0; i < m; i += 4) {
      const a = i, b = Math.min(i + 1, m - 1), c = Math.min(i + 2, m - 1), d = Math.min(i + 3, m - 1);
      const xa = negAbs(zs[a]), xb = negAbs(zs[b]), xc = negAbs(zs[c]), xd = negAbs(zs[d]);
      const ka = Math.floor(xa / LN2_HI + 0.5), kb = Math.floor(xb / LN2_HI + 0.5);
      const kc = Math.floor(xc / LN2_HI + 0.5), kd = Math.floor(xd / LN2_HI + 0.5);
      const ra = (xa - ka * LN2_HI) - ka * LN2_LO, rb = (xb - kb * LN2_HI) - kb * LN2_LO;
      const rc = (xc - kc * LN2_HI) - kc * LN2_LO, rd = (xd - kd * LN2_HI) - kd * LN2_LO;
      let pa = 1, pb = 1, pc = 1, pd = 1;
      for (let n = terms; n > 0; n--) {
        const coefficient = inv[n];
        pa = 1 + (ra * pa) * coefficient;
        pb = 1 + (rb * pb) * coefficient;
        pc = 1 + (rc * pc) * coefficient;
        pd = 1 + (rd * pd) * coefficient;
      }
      es[a] = pa * POW2[-ka];
      es[b] = pb * POW2[-kb];
      es[c] = pc * POW2[-kc];
      es[d] = pd * POW2[-kd];
    }
  };

  // model.log1p_unit: log(1 + u), u ∈ [0, 1], as 2·atanh(s), s = u/(2 + u), a series in s².
  const log1pUnit = (us, ls, m, terms, odd) => {
    for (let i = 0; i < m; i += 4) {
      const a = i, b = Math.min(i + 1, m - 1), c = Math.min(i + 2, m - 1), d = Math.min(i + 3, m - 1);
      const sa = us[a] / (2 + us[a]), sb = us[b] / (2 + us[b]), sc = us[c] / (2 + us[c]), sd = us[d] / (2 + us[d]);
      const ta = sa * sa, tb = sb * sb, tc = sc * sc, td = sd * sd;
      let qa = odd[terms], qb = odd[terms], qc = odd[terms], qd = odd[terms];
      for (let n = terms - 1; n >= 0; n--) {
        const coefficient = odd[n];
        qa = coefficient + ta * qa;
        qb = coefficient + tb * qb;
        qc = coefficient + tc * qc;
        qd = coefficient + td * qd;
      }
      ls[a] = 2 * sa * qa;
      ls[b] = 2 * sb * qb;
      ls[c] = 2 * sc * qc;
      ls[d] = 2 * sd * qd;
    }
  };

  // Σᵢ xᵢrᵢ added sample by sample (numpy's reduction over the samples): four samples added to g[j] in
  // one pass, in order (a sample repeated would be added twice: the last samples one at a time).
  const weightedRows = (X, r, g, m, dim) => {
    for (let j = 0; j < dim; j++) g[j] = X[j] * r[0];
    let i = 1;
    for (; i + 3 < m; i += 4) {
      const a = i * dim, b = a + dim, c = b + dim, d = c + dim;
      const ra = r[i], rb = r[i + 1], rc = r[i + 2], rd = r[i + 3];
      for (let j = 0; j < dim; j++) g[j] = g[j] + X[a + j] * ra + X[b + j] * rb + X[c + j] * rc + X[d + j] * rd;
    }
    for (; i < m; i++) for (let j = 0; j < dim; j++) g[j] += X[i * dim + j] * r[i];
  };

  // The series' constants 1/n and 1/(2n + 1), as Python computes them (the same IEEE divisions).
  const inverses = (count, of) => Float64Array.from({ length: count + 1 }, (_, n) => 1 / of(n));
  // The data as typed arrays, once per spec.
  const typed = new WeakMap();
  const dataOf = (spec) => {
    if (!typed.has(spec)) {
      typed.set(spec, {
        X: Float64Array.from(spec.X), y: Float64Array.from(spec.y), wStar: Float64Array.from(spec.wStar),
        inv: inverses(spec.expTerms, (n) => n), odd: inverses(spec.logTerms, (n) => 2 * n + 1),
      });
    }
    return typed.get(spec);
  };

  // model.heavy_ball_run, then run_curves: ‖wᵏ − w*‖ and f(wᵏ) − f* for k = 0…steps, cut at the first
  // step farther than cap × the first distance (or past the floats). A run's steps do not depend on how
  // many are asked for, so a run is kept and continued: `extend` takes it from the steps it has to
  // `steps` (a drag of the steps slider computes only the steps it adds; fewer steps read a prefix).
  const newRun = (spec) => {
    const { dim } = spec;
    const m = spec.y.length;
    return {
      w: new Float64Array(dim), z: new Float64Array(dim), g: new Float64Array(dim),
      zs: new Float64Array(m), es: new Float64Array(m), ls: new Float64Array(m), r: new Float64Array(m),
      distance: [], gap: [], cut: null,
    };
  };
  const extend = (spec, run, alpha, beta, steps) => {
    const { dim, mu, fStar, cap, expTerms, logTerms } = spec;
    const { X, y, wStar, inv, odd } = dataOf(spec);
    const m = y.length;
    const { w, z, g, zs, es, ls, r, distance, gap } = run;
    for (let s = distance.length; s <= steps && run.cut === null; s++) {
      if (s > 0) {
        // ∇f(w) = Σᵢ xᵢrᵢ + μw, with the residuals of step s − 1; then heavy_ball_run: z ← βz + ∇f(w),
        // w ← w − αz.
        weightedRows(X, r, g, m, dim);
        for (let j = 0; j < dim; j++) {
          z[j] = beta * z[j] + (g[j] + mu * w[j]);
          w[j] = w[j] - alpha * z[j];
        }
      }
      // model.distances and the loss's (μ/2)‖w‖²: squares added in order, j = 0, 1, …
      let d = (w[0] - wStar[0]) * (w[0] - wStar[0]);
      let norm = w[0] * w[0];
      for (let j = 1; j < dim; j++) {
        d += (w[j] - wStar[j]) * (w[j] - wStar[j]);
        norm += w[j] * w[j];
      }
      d = Math.sqrt(d);
      if (!(Number.isFinite(d) && d <= cap * (s === 0 ? d : distance[0]))) {
        run.cut = s;
        break;
      }
      // LogisticRegression.loss and .gradient's residuals: softplus(zᵢ) = max(zᵢ, 0) + log1p(eᵢ) and σ(zᵢ)
      // from eᵢ = e^{−|zᵢ|} (model.softplus, model.sigmoid); the loss's terms added in order over i.
      scores(X, w, zs, m, dim);
      expNegAbs(zs, es, m, expTerms, inv);
      log1pUnit(es, ls, m, logTerms, odd);
      let loss = 0;
      for (let i = 0; i < m; i++) {
        const zi = zs[i], e = es[i];
        const term = Math.max(zi, 0) + ls[i] - y[i] * zi;
        loss = i === 0 ? term : loss + term;
        r[i] = ((zi >= 0 ? 1 / (1 + e) : e / (1 + e)) - y[i]) / m;
      }
      distance.push(d);
      gap.push(loss / m + 0.5 * mu * norm - fStar);
    }
  };
  // The run's first steps + 1 values, and the step it was cut at if that is one of them.
  const runCurves = (run, steps) => ({
    distance: run.distance.slice(0, steps + 1),
    gap: run.gap.slice(0, steps + 1),
    cut: run.cut !== null && run.cut <= steps ? run.cut : null,
  });

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
      last = { spec, id, run: newRun(spec) };
      kept.set(key, last);
    }
    extend(spec, last.run, alpha, beta, steps);
    return runCurves(last.run, steps);
  };

  // Model.update: both runs' curves, the predicted lines and the readout.
  const state = (spec, { alpha, beta, steps }) => {
    const { low, high, kappa, floor, cap, resolved } = spec;
    const n = formatNumber;
    const columns = { k: Array.from({ length: steps + 1 }, (_, s) => s), alpha_now: [alpha], beta_now: [beta] };
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
