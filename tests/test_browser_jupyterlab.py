"""The notebook in a real JupyterLab page: run it, drag a slider, see the plot follow — offline.

`pip install -e ".[notebook]"` and `jupyter lab notebooks/momentum_explorer.ipynb` is what a student
does; this test does the same with JupyterLab on loopback (its own token, settings and workspace) and
Chromium, and checks the plotted numbers against momentum_core.
"""

from urllib.parse import urlparse

import numpy as np
import pytest
from browser import LOCAL_HOSTS, READ_MODEL, drag_handle
from jupyter_server import jupyterlab, run_all_cells

import momentum_core as mc
from app.figures.ravine import PROBLEM

pytestmark = pytest.mark.browser

#: Counts the ravine's states the page module paints and the changes of its frame's data, by anyone.
COUNT_PAINTS = """() => {
  const module = window.__momentumModules["ravine.js"];
  const frame = Bokeh.documents.map((d) => d.get_model_by_name("ravine-frame")).find((m) => m);
  const counts = (window.__paints = {painted: 0, changed: 0});
  const paint = module.paint;
  module.paint = (...args) => { counts.painted += 1; return paint(...args); };
  frame.properties.data.change.connect(() => { counts.changed += 1; });
}"""


@pytest.fixture
def lab(tmp_path):
    with jupyterlab(tmp_path) as url:
        yield url


def ravine_in_page(page) -> tuple[float, float, np.ndarray]:
    """(α, β, momentum path) of the notebook's first ravine figure, as the page holds them."""
    alpha = 10 ** page.evaluate(READ_MODEL, ["ravine-alpha", "value"])
    beta = page.evaluate(READ_MODEL, ["ravine-beta", "value"])
    frame = page.evaluate(READ_MODEL, ["ravine-frame", "data"])
    return alpha, beta, np.column_stack([frame["momentum_x"], frame["momentum_y"]])


def assert_path_is_momentum_cores(page) -> None:
    alpha, beta, shown = ravine_in_page(page)
    start = page.evaluate(READ_MODEL, ["ravine-start_point", "data"])
    expected = mc.heavy_ball(PROBLEM, (start["x"][0], start["y"][0]), alpha, beta, 1000)
    np.testing.assert_allclose(shown, expected[: len(shown)], rtol=1e-9, atol=1e-12)


def test_the_notebook_runs_in_jupyterlab_and_its_sliders_drive_the_plots(browser, lab):
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        run_all_cells(page, lab)
        page.locator(".ravine-readout table").first.wait_for(timeout=60_000)
        # Laid out, each output warms its figures' page modules up, before any input (as a served page
        # does once ready): the explorable's sections too. (A module's record is its last figure's: the
        # notebook's ravine and the explorable's write the same one.)
        for name in ("ravine.js", "regions.js"):
            warmed = f"""() => {{ const warm = (window.__momentumWarmed ?? {{}})['{name}'];
              return warm?.done === true && warm.states >= 1 && !warm.refused; }}"""
            page.wait_for_function(warmed, timeout=30_000)
        page.wait_for_timeout(1000)
        # The second cell set β = 0.9 from code: the slider and the plot followed.
        assert page.evaluate(READ_MODEL, ["ravine-beta", "value"]) == pytest.approx(0.9)
        assert_path_is_momentum_cores(page)

        # A student drags β: the kernel recomputes and the plot repaints with momentum_core's path.
        snapshot = f"() => JSON.stringify(({READ_MODEL})(['ravine-frame', 'data']).momentum_x)"
        page.evaluate(f"() => {{ window.__before = ({snapshot})(); }}")
        drag_handle(page, "ravine-beta", -80, pause_ms=30)
        page.wait_for_function(f"() => ({snapshot})() !== window.__before", timeout=60_000)
        page.wait_for_timeout(1500)  # the drag's last state
        assert page.evaluate(READ_MODEL, ["ravine-beta", "value"]) < 0.85
        assert_path_is_momentum_cores(page)

        # Each state is painted once, by the page: the kernel, which computes it too, sends no repaint.
        page.evaluate(COUNT_PAINTS)
        page.locator(".ravine-beta .noUi-handle").first.focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(400)
        page.wait_for_timeout(2000)  # the kernel's answers, were it to repaint
        counts = page.evaluate("window.__paints")
        assert counts["painted"] == 5 and counts["changed"] == counts["painted"], counts
        assert_path_is_momentum_cores(page)

        # The explorable's real model runs its WebAssembly in JupyterLab's page too: a β change repaints
        # its readout from the page (not the browser-too-old words).
        readout = f"() => ({READ_MODEL})(['model-readout', 'text'])"
        page.locator(".model-beta .noUi-handle").first.scroll_into_view_if_needed()
        page.evaluate(f"() => {{ window.__modelBefore = ({readout})(); }}")
        page.locator(".model-beta .noUi-handle").first.focus()
        page.keyboard.press("ArrowLeft")
        page.wait_for_function(f"() => ({readout})() !== window.__modelBefore", timeout=30_000)
        text = page.evaluate(readout)
        assert "momentum (α, β)" in text and "not shown" not in text, text

        outside = [u for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")]
        assert [u for u in outside if urlparse(u).hostname not in LOCAL_HOSTS] == []
        assert errors == []
    finally:
        page.close()
