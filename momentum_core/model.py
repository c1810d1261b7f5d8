"""Momentum on a real model: L2-regularised logistic regression on the Wisconsin breast-cancer data.

Every other part of momentum_core is a quadratic, where the article's theory is exact. Here the loss is
f(w) = (1/m) Σᵢ [log(1 + e^{zᵢ}) − yᵢzᵢ] + (μ/2)‖w‖², zᵢ = xᵢᵀw: smooth and strongly convex but not
quadratic. Near its optimum w* it is one — f(w) ≈ f* + ½(w − w*)ᵀH(w − w*) with H = ∇²f(w*) — so the
theory's (α*, β*) and rate (√κ − 1)/(√κ + 1) for κ = λₙ(H)/λ₁(H) predict how a run ends; far from w* the
curvature differs, and the prediction says less. The figure `/model` shows both.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol

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


#: exp's argument reduction x = k·ln2/32 + r, k whole (ln 2 split so that k·EXP_STEP_HI is exact for every
#: k here, |k| < 2¹⁶), then eˣ = 2^⌊k/32⌋ · 2^((k mod 32)/32) · eʳ with |r| ≤ ln2/64: a table of the 32
#: powers 2^(j/32) and eʳ's Taylor polynomial to r⁶/6! (the next term, r⁷/7!, is below 4·10⁻¹⁸).
EXP_SCALE = 32 / 0.6931471805599453  # 32/ln 2: k = ⌊x·EXP_SCALE + ½⌋
EXP_STEP_HI = 6.93147180369123816490e-01 / 32  # fdlibm's ln 2 split, over 32 (exact)
EXP_STEP_LO = 1.90821492927058770002e-10 / 32
EXP_TABLE = np.array([2.0 ** (j / 32) for j in range(32)])
EXP_COEFFICIENTS = np.array([1.0 / math.factorial(n) for n in range(7)])  # 1/n!, n = 0…6
#: log1p's reduction for u ∈ [0, 1]: c = ⌊64u⌋/64, then log(1 + u) = log(1 + c) + 2·atanh(s),
#: s = (u − c)/(2 + c + u) ∈ [0, 1/128] (as (1 + s)/(1 − s) = (1 + u)/(1 + c)): a table of the 65 logs
#: and atanh's series to s⁷/7 (the next term, s⁹/9, is below 2·10⁻¹⁸ of s).
LOG_TABLE = np.array([math.log1p(j / 64) for j in range(65)])
LOG_COEFFICIENTS = np.array([1.0 / (2 * n + 1) for n in range(4)])  # 1/(2n + 1), n = 0…3


def polynomial(coefficients: Array, x: Array) -> Array:
    """Σₙ cₙxⁿ by Horner's rule, c_last first: cₙ + x·(…), each step one product and one sum."""
    total = np.full_like(x, coefficients[-1])
    for c in coefficients[-2::-1]:
        total = c + x * total
    return total


def exp_neg(x: ArrayLike) -> Array:
    """eˣ for x ≤ 0 by argument reduction, a table and a polynomial, in plain IEEE arithmetic (+, −, ×
    and exact powers of 2): the page's twin (model.wat) computes the same bits, which a run that is
    sensitive to its last digits needs (libm's exp and the browser's differ in the last bit now and
    then). Within 2 units in the last place of eˣ."""
    x = np.maximum(np.asarray(x, dtype=float), -746.0)
    k = np.floor(x * EXP_SCALE + 0.5)
    r = (x - k * EXP_STEP_HI) - k * EXP_STEP_LO
    q = np.floor(k / 32)  # 2^q exactly; the table's entry j = k − 32q
    j = (k - 32 * q).astype(np.int64)
    return (EXP_TABLE[j] * polynomial(EXP_COEFFICIENTS, r)) * np.ldexp(1.0, q.astype(np.int64))


def log1p_unit(u: ArrayLike) -> Array:
    """log(1 + u) for u ∈ [0, 1]: log(1 + c) from a table at c = ⌊64u⌋/64 (u − c exact), plus 2·atanh(s),
    s = (u − c)/(2 + c + u), a series in s² (the same arithmetic as model.wat)."""
    u = np.asarray(u, dtype=float)
    j = np.floor(u * 64)
    c = j / 64
    s = (u - c) / ((2.0 + c) + u)
    return LOG_TABLE[j.astype(np.int64)] + (2.0 * s) * polynomial(LOG_COEFFICIENTS, s * s)


def softplus(z: ArrayLike) -> Array:
    """log(1 + eᶻ) = max(z, 0) + log(1 + e^{−|z|}): no overflow for a large |z|."""
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0.0) + log1p_unit(exp_neg(-np.abs(z)))


def sigmoid(z: ArrayLike) -> Array:
    """σ(z) = 1/(1 + e^{−z}), from e^{−|z|} ≤ 1: no overflow for a large |z|."""
    z = np.asarray(z, dtype=float)
    e = exp_neg(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def in_order(columns: Array) -> Array:
    """Σⱼ columns[…, j], added left to right (j = 0, 1, …): the order the page adds in, where a matrix
    product or numpy's pairwise sum would round differently."""
    total = columns[..., 0].copy()
    for j in range(1, columns.shape[-1]):
        total = total + columns[..., j]
    return total


class Smooth(Protocol):
    """A twice-differentiable loss of `dim` weights: what runs and Lanczos need."""

    @property
    def dim(self) -> int: ...

    def gradient(self, w: ArrayLike) -> Array: ...

    def hessian_vector(self, w: ArrayLike, v: ArrayLike) -> Array: ...


@dataclass(frozen=True, eq=False)
class LogisticRegression:
    """f(w) = (1/m) Σᵢ [log(1 + e^{xᵢᵀw}) − yᵢxᵢᵀw] + (μ/2)‖w‖² and its derivatives.

    Loss and gradient add their terms in a fixed order (`in_order`, and numpy's row by row reduction over
    the samples), as the page does: a run computed here and one computed in the page agree to the bit.
    """

    X: Array
    y: Array
    regularisation: float = REGULARISATION

    @property
    def dim(self) -> int:
        return self.X.shape[1]

    def scores(self, w: ArrayLike) -> Array:
        """zᵢ = xᵢᵀw for one w (m,) or a stack of them (…, m), each sum over j in order."""
        w = np.asarray(w, dtype=float)
        return in_order(self.X * w[..., None, :])

    def loss(self, w: ArrayLike) -> Array | float:
        """f(w) for one w or a stack (…, d): the mean over the samples summed in order, then (μ/2)‖w‖²."""
        w = np.asarray(w, dtype=float)
        z = self.scores(w)
        terms = softplus(z) - self.y * z
        value = in_order(terms) / len(self.y) + 0.5 * self.regularisation * in_order(w * w)
        return float(value) if np.ndim(value) == 0 else value

    def gradient(self, w: ArrayLike) -> Array:
        """∇f(w) = Σᵢ xᵢ(sᵢ − yᵢ)/m + μw, s = σ(Xw), the samples added in order."""
        w = np.asarray(w, dtype=float)
        r = (sigmoid(self.scores(w)) - self.y) / len(self.y)
        return (self.X * r[:, None]).sum(axis=0) + self.regularisation * w

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


def distances(iterates: ArrayLike, target: ArrayLike) -> Array:
    """‖wᵏ − w*‖ for each iterate, the squares added in order (as the page does); inf past the floats."""
    with np.errstate(over="ignore", invalid="ignore"):
        d = np.asarray(iterates, dtype=float) - np.asarray(target, dtype=float)
        total = np.sqrt(in_order(d * d))
    return np.where(np.isfinite(total), total, np.inf)


def curvature(model: Smooth, w: ArrayLike, which: str = "LA", tol: float = 1e-12) -> float:
    """The largest ("LA") or smallest ("SA") eigenvalue of ∇²f(w) by Lanczos on Hessian-vector products
    (ARPACK's eigsh on a LinearOperator): no Hessian formed, as for a model with millions of weights."""
    n = model.dim
    operator = LinearOperator((n, n), matvec=lambda v: model.hessian_vector(w, v), dtype=float)
    start = np.ones(n) / np.sqrt(n)  # a fixed start vector: the same numbers every time
    return float(eigsh(operator, k=1, which=which, v0=start, tol=tol, return_eigenvectors=False)[0])


def extreme_curvatures(model: Smooth, w: ArrayLike, tol: float = 1e-12) -> tuple[float, float]:
    """The smallest and largest eigenvalue of ∇²f(w), by Lanczos (`curvature`)."""
    return curvature(model, w, "SA", tol), curvature(model, w, "LA", tol)


def heavy_ball_run(model: Smooth, w0: ArrayLike, alpha: float, beta: float, steps: int) -> Array:
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


#: A tail whose log-distance a line explains less than this (R²) has no steady rate: the run bounces.
STEADY = 0.5


@dataclass(frozen=True)
class TailFit:
    """The rate per step fitted on a run's tail, and how well a steady rate explains the tail."""

    rate: float
    #: R² of the line through log‖wᵏ − w*‖: near 1 for a run shrinking (or growing) at a steady rate,
    #: near 0 for one that bounces about a level.
    steadiness: float

    @property
    def steady(self) -> bool:
        return self.steadiness >= STEADY


def observed_rate(errors: ArrayLike, resolved: float = 1e-10) -> TailFit | None:
    """The run's rate per step fitted on its tail: exp of the least-squares slope of log‖wᵏ − w*‖ over
    the second half of the steps before the error falls below `resolved` (past it, round-off) or leaves
    the floats (a diverging run: its rate is then > 1), with the fit's R². None when fewer than 4 such
    steps. A tail of one value is steady (rate 1)."""
    errors = np.asarray(errors, dtype=float)
    below = np.flatnonzero(~(np.isfinite(errors) & (errors >= resolved)))
    end = int(below[0]) if below.size else len(errors)
    first = end // 2
    if end - first < 4:
        return None
    if np.all(errors[first:end] == errors[first]):
        return TailFit(1.0, 1.0)  # stuck: steadily at rate 1
    k = np.arange(first, end, dtype=float)
    logs = np.log(errors[first:end])
    centred, spread = k - k.mean(), logs - logs.mean()
    slope = float(centred @ spread / (centred @ centred))  # the least-squares slope
    explained = slope * slope * float(centred @ centred)
    return TailFit(float(np.exp(slope)), explained / float(spread @ spread))


#: The (α, β) map of observed rates: α over cell centres of [0, MAP_ALPHA_END], β of [0, MAP_BETA_END],
#: each cell a run of MAP_STEPS steps from w⁰ = 0. Shipped computed (data/model_rate_map.json, made by
#: `python -m momentum_core.model`): 1 000 runs take seconds, and no control changes them.
MAP_SHAPE = (25, 40)  # (β rows, α columns)
MAP_ALPHA_END = 40.0
MAP_BETA_END = 1.0
MAP_STEPS = 300
MAP_RESOLVED = 1e-7
RATE_MAP = Path(__file__).parent / "data" / "model_rate_map.json"


def map_axes() -> tuple[Array, Array]:
    """The map's cell centres: (α values, β values)."""
    rows, columns = MAP_SHAPE
    alphas = (np.arange(columns) + 0.5) * (MAP_ALPHA_END / columns)
    betas = (np.arange(rows) + 0.5) * (MAP_BETA_END / rows)
    return alphas, betas


def batch_distances(model: LogisticRegression, alphas: ArrayLike, betas: ArrayLike, steps: int) -> Array:
    """‖wᵏ − w*‖ (steps + 1 rows) for heavy-ball runs from w⁰ = 0 at each (αᵢ, βᵢ) at once (a column each):
    the same recursion as `heavy_ball_run`, with numpy's matrix products and exp (not the page's summation
    order: the map is computed here only). A run that leaves the floats reads inf from there on."""
    alphas, betas = np.asarray(alphas, dtype=float), np.asarray(betas, dtype=float)
    w = np.zeros((alphas.size, model.dim))
    z = np.zeros_like(w)
    target = model.optimum
    errors = np.empty((steps + 1, alphas.size))
    errors[0] = np.linalg.norm(w - target, axis=1)
    m = len(model.y)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            s = 1.0 / (1.0 + np.exp(-(w @ model.X.T)))
            z = betas[:, None] * z + (s - model.y) @ model.X / m + model.regularisation * w
            w = w - alphas[:, None] * z
            errors[k] = np.linalg.norm(w - target, axis=1)
    return np.where(np.isfinite(errors), errors, np.inf)


def rate_map(model: LogisticRegression, alphas: ArrayLike, betas: ArrayLike, steps: int = MAP_STEPS) -> Array:
    """The observed rate (`observed_rate` of a run from w⁰ = 0) at every (β row, α column) of the grid;
    nan where the run has no steady rate (it bounces) or resolves too fast to fit."""
    alphas, betas = np.asarray(alphas, dtype=float), np.asarray(betas, dtype=float)
    a, b = np.meshgrid(alphas, betas)
    errors = batch_distances(model, a.ravel(), b.ravel(), steps)
    fits = [observed_rate(errors[:, i], MAP_RESOLVED) for i in range(errors.shape[1])]
    return np.array([fit.rate if fit is not None and fit.steady else np.nan for fit in fits]).reshape(a.shape)


def shipped_rate_map() -> Array:
    """The map of observed rates as shipped (`rate_map` on `map_axes()`, rounded to 12 digits)."""
    with open(RATE_MAP) as handle:
        cells = json.load(handle)["rates"]
    return np.array([[np.nan if v is None else v for v in row] for row in cells], dtype=float)


def write_rate_map() -> None:
    """Compute the map of observed rates and write it where `shipped_rate_map` reads it."""
    rates = rate_map(LogisticRegression(*breast_cancer()), *map_axes())
    rows = [[None if np.isnan(v) else round(float(v), 12) for v in row] for row in rates]
    spec = {
        "shape": list(MAP_SHAPE),
        "alpha_end": MAP_ALPHA_END,
        "beta_end": MAP_BETA_END,
        "steps": MAP_STEPS,
    }
    RATE_MAP.write_text(json.dumps({**spec, "rates": rows}, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    write_rate_map()
