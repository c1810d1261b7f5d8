// Page module of /physics (app/figures/physics.py): the damped oscillator m w'' + μ w' = −k w, the massless
// flow, their discretisations (heavy ball with ε, p; plain steps ε₀), the speed-up curve, the stability
// triangle and Qian's experiment, computed in the page from the controls.
//
// One expression: a function of the kernel (app/static/kernel.js) giving {read, state, paint} and the
// button's action.
(k) => {
  "use strict";
  const { readSliders, writeSliders, heavyBallMatrix, orbit, spectralRadius, linspace, formatNumber, rows, pad, showReadout } = k;

  // Complex numbers as [re, im]: what physics.py's numpy complex arithmetic does, operation by operation.
  const cx = {
    add: ([a, b], [c, d]) => [a + c, b + d],
    sub: ([a, b], [c, d]) => [a - c, b - d],
    mul: ([a, b], [c, d]) => [a * c - b * d, a * d + b * c],
    div: ([a, b], [c, d]) => {  // Smith's algorithm, as numpy divides complex numbers
      if (Math.abs(c) >= Math.abs(d)) {
        const ratio = d / c;
        const denominator = c + d * ratio;
        return [(a + b * ratio) / denominator, (b - a * ratio) / denominator];
      }
      const ratio = c / d;
      const denominator = c * ratio + d;
      return [(a * ratio + b) / denominator, (b * ratio - a) / denominator];
    },
    exp: ([a, b]) => {
      const scale = Math.exp(a);
      return b === 0 ? [scale, 0] : [scale * Math.cos(b), scale * Math.sin(b)];
    },
    abs: ([a, b]) => Math.hypot(a, b),
  };

  // physics.qian_parameters: ε = Δt²/(m + μΔt), p = m/(m + μΔt).
  const qianParameters = (m, mu, dt) => {
    const denominator = m + mu * dt;
    return [(dt * dt) / denominator, m / denominator];
  };

  // physics.continuous_roots: λ₁,₂ = −μ/2m ± √(μ²/4m² − k/m), complex where underdamped.
  const continuousRoots = (m, mu, kk) => {
    const centre = -mu / (2 * m);
    const d = (mu / (2 * m)) ** 2 - kk / m;
    const root = d >= 0 ? [Math.sqrt(d), 0] : [0, Math.sqrt(-d)];
    return [cx.add([centre, 0], root), cx.sub([centre, 0], root)];
  };

  // physics.oscillator_path from w(0) = 1, w'(0) = 0 at the times t.
  const oscillatorPath = (m, mu, kk, t) => {
    const [slow, fast] = continuousRoots(m, mu, kk);
    if (cx.abs(cx.sub(slow, fast)) <= 1e-7 * Math.max(cx.abs(slow), 1e-300)) {
      const root = (slow[0] + fast[0]) / 2;
      return t.map((s) => (1 + (0 - root * 1) * s) * Math.exp(root * s));
    }
    const c1 = cx.div(cx.sub([0, 0], cx.mul(fast, [1, 0])), cx.sub(slow, fast));
    const c2 = cx.sub([1, 0], c1);
    return t.map((s) => {
      const a = cx.mul(c1, cx.exp(cx.mul(slow, [s, 0])));
      const b = cx.mul(c2, cx.exp(cx.mul(fast, [s, 0])));
      return a[0] + b[0];
    });
  };

  // physics.continuous_speedup: |Re λ₁| / |λ₀|, λ₀ = −k/μ.
  const speedup = (m, mu, kk) => Math.abs(continuousRoots(m, mu, kk)[0][0]) / Math.abs(-kk / mu);

  // physics.damping_regime (numpy.isclose with rtol 1e-12, atol 0).
  const dampingRegime = (m, mu, kk) => {
    const critical = (mu * mu) / (4 * m);
    if (Math.abs(kk - critical) <= 1e-12 * Math.abs(critical)) return "critical";
    return kk > critical ? "underdamped" : "overdamped";
  };

  // physics.discrete_stable: −1 < p < 1 and 0 < εk < 2 + 2p.
  const discreteStable = (epsilon, p, kk) => p > -1 && p < 1 && epsilon * kk > 0 && epsilon * kk < 2 + 2 * p;

  // physics.cut_at: the values up to the first not finite or past `bound` (at least one).
  const cutAt = (values, bound) => {
    const step = values.findIndex((v) => !(Number.isFinite(v) && Math.abs(v) <= bound));
    return step < 0 ? values : values.slice(0, Math.max(step, 1));
  };

  // Heavy ball along one direction of curvature λ from w⁰ (trajectories.heavy_ball on diag(λ), w* = 0):
  // the iterates, Infinity from the first step past the floats.
  const run = (lam, alpha, beta, w0, steps) => {
    const x = Array.from(orbit(heavyBallMatrix(alpha, beta, lam), 0, w0, steps));
    const bad = x.findIndex((v) => !Number.isFinite(v));
    return bad < 0 ? x : x.map((v, i) => (i < bad ? v : Infinity));
  };

  // numpy.geomspace(start, stop, num): 10 ** linspace(log₁₀ start, log₁₀ stop), the ends exact.
  const geomspace = (start, stop, num) => {
    const values = linspace(Math.log10(start), Math.log10(stop), num).map((v) => 10 ** v);
    values[0] = start;
    values[num - 1] = stop;
    return values;
  };

  // physics._complex: "a" for a real root, "a ± bi" otherwise.
  const complexText = ([re, im]) =>
    Math.abs(im) < 1e-12 ? formatNumber(re) : `${formatNumber(re)} ${im > 0 ? "+" : "−"} ${formatNumber(Math.abs(im))}i`;

  // Physics.update: every column, the ranges, marks and points, the readout.
  const state = (spec, { mass: m, friction: mu, dt, curvature: kk }) => {
    const { steps: STEPS, view, experiment, texts } = spec;
    const [epsilon, p] = qianParameters(m, mu, dt);
    const [epsilonPlain] = qianParameters(0, mu, dt);
    const [slow, fast] = continuousRoots(m, mu, kk);
    const decay = Math.min(Math.abs(slow[0]), kk / mu);  // Physics.steps_shown
    const count = Math.min(Math.max(Math.ceil(8 / (decay * dt)), 10), STEPS);
    const steps = cutAt(run(kk, epsilon, p, 1, count), view);
    const plain = cutAt(run(kk, epsilonPlain, 0, 1, count), view);
    const t = linspace(0, count * dt, 600);
    const critical = (mu * mu) / (4 * m);
    const kGrid = geomspace(critical / 100, critical * 100, 400);
    const norms = {};
    for (const [name, alpha, beta] of [["momentum", epsilon, p], ["plain", epsilonPlain, 0]]) {
      // physics.qian_experiment: diag(3, 30) from (1, 1); ‖wʲ‖ per step.
      const parts = experiment.curvatures.map((lam) => run(lam, alpha, beta, 1, STEPS));
      norms[name] = parts[0].map((_, j) => Math.sqrt(parts.reduce((s, part) => s + part[j] * part[j], 0)));
    }
    const columns = {
      t,
      continuous: oscillatorPath(m, mu, kk, t).map((v) => Math.min(Math.max(v, -view), view)),
      flow: t.map((s) => 1 * Math.exp((-kk / mu) * s)),
      t_steps: steps.map((_, j) => dt * j),
      steps,
      t_plain: plain.map((_, j) => dt * j),
      plain,
      k_grid: kGrid,
      speedup: kGrid.map((g) => speedup(m, mu, g)),
    };
    for (const [name, values] of Object.entries(norms)) {
      const shown = cutAt(values, 1e4).map((v) => Math.max(v, 1e-16));
      columns[`experiment_${name}`] = shown;
      columns[`j_${name}`] = shown.map((_, j) => j);
    }
    const stability = (eps, momentum) =>
      `${discreteStable(eps, momentum, kk) ? texts.converges : texts.diverges}, rate ${formatNumber(spectralRadius(eps, momentum, kk))}`;
    const diverged = (values) => values.some((v) => !(Number.isFinite(v) && Math.abs(v) <= 1e4));
    const n = formatNumber;
    const readout = rows([
      ["ε = Δt²/(m + μΔt), p = m/(m + μΔt)", `${n(epsilon)}, ${n(p)}`],
      ["oscillator", `${dampingRegime(m, mu, kk)}; λ₁,₂ = ${complexText(slow)}, ${complexText(fast)}`],
      ["massless flow λ₀ = −k/μ", n(-kk / mu)],
      ["speed-up |Re λ₁|/|λ₀|", `${n(speedup(m, mu, kk))} (> 1 iff k < μ²/2m = ${n((mu * mu) / (2 * m))})`],
      ["peak 2× at critical damping k = μ²/4m", n(critical)],
      ["heavy ball, εk = " + n(epsilon * kk), stability(epsilon, p)],
      ["plain steps, ε₀k = " + n(epsilonPlain * kk), stability(epsilonPlain, 0)],
      [
        "Qian's experiment (k = 3, 30)",
        [["heavy ball", norms.momentum], ["plain", norms.plain]]
          .map(([name, values]) => `${name}: ${diverged(values) ? "diverges" : "converges"}`)
          .join("; "),
      ],
    ]);
    return {
      columns: pad(columns),
      time: count * dt,
      kRange: [kGrid[0], kGrid[kGrid.length - 1]],
      marks: { critical, limit: 2 * critical, k: kk },
      points: { x: [epsilon * kk, epsilonPlain * kk], y: [p, 0] },
      readout,
    };
  };

  const read = (m) => readSliders(m.sliders);

  // As Physics.update sets its models.
  const paint = (m, result) => {
    m.frame.data = result.columns;
    m.timeRange.setv({ start: 0, end: result.time });
    m.kRange.setv({ start: result.kRange[0], end: result.kRange[1] });
    for (const [name, location] of Object.entries(result.marks)) m.marks[name].location = location;
    m.points.data = { ...Object.fromEntries(m.points.data instanceof Map ? m.points.data : Object.entries(m.points.data)), ...result.points };
    showReadout(m.readout, result.readout);
  };

  // The button: Qian's experiment (Physics.set_experiment).
  const experiment = (m, spec) => {
    writeSliders(m.sliders, spec.experiment.settings);
  };

  return { read, state, paint, experiment };
}
