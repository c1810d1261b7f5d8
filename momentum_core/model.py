"""Momentum on a real model: L2-regularised logistic regression on the Wisconsin breast-cancer data.

Every other part of momentum_core is a quadratic, where the article's theory is exact. Here the loss is
f(w) = (1/m) Σᵢ [log(1 + e^{zᵢ}) − yᵢzᵢ] + (μ/2)‖w‖², zᵢ = xᵢᵀw: smooth and strongly convex but not
quadratic. Near its optimum w* it is one — f(w) ≈ f* + ½(w − w*)ᵀH(w − w*) with H = ∇²f(w*) — so the
theory's (α*, β*) and rate (√κ − 1)/(√κ + 1) for κ = λₙ(H)/λ₁(H) predict how a run ends; far from w* the
curvature differs, and the prediction says less. The figure `/model` shows both.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse.linalg import LinearOperator, eigsh

Array = NDArray[np.float64]

#: The Breast Cancer Wisconsin (Diagnostic) data (W. H. Wolberg, W. N. Street, O. L. Mangasarian; UCI
#: Machine Learning Repository, CC BY 4.0), as scikit-learn ships it: a header line "569,30,…", then
#: 30 features and the label (0 malignant, 1 benign) per line. See data/README.md.
DATA = Path(__file__).parent / "data" / "breast_cancer.csv.gz"
#: The L2 penalty μ: it sets the smallest curvature, and with it κ.
REGULARISATION = 1e-3


def breast_cancer() -> tuple[Array, Array]:
    """(X, y): the 569 × 30 features standardised (mean 0, standard deviation 1 per column) with a column
    of ones for the bias in front, and the labels (1 benign, 0 malignant)."""
    with gzip.open(DATA, "rt") as handle:
        rows = np.loadtxt(handle, delimiter=",", skiprows=1)
    features, labels = rows[:, :-1], rows[:, -1]
    standard = (features - features.mean(axis=0)) / features.std(axis=0)
    return np.hstack([np.ones((len(rows), 1)), standard]), labels


@dataclass(frozen=True, eq=False)
class LogisticRegression:
    """f(w) = (1/m) Σᵢ [log(1 + e^{xᵢᵀw}) − yᵢxᵢᵀw] + (μ/2)‖w‖² and its derivatives."""

    X: Array
    y: Array
    regularisation: float = REGULARISATION

    @property
    def dim(self) -> int:
        return self.X.shape[1]

    def loss(self, w: ArrayLike) -> float:
        """f(w), with log(1 + eᶻ) as logaddexp(0, z): no overflow for a large |z|."""
        w = np.asarray(w, dtype=float)
        z = self.X @ w
        return float(np.mean(np.logaddexp(0.0, z) - self.y * z) + 0.5 * self.regularisation * w @ w)

    def gradient(self, w: ArrayLike) -> Array:
        """∇f(w) = Xᵀ(s − y)/m + μw, s = σ(Xw) the predicted probabilities."""
        w = np.asarray(w, dtype=float)
        return self.X.T @ (sigmoid(self.X @ w) - self.y) / len(self.y) + self.regularisation * w

    def hessian_vector(self, w: ArrayLike, v: ArrayLike) -> Array:
        """∇²f(w)v = Xᵀ(s(1 − s) ⊙ Xv)/m + μv, without forming the Hessian."""
        s = sigmoid(self.X @ np.asarray(w, dtype=float))
        v = np.asarray(v, dtype=float)
        return self.X.T @ (s * (1 - s) * (self.X @ v)) / len(self.y) + self.regularisation * v

    def hessian(self, w: ArrayLike) -> Array:
        """∇²f(w) = Xᵀ diag(s(1 − s)) X/m + μI (small here: d = 31; for tests and Newton's method)."""
        s = sigmoid(self.X @ np.asarray(w, dtype=float))
        return (self.X.T * (s * (1 - s))) @ self.X / len(self.y) + self.regularisation * np.eye(self.dim)

    @cached_property
    def optimum(self) -> Array:
        """w* by Newton's method from 0 with backtracking (f is strongly convex: it converges, and
        quadratically near w*), to a gradient of 1e-13."""
        w = np.zeros(self.dim)
        for _ in range(100):
            g = self.gradient(w)
            if np.linalg.norm(g) <= 1e-13:
                break
            step = np.linalg.solve(self.hessian(w), g)
            t, f = 1.0, self.loss(w)
            while self.loss(w - t * step) > f - 0.25 * t * g @ step and t > 1e-10:
                t /= 2
            w = w - t * step
        return w

    @cached_property
    def f_star(self) -> float:
        return self.loss(self.optimum)


def sigmoid(z: Array) -> Array:
    """σ(z) = 1/(1 + e^{−z}), without overflow for a large |z|."""
    return np.exp(-np.logaddexp(0.0, -z))


def extreme_curvatures(model: LogisticRegression, w: ArrayLike) -> tuple[float, float]:
    """The smallest and largest eigenvalue of ∇²f(w) by Lanczos on Hessian-vector products (ARPACK's
    eigsh on a LinearOperator): no Hessian formed, as for a model with millions of weights."""
    n = model.dim
    operator = LinearOperator((n, n), matvec=lambda v: model.hessian_vector(w, v), dtype=float)
    start = np.ones(n) / np.sqrt(n)  # a fixed start vector: the same numbers every time
    largest = eigsh(operator, k=1, which="LA", v0=start, tol=1e-12, return_eigenvectors=False)[0]
    smallest = eigsh(operator, k=1, which="SA", v0=start, tol=1e-12, return_eigenvectors=False)[0]
    return float(smallest), float(largest)


def heavy_ball_run(model: LogisticRegression, w0: ArrayLike, alpha: float, beta: float, steps: int) -> Array:
    """Iterates w⁰…wˢᵗᵉᵖˢ of zᵏ⁺¹ = βzᵏ + ∇f(wᵏ), wᵏ⁺¹ = wᵏ − αzᵏ⁺¹, z⁰ = 0 (β = 0: gradient descent),
    as on a quadratic but with the model's gradient; inf from the first step that leaves the floats."""
    w = np.asarray(w0, dtype=float).copy()
    z = np.zeros_like(w)
    iterates = np.full((steps + 1, w.size), np.inf)
    iterates[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            z = beta * z + model.gradient(w)
            w = w - alpha * z
            if not np.isfinite(w).all():
                break
            iterates[k] = w
    return iterates


def observed_rate(errors: ArrayLike, resolved: float = 1e-10) -> float | None:
    """The run's rate per step fitted on its tail: exp of the least-squares slope of log‖wᵏ − w*‖ over
    the second half of the steps before the error falls below `resolved` (past it, round-off) or leaves
    the floats (a diverging run: its rate is then > 1). None when fewer than 4 such steps."""
    errors = np.asarray(errors, dtype=float)
    below = np.flatnonzero(~(np.isfinite(errors) & (errors >= resolved)))
    end = int(below[0]) if below.size else len(errors)
    first = end // 2
    if end - first < 4:
        return None
    k = np.arange(first, end)
    slope = np.polyfit(k, np.log(errors[first:end]), 1)[0]
    return float(np.exp(slope))
