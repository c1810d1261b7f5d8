// Page module of /condition (app/figures/condition.py): at the optimal parameters for eigenvalues 1 and
// κ, both rates, β*, the steps to a tolerance and both speed-ups, computed in the page from the controls.
//
// One expression: a function of the kernel (app/static/kernel.js) giving {read, state, paint}.
(k) => {
  "use strict";
  const { readSliders, optimalParameters, momentumOptimalRate, iterationsToTolerance, formatG, formatNumber, rows, pad, showReadout } = k;

  // spectral.gd_optimal_rate: (κ − 1)/(κ + 1).
  const gdOptimalRate = (kappa) => (kappa - 1) / (kappa + 1);

  // Python's format(x, ",.0f") of a whole number (a step count): digits in threes, "inf" past the floats.
  const grouped = (x) =>
    Number.isFinite(x) ? BigInt(Math.round(x)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",") : "inf";

  // condition.iterations: steps to shrink the error 10^digits-fold at `rate`.
  const iterations = (rate, digits) => grouped(iterationsToTolerance(rate, 10 ** -digits));

  // condition.speedups: (per step, in iterations) as text; κ = 1 has both exact in one step.
  const speedups = (kappa) => {
    if (kappa <= 1) return ["— (both exact in one step)", "— (both exact in one step)"];
    const [gd, mom] = [gdOptimalRate(kappa), momentumOptimalRate(kappa)];
    return [`${formatG((1 - mom) / (1 - gd), 3)}×`, `${formatG(Math.log(mom) / Math.log(gd), 3)}×`];
  };

  // Condition.update: the markers on the curves and the readout.
  const state = (spec, { kappa, digits }) => {
    const [alpha, beta] = optimalParameters(1, kappa);
    const [gd, mom] = [gdOptimalRate(kappa), momentumOptimalRate(kappa)];
    const [perStep, inIterations] = speedups(kappa);
    const n = formatNumber;
    const readout = rows([
      ["eigenvalues", `λ₁ = 1, λₙ = κ = ${n(kappa)}`],
      ["optimal step-size, gradient descent", n(2 / (1 + kappa))],
      ["optimal (α*, β*), momentum", `(${n(alpha)}, ${n(beta)})`],
      ["rate ρ, gradient descent", n(gd)],
      ["rate ρ, momentum", n(mom)],
      [`steps to shrink the error 10<sup>${n(digits)}</sup>×: GD`, iterations(gd, digits)],
      ["… momentum", iterations(mom, digits)],
      ["speed-up per step (1 − ρ_mom)/(1 − ρ_GD)", perStep],
      ["speed-up in iterations ln ρ_mom / ln ρ_GD", inIterations],
    ]);
    return { columns: pad({ kappa: [kappa], gd: [gd], momentum: [mom], beta: [beta] }), readout };
  };

  const read = (m) => readSliders(m.sliders);

  const paint = (m, result) => {
    m.frame.data = result.columns;
    showReadout(m.readout, result.readout);
  };

  return { read, state, paint };
}
