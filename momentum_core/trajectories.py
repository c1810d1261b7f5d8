"""Iterates of gradient descent, heavy ball and Nesterov on a quadratic, in closed form.

In the eigenbasis each component runs its own 2×2 linear system (yᵢᵏ, xᵢᵏ) = Rᵢᵏ (yᵢ⁰, xᵢ⁰)
(Distill, "The Dynamics of Momentum"), so the whole run is the powers R⁰…Rˢ applied to the start.
Divergent settings never raise or warn: from the first row that leaves the floats the iterates are inf.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .quadratic import Quadratic
from .spectral import iteration_matrix, nesterov_iteration_matrix

Array = NDArray[np.float64]
MatrixOfLambda = Callable[[float, float, Array], Array]


def matrix_powers(R: ArrayLike, steps: int) -> Array:
    """R⁰, R¹, …, Rˢᵗᵉᵖˢ for a stack of square matrices R (..., m, m) → (steps+1, ..., m, m).

    By doubling: the block R⁰…R^(j−1) times Rʲ gives Rʲ…R^(2j−1), so log₂(steps) products.
    """
    R = np.asarray(R, dtype=float)
    powers = np.broadcast_to(np.eye(R.shape[-1]), R.shape)[None].copy()
    with np.errstate(over="ignore", invalid="ignore"):
        while len(powers) <= steps:
            next_power = powers[-1] @ R
            powers = np.concatenate([powers, next_power @ powers])
    return powers[: steps + 1]


def orbit(R: ArrayLike, start: ArrayLike, steps: int) -> Array:
    """R⁰s, R¹s, …, Rˢᵗᵉᵖˢs for a stack of 2×2 matrices R (n, 2, 2) and starts s (n, 2) → (steps+1, n, 2).

    By doubling, without forming every power: with Rʲ at hand, the block R⁰s…R^(j−1)s times Rʲ gives
    Rʲs…R^(2j−1)s; log₂(steps) squarings and O(steps·n) work in all.
    """
    return np.stack(_orbit_parts(R, start, steps), axis=-1)


def _orbit_parts(R: ArrayLike, start: ArrayLike, steps: int) -> tuple[Array, Array]:
    """`orbit`'s two state components (y, x), each (steps+1, n), kept apart: whole contiguous arrays
    for every product (the (…, 2) layout made each one a strided pass), the 2×2 powers as four arrays
    of entries. The same operations in the same order, so the same numbers."""
    R = np.asarray(R, dtype=float)
    start = np.asarray(start, dtype=float)
    y, x = np.empty((steps + 1, *start.shape[:-1])), np.empty((steps + 1, *start.shape[:-1]))
    y[0], x[0] = start[..., 0], start[..., 1]
    p00, p01, p10, p11 = R[..., 0, 0], R[..., 0, 1], R[..., 1, 0], R[..., 1, 1]  # always R^filled
    filled = 1
    with np.errstate(over="ignore", invalid="ignore"):
        while filled <= steps:
            block = min(filled, steps + 1 - filled)
            first, second = y[:block], x[:block]
            np.add(p00 * first, p01 * second, out=y[filled : filled + block])
            np.add(p10 * first, p11 * second, out=x[filled : filled + block])
            filled += block
            if filled <= steps:
                p00, p01, p10, p11 = _square(p00, p01, p10, p11)
    return y, x


def _square(a: Array, b: Array, c: Array, d: Array) -> tuple[Array, Array, Array, Array]:
    """R² of R = [[a, b], [c, d]], entry by entry (rᵢ₀r₀ⱼ + rᵢ₁r₁ⱼ: no fused multiply-add, so the same
    numbers as the static copies' JavaScript, app/static/kernel.js, and no BLAS call per 2×2)."""
    return a * a + b * c, a * b + b * d, c * a + d * c, c * b + d * d


def _eigencomponent_run(
    problem: Quadratic, w0: ArrayLike, alpha: float, beta: float, steps: int, matrix: MatrixOfLambda
) -> tuple[Array, Array]:
    """Errors xᵏ = Qᵀ(wᵏ − w*) (steps+1, n) and velocities yᵏ = Qᵀzᵏ with z⁰ = 0."""
    _check_steps(steps)
    R = matrix(alpha, beta, problem.eigenvalues)  # (n, 2, 2)
    x0 = problem.to_eigenbasis(w0)
    start = np.stack([np.zeros_like(x0), x0], axis=-1)  # (n, 2): (y⁰, x⁰) per component
    y, x = _orbit_parts(R, start, steps)
    return _overflow_to_inf(x), _overflow_to_inf(y)


def eigenbasis_errors(problem: Quadratic, w0: ArrayLike, alpha: float, beta: float, steps: int) -> Array:
    """Heavy-ball errors in the eigenbasis xᵏ = Qᵀ(wᵏ − w*), shape (steps+1, n) (Distill)."""
    return _eigencomponent_run(problem, w0, alpha, beta, steps, iteration_matrix)[0]


def residual_factors(problem: Quadratic, alpha: float, beta: float, steps: int) -> Array:
    """rₖ(λᵢ) = xᵢᵏ/xᵢ⁰ (steps+1, n): the share of each eigencomponent's error left after k steps.

    The same for every start (each component is a linear system); 1 − rₖ(λᵢ) is the share fitted.
    Gradient descent: rₖ(λ) = (1 − αλ)ᵏ (Distill).
    """
    return eigenbasis_errors(problem, problem.from_eigenbasis(np.ones(problem.dim)), alpha, beta, steps)


def heavy_ball(problem: Quadratic, w0: ArrayLike, alpha: float, beta: float, steps: int) -> Array:
    """Iterates w⁰…wˢᵗᵉᵖˢ (steps+1, n) of zᵏ⁺¹ = βzᵏ + ∇f(wᵏ), wᵏ⁺¹ = wᵏ − αzᵏ⁺¹, z⁰ = 0.

    The Distill form, equal to PyTorch's SGD momentum (buffer = β·buffer + g, w −= α·buffer).
    """
    return _to_parameter_space(problem, eigenbasis_errors(problem, w0, alpha, beta, steps))


def gradient_descent(problem: Quadratic, w0: ArrayLike, alpha: float, steps: int) -> Array:
    """Iterates of wᵏ⁺¹ = wᵏ − α∇f(wᵏ): heavy ball with β = 0, xᵢᵏ = (1 − αλᵢ)ᵏ xᵢ⁰ (Distill)."""
    return heavy_ball(problem, w0, alpha, 0.0, steps)


def nesterov(problem: Quadratic, w0: ArrayLike, alpha: float, beta: float, steps: int) -> Array:
    """Nesterov momentum in the look-ahead form (Sutskever et al. 2013), z⁰ = 0:

    zᵏ⁺¹ = βzᵏ + ∇f(wᵏ − αβzᵏ),  wᵏ⁺¹ = wᵏ − αzᵏ⁺¹.

    PyTorch's `nesterov=True` stores the look-ahead point θᵏ = wᵏ − αβzᵏ instead; the two
    sequences differ by that shift and coincide at the optimum.
    """
    return _to_parameter_space(problem, nesterov_eigenbasis_errors(problem, w0, alpha, beta, steps))


def nesterov_eigenbasis_errors(
    problem: Quadratic, w0: ArrayLike, alpha: float, beta: float, steps: int
) -> Array:
    """Nesterov's errors in the eigenbasis xᵏ = Qᵀ(wᵏ − w*), shape (steps+1, n), as `eigenbasis_errors`."""
    return _eigencomponent_run(problem, w0, alpha, beta, steps, nesterov_iteration_matrix)[0]


def phase_portrait(alpha: float, beta: float, lam: float, x0: float, steps: int) -> tuple[Array, Array]:
    """One eigencomponent's phase portrait: its position xᵏ and velocity vᵏ = xᵏ − xᵏ⁻¹ (v⁰ = 0).

    From (yᵏ, xᵏ) = Rᵏ(0, x⁰) (Distill, "The Dynamics of Momentum"): the step just taken is
    xᵏ − xᵏ⁻¹ = −αyᵏ, so vᵏ = −αyᵏ. Complex roots of R (β above the critical damping (1 − √(αλ))²)
    spiral into the origin; real roots slide in without turning (over-damped). Divergent runs are inf
    from the step that leaves the floats, never NaN.
    """
    _check_steps(steps)
    state = orbit(iteration_matrix(alpha, beta, lam)[None], [[0.0, float(x0)]], steps)[:, 0]
    with np.errstate(over="ignore", invalid="ignore"):
        both = _overflow_to_inf(np.stack([state[:, 1], -alpha * state[:, 0]], axis=1))
    return both[:, 0], both[:, 1]


def loss_contributions(problem: Quadratic, w0: ArrayLike, alpha: float, beta: float, steps: int) -> Array:
    """½λᵢ(xᵢᵏ)² for each iterate and eigencomponent (steps+1, n); row k sums to f(wᵏ) − f*.

    The Distill article prints the sum without the ½; with it the parts add up to the loss gap.
    """
    return eigenbasis_loss_parts(problem, eigenbasis_errors(problem, w0, alpha, beta, steps))


def eigenbasis_loss_parts(problem: Quadratic, errors: ArrayLike) -> Array:
    """½λᵢxᵢ² of errors in the eigenbasis (steps+1, n): each component's share of f(w) − f*
    (`loss_contributions` of a run already at hand); inf from a step that overflowed on."""
    with np.errstate(over="ignore", invalid="ignore"):
        return _overflow_to_inf(0.5 * problem.eigenvalues * np.square(errors))


def eigenbasis_loss_gap(problem: Quadratic, errors: ArrayLike) -> Array:
    """f(w) − f* = ½Σᵢλᵢxᵢ² from errors in the eigenbasis x = Qᵀ(w − w*), shape (…, n) → (…).

    Exact to rounding, where ½wᵀAw − bᵀw − f* cancels digits away as the gap gets small; inf where x
    overflowed (λᵢ > 0: never NaN).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        return 0.5 * (np.square(errors) @ problem.eigenvalues)


def divergence_step(iterates: ArrayLike, bound: float = np.inf) -> int | None:
    """First k at which an iterate is non-finite or exceeds `bound` in magnitude; None if none."""
    iterates = np.asarray(iterates, dtype=float)
    rows = iterates.reshape(len(iterates), -1)
    bad = ~np.all(np.isfinite(rows) & (np.abs(rows) <= bound), axis=1)
    return int(np.argmax(bad)) if bad.any() else None


def iterations_to_reach(iterates: ArrayLike, target: ArrayLike, tolerance: float) -> int | None:
    """First k with ‖wᵏ − w*‖ ≤ tolerance·‖w⁰ − w*‖ from then on; None if the run never stays there."""
    iterates = np.asarray(iterates, dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        error = np.linalg.norm(iterates - np.asarray(target, dtype=float), axis=-1)
    outside = ~(error <= tolerance * error[0])
    if outside[-1]:
        return None
    return int(len(outside) - np.argmax(outside[::-1])) if outside.any() else 0


def diverged(iterates: ArrayLike, bound: float = np.inf) -> bool:
    """True if the run left the finite numbers (or `bound`) at some step."""
    return divergence_step(iterates, bound) is not None


def _to_parameter_space(problem: Quadratic, errors: Array, run_axes: int = 0) -> Array:
    """Eigenbasis errors (steps+1, runs…, n) → iterates w = w* + Qx, overflow to inf (per run)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return _overflow_to_inf(problem.from_eigenbasis(errors), run_axes)


def _overflow_to_inf(values: Array, run_axes: int = 0) -> Array:
    """From the first step (axis 0) with a non-finite entry on, every entry is +inf (no NaN leaks out);
    with `run_axes` axes of runs after the step axis, each run on its own."""
    bad = ~np.all(np.isfinite(values.reshape(*values.shape[: 1 + run_axes], -1)), axis=-1)
    if not bad.any():
        return values
    bad = np.logical_or.accumulate(bad, axis=0)
    return np.where(bad.reshape(bad.shape + (1,) * (values.ndim - bad.ndim)), np.inf, values)


def _check_steps(steps: int) -> None:
    if int(steps) != steps or steps < 0:
        raise ValueError(f"steps must be a whole number ≥ 0, got {steps!r}.")
