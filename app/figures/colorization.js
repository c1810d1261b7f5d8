// Page module of /colorization (app/figures/colorization.py): gradient descent at its best step and the
// heavy ball at (α, β) spreading pixel 0's colour along a path of n pixels, computed in the page.
//
// The problem is f(w) = ½Σ(wᵢ − wᵢ₊₁)² + ½(w₀ − 1)² (examples.colorization): A = L + e₀e₀ᵀ is
// tridiagonal, so a run is its recursion step by step, O(n) a step, not an eigendecomposition of A.
// Its eigenvalues are known in closed form (examples.colorization_eigenvalues).
//
// One expression: a function of the kernel (app/static/kernel.js) giving {read, state, paint} and the
// button's action.
(k) => {
  "use strict";
  const { readSliders, paddedEnds, heavyBallRate, formatNumber, formatRate, rows, pad, showReadout } = k;

  // examples.colorization_eigenvalues: λₖ = 2 − 2cos((2k − 1)π/(2n + 1)), k = 1…n, ascending.
  const eigenvalues = (n) => Array.from({ length: n }, (_, i) => 2 - 2 * Math.cos(((2 * (i + 1) - 1) * Math.PI) / (2 * n + 1)));

  // trajectories.heavy_ball on A = L + e₀e₀ᵀ, b = e₀ from w⁰ = 0: zᵏ⁺¹ = βzᵏ + Awᵏ − b,
  // wᵏ⁺¹ = wᵏ − αzᵏ⁺¹; every iterate (rows of n, written into `w`), Infinity from an overflow on; and
  // ‖wᵏ − w*‖ (w* = 1) for every k.
  const run = (w, n, alpha, beta, steps) => {
    const errors = new Float64Array(steps + 1);
    const z = new Float64Array(n);
    w.fill(0, 0, n);
    errors[0] = Math.sqrt(n);
    let bad = false;
    for (let s = 0; s < steps; s++) {
      const row = s * n;
      const next = row + n;
      if (bad) {
        w.fill(Infinity, next, next + n);
        errors[s + 1] = Infinity;
        continue;
      }
      let squares = 0;
      for (let i = 0; i < n; i++) {
        const left = i > 0 ? w[row + i - 1] : 0;
        const right = i < n - 1 ? w[row + i + 1] : w[row + i];  // the last pixel has one neighbour
        const gradient = (i > 0 ? 2 * w[row + i] : 2 * w[row + i] - 1) - left - right;
        z[i] = beta * z[i] + gradient;
        const value = w[row + i] - alpha * z[i];
        w[next + i] = value;
        squares += (value - 1) * (value - 1);
      }
      errors[s + 1] = Math.sqrt(squares);
      if (!Number.isFinite(errors[s + 1])) {  // relative_errors: a norm past the floats reads inf
        errors[s + 1] = Infinity;
        bad = !w.subarray(next, next + n).every(Number.isFinite);
        if (bad) w.fill(Infinity, next, next + n);
      }
    }
    return { w, errors };
  };

  // Each method's iterates in a buffer of its own, made once for the most pixels and steps and reused
  // from run to run: a drag of n allocates no 1.6 MB of iterates a state (in Chromium such an allocation
  // took 10 ms, with the collections it sets off).
  const buffers = {};
  const iteratesOf = (which, spec, n) => {
    buffers[which] = buffers[which] || new Float64Array((spec.maxSteps + 1) * spec.maxPixels);
    return buffers[which].subarray(0, (spec.maxSteps + 1) * n);
  };

  // colorization._gradient_descent_run and _momentum_run, each the last one kept: dragging the
  // iteration only picks another row.
  const kept = { gd: null, momentum: null };
  const runOf = (which, spec, n, alpha, beta) => {
    const hit = kept[which];
    if (hit && hit.n === n && hit.alpha === alpha && hit.beta === beta) return hit.run;
    kept[which] = { n, alpha, beta, run: run(iteratesOf(which, spec, n), n, alpha, beta, spec.maxSteps) };
    return kept[which].run;
  };

  // trajectories.iterations_to_reach from the errors: first k with eᵏ ≤ tol·e⁰ from then on, or null.
  const reach = (errors, tolerance) => {
    let last = -1;
    for (let i = 0; i < errors.length; i++) if (!(errors[i] <= tolerance * errors[0])) last = i;
    if (last === errors.length - 1) return null;
    return last + 1;
  };

  // colorization.colour: four decimals (toFixed and Python's ".4f" both round the exact binary value;
  // they differ only on an exact tie, a multiple of 2⁻⁵ past the fourth decimal, which no run gives).
  const colour = (v) => {
    const text = v.toFixed(4);
    return text === "-0.0000" ? "0.0000" : text;
  };

  // Colorization.update: the pixel rows at k, both error curves (cut where they pass CAP), the
  // eigenvalues, the readout.
  const state = (spec, { pixels: n, iteration, alpha, beta }) => {
    const { cap, maxSteps, floor, texts } = spec;
    const lam = eigenvalues(n);
    const gdAlpha = 2 / (lam[0] + lam[n - 1]);
    const runs = { gd: runOf("gd", spec, n, gdAlpha, 0), momentum: runOf("momentum", spec, n, alpha, beta) };
    const columns = { k: Array.from({ length: maxSteps + 1 }, (_, i) => i) };
    const pixels = { x: Float64Array.from({ length: n }, (_, i) => i) }; // n long: a source of its own
    const last = [];
    const reached = [];
    const diverged = {};
    for (const [name, { w, errors }] of Object.entries(runs)) {
      const relative = errors.map((e) => e / errors[0]);
      let cut = relative.findIndex((e) => !(Number.isFinite(e) && Math.abs(e) <= cap));
      if (cut < 0) cut = relative.length;
      columns[`error_${name}`] = Array.from(relative.subarray(0, cut), (e) => Math.max(e, floor));
      const row = w.subarray(iteration * n, (iteration + 1) * n);
      if (cut < relative.length && iteration >= cut) {  // past the cut the row is noise of 10³⁰⁰
        pixels[name] = new Float64Array(n).fill(cap);
        diverged[name] = { x: (n - 1) / 2, text: `diverged at step ${cut}`, visible: true };
      } else {
        pixels[name] = Float64Array.from(row, (v) => (Number.isNaN(v) ? cap : Math.min(Math.max(v, -cap), cap)));
        diverged[name] = { visible: false };
      }
      last.push(row[n - 1]);
      reached.push(reach(errors, 1e-2));
    }
    const rate = heavyBallRate(alpha, beta, lam);
    const readout = rows([
      ["<b>Momentum</b>", rate < 1 ? texts.converges : texts.diverges],
      ["κ = λₙ/λ₁", formatNumber(lam[n - 1] / lam[0])],
      ["rate: gradient descent / momentum", `${formatRate(heavyBallRate(gdAlpha, 0, lam))} / ${formatRate(rate)}`],
      [`colour at the last pixel after ${iteration} steps`, last.map((v) => (Math.abs(v) < cap ? colour(v) : "diverged")).join(" / ")],
      ["steps to within 1 % of the answer", reached.map((r) => (r !== null ? String(r) : `> ${maxSteps}`)).join(" / ")],
    ]);
    return { columns: pad(columns), pixels, n, lam, iteration, diverged, readout };
  };

  const read = (m) => readSliders(m.sliders);

  // As Colorization.update sets its models (the eigenvalues and the pixel axis when n changed).
  const paint = (m, result) => {
    const { n } = result;
    if (m.eigen.data.k.length !== n) {
      m.eigen.data = { k: Array.from({ length: n }, (_, i) => i + 1), lam: result.lam };
      m.pixelRange.setv({ start: -0.5, end: n - 0.5 });
      const ends = [paddedEnds(1, n), paddedEnds(Math.min(...result.lam), Math.max(...result.lam), true)];
      ends.forEach(([start, end], i) => m.eigenRanges[i].setv({ start, end }));
    }
    m.frame.data = result.columns;
    m.pixels.data = result.pixels;
    m.marker.location = result.iteration;
    for (const [name, label] of Object.entries(result.diverged)) {
      m.diverged[name].setv(label);
      m.divergedRows[name].visible = label.visible; // the row in the grey of divergence
    }
    showReadout(m.readout, result.readout);
  };

  // The button: α and β at their optimum for these pixels, as Colorization.set_optimal sets them.
  const optimal = (m, spec) => {
    const [alpha, beta] = spec.optimal[Math.round(m.sliders.pixels.value) - 2];
    m.sliders.alpha.value = alpha;
    m.sliders.beta.value = beta;
  };

  return { read, state, paint, optimal, eigenvalues };
}
