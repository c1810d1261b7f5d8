"""The precomputed states' tables (app/static_export.py): plotted columns travel as quantized integers."""

import numpy as np
import pytest

from app.static_export import LEVELS, _Pool, dequantize, quantize, varints


def read_varints(data: bytes, count: int) -> np.ndarray:
    """The page's decoding, written again: zigzag varints → deltas → levels."""
    levels, at, level = [], 0, 0
    for _ in range(count):
        zigzag, shift = 0, 0
        while True:
            byte = data[at]
            at += 1
            zigzag |= (byte & 127) << shift
            shift += 7
            if not byte & 128:
                break
        level += -(zigzag + 1) // 2 if zigzag % 2 else zigzag // 2
        levels.append(level)
    assert at == len(data)
    return np.array(levels)


@pytest.mark.parametrize(
    "values",
    [
        np.sin(np.linspace(0, 20, 3001)) * 3.7,  # a smooth path
        np.random.default_rng(1).normal(size=500) * 1e6,  # noise, big numbers
        np.geomspace(1e-14, 2.0, 400),  # errors over decades (a log axis)
        np.arange(-5, 1500, dtype=float),  # iteration counts: exact
        np.full(7, 0.25),  # one value
    ],
)
def test_a_column_comes_back_within_half_a_step_of_its_range(values):
    mode, low, high, levels = quantize(values)
    assert levels.min() >= 0 and levels.max() <= (LEVELS if mode else high - low)
    np.testing.assert_array_equal(read_varints(varints(levels), len(levels)), levels)
    back = dequantize(mode, low, high, levels)
    if mode == 0:
        np.testing.assert_array_equal(back, values)
    elif mode == 2:  # half a step in log₁₀: relative error ≤ ln 10 · span / (2 LEVELS)
        span = np.log10(values.max() / values.min())
        np.testing.assert_allclose(back, values, rtol=np.log(10) * span / (2 * LEVELS) * 1.01)
    else:
        step = (values.max() - values.min()) / LEVELS
        assert np.abs(back - values).max() <= step / 2 * 1.01


def test_a_smooth_path_takes_about_a_byte_a_point_and_repeats_are_stored_once():
    pool = _Pool()
    path = np.cos(np.linspace(0, 6, 2000))
    first = pool.add_column(path)
    assert len(pool.body) < 2 * len(path)
    assert pool.add_column(path.copy()) == first and len(pool.body) < 2 * len(path)
    assert pool.texts[pool.add_column([1.0, 2.0])] == "[1,2]"  # short columns stay JSON
    with pytest.raises(ValueError):
        pool.add_column([0.0, 1.0, np.nan, 2.0, 3.0])  # nothing non-finite ever reaches a page
