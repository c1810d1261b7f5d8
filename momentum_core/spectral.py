"""Momentum in the eigenbasis: the 2×2 iteration matrix R, its spectrum, rates, regimes and optima.

Each eigencomponent evolves independently by (yᵏ⁺¹, xᵏ⁺¹) = R (yᵏ, xᵏ) with
R = [[β, λ], [−αβ, 1 − αλ]] (Distill, "The Dynamics of Momentum").
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]


class Regime(IntEnum):
    """How one eigencomponent behaves under (α, β) (Distill, "The Dynamics of Momentum")."""

    RIPPLES = 0  # complex roots: |σ| = √β, the error oscillates as it decays
    MONOTONE = 1  # real roots, dominant root ≥ 0: the error decays without changing sign
    ALTERNATING = 2  # real roots, dominant root < 0: the error flips sign every step
    DIVERGENT = 3  # max|σ| ≥ 1: the error does not shrink

    @property
    def label(self) -> str:
        return REGIME_LABELS[self]


REGIME_LABELS = {
    Regime.RIPPLES: "ripples (complex roots)",
    Regime.MONOTONE: "monotone decrease",
    Regime.ALTERNATING: "alternating sign",
    Regime.DIVERGENT: "diverges",
}


#: One eigencomponent (λ = 1) at a place (α, β) inside each of its behaviours, as the article's five small
#: examples show them: a name, α, β, and the regime `regime` gives there. "One step" is the special point
#: α = 1/λ, β = 0, where R = [[0, λ], [0, 0]] is nilpotent: x¹ = (1 − αλ)x⁰ = 0, and the error is gone.
REGIME_EXAMPLES: tuple[tuple[str, float, float, Regime], ...] = (
    ("ripples", 0.15, 0.97, Regime.RIPPLES),
    ("monotone decrease", 0.3, 0.05, Regime.MONOTONE),
    ("one step", 1.0, 0.0, Regime.MONOTONE),
    ("alternating sign", 1.95, 0.05, Regime.ALTERNATING),
    ("diverges", 2.6, 0.25, Regime.DIVERGENT),
)


def iteration_matrix(alpha: ArrayLike, beta: ArrayLike, lam: ArrayLike) -> Array:
    """R = [[β, λ], [−αβ, 1 − αλ]] (Distill eq. for R); arrays broadcast to a stack (…, 2, 2)."""
    alpha, beta, lam = (np.asarray(v, dtype=float) for v in (alpha, beta, lam))
    return matrices_2x2(beta, lam, -alpha * beta, 1 - alpha * lam)


def nesterov_iteration_matrix(alpha: ArrayLike, beta: ArrayLike, lam: ArrayLike) -> Array:
    """Nesterov's R in the look-ahead form: y' = β(1 − αλ)y + λx, x' = x − αy' (Sutskever et al. 2013)."""
    alpha, beta, lam = (np.asarray(v, dtype=float) for v in (alpha, beta, lam))
    shrink = 1 - alpha * lam
    return matrices_2x2(beta * shrink, lam, -alpha * beta * shrink, shrink)


def matrices_2x2(m00: ArrayLike, m01: ArrayLike, m10: ArrayLike, m11: ArrayLike) -> Array:
    """[[m00, m01], [m10, m11]] from entries that broadcast together: (…, 2, 2)."""
    entries = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (m00, m01, m10, m11)))
    return np.stack(entries, axis=-1).reshape((*entries[0].shape, 2, 2))


def _trace_and_discriminant(alpha: ArrayLike, beta: ArrayLike, lam: ArrayLike) -> tuple[Array, Array]:
    """t = 1 + β − αλ and Δ = t² − 4β: σ(R) = ½(t ± √Δ) (Distill, eigenvalues of R)."""
    alpha, beta, lam = (np.asarray(v, dtype=float) for v in (alpha, beta, lam))
    t = 1 + beta - alpha * lam
    return t, t * t - 4 * beta


def _largest_root_modulus(t: Array, d: Array) -> Array:
    """max|σ| over the roots of σ² − tσ + d = 0, in real arithmetic.

    Complex roots (Δ = t² − 4d < 0): |σ| = √d. Real roots: max|½(t ± √Δ)| = ½(|t| + √Δ).
    """
    disc = t * t - 4 * d
    with np.errstate(invalid="ignore"):
        complex_modulus = np.sqrt(np.maximum(d, 0.0))
        real_modulus = 0.5 * (np.abs(t) + np.sqrt(np.maximum(disc, 0.0)))
    return np.where(disc < 0, complex_modulus, real_modulus)


def spectral_radius(alpha: ArrayLike, beta: ArrayLike, lam: ArrayLike) -> Array:
    """max|σ(R)| for one eigenvalue, broadcast over α, β, λ: trace 1 + β − αλ, determinant β (Distill)."""
    t, _ = _trace_and_discriminant(alpha, beta, lam)
    return _largest_root_modulus(t, np.asarray(beta, dtype=float) + 0 * t)


def nesterov_spectral_radius(alpha: ArrayLike, beta: ArrayLike, lam: ArrayLike) -> Array:
    """max|σ| of Nesterov's R: trace (1 + β)(1 − αλ), determinant β(1 − αλ) (Sutskever et al. 2013)."""
    alpha, beta, lam = (np.asarray(v, dtype=float) for v in (alpha, beta, lam))
    shrink = 1 - alpha * lam
    return _largest_root_modulus((1 + beta) * shrink, beta * shrink)


def nesterov_rate(alpha: ArrayLike, beta: ArrayLike, eigenvalues: ArrayLike) -> Array | float:
    """Rate of Nesterov's method: max over the eigenvalues λᵢ of `nesterov_spectral_radius`."""
    lam = np.atleast_1d(np.asarray(eigenvalues, dtype=float))
    alpha, beta = np.asarray(alpha, dtype=float)[..., None], np.asarray(beta, dtype=float)[..., None]
    rate = nesterov_spectral_radius(alpha, beta, lam).max(axis=-1)
    return float(rate) if rate.ndim == 0 else rate


def nesterov_parameters(lam_min: float, lam_max: float) -> tuple[float, float]:
    """Nesterov's constant-step choice for μ-strongly convex, L-smooth f: α = 1/L, β = (√κ − 1)/(√κ + 1)

    (Nesterov 2004, §2.2). On a quadratic the slowest component (λ = μ) is then critically damped,
    with the double root 1 − 1/√κ: that is the rate.
    """
    root_kappa = np.sqrt(lam_max / lam_min)
    return float(1.0 / lam_max), float((root_kappa - 1) / (root_kappa + 1))


def iteration_eigenvalues(alpha: float, beta: float, lam: float) -> NDArray[np.complex128]:
    """σ₁,₂ = ½(1 + β − αλ ± √((1 + β − αλ)² − 4β)) (Distill), largest modulus first."""
    t, disc = _trace_and_discriminant(alpha, beta, lam)
    root = np.sqrt(complex(disc))
    roots = np.array([(t + root) / 2, (t - root) / 2], dtype=complex)
    return roots[np.argsort(-np.abs(roots), kind="stable")]


def convergence_rate(alpha: ArrayLike, beta: ArrayLike, eigenvalues: ArrayLike) -> Array | float:
    """Rate of heavy ball: max over the eigenvalues λᵢ of max|σ(Rᵢ)| (Distill).

    `alpha` and `beta` broadcast against each other (a whole grid in one call); `eigenvalues`
    is a scalar or a 1-D array. Gradient descent is β = 0, where the rate is max|1 − αλᵢ|.
    Same closed form as `spectral_radius`, evaluated in place one eigenvalue at a time so a
    512 × 512 grid stays in cache.
    """
    lam = np.atleast_1d(np.asarray(eigenvalues, dtype=float))
    alpha, beta = np.broadcast_arrays(np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float))
    if alpha.size < lam.size:  # few (α, β), many λ (a large problem): vectorise over λ instead
        rate = spectral_radius(alpha[..., None], beta[..., None], lam).max(axis=-1)
        return float(rate) if rate.ndim == 0 else rate
    sqrt_beta = np.sqrt(np.maximum(beta, 0.0))
    t, disc = np.empty(alpha.shape), np.empty(alpha.shape)
    rate = np.zeros(alpha.shape)
    for value in lam:
        np.multiply(alpha, -value, out=t)
        t += 1 + beta  # t = 1 + β − αλ
        np.multiply(t, t, out=disc)
        disc -= 4 * beta  # Δ = t² − 4β
        complex_roots = disc < 0
        np.sqrt(np.abs(disc, out=disc), out=disc)
        np.abs(t, out=t)
        t += disc
        t *= 0.5  # real roots: ½(|t| + √Δ)
        np.copyto(t, sqrt_beta, where=complex_roots)  # complex roots: √β
        np.maximum(rate, t, out=rate)
    return float(rate) if rate.ndim == 0 else rate


def regime(alpha: ArrayLike, beta: ArrayLike, lam: ArrayLike) -> NDArray[np.int64]:
    """Regime of one eigencomponent (values of `Regime`), broadcast over α, β, λ."""
    t, disc = _trace_and_discriminant(alpha, beta, lam)
    rate = spectral_radius(alpha, beta, lam)
    codes = np.where(disc < 0, Regime.RIPPLES, np.where(t >= 0, Regime.MONOTONE, Regime.ALTERNATING))
    return np.where(rate >= 1, Regime.DIVERGENT, codes).astype(np.int64)


def dominant_regime(alpha: ArrayLike, beta: ArrayLike, eigenvalues: ArrayLike) -> NDArray[np.int64]:
    """Regime of the slowest eigencomponent (the one setting the rate), broadcast like `convergence_rate`."""
    lam = np.atleast_1d(np.asarray(eigenvalues, dtype=float))
    alpha = np.asarray(alpha, dtype=float)[..., None]
    beta = np.asarray(beta, dtype=float)[..., None]
    rates = spectral_radius(alpha, beta, lam)
    slowest = rates.argmax(axis=-1)[..., None]
    codes = regime(alpha, beta, lam)
    codes = np.broadcast_to(codes, rates.shape)
    return np.take_along_axis(codes, slowest, axis=-1)[..., 0]


def critical_damping(alpha: ArrayLike, lam: ArrayLike) -> Array | float:
    """β = (1 − √(αλ))², the boundary between complex and real roots (Distill)."""
    value = (1 - np.sqrt(np.asarray(alpha, dtype=float) * np.asarray(lam, dtype=float))) ** 2
    return float(value) if np.ndim(value) == 0 else value


def stability_limit(beta: ArrayLike, lam: ArrayLike) -> Array | float:
    """Largest stable step-size: heavy ball converges iff 0 < αλ < 2 + 2β, −1 < β < 1 (Distill; Qian 1999)."""
    value = (2 + 2 * np.asarray(beta, dtype=float)) / np.asarray(lam, dtype=float)
    return float(value) if np.ndim(value) == 0 else value


def optimal_step_size(lam_min: float, lam_max: float) -> float:
    """Gradient descent's best step-size α = 2/(λ₁ + λₙ) (Distill)."""
    return 2.0 / (lam_min + lam_max)


def optimal_parameters(lam_min: float, lam_max: float) -> tuple[float, float]:
    """Momentum's optimum: α* = (2/(√λ₁ + √λₙ))², β* = ((√κ − 1)/(√κ + 1))² (Distill; textbook 001)."""
    root_min, root_max = np.sqrt(lam_min), np.sqrt(lam_max)
    alpha = (2.0 / (root_min + root_max)) ** 2
    beta = ((root_max - root_min) / (root_max + root_min)) ** 2
    return float(alpha), float(beta)


def gd_optimal_rate(kappa: ArrayLike) -> Array | float:
    """Gradient descent's rate at α = 2/(λ₁ + λₙ): (κ − 1)/(κ + 1)."""
    kappa = np.asarray(kappa, dtype=float)
    value = (kappa - 1) / (kappa + 1)
    return float(value) if value.ndim == 0 else value


def momentum_optimal_rate(kappa: ArrayLike) -> Array | float:
    """Momentum's rate at (α*, β*): (√κ − 1)/(√κ + 1), also Nesterov's lower bound."""
    root = np.sqrt(np.asarray(kappa, dtype=float))
    value = (root - 1) / (root + 1)
    return float(value) if value.ndim == 0 else value


def iterations_to_tolerance(rate: ArrayLike, tolerance: float) -> Array | float:
    """Fewest steps k ≥ 0 with rateᵏ ≤ tolerance < 1: ⌈ln tol / ln rate⌉ (1 if rate is 0, inf if rate ≥ 1)."""
    rate = np.asarray(rate, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        steps = np.ceil(np.log(tolerance) / np.log(rate))
    steps = np.where(rate >= 1, np.inf, np.where(rate <= 0, 1.0, steps))
    return float(steps) if steps.ndim == 0 else steps


def speedup_per_step(kappa: ArrayLike) -> Array | float:
    """Ratio of per-step error reduction (1 − ρ_momentum)/(1 − ρ_GD) (the textbook's "Speedup Factor")."""
    value = (1 - np.asarray(momentum_optimal_rate(kappa))) / (1 - np.asarray(gd_optimal_rate(kappa)))
    return float(value) if value.ndim == 0 else value


def speedup_in_iterations(kappa: ArrayLike) -> Array | float:
    """Ratio of iterations to reach a tolerance, N_GD/N_momentum = ln ρ_momentum / ln ρ_GD."""
    kappa = np.asarray(kappa, dtype=float)
    value = np.log(momentum_optimal_rate(kappa)) / np.log(gd_optimal_rate(kappa))
    return float(value) if value.ndim == 0 else value
