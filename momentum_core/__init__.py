"""momentum_core: the exact maths behind Momentum Explorer (pure numpy, no UI).

Sources: G. Goh, "Why Momentum Really Works", Distill 2017; N. Qian, Neural Networks 1999;
A. Defazio 2020 (stochastic primal averaging); a textbook page on momentum (EMA view, κ table).
"""

from .ema import ema_half_life, ema_steps_for_weight, ema_weights, ema_window
from .physics import (
    continuous_roots,
    continuous_speedup,
    damping_regime,
    discrete_stable,
    gradient_flow_root,
    qian_experiment,
    qian_parameters,
)
from .quadratic import MAX_CONDITION_NUMBER, Quadratic
from .spectral import (
    REGIME_LABELS,
    Regime,
    convergence_rate,
    critical_damping,
    dominant_regime,
    gd_optimal_rate,
    iteration_matrix,
    iterations_to_tolerance,
    momentum_optimal_rate,
    nesterov_iteration_matrix,
    optimal_parameters,
    optimal_step_size,
    regime,
    spectral_radius,
    speedup_in_iterations,
    speedup_per_step,
    stability_limit,
)
from .trajectories import (
    diverged,
    divergence_step,
    eigenbasis_errors,
    gradient_descent,
    heavy_ball,
    loss_contributions,
    matrix_powers,
    nesterov,
    primal_averaging,
)

__all__ = [
    "MAX_CONDITION_NUMBER",
    "REGIME_LABELS",
    "Quadratic",
    "Regime",
    "continuous_roots",
    "continuous_speedup",
    "convergence_rate",
    "critical_damping",
    "damping_regime",
    "discrete_stable",
    "diverged",
    "divergence_step",
    "dominant_regime",
    "eigenbasis_errors",
    "ema_half_life",
    "ema_steps_for_weight",
    "ema_weights",
    "ema_window",
    "gd_optimal_rate",
    "gradient_descent",
    "gradient_flow_root",
    "heavy_ball",
    "iteration_matrix",
    "iterations_to_tolerance",
    "loss_contributions",
    "matrix_powers",
    "momentum_optimal_rate",
    "nesterov",
    "nesterov_iteration_matrix",
    "optimal_parameters",
    "optimal_step_size",
    "primal_averaging",
    "qian_experiment",
    "qian_parameters",
    "regime",
    "spectral_radius",
    "speedup_in_iterations",
    "speedup_per_step",
    "stability_limit",
]
