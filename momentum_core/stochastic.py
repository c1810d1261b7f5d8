"""Momentum with noisy gradients (Distill, "Stochastic gradients").

With gradients ∇f(wᵏ) + ξᵏ, ξᵏ ~ N(0, σ²I) i.i.d., the error first shrinks as in the exact run (the
transient phase) and then hovers at a noise floor (the fine-tuning phase).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .quadratic import Quadratic
from .spectral import convergence_rate, iteration_matrix, matrices_2x2
from .trajectories import _to_parameter_space

Array = NDArray[np.float64]


def _noise(noise: float, seed: int, steps: int, dim: int) -> Array:
    if noise < 0:
        raise ValueError(f"noise must be ≥ 0, got {noise}.")
    scale = float(noise) + 0.0  # numpy rejects -0.0 as "scale < 0"
    return np.random.default_rng(seed).normal(scale=scale, size=(int(steps), dim))


def _schedule(values: ArrayLike, name: str) -> Array:
    values = np.atleast_1d(np.asarray(values, dtype=float))
    if values.shape[-1] == 0 or not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must be a list of finite numbers (one per step; a row per run).")
    return values


def scheduled_heavy_ball(
    problem: Quadratic, w0: ArrayLike, alphas: ArrayLike, betas: ArrayLike, noise: float = 0.0, seed: int = 0
) -> Array:
    """zᵏ⁺¹ = βₖzᵏ + ∇f(wᵏ) + ξᵏ, wᵏ⁺¹ = wᵏ − αₖzᵏ⁺¹, z⁰ = 0, one (αₖ, βₖ) per step (SGD+M with schedules).

    ξᵏ ~ N(0, σ²I) drawn from `seed`: the same seed gives the same noise to every run. Schedules of shape
    (runs…, K) give every run at once, (runs…, K + 1, n), all with the same noise.

    In the eigenbasis (yᵏ = Qᵀzᵏ, xᵏ = Qᵀ(wᵏ − w*), ηᵏ = Qᵀξᵏ) each component is the affine recursion
    (y, x)ᵏ⁺¹ = [[βₖ, λ], [−αₖβₖ, 1 − αₖλ]](y, x)ᵏ + (ηᵏ, −αₖηᵏ) (Distill's R, plus the noise), solved
    for every step by `affine_recursion`.
    """
    alphas, betas = np.broadcast_arrays(_schedule(alphas, "alphas"), _schedule(betas, "betas"))
    lam = problem.eigenvalues
    eta = _noise(noise, seed, alphas.shape[-1], problem.dim) @ problem.eigenvectors  # (K, n)
    a, b = (np.moveaxis(v, -1, 0)[..., None] for v in (alphas, betas))  # (K, runs…, 1)
    maps = matrices_2x2(b, lam, -a * b, 1 - a * lam)
    shifts = np.stack(np.broadcast_arrays(_per_run(eta, a), -a * _per_run(eta, a)), axis=-1)
    start = np.stack([np.zeros(problem.dim), problem.to_eigenbasis(w0)], axis=-1)
    errors = affine_recursion(maps, shifts, np.broadcast_to(start, maps.shape[1:-1]))[..., 1]
    return _iterates(problem, errors)


def _per_run(values: Array, like: Array) -> Array:
    """(K, n) values broadcast over the run axes of `like` (K, runs…, 1) → (K, runs…, n)."""
    return values.reshape(values.shape[:1] + (1,) * (like.ndim - 2) + values.shape[1:])


def _iterates(problem: Quadratic, errors: Array) -> Array:
    """Eigenbasis errors (K + 1, runs…, n) → iterates (runs…, K + 1, n), inf from each run's overflow on."""
    return np.moveaxis(_to_parameter_space(problem, errors, run_axes=errors.ndim - 2), 0, -2)


def affine_recursion(maps: ArrayLike, shifts: ArrayLike, start: ArrayLike) -> Array:
    """s⁰ = start, sᵏ⁺¹ = Mₖsᵏ + cₖ for k < K: every state, (K + 1, …, m), from M (K, …, m, m), c (K, …, m).

    In blocks of about √K steps instead of K Python steps: a parallel prefix (Hillis–Steele) inside every
    block at once composes, for each step, the map from its block's first state (⌈log₂ √K⌉ whole-array
    passes); one short loop then carries the state from block to block, and one pass applies each
    block's first state to its maps. The same numbers as the loop up to round-off. The small matrices
    are kept as m² arrays of entries: products of whole arrays, not of many 2×2s.
    """
    maps, shifts = np.asarray(maps, dtype=float), np.asarray(shifts, dtype=float)
    s0 = np.asarray(start, dtype=float)
    steps, m = len(maps), maps.shape[-1]
    if steps == 0:
        return s0[None].copy()
    size = max(1, round(steps**0.5))
    blocks = -(-steps // size)
    pad = blocks * size - steps  # identity maps, no shift: the padded steps change nothing
    identity = np.broadcast_to(np.eye(m), (pad, *maps.shape[1:]))
    maps = np.concatenate([maps, identity]).reshape(blocks, size, *maps.shape[1:])
    shifts = np.concatenate([shifts, np.zeros((pad, *shifts.shape[1:]))]).reshape(
        blocks, size, *shifts.shape[1:]
    )
    P = [[np.ascontiguousarray(maps[..., i, j]) for j in range(m)] for i in range(m)]  # fast whole-array ops
    q = [np.ascontiguousarray(shifts[..., i]) for i in range(m)]
    offset = 1
    with np.errstate(over="ignore", invalid="ignore"):
        while offset < size:  # inside every block at once (axis 1)
            later = [[P[i][j][:, offset:] for j in range(m)] for i in range(m)]
            earlier = [[P[i][j][:, :-offset] for j in range(m)] for i in range(m)]
            moved = [sum(later[i][n] * q[n][:, :-offset] for n in range(m)) for i in range(m)]
            product = [
                [sum(later[i][n] * earlier[n][j] for n in range(m)) for j in range(m)] for i in range(m)
            ]
            for i in range(m):
                q[i][:, offset:] += moved[i]
                for j in range(m):
                    P[i][j][:, offset:] = product[i][j]
            offset *= 2
        firsts = [s0[..., i] for i in range(m)]  # each block's first state, block by block
        block_starts = []
        for b in range(blocks):
            block_starts.append(firsts)
            firsts = [sum(P[i][j][b, -1] * firsts[j] for j in range(m)) + q[i][b, -1] for i in range(m)]
        starts = [np.stack([first[i] for first in block_starts])[:, None] for i in range(m)]
        states = np.stack([sum(P[i][j] * starts[j] for j in range(m)) + q[i] for i in range(m)], axis=-1)
    states = states.reshape(blocks * size, *states.shape[2:])[:steps]
    return np.concatenate([s0[None], states])


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
    (ηₖ, cₖ) whose iterates equal heavy ball's with (αₖ, βₖ), noise and all. Schedules (runs…, K) give
    every run at once, as in `scheduled_heavy_ball`; in the eigenbasis (u = Qᵀ(z − w*), v = Qᵀ(x − w*),
    ζ = Qᵀξ) each component is (u, v)ᵏ⁺¹ = [[1, −ηλ], [c, 1 − c − cηλ]](u, v)ᵏ − ηζ(1, c).
    """
    etas, cs = np.broadcast_arrays(_schedule(etas, "etas"), _schedule(cs, "cs"))
    lam = problem.eigenvalues
    zeta = _noise(noise, seed, etas.shape[-1], problem.dim) @ problem.eigenvectors
    e, c = (np.moveaxis(v, -1, 0)[..., None] for v in (etas, cs))
    maps = matrices_2x2(1.0, -e * lam, c, 1 - c - c * e * lam)
    kick = -e * _per_run(zeta, e)
    shifts = np.stack(np.broadcast_arrays(kick, c * kick), axis=-1)
    x0 = problem.to_eigenbasis(x0)
    start = np.broadcast_to(np.stack([x0, x0], axis=-1), maps.shape[1:-1])
    return _iterates(problem, affine_recursion(maps, shifts, start)[..., 1])


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
    if np.any(alphas <= 0) or np.any(betas[..., 1:] < 0) or np.any(betas >= 1):
        raise ValueError("primal averaging needs α > 0 and 0 ≤ β < 1 at every step.")
    polyak_momentum = betas[..., 1:] * alphas[..., 1:] / alphas[..., :-1]  # bₖ, k ≥ 1
    # 1/cₖ₋₁ = bₖ/cₖ + 1: an affine recursion run backwards from 1/c_last.
    backwards = np.moveaxis(polyak_momentum[..., ::-1], -1, 0)[..., None, None]
    inverse = affine_recursion(backwards, np.ones(backwards.shape[:-1]), 1 / (1.0 - betas[..., -1:]))
    cs = 1 / np.moveaxis(inverse[..., 0], 0, -1)[..., ::-1]
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
