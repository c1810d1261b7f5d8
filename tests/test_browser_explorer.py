"""The whole explorable at `/` and every route: loads offline, no console errors, prefixed URL state."""

import re

import numpy as np
import pytest
from browser import BUILT, DEEP_QUERY, INK_AT_RIGHT_EDGE

import momentum_core as mc
from app.figures import FIGURES
from app.pages import ROUTES

pytestmark = pytest.mark.browser

READY = {"explorer": "ravine-readout", "": "ravine-readout", "embed": "ravine-embed"}


@pytest.mark.parametrize("route", ["", *ROUTES])
def test_every_route_loads_offline_without_errors(app, route):
    app.open(route, ready=READY.get(route, f"{route}-readout"))
    app.settle(800)
    assert len(app.requests) > 3
    if route in FIGURES:  # at 1280 px: nothing drawn to a plot's right edge (its last tick label inside)
        assert app.page.evaluate(INK_AT_RIGHT_EDGE, route) == []
    # assert_clean (run by the fixture): no console error, no request off this machine, no server error.


#: Where a section's anchor (#key) is, from the top of the viewport (searched through shadow roots).
ANCHOR_TOP = """(key) => {
  const [anchor] = (DEEP_QUERY)(document, "#" + CSS.escape(key));
  return anchor === undefined ? null : anchor.getBoundingClientRect().top;
}""".replace("DEEP_QUERY", DEEP_QUERY)


def test_explorer_builds_each_section_as_the_reader_reaches_it(app):
    app.open("", ready="ravine-readout")
    assert "Why momentum really works" in app.page.locator("h1").first.inner_text()
    assert app.built("ravine")
    assert not app.built("regions") and not app.built("custom")
    # The contents link takes the reader there; the section is built as it comes into view.
    app.page.get_by_role("link", name="3. Where momentum converges").click()
    app.page.wait_for_function(BUILT, arg="regions", timeout=30_000)
    app.settle(600)
    top = app.page.evaluate(ANCHOR_TOP, "regions")
    assert top is not None and -50 <= top <= 900
    tops = [
        app.page.locator(f".{name}-readout table").first.bounding_box()["y"] for name in ("ravine", "regions")
    ]
    assert tops == sorted(tops)
    assert not app.built("custom")  # far below: still not built
    # Scrolling to the end builds the rest.
    app.scroll_until_built("custom")
    app.settle(600)


def test_a_link_to_a_section_opens_it_built_scrolled_to_and_in_its_state(app):
    app.open("", "limits_kappa=1000#limits", ready="limits-readout")
    app.settle(900)
    assert 10 ** app.read("limits-kappa", "value") == pytest.approx(1000)
    top = app.page.evaluate(ANCHOR_TOP, "limits")
    assert top is not None and -50 <= top <= 300, top
    assert not app.built("physics")  # sections the link does not touch wait
    app.act_and_wait("limits-frame", lambda: app.press_on_slider("limits-iteration", "ArrowRight", times=2))


#: Whether the view of the model named `name` is rendered: not skipped as off the screen (its section's
#: content-visibility).
RENDERED = """(name) => {
  const model = Bokeh.documents.map((d) => d.get_model_by_name(name)).find((m) => m);
  return Bokeh.index.find_one(model).el.checkVisibility({contentVisibilityAuto: true});
}"""


def test_a_section_off_the_screen_is_not_laid_out_or_painted(app):
    """On a page of many figures only those near the screen are laid out and painted: each frame of a
    drag would otherwise re-layer every figure built (JupyterLab's notebook, the explorable below: a
    60 Hz drag showed 73 of its 120 states)."""
    app.open("", "limits_kappa=1000#limits", ready="limits-readout")
    app.settle(900)
    assert app.page.evaluate(RENDERED, "limits-readout")
    assert not app.page.evaluate(RENDERED, "ravine-readout")  # built, far above
    app.page.mouse.move(650, 450)
    app.page.mouse.wheel(0, -20_000)  # the reader scrolls back up to the first figure
    app.page.wait_for_function(RENDERED, arg="ravine-readout", timeout=10_000)
    app.page.wait_for_function(f"(name) => !({RENDERED})(name)", arg="limits-readout", timeout=10_000)


def test_sections_link_to_their_routes_and_routes_back_to_their_sections(app):
    app.open("damping", ready="damping-readout")
    app.page.get_by_role("link", name="Read it in the article").click()
    app.page.wait_for_function(BUILT, arg="damping", timeout=30_000)
    app.settle(900)
    top = app.page.evaluate(ANCHOR_TOP, "damping")
    assert top is not None and -50 <= top <= 300, top
    app.page.mouse.wheel(0, 300)  # the reader scrolls on: the section stops holding itself in view
    app.page.locator('a[href="./damping"]').first.click()  # "Open this figure on its own", under it
    # The click's navigation, committed; the page's own load (its scripts, 4.8 MB, on a busy machine)
    # is what BUILT waits for.
    app.page.wait_for_url(re.compile(r"/damping(\?.*)?$"), wait_until="commit", timeout=30_000)
    app.page.wait_for_function(BUILT, arg="damping", timeout=30_000)


def test_explorer_url_keys_are_prefixed_per_figure(app):
    app.open(
        "",
        "ravine_alpha=0.05&decomposition_beta=0.5&regions_kappa=10&regions_alpha=-2",
        ready="regions-readout",
    )
    assert 10 ** app.read("ravine-alpha", "value") == pytest.approx(0.05)
    assert app.read("decomposition-beta", "value") == pytest.approx(0.5)
    assert 10 ** app.read("regions-kappa", "value") == pytest.approx(10)
    assert "regions_alpha=-2 is not a valid step-size" in app.notices()
    optimum = app.data("regions-optimum")
    assert (optimum["x"][0], optimum["y"][0]) == pytest.approx(mc.optimal_parameters(0.1, 1.0))
    assert np.isfinite(app.frame("ravine")["momentum_x"]).all()
    app.act_and_wait(
        "ravine-frame", lambda: app.press_on_slider("ravine-beta", "ArrowLeft", times=3), settle_ms=0
    )
    app.page.wait_for_url("**ravine_beta=0.987**", timeout=5000)
    assert "decomposition_beta=0.5" in app.page.url


SLIDERS = [  # (route, slider, a source it repaints, key)
    ("ravine", "ravine-alpha", "ravine-frame", "ArrowLeft"),
    ("ravine", "ravine-beta", "ravine-frame", "ArrowLeft"),
    ("ravine", "ravine-steps", "ravine-frame", "ArrowLeft"),
    ("decomposition", "decomposition-alpha", "decomposition-frame", "ArrowLeft"),
    ("decomposition", "decomposition-beta", "decomposition-frame", "ArrowRight"),
    ("decomposition", "decomposition-steps", "decomposition-frame", "ArrowRight"),
    ("regions", "regions-alpha", "regions-frame", "ArrowRight"),
    ("regions", "regions-beta", "regions-frame", "ArrowLeft"),
    ("regions", "regions-kappa", "regions-optimum", "ArrowRight"),
    ("damping", "damping-beta", "damping-frame", "ArrowRight"),
    ("damping", "damping-alpha", "damping-frame", "ArrowLeft"),
    ("condition", "condition-kappa", "condition-frame", "ArrowRight"),
    ("regression", "regression-iteration", "regression-frame", "ArrowRight"),
    ("regression", "regression-alpha", "regression-frame", "ArrowLeft"),
    ("colorization", "colorization-iteration", "colorization-pixel_rows", "ArrowRight"),
    ("colorization", "colorization-beta", "colorization-pixel_rows", "ArrowLeft"),
    ("limits", "limits-iteration", "limits-frame", "ArrowRight"),
    ("nesterov", "nesterov-alpha", "nesterov-frame", "ArrowLeft"),
    ("stochastic", "stochastic-beta", "stochastic-frame", "ArrowLeft"),
    ("stochastic", "stochastic-steps", "stochastic-frame", "ArrowLeft"),
    ("physics", "physics-dt", "physics-frame", "ArrowLeft"),
    ("formulations", "formulations-beta", "formulations-frame", "ArrowLeft"),
    ("schedules", "schedules-factor", "schedules-frame", "ArrowRight"),
    ("hurts", "hurts-curvature", "hurts-frame", "ArrowRight"),
    ("custom", "custom-beta", "custom-frame", "ArrowLeft"),
]


@pytest.mark.parametrize(("route", "slider", "source", "key"), SLIDERS)
def test_every_slider_repaints_its_figure_from_the_keyboard(app, route, slider, source, key):
    app.open(route)
    value = app.read(slider, "value")
    app.act_and_wait(source, lambda: app.press_on_slider(slider, key, times=3))
    assert app.read(slider, "value") != value
    assert app.notices() == ""
