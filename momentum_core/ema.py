"""The momentum buffer as an exponential moving average of past gradients (textbook 001).

zᵏ = gᵏ + βgᵏ⁻¹ + β²gᵏ⁻² + …: the gradient j steps back carries weight βʲ.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray


def _check_beta(beta: float) -> None:
    if not 0 <= beta < 1:
        raise ValueError(f"The EMA view needs 0 ≤ β < 1, got β = {beta}.")


def ema_weights(beta: float, count: int) -> NDArray[np.float64]:
    """Weights β⁰, β¹, …, β^(count−1) of the last `count` gradients, newest first."""
    _check_beta(beta)
    return beta ** np.arange(count, dtype=float)


def ema_half_life(beta: float) -> float:
    """Steps after which a gradient's weight has halved: ln 0.5 / ln β (0 for β = 0)."""
    _check_beta(beta)
    return 0.0 if beta == 0 else math.log(0.5) / math.log(beta)


def ema_window(beta: float) -> float:
    """Effective window 1/(1 − β): the total weight, in units of the newest gradient's."""
    _check_beta(beta)
    return 1.0 / (1.0 - beta)


def ema_steps_for_weight(beta: float, fraction: float) -> int:
    """Smallest n with 1 − βⁿ ≥ fraction: the last n gradients carry that share of all the weight."""
    _check_beta(beta)
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must lie in (0, 1), got {fraction}.")
    if beta == 0:
        return 1
    n = math.ceil(math.log(1 - fraction) / math.log(beta))
    while 1 - beta ** (n - 1) >= fraction and n > 1:  # guard against round-off in the logs
        n -= 1
    while 1 - beta**n < fraction:
        n += 1
    return n
