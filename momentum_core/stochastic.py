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


def _noise(noise: float, seed: int, steps: int, dim: int) -> Array:
    if noise < 0:
        raise ValueError(f"noise must be ≥ 0, got {noise}.")
    scale = float(noise) + 0.0  # numpy rejects -0.0 as "scale < 0"
    return np.random.default_rng(seed).normal(scale=scale, size=(int(steps), dim))


def _schedule(values: ArrayLike, name: str) -> Array:
    values = np.atleast_1d(np.asarray(values, dtype=float))
    if values.ndim != 1 or not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must be a 1-D list of finite numbers.")
    return values


def scheduled_heavy_ball(
    problem: Quadratic, w0: ArrayLike, alphas: ArrayLike, betas: ArrayLike, noise: float = 0.0, seed: int = 0
) -> Array:
    """zᵏ⁺¹ = βₖzᵏ + ∇f(wᵏ) + ξᵏ, wᵏ⁺¹ = wᵏ − αₖzᵏ⁺¹, z⁰ = 0, one (αₖ, βₖ) per step (SGD+M with schedules).

    ξᵏ ~ N(0, σ²I) drawn from `seed`: the same seed gives the same noise to every run.
    """
    alphas, betas = np.broadcast_arrays(_schedule(alphas, "alphas"), _schedule(betas, "betas"))
    xi = _noise(noise, seed, len(alphas), problem.dim)
    w = np.array(w0, dtype=float)
    z = np.zeros_like(w)
    out = np.empty((len(alphas) + 1, problem.dim))
    out[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for k, (alpha, beta) in enumerate(zip(alphas, betas, strict=True)):
            z = beta * z + problem.grad(w) + xi[k]
            w = w - alpha * z
            out[k + 1] = w
    return _overflow_to_inf(out)


def noisy_heavy_ball(
    problem: Quadratic, w0: ArrayLike, alpha: float, beta: float, steps: int, noise: float, seed: int = 0
) -> Array:
    """Iterates of zᵏ⁺¹ = βzᵏ + ∇f(wᵏ) + ξᵏ, wᵏ⁺¹ = wᵏ − αzᵏ⁺¹, z⁰ = 0; reproducible from `seed`."""
    constant = np.ones(int(steps))
    return scheduled_heavy_ball(problem, w0, alpha * constant, beta * constant, noise, seed)


def scheduled_primal_averaging(
    problem: Quadratic, x0: ArrayLike, etas: ArrayLike, cs: ArrayLike, noise: float = 0.0, seed: int = 0
) -> Array:
    """Stochastic primal averaging (Defazio 2020), z⁰ = x⁰:

    zᵏ⁺¹ = zᵏ − ηₖ(∇f(xᵏ) + ξᵏ),  xᵏ⁺¹ = (1 − cₖ)xᵏ + cₖzᵏ⁺¹.

    An SGD step on z, and x a running average of the z's. `primal_averaging_schedule` gives the
    (ηₖ, cₖ) whose iterates equal heavy ball's with (αₖ, βₖ), noise and all.
    """
    etas, cs = np.broadcast_arrays(_schedule(etas, "etas"), _schedule(cs, "cs"))
    xi = _noise(noise, seed, len(etas), problem.dim)
    x = np.array(x0, dtype=float)
    z = x.copy()
    out = np.empty((len(etas) + 1, problem.dim))
    out[0] = x
    with np.errstate(over="ignore", invalid="ignore"):
        for k, (eta, c) in enumerate(zip(etas, cs, strict=True)):
            z = z - eta * (problem.grad(x) + xi[k])
            x = (1 - c) * x + c * z
            out[k + 1] = x
    return _overflow_to_inf(out)


def primal_averaging(problem: Quadratic, x0: ArrayLike, eta: float, c: float, steps: int) -> Array:
    """Primal averaging with exact gradients and constant (η, c); η = α/(1 − β), c = 1 − β is heavy ball."""
    constant = np.ones(int(steps))
    return scheduled_primal_averaging(problem, x0, eta * constant, c * constant)


def primal_averaging_schedule(alphas: ArrayLike, betas: ArrayLike) -> tuple[Array, Array]:
    """(ηₖ, cₖ) of primal averaging with the same iterates as heavy ball with (αₖ > 0, 0 ≤ βₖ < 1).

    Heavy ball is wᵏ⁺¹ − wᵏ = −αₖgᵏ + bₖ(wᵏ − wᵏ⁻¹) with bₖ = βₖαₖ/αₖ₋₁; eliminating z from primal
    averaging gives −cₖηₖgᵏ + cₖ(1 − cₖ₋₁)/cₖ₋₁·(xᵏ − xᵏ⁻¹). So ηₖ = αₖ/cₖ and, solved backwards from
    c_last = 1 − β_last, cₖ₋₁ = cₖ/(bₖ + cₖ) (β₀ multiplies z⁰ = 0 and is free). Constant (α, β) gives
    c = 1 − β and η = α/(1 − β) (Defazio 2020).
    """
    alphas, betas = np.broadcast_arrays(_schedule(alphas, "alphas"), _schedule(betas, "betas"))
    if np.any(alphas <= 0) or np.any(betas[1:] < 0) or np.any(betas >= 1):
        raise ValueError("primal averaging needs α > 0 and 0 ≤ β < 1 at every step.")
    polyak_momentum = betas[1:] * alphas[1:] / alphas[:-1]  # bₖ, k ≥ 1
    cs = np.empty(len(betas))
    cs[-1] = 1.0 - betas[-1]
    for k in range(len(betas) - 1, 0, -1):
        cs[k - 1] = cs[k] / (polyak_momentum[k - 1] + cs[k])
    return alphas / cs, cs


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
