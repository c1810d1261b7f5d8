// Page module of /formulations (app/figures/formulations.py): the heavy ball as Polyak, PyTorch, Keras
// and the EMA form write it, each run step by step with its converted settings, against heavy_ball in
// closed form; the EMA weights and marks; computed in the page from the controls.
//
// One expression: a function of the kernel (app/static/kernel.js) giving {read, state, paint}.
(k) => {
  "use strict";
  const { readSliders, heavyBallMatrix, heavyBallRate, iterates, divergenceStep, formatE, formatNumber, formatRate, rows, pad, showReadout } =
    k;

  // formulations.equivalent_settings: each spelling's hyper-parameters, as (name, value) pairs.
  const equivalentSettings = (alpha, beta) => ({
    polyak: [["alpha", alpha], ["beta", beta]],
    pytorch: [["lr", alpha], ["momentum", beta]],
    keras: [["learning_rate", alpha], ["momentum", beta]],
    ema: [["lr", alpha / (1 - beta)], ["beta", beta]],
  });

  // Each library's update (w, state, g) → [w, state] with its settings (formulations.polyak, …).
  const UPDATES = {
    polyak: ([alpha, beta]) => (w, last, g) => {
      const step = w.map((_, j) => -alpha * g[j] + beta * last[j]);
      return [w.map((v, j) => v + step[j]), step];
    },
    pytorch: ([lr, momentum]) => (w, buf, g) => {
      const next = buf.map((v, j) => momentum * v + g[j]);
      return [w.map((v, j) => v - lr * next[j]), next];
    },
    keras: ([rate, momentum]) => (w, v, g) => {
      const next = v.map((u, j) => momentum * u - rate * g[j]);
      return [w.map((u, j) => u + next[j]), next];
    },
    ema: ([lr, beta]) => (w, v, g) => {
      const next = v.map((u, j) => beta * u + (1 - beta) * g[j]);
      return [w.map((u, j) => u - lr * next[j]), next];
    },
  };

  // Quadratic.grad: Aw − b (w as a row: Σⱼ wⱼAⱼᵢ − bᵢ).
  const grad = ({ A, b }, w) => b.map((bi, i) => w.reduce((sum, wj, j) => sum + wj * A[j][i], 0) - bi);

  // formulations._run: w⁰ and `steps` updates; from the first row past the floats every entry is inf.
  const run = (problem, start, steps, update) => {
    let w = start.slice();
    let state = w.map(() => 0);
    const out = [w];
    for (let i = 0; i < steps; i++) {
      [w, state] = update(w, state, grad(problem, w));
      out.push(w);
    }
    const bad = out.findIndex((row) => row.some((v) => !Number.isFinite(v)));
    if (bad >= 0) for (let i = bad; i < out.length; i++) out[i] = out[i].map(() => Infinity);
    return out;
  };

  // ema.ema_half_life, ema_window, ema_steps_for_weight (0 ≤ β < 1).
  const halfLife = (beta) => (beta === 0 ? 0 : Math.log(0.5) / Math.log(beta));
  const windowOf = (beta) => 1 / (1 - beta);
  const stepsForWeight = (beta, fraction) => {
    if (beta === 0) return 1;
    let n = Math.ceil(Math.log(1 - fraction) / Math.log(beta));
    while (1 - beta ** (n - 1) >= fraction && n > 1) n -= 1;
    while (1 - beta ** n < fraction) n += 1;
    return n;
  };

  // formulations.gradients: "1 gradient", "22 gradients" (a whole count as Python's str, a float as .4g).
  const gradients = (count) => `${formatNumber(count)} gradient${count === 1 ? "" : "s"}`;

  // The largest |a − b| over two runs' rows (NaN where both are inf at once: numpy's max propagates it).
  const largestGap = (runA, runB) => {
    let gap = -Infinity;
    for (let i = 0; i < runA.length; i++) {
      for (let j = 0; j < runA[i].length; j++) {
        const d = Math.abs(runA[i][j] - runB[i][j]);
        if (Number.isNaN(d)) return NaN;
        if (d > gap) gap = d;
      }
    }
    return gap;
  };

  // Formulations.update: the four paths, the EMA weights, marks and view, the readout.
  const state = (spec, { alpha, beta, steps }) => {
    const { problem, start, cut, spellings, maxLag, texts } = spec;
    const settings = equivalentSettings(alpha, beta);
    const runs = {};
    const columns = {};
    for (const [key] of spellings) {
      runs[key] = run(problem, start, steps, UPDATES[key](settings[key].map(([, v]) => v)));
      const leaves = divergenceStep(runs[key], cut);
      const path = leaves === null ? runs[key] : runs[key].slice(0, leaves);
      columns[`${key}_x`] = path.map((w) => w[0]);
      columns[`${key}_y`] = path.map((w) => w[1]);
    }
    const lag = Array.from({ length: maxLag }, (_, j) => j);
    const weights = { lag, weight: lag.map((j) => beta ** j) }; // a bar a lag: a source of its own
    const [life, window] = [halfLife(beta), windowOf(beta)];
    const reference = iterates(problem, heavyBallMatrix, alpha, beta, start, steps);
    const rate = heavyBallRate(alpha, beta, problem.eigenvalues);
    const lines = [
      ["<b>heavy ball (α, β)</b>", `${rate < 1 ? texts.converges : texts.diverges}, rate ${formatRate(rate)}`],
      ["<b>spelling · update</b>", "<b>settings · max |w − heavy ball|</b>"],
    ];
    for (const [key, name, rule] of spellings) {
      const values = settings[key].map(([n, v]) => `${n} = ${formatNumber(v)}`).join(", ");
      const gap = largestGap(runs[key], reference);
      const shown = Number.isFinite(gap) ? formatE(gap, 1) : "both diverge";
      lines.push([`<b>${name}</b>: <code>${rule}</code>`, `${values} · ${shown}`]);
    }
    lines.push(
      ["half-life ln 0.5 / ln β", `${formatNumber(life)} steps`],
      ["effective window 1/(1 − β)", gradients(window)],
      ["90 % of the weight in the last", gradients(stepsForWeight(beta, 0.9))],
    );
    const lagEnd = Math.min(Math.max(3 * window, 10), maxLag);
    return { columns: pad(columns), weights, halfLife: life, window, lagEnd, readout: rows(lines) };
  };

  const read = (m) => readSliders(m.sliders);

  // As Formulations.update sets its models.
  const paint = (m, result) => {
    m.frame.data = result.columns;
    m.weights.data = result.weights;
    m.marks.half_life.location = result.halfLife;
    m.marks.window.location = result.window;
    m.lags.setv({ start: -0.5, end: result.lagEnd });
    showReadout(m.readout, result.readout);
  };

  return { read, state, paint };
}
