"""Momentum with noisy gradients (Distill, "Stochastic gradients").

With gradients ∇f(wᵏ) + ξᵏ, ξᵏ ~ N(0, σ²I) i.i.d., the error first shrinks as in the exact run (the
transient phase) and then hovers at a noise floor (the fine-tuning phase).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .quadratic import Quadratic
from .spectral import convergence_rate, iteration_matrix
from .trajectories import _overflow_to_inf

Array = NDArray[np.float64]


def noisy_heavy_ball(
    problem: Quadratic, w0: ArrayLike, alpha: float, beta: float, steps: int, noise: float, seed: int = 0
) -> Array:
    """Iterates of zᵏ⁺¹ = βzᵏ + ∇f(wᵏ) + ξᵏ, wᵏ⁺¹ = wᵏ − αzᵏ⁺¹, z⁰ = 0; reproducible from `seed`."""
    if noise < 0:
        raise ValueError(f"noise must be ≥ 0, got {noise}.")
    xi = np.random.default_rng(seed).normal(scale=noise, size=(int(steps), problem.dim))
    w = np.array(w0, dtype=float)
    z = np.zeros_like(w)
    out = np.empty((int(steps) + 1, problem.dim))
    out[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(int(steps)):
            z = beta * z + problem.grad(w) + xi[k]
            w = w - alpha * z
            out[k + 1] = w
    return _overflow_to_inf(out)


def stationary_loss(problem: Quadratic, alpha: float, beta: float, noise: float) -> float:
    """Long-run E[f(w) − f*] = Σᵢ ½λᵢ E[xᵢ²] under gradient noise σ; inf if (α, β) does not converge.

    Per component the state s = (y, x) obeys s' = R s + b ξ with b = (1, −α), so its stationary
    covariance solves the discrete Lyapunov equation P = R P Rᵀ + σ² b bᵀ:
    vec P = (I − R ⊗ R)⁻¹ vec(σ² b bᵀ).
    """
    if (
        convergence_rate(alpha, beta, problem.eigenvalues) >= 1 - 1e-9
    ):  # no stationary state (or none in floats)
        return float("inf")
    b = np.array([1.0, -alpha])
    total = 0.0
    for lam in problem.eigenvalues:
        R = iteration_matrix(alpha, beta, lam)
        try:
            P = np.linalg.solve(np.eye(4) - np.kron(R, R), noise**2 * np.outer(b, b).ravel()).reshape(2, 2)
        except np.linalg.LinAlgError:
            return float("inf")
        total += 0.5 * lam * P[1, 1]
    return float(total) if np.isfinite(total) and total >= 0 else float("inf")
