"""The article's worked examples as quadratics (Distill, examples "Polynomial Regression", "Colorization")."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .quadratic import Quadratic


def path_graph_laplacian(n: int) -> NDArray[np.float64]:
    """L of the path graph 0 – 1 – … – (n−1): Σ over edges (i, i+1) of (wᵢ − wᵢ₊₁)² = wᵀLw."""
    if n < 2:
        raise ValueError(f"a path graph needs at least 2 pixels, got {n}.")
    degree = np.full(n, 2.0)
    degree[[0, -1]] = 1.0
    return np.diag(degree) - np.eye(n, k=1) - np.eye(n, k=-1)


def seeded_path(n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """A = L + e₀e₀ᵀ and b = e₀ of ½Σ_(i,i+1) (wᵢ − wᵢ₊₁)² + ½(w₀ − 1)² (up to a constant)."""
    A = path_graph_laplacian(n)
    A[0, 0] += 1.0
    b = np.zeros(n)
    b[0] = 1.0
    return A, b


def colorization(n: int) -> Quadratic:
    """f(w) = ½Σ_(i,i+1) (wᵢ − wᵢ₊₁)² + ½(w₀ − 1)²: pixel 0 is seeded with colour 1, which must spread.

    A = L + e₀e₀ᵀ, b = e₀, so w* = (1, …, 1).
    """
    return Quadratic(*seeded_path(n))


def colorization_eigenvalues(n: int) -> NDArray[np.float64]:
    """λₖ = 2 − 2cos((2k − 1)π/(2n + 1)), k = 1…n (the grounded path graph), ascending: κ grows like n²."""
    k = np.arange(1, n + 1)
    return 2.0 - 2.0 * np.cos((2 * k - 1) * np.pi / (2 * n + 1))


#: The polynomial-regression data set: 12 points on [−1, 1], a smooth curve plus fixed (seeded) noise,
#: its values to 1/1000 (k/1000 as the nearest float: a dragged point is kept to the same grid).
REGRESSION_X = np.linspace(-1.0, 1.0, 12)
REGRESSION_NOISE = 0.15 * np.random.default_rng(3).normal(size=REGRESSION_X.size)
REGRESSION_Y = np.round((np.sin(2.5 * REGRESSION_X) + 0.4 * REGRESSION_X**2 + REGRESSION_NOISE) * 1000) / 1000


def polynomial_features(x: ArrayLike, degree: int) -> NDArray[np.float64]:
    """Z with Zᵢⱼ = xᵢʲ, j = 0…degree (the model is Σⱼ wⱼ ξʲ)."""
    if degree < 0:
        raise ValueError(f"the degree must be ≥ 0, got {degree}.")
    return np.vander(np.asarray(x, dtype=float), degree + 1, increasing=True)


def polynomial_regression(x: ArrayLike, y: ArrayLike, degree: int) -> Quadratic:
    """Least squares ½‖Zw − y‖² (up to the constant ½‖y‖²): A = ZᵀZ (the Gram matrix), b = Zᵀy."""
    Z = polynomial_features(x, degree)
    return Quadratic(Z.T @ Z, Z.T @ np.asarray(y, dtype=float))


def eigenfeatures(problem: Quadratic, xi: ArrayLike) -> NDArray[np.float64]:
    """The eigenfeatures φⱼ(ξ) = Σᵢ qᵢⱼ ξⁱ at the points ξ, one column per eigenvalue λⱼ (ascending).

    At the data points they are orthogonal with ‖φⱼ‖² = λⱼ, so the fit Σⱼ cⱼφⱼ (cⱼ = qⱼᵀw) fits each
    eigenfeature independently: component j is 1 − rₖ(λⱼ) done after k steps (Distill).
    """
    return polynomial_features(xi, problem.dim - 1) @ problem.eigenvectors
