// Page module of /limits (app/figures/limits.py): heavy ball, Nesterov and gradient descent on Nesterov's
// resisting oracle, run step by step from 0, against the lower bound no such method can beat, computed in
// the page from κ and the iteration k.
//
// The oracle A = L + e₁e₁ᵀ + δI (δ = 4/(κ − 1)) is tridiagonal: a step is O(n). Its eigenvalues are the
// seeded path's (the spec, as momentum_core decomposed it) plus δ; its optimum is in closed form.
//
// One expression: a function of the kernel (app/static/kernel.js) giving {read, state, paint}.
(k) => {
  "use strict";
  const { readSliders, heavyBallRate, nesterovRate, optimalParameters, momentumOptimalRate, formatNumber, rows, pad, showReadout } = k;

  // limits.oracle_optimum: w*ᵢ = (rⁱ + r²ⁿ⁺¹⁻ⁱ)/(1 + r²ⁿ⁺¹), r = 2/(2 + δ + √(δ(4 + δ))).
  const oracleOptimum = (delta, n) => {
    const r = 2 / (2 + delta + Math.sqrt(delta * (4 + delta)));
    return Array.from({ length: n }, (_, j) => (r ** (j + 1) + r ** (2 * n + 1 - (j + 1))) / (1 + r ** (2 * n + 1)));
  };

  // One step of one method in place (formulations.heavy_ball_steps / nesterov_steps): zᵏ⁺¹ = βzᵏ + ∇f(look),
  // wᵏ⁺¹ = wᵏ − αzᵏ⁺¹, look = wᵏ (heavy ball) or wᵏ − αβzᵏ (Nesterov); ∇f(w) = Aw − e₁, A's rows
  // (−1, 2 + δ, −1), the first (2 + δ, −1), the last (−1, 1 + δ). Returns ‖wᵏ⁺¹ − w*‖∞, or Infinity past
  // the floats.
  const step = (w, z, look, wStar, delta, alpha, beta, nesterov) => {
    const n = w.length;
    for (let i = 0; i < n; i++) look[i] = nesterov ? w[i] - alpha * beta * z[i] : w[i];
    const move = (i, g) => {
      z[i] = beta * z[i] + g;
      w[i] = w[i] - alpha * z[i];
      return Math.abs(w[i] - wStar[i]);
    };
    let norm = move(0, 0 + (2 + delta) * look[0] + -look[1] - 1);
    for (let i = 1; i < n - 1; i++) norm = Math.max(norm, move(i, -look[i - 1] + (2 + delta) * look[i] + -look[i + 1]));
    norm = Math.max(norm, move(n - 1, -look[n - 2] + (1 + delta) * look[n - 1] + 0));
    // A w past the floats makes the norm NaN or Infinity: only then are its coordinates looked at.
    return Number.isFinite(norm) || w.every(Number.isFinite) ? norm : Infinity;
  };

  // One method step by step from 0: ‖wᵏ − w*‖∞ per k and each step's first `shown` coordinates;
  // Infinity from the first step past the floats.
  const run = (delta, wStar, alpha, beta, nesterov, steps, shown) => {
    const n = wStar.length;
    const [w, z, look] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    const norms = new Float64Array(steps + 1).fill(Infinity);
    const iterates = [w.slice(0, shown)];
    norms[0] = Math.max(...wStar.map(Math.abs));
    for (let s = 1; s <= steps; s++) {
      norms[s] = norms[s - 1] === Infinity ? Infinity : step(w, z, look, wStar, delta, alpha, beta, nesterov);
      iterates.push(norms[s] === Infinity ? new Float64Array(shown).fill(Infinity) : w.slice(0, shown));
    }
    return { norms, iterates };
  };

  // limits.runs for κ, the last one kept: dragging k only picks another step.
  let kept = null;
  const runs = (spec, kappa) => {
    if (kept && kept.kappa === kappa) return kept;
    const { base, dimension, maxSteps, shown, methods } = spec;
    const delta = 4 / (kappa - 1);
    const lam = base.map((l) => l + delta);
    const wStar = oracleOptimum(delta, dimension);
    const settings = {
      momentum: [...optimalParameters(lam[0], lam[dimension - 1]), false],
      nesterov: [1 / lam[dimension - 1], momentumOptimalRate(lam[dimension - 1] / lam[0]), true],
      gd: [2 / (lam[0] + lam[dimension - 1]), 0, false],
    };
    const result = { kappa, lam, wStar, norms: {}, iterates: {}, rates: {} };
    for (const [name] of methods) {
      const [alpha, beta, nesterov] = settings[name];
      const { norms, iterates } = run(delta, wStar, alpha, beta, nesterov, maxSteps, shown);
      result.norms[name] = norms;
      result.iterates[name] = iterates;
      result.rates[name] = (nesterov ? nesterovRate : heavyBallRate)(alpha, beta, lam);
    }
    kept = result;
    return result;
  };

  // limits.observed_rate: (e_b/e_a)^(1/(b − a)) over the second half of the run before the error falls
  // below `resolved`.
  const observedRate = (errors, resolved) => {
    const below = errors.findIndex((e) => e < resolved);
    const last = below >= 0 ? below : errors.length - 1;
    const first = Math.floor(last / 2);
    return [(errors[last] / errors[first]) ** (1 / Math.max(last - first, 1)), first, last];
  };

  // Limits.update: the bound, ρᵏ⁺¹, each method's errors and iterate at k, the markers, the readout.
  const state = (spec, { kappa, iteration: kk }) => {
    const { dimension, maxSteps, shown, floor, resolved, methods } = spec;
    const { lam, wStar, norms, iterates, rates } = runs(spec, kappa);
    const magnitude = wStar.map(Math.abs);
    const tail = new Float64Array(dimension);  // tail[j] = max over i ≥ j of |w*ᵢ| (krylov_lower_bound)
    for (let j = dimension - 1; j >= 0; j--) tail[j] = Math.max(magnitude[j], j + 1 < dimension ? tail[j + 1] : 0);
    const bound = Array.from({ length: maxSteps + 1 }, (_, s) => (s < dimension ? tail[Math.min(s, dimension - 1)] : 0));
    const rho = momentumOptimalRate(kappa);
    const columns = {
      k: Array.from({ length: maxSteps + 1 }, (_, s) => s),
      bound: bound.map((v) => Math.max(v, floor)),
      ideal: Array.from({ length: maxSteps + 1 }, (_, s) => Math.max(rho ** (s + 1), floor)),
      i: Array.from({ length: shown }, (_, j) => j + 1),
      w_star: wStar.slice(0, shown),
    };
    const n = formatNumber;
    const lines = [
      ["κ chosen / κ of the n-dimensional A", `${n(kappa)} / ${n(lam[dimension - 1] / lam[0])}`],
      ["lower-bound rate ρ = (√κ − 1)/(√κ + 1)", n(rho)],
      ["<b>method</b>", `<b>rate · observed (steps) · error/bound at k = ${kk}</b>`],
    ];
    for (const [name, label] of methods) {
      columns[`error_${name}`] = Array.from(norms[name], (v) => Math.max(v, floor));
      columns[`w_${name}`] = Array.from(iterates[name][kk]);
      const [observed, first, last] = observedRate(norms[name], resolved);
      const ratio = bound[kk] > 0 && norms[name][kk] >= resolved ? n(norms[name][kk] / bound[kk]) : "round-off";
      lines.push([label, `${n(rates[name])} · ${n(observed)} (${first}–${last}) · ${ratio}`]);
    }
    const dead = { left: kk + 0.5, visible: kk + 0.5 < shown - spec.deadLabelRoom };
    return { columns: pad(columns), marks: [kk, kk + 0.5], dead, readout: rows(lines) };
  };

  const read = (m) => readSliders(m.sliders);

  const paint = (m, result) => {
    m.frame.data = result.columns;
    m.markers.forEach((marker, i) => (marker.location = result.marks[i]));
    m.dead_zone.left = result.dead.left;
    m.dead_label.setv({ x: result.dead.left, visible: result.dead.visible });
    showReadout(m.readout, result.readout);
  };

  return { read, state, paint };
}
