// Page module of /ravine and /nesterov (app/figures/ravine.py, nesterov.py): heavy ball, gradient
// descent or Nesterov on a 2-D quadratic, computed in the page from the controls.
//
// One expression: a function of the kernel (app/static/kernel.js) giving {read, state, paint}.
(k) => {
  "use strict";
  const {
    readSliders, heavyBallMatrix, nesterovMatrix, heavyBallRate, nesterovRate, iterates, divergenceStep, loss,
    iterationsToTolerance, iterationsToReach, formatE, formatRate, rows, pad, showReadout,
  } = k;

  // Ravine.update (and NesterovRavine's runs): every path's data, end label and readout rows for one
  // state. `spec` carries what Python fixes: the problem, the paths, texts and constants.
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

  const read = (m) => ({
    ...readSliders(m.sliders),
    x0: m.start.data.x[0],
    y0: m.start.data.y[0],
    showGd: m.show_gd === null ? false : m.show_gd.active,
  });

  // A click on the plot moves the start there, clamped to the view as Ravine._move_start does.
  const moveStart = (m, spec, event, update) => {
    if (!(Number.isFinite(event.x) && Number.isFinite(event.y))) return;
    const clip = (v, [low, high]) => Math.min(Math.max(v, low), high);
    m.start.data = { x: [clip(event.x, spec.x_range)], y: [clip(event.y, spec.y_range)], label: [spec.start_label] };
    update();
  };

  // As Ravine.update sets its models.
  const paint = (m, result) => {
    m.frame.data = result.columns;
    for (const [key, label] of Object.entries(result.labels)) {
      m.labels[key].setv({ x: label.x, y: label.y, text: label.text, visible: label.visible });
      for (const renderer of m.renderers[key]) renderer.visible = label.visible;
    }
    showReadout(m.readout, result.readout);
  };

  return { read, state: planeState, paint, moveStart };
}
