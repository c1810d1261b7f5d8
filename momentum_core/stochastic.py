"""Momentum with noisy gradients (Distill, "Stochastic gradients").

With gradients ∇f(wᵏ) + ξᵏ, ξᵏ ~ N(0, σ²I) i.i.d., the error first shrinks as in the exact run (the
transient phase) and then hovers at a noise floor (the fine-tuning phase).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .noise import normal_noise
from .quadratic import Quadratic
from .spectral import convergence_rate, iteration_matrix, matrices_2x2
from .trajectories import _overflow_to_inf, _to_parameter_space

Array = NDArray[np.float64]


def _noise(noise: float, seed: int, steps: int, dim: int) -> Array:
    if noise < 0:
        raise ValueError(f"noise must be ≥ 0, got {noise}.")
    return float(noise) * normal_noise(seed, steps, dim)


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
    return _iterates(problem, scheduled_heavy_ball_errors(problem, w0, alphas, betas, noise, seed))


def scheduled_heavy_ball_errors(
    problem: Quadratic, w0: ArrayLike, alphas: ArrayLike, betas: ArrayLike, noise: float = 0.0, seed: int = 0
) -> Array:
    """`scheduled_heavy_ball` in the eigenbasis: the errors xᵏ = Qᵀ(wᵏ − w*), (runs…, K + 1, n), inf from
    each run's overflow on. For what needs no iterate: the loss gap is `eigenbasis_loss_gap` of them."""
    alphas, betas = np.broadcast_arrays(_schedule(alphas, "alphas"), _schedule(betas, "betas"))
    eta = _eigen_noise(problem, noise, seed, alphas.shape[-1])
    return _solve(_heavy_ball_system(problem, w0, alphas, betas, eta))[0]


def heavy_ball_and_primal_averaging(
    problem: Quadratic, w0: ArrayLike, alphas: ArrayLike, betas: ArrayLike, noise: float = 0.0, seed: int = 0
) -> tuple[Array, Array]:
    """`scheduled_heavy_ball` and, under the same noise, `scheduled_primal_averaging` with the (ηₖ, cₖ)
    that `primal_averaging_schedule` maps (αₖ, βₖ) to: two runs that should agree, solved as one
    recursion (twice the lanes, about the time of one). Returns (heavy ball, primal averaging)."""
    momentum, averaged = heavy_ball_and_primal_averaging_errors(problem, w0, alphas, betas, noise, seed)
    return _iterates(problem, momentum), _iterates(problem, averaged)


def heavy_ball_and_primal_averaging_errors(
    problem: Quadratic, w0: ArrayLike, alphas: ArrayLike, betas: ArrayLike, noise: float = 0.0, seed: int = 0
) -> tuple[Array, Array]:
    """`heavy_ball_and_primal_averaging` in the eigenbasis: the errors xᵏ = Qᵀ(wᵏ − w*) of both runs,
    (runs…, K + 1, n), inf from each run's overflow on. For what needs no iterate: the loss gap is
    `eigenbasis_loss_gap` of them, and the two runs' gap wᵏ − x_SPAᵏ is Q times their difference."""
    alphas, betas = np.broadcast_arrays(_schedule(alphas, "alphas"), _schedule(betas, "betas"))
    etas, cs = primal_averaging_schedule(alphas, betas)
    eta = _eigen_noise(problem, noise, seed, alphas.shape[-1])
    momentum = _heavy_ball_system(problem, w0, alphas, betas, eta)
    averaged = _primal_averaging_system(problem, w0, etas, cs, eta)
    return tuple(_solve(momentum, averaged))


def _eigen_noise(problem: Quadratic, noise: float, seed: int, steps: int) -> Array:
    """Qᵀξᵏ for k < K: the gradient noise in the eigenbasis, (K, n)."""
    return _noise(noise, seed, steps, problem.dim) @ problem.eigenvectors


System = tuple[Array, Array, Array]  # maps (K, runs…, n, 2, 2), shifts (K, runs…, n, 2), start (runs…, n, 2)


def _heavy_ball_system(problem: Quadratic, w0: ArrayLike, alphas: Array, betas: Array, eta: Array) -> System:
    """The recursion of `scheduled_heavy_ball` per eigencomponent, state (y, x), noise ηᵏ = Qᵀξᵏ."""
    lam = problem.eigenvalues
    a, b = (np.moveaxis(v, -1, 0)[..., None] for v in (alphas, betas))  # (K, runs…, 1)
    maps = matrices_2x2(b, lam, -a * b, 1 - a * lam)
    shifts = np.stack(np.broadcast_arrays(_per_run(eta, a), -a * _per_run(eta, a)), axis=-1)
    start = np.stack([np.zeros(problem.dim), problem.to_eigenbasis(w0)], axis=-1)
    return maps, shifts, np.broadcast_to(start, maps.shape[1:-1])


def _primal_averaging_system(
    problem: Quadratic, x0: ArrayLike, etas: Array, cs: Array, zeta: Array
) -> System:
    """The recursion of `scheduled_primal_averaging` per eigencomponent, state (u, v), noise ζᵏ = Qᵀξᵏ."""
    lam = problem.eigenvalues
    e, c = (np.moveaxis(v, -1, 0)[..., None] for v in (etas, cs))
    maps = matrices_2x2(1.0, -e * lam, c, 1 - c - c * e * lam)
    kick = -e * _per_run(zeta, e)
    shifts = np.stack(np.broadcast_arrays(kick, c * kick), axis=-1)
    x0 = problem.to_eigenbasis(x0)
    return maps, shifts, np.broadcast_to(np.stack([x0, x0], axis=-1), maps.shape[1:-1])


def _solve(*systems: System) -> list[Array]:
    """Eigenbasis errors (runs…, K + 1, n) of each system, inf from each run's overflow on, all solved in
    one `affine_recursion` (the second state of each component is its error in the eigenbasis)."""
    maps, shifts = (np.stack([system[i] for system in systems], axis=1) for i in (0, 1))
    start = np.stack([system[2] for system in systems])
    errors = affine_recursion(maps, shifts, start)[..., 1]  # (K + 1, system, runs…, n)
    run_axes = errors.ndim - 3
    with np.errstate(over="ignore", invalid="ignore"):
        return [np.moveaxis(_overflow_to_inf(errors[:, i], run_axes), 0, -2) for i in range(len(systems))]


def _per_run(values: Array, like: Array) -> Array:
    """(K, n) values broadcast over the run axes of `like` (K, runs…, 1) → (K, runs…, n)."""
    return values.reshape(values.shape[:1] + (1,) * (like.ndim - 2) + values.shape[1:])


def _iterates(problem: Quadratic, errors: Array) -> Array:
    """Eigenbasis errors (runs…, K + 1, n) → iterates w = w* + Qx, inf from each run's overflow on (in
    the errors or in the product)."""
    by_step = np.moveaxis(errors, -2, 0)
    return np.moveaxis(_to_parameter_space(problem, by_step, run_axes=by_step.ndim - 2), 0, -2)


def affine_recursion(maps: ArrayLike, shifts: ArrayLike, start: ArrayLike) -> Array:
    """s⁰ = start, sᵏ⁺¹ = Mₖsᵏ + cₖ for k < K: every state, (K + 1, …, m), from M (K, …, m, m), c (K, …, m).

    The states s¹…s^K of each lane, stacked, solve one lower-triangular banded system — row k reads
    sᵏ⁺¹ − Mₖsᵏ = cₖ (with M₀s⁰ moved to the right), bandwidth 2m − 1, unit diagonal — which LAPACK's
    banded triangular solver (`dtbtrs`) solves by forward substitution: the loop itself, step by
    step in the same order, compiled. About 45 µs a lane for 1 500 steps of 2 × 2 maps, against 1.6 ms
    for eight lanes as a blocked prefix scan of whole numpy arrays (docs/speed.md).
    """
    from scipy.linalg.lapack import dtbtrs  # scipy: the one compiled loop numpy lacks (README)

    maps, shifts = np.asarray(maps, dtype=float), np.asarray(shifts, dtype=float)
    s0 = np.asarray(start, dtype=float)
    steps, m = len(maps), maps.shape[-1]
    lanes = np.broadcast_shapes(maps.shape[1:-2], shifts.shape[1:-1], s0.shape[:-1])
    s0 = np.broadcast_to(s0, (*lanes, m))
    if steps == 0:
        return s0[None].copy()
    count = int(np.prod(lanes))
    M = np.broadcast_to(maps, (steps, *lanes, m, m)).reshape(steps, count, m, m)
    c = np.broadcast_to(shifts, (steps, *lanes, m)).reshape(steps, count, m)
    right = np.swapaxes(c, 0, 1).reshape(count, steps * m).copy()  # (lane, k·m + i)
    first = s0.reshape(count, m)
    right[:, :m] += np.einsum("lij,lj->li", M[0], first)
    # LAPACK's band storage, column-major: band[l, col, d] = A[col + d, col]; d = 0 is the unit diagonal
    band = np.zeros((count, steps * m, 2 * m))
    for i in range(m):
        for j in range(m):  # −Mₖ[i, j], k ≥ 1: row k·m + i, column (k − 1)·m + j
            band[:, j : (steps - 1) * m : m, m + i - j] = -M[1:, :, i, j].T
    states = np.empty((count, steps * m))
    with np.errstate(over="ignore", invalid="ignore"):
        for lane in range(count):
            states[lane] = dtbtrs(band[lane].T, right[lane][:, None], uplo="L", diag="U")[0][:, 0]
    states = np.swapaxes(states.reshape(count, steps, m), 0, 1).reshape(steps, *lanes, m)
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
    zeta = _eigen_noise(problem, noise, seed, etas.shape[-1])
    return _iterates(problem, _solve(_primal_averaging_system(problem, x0, etas, cs, zeta))[0])


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
    return float(stationary_losses(problem, [alpha], [beta], noise)[0])


def stationary_losses(problem: Quadratic, alphas: ArrayLike, betas: ArrayLike, noise: float) -> Array:
    """`stationary_loss` of each pair (αⱼ, βⱼ), every pair's every component in one batched solve."""
    alphas, betas = np.broadcast_arrays(np.atleast_1d(np.asarray(alphas, dtype=float)), np.atleast_1d(betas))
    lam = problem.eigenvalues
    losses = np.full(alphas.shape, np.inf)
    # no stationary state (or none in floats)
    settles = np.atleast_1d(convergence_rate(alphas, betas, lam)) < 1 - 1e-9
    if not settles.any():
        return losses
    a, b = alphas[settles][:, None], betas[settles][:, None]
    R = iteration_matrix(a, b, lam)  # (pairs, n, 2, 2), every component at once
    lyapunov = np.eye(4) - np.einsum("pnij,pnkl->pnikjl", R, R).reshape(*R.shape[:2], 4, 4)  # I − R ⊗ R
    shift = np.stack([np.ones_like(a), -a], axis=-1)  # b = (1, −α) per pair: (pairs, 1, 2)
    right = noise**2 * np.einsum("pni,pnj->pnij", shift, shift).reshape(len(a), 1, 4, 1)
    try:
        P = np.linalg.solve(lyapunov, np.broadcast_to(right, (*R.shape[:2], 4, 1)))[..., 3, 0]  # P₁₁
    except np.linalg.LinAlgError:  # one singular pair: each on its own
        return (
            np.concatenate(
                [stationary_losses(problem, [x], [y], noise) for x, y in zip(alphas, betas, strict=True)]
            )
            if len(alphas) > 1
            else losses
        )
    total = 0.5 * np.sum(lam * P, axis=-1)
    losses[settles] = np.where(np.isfinite(total) & (total >= 0), total, np.inf)
    return losses
