"""The browser-side closed forms of static copies (app/static/closed_forms.js) against momentum_core.

The module runs in Chromium on random states over the plane figures' full ranges — negative β, β = 0,
β ≥ 1, αλ at the stability edge 2 + 2β, tiny α, runs that leave the view or the floats — and the
whole figure state it gives (every path, end label and readout) must be what the served figure's
`update()` draws at that exact state: the same cut, numbers within 1e-9 of the path's scale, the
same text.
"""

import base64
import json
import math
import random
import re

import numpy as np
import pytest

from app.figure import shown_html
from app.figures import FIGURES
from app.in_page import CLOSED_FORMS, decomposition_spec, plane_spec
from app.url_state import format_rate

pytestmark = pytest.mark.browser

STATES_PER_FIGURE = 500  # three figures: 1 500 states


def random_states(key: str, n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    figure = FIGURES[key]
    lam_max = figure().quad().eigenvalues[-1]
    (a_low, a_high), (b_low, b_high) = figure.param.alpha.bounds, figure.param.beta.bounds
    (x_low, x_high), (y_low, y_high) = figure.param.x0.bounds, figure.param.y0.bounds
    states = []
    for i in range(n):
        beta = rng.choice([rng.uniform(b_low, b_high), 0.0, 1.0, b_high, b_low, rng.uniform(0.9, 1.02)])
        kind = i % 4
        if kind == 0:  # on the stability edge of the stiffest component: αλ = 2 + 2β
            alpha = min(max((2 + 2 * beta) / lam_max, a_low), a_high)
        elif kind == 1:  # tiny steps
            alpha = a_low * (1 + rng.random())
        else:
            alpha = 10 ** rng.uniform(math.log10(a_low), math.log10(a_high))
        states.append(
            {
                "alpha": alpha,
                "beta": beta,
                "steps": round(10 ** rng.uniform(0, math.log10(3000))),
                "x0": rng.uniform(x_low, x_high),
                "y0": rng.uniform(y_low, y_high),
                "showGd": rng.random() < 0.7,
            }
        )
    return states


def served_state(figure, state: dict) -> dict:
    """What the served figure draws at `state`: its frame columns, end labels and readout."""
    figure.param.update(
        alpha=state["alpha"], beta=state["beta"], steps=state["steps"], x0=state["x0"], y0=state["y0"],
        show_gd=state["showGd"],
    )  # fmt: skip
    labels = {
        key: {"x": label.x, "y": label.y, "text": label.text, "visible": label.visible}
        for key, label in figure.end_labels.items()
    }
    columns = {name: np.asarray(values, dtype=float) for name, values in figure.frame.data.items()}
    return {"columns": columns, "labels": labels, "readout": shown_html(figure.readout)}


NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?")


def assert_same_text(got: str, want: str, context: object) -> None:
    """The same words; numbers equal to 1e-9 relative (a rate within 1e-13 of 1 makes ⌈ln tol / ln rate⌉
    an 11-digit count that one ulp of a logarithm moves in its last digit)."""
    assert NUMBER.split(got) == NUMBER.split(want), (context, got, want)
    for mine, theirs in zip(NUMBER.findall(got), NUMBER.findall(want), strict=True):
        assert mine == theirs or math.isclose(float(mine), float(theirs), rel_tol=1e-9), (context, got, want)


IN_PAGE = """([spec, states]) => states.map((state) => {
  const result = mc.planeState(spec, state);
  for (const name of Object.keys(result.columns)) result.columns[name] = Array.from(result.columns[name]);
  return result;
})"""


@pytest.mark.parametrize("key", ["ravine", "nesterov"])
def test_the_page_computes_the_served_figure_at_every_state(page, key):
    page.goto("about:blank")
    page.evaluate(f"() => {{ window.mc = {CLOSED_FORMS}; }}")
    figure = FIGURES[key]()
    spec = json.loads(json.dumps(plane_spec(figure)))
    states = random_states(key, STATES_PER_FIGURE, seed=14 if key == "ravine" else 15)
    left = diverged = 0
    for first in range(0, len(states), 100):
        batch = states[first : first + 100]
        for state, got in zip(batch, page.evaluate(IN_PAGE, [spec, batch]), strict=True):
            want = served_state(figure, state)
            assert set(got["columns"]) == set(want["columns"]), state
            scale = max(1.0, *(np.abs(v).max() for v in want["columns"].values()))
            for name, values in want["columns"].items():
                assert len(got["columns"][name]) == len(values), (state, name)
                np.testing.assert_allclose(got["columns"][name], values, rtol=0, atol=1e-9 * scale)
            for path, label in want["labels"].items():
                mine = got["labels"][path]
                assert (mine["text"], mine["visible"]) == (label["text"], label["visible"]), state
                assert (
                    abs(mine["x"] - label["x"]) <= 1e-9 * scale
                    and abs(mine["y"] - label["y"]) <= 1e-9 * scale
                )
            assert_same_text(got["readout"], want["readout"], state)
            left += "leaves the view" in want["readout"]
            diverged += "diverges" in want["readout"]
    assert left >= 50 and diverged >= 100  # the random states did reach the edge cases


def decomposition_states(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    figure = FIGURES["decomposition"]
    lam_max = figure().quad().eigenvalues[-1]
    (a_low, a_high), (b_low, b_high) = figure.param.alpha.bounds, figure.param.beta.bounds
    states = []
    for i in range(n):
        beta = rng.choice([rng.uniform(b_low, b_high), 0.0, 1.0, b_high, b_low, rng.uniform(0.9, 1.02)])
        alpha = [
            min((2 + 2 * beta) / lam_max, a_high),  # the stability edge of λₙ
            a_low * (1 + rng.random()),
            10 ** rng.uniform(math.log10(a_low), math.log10(a_high)),
            10 ** rng.uniform(-1, 1),  # where the figure's story is
        ][i % 4]
        states.append(
            {
                "alpha": max(alpha, a_low),
                "beta": beta,
                "steps": rng.randint(1, 1000),
                "scale": rng.choice(["linear", "log"]),
            }
        )
    return states


IN_PAGE_DECOMPOSITION = """([spec, states]) => states.map((state) => {
  const result = mc.decompositionState(spec, state);
  for (const name of Object.keys(result.columns)) result.columns[name] = Array.from(result.columns[name]);
  return result;
})"""


def test_the_page_computes_the_served_decomposition_at_every_state(page):
    page.goto("about:blank")
    page.evaluate(f"() => {{ window.mc = {CLOSED_FORMS}; }}")
    figure = FIGURES["decomposition"]()
    spec = json.loads(json.dumps(decomposition_spec(figure)))
    states = decomposition_states(STATES_PER_FIGURE, seed=16)
    diverged = 0
    for first in range(0, len(states), 100):
        batch = states[first : first + 100]
        for state, got in zip(batch, page.evaluate(IN_PAGE_DECOMPOSITION, [spec, batch]), strict=True):
            figure.param.update(
                alpha=state["alpha"], beta=state["beta"], steps=state["steps"], scale=state["scale"]
            )
            want = {name: np.asarray(v, dtype=float) for name, v in figure.frame.data.items()}
            assert set(got["columns"]) == set(want), state
            scale = max(1e-300, *(np.abs(v).max() for v in want.values()))
            for name, values in want.items():
                assert len(got["columns"][name]) == len(values), (state, name)
                np.testing.assert_allclose(got["columns"][name], values, rtol=1e-9, atol=1e-12 * scale)
            y_range = figure.plots[state["scale"]].y_range
            np.testing.assert_allclose(got["yRange"], [y_range.start, y_range.end], rtol=1e-9)
            assert got["kRange"] == [figure.k_range.start, figure.k_range.end], state
            marker = figure.divergence_markers[0]
            assert got["marker"] == {"visible": marker.visible, "location": marker.location}, state
            assert_same_text(got["readout"], shown_html(figure.readout), state)
            diverged += "diverges" in shown_html(figure.readout)
    assert diverged >= 100


@pytest.mark.parametrize(
    "value",
    [0.5, 123456.0, 1e-5, 0.00012345, -2.0, 9999.5, 1.0625, 2.5e-7, 0.0, 1e300, math.inf, 0.1 + 0.2, 12.0],
)
def test_numbers_are_written_as_python_writes_them(page, value):
    """Python's ".4g" and ".3e", ties (9999.5, 1.0625: exactly halfway) rounded to even as Python does."""
    page.goto("about:blank")
    page.evaluate(f"() => {{ window.mc = {CLOSED_FORMS}; }}")
    written = page.evaluate("(x) => [mc.formatG(x, 4), mc.formatE(x, 3), mc.formatNumber(x)]", value)
    assert written == [format(value, ".4g"), format(value, ".3e"), format(value, ".4g")]


@pytest.mark.parametrize(
    "rate", [0.5, 0.9999, 0.99995, 1 - 1e-7, 0.99999998, 1.0, 1 + 1e-13, 1 + 3e-7, 1.00004, 7e6, math.inf]
)
def test_rates_are_written_as_python_writes_them(page, rate):
    """A rate that four digits would round to 1 reads as its distance from 1, in the page as served."""
    page.goto("about:blank")
    page.evaluate(f"() => {{ window.mc = {CLOSED_FORMS}; }}")
    assert page.evaluate("(x) => mc.formatRate(x)", rate) == format_rate(rate)


def regions_states(n: int, seed: int) -> list[dict]:
    """(α, β, κ, component) over the map's whole range: the divergence edge αλₙ = 2 + 2β, tiny α,
    β at 0, 1, the ends and negative, κ from 1 to 10⁴ (its ends too)."""
    rng = random.Random(seed)
    figure = FIGURES["regions"]
    (a_low, a_high), (b_low, b_high) = figure.param.alpha.bounds, figure.param.beta.bounds
    k_low, k_high = figure.param.kappa.bounds
    states = []
    for i in range(n):
        beta = rng.choice([rng.uniform(b_low, b_high), 0.0, 1.0, b_high, b_low, rng.uniform(0.9, 1.02)])
        alpha = [
            min(2 + 2 * beta, a_high),  # λₙ = 1: the divergence edge
            a_low * (1 + rng.random()),
            rng.uniform(a_low, a_high),
            rng.uniform(a_low, a_high),
        ][i % 4]
        kappa = rng.choice([k_low, k_high, 10 ** rng.uniform(0, 4), 10 ** rng.uniform(0, 4)])
        states.append({"alpha": alpha, "beta": beta, "kappa": kappa, "component": rng.randint(0, 1)})
    return states


IN_PAGE_REGIONS = """([spec, states]) => states.map((state) => {
  const map = mc.regionsMap(spec, state.kappa);
  const result = mc.regionsState(spec, state);
  for (const name of Object.keys(result.columns)) result.columns[name] = Array.from(result.columns[name]);
  const bytes = new Uint8Array(map.codes.buffer);  // base64: a long array crosses to Python slowly
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return {...result, map: {...map, codes: btoa(text)}};
})"""


def test_the_page_computes_the_served_region_map_at_every_state(page):
    """The rate image's colour codes equal (each cell the colour of momentum_core's rate), the labels,
    curves, optimum, roots, trace and readout as the served figure draws them."""
    from app.in_page import regions_spec

    page.goto("about:blank")
    page.evaluate(f"() => {{ window.mc = {CLOSED_FORMS}; }}")
    figure = FIGURES["regions"]()
    spec = json.loads(json.dumps(regions_spec(figure)))
    states = regions_states(STATES_PER_FIGURE, seed=17)
    diverged = ripples = 0
    for first in range(0, len(states), 50):
        batch = states[first : first + 50]
        for state, got in zip(batch, page.evaluate(IN_PAGE_REGIONS, [spec, batch]), strict=True):
            figure.param.update(
                alpha=state["alpha"], beta=state["beta"], kappa=state["kappa"],
                component=figure.param.component.objects[state["component"]],
            )  # fmt: skip
            codes = np.asarray(figure.image_source.data["rate"][0])
            assert np.array_equal(
                np.frombuffer(base64.b64decode(got["map"]["codes"]), "<u2").reshape(codes.shape), codes
            ), state
            assert got["map"]["labels"] == figure.labels_source.data, state
            assert math.isclose(got["map"]["low"], figure.color_mapper.low, rel_tol=1e-12), state
            for name in ("xs", "ys"):
                np.testing.assert_allclose(
                    got["map"]["critical"][name], figure.critical_source.data[name], rtol=1e-9, atol=1e-12
                )
            optimum = figure.optimum_source.data
            np.testing.assert_allclose(
                [got["map"]["optimum"]["x"], got["map"]["optimum"]["y"]],
                [optimum["x"], optimum["y"]],
                rtol=1e-12,
            )
            want = {name: np.asarray(v, dtype=float) for name, v in figure.frame.data.items()}
            assert set(got["columns"]) == set(want), state
            for name, values in want.items():
                assert len(got["columns"][name]) == len(values), (state, name)
                np.testing.assert_allclose(
                    got["columns"][name], values, rtol=0, atol=1e-9 * max(1.0, *abs(values))
                )
            assert math.isclose(got["reach"], figure.trace_plot.y_range.end, rel_tol=1e-9), state
            assert_same_text(got["readout"], shown_html(figure.readout), state)
            diverged += "diverges" in shown_html(figure.readout)
            ripples += "ripples" in shown_html(figure.readout)
    assert diverged >= 100 and ripples >= 50
