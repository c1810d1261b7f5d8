"""Static export: the files `python -m app export` writes, opened from disk in Chromium with no server."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from browser import BokehPage, drag_handle, padded
from test_browser_ravine import cut_where_it_leaves

import momentum_core as mc
from app.figures import FIGURES
from app.figures.ravine import PROBLEM
from app.url_state import format_rate

pytestmark = pytest.mark.browser

MAX_FIGURE_BYTES = 5_000_000
LOCAL = ("file:", "data:", "blob:")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("static")
    done = subprocess.run(
        [sys.executable, "-m", "app", "export", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out, done.stdout


class StaticPage(BokehPage):
    """An exported file opened from disk (no server)."""

    def __init__(self, page, path: Path) -> None:
        super().__init__(page)
        page.goto(path.as_uri())
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


def assert_ravine_matches_core(view: StaticPage) -> None:
    alpha, beta = 10 ** view.read("ravine-alpha", "value"), view.read("ravine-beta", "value")
    frame = view.frame("ravine")
    expected = cut_where_it_leaves(mc.heavy_ball(PROBLEM, (-3.0, -1.4), alpha, beta, 1000))
    path = np.column_stack([frame["momentum_x"], frame["momentum_y"]])
    np.testing.assert_allclose(path, padded(expected, frame), rtol=1e-3, atol=1e-4)  # stored to 4 digits
    assert format_rate(mc.convergence_rate(alpha, beta, PROBLEM.eigenvalues)) in view.readout("ravine")


def test_one_file_per_figure_and_the_explorable_each_self_contained(exported):
    out, printed = exported
    assert sorted(p.name for p in out.glob("*.html")) == sorted(
        [*(f"{k}.html" for k in FIGURES), "index.html"]
    )
    for key in FIGURES:
        path = out / f"{key}.html"
        assert path.stat().st_size <= MAX_FIGURE_BYTES, (key, path.stat().st_size)
        assert f"{path}: " in printed
    for path in out.glob("*.html"):
        markup = re.sub(r"(<script[^>]*>).*?</script>", r"\1", path.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"""(?:src|href)=["']https?://""", markup), (
            path.name
        )  # no tag loads from outside
        assert "cdn.holoviz.org" not in markup


def test_a_static_figure_responds_to_its_sliders_with_no_server(page, exported):
    out, _ = exported
    view = StaticPage(page, out / "ravine.html")
    assert view.read("ravine-beta", "value") == pytest.approx(0.99)  # opens on the article's defaults
    assert_ravine_matches_core(view)
    view.press("ravine-beta", "ArrowLeft")
    assert view.read("ravine-beta", "value") < 0.99
    assert_ravine_matches_core(view)
    view.press("ravine-alpha", "ArrowRight")
    assert_ravine_matches_core(view)
    # Controls that need the server are visibly off in the static copy, and it says so.
    assert view.read("ravine-steps", "disabled") is True and view.read("ravine-problem", "disabled") is True
    assert "Static copy" in page.locator(".ravine-static_note .static-note").first.inner_text()
    view.assert_offline_and_clean()


def test_a_mouse_drag_on_a_static_slider_lands_on_a_precomputed_state(page, exported):
    out, _ = exported
    view = StaticPage(page, out / "ravine.html")
    before = view.read("ravine-frame", "data")
    drag_handle(page, "ravine-alpha", -80)
    view.wait_until_changed("ravine-frame", "data", before)
    page.wait_for_timeout(300)
    assert 10 ** view.read("ravine-alpha", "value") < 0.02
    assert_ravine_matches_core(view)
    view.assert_offline_and_clean()


def test_the_whole_explorable_renders_its_formulas_and_its_figures_respond(page, exported):
    out, _ = exported
    view = StaticPage(page, out / "index.html")
    page.locator("mjx-container").first.wait_for(timeout=15_000)  # the text's formulas, typeset offline
    assert_ravine_matches_core(view)
    before = view.frame("hurts")
    view.press("hurts-beta", "ArrowLeft")
    assert any(not np.array_equal(before[k], v) for k, v in view.frame("hurts").items())
    view.assert_offline_and_clean()
