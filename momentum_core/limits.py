"""The limits of first-order methods: Nesterov's resisting oracle (Distill, "Limits of Descent").

On f(w) = ½(w₁ − 1)² + ½Σ(wᵢ − wᵢ₊₁)² + 2/(κ − 1)‖w‖² every method whose iterates stay in
w⁰ + span{∇f(w⁰), …, ∇f(wᵏ⁻¹)} (gradient descent, heavy ball, Nesterov, …) from w⁰ = 0 has
wᵢᵏ = 0 for i > k: each gradient reaches one coordinate further, as in the colorization example.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .examples import seeded_path
from .quadratic import Quadratic
from .spectral import momentum_optimal_rate
from .trajectories import MatrixOfLambda, _check_steps, _orbit_parts


def lower_bound_rate(kappa: ArrayLike) -> NDArray[np.float64] | float:
    """(√κ − 1)/(√κ + 1): no such method beats this rate on the resisting oracle (Nesterov 2004, §2.1.4)."""
    return momentum_optimal_rate(kappa)  # the same number: momentum with (α*, β*) attains the bound


def resisting_oracle(kappa: float, n: int) -> Quadratic:
    """The n-dimensional resisting oracle: the colorization quadratic plus the ridge 2/(κ − 1)‖w‖².

    A = L + e₁e₁ᵀ + δI with δ = 4/(κ − 1), b = e₁. Its eigenvalues lie in (δ, 4 + δ), so its condition
    number is below κ and tends to κ as n grows. Its optimum in closed form (`oracle_optimum`), exact
    to the last digits even where it is tiny, instead of a dense solve.
    """
    if not (np.isfinite(kappa) and kappa > 1):
        raise ValueError(f"the resisting oracle needs a condition number κ > 1, got {kappa}.")
    return _seeded_path_quadratic(n).shifted(4.0 / (kappa - 1.0), w_star=oracle_optimum(kappa, n))


def oracle_optimum(kappa: float, n: int) -> NDArray[np.float64]:
    """w* of the n-dimensional resisting oracle: w*ᵢ = (rⁱ + r²ⁿ⁺¹⁻ⁱ)/(1 + r²ⁿ⁺¹), i = 1…n.

    Aw* = e₁ reads (2 + δ)w*ᵢ = w*ᵢ₋₁ + w*ᵢ₊₁ for every row once w*₀ = 1 (the first row) and
    w*ₙ₊₁ = w*ₙ (the last): a linear recursion whose roots are r and 1/r, r = 2/(2 + δ + √(δ(4 + δ))),
    which is ρ = (√κ − 1)/(√κ + 1) written without cancellation. The two boundary values fix the
    combination. As n grows it tends to ρⁱ (`oracle_solution`, the infinite oracle's optimum).
    """
    delta = 4.0 / (kappa - 1.0)
    r = 2.0 / (2.0 + delta + np.sqrt(delta * (4.0 + delta)))
    i = np.arange(1, n + 1)
    with np.errstate(under="ignore"):  # powers below the smallest float are 0, as is w*ᵢ there
        return (r**i + r ** (2 * n + 1 - i)) / (1.0 + r ** (2 * n + 1))


def oracle_base_eigenvalues(n: int) -> NDArray[np.float64]:
    """The eigenvalues of L + e₁e₁ᵀ as decomposed once per n: the oracle's for any κ are these + δ."""
    return _seeded_path_quadratic(n).eigenvalues


@lru_cache(maxsize=4)
def _seeded_path_quadratic(n: int) -> Quadratic:
    """L + e₁e₁ᵀ with b = e₁, decomposed once per n (the oracle for each κ is a shift of it)."""
    return Quadratic(*seeded_path(n))


def oracle_solution(kappa: float, n: int) -> NDArray[np.float64]:
    """w*ᵢ = ((√κ − 1)/(√κ + 1))ⁱ, i = 1…n: the optimum of the infinite-dimensional oracle (Distill)."""
    return lower_bound_rate(kappa) ** np.arange(1, n + 1)


def krylov_lower_bound(w_star: ArrayLike, steps: int) -> NDArray[np.float64]:
    """max over i > k of |w*ᵢ|, k = 0…steps: a floor on ‖wᵏ − w*‖∞ for any such method from w⁰ = 0.

    (wᵏ is zero past coordinate k, so the error there is w* itself.) For the infinite oracle this is
    ρᵏ⁺¹ = ρᵏ‖w⁰ − w*‖∞ with ρ = `lower_bound_rate(κ)`.
    """
    magnitude = np.abs(np.asarray(w_star, dtype=float))
    tail_max = np.maximum.accumulate(magnitude[::-1])[::-1]  # tail_max[j] = max over i ≥ j (0-based)
    k = np.arange(steps + 1)
    return np.where(k < magnitude.size, tail_max[np.minimum(k, magnitude.size - 1)], 0.0)


def krylov_error_norms(problem: Quadratic, errors: ArrayLike, block: int = 32) -> NDArray[np.float64]:
    """‖wᵏ − w*‖∞, k = 0…steps, of runs from w⁰ = 0 by methods that keep wᵢᵏ = 0 for i > k (gradient
    descent, heavy ball, Nesterov: see the module docstring), from their eigenbasis errors xᵏ: shape
    (steps+1, n) for one run, (steps+1, runs, n) for several → (steps+1,) or (steps+1, runs).

    wᵏ − w* = Qxᵏ, but past coordinate k it is −w* exactly, so only the first k coordinates of Qxᵏ
    are computed: a lower-triangular product, done in blocks of `block` steps (about half the work of
    Qxᵏ for every k), and the rest is the tail maximum `krylov_lower_bound`. Overflow reads inf.
    """
    x = np.asarray(errors, dtype=float)
    one_run = x.ndim == 2
    x = x[:, None] if one_run else x
    steps = len(x) - 1
    norms = np.repeat(krylov_lower_bound(problem.w_star, steps)[:, None], x.shape[1], axis=1)
    for first in range(0, steps + 1, block):
        _block_norms(problem, x[first : first + block], first, norms)
    norms = _inf_from_first_overflow(norms)
    return norms[:, 0] if one_run else norms


def _block_norms(problem: Quadratic, x: NDArray[np.float64], first: int, norms: NDArray[np.float64]) -> None:
    """Raise norms[first + r] to max over coordinates j < first + r of |(Qxʳ)ⱼ| for the block x
    (rows, runs, n) of errors at steps first…; inf where a row is not finite."""
    rows, runs, n = x.shape
    last = first + rows
    width = min(last - 1, n)  # step k needs coordinates j < k (0-based)
    if width <= 0:
        return
    with np.errstate(over="ignore", invalid="ignore"):
        part = np.abs(x.reshape(-1, n) @ problem.eigenvectors[:width].T).reshape(rows, runs, width)
    past_k = np.arange(width)[None, :] >= np.arange(first, last)[:, None]
    part[np.broadcast_to(past_k[:, None, :], part.shape)] = 0.0  # those are the tail's
    block = norms[first:last]
    np.maximum(block, part.max(axis=2), out=block)
    block[~np.all(np.isfinite(x), axis=2)] = np.inf


def _inf_from_first_overflow(norms: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each run's norms are inf from its first non-finite one on (never NaN)."""
    bad = np.logical_or.accumulate(~np.isfinite(norms), axis=0)
    return np.where(bad, np.inf, norms) if bad.any() else norms


@dataclass(frozen=True)
class KrylovRuns:
    """Runs from w⁰ = 0 kept as what is drawn of them: ‖wᵏ − w*‖∞ for every k (`norms`, (steps+1, runs)),
    and, for any one k, the errors xᵏ (`errors_at`), from the state of its block of steps."""

    norms: NDArray[np.float64]
    second_rows: tuple[NDArray[np.float64], NDArray[np.float64]]  # Rʲ[1, 0], Rʲ[1, 1] (block, runs·n)
    block_starts: NDArray[np.float64]  # (blocks, 2, runs·n): the state (y, x) at steps 0, block, 2·block…
    dim: int

    def errors_at(self, k: int) -> NDArray[np.float64]:
        """xᵏ of each run, (runs, n): Rʲ applied to the state at the start of k's block (j = k − start)."""
        start, j = divmod(int(k), len(self.second_rows[0]))
        y, x = self.block_starts[start]
        with np.errstate(over="ignore", invalid="ignore"):
            errors = (self.second_rows[0][j] * y + self.second_rows[1][j] * x).reshape(-1, self.dim)
        overflowed = ~np.isfinite(self.norms[k]) | ~np.all(np.isfinite(errors), axis=1)
        errors[overflowed] = np.inf  # the whole run, as its norm reads from its first overflow on
        return errors


def krylov_runs(
    problem: Quadratic, runs: Sequence[tuple[MatrixOfLambda, float, float]], steps: int, block: int = 32
) -> KrylovRuns:
    """`krylov_error_norms` of runs from w⁰ = 0, each (matrix, α, β) with matrix `iteration_matrix`
    (heavy ball; β = 0 is gradient descent) or `nesterov_iteration_matrix`, all in one orbit, without
    keeping their (steps+1) × runs × n errors.

    Block by block of steps: the errors at steps s…s+block−1 are Rʲ(yˢ, xˢ), j < block, from a table
    of Rʲ's second rows (two orbits of `block` steps from the unit states), and the next block's state
    is R^block(yˢ, xˢ). Each block goes into the triangular product at once, while it is in cache; the
    whole run is never in memory (`orbit` over 301 steps × 1 200 components writes 5.8 MB of states, and
    memory traffic is the share of the time that grows most when the machine is busy: docs/speed.md).
    """
    _check_steps(steps)
    R = np.concatenate([matrix(alpha, beta, problem.eigenvalues) for matrix, alpha, beta in runs])
    count = len(R)
    units = np.zeros((count, 2))
    units[:, 0] = 1.0
    first_column = _orbit_parts(R, units, block)  # (Rʲ[0, 0], Rʲ[1, 0]), j = 0…block
    second_column = _orbit_parts(R, units[:, ::-1], block)  # (Rʲ[0, 1], Rʲ[1, 1])
    (p00, p10), (p01, p11) = ((c[block] for c in column) for column in (first_column, second_column))
    rows = (first_column[1][:block], second_column[1][:block])
    y, x = np.zeros(count), np.tile(problem.to_eigenbasis(np.zeros(problem.dim)), len(runs))
    norms = np.repeat(krylov_lower_bound(problem.w_star, steps)[:, None], len(runs), axis=1)
    starts = []
    with np.errstate(over="ignore", invalid="ignore"):
        for first in range(0, steps + 1, block):
            starts.append((y, x))
            size = min(block, steps + 1 - first)
            errors = rows[0][:size] * y + rows[1][:size] * x
            _block_norms(problem, errors.reshape(size, len(runs), problem.dim), first, norms)
            y, x = p00 * y + p01 * x, p10 * y + p11 * x
    return KrylovRuns(_inf_from_first_overflow(norms), rows, np.array(starts), problem.dim)
