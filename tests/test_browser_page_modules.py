"""Each figure's page module (app/figures/<key>.js on the kernel app/static/kernel.js) against its
Python figure, which computes with momentum_core.

A module runs in Chromium on random states over its figure's full ranges — negative β, β = 0, β ≥ 1,
αλ at the stability edge 2 + 2β, tiny α, runs that leave the view or the floats — and the whole
figure state it gives (every column, label, range and readout) must be what the figure's `update()`
draws at that exact state: the same cut, numbers within 1e-9 of the column's scale, colour codes and
counts exactly, the same text. The comparison fails when a module is off by 1e-6 (tested: a result
moved by that much is refused).
"""

import base64
import json
import math
import multiprocessing
import random
import re
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from browser import evaluate_json

import momentum_core as mc
from app.figure import shown_html
from app.figures import FIGURES
from app.figures.formulations import START
from app.page_module import KERNEL, module_source
from app.url_state import format_rate

pytestmark = pytest.mark.browser

STATES_PER_FIGURE = 1000
#: A module's numbers may differ from Python's by this much relative to the column's scale (round-off).
TOLERANCE = 1e-9
#: What the comparison must catch: a module off by this much.
CAUGHT = 1e-6


def load(page, key: str) -> dict:
    """A blank page holding the kernel as `mc` and the figure's module as `fig`; the figure's spec."""
    page.goto("about:blank")
    module = module_source(FIGURES[key])
    page.evaluate(f"() => {{ window.mc = {KERNEL}; window.fig = ({module})(window.mc); }}")
    return json.loads(json.dumps(FIGURES[key]().page_spec()))


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
        assert mine == theirs or math.isclose(float(mine), float(theirs), rel_tol=TOLERANCE), (
            context,
            got,
            want,
        )


def assert_columns(
    got: dict, want: dict, context: object, scale: float | None = None, floor: float = 1e-300
) -> None:
    """The same columns, each as long, its values within TOLERANCE of the column's scale (or `scale`;
    at least `floor`: a column of round-off next to 1, as |zH − 1|, is on the scale of 1)."""
    assert set(got) == set(want), context
    for name, values in want.items():
        values = np.asarray(values, dtype=float)
        assert len(got[name]) == len(values), (context, name)
        reach = scale if scale is not None else max(floor, float(np.abs(values).max()))
        np.testing.assert_allclose(got[name], values, rtol=0, atol=TOLERANCE * reach, err_msg=str(context))


def assert_log_column(got: object, want: object, context: object, atol: float = 0.0) -> None:
    """A column drawn on a log axis travels as float32 where that is under a pixel (app.figure.on_log_axis):
    as long as the page's, within float32's rounding of its float64, or both within `atol` (round-off
    where Python's and the page's arithmetic part ways, below the plot's floor)."""
    assert len(got) == len(want), context
    np.testing.assert_allclose(got, want, rtol=2.0**-24 + TOLERANCE, atol=atol, err_msg=str(context))


IN_PAGE = """([spec, states]) => states.map((state) => {
  const result = fig.state(spec, state);
  for (const name of Object.keys(result.columns)) result.columns[name] = Array.from(result.columns[name]);
  return result;
})"""


@pytest.mark.parametrize("key", ["ravine", "nesterov"])
def test_the_page_computes_the_served_figure_at_every_state(page, key):
    readouts = [want["readout"] for want in compared(page, key, STATES_PER_FIGURE)]
    assert sum("leaves the view" in r for r in readouts) >= 50  # the random states reached the edges
    assert sum("diverges" in r for r in readouts) >= 100


def assert_plane(got: dict, want: dict, state: object) -> None:
    """A plane figure's paths, end labels and readout as the served figure draws them."""
    scale = max(1.0, *(np.abs(v).max() for v in want["columns"].values()))
    assert_columns(got["columns"], want["columns"], state, scale)
    for path, label in want["labels"].items():
        mine = got["labels"][path]
        assert (mine["text"], mine["visible"]) == (label["text"], label["visible"]), state
        assert abs(mine["x"] - label["x"]) <= TOLERANCE * scale, state
        assert abs(mine["y"] - label["y"]) <= TOLERANCE * scale, state
    assert_same_text(got["readout"], want["readout"], state)


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


def decomposition_drawn(figure, state: dict) -> dict:
    """What the served decomposition draws at `state`: bands, ranges, marker, readout."""
    figure.param.update(alpha=state["alpha"], beta=state["beta"], steps=state["steps"], scale=state["scale"])
    y_range = figure.plots[state["scale"]].y_range
    marker = figure.divergence_markers[0]
    return {
        "columns": {name: np.asarray(v, dtype=float) for name, v in figure.frame.data.items()},
        "yRange": [y_range.start, y_range.end],
        "kRange": [figure.k_range.start, figure.k_range.end],
        "marker": {"visible": marker.visible, "location": marker.location},
        "done": dict(figure.done_source.data),
        "doneRange": [figure.done_plot.y_range.start, figure.done_plot.y_range.end],
        "readout": shown_html(figure.readout),
    }


def assert_decomposition(got: dict, want: dict, state: object) -> None:
    assert_columns(got["columns"], want["columns"], state)
    np.testing.assert_allclose(got["yRange"], want["yRange"], rtol=TOLERANCE, err_msg=str(state))
    assert got["kRange"] == want["kRange"], state
    assert got["marker"] == want["marker"], state
    assert got["done"] == want["done"] and got["doneRange"] == want["doneRange"], state  # steps: exactly
    assert_same_text(got["readout"], want["readout"], state)


def test_the_page_computes_the_served_decomposition_at_every_state(page):
    readouts = [want["readout"] for want in compared(page, "decomposition", STATES_PER_FIGURE)]
    assert sum("diverges" in r for r in readouts) >= 100


@pytest.mark.parametrize(
    "value",
    [0.5, 123456.0, 1e-5, 0.00012345, -2.0, 9999.5, 1.0625, 2.5e-7, 0.0, 1e300, math.inf, 0.1 + 0.2, 12.0],
)
def test_numbers_are_written_as_python_writes_them(page, value):
    """Python's ".4g" and ".3e", ties (9999.5, 1.0625: exactly halfway) rounded to even as Python does."""
    load(page, "ravine")
    written = page.evaluate("(x) => [mc.formatG(x, 4), mc.formatE(x, 3), mc.formatNumber(x)]", value)
    assert written == [format(value, ".4g"), format(value, ".3e"), format(value, ".4g")]


@pytest.mark.parametrize(
    "rate", [0.5, 0.9999, 0.99995, 1 - 1e-7, 0.99999998, 1.0, 1 + 1e-13, 1 + 3e-7, 1.00004, 7e6, math.inf]
)
def test_rates_are_written_as_python_writes_them(page, rate):
    """A rate that four digits would round to 1 reads as its distance from 1, in the page as served."""
    load(page, "ravine")
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
  const map = fig.regionsMap(spec, state.kappa);
  const result = fig.regionsState(spec, state);
  for (const name of Object.keys(result.columns)) result.columns[name] = Array.from(result.columns[name]);
  const bytes = new Uint8Array(map.codes.buffer);  // base64: a long array crosses to Python slowly
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return {...result, map: {...map, codes: btoa(text)}};
})"""


def regions_drawn(figure, state: dict) -> dict:
    """What the served regions figure draws at `state`: the map's layers, roots, trace and readout."""
    figure.param.update(
        alpha=state["alpha"], beta=state["beta"], kappa=state["kappa"],
        component=figure.param.component.objects[state["component"]],
    )  # fmt: skip
    return {
        "codes": np.asarray(figure.image_source.data["rate"][0]),
        "labels": {name: list(values) for name, values in figure.labels_source.data.items()},
        "low": figure.color_mapper.low,
        "critical": {name: figure.critical_source.data[name] for name in ("xs", "ys")},
        "optimum": [figure.optimum_source.data["x"], figure.optimum_source.data["y"]],
        "columns": {name: np.asarray(v, dtype=float) for name, v in figure.frame.data.items()},
        "reach": figure.trace_plot.y_range.end,
        "readout": shown_html(figure.readout),
    }


def assert_regions(got: dict, want: dict, state: object) -> None:
    codes = np.frombuffer(base64.b64decode(got["map"]["codes"]), "<u2").reshape(want["codes"].shape)
    assert np.array_equal(codes, want["codes"]), state
    assert got["map"]["labels"] == want["labels"], state
    assert math.isclose(got["map"]["low"], want["low"], rel_tol=TOLERANCE), state
    for name in ("xs", "ys"):
        np.testing.assert_allclose(got["map"]["critical"][name], want["critical"][name], rtol=TOLERANCE)
    optimum = [got["map"]["optimum"]["x"], got["map"]["optimum"]["y"]]
    np.testing.assert_allclose(optimum, want["optimum"], rtol=TOLERANCE)
    assert_columns(got["columns"], want["columns"], state, max(1.0, *(abs(want["columns"]["trace"]))))
    assert math.isclose(got["reach"], want["reach"], rel_tol=TOLERANCE), state
    assert_same_text(got["readout"], want["readout"], state)


def test_the_page_computes_the_served_region_map_at_every_state(page):
    """The rate image's colour codes equal (each cell the colour of momentum_core's rate), the labels,
    curves, optimum, roots, trace and readout as the served figure draws them."""
    readouts = [want["readout"] for want in compared(page, "regions", STATES_PER_FIGURE, batch=50)]
    assert sum("diverges" in r for r in readouts) >= 100 and sum("ripples" in r for r in readouts) >= 50


def condition_states(n: int, seed: int) -> list[dict]:
    """κ over [1, 10⁶] (its ends, near 1, log-uniform) and any number of digits in [1, 12]."""
    rng = random.Random(seed)
    (k_low, k_high), (d_low, d_high) = (FIGURES["condition"].param[p].bounds for p in ("kappa", "digits"))
    return [
        {
            "kappa": rng.choice([k_low, k_high, 1 + rng.random() * 1e-3, 10 ** rng.uniform(0, 6)]),
            "digits": rng.choice(
                [d_low, d_high, round(rng.uniform(d_low, d_high) * 2) / 2, rng.uniform(1, 12)]
            ),
        }
        for _ in range(n)
    ]


def condition_drawn(figure, state: dict) -> dict:
    figure.param.update(**state)
    return {
        "columns": {name: np.asarray(v, dtype=float) for name, v in figure.frame.data.items()},
        "readout": shown_html(figure.readout),
    }


def assert_readout_and_columns(got: dict, want: dict, state: object) -> None:
    assert_columns(got["columns"], want["columns"], state)
    assert_same_text(got["readout"], want["readout"], state)


def test_the_page_computes_the_served_condition_figure_at_every_state(page):
    compared(page, "condition", STATES_PER_FIGURE, batch=250)


def damping_states(n: int, seed: int) -> list[dict]:
    """α log-uniform (its ends too), β anywhere, at 0, 1, its ends, or at a component's critical damping
    (± a little: the readout's "critically damped" window), steps from 10 to 1000."""
    rng = random.Random(seed)
    figure = FIGURES["damping"]
    (a_low, a_high), (b_low, b_high) = figure.param.alpha.bounds, figure.param.beta.bounds
    states = []
    for _ in range(n):
        alpha = rng.choice([a_low, a_high, 10 ** rng.uniform(math.log10(a_low), math.log10(a_high))])
        critical = float(mc.critical_damping(alpha, rng.choice([1.0, 100.0])))
        beta = rng.choice(
            [
                rng.uniform(b_low, b_high),
                0.0,
                1.0,
                b_low,
                b_high,
                critical,
                critical + rng.uniform(-1e-3, 1e-3),
            ]
        )
        states.append({"alpha": alpha, "beta": min(max(beta, b_low), b_high), "steps": rng.randint(10, 1000)})
    return states


def plot_ranges(plot) -> list[list[float]]:
    return [[plot.x_range.start, plot.x_range.end], [plot.y_range.start, plot.y_range.end]]


def damping_drawn(figure, state: dict) -> dict:
    figure.param.update(**state)
    return {
        "columns": {name: np.asarray(v, dtype=float) for name, v in figure.frame.data.items()},
        "bar": dict(figure.bar_source.data),
        "ranges": [plot_ranges(f) for f in figure.portraits],
        "grid": {
            "columns": {name: np.asarray(v, dtype=float) for name, v in figure.grid_source.data.items()},
            "ranges": [plot_ranges(f) for f in figure.grid_plots],
            "titles": [f.title.text for f in figure.grid_plots],
        },
        "labels": [{"x": b.x, "text": b.text, "align": b.text_align} for b in figure.bar_labels],
        "beta": figure.beta_mark.location,
        "readout": shown_html(figure.readout),
    }


def assert_damping(got: dict, want: dict, state: object) -> None:
    assert_columns(got["columns"], want["columns"], state, scale=max(1.0, *(
        float(np.abs(v).max()) for v in want["columns"].values())))  # fmt: skip
    grid = want["grid"]["columns"]
    assert_columns(
        got["grid"]["columns"], grid, state, scale=max(float(np.abs(v).max()) for v in grid.values())
    )
    for name in ("ranges",):
        np.testing.assert_allclose(got[name], want[name], rtol=TOLERANCE, atol=1e-12, err_msg=str(state))
        np.testing.assert_allclose(got["grid"][name], want["grid"][name], rtol=TOLERANCE, atol=1e-12)
    assert got["grid"]["titles"] == want["grid"]["titles"], state
    assert got["bar"]["row"] == want["bar"]["row"] and got["bar"]["color"] == want["bar"]["color"], state
    for edge in ("left", "right"):
        np.testing.assert_allclose(got["bar"][edge], want["bar"][edge], rtol=TOLERANCE, atol=1e-15)
    for mine, theirs in zip(got["labels"], want["labels"], strict=True):
        assert math.isclose(mine["x"], theirs["x"], rel_tol=TOLERANCE), state
        assert_same_text(mine["text"], theirs["text"], state)
        assert mine["text_align"] == theirs["align"], state
    assert got["beta"] == want["beta"], state
    assert_same_text(got["readout"], want["readout"], state)


def test_the_page_computes_the_served_damping_figure_at_every_state(page):
    readouts = [want["readout"] for want in compared(page, "damping", STATES_PER_FIGURE)]
    assert (
        sum("critically damped" in r for r in readouts) >= 50 and sum("diverges" in r for r in readouts) >= 50
    )


def hurts_states(n: int, seed: int) -> list[dict]:
    """α and λ log-uniform (their ends too, and αλ at 1 and at the edge 2 + 2β), β anywhere (0, its
    ends), ω anywhere in [0, π] (its ends too)."""
    rng = random.Random(seed)
    figure = FIGURES["hurts"]
    bounds = {name: figure.param[name].bounds for name in ("alpha", "beta", "curvature", "omega")}
    log_uniform = lambda low, high: 10 ** rng.uniform(math.log10(low), math.log10(high))  # noqa: E731
    states = []
    for i in range(n):
        beta = rng.choice([rng.uniform(*bounds["beta"]), 0.0, *bounds["beta"], rng.uniform(0.9, 1.0)])
        lam = rng.choice([*bounds["curvature"], log_uniform(*bounds["curvature"])])
        alpha = [log_uniform(*bounds["alpha"]), 1 / lam, (2 + 2 * beta) / lam, rng.choice(bounds["alpha"])][
            i % 4
        ]
        omega = rng.choice([*bounds["omega"], rng.uniform(*bounds["omega"])])
        alpha = min(max(alpha, bounds["alpha"][0]), bounds["alpha"][1])
        states.append({"alpha": alpha, "beta": beta, "curvature": lam, "omega": omega})
    return states


def hurts_drawn(figure, state: dict) -> dict:
    figure.param.update(**state)
    return {
        "columns": {name: np.asarray(v) for name, v in figure.frame.data.items()},
        "marks": [figure.marks["lam"].location, figure.marks["omega"].location],
        "readout": shown_html(figure.readout),
    }


def assert_hurts(got: dict, want: dict, state: object) -> None:
    """Columns as assert_columns; one drawn on a log axis travels as float32 (app.figure.on_log_axis):
    within float32's rounding of the page's float64."""
    columns = want["columns"]
    float32 = {name for name, values in columns.items() if values.dtype == np.float32}
    assert_columns(
        {name: v for name, v in got["columns"].items() if name not in float32},
        {name: v for name, v in columns.items() if name not in float32},
        state,
        floor=1.0,  # rates, gains and tracks are drawn on axes of about 1
    )
    for name in float32:
        assert_log_column(got["columns"][name], columns[name], (state, name))
    assert got["lam"] == want["marks"][0] and got["omega"] == want["marks"][1], state
    assert_same_text(got["readout"], want["readout"], state)


def test_the_page_computes_the_served_hurts_figure_at_every_state(page):
    readouts = [want["readout"] for want in compared(page, "hurts", STATES_PER_FIGURE)]
    assert sum("diverges" in r for r in readouts) >= 50
    assert (
        sum("plain descent wins" in r for r in readouts) >= 50
        and sum("momentum wins" in r for r in readouts) >= 50
    )


def formulations_states(n: int, seed: int) -> list[dict]:
    """α log-uniform (its ends, and the stability edge of λₙ), β in [0, 0.995] (its ends, near 1),
    1 to 1000 steps."""
    rng = random.Random(seed)
    figure = FIGURES["formulations"]
    lam_max = figure().quad().eigenvalues[-1]
    (a_low, a_high), (b_low, b_high) = figure.param.alpha.bounds, figure.param.beta.bounds
    states = []
    for i in range(n):
        beta = rng.choice([rng.uniform(b_low, b_high), b_low, b_high, rng.uniform(0.9, b_high)])
        alpha = [
            min((2 + 2 * beta) / lam_max, a_high),
            rng.choice([a_low, a_high]),
            10 ** rng.uniform(math.log10(a_low), math.log10(a_high)),
            10 ** rng.uniform(math.log10(a_low), math.log10(a_high)),
        ][i % 4]
        states.append({"alpha": alpha, "beta": beta, "steps": rng.randint(1, 1000)})
    return states


def formulations_drawn(figure, state: dict) -> dict:
    figure.param.update(**state)
    mark = figure.marks
    with np.errstate(over="ignore", invalid="ignore"):
        reference = mc.heavy_ball(figure.quad(), START, state["alpha"], state["beta"], state["steps"])
    finite = np.abs(reference[np.isfinite(reference)])
    return {
        "columns": {
            name: np.asarray(v, dtype=float) for name, v in (figure.frame.data | figure.weights.data).items()
        },
        "halfLife": mark["half_life"].location,
        "window": mark["window"].location,
        "lagEnd": figure.plots[1].x_range.end,
        "readout": shown_html(figure.readout),
        "reach": float(finite.max()) if finite.size else 1.0,
    }


#: A spelling's distance from the closed form may be this much of the run's scale (1 000 steps at
#: |σ| = 1 grow round-off 1 000-fold).
ROUND_OFF_GAP = 1e-7
#: A spelling's distance from heavy ball in closed form, as the readout writes it.
GAP = re.compile(r"· (\d\.\de[+-]\d+)</td>")


def assert_formulations(got: dict, want: dict, state: object) -> None:
    """Columns, marks and readout as served. The four spellings' distances from the closed form are
    round-off (each is heavy ball, exactly, in exact arithmetic), which a run on the stability edge
    grows with its steps: each must be, on both sides, within ROUND_OFF_GAP of the run's largest |w|;
    the rest of the readout is word for word."""
    assert_columns(got["columns"], want["columns"], state, scale=max(1.0, *(
        float(np.abs(v).max()) for v in want["columns"].values())))  # fmt: skip
    for name in ("halfLife", "window", "lagEnd"):
        assert math.isclose(got[name], want[name], rel_tol=TOLERANCE), (state, name)
    for gap in GAP.findall(got["readout"]) + GAP.findall(want["readout"]):
        assert float(gap) <= ROUND_OFF_GAP * max(1.0, want["reach"]), (state, gap)
    assert_same_text(
        GAP.sub("· round-off</td>", got["readout"]), GAP.sub("· round-off</td>", want["readout"]), state
    )


IN_PAGE_FORMULATIONS = """([spec, states]) => states.map((state) => {
  const result = fig.state(spec, state);
  const columns = {};
  const all = {...result.columns, ...result.weights};
  for (const [name, values] of Object.entries(all)) columns[name] = Array.from(values);
  return {...result, columns};
})"""


def test_the_page_computes_the_served_formulations_at_every_state(page):
    readouts = [want["readout"] for want in compared(page, "formulations", STATES_PER_FIGURE)]
    assert sum("diverges" in r for r in readouts) >= 100 and sum("both diverge" in r for r in readouts) >= 20


def colorization_states(n: int, seed: int) -> list[dict]:
    """n from 2 to 200 (its ends), any iteration (0 and the last too), α anywhere (its ends, the
    optimum for n, the stability edge 2 + 2β of λₙ ≈ 4), β anywhere (0, 1, its ends, near 1)."""
    from app.figures.colorization import optimum

    rng = random.Random(seed)
    figure = FIGURES["colorization"]
    bounds = {name: figure.param[name].bounds for name in ("pixels", "iteration", "alpha", "beta")}
    states = []
    for i in range(n):
        pixels = rng.choice([*bounds["pixels"], rng.randint(*bounds["pixels"]), rng.randint(2, 30)])
        beta = rng.choice([rng.uniform(*bounds["beta"]), 0.0, 1.0, *bounds["beta"], rng.uniform(0.9, 1.0)])
        alpha = [
            rng.uniform(*bounds["alpha"]),
            rng.choice(bounds["alpha"]),
            (2 + 2 * beta) / 4 * rng.uniform(0.98, 1.02),
            None,
        ][i % 4]
        if alpha is None:
            alpha, beta = optimum(pixels)
        alpha = min(max(alpha, bounds["alpha"][0]), bounds["alpha"][1])
        iteration = rng.choice([0, bounds["iteration"][1], rng.randint(*bounds["iteration"])])
        states.append({"pixels": pixels, "iteration": iteration, "alpha": alpha, "beta": beta})
    return states


def colorization_drawn(figure, state: dict) -> dict:
    figure.param.update(**state)
    return {
        "columns": {
            name: np.asarray(v) for name, v in (figure.frame.data | figure.pixel_source.data).items()
        },
        "lam": np.asarray(figure.eigen_source.data["lam"]),
        "marker": figure.marker.location,
        "diverged": {
            name: {"x": label.x, "text": label.text, "visible": True} if label.visible else {"visible": False}
            for name, label in figure.diverged_labels.items()
        },
        "range": [figure.pixels_plot.x_range.start, figure.pixels_plot.x_range.end],
        "readout": shown_html(figure.readout),
    }


def assert_colorization(got: dict, want: dict, state: object) -> None:
    """Pixel rows within 1e-9 of the colour scale (1, or CAP when a run diverges), error curves (drawn
    on a log axis: float32 as they travel, app.figure.on_log_axis) within float32's rounding of the
    page's float64 — or both round-off, under 1e-12 (Python's closed form w* + Qx leaves ≈ 1e-15 where
    the page's step-by-step run goes on shrinking; the plot's floor is 1e-8) — the eigenvalues, the
    marker and the readout."""
    logs = {name for name, values in want["columns"].items() if values.dtype == np.float32}
    assert_columns(
        {name: v for name, v in got["columns"].items() if name not in logs},
        {name: v for name, v in want["columns"].items() if name not in logs},
        state,
        floor=1.0,
    )
    for name in logs:
        assert_log_column(got["columns"][name], want["columns"][name], (state, name), atol=1e-12)
    assert_columns({"lam": got["lam"]}, {"lam": want["lam"]}, state)
    assert got["marker"] == want["marker"] and got["range"] == want["range"], state
    assert got["diverged"] == want["diverged"], state
    assert_same_text(got["readout"], want["readout"], state)


IN_PAGE_COLORIZATION = """([spec, states]) => states.map((state) => {
  const result = fig.state(spec, state);
  const columns = {};
  const all = {...result.columns, ...result.pixels};
  for (const [name, values] of Object.entries(all)) columns[name] = Array.from(values);
  return {columns, lam: result.lam, marker: result.iteration, range: [-0.5, result.n - 0.5],
          diverged: result.diverged, readout: result.readout};
})"""


def test_the_page_computes_the_served_colorization_at_every_state(page):
    readouts = [want["readout"] for want in compared(page, "colorization", STATES_PER_FIGURE)]
    assert sum("diverges" in r for r in readouts) >= 100 and sum("diverged" in r for r in readouts) >= 50


def regression_states(n: int, seed: int) -> list[dict]:
    """Any degree, the iteration log-uniform (its ends too), α log-uniform (its ends, the stability
    edge 2 + 2β of λₙ, the buttons' settings), β anywhere (0, 1, its ends, near 1)."""
    from app.figures.regression import problem

    rng = random.Random(seed)
    figure = FIGURES["regression"]
    bounds = {name: figure.param[name].bounds for name in ("degree", "iteration", "alpha", "beta")}
    log_uniform = lambda low, high: 10 ** rng.uniform(math.log10(low), math.log10(high))  # noqa: E731
    states = []
    for i in range(n):
        degree = rng.randint(*bounds["degree"])
        lam = problem(degree).eigenvalues
        beta = rng.choice([rng.uniform(*bounds["beta"]), 0.0, 1.0, *bounds["beta"], rng.uniform(0.9, 1.0)])
        alpha = [
            log_uniform(*bounds["alpha"]),
            (2 + 2 * beta) / lam[-1] * rng.uniform(0.99, 1.01),
            rng.choice(bounds["alpha"]),
            None,
        ][i % 4]
        if alpha is None:
            alpha, beta = rng.choice([mc.optimal_parameters(lam[0], lam[-1]), (2 / (lam[0] + lam[-1]), 0.0)])
        iteration = rng.choice([*bounds["iteration"], round(log_uniform(*bounds["iteration"]))])
        alpha = min(max(alpha, bounds["alpha"][0]), bounds["alpha"][1])
        # The article's data, or dragged values (to the step the page keeps, up to the limit).
        ys = rng.choice(
            [list(mc.REGRESSION_Y), [round(rng.uniform(-2000, 2000)) / 1000 for _ in mc.REGRESSION_Y]]
        )
        states.append({"degree": degree, "iteration": iteration, "alpha": alpha, "beta": beta, "ys": ys})
    return states


def regression_drawn(figure, state: dict) -> dict:
    from app.figures.regression import points_text

    figure.param.update(**{k: v for k, v in state.items() if k != "ys"}, points=points_text(state["ys"]))
    n = len(figure.words.data["text"])
    return {
        "titles": [fig.title.text for fig in figure.feature_plots],
        "reaches": [fig.y_range.end for fig in figure.feature_plots[:n]],
        "columns": {name: np.asarray(v, dtype=float) for name, v in figure.frame.data.items()},
        "targets": {name: np.asarray(v, dtype=float) for name, v in figure.targets.data.items()},
        "key": {name: list(values) for name, values in figure.words.data.items()},
        "visible": [[r.visible for r in renderers] for renderers in figure.components],
        "marker": figure.marker.location,
        "readout": shown_html(figure.readout),
    }


def assert_regression(got: dict, want: dict, state: object) -> None:
    assert_columns(got["columns"], want["columns"], state, floor=1.0)
    assert_columns(got["targets"], want["targets"], state, floor=1.0)
    n = len(want["key"]["text"])
    assert got["key"] == want["key"], state
    assert want["visible"] == [[j < n] * 3 for j in range(len(want["visible"]))], state
    assert got["marker"] == want["marker"], state
    assert_same_text(" | ".join(got["titles"]), " | ".join(want["titles"]), state)
    np.testing.assert_allclose(got["reaches"], want["reaches"], rtol=TOLERANCE, err_msg=str(state))
    assert_same_text(got["readout"], want["readout"], state)


IN_PAGE_REGRESSION = """([spec, states]) => states.map((state) => {
  const result = fig.state(spec, state);
  const columns = {};
  for (const name of Object.keys(result.columns)) columns[name] = Array.from(result.columns[name]);
  return {columns, targets: result.targets, key: result.key, marker: result.iteration,
          titles: result.titles, reaches: result.reaches, readout: result.readout};
})"""


def test_the_page_computes_the_served_regression_at_every_state(page):
    readouts = [want["readout"] for want in compared(page, "regression", STATES_PER_FIGURE)]
    assert sum("diverged" in r for r in readouts) >= 50 and sum("> 10000" in r for r in readouts) >= 50


def physics_states(n: int, seed: int) -> list[dict]:
    """m, μ, Δt, k log-uniform over their ranges (their ends too), k at critical damping μ²/4m (± a
    little), at 2× it, and at the discrete stability edge εk = 2 + 2p."""
    from momentum_core import qian_parameters

    rng = random.Random(seed)
    figure = FIGURES["physics"]
    bounds = {name: figure.param[name].bounds for name in ("mass", "friction", "dt", "curvature")}
    log_uniform = lambda low, high: 10 ** rng.uniform(math.log10(low), math.log10(high))  # noqa: E731
    states = []
    for i in range(n):
        state = {name: rng.choice([*b, log_uniform(*b), log_uniform(*b)]) for name, b in bounds.items()}
        m, mu, dt = state["mass"], state["friction"], state["dt"]
        epsilon, p = qian_parameters(m, mu, dt)
        state["curvature"] = [
            state["curvature"],
            mu * mu / (4 * m) * rng.choice([1.0, 1 + 1e-13, 1 - 1e-9, 2.0]),
            (2 + 2 * p) / epsilon * rng.uniform(0.999, 1.001),
            log_uniform(*bounds["curvature"]),
        ][i % 4]
        state["curvature"] = min(max(state["curvature"], bounds["curvature"][0]), bounds["curvature"][1])
        states.append(state)
    return states


def physics_drawn(figure, state: dict) -> dict:
    figure.param.update(**state)
    return {
        "columns": {name: np.asarray(v) for name, v in figure.frame.data.items()},
        "time": figure.paths_plot.x_range.end,
        "kRange": [figure.speedup_plot.x_range.start, figure.speedup_plot.x_range.end],
        "marks": {name: mark.location for name, mark in figure.marks.items()},
        "points": {name: figure.points.data[name] for name in ("x", "y")},
        "readout": shown_html(figure.readout),
    }


def assert_physics(got: dict, want: dict, state: object) -> None:
    """Columns as assert_colorization (the experiment's norms travel as float32), ranges, marks, points
    within 1e-9, the readout word for word."""
    logs = {name for name, values in want["columns"].items() if values.dtype == np.float32}
    assert_columns(
        {name: v for name, v in got["columns"].items() if name not in logs},
        {name: np.asarray(v, dtype=float) for name, v in want["columns"].items() if name not in logs},
        state,
        floor=1.0,
    )
    for name in logs:
        assert_log_column(got["columns"][name], want["columns"][name], (state, name), atol=1e-300)
    np.testing.assert_allclose(
        [got["time"], *got["kRange"], *got["marks"].values(), *got["points"]["x"], *got["points"]["y"]],
        [want["time"], *want["kRange"], *want["marks"].values(), *want["points"]["x"], *want["points"]["y"]],
        rtol=TOLERANCE, err_msg=str(state),
    )  # fmt: skip
    assert_same_text(got["readout"], want["readout"], state)


def test_the_page_computes_the_served_physics_at_every_state(page):
    readouts = [want["readout"] for want in compared(page, "physics", STATES_PER_FIGURE)]
    assert sum("critical;" in r for r in readouts) >= 20 and sum("underdamped" in r for r in readouts) >= 100
    assert sum("diverges</span>" in r for r in readouts) >= 100


def noisy_alpha(rng: random.Random, i: int, bounds: tuple[float, float], edge: float) -> float:
    """A noisy figure's α for state i: log-uniform, at the stability edge (± 1 %), an end of its range,
    or where its runs settle (10⁻³ to 10⁻¹), in turn; within its bounds."""
    low, high = bounds
    alpha = [
        10 ** rng.uniform(math.log10(low), math.log10(high)),
        edge * rng.uniform(0.99, 1.01),
        rng.choice(bounds),
        10 ** rng.uniform(-3, -1),
    ][i % 4]
    return min(max(alpha, low), high)


def stochastic_states(n: int, seed: int) -> list[dict]:
    """α log-uniform (its ends, the stability edge of λₙ), β anywhere (0, 1, its ends, near 1), σ
    anywhere (0 and its ends too), any seed (often one of four: the page's kept draws of a seed reused
    for fewer steps and drawn again for more), 10 to 5 000 steps."""
    rng = random.Random(seed)
    few = random.Random(seed + 1)  # which states take one of the four seeds (rng's draws left as they were)

    def often_few(any_seed: int) -> int:
        return any_seed if few.random() < 0.5 else few.randint(0, 3)

    figure = FIGURES["stochastic"]
    lam_max = figure().quad().eigenvalues[-1]
    bounds = {name: figure.param[name].bounds for name in ("alpha", "beta", "noise", "seed", "steps")}
    states = []
    for i in range(n):
        beta = rng.choice([rng.uniform(*bounds["beta"]), 0.0, 1.0, *bounds["beta"], rng.uniform(0.9, 1.0)])
        states.append({
            "alpha": noisy_alpha(rng, i, bounds["alpha"], (2 + 2 * beta) / lam_max),
            "beta": beta,
            "noise": rng.choice([0.0, *bounds["noise"], rng.uniform(*bounds["noise"]), rng.uniform(0, 0.2)]),
            "seed": often_few(rng.randint(*bounds["seed"])),
            "steps": rng.choice([bounds["steps"][0], rng.randint(*bounds["steps"]), rng.randint(10, 1500)]),
        })  # fmt: skip
    return states


def stochastic_drawn(figure, state: dict) -> dict:
    figure.param.update(**state)
    return {
        "columns": {name: np.asarray(v) for name, v in figure.frame.data.items()},
        "visible": dict(zip(("momentum", "gd"), (line.visible for line in figure.floor_lines), strict=True)),
        "xRange": [figure.plot.x_range.start, figure.plot.x_range.end],
        "yRange": [figure.plot.y_range.start, figure.plot.y_range.end],
        "phase": {"visible": figure.phase_line.visible, "x": figure.phase_line.location,
                  "y": figure.phase_labels[0].y, "align": figure.phase_labels[0].text_align},
        "divergence": {name: getattr(figure.divergence_label, name) for name in ("visible", "text", "y")},
        "readout": shown_html(figure.readout),
    }  # fmt: skip


def assert_stochastic(got: dict, want: dict, state: object) -> None:
    """Loss curves (on a log axis: float32 as they travel) within float32's rounding of the page's, or
    both below 1e-12 of the start (the plot's floor is 1e-8), the view and the readout."""
    start = want["yRange"][1] / 10
    for name, values in want["columns"].items():
        assert_log_column(got["columns"][name], values, (state, name), atol=1e-12 * start)
    assert got["visible"] == want["visible"], state
    mine, theirs = got["phase"], want["phase"]  # the transient's end: a step, exactly
    assert (mine["visible"], mine["x"]) == (theirs["visible"], theirs["x"]), state
    if theirs["visible"]:  # the transient's words left of the line, or under the floor's
        assert mine["place"]["text_align"] == theirs["align"], state
    assert math.isclose(mine["y"], theirs["y"], rel_tol=TOLERANCE), state
    mine, theirs = got["divergence"], want["divergence"]  # the runs cut as diverging, at their steps
    assert (mine["visible"], mine["text"]) == (theirs["visible"], theirs["text"]), state
    assert math.isclose(mine["y"], theirs["y"], rel_tol=TOLERANCE), state
    np.testing.assert_allclose(got["xRange"] + got["yRange"], want["xRange"] + want["yRange"], rtol=TOLERANCE)
    assert_same_text(got["readout"], want["readout"], state)


def test_the_page_computes_the_served_stochastic_figure_at_every_state(page):
    wanted = compared(page, "stochastic", STATES_PER_FIGURE)
    readouts = [want["readout"] for want in wanted]
    assert sum("diverges" in r for r in readouts) >= 100 and sum("≈ " in r for r in readouts) >= 100
    said = [want["divergence"]["text"] for want in wanted]
    assert sum("gradient descent" in text for text in said) >= 20 and sum(text == "" for text in said) >= 100


def test_the_page_draws_the_noise_momentum_core_draws(page):
    """The kernel's counter-based noise: uniforms bit for bit, normals within an ulp or two (log, cos and
    sin of two maths libraries), for seeds across the slider's range and past 2³¹."""
    load(page, "stochastic")
    for seed in (0, 1, 42, 9999, 2**31 + 5, 2**32 - 1):
        uniforms = page.evaluate("(s) => Array.from(mc.uniforms(s, 5000))", seed)
        assert uniforms == mc.uniforms(seed, 5000).tolist()
        normals = evaluate_json(page, "(s) => mc.normalNoise(s, 2501, 2).map((row) => Array.from(row))", seed)
        np.testing.assert_allclose(normals, mc.normal_noise(seed, 2501, 2), rtol=5e-16, atol=5e-16)


def schedules_states(n: int, seed: int) -> list[dict]:
    """α log-uniform (its ends, the stability edge of λₙ), β anywhere in [0, 0.99] (its ends), σ (0 and
    its ends too), the change anywhere (its ends), the factor log-uniform (its ends), any seed."""
    rng = random.Random(seed)
    figure = FIGURES["schedules"]
    lam_max = figure().quad().eigenvalues[-1]
    names = ("alpha", "beta", "noise", "change", "factor", "seed")
    bounds = {name: figure.param[name].bounds for name in names}
    log_uniform = lambda low, high: 10 ** rng.uniform(math.log10(low), math.log10(high))  # noqa: E731
    states = []
    for i in range(n):
        beta = rng.choice([rng.uniform(*bounds["beta"]), *bounds["beta"], rng.uniform(0.9, 0.99)])
        states.append({
            "alpha": noisy_alpha(rng, i, bounds["alpha"], (2 + 2 * beta) / lam_max),
            "beta": beta,
            "noise": rng.choice([0.0, *bounds["noise"], rng.uniform(*bounds["noise"]), rng.uniform(0, 0.5)]),
            "change": rng.choice([*bounds["change"], rng.randint(*bounds["change"])]),
            "factor": rng.choice([*bounds["factor"], log_uniform(*bounds["factor"])]),
            "seed": rng.randint(*bounds["seed"]),
        })  # fmt: skip
    return states


def schedules_drawn(figure, state: dict) -> dict:
    figure.param.update(**state)
    with np.errstate(over="ignore", invalid="ignore"):
        reach = max(1.0, figure.quad().f(START) - figure.quad().f_star)
    return {
        "columns": {name: np.asarray(v) for name, v in figure.frame.data.items()},
        "readout": shown_html(figure.readout),
        "reach": float(reach),  # the start's loss gap, at least 1: the scale of the forms' distance
        "step_range": [figure.step_plot.y_range.start, figure.step_plot.y_range.end],
    }


#: A schedule's distance between its two forms, as the readout writes it.
FORMS_GAP = re.compile(r"· (\d\.\de[+-]\d+|nan) \(ends")


def assert_schedules(got: dict, want: dict, state: object) -> None:
    """Columns (the losses on a log axis: float32 as they travel) within float32's rounding of the
    page's, or both round-off under 1e-12; the readout word for word but for the two forms' distance,
    which is round-off (they are one run in exact arithmetic): within ROUND_OFF_GAP on both sides."""
    for name, values in want["columns"].items():
        assert_log_column(got["columns"][name], values, (state, name), atol=1e-12)
    assert got["stepRange"] == want["step_range"], state  # whole decades: the same floats
    for gap in FORMS_GAP.findall(got["readout"]) + FORMS_GAP.findall(want["readout"]):
        assert gap == "nan" or float(gap) <= ROUND_OFF_GAP * want["reach"], (state, gap)
    assert_same_text(
        FORMS_GAP.sub("· round-off (ends", got["readout"]),
        FORMS_GAP.sub("· round-off (ends", want["readout"]),
        state,
    )


def test_the_page_computes_the_served_schedules_at_every_state(page):
    readouts = [want["readout"] for want in compared(page, "schedules", STATES_PER_FIGURE)]
    assert (
        sum("diverges at step" in r for r in readouts) >= 100
        and sum("none (does" in r for r in readouts) >= 10
    )


def custom_states(n: int, seed: int) -> list[dict]:
    """Typed problems — eigenvalues of 1 to 12 dimensions over up to eight decades, symmetric 2×2
    matrices — with a start of the right size or not (the note), α log-uniform over its whole range
    (its ends, the stability edge of λₙ), β anywhere, 1 to 3 000 steps; each state carries the spec the
    server sends for its problem."""
    from app.figures.custom import Custom

    rng = random.Random(seed)
    bounds = {name: Custom.param[name].bounds for name in ("alpha", "beta", "steps")}
    log_uniform = lambda low, high: 10 ** rng.uniform(math.log10(low), math.log10(high))  # noqa: E731
    figure = Custom()
    states = []
    for i in range(n):
        if i % 3 == 0:
            a, d = log_uniform(0.01, 100), log_uniform(0.01, 100)
            b = rng.uniform(-0.9, 0.9) * math.sqrt(a * d)
            problem, lam_max = f"{a:.6g}, {b:.6g}; {b:.6g}, {d:.6g}", None
        else:
            values = sorted(log_uniform(1e-3, 1e5) for _ in range(rng.randint(1, 12)))
            values = [v for v in values if v / values[0] <= 1e8]
            problem, lam_max = ", ".join(f"{v:.6g}" for v in values), None
        dim = problem.count(";") + 1 if ";" in problem else problem.count(",") + 1
        size = dim if rng.random() < 0.8 else rng.choice([d for d in (1, 2, 3) if d != dim] or [1])
        start = ", ".join(f"{rng.uniform(-5, 5):.4g}" for _ in range(size))
        figure.param.update(problem=problem, start=start)
        spec = json.loads(json.dumps(figure.page_spec()))
        lam_max = spec["problem"]["eigenvalues"][-1]
        beta = rng.choice([rng.uniform(*bounds["beta"]), 0.0, 1.0, *bounds["beta"], rng.uniform(0.9, 1.0)])
        alpha = rng.choice([log_uniform(*bounds["alpha"]), (2 + 2 * beta) / lam_max, *bounds["alpha"]])
        states.append({
            "problem": problem, "start": start, "spec": spec,
            "alpha": min(max(alpha, bounds["alpha"][0]), bounds["alpha"][1]), "beta": beta,
            "steps": rng.choice([1, bounds["steps"][1], rng.randint(*bounds["steps"]), rng.randint(1, 300)]),
        })  # fmt: skip
    return states


def custom_drawn(figure, state: dict) -> dict:
    figure.param.update(**{name: state[name] for name in ("problem", "start", "alpha", "beta", "steps")})
    return {
        "columns": {name: np.asarray(v) for name, v in figure.frame.data.items()},
        "steps": figure.loss_plot.x_range.end,
        "readout": shown_html(figure.readout),
    }


def assert_custom(got: dict, want: dict, state: object) -> None:
    """Columns as assert_stochastic (losses and parts on log axes, the path within 1e-9 of its scale),
    the view and the readout."""
    for name, values in want["columns"].items():
        assert len(got["columns"][name]) == len(values), (state, name)
        if name.startswith(("loss_", "part")):  # log axes
            assert_log_column(got["columns"][name], values, (state, name), atol=1e-12)
        else:
            scale = max(1.0, float(np.abs(values).max()))
            np.testing.assert_allclose(
                got["columns"][name], values, rtol=0, atol=TOLERANCE * scale, err_msg=name
            )
    assert got["steps"] == want["steps"], state
    assert_same_text(got["readout"], want["readout"], state)


IN_PAGE_CUSTOM = """([_, states]) => states.map((state) => {
  const result = fig.state(state.spec, state);
  for (const name of Object.keys(result.columns)) result.columns[name] = Array.from(result.columns[name]);
  return result;
})"""


def test_the_page_computes_the_served_custom_figure_at_every_state(page):
    readouts = [want["readout"] for want in compared(page, "custom", STATES_PER_FIGURE)]
    assert (
        sum("diverges" in r for r in readouts) >= 100 and sum("using (1, …, 1)" in r for r in readouts) >= 50
    )


def limits_states(n: int, seed: int) -> list[dict]:
    """κ log-uniform (its ends too, and close to 1 where δ is large), any k (0 and the last too)."""
    rng = random.Random(seed)
    (k_low, k_high), (i_low, i_high) = (FIGURES["limits"].param[p].bounds for p in ("kappa", "iteration"))
    kappas = [rng.choice([k_low, k_high, 10 ** rng.uniform(1, 4)]) for _ in range(n // 10)]
    return [  # ten iterations per κ, as a reader drags k (the runs are kept per κ on both sides)
        {"kappa": kappa, "iteration": rng.choice([i_low, i_high, rng.randint(i_low, i_high)])}
        for kappa in kappas
        for _ in range(10)
    ]


def limits_drawn(figure, state: dict) -> dict:
    figure.param.update(**state)
    return {
        "columns": {name: np.asarray(v) for name, v in figure.frame.data.items()},
        "marks": [marker.location for marker in figure.markers],
        "dead": {"left": figure.dead_zone.left, "visible": figure.dead_label.visible},
        "readout": shown_html(figure.readout),
    }


def assert_limits(got: dict, want: dict, state: object) -> None:
    """Columns (errors and bounds on a log axis: float32 as they travel) within float32's rounding of
    the page's or both under 1e-12 (the plot's floor), iterates within 1e-9, markers, the readout."""
    for name, values in want["columns"].items():
        assert len(got["columns"][name]) == len(values), (state, name)
        if name.startswith(("error_", "bound", "ideal")):  # log axes
            assert_log_column(got["columns"][name], values, (state, name), atol=1e-12)
        else:
            np.testing.assert_allclose(got["columns"][name], values, rtol=0, atol=TOLERANCE, err_msg=name)
    assert got["marks"] == want["marks"] and got["dead"] == want["dead"], state
    assert_same_text(got["readout"], want["readout"], state)


def test_the_page_computes_the_served_limits_figure_at_every_state(page):
    readouts = [want["readout"] for want in compared(page, "limits", STATES_PER_FIGURE)]
    assert sum("round-off" in r for r in readouts) >= 50


def model_states(n: int, seed: int) -> list[dict]:
    """α log-uniform over its range (its ends, the theory's α* and gradient descent's best step, and the
    stability edge 2(1 + β)/λₙ), β anywhere (0, its ends, ≥ 1, negative), steps log-uniform (a fifth of
    them up to the slider's end, the others up to 200). A third of the states keep the previous state's
    (α, β) with other steps (a separate random stream), so that the page's kept runs are continued and
    read shorter."""
    from app.figures.model import fixed

    rng = random.Random(seed)
    again = random.Random(seed + 1)
    figure = FIGURES["model"]
    (a_low, a_high), (b_low, b_high), (s_low, s_high) = (
        figure.param[name].bounds for name in ("alpha", "beta", "steps")
    )
    f = fixed()
    log_uniform = lambda low, high: 10 ** rng.uniform(math.log10(low), math.log10(high))  # noqa: E731
    states = []
    for i in range(n):
        beta = rng.choice([rng.uniform(b_low, b_high), 0.0, b_low, b_high, 1.0, rng.uniform(0.5, 0.95)])
        alpha = [
            log_uniform(a_low, a_high),
            rng.choice([a_low, a_high, f["alpha_star"], f["descent_alpha"]]),
            2 * (1 + beta) / f["high"] * rng.uniform(0.98, 1.02),
            log_uniform(1, 40),
        ][i % 4]
        if i % 10 == 0:
            alpha, beta = f["alpha_star"], f["beta_star"]
        if states and again.random() < 1 / 3:
            alpha, beta = states[-1]["alpha"], states[-1]["beta"]
        states.append({
            "alpha": min(max(alpha, a_low), a_high), "beta": beta,
            "steps": round(log_uniform(s_low, s_high if i % 5 == 0 else 200)),  # most short: 1 000 runs cost
        })  # fmt: skip
    return states


def model_drawn(figure, state: dict) -> dict:
    figure.param.update(**state)
    return {
        "columns": {name: np.asarray(v) for name, v in figure.frame.data.items()},
        "steps": figure.distance_plot.x_range.end,
        "readout": shown_html(figure.readout),
    }


def assert_model(got: dict, want: dict, state: object) -> None:
    """Distances, gaps and predicted lines (log axes: float32 as they travel) within float32's rounding
    of the page's or both under 1e-13 (round-off of f* and w*), the step counts exactly, the readout."""
    for name, values in want["columns"].items():
        assert len(got["columns"][name]) == len(values), (state, name)
        if name.startswith(("distance_", "gap_", "predicted_")):
            assert_log_column(got["columns"][name], values, (state, name), atol=1e-13)
        else:
            np.testing.assert_array_equal(got["columns"][name], values, err_msg=name)
    assert got["steps"] == want["steps"], state
    assert_same_text(got["readout"], want["readout"], state)


def test_the_page_computes_the_served_model_figure_at_every_state(page):
    readouts = [want["readout"] for want in compared(page, "model", STATES_PER_FIGURE, batch=50)]
    # Runs that settle, that bounce (sensitive to every last bit: the page's sums and exp are Python's),
    # and that reach round-off. (None is cut: a logistic loss's gradient is bounded, so α would need to
    # pass 2(1 + β)/μ, 2 000 and more, for the penalty to throw a run out.)
    counts = [sum(words in r for r in readouts) for words in ("not converging", "converges", "below 1e-08")]
    print("model readouts: not converging, converges, below 1e-08:", counts)
    assert counts[0] >= 50 and counts[1] >= 500 and counts[2] >= 50, counts


#: Per figure: random states, the page's code, what the served figure draws, the comparison.
PARITY = {
    "ravine": (lambda n: random_states("ravine", n, 1), IN_PAGE, served_state, assert_plane),
    "nesterov": (lambda n: random_states("nesterov", n, 2), IN_PAGE, served_state, assert_plane),
    "decomposition": (
        lambda n: decomposition_states(n, 3),
        IN_PAGE,
        decomposition_drawn,
        assert_decomposition,
    ),
    "regions": (lambda n: regions_states(n, 4), IN_PAGE_REGIONS, regions_drawn, assert_regions),
    "condition": (lambda n: condition_states(n, 5), IN_PAGE, condition_drawn, assert_readout_and_columns),
    "damping": (lambda n: damping_states(n, 6), IN_PAGE, damping_drawn, assert_damping),
    "hurts": (lambda n: hurts_states(n, 7), IN_PAGE, hurts_drawn, assert_hurts),
    "colorization": (
        lambda n: colorization_states(n, 9),
        IN_PAGE_COLORIZATION,
        colorization_drawn,
        assert_colorization,
    ),
    "regression": (
        lambda n: regression_states(n, 10),
        IN_PAGE_REGRESSION,
        regression_drawn,
        assert_regression,
    ),
    "physics": (lambda n: physics_states(n, 11), IN_PAGE, physics_drawn, assert_physics),
    "stochastic": (lambda n: stochastic_states(n, 12), IN_PAGE, stochastic_drawn, assert_stochastic),
    "schedules": (lambda n: schedules_states(n, 13), IN_PAGE, schedules_drawn, assert_schedules),
    "custom": (lambda n: custom_states(n, 14), IN_PAGE_CUSTOM, custom_drawn, assert_custom),
    "model": (lambda n: model_states(n, 15), IN_PAGE, model_drawn, assert_model),
    "limits": (lambda n: limits_states(n, 15), IN_PAGE, limits_drawn, assert_limits),
    "formulations": (
        lambda n: formulations_states(n, 8),
        IN_PAGE_FORMULATIONS,
        formulations_drawn,
        assert_formulations,
    ),
}


def in_page(page, code: str, spec: dict, states: list[dict]) -> list[dict]:
    """`code` run in the page on (spec, states), its result as Python values."""
    return evaluate_json(page, code, [spec, states])


_figures: dict[str, object] = {}


def drawn_chunk(key: str, states: list[dict]) -> list[dict]:
    """What the Python figure `key` draws at each state (in a worker process: one figure each)."""
    figure = _figures.get(key) or _figures.setdefault(key, FIGURES[key]())
    return [PARITY[key][2](figure, state) for state in states]


_pool: list[ProcessPoolExecutor] = []


@pytest.fixture(scope="module", autouse=True)
def python_side():
    """Two worker processes for the Python side of the parity tests (most of their time: the figure's
    `update()` per state), started once for the module and stopped after it."""
    yield
    for pool in _pool:
        pool.shutdown(cancel_futures=True)
    _pool.clear()


def compared(page, key: str, count: int, batch: int = 100) -> list[dict]:
    """`count` random states of figure `key` run by its page module in batches, each result compared
    with what the Python figure draws at that state (PARITY, in two worker processes meanwhile); what
    the figure drew, state by state."""
    states, code, _, compare = PARITY[key]
    spec = load(page, key)
    if not _pool:
        _pool.append(ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")))
    all_states = states(count)
    chunks = [all_states[first : first + batch] for first in range(0, count, batch)]
    futures = [_pool[0].submit(drawn_chunk, key, chunk) for chunk in chunks]
    shown = []
    for chunk, future in zip(chunks, futures, strict=True):
        got = in_page(page, code, spec, chunk)
        for state, mine, want in zip(chunk, got, future.result(), strict=True):
            compare(mine, want, state)
            shown.append(want)
    return shown


def test_every_page_module_has_its_parity_test():
    assert set(PARITY) == {key for key, figure in FIGURES.items() if figure.page_module}


@pytest.mark.parametrize("key", sorted(PARITY))
def test_a_module_off_by_a_millionth_is_caught(page, key):
    """The comparison refuses a module whose columns are off by CAUGHT of their scale: each state's
    result, right as it is, passes; moved by 1e-6 at one value of its widest column, it fails."""
    states, code, drawn, compare = PARITY[key]
    spec = load(page, key)
    figure = FIGURES[key]()
    for state in states(8):
        got = in_page(page, code, spec, [state])[0]
        want = drawn(figure, state)
        compare(got, want, state)
        name = max(want["columns"], key=lambda c: float(np.abs(want["columns"][c]).max()))
        values = np.asarray(got["columns"][name], dtype=float)
        if not np.isfinite(values).all() or np.abs(values).max() == 0:
            continue
        i = int(np.argmax(np.abs(values)))
        values[i] += CAUGHT * max(1.0, float(np.abs(values).max()))
        got["columns"][name] = values.tolist()
        with pytest.raises(AssertionError):
            compare(got, want, state)
