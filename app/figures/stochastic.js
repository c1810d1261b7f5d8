// Page module of /stochastic (app/figures/stochastic.py): heavy ball and gradient descent with noisy
// gradients (the same noise, momentum_core.noise's counter-based draws of the seed), the exact run, the
// expected noise floors and the readout, computed in the page from the controls.
//
// One expression: a function of the kernel (app/static/kernel.js) giving {read, state, paint}.
(k) => {
  "use strict";
  const { heavyBallMatrix, heavyBallRate, eigenErrors, normalNoise, formatNumber, formatRate, rows, pad, showReadout } = k;

  // stochastic._eigen_noise: σ·ξᵏ in the eigenbasis, ηᵏ = (σξᵏ)Q; one seed's draws kept.
  let drawn = null;
  const eigenNoise = (problem, noise, seed, steps) => {
    if (!(drawn && drawn.seed === seed && drawn.steps >= steps && drawn.dim === problem.b.length)) {
      drawn = { seed, steps, dim: problem.b.length, xi: normalNoise(seed, steps, problem.b.length) };
    }
    const Q = problem.eigenvectors;
    return drawn.xi.slice(0, steps).map((row) =>
      Q[0].map((_, i) => row.reduce((sum, v, j) => sum + noise * v * Q[j][i], 0)),
    );
  };

  // stochastic.scheduled_heavy_ball_errors at constant (α, β): per component the affine recursion
  // (y, x)ᵏ⁺¹ = R(y, x)ᵏ + (ηᵏ, −αηᵏ) from (0, x⁰), step by step (LAPACK's forward substitution is this
  // loop); every component Infinity from the first step past the floats.
  const noisyErrors = (problem, start, alpha, beta, eta) => {
    const { eigenvalues: lam, eigenvectors: Q, w_star: wStar } = problem;
    const steps = eta.length;
    const x = lam.map((l, i) => {
      const [m00, m01, m10, m11] = heavyBallMatrix(alpha, beta, l);
      const out = new Float64Array(steps + 1);
      let y = 0;
      out[0] = start.reduce((sum, v, j) => sum + (v - wStar[j]) * Q[j][i], 0);
      for (let s = 0; s < steps; s++) {
        const e = eta[s][i];
        const next = e + y * m00 + out[s] * m01;
        out[s + 1] = -alpha * e + y * m10 + out[s] * m11;
        y = next;
      }
      return out;
    });
    const bad = Array.from({ length: steps + 1 }, (_, s) => s).find((s) => x.some((c) => !Number.isFinite(c[s])));
    if (bad !== undefined) for (const c of x) c.fill(Infinity, bad);
    return x;
  };

  // trajectories.eigenbasis_loss_gap: ½Σᵢλᵢxᵢ² per step.
  const lossGap = (lam, x) => x[0].map((_, s) => 0.5 * x.reduce((sum, c, i) => sum + c[s] * c[s] * lam[i], 0));

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

  // stochastic.transient_steps: first step the exact run's loss is at or below the floor, or null.
  const transientSteps = (exact, floor) => {
    const k = exact.findIndex((v) => v <= floor);
    return k < 0 ? null : k;
  };

  // Stochastic.update: three loss curves (cut where they pass CAP × the start), the floors, the
  // view and the readout.
  const state = (spec, { alpha, beta, noise, seed, steps }) => {
    const { problem, start, cap, floor, texts } = spec;
    const lam = problem.eigenvalues;
    const eta = eigenNoise(problem, noise, seed, steps);
    const runs = {
      momentum: lossGap(lam, noisyErrors(problem, start, alpha, beta, eta)),
      gd: lossGap(lam, noisyErrors(problem, start, alpha, 0, eta)),
      exact: lossGap(lam, eigenErrors(problem, heavyBallMatrix, alpha, beta, start, steps)),
    };
    const first = runs.exact[0];
    const floors = { momentum: stationaryLoss(lam, alpha, beta, noise), gd: stationaryLoss(lam, alpha, 0, noise) };
    const columns = {};
    for (const [name, gaps] of Object.entries(runs)) {
      let cut = gaps.findIndex((v) => !(Number.isFinite(v) && Math.abs(v) <= cap * first));
      if (cut < 0) cut = gaps.length;
      columns[name] = gaps.slice(0, cut).map((v) => Math.max(v, floor * first));
    }
    const length = Math.max(...Object.values(columns).map((c) => c.length));
    const visible = {};
    for (const name of ["momentum", "gd"]) {
      visible[name] = Number.isFinite(floors[name]) && floors[name] > 0;
      columns[`floor_${name}`] = new Array(length).fill(visible[name] ? Math.max(floors[name], floor * first) : first);
    }
    columns.k = Array.from({ length }, (_, i) => i);
    const rate = heavyBallRate(alpha, beta, lam);
    let lines;
    if (!Number.isFinite(floors.momentum)) {
      lines = [["<b>Momentum</b>", texts.diverges], ["rate", formatRate(rate)]];
    } else {
      const tail = runs.momentum.slice(-Math.max(Math.floor(runs.momentum.length / 5), 1));
      const transient = transientSteps(runs.exact, floors.momentum);
      const phase =
        noise === 0
          ? "no noise: no floor, the error keeps shrinking"
          : transient === null
            ? `longer than ${steps} steps`
            : `≈ ${transient} steps`;
      lines = [
        ["rate max|σ(R)| (transient)", formatRate(rate)],
        ["expected noise floor, momentum", formatNumber(floors.momentum)],
        ["expected noise floor, gradient descent", Number.isFinite(floors.gd) ? formatNumber(floors.gd) : "diverges"],
        ["mean of the last 20 % of this run", formatNumber(tail.reduce((s, v) => s + v, 0) / tail.length)],
        ["transient phase (exact run reaches the floor)", phase],
      ];
    }
    return {
      columns: pad(columns),
      visible,
      xRange: [0, steps],
      yRange: [noise === 0 ? floor * first * 1e8 : 1e-8, first * 10],
      readout: rows(lines),
    };
  };

  const read = (m) => ({
    alpha: 10 ** m.sliders.alpha.value,
    beta: m.sliders.beta.value,
    noise: m.sliders.noise.value,
    seed: Math.round(m.sliders.seed.value),
    steps: Math.round(m.sliders.steps.value),
  });

  // As Stochastic.update sets its models.
  const paint = (m, result) => {
    m.frame.data = result.columns;
    for (const [name, visible] of Object.entries(result.visible)) m.floors[name].visible = visible;
    m.xRange.setv({ start: result.xRange[0], end: result.xRange[1] });
    m.yRange.setv({ start: result.yRange[0], end: result.yRange[1] });
    showReadout(m.readout, result.readout);
  };

  return { read, state, paint };
}
