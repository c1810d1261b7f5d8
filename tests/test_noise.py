"""The counter-based gradient noise (momentum_core.noise): the same draws as a plain-integer rewrite of
its formula, and draws that behave like independent standard normals."""

import math

import numpy as np
import pytest

import momentum_core as mc


def mix(x: int) -> int:
    """lowbias32 on Python integers, masked to 32 bits at every step."""
    x ^= x >> 16
    x = (x * 0x7FEB352D) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 0x846CA68B) & 0xFFFFFFFF
    return x ^ (x >> 16)


def uniform(seed: int, i: int) -> float:
    key = mix((seed + 0x9E3779B9) & 0xFFFFFFFF)
    word = lambda j: mix((mix(j ^ key) + key) & 0xFFFFFFFF)  # noqa: E731
    return ((word(2 * i) >> 5) * 2**26 + (word(2 * i + 1) >> 6)) / 2**53


@pytest.mark.parametrize("seed", [0, 1, 7, 9999, 2**32 - 1])
def test_uniforms_are_the_formula_bit_for_bit(seed):
    got = mc.uniforms(seed, 300)
    assert [uniform(seed, i) for i in range(300)] == got.tolist()
    assert got.min() >= 0 and got.max() < 1


def test_normals_are_box_muller_of_the_uniforms_in_row_order():
    z = mc.normal_noise(5, 7, 3)  # 21 draws: an odd count uses half of the last pair
    u = mc.uniforms(5, 22)
    for n, value in enumerate(z.ravel()):
        pair = n // 2
        radius = math.sqrt(-2 * math.log(1 - u[2 * pair]))
        angle = 2 * math.pi * u[2 * pair + 1]
        assert value == pytest.approx(radius * (math.sin(angle) if n % 2 else math.cos(angle)), rel=1e-15)
    assert np.array_equal(mc.normal_noise(5, 10, 3)[:7], z)  # more steps: the same first rows


def test_draws_behave_like_independent_standard_normals():
    """Mean, variance, quantiles of N(0, 1); no correlation between neighbours, coordinates or seeds;
    the mean over 200 seeds spread as it should be (z-scores of standard deviation ≈ 1)."""
    z = mc.normal_noise(3, 200_000, 2)
    flat = z.ravel()
    assert abs(flat.mean()) < 4 / math.sqrt(flat.size) and abs(flat.var() - 1) < 0.01
    for q, expected in ((0.025, -1.95996), (0.5, 0.0), (0.841345, 1.0), (0.99, 2.32635)):
        assert np.quantile(flat, q) == pytest.approx(expected, abs=0.02)
    for a, b in ((z[:-1, 0], z[1:, 0]), (z[:, 0], z[:, 1]), (z[:, 0], mc.normal_noise(4, 200_000, 2)[:, 0])):
        assert abs(np.corrcoef(a, b)[0, 1]) < 0.01
    scores = [mc.normal_noise(seed, 5_000, 2).mean() * math.sqrt(10_000) for seed in range(200)]
    assert 0.8 < np.std(scores) < 1.2
