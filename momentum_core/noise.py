"""Gradient noise that a browser can draw too: a counter-based generator, the same numbers in any language.

Draw j of a seed is a function of (seed, j) alone — no state carried from draw to draw — built from 32-bit
integer operations (multiply modulo 2³², shift, exclusive or) that numpy and JavaScript compute alike, so
a figure's page module (app/static/kernel.js, `normalNoise`) draws the noise momentum_core draws, value
for value (to the last bit of the uniforms; the normals pass through log, cos and sin, which the two
languages' maths libraries may round one ulp apart). numpy's own generators (PCG64, ziggurat sampling)
have no such twin in the page.

    word(seed, j) = mix(mix(j ⊕ key(seed)) + key(seed)),  key(seed) = mix(seed + 0x9E3779B9)
    uniform(seed, i) = (word(2i) ≫ 5 · 2²⁶ + word(2i + 1) ≫ 6) / 2⁵³  ∈ [0, 1), 53 random bits
    normals 2i, 2i + 1 = √(−2 ln(1 − u₂ᵢ)) · (cos, sin)(2π u₂ᵢ₊₁)   (Box and Muller 1958)

`mix` is Wellons' "lowbias32" integer hash (a full-avalanche permutation of the 32-bit words). The
tests check the draws' mean, variance, normal quantiles and correlations across steps and seeds.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

GOLDEN = 0x9E3779B9  # 2³²/φ: seeds 0, 1, 2, … land far apart before mixing


def mix(x: NDArray[np.uint32]) -> NDArray[np.uint32]:
    """lowbias32: x ⊕= x ≫ 16; x ·= 0x7FEB352D; x ⊕= x ≫ 15; x ·= 0x846CA68B; x ⊕= x ≫ 16 (mod 2³²)."""
    x = np.atleast_1d(np.asarray(x, dtype=np.uint32))  # arrays wrap silently; numpy scalars would warn
    x = x ^ (x >> np.uint32(16))
    x = x * np.uint32(0x7FEB352D)
    x = x ^ (x >> np.uint32(15))
    x = x * np.uint32(0x846CA68B)
    return x ^ (x >> np.uint32(16))


def _key(seed: int) -> NDArray[np.uint32]:
    return mix(np.uint32((int(seed) + GOLDEN) % 2**32))


def words(seed: int, count: int) -> NDArray[np.uint32]:
    """The seed's 32-bit words 0…count − 1."""
    key = _key(seed)
    j = np.arange(count, dtype=np.uint32)
    return mix(mix(j ^ key) + key)


def uniforms(seed: int, count: int) -> NDArray[np.float64]:
    """The seed's uniforms 0…count − 1 on [0, 1), each of 53 bits from two words."""
    w = words(seed, 2 * count)
    high, low = (w[0::2] >> np.uint32(5)).astype(np.float64), (w[1::2] >> np.uint32(6)).astype(np.float64)
    return (high * 2.0**26 + low) / 2.0**53


def normal_noise(seed: int, steps: int, dim: int) -> NDArray[np.float64]:
    """Standard normal draws, (steps, dim), row by row: draws 2i and 2i + 1 from uniforms 2i, 2i + 1."""
    count = int(steps) * int(dim)
    pairs = (count + 1) // 2
    u = uniforms(seed, 2 * pairs)
    radius = np.sqrt(-2.0 * np.log(1.0 - u[0::2]))
    angle = 2.0 * np.pi * u[1::2]
    draws = np.empty(2 * pairs)
    draws[0::2] = radius * np.cos(angle)
    draws[1::2] = radius * np.sin(angle)
    return draws[:count].reshape(int(steps), int(dim))
