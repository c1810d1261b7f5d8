"""The whole explorable at `/` and every route: loads offline, no console errors, prefixed URL state."""

import numpy as np
import pytest

import momentum_core as mc
from app.pages import ROUTES

pytestmark = pytest.mark.browser

READY = {"explorer": "regions-readout", "": "regions-readout", "embed": "ravine-embed"}


@pytest.mark.parametrize("route", ["", *ROUTES])
def test_every_route_loads_offline_without_errors(app, route):
    app.open(route, ready=READY.get(route, f"{route}-readout"))
    app.settle(800)
    assert len(app.requests) > 3
    # assert_clean (run by the fixture): no console error, no request off this machine, no server error.


def test_explorer_shows_three_figures_in_article_order_with_formulas(app):
    app.open("", ready="regions-readout")
    tops = [
        app.page.locator(f".{name}-readout table").first.bounding_box()["y"]
        for name in ("ravine", "decomposition", "regions")
    ]
    assert tops == sorted(tops)
    assert app.page.locator(".katex").count() >= 4  # display formulas rendered by the local KaTeX
    assert "Why momentum really works" in app.page.locator("h1").first.inner_text()


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
    ("condition", "condition-kappa", "condition-frame", "ArrowRight"),
    ("regression", "regression-iteration", "regression-frame", "ArrowRight"),
    ("regression", "regression-alpha", "regression-frame", "ArrowLeft"),
    ("colorization", "colorization-iteration", "colorization-frame", "ArrowRight"),
    ("colorization", "colorization-beta", "colorization-frame", "ArrowLeft"),
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
