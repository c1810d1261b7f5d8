"""The limits of first-order methods: Nesterov's resisting oracle (Distill, "Limits of Descent").

On f(w) = ½(w₁ − 1)² + ½Σ(wᵢ − wᵢ₊₁)² + 2/(κ − 1)‖w‖² every method whose iterates stay in
w⁰ + span{∇f(w⁰), …, ∇f(wᵏ⁻¹)} (gradient descent, heavy ball, Nesterov, …) from w⁰ = 0 has
wᵢᵏ = 0 for i > k: each gradient reaches one coordinate further, as in the colorization example.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .examples import seeded_path
from .quadratic import Quadratic
from .spectral import momentum_optimal_rate


def lower_bound_rate(kappa: ArrayLike) -> NDArray[np.float64] | float:
    """(√κ − 1)/(√κ + 1): no such method beats this rate on the resisting oracle (Nesterov 2004, §2.1.4)."""
    return momentum_optimal_rate(kappa)  # the same number: momentum with (α*, β*) attains the bound


def resisting_oracle(kappa: float, n: int) -> Quadratic:
    """The n-dimensional resisting oracle: the colorization quadratic plus the ridge 2/(κ − 1)‖w‖².

    A = L + e₁e₁ᵀ + 4/(κ − 1)·I, b = e₁. Its eigenvalues lie in (4/(κ − 1), 4 + 4/(κ − 1)), so its
    condition number is below κ and tends to κ as n grows.
    """
    if not (np.isfinite(kappa) and kappa > 1):
        raise ValueError(f"the resisting oracle needs a condition number κ > 1, got {kappa}.")
    return _seeded_path_quadratic(n).shifted(4.0 / (kappa - 1.0))


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
