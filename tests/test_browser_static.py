"""Static export: the files `momentum-explorer export` writes, opened from disk in Chromium with no server."""

import html
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import numpy as np
import pytest
from browser import BUILT, WARMED, BokehPage, drag_handle, evaluate_json, padded
from test_browser_page_modules import served_state
from test_browser_ravine import cut_where_it_leaves
from test_browser_regions import assert_plot_matches_core

import momentum_core as mc
from app.figure import shown_html
from app.figures import FIGURES
from app.figures.ravine import PROBLEM
from app.page_module import WARM_MS, WARM_STATES
from app.url_state import format_rate

pytestmark = pytest.mark.browser

MAX_FIGURE_BYTES = 1_500_000
MAX_INDEX_BYTES = 4_000_000
LOCAL = ("file:", "data:", "blob:")


_EXPORTED: dict[str, tuple[Path, str]] = {}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The export, run once (pytest would set a module fixture up again for the parametrized tests)."""
    if "all" not in _EXPORTED:
        out = tmp_path_factory.mktemp("static")
        done = subprocess.run(
            [sys.executable, "-m", "app", "export", str(out)],
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        _EXPORTED["all"] = (out, done.stdout)
    return _EXPORTED["all"]


class StaticPage(BokehPage):
    """An exported file opened from disk (no server)."""

    def __init__(self, page, path: Path, fragment: str = "") -> None:
        super().__init__(page)
        page.goto(path.as_uri() + fragment)
        page.wait_for_function(
            "() => window.Bokeh !== undefined && Bokeh.documents.length > 0", timeout=30_000
        )
        page.wait_for_timeout(500)

    def press(self, control: str, key: str) -> None:
        figure = control.rsplit("-", 1)[0]
        before = self.read(f"{figure}-frame", "data")
        handle = self.page.locator(f".{control} .noUi-handle").first
        handle.scroll_into_view_if_needed()
        handle.focus()
        self.page.keyboard.press(key)
        self.wait_until_changed(f"{figure}-frame", "data", before)

    def readout(self, figure: str) -> str:
        return self.page.locator(f".{figure}-readout table").first.inner_text()

    def assert_offline_and_clean(self) -> None:
        outside = [url for url in self.requests if not url.startswith(LOCAL)]
        assert outside == [], outside
        assert self.console_errors == []


def plane_state(view: StaticPage, key: str) -> dict:
    start = view.read(f"{key}-start_point", "data")
    switch = view.page.evaluate(
        f"() => Bokeh.documents[0].get_model_by_name('{key}-show_gd')?.active ?? false"
    )
    return {
        "alpha": 10 ** view.read(f"{key}-alpha", "value"),
        "beta": view.read(f"{key}-beta", "value"),
        "steps": int(view.read(f"{key}-steps", "value")),
        "x0": start["x"][0],
        "y0": start["y"][0],
        "showGd": switch,
    }


def assert_plane_matches_core(view: StaticPage, key: str = "ravine") -> dict:
    """The file computes the figure at the exact state its controls show: the heavy-ball path equal to
    momentum_core's (1e-9 of its scale), every column and the readout as the served figure draws them."""
    state = plane_state(view, key)
    frame = view.frame(key)
    start = (state["x0"], state["y0"])
    expected = cut_where_it_leaves(
        mc.heavy_ball(PROBLEM, start, state["alpha"], state["beta"], state["steps"])
    )
    path = np.column_stack([frame["momentum_x"], frame["momentum_y"]])
    scale = max(1.0, np.abs(expected).max())
    np.testing.assert_allclose(path, padded(expected, frame), rtol=0, atol=1e-9 * scale)
    served = served_state(FIGURES[key](), state)
    for name, values in served["columns"].items():
        np.testing.assert_allclose(frame[name], values, rtol=0, atol=1e-9 * scale)
    assert html.unescape(view.read(f"{key}-readout", "text")) == served["readout"]
    rate = mc.convergence_rate(state["alpha"], state["beta"], PROBLEM.eigenvalues)
    assert format_rate(rate) in view.readout(key)
    return state


def assert_ravine_matches_core(view: StaticPage) -> None:
    assert_plane_matches_core(view, "ravine")


def test_one_file_per_figure_and_the_explorable_each_self_contained(exported):
    out, printed = exported
    assert sorted(p.name for p in out.glob("*.html")) == sorted(
        [*(f"{k}.html" for k in FIGURES), "index.html"]
    )
    for key in FIGURES:
        path = out / f"{key}.html"
        assert path.stat().st_size <= MAX_FIGURE_BYTES, (key, path.stat().st_size)
        assert f"{path}: " in printed
    assert (out / "index.html").stat().st_size <= MAX_INDEX_BYTES
    for path in out.glob("*.html"):
        markup = re.sub(r"(<script[^>]*>).*?</script>", r"\1", path.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"""(?:src|href)=["']https?://""", markup), (
            path.name
        )  # no tag loads from outside
        assert "cdn.holoviz.org" not in markup


def test_a_static_copy_links_only_to_files_it_holds(page, exported):
    """Every link of every file, once its figures are drawn (index.html's /custom section too), leads
    to a file of the export or out of it, never to a served route that a folder of files does not
    have (/custom's readout linked to `ravine?problem=…`, a missing file)."""
    out, _ = exported
    for name, fragment in [*((f"{key}.html", "") for key in FIGURES), ("index.html", "#custom")]:
        view = StaticPage(page, out / name, fragment)
        key = name.removesuffix(".html") if not fragment else fragment[1:]
        page.wait_for_function(BUILT, arg=key, timeout=30_000)
        page.locator(f".{key}-readout table").first.wait_for(timeout=30_000)
        for href in page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)"):
            link = urlsplit(href)
            if link.scheme == "file":
                assert Path(url2pathname(link.path)).is_file(), (name, href)
        view.assert_offline_and_clean()


def test_a_static_custom_figure_asks_for_nothing_its_file_cannot_do(page, exported):
    """custom.html's problem box is off: its caption suggests the button and β, not typing a problem."""
    from app.figures.custom import STATIC_CAPTION, Custom

    out, _ = exported
    StaticPage(page, out / "custom.html")
    caption = page.locator(".custom-caption p.figure-caption").first.inner_text()
    assert caption.strip() == STATIC_CAPTION
    assert "type" not in caption and "type" in Custom.caption  # the served caption asks for typing


def test_a_static_plane_figure_computes_every_control_in_the_page(page, exported):
    out, _ = exported
    view = StaticPage(page, out / "ravine.html")
    assert view.read("ravine-beta", "value") == pytest.approx(0.99)  # opens on the article's defaults
    assert_ravine_matches_core(view)
    assert view.read("ravine-beta", "step") == pytest.approx(0.001)  # the served slider's own track
    view.press("ravine-beta", "ArrowLeft")
    assert view.read("ravine-beta", "value") == pytest.approx(0.989)
    assert_ravine_matches_core(view)
    view.press("ravine-alpha", "ArrowRight")
    assert_ravine_matches_core(view)
    view.press("ravine-steps", "ArrowLeft")
    assert plane_state(view, "ravine")["steps"] == 999
    assert_ravine_matches_core(view)
    # A click on the plot moves the start, as on the server.
    before = view.read("ravine-frame", "data")
    view.click_plot("ravine-plot", 0.75, 0.3)
    view.wait_until_changed("ravine-frame", "data", before)
    state = assert_plane_matches_core(view, "ravine")
    assert (state["x0"], state["y0"]) != (-3.0, -1.4)
    # Gradient descent off: its path, label and readout rows go.
    page.locator(".ravine-show_gd").first.click()
    page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('ravine-show_gd').active === false")
    assert "Gradient descent" not in view.readout("ravine")
    assert_ravine_matches_core(view)
    # A typed problem needs Python: the box is off, and the note says what is live.
    assert view.read("ravine-problem", "disabled") is True and view.read("ravine-steps", "disabled") is False
    assert "computed in this page" in page.locator(".ravine-static_note .static-note").first.inner_text()
    view.assert_offline_and_clean()


def assert_nesterov_as_served(view: StaticPage) -> dict:
    state = plane_state(view, "nesterov")
    served = served_state(FIGURES["nesterov"](), state)
    frame = view.frame("nesterov")
    for name, values in served["columns"].items():
        np.testing.assert_allclose(frame[name], values, rtol=0, atol=1e-9 * max(1.0, np.abs(values).max()))
    assert html.unescape(view.read("nesterov-readout", "text")) == served["readout"]
    return state


def test_the_static_nesterov_figure_computes_every_control_in_the_page(page, exported):
    out, _ = exported
    view = StaticPage(page, out / "nesterov.html")
    assert_nesterov_as_served(view)
    # Its module (ravine.js, as /ravine's) warmed up from the file as served, before any input.
    page.wait_for_function(WARMED, arg="ravine.js")
    warmed = page.evaluate("() => window.__momentumWarmed['ravine.js']")
    assert not warmed["refused"] and (warmed["states"] == WARM_STATES or warmed["ms"] >= WARM_MS), warmed
    for control, key in (("beta", "ArrowLeft"), ("alpha", "ArrowRight"), ("steps", "ArrowLeft")):
        view.press(f"nesterov-{control}", key)
        assert_nesterov_as_served(view)
    before = view.read("nesterov-frame", "data")
    view.click_plot("nesterov-plot", 0.7, 0.35)
    view.wait_until_changed("nesterov-frame", "data", before)
    assert assert_nesterov_as_served(view)["x0"] != FIGURES["nesterov"].param.x0.default  # the start moved
    assert view.read("nesterov-problem", "disabled") is True
    view.assert_offline_and_clean()


def test_a_mouse_drag_on_a_static_slider_lands_on_the_exact_state(page, exported):
    out, _ = exported
    for key in ("ravine", "nesterov"):
        view = StaticPage(page, out / f"{key}.html")
        before = view.read(f"{key}-frame", "data")
        drag_handle(page, f"{key}-alpha", -80)
        view.wait_until_changed(f"{key}-frame", "data", before)
        page.wait_for_timeout(300)
        state = plane_state(view, key)
        assert state["alpha"] < FIGURES[key].param.alpha.default
        served = served_state(FIGURES[key](), state)
        frame = view.frame(key)
        for name, values in served["columns"].items():
            np.testing.assert_allclose(frame[name], values, rtol=0, atol=1e-8)
        assert html.unescape(view.read(f"{key}-readout", "text")) == served["readout"]
        view.assert_offline_and_clean()


def assert_decomposition_as_served(view: StaticPage) -> dict:
    """The file's bands, ranges and readout are the served figure's at the state its controls show."""
    state = {
        "alpha": 10 ** view.read("decomposition-alpha", "value"),
        "beta": view.read("decomposition-beta", "value"),
        "steps": int(view.read("decomposition-steps", "value")),
        "scale": ["linear", "log"][view.read("decomposition-scale", "active")],
    }
    figure = FIGURES["decomposition"]()
    figure.param.update(**state)
    frame = view.frame("decomposition")
    for name, values in figure.frame.data.items():
        np.testing.assert_allclose(frame[name], values, rtol=1e-9, atol=1e-15)
    assert html.unescape(view.read("decomposition-readout", "text")) == shown_html(figure.readout)
    assert view.read(f"decomposition-{state['scale']}", "visible") is True
    return state


def test_the_static_decomposition_computes_every_control_in_the_page(page, exported):
    out, _ = exported
    view = StaticPage(page, out / "decomposition.html")
    assert_decomposition_as_served(view)
    view.press("decomposition-beta", "ArrowRight")
    assert view.read("decomposition-beta", "value") == pytest.approx(0.001)  # steps of 0.001, not a grid
    assert_decomposition_as_served(view)
    view.press("decomposition-steps", "ArrowLeft")
    assert_decomposition_as_served(view)
    before = view.read("decomposition-frame", "data")
    page.locator(".decomposition-optimal_momentum button").click()
    view.wait_until_changed("decomposition-frame", "data", before)
    page.wait_for_timeout(200)
    state = assert_decomposition_as_served(view)
    assert (state["alpha"], state["beta"]) == pytest.approx(mc.optimal_parameters(0.01, 1.0), rel=1e-9)
    before = view.read("decomposition-frame", "data")
    page.locator(".decomposition-scale button", has_text="log").click()
    view.wait_until_changed("decomposition-frame", "data", before)
    assert assert_decomposition_as_served(view)["scale"] == "log"
    page.locator(".decomposition-optimal_step button").click()
    page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('decomposition-beta').value === 0")
    page.wait_for_timeout(200)
    assert_decomposition_as_served(view)
    assert view.read("decomposition-problem", "disabled") is True
    view.assert_offline_and_clean()


def assert_regions_as_served(view: StaticPage) -> dict:
    """The file's map (every cell's colour code, labels, curves, optimum), roots, trace, marker and
    readout are the served figure's at the state its controls show, and momentum_core's."""
    assert_plot_matches_core(view)
    state = {
        "alpha": view.read("regions-alpha", "value"),
        "beta": view.read("regions-beta", "value"),
        "kappa": 10 ** view.read("regions-kappa", "value"),
        "component": FIGURES["regions"].param.component.objects[view.read("regions-component", "active")],
    }
    figure = FIGURES["regions"]()
    figure.param.update(**state)
    codes = np.asarray(view.read("regions-rate_grid", "data")["rate"])
    assert np.array_equal(np.ravel(codes), np.ravel(figure.image_source.data["rate"][0]))
    assert view.read("regions-regime_labels", "data") == figure.labels_source.data
    for name in ("xs", "ys"):
        np.testing.assert_allclose(
            view.read("regions-critical_damping", "data")[name], figure.critical_source.data[name], rtol=1e-9
        )
    frame = view.frame("regions")
    for name, values in figure.frame.data.items():
        np.testing.assert_allclose(frame[name], values, rtol=1e-9, atol=1e-14)
    assert html.unescape(view.read("regions-readout", "text")) == shown_html(figure.readout)
    return state


def test_the_static_region_map_computes_every_control_in_the_page(page, exported):
    out, _ = exported
    view = StaticPage(page, out / "regions.html")
    assert assert_regions_as_served(view) == {
        "alpha": 0.5, "beta": 0.6, "kappa": pytest.approx(100.0), "component": "λ₁ = 1/κ"
    }  # fmt: skip
    view.press("regions-beta", "ArrowUp")
    assert view.read("regions-beta", "value") == pytest.approx(0.601)  # steps of 0.001, not a grid
    assert_regions_as_served(view)
    view.press("regions-alpha", "ArrowLeft")
    assert view.read("regions-alpha", "value") == pytest.approx(0.499)
    before = view.read("regions-rate_grid", "data")
    view.press("regions-kappa", "ArrowLeft")  # κ: the whole map is recomputed in the page
    view.wait_until_changed("regions-rate_grid", "data", before)
    assert assert_regions_as_served(view)["kappa"] == pytest.approx(10**1.99)
    # A click on the map, then a drag of the marker, move (α, β) there, as on the server.
    before = view.read("regions-frame", "data")
    view.click_data("regions-map", 2.0, 0.8)
    view.wait_until_changed("regions-frame", "data", before)
    state = assert_regions_as_served(view)
    assert (state["alpha"], state["beta"]) == pytest.approx((2.0, 0.8), abs=0.03)
    before = view.read("regions-frame", "data")
    view.drag_data("regions-map", (state["alpha"], state["beta"]), (3.0, 0.2))
    view.wait_until_changed("regions-frame", "data", before)
    state = assert_regions_as_served(view)
    assert (state["alpha"], state["beta"]) == pytest.approx((3.0, 0.2), abs=0.03)
    assert "diverges" in view.readout("regions")  # αλₙ = 3 > 2 + 2β = 2.4
    before = view.read("regions-frame", "data")
    page.locator(".regions-component button").nth(1).click()
    view.wait_until_changed("regions-frame", "data", before)
    assert assert_regions_as_served(view)["component"] == "λₙ = 1"
    # A mouse drag of a slider (its last change, value_throttled, reaches no plot) keeps every legend icon.
    before = view.read("regions-frame", "data")
    drag_handle(page, "regions-alpha", 40)
    view.wait_until_changed("regions-frame", "data", before)
    page.wait_for_timeout(300)
    assert_regions_as_served(view)
    assert view.blank_legend_icons("regions") == []
    assert "computed in this page" in page.locator(".regions-static_note .static-note").first.inner_text()
    view.assert_offline_and_clean()


def built_sections(page) -> list[str]:
    return [key for key in FIGURES if page.evaluate(BUILT, key)]


def test_the_whole_explorable_renders_its_formulas_and_builds_each_section_as_the_reader_nears_it(
    page, exported
):
    """index.html opens with its first section only (building all fifteen figures first took six times
    as long as one figure); the others are drawn as the reader scrolls to them, typeset, and respond."""
    out, _ = exported
    view = StaticPage(page, out / "index.html")
    page.locator("mjx-container").first.wait_for(timeout=15_000)  # the text's formulas, typeset offline
    assert_ravine_matches_core(view)
    assert built_sections(page) == ["ravine"]
    for _ in range(120):  # a reader scrolling down to /hurts's section, past every one above it
        if page.evaluate(BUILT, "hurts"):
            break
        page.mouse.wheel(0, 1200)
        page.wait_for_timeout(150)
    passed = list(FIGURES)[: list(FIGURES).index("hurts") + 1]
    assert built_sections(page)[: len(passed)] == passed
    before = view.frame("hurts")
    view.press("hurts-beta", "ArrowLeft")
    assert any(not np.array_equal(before[k], v) for k, v in view.frame("hurts").items())
    view.press("limits-iteration", "ArrowRight")  # a section drawn later computes as served
    assert_static_as_served(view, "limits")
    view.assert_offline_and_clean()


def test_the_explorable_opens_at_the_section_its_address_names(page, exported):
    """index.html#limits draws that section at once and shows it; sections far from it wait."""
    out, _ = exported
    view = StaticPage(page, out / "index.html", "#limits")
    page.wait_for_function(BUILT, arg="limits", timeout=30_000)
    page.wait_for_timeout(800)
    top = page.evaluate("document.getElementById('limits').getBoundingClientRect().top")
    assert -50 <= top <= 300, top
    assert "decomposition" not in built_sections(page)
    view.press("limits-iteration", "ArrowRight")
    view.assert_offline_and_clean()


#: The page's own view of a figure: the module (evaluated by its first change) and the models and spec
#: its update callback holds; `fig` set for the parity test's page code.
PAGE_MODULE_STATE = """([figure, file, control]) => {
  const plain = (v) => (v instanceof Map ? Object.fromEntries([...v].map(([k, x]) => [k, plain(x)])) : v);
  const widget = Bokeh.documents.map((d) => d.get_model_by_name(control)).find((m) => m);
  const callbacks = [...Object.values(plain(widget.js_property_callbacks))].flat();
  const update = callbacks.find((cb) => plain(cb.args).action === "update");
  const {models, spec} = plain(update.args);
  window.fig = window.__momentumModules[file];
  const values = spec === null ? null : spec.value;
  // the frame's columns, /colorization's pixel rows and /formulations' weights (the parity test's columns)
  const frame = {};
  const sources = [models.frame, models.pixels, models.weights].filter((source) => source != null);
  for (const source of sources)
    for (const [name, column] of Object.entries(plain(source.data))) frame[name] = Array.from(column);
  return {state: fig.read(models, values), spec: values, frame, readout: models.readout.text};
}"""


def assert_static_as_served(view: StaticPage, key: str) -> None:
    """What the file painted is its module's result at the state its controls show, and that result is
    what the served figure draws there (the parity test's comparison)."""
    from test_browser_page_modules import PARITY, in_page

    figure = FIGURES[key]
    _, code, drawn, compare = PARITY[key]
    control = next(w.name for w in figure().widgets if hasattr(w, "step"))  # a slider: wired to the update
    shown = evaluate_json(view.page, PAGE_MODULE_STATE, [key, figure.page_module, control])
    state = shown["state"]
    if key == "custom":  # its states carry their problem's text and spec (one problem per state)
        state = {**state, "problem": figure.problem, "start": figure.start, "spec": shown["spec"]}
    got = in_page(view.page, code, shown["spec"], [state])[0]
    for name, values in got["columns"].items():
        np.testing.assert_allclose(shown["frame"][name], values, rtol=0, atol=0, err_msg=name)
    assert html.unescape(shown["readout"]) == got["readout"]
    reference = figure()
    reference.static_copy()  # the Python figure as a static copy shows it
    compare(got, drawn(reference, state), shown["state"])


@pytest.mark.parametrize("key", sorted(k for k, f in FIGURES.items() if f.page_module))
def test_every_static_figure_computed_in_the_page_follows_each_slider_to_its_exact_value(page, exported, key):
    """Each slider of the file, pressed one step up (its own step: no grid), repaints the figure, and
    what it paints is the served figure at that exact state; offline, no console error."""
    out, _ = exported
    view = StaticPage(page, out / f"{key}.html")
    figure = FIGURES[key]()
    sliders = [w.name for w in figure.widgets if hasattr(w, "step") and not getattr(w, "disabled", False)]
    assert sliders, key
    for name in sliders:
        before = view.read(name, "value")
        handle = page.locator(f".{name} .noUi-handle").first
        handle.scroll_into_view_if_needed()
        handle.focus()
        page.keyboard.press("ArrowRight" if before < view.read(name, "end") else "ArrowLeft")
        assert view.read(name, "value") != before
        for attempt in range(20):  # the paint comes at the next frame, the readout within 100 ms
            page.wait_for_timeout(100)
            try:
                assert_static_as_served(view, key)
                break
            except AssertionError:
                if attempt == 19:
                    raise
    view.assert_offline_and_clean()


def test_a_static_regression_takes_a_dragged_data_point(page, exported):
    """With no server: a data point dragged in the file moves the fit and the eigenfeatures, computed in
    the page as the served figure draws them; the point keeps its ξ and lands on the 1/1000 grid."""
    out, _ = exported
    view = StaticPage(page, out / "regression.html")
    x, y = mc.REGRESSION_X[3], mc.REGRESSION_Y[3]
    before = view.read("regression-targets", "data")
    view.drag_data("regression-fit_plot", (x, y), (x, y + 0.8))
    view.wait_until_changed("regression-targets", "data", before)
    page.wait_for_timeout(300)
    data = view.read("regression-data", "data")
    assert data["x"] == list(mc.REGRESSION_X) and data["y"][3] == pytest.approx(y + 0.8, abs=0.05)
    assert data["y"][3] == round(data["y"][3], 3)
    assert_static_as_served(view, "regression")
    page.locator(".regression-reset_points button").first.click()
    view.wait_until_changed("regression-data", "data", data)
    assert view.read("regression-data", "data")["y"] == list(mc.REGRESSION_Y)
    view.assert_offline_and_clean()
