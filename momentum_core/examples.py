"""The article's worked examples as quadratics (Distill, "Example: Colorization")."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .quadratic import Quadratic


def path_graph_laplacian(n: int) -> NDArray[np.float64]:
    """L of the path graph 0 – 1 – … – (n−1): Σ over edges (i, i+1) of (wᵢ − wᵢ₊₁)² = wᵀLw."""
    if n < 2:
        raise ValueError(f"a path graph needs at least 2 pixels, got {n}.")
    degree = np.full(n, 2.0)
    degree[[0, -1]] = 1.0
    return np.diag(degree) - np.eye(n, k=1) - np.eye(n, k=-1)


def colorization(n: int) -> Quadratic:
    """f(w) = ½Σ_(i,i+1) (wᵢ − wᵢ₊₁)² + ½(w₀ − 1)²: pixel 0 is seeded with colour 1, which must spread.

    A = L + e₀e₀ᵀ, b = e₀, so w* = (1, …, 1).
    """
    A = path_graph_laplacian(n)
    A[0, 0] += 1.0
    b = np.zeros(n)
    b[0] = 1.0
    return Quadratic(A, b)


def colorization_eigenvalues(n: int) -> NDArray[np.float64]:
    """λₖ = 2 − 2cos((2k − 1)π/(2n + 1)), k = 1…n (the grounded path graph), ascending: κ grows like n²."""
    k = np.arange(1, n + 1)
    return 2.0 - 2.0 * np.cos((2 * k - 1) * np.pi / (2 * n + 1))
