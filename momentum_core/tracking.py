"""Following a moving target: heavy ball on fₖ(w) = ½λ(w − cₖ)², whose minimum cₖ moves every step.

In Polyak form wᵏ⁺¹ = wᵏ − αλ(wᵏ − cₖ) + β(wᵏ − wᵏ⁻¹), a linear filter from the targets to the iterates:
W(z)/C(z) = H(z) = αλz / (z² − (1 + β − αλ)z + β). The tracking error is eₖ = wᵏ⁺¹ − cₖ, the iterate
after the step that saw cₖ against cₖ: E(z)/C(z) = zH(z) − 1.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]


def tracking_run(lam: float, alpha: float, beta: float, targets: ArrayLike, w0: float = 0.0) -> Array:
    """w⁰…wᴺ for targets c₀…cₙ₋₁: zᵏ⁺¹ = βzᵏ + λ(wᵏ − cₖ), wᵏ⁺¹ = wᵏ − αzᵏ⁺¹, z⁰ = 0 (inf past overflow)."""
    targets = np.asarray(targets, dtype=float)
    out = np.empty(len(targets) + 1)
    w, z = float(w0), 0.0
    out[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for k, target in enumerate(targets):
            z = beta * z + lam * (w - target)
            w = w - alpha * z
            out[k + 1] = w
    bad = ~np.isfinite(out)
    if bad.any():
        out[int(np.argmax(bad)) :] = np.inf
    return out


def tracking_gain(lam: float, alpha: float, beta: float, omega: ArrayLike) -> Array | float:
    """Steady-state amplitude |zH(z) − 1|, z = e^(iω), of eₖ = wᵏ⁺¹ − cₖ for the target cₖ = cos(ωk).

    Valid when the run converges (max|σ(R)| < 1); 0 at ω = 0 (a fixed target is reached exactly).
    """
    z = np.exp(1j * np.asarray(omega, dtype=float))
    response = alpha * lam * z / (z * z - (1 + beta - alpha * lam) * z + beta)
    value = np.abs(z * response - 1)
    return float(value) if value.ndim == 0 else value
