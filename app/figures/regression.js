// Page module of /regression (app/figures/regression.py): a polynomial fitted to the data by heavy ball
// from w = 0, eigenfeature by eigenfeature, computed in the page from the controls.
//
// Each eigenfeature φⱼ is fitted on its own: after k steps the share 1 − rₖ(λⱼ) of it, where rₖ(λⱼ) is
// the 2×2 recursion of its eigencomponent (trajectories.residual_factors). What Python fixes per
// degree — the Gram matrix's eigenvalues and eigenvectors, the least-squares weights cⱼ — is the spec.
//
// One expression: a function of the kernel (app/static/kernel.js) giving {read, state, paint} and the
// buttons' actions.
(k) => {
  "use strict";
  const {
    readSliders, writeSliders, heavyBallMatrix, orbit, heavyBallRate, linspace, formatNumber, formatRate, rows, pad, showReadout,
    infFromOverflow,
  } = k;

  // regression.saturate: finite values for the plot, ±inf and overflow at ±CAP.
  const saturate = (v, cap) => (Number.isNaN(v) ? cap : Math.min(Math.max(v, -cap), cap));

  // examples.eigenfeatures: φⱼ(ξ) = Σᵢ qᵢⱼ ξⁱ at each ξ, rows by ξ.
  const eigenfeatures = (Q, xi) =>
    xi.map((x) => {
      const powers = [1];
      for (let i = 1; i < Q.length; i++) powers.push(powers[i - 1] * x);
      return Q[0].map((_, j) => powers.reduce((sum, p, i) => sum + p * Q[i][j], 0));
    });

  // regression.factors: rₖ(λⱼ) for k = 0…steps (one array per component), Infinity in every component
  // from the first step past the floats (trajectories._overflow_to_inf); the last kept.
  let kept = null;
  const factors = (problem, alpha, beta, steps) => {
    if (kept && kept.problem === problem && kept.alpha === alpha && kept.beta === beta) return kept.r;
    const r = infFromOverflow(
      problem.eigenvalues.map((lam, j) => orbit(heavyBallMatrix(alpha, beta, lam), 0, problem.x0[j], steps)),
    );
    kept = { problem, alpha, beta, r };
    return r;
  };

  // The loops over steps are functions of their own: a loop this long inside `state` has the browser
  // compile `state` again for it (on-stack replacement), state after state.
  // The first step at which a component's |rₖ| passes `cap` (or is NaN), or null.
  const firstPast = (r, cap) => {
    for (let s = 0; s < r[0].length; s++) if (r.some((comp) => !(Math.abs(comp[s]) <= cap))) return s;
    return null;
  };
  // trajectories.iterations_to_reach on |rₖ|: the first k with |rₖ| ≤ 0.01|r₀| from then on (null: not
  // by the last step).
  const stepsToReach = (rj) => {
    let last = -1;
    for (let s = 0; s < rj.length; s++) if (!(Math.abs(rj[s]) <= 0.01 * Math.abs(rj[0]))) last = s;
    return last === rj.length - 1 ? null : last + 1;
  };

  // Per degree, what does not move with α, β, k or the data: the eigenfeatures at the plot's ξ.
  const drawn = new WeakMap();
  const features = (spec, problem) => {
    if (!drawn.has(problem)) {
      const xi = linspace(...spec.xi);
      drawn.set(problem, { xi, phi: eigenfeatures(problem.eigenvectors, xi) });
    }
    return drawn.get(problem);
  };

  // regression.on_grid: a value to 1/yScale, the float its text in a link reads as.
  const round = (v, scale) => Math.round(v * scale) / scale;
  const pointsKey = (ys) => ys.join(" ");

  // Regression.update: the fit and each part at k, the fitted shares over k, the readout.
  const state = (spec, { degree, iteration, alpha, beta, ys }) => {
    const { cap, maxSteps, kShown, components } = spec;
    const problem = spec.problems[degree - 1];
    const { eigenvalues: lam } = problem;
    const n = lam.length;
    const { xi, phi } = features(spec, problem);
    // regression.projection: the eigenfeatures' least-squares weights cⱼ = (Py)ⱼ for the data's values.
    const c = problem.projection.map((row) => row.reduce((sum, p, i) => sum + p * ys[i], 0));
    const targets = phi.map((row) => row.map((v, j) => v * c[j]));
    const r = factors(problem, alpha, beta, maxSteps);
    const cut = firstPast(r, cap);
    const shownK = cut === null ? kShown : kShown.filter((s) => Math.max(cut, 2) > s);
    const done = r.map((comp) => saturate(1 - comp[iteration], cap));
    const scaled = c.map((w, j) => w * done[j]);
    const columns = {
      xi,
      fit: phi.map((row) => saturate(row.reduce((sum, v, j) => sum + v * scaled[j], 0), cap)),
      k: shownK,
    };
    for (let j = 0; j < components; j++) {
      const inside = j < n;
      columns[`part${j}`] = inside ? phi.map((row) => saturate(row[j] * c[j] * done[j], cap)) : [0];
      columns[`fitted${j}`] = inside ? shownK.map((s) => saturate(1 - r[j][s], cap)) : [0];
    }
    const rate = heavyBallRate(alpha, beta, lam);
    const lines = [
      [`<b>${beta === 0 ? "gradient descent" : "momentum"}</b>`, rate < 1 ? spec.texts.converges : spec.texts.diverges],
      ["κ = λₙ/λ₁ of the Gram matrix ZᵀZ", formatNumber(lam[n - 1] / lam[0])],
      ["rate max|σ(R)|", formatRate(rate)],
      ["<b>eigenfeature</b>", `<b>fitted after ${iteration} steps · steps to 99 %</b>`],
    ];
    // Regression.share: how much of eigenfeature j is fitted after k steps.
    const shares = lam.map((_, j) =>
      cut !== null && iteration >= cut ? "diverged" : `${(100 * (1 - r[j][iteration])).toFixed(1)} %`);
    for (let j = n - 1; j >= 0; j--) {
      const share = shares[j];
      const reach = stepsToReach(r[j]);
      lines.push([`λ${j + 1} = ${formatNumber(lam[j])}`, `${share} · ${reach !== null ? reach : `> ${maxSteps}`}`]);
    }
    const best = targets.map((row) => row.reduce((sum, v) => sum + v, 0));
    const targetColumns = { xi, best };
    for (let j = 0; j < components; j++) targetColumns[`target${j}`] = j < n ? targets.map((row) => row[j]) : xi.map(() => 0);
    // regression.feature_reach: each eigenfeature's plot ±1.3 × its target's largest value.
    const reaches = lam.map((_, j) => Math.max(Math.max(...targets.map((row) => Math.abs(row[j]))) * 1.3, 1e-3));
    return {
      columns: pad(columns),
      degree,
      drawn: `${degree} ${pointsKey(ys)}`,
      reaches,
      // Every eigenfeature's plot: titled by its share, or (regression.absent_title) by the degree that brings it.
      titles: Array.from({ length: components }, (_, j) =>
        j < n ? `λ${j + 1} = ${formatNumber(lam[j])}: ${shares[j]}` : `λ${j + 1}: with degree ≥ ${j}`),
      targets: targetColumns,
      key: Object.fromEntries(Object.entries(spec.key).map(([name, values]) => [name, values.slice(0, n)])),
      iteration,
      readout: rows(lines),
    };
  };

  const read = (m) => ({ ...readSliders(m.sliders), ys: Array.from(m.data.data.y) });

  // As Regression.update sets its models (the targets, key and what is shown when the degree changed;
  // every eigenfeature's plot keeps its place).
  const shownDegree = new WeakMap();
  const paint = (m, result) => {
    if (shownDegree.get(m.targets) !== result.drawn) {
      shownDegree.set(m.targets, result.drawn);
      m.targets.data = result.targets;
      m.key.data = result.key;
      m.components.forEach((renderers, j) => {
        const inside = j < result.reaches.length;
        for (const renderer of renderers) renderer.visible = inside;
        if (inside) m.features[j][1].setv({ start: -result.reaches[j], end: result.reaches[j] });
      });
    }
    result.titles.forEach((title, j) => (m.features[j][0].text = title));
    m.frame.data = result.columns;
    m.marker.location = result.iteration;
    showReadout(m.readout, result.readout);
  };

  // The buttons: (α, β) as Regression.set_descent / set_optimal set them for this degree.
  const setting = (which) => (m, spec) => {
    const [alpha, beta] = spec.problems[Math.round(m.sliders.degree.value) - 1][which];
    writeSliders(m.sliders, { alpha, beta });
  };

  // A dragged point: held at its ξ, within ±yLimit, to 1/yScale (as the server keeps it). Written back
  // only when that moved it (the write runs this again, and then changes nothing).
  const dragged = (m, spec) => {
    const { x, y } = m.data.data;
    const fixed = Array.from(y, (v, i) => {
      const value = Number.isFinite(v) ? v : spec.dataY[i];
      return round(Math.min(Math.max(value, -spec.yLimit), spec.yLimit), spec.yScale);
    });
    const moved = fixed.some((v, i) => v !== y[i]) || spec.dataX.some((v, i) => v !== x[i]);
    if (moved) m.data.data = { x: spec.dataX.slice(), y: fixed };
  };
  const resetPoints = (m, spec) => {
    m.data.data = { x: spec.dataX.slice(), y: spec.dataY.slice() };
  };

  return { read, state, paint, dragged, resetPoints, descent: setting("descent"), optimal: setting("optimal") };
}
