"""The heavy ball as a damped oscillator (Qian 1999, "On the momentum term in gradient descent").

m w'' + μ w' = −∇E(w); near a minimum each Hessian eigendirection k obeys m w'' + μ w' = −k w.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .quadratic import Quadratic
from .trajectories import gradient_descent, heavy_ball

Array = NDArray[np.float64]


def qian_parameters(m: float, mu: float, dt: float) -> tuple[float, float]:
    """Step ε = Δt²/(m + μΔt) and momentum p = m/(m + μΔt) of the discretised oscillator (Qian eqs. 4–5).

    Heavy ball in the Distill form has α = ε and β = p.
    """
    if m < 0 or mu <= 0 or dt <= 0:
        raise ValueError("Need mass m ≥ 0, friction μ > 0 and time step Δt > 0.")
    denominator = m + mu * dt
    return dt * dt / denominator, m / denominator


def continuous_roots(m: float, mu: float, k: ArrayLike) -> tuple[Array, Array]:
    """Roots λ₁,₂ = −μ/2m ± √(μ²/4m² − k/m) of m w'' + μ w' + k w = 0 (Qian eq. 8), complex where underdamped.

    λ₁ (with +) is the slow root that sets the decay.
    """
    k = np.asarray(k, dtype=float)
    centre = -mu / (2 * m)
    root = np.sqrt((mu / (2 * m)) ** 2 - k / m + 0j)
    return centre + root, centre - root


def oscillator_path(m: float, mu: float, k: float, t: ArrayLike, w0: float = 1.0, v0: float = 0.0) -> Array:
    """w(t) of m w'' + μ w' + k w = 0 with w(0) = w0, w'(0) = v0 (Qian eqs. 7–8): c₁e^(λ₁t) + c₂e^(λ₂t).

    At (or within round-off of) critical damping the double root λ gives (w0 + (v0 − λw0)t)e^(λt).
    """
    t = np.asarray(t, dtype=float)
    slow, fast = continuous_roots(m, mu, k)
    slow, fast = complex(slow), complex(fast)
    with np.errstate(over="ignore", invalid="ignore"):
        if abs(slow - fast) <= 1e-7 * max(abs(slow), 1e-300):
            root = (slow + fast).real / 2
            return (w0 + (v0 - root * w0) * t) * np.exp(root * t)
        c1 = (v0 - fast * w0) / (slow - fast)
        return (c1 * np.exp(slow * t) + (w0 - c1) * np.exp(fast * t)).real


def gradient_flow_path(mu: float, k: float, t: ArrayLike, w0: float = 1.0) -> Array:
    """w(t) = w0·e^(−kt/μ) without mass (Qian eq. 9)."""
    return w0 * np.exp(gradient_flow_root(mu, k) * np.asarray(t, dtype=float))


def gradient_flow_root(mu: float, k: ArrayLike) -> Array:
    """Decay rate without mass, λ₀ = −k/μ (Qian eq. 9)."""
    return -np.asarray(k, dtype=float) / mu


def continuous_speedup(m: float, mu: float, k: ArrayLike) -> Array | float:
    """|Re λ₁| / |λ₀|: above 1 iff k < μ²/2m, largest (2) at critical damping k = μ²/4m (Qian §Analysis)."""
    slow, _ = continuous_roots(m, mu, k)
    value = np.abs(slow.real) / np.abs(gradient_flow_root(mu, k))
    return float(value) if np.ndim(value) == 0 else value


def damping_regime(m: float, mu: float, k: ArrayLike) -> NDArray[np.str_]:
    """'underdamped' (k > μ²/4m), 'critical' or 'overdamped' (k < μ²/4m)."""
    k = np.asarray(k, dtype=float)
    critical = mu * mu / (4 * m)
    close = np.isclose(k, critical, rtol=1e-12, atol=0)
    return np.where(close, "critical", np.where(k > critical, "underdamped", "overdamped"))


def discrete_stable(epsilon: ArrayLike, p: ArrayLike, k: ArrayLike) -> NDArray[np.bool_]:
    """Qian's discrete stability: −1 < p < 1 and 0 < εk < 2 + 2p."""
    epsilon, p, k = (np.asarray(v, dtype=float) for v in (epsilon, p, k))
    return (p > -1) & (p < 1) & (epsilon * k > 0) & (epsilon * k < 2 + 2 * p)


def qian_experiment(
    m: float = 2.0,
    mu: float = 4.0,
    dt: float = 0.5,
    curvatures: ArrayLike = (3.0, 30.0),
    w0: ArrayLike = (1.0, 1.0),
    steps: int = 60,
) -> dict[str, Array]:
    """Qian's experiment: A = diag(3, 30), m = 2, μ = 4, Δt = 0.5.

    Momentum uses (ε, p) = qian_parameters(m, μ, Δt); plain descent with the same Δt has no
    mass, ε₀ = Δt/μ, p = 0. Momentum converges; plain descent diverges along k = 30 (ε₀k > 2).
    """
    problem = Quadratic.from_eigenvalues(curvatures)
    epsilon, p = qian_parameters(m, mu, dt)
    epsilon_plain, _ = qian_parameters(0.0, mu, dt)
    return {
        "momentum": heavy_ball(problem, w0, epsilon, p, steps),
        "plain": gradient_descent(problem, w0, epsilon_plain, steps),
    }
