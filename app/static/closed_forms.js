// Closed forms for static copies: what /ravine, /nesterov and /decomposition compute, in the page.
//
// Used only by files written by `python -m app export`: the served app computes with momentum_core.
// Each function mirrors a momentum_core function named in its comment, operation for operation, so
// the numbers agree to round-off; tests/test_browser_closed_forms.py checks the whole figure state
// against momentum_core on random states (divergent and boundary ones included).
//
// The file is one expression: the export evaluates it once per page and keeps the result.
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

  // spectral.convergence_rate (one α, β): max over λ of max|σ(R)|, trace 1 + β − αλ, determinant β.
  const heavyBallRate = (alpha, beta, eigenvalues) =>
    Math.max(...eigenvalues.map((lam) => largestRootModulus(1 + beta - alpha * lam, beta)));

  // spectral.nesterov_rate: trace (1 + β)(1 − αλ), determinant β(1 − αλ).
  const nesterovRate = (alpha, beta, eigenvalues) =>
    Math.max(
      ...eigenvalues.map((lam) => {
        const shrink = 1 - alpha * lam;
        return largestRootModulus((1 + beta) * shrink, beta * shrink);
      }),
    );

  // trajectories.orbit for one component: (y, x)ᵏ = Rᵏ(y⁰, x⁰), k = 0…steps, by doubling as there
  // (with Rʲ at hand, states 0…j−1 times Rʲ give states j…2j−1). Returns the x of each state.
  const orbit = (R, y0, x0, steps) => {
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
    return x;
  };

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

  // figures.ravine.Ravine.update (and NesterovRavine's runs): every path's data, end label and readout
  // rows for one state. `spec` carries what Python fixes: the problem, the paths, texts and constants.
  const planeState = (spec, state) => {
    const { problem, paths, cut, tolerance, texts } = spec;
    const { alpha, beta, steps, x0, y0, showGd } = state;
    const start = [x0, y0];
    const columns = {};
    const labels = {};
    const readout = [];
    for (const [key, label, method] of paths) {
      const heavy = method === "heavy_ball" || method === "gradient_descent";
      const b = method === "gradient_descent" ? 0 : beta;
      const run = iterates(problem, heavy ? heavyBallMatrix : nesterovMatrix, alpha, b, start, steps);
      const rate = (heavy ? heavyBallRate : nesterovRate)(alpha, b, problem.eigenvalues);
      const leaves = divergenceStep(run, cut);
      const path = leaves === null ? run : run.slice(0, leaves);
      const left = leaves !== null;
      const shown = key !== "gd" || showGd;
      columns[`${key}_x`] = path.map((w) => w[0]);
      columns[`${key}_y`] = path.map((w) => w[1]);
      const end = path[path.length - 1];
      labels[key] = {
        x: end[0],
        y: end[1],
        text: left ? `leaves the view (step ${path.length})` : `after ${path.length - 1} steps`,
        visible: shown,
      };
      if (!shown) continue;
      if (left || rate >= 1) {
        const where = left ? ` (leaves the view at step ${path.length})` : "";
        readout.push([`<b>${label}</b>`, texts.diverges + where], ["rate max|σ(R)|", formatRate(rate)]);
        continue;
      }
      const gap = loss(problem, end) - problem.f_star;
      const predicted = iterationsToTolerance(rate, tolerance);
      const reached = iterationsToReach(path, problem.w_star, tolerance);
      readout.push(
        [`<b>${label}</b>`, texts.converges],
        [`f(w<sup>${steps}</sup>) − f*`, formatE(gap, 3)],
        ["rate max|σ(R)|", formatRate(rate)],
        [
          "steps to shrink the error 1000×",
          `${predicted.toFixed(0)} predicted, ` +
            (reached !== null ? `${reached} in this run` : `not within ${steps}`),
        ],
      );
    }
    return { columns: pad(columns), labels, readout: rows(readout) };
  };

  // Python's format(x, "g") (six significant digits).
  const formatShort = (x) => formatG(x, 6);

  // figures.decomposition.Decomposition.update: each eigencomponent's share ½λᵢ(xᵢᵏ)² of f(wᵏ) − f*
  // (trajectories.loss_contributions) from x⁰ = (1, …, 1), stacked into bands; the ranges, the
  // divergence marker and the readout rows for one state.
  const decompositionState = (spec, state) => {
    const { problem, cap, logFloor, bands } = spec;
    const { alpha, beta, steps, scale } = state;
    const lam = problem.eigenvalues;
    const n = lam.length;
    const start = fromEigenbasis(problem, lam.map(() => 1));
    const x = eigenErrors(problem, heavyBallMatrix, alpha, beta, start, steps);
    const parts = [];
    let bad = false;
    for (let k = 0; k <= steps; k++) {
      const row = lam.map((l, i) => 0.5 * l * x[i][k] ** 2);
      bad = bad || row.some((v) => !Number.isFinite(v));
      parts.push(bad ? row.fill(Infinity) : row);
    }
    const cut = divergenceStep(parts, cap * parts[0].reduce((a, b) => a + b, 0));
    const shown = cut === null ? parts : parts.slice(0, cut);
    const length = shown.length;
    const columns = { k: shown.map((_, k) => k) };
    const upper = shown.map((row) => {
      let sum = 0;
      return row.map((v) => (sum += v));
    });
    for (let i = 0; i < bands; i++) {
      if (i >= n) {
        columns[`lower${i}`] = columns[`upper${i}`] = [logFloor];
        continue;
      }
      const lower = upper.map((row, k) => row[i] - shown[k][i]);
      const floor = scale === "log" ? lower.map((v) => Math.max(v, logFloor)) : lower;
      columns[`lower${i}`] = floor;
      columns[`upper${i}`] = upper.map((row, k) => Math.max(row[i], floor[k]));
    }
    const total = upper.map((row) => Math.max(row[n - 1], logFloor));
    columns.total = total;
    const yRange =
      scale === "linear"
        ? [0, Math.max(...total) * 1.05]
        : [Math.max(Math.min(...total) / 3, logFloor), Math.max(...total) * 3];
    const rate = heavyBallRate(alpha, beta, lam);
    const componentRates = lam.map((l) => heavyBallRate(alpha, beta, [l]));
    const argmax = (values) => values.indexOf(Math.max(...values));
    const slowest = argmax(componentRates);
    const last = shown[length - 1];
    const largest = argmax(last);
    const status =
      rate >= 1 || cut !== null ? spec.texts.diverges + (cut ? ` (cut at step ${length - 1})` : "") : spec.texts.converges;
    const readout = rows([
      ["<b>Status</b>", status],
      ["rate max|σ(R)|", formatRate(rate)],
      ["rate per component", componentRates.map((r, i) => `λ${i + 1}: ${formatNumber(r)}`).join(", ")],
      ["slowest component (sets the rate)", `λ${slowest + 1} = ${formatShort(lam[slowest])}`],
      [`largest share at step ${length - 1}`, `λ${largest + 1} = ${formatShort(lam[largest])}`],
      [`f(w<sup>${length - 1}</sup>) − f*`, formatE(last.reduce((a, b) => a + b, 0), 3)],
    ]);
    return {
      columns: pad(columns),
      kRange: [0, Math.max(length - 1, 1)],
      yRange,
      marker: { visible: cut !== null, location: cut !== null ? length - 1 : 0 },
      readout,
    };
  };

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
    const rates = eigenvalues.map((lam) => largestRootModulus(1 + beta - alpha * lam, beta));
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

  // figures.regions: the κ-dependent layers of the (α, β) map. The rate image as colour codes
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
    betas.forEach((beta, row) => {
      const sqrtBeta = Math.sqrt(Math.max(beta, 0));
      alphas.forEach((alpha, column) => {
        let rate = 0;
        for (const l of lam) {
          const t = alpha * -l + (1 + beta);
          const disc = t * t - 4 * beta;
          rate = Math.max(rate, disc < 0 ? sqrtBeta : 0.5 * (Math.abs(t) + Math.sqrt(Math.abs(disc))));
        }
        const index =
          rate === 1 ? palette - 1 : Math.min(Math.max(Math.floor(((rate - low) * scale) / unit), -1), palette);
        codes[row * alphas.length + column] = index < 0 ? 0 : index >= palette ? diverged : index;
      });
    });
    const [labelAlphas, labelBetas] = [alphas, betas].map((values) => values.filter((_, i) => i % stride === 0));
    const cells = spec.regimes.map(() => []); // per regime: its [row, column] cells, row by row
    labelBetas.forEach((beta, row) =>
      labelAlphas.forEach((alpha, column) => cells[dominantRegime(alpha, beta, lam)].push([row, column])),
    );
    const labels = { x: [], y: [], text: [], align: [] };
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
    });
    const critical = lam.map((l) => {
      const xs = linspace(0, Math.min(spec.alphaMax, 4 / l), spec.criticalPoints);
      const ys = xs.map((a) => {
        const gap = 1 - Math.sqrt(a * l);
        return gap * gap;
      });
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

  // figures.regions.Regions.update: the roots of R for λ₁ and λₙ, the trace of one component from
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

  return {
    heavyBallMatrix, nesterovMatrix, largestRootModulus, heavyBallRate, nesterovRate, orbit, eigenErrors,
    fromEigenbasis, iterates, decompositionState, formatShort,
    divergenceStep, iterationsToReach, iterationsToTolerance, loss, formatE, formatG, formatNumber,
    formatRate, rows, planeState, pad, iterationEigenvalues, regime, dominantRegime,
    optimalParameters, momentumOptimalRate, linspace, regionsMap, regionsState,
  };
})()
