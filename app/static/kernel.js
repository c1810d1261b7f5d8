// The page's kernel: the closed forms every figure's page module computes with, and Python's number
// formats. Each function mirrors the momentum_core (or app) function named in its comment, operation
// for operation, so the numbers agree to round-off; each figure's parity test
// (tests/test_browser_page_modules.py) checks its module, and so this kernel, against the Python
// figure on random states, divergent and boundary ones included.
//
// The file is one expression; its value is the functions. app/page_module.py evaluates it once per page.
(() => {
  "use strict";

  // spectral.iteration_matrix: R = [[β, λ], [−αβ, 1 − αλ]] for each λ.
  const heavyBallMatrix = (alpha, beta, lam) => [beta, lam, -alpha * beta, 1 - alpha * lam];

  // spectral.nesterov_iteration_matrix: y' = β(1 − αλ)y + λx, x' = x − αy'.
  const nesterovMatrix = (alpha, beta, lam) => {
    const shrink = 1 - alpha * lam;
    return [beta * shrink, lam, -alpha * beta * shrink, shrink];
  };

  // spectral._largest_root_modulus: max|σ| over the roots of σ² − tσ + d = 0, in real arithmetic.
  const largestRootModulus = (t, d) => {
    const disc = t * t - 4 * d;
    return disc < 0 ? Math.sqrt(Math.max(d, 0)) : 0.5 * (Math.abs(t) + Math.sqrt(Math.max(disc, 0)));
  };

  // spectral.spectral_radius: max|σ(R)| for one λ, trace 1 + β − αλ, determinant β.
  const spectralRadius = (alpha, beta, lam) => largestRootModulus(1 + beta - alpha * lam, beta);

  // spectral.convergence_rate (one α, β): max over λ of `spectralRadius`.
  const heavyBallRate = (alpha, beta, eigenvalues) =>
    Math.max(...eigenvalues.map((lam) => spectralRadius(alpha, beta, lam)));

  // spectral.critical_damping: β = (1 − √(αλ))².
  const criticalDamping = (alpha, lam) => {
    const gap = 1 - Math.sqrt(alpha * lam);
    return gap * gap;
  };

  // spectral.nesterov_rate: trace (1 + β)(1 − αλ), determinant β(1 − αλ).
  const nesterovRate = (alpha, beta, eigenvalues) =>
    Math.max(
      ...eigenvalues.map((lam) => {
        const shrink = 1 - alpha * lam;
        return largestRootModulus((1 + beta) * shrink, beta * shrink);
      }),
    );

  // trajectories.orbit for one component: (y, x)ᵏ = Rᵏ(y⁰, x⁰), k = 0…steps, by doubling as there
  // (with Rʲ at hand, states 0…j−1 times Rʲ give states j…2j−1). Returns [y, x], each per state.
  const orbitStates = (R, y0, x0, steps) => {
    const y = new Float64Array(steps + 1);
    const x = new Float64Array(steps + 1);
    y[0] = y0;
    x[0] = x0;
    let [p00, p01, p10, p11] = R;
    let filled = 1;
    while (filled <= steps) {
      const block = Math.min(filled, steps + 1 - filled);
      for (let j = 0; j < block; j++) {
        y[filled + j] = p00 * y[j] + p01 * x[j];
        x[filled + j] = p10 * y[j] + p11 * x[j];
      }
      filled += block;
      if (filled <= steps) {
        [p00, p01, p10, p11] = [
          p00 * p00 + p01 * p10,
          p00 * p01 + p01 * p11,
          p10 * p00 + p11 * p10,
          p10 * p01 + p11 * p11,
        ];
      }
    }
    return [y, x];
  };

  // The x of each state of `orbitStates`.
  const orbit = (R, y0, x0, steps) => orbitStates(R, y0, x0, steps)[1];

  // trajectories.eigenbasis_errors (and Nesterov's): xᵏ = Qᵀ(wᵏ − w*) per eigencomponent, from `orbit`
  // with z⁰ = 0; from the first step with a value past the floats, every component reads Infinity
  // (trajectories._overflow_to_inf).
  const eigenErrors = (problem, matrixOf, alpha, beta, start, steps) => {
    const { eigenvalues: lam, eigenvectors: Q, w_star: wStar } = problem;
    const n = lam.length;
    const shifted = start.map((v, j) => v - wStar[j]);
    const x = lam.map((l, i) => {
      let x0 = 0;
      for (let j = 0; j < n; j++) x0 += shifted[j] * Q[j][i];
      return orbit(matrixOf(alpha, beta, l), 0, x0, steps);
    });
    const k = Array.from({ length: steps + 1 }, (_, k) => k).find((k) => x.some((c) => !Number.isFinite(c[k])));
    if (k !== undefined) for (const component of x) component.fill(Infinity, k);
    return x;
  };

  // Quadratic.from_eigenbasis: w = w* + Qx.
  const fromEigenbasis = (problem, x) =>
    problem.w_star.map((v, j) => v + x.reduce((sum, xi, i) => sum + xi * problem.eigenvectors[j][i], 0));

  // trajectories.heavy_ball / nesterov: the iterates wᵏ (rows), Infinity from an overflow on.
  const iterates = (problem, matrixOf, alpha, beta, start, steps) => {
    const x = eigenErrors(problem, matrixOf, alpha, beta, start, steps);
    const rows = [];
    let bad = false;
    for (let k = 0; k <= steps; k++) {
      const w = fromEigenbasis(problem, x.map((component) => component[k]));
      bad = bad || w.some((v) => !Number.isFinite(v));
      rows.push(bad ? w.fill(Infinity) : w);
    }
    return rows;
  };

  // trajectories.divergence_step: first k with a non-finite entry or one past `bound`; null if none.
  const divergenceStep = (rows, bound) => {
    const k = rows.findIndex((w) => w.some((v) => !(Number.isFinite(v) && Math.abs(v) <= bound)));
    return k < 0 ? null : k;
  };

  // trajectories.iterations_to_reach: first k with ‖wᵏ − w*‖ ≤ tol·‖w⁰ − w*‖ from then on; null if never.
  const iterationsToReach = (rows, target, tolerance) => {
    const error = rows.map((w) => Math.sqrt(w.reduce((s, v, j) => s + (v - target[j]) * (v - target[j]), 0)));
    const outside = error.map((e) => !(e <= tolerance * error[0]));
    if (outside[outside.length - 1]) return null;
    const last = outside.lastIndexOf(true);
    return last < 0 ? 0 : last + 1;
  };

  // spectral.iterations_to_tolerance: ⌈ln tol / ln rate⌉ (1 if rate is 0, ∞ if rate ≥ 1).
  const iterationsToTolerance = (rate, tolerance) =>
    rate >= 1 ? Infinity : rate <= 0 ? 1 : Math.ceil(Math.log(tolerance) / Math.log(rate));

  // Quadratic.f: ½wᵀAw − bᵀw.
  const loss = (problem, w) => {
    const { A, b } = problem;
    let quadratic = 0;
    let linear = 0;
    for (let i = 0; i < w.length; i++) {
      let row = 0;
      for (let j = 0; j < w.length; j++) row += A[i][j] * w[j];
      quadratic += w[i] * row;
      linear += w[i] * b[i];
    }
    return 0.5 * quadratic - linear;
  };

  // Python's format(x, ".{p}g") and format(x, ".{p}e"), as the served readouts write numbers. JavaScript
  // rounds a tie (the exact binary value halfway, as 1.0625 to 4 digits) away from zero, Python to even.
  const special = (x) => (Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf");
  const sciDigits = (x, digits) => {  // [sign, digits + 1 significant digits, exponent], ties to even
    const [mantissa, e] = x.toExponential(digits).split("e");
    let kept = mantissa.replace("-", "").replace(".", "");
    let exp = Number(e);
    const [exactMantissa, exactE] = x.toExponential(100).split("e");  // exact: a tie has few digits
    const exact = exactMantissa.replace("-", "").replace(".", "");
    const tie = exact[digits + 1] === "5" && /^0*$/.test(exact.slice(digits + 2));
    if (tie && Number(exact[digits]) % 2 === 0) [kept, exp] = [exact.slice(0, digits + 1), Number(exactE)];
    return [x < 0 ? "-" : "", kept, exp];
  };
  const exponent = (e) => (e < 0 ? "-" : "+") + String(Math.abs(e)).padStart(2, "0");
  const formatE = (x, digits) => {
    if (!Number.isFinite(x)) return special(x);
    const [sign, kept, exp] = sciDigits(x, digits);
    return sign + kept[0] + (digits > 0 ? "." + kept.slice(1) : "") + "e" + exponent(exp);
  };
  const formatG = (x, precision) => {
    if (!Number.isFinite(x)) return special(x);
    if (x === 0) return Object.is(x, -0) ? "-0" : "0";
    const [sign, kept, exp] = sciDigits(x, precision - 1);
    const strip = (text) => (text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text);
    if (exp < -4 || exp >= precision) return sign + strip(kept[0] + "." + kept.slice(1)) + "e" + exponent(exp);
    const fixed = exp >= 0 ? kept.slice(0, exp + 1) + "." + kept.slice(exp + 1) : "0." + "0".repeat(-exp - 1) + kept;
    return sign + strip(fixed);
  };
  // url_state.format_number / format_rate.
  const formatNumber = (x) => formatG(x, 4);
  const formatRate = (rate) => {
    if (!(Number.isFinite(rate) && rate <= 1e6)) return "> 10⁶";
    const shown = formatNumber(rate);
    const gap = 1 - rate;  // url_state.RATE_ROUND_OFF: within 1e-12 of 1, the rate reads "1"
    return shown === "1" && Math.abs(gap) > 1e-12 ? `1 ${gap > 0 ? "−" : "+"} ${formatG(Math.abs(gap), 2)}` : shown;
  };

  // figure.rows: an HTML table of (label, value) pairs.
  const rows = (pairs) => "<table>" + pairs.map(([l, v]) => `<tr><td>${l}</td><td>${v}</td></tr>`).join("") + "</table>";


  // Python's format(x, "g") (six significant digits).
  const formatShort = (x) => formatG(x, 6);


  // spectral.iteration_eigenvalues: σ₁,₂ = ½(t ± √Δ), t = 1 + β − αλ, Δ = t² − 4β, largest modulus
  // first (a stable sort: equal moduli keep the order, +i first for complex roots). [[re, im], [re, im]].
  const iterationEigenvalues = (alpha, beta, lam) => {
    const t = 1 + beta - alpha * lam;
    const disc = t * t - 4 * beta;
    if (disc < 0) {
      const s = Math.sqrt(-disc);
      return [[t / 2, s / 2], [t / 2, -s / 2]];
    }
    const s = Math.sqrt(disc);
    const [first, second] = [[(t + s) / 2, 0], [(t - s) / 2, 0]];
    return Math.abs(second[0]) > Math.abs(first[0]) ? [second, first] : [first, second];
  };

  // spectral.regime of one component: 0 ripples (Δ < 0), 1 monotone (t ≥ 0), 2 alternating, 3 diverges
  // (rate ≥ 1); and spectral.dominant_regime: the regime of the slowest component (first on a tie).
  const regime = (alpha, beta, lam) => {
    const t = 1 + beta - alpha * lam;
    const disc = t * t - 4 * beta;
    if (largestRootModulus(t, beta) >= 1) return 3;
    return disc < 0 ? 0 : t >= 0 ? 1 : 2;
  };
  const dominantRegime = (alpha, beta, eigenvalues) => {
    const rates = eigenvalues.map((lam) => spectralRadius(alpha, beta, lam));
    return regime(alpha, beta, eigenvalues[rates.indexOf(Math.max(...rates))]);
  };

  // spectral.optimal_parameters: α* = (2/(√λ₁ + √λₙ))², β* = ((√λₙ − √λ₁)/(√λₙ + √λ₁))².
  const optimalParameters = (lamMin, lamMax) => {
    const [rootMin, rootMax] = [Math.sqrt(lamMin), Math.sqrt(lamMax)];
    const alpha = 2 / (rootMin + rootMax);
    const beta = (rootMax - rootMin) / (rootMax + rootMin);
    return [alpha * alpha, beta * beta];
  };

  // spectral.momentum_optimal_rate: (√κ − 1)/(√κ + 1).
  const momentumOptimalRate = (kappa) => {
    const root = Math.sqrt(kappa);
    return (root - 1) / (root + 1);
  };

  // numpy.linspace(start, stop, num) as numpy computes it: i·step + start, the last point exactly stop.
  const linspace = (start, stop, num) => {
    const step = (stop - start) / (num - 1);
    return Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : i * step + start));
  };


  // noise.mix: Wellons' lowbias32 on 32-bit words (Math.imul multiplies modulo 2³², as numpy's uint32).
  const mix = (x) => {
    x >>>= 0;
    x ^= x >>> 16;
    x = Math.imul(x, 0x7feb352d);
    x ^= x >>> 15;
    x = Math.imul(x, 0x846ca68b);
    x ^= x >>> 16;
    return x >>> 0;
  };

  // noise.uniforms: the seed's uniforms on [0, 1), 53 bits from words 2i and 2i + 1.
  const uniforms = (seed, count) => {
    const key = mix((seed + 0x9e3779b9) % 2 ** 32);
    const word = (j) => mix((mix((j ^ key) >>> 0) + key) >>> 0);
    const u = new Float64Array(count);
    for (let i = 0; i < count; i++) u[i] = ((word(2 * i) >>> 5) * 2 ** 26 + (word(2 * i + 1) >>> 6)) / 2 ** 53;
    return u;
  };

  // noise.normal_noise: standard normal draws (steps × dim, row by row), Box–Muller on uniform pairs.
  const normalNoise = (seed, steps, dim) => {
    const count = steps * dim;
    const pairs = Math.floor((count + 1) / 2);
    const u = uniforms(seed, 2 * pairs);
    const draws = new Float64Array(2 * pairs);
    for (let i = 0; i < pairs; i++) {
      const radius = Math.sqrt(-2 * Math.log(1 - u[2 * i]));
      const angle = 2 * Math.PI * u[2 * i + 1];
      draws[2 * i] = radius * Math.cos(angle);
      draws[2 * i + 1] = radius * Math.sin(angle);
    }
    return Array.from({ length: steps }, (_, k) => draws.subarray(k * dim, (k + 1) * dim));
  };

  // stochastic._eigen_noise: σ·ξᵏ in the eigenbasis, ηᵏ = (σξᵏ)Q (noise.normal_noise: the same draws);
  // one seed's draws kept, and their η (a drag of α or β: the same noise every state; read only). A
  // step's draws do not depend on how many are drawn: a seed that needs more steps draws twice as many
  // as before (a drag of the steps draws a few times, not every state), and fewer steps take the first.
  let drawn = null;
  let rotated = null;
  const eigenNoise = (problem, noise, seed, steps) => {
    const dim = problem.b.length;
    if (!(drawn && drawn.seed === seed && drawn.steps >= steps && drawn.dim === dim)) {
      const more = drawn && drawn.seed === seed && drawn.dim === dim ? Math.max(steps, 2 * drawn.steps) : steps;
      drawn = { seed, steps: more, dim, xi: normalNoise(seed, more, dim) };
      rotated = null;
    }
    const Q = problem.eigenvectors;
    if (!(rotated && rotated.Q === Q && rotated.noise === noise)) {
      const eta = drawn.xi.map((row) => Q[0].map((_, i) => row.reduce((sum, v, j) => sum + noise * v * Q[j][i], 0)));
      rotated = { Q, noise, eta };
    }
    return rotated.eta.length === steps ? rotated.eta : rotated.eta.slice(0, steps);
  };

  // stochastic.affine_recursion of one eigencomponent, step by step (LAPACK's forward substitution is
  // this loop): (u, v)ᵏ⁺¹ = Mₖ(u, v)ᵏ + cₖ, `step(s)` giving [m00, m01, m10, m11, c0, c1]; the v's.
  const affineRun = (u0, v0, steps, step) => {
    const out = new Float64Array(steps + 1);
    let u = u0;
    out[0] = v0;
    for (let s = 0; s < steps; s++) {
      const [m00, m01, m10, m11, c0, c1] = step(s);
      const next = c0 + u * m00 + out[s] * m01;
      out[s + 1] = c1 + u * m10 + out[s] * m11;
      u = next;
    }
    return out;
  };

  // trajectories._overflow_to_inf for components (one array each): Infinity in every component from
  // the first step at which one is not finite.
  const infFromOverflow = (x) => {
    const steps = x[0].length;
    for (let s = 0; s < steps; s++) {
      if (x.some((c) => !Number.isFinite(c[s]))) {
        for (const c of x) c.fill(Infinity, s);
        break;
      }
    }
    return x;
  };

  // The start's error x⁰ = Qᵀ(w⁰ − w*) (Quadratic.to_eigenbasis).
  const toEigenbasis = ({ eigenvectors: Q, w_star: wStar }, w) =>
    Q[0].map((_, i) => w.reduce((sum, v, j) => sum + (v - wStar[j]) * Q[j][i], 0));

  // stochastic.scheduled_heavy_ball_errors: per component (y, x)ᵏ⁺¹ = Rₖ(y, x)ᵏ + (ηᵏ, −αₖηᵏ) from (0, x⁰),
  // Rₖ = [[βₖ, λ], [−αₖβₖ, 1 − αₖλ]]; the errors x per component.
  const scheduledErrors = (problem, start, alphas, betas, eta) => {
    const x0 = toEigenbasis(problem, start);
    return infFromOverflow(
      problem.eigenvalues.map((l, i) =>
        affineRun(0, x0[i], eta.length, (s) => {
          const [a, b, e] = [alphas[s], betas[s], eta[s][i]];
          return [b, l, -a * b, 1 - a * l, e, -a * e];
        }),
      ),
    );
  };

  // stochastic.scheduled_primal_averaging's errors: per component (u, v)ᵏ⁺¹ = [[1, −ηₖλ], [cₖ, 1 − cₖ −
  // cₖηₖλ]](u, v)ᵏ − ηₖζᵏ(1, cₖ) from (x⁰, x⁰); the errors v per component.
  const primalAveragingErrors = (problem, start, etas, cs, zeta) => {
    const x0 = toEigenbasis(problem, start);
    return infFromOverflow(
      problem.eigenvalues.map((l, i) =>
        affineRun(x0[i], x0[i], zeta.length, (s) => {
          const [e, c] = [etas[s], cs[s]];
          const kick = -e * zeta[s][i];
          return [1, -e * l, c, 1 - c - c * e * l, kick, c * kick];
        }),
      ),
    );
  };

  // stochastic.primal_averaging_schedule: ηₖ = αₖ/cₖ, 1/cₖ₋₁ = bₖ/cₖ + 1 backwards from 1/(1 − β_last),
  // bₖ = βₖαₖ/αₖ₋₁.
  const primalAveragingSchedule = (alphas, betas) => {
    const n = alphas.length;
    const inverse = new Float64Array(n);
    inverse[n - 1] = 1 / (1 - betas[n - 1]);
    for (let s = n - 1; s >= 1; s--) inverse[s - 1] = ((betas[s] * alphas[s]) / alphas[s - 1]) * inverse[s] + 1;
    const cs = Array.from(inverse, (v) => 1 / v);
    return [alphas.map((a, s) => a / cs[s]), cs];
  };

  // trajectories.eigenbasis_loss_gap: ½Σᵢλᵢxᵢ² per step (components as arrays).
  const lossGap = (lam, x) => Array.from(x[0], (_, s) => 0.5 * x.reduce((sum, c, i) => sum + c[s] * c[s] * lam[i], 0));

  // numpy.linalg.solve for one small system: LU with partial pivoting (LAPACK's dgesv), then the two
  // triangular solves.
  const solve = (A, b) => {
    const n = b.length;
    const a = A.map((row) => row.slice());
    const x = b.slice();
    for (let j = 0; j < n; j++) {
      let p = j;
      for (let i = j + 1; i < n; i++) if (Math.abs(a[i][j]) > Math.abs(a[p][j])) p = i;
      if (a[p][j] === 0) return null;  // singular
      [a[j], a[p]] = [a[p], a[j]];
      [x[j], x[p]] = [x[p], x[j]];
      const inverse = 1 / a[j][j];
      for (let i = j + 1; i < n; i++) {
        a[i][j] *= inverse;
        for (let c = j + 1; c < n; c++) a[i][c] -= a[i][j] * a[j][c];
      }
    }
    for (let i = 0; i < n; i++) for (let c = 0; c < i; c++) x[i] -= a[i][c] * x[c];
    for (let i = n - 1; i >= 0; i--) {
      for (let c = i + 1; c < n; c++) x[i] -= a[i][c] * x[c];
      x[i] /= a[i][i];
    }
    return x;
  };

  // stochastic.stationary_loss: Σᵢ ½λᵢE[xᵢ²], vec P = (I − R⊗R)⁻¹ vec(σ²bbᵀ), b = (1, −α); inf if the
  // run does not settle (rate ≥ 1 − 1e-9) or the solve fails.
  const stationaryLoss = (lam, alpha, beta, noise) => {
    if (!(heavyBallRate(alpha, beta, lam) < 1 - 1e-9)) return Infinity;
    const b = [1, -alpha];
    const right = [0, 1].flatMap((i) => [0, 1].map((j) => noise ** 2 * (b[i] * b[j])));
    let total = 0;
    for (const l of lam) {
      const R = heavyBallMatrix(alpha, beta, l);
      const r = (i, j) => R[2 * i + j];
      const system = [0, 1].flatMap((i) => [0, 1].map((kk) =>
        [0, 1].flatMap((j) => [0, 1].map((ll) => (i === j && kk === ll ? 1 : 0) - r(i, j) * r(kk, ll))),
      ));
      const P = solve(system, right);
      if (P === null) return Infinity;
      total += l * P[3];
    }
    total *= 0.5;
    return Number.isFinite(total) && total >= 0 ? total : Infinity;
  };

  // The value each slider sets (controls.slider and controls.apply_number): 10^v on a log track (tag
  // "log"), rounded for a whole-number parameter (tag "whole"); by the sliders' names.
  const readSliders = (sliders) =>
    Object.fromEntries(
      Object.entries(sliders).map(([name, slider]) => {
        const value = slider.tags.includes("log") ? 10 ** slider.value : slider.value;
        return [name, slider.tags.includes("whole") ? Math.round(value) : value];
      }),
    );

  // The inverse of readSliders, for a figure's buttons: each value put on its slider's track (log₁₀ v on a
  // log track), in the order given (each slider's change runs the module's update).
  const writeSliders = (sliders, values) => {
    for (const [name, value] of Object.entries(values)) {
      const slider = sliders[name];
      slider.value = slider.tags.includes("log") ? Math.log10(value) : value;
    }
  };

  // figure.set_html: Panel's HTML model carries its text escaped; the page decodes it once.
  const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

  // Figure.show_readout: a readout's HTML now, or, while changes come faster, at most every
  // READOUT_INTERVAL_MS (the latest text wins, and lands): a new table lays out the page again, which
  // would cost every state of a drag as much as its plot.
  const READOUT_INTERVAL_MS = 100;
  const readouts = new WeakMap();  // readout model → {time of its last write, text due, timer}
  const showReadout = (model, html) => {
    const state = readouts.get(model) || { written: -Infinity, due: null, timer: null };
    readouts.set(model, state);
    const write = () => {
      state.timer = null;
      state.written = performance.now();
      const text = escape(state.due);
      if (model.text !== text) model.text = text;
    };
    state.due = html;
    const wait = state.written + READOUT_INTERVAL_MS - performance.now();
    if (wait <= 0 && state.timer === null) write();
    else if (state.timer === null) state.timer = setTimeout(write, Math.max(wait, 0));
  };

  // figure.publish: shorter columns padded to the longest by repeating their last value.
  const pad = (columns) => {
    const length = Math.max(...Object.values(columns).map((c) => c.length));
    const padded = {};
    for (const [name, values] of Object.entries(columns)) {
      padded[name] = new Float64Array(length);
      padded[name].set(values);
      padded[name].fill(values[values.length - 1], values.length);
    }
    return padded;
  };

  // theme.padded_ends: an axis over [low, high] with the margin Bokeh's automatic range gives it.
  const paddedEnds = (low, high, log = false) => {
    if (log) {
      const [a, b] = [Math.log10(low), Math.log10(high)];
      const margin = b > a ? 0.05 * (b - a) : 0.5;
      return [10 ** (a - margin), 10 ** (b + margin)];
    }
    const margin = high > low ? 0.05 * (high - low) : 0.5 * (Math.abs(low) || 1);
    return [low - margin, high + margin];
  };

  return {
    paddedEnds, heavyBallMatrix, nesterovMatrix, largestRootModulus, spectralRadius, criticalDamping, heavyBallRate, nesterovRate, orbit, orbitStates, eigenErrors,
    fromEigenbasis, iterates, formatShort, divergenceStep, iterationsToReach, iterationsToTolerance, loss,
    formatE, formatG, formatNumber, formatRate, rows, pad, iterationEigenvalues, regime, dominantRegime,
    optimalParameters, momentumOptimalRate, linspace, escape, showReadout, uniforms, normalNoise, readSliders, writeSliders,
    eigenNoise, scheduledErrors, primalAveragingErrors, primalAveragingSchedule, lossGap, stationaryLoss, infFromOverflow,
  };
})()
