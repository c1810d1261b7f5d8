"""The colorization example in a real Chromium against a live `panel serve`."""

import numpy as np
import pytest

import momentum_core as mc

pytestmark = pytest.mark.browser


def state(app):
    names = ("pixels", "iteration", "alpha", "beta")
    return {name: app.read(f"colorization-{name}", "value") for name in names}


def assert_matches_core(app):
    s = state(app)
    n, k = int(s["pixels"]), int(s["iteration"])
    problem = mc.colorization(n)
    lam = problem.eigenvalues
    momentum = mc.heavy_ball(problem, np.zeros(n), s["alpha"], s["beta"], k)[-1]
    gd = mc.gradient_descent(problem, np.zeros(n), mc.optimal_step_size(lam[0], lam[-1]), k)[-1]
    pixels = app.frame("colorization", "pixel_rows")  # n long: each pixel drawn once
    np.testing.assert_allclose(pixels["momentum"], momentum, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(pixels["gd"], gd, rtol=1e-8, atol=1e-12)
    np.testing.assert_array_equal(pixels["x"], np.arange(n))
    eigen = app.data("colorization-eigenvalues")
    np.testing.assert_allclose(eigen["lam"], mc.colorization_eigenvalues(n), rtol=1e-9)
    assert f"κ = λₙ/λ₁\t{lam[-1] / lam[0]:.4g}" in app.text("colorization-readout")


def test_loads_at_the_optimum_and_momentum_is_far_ahead(app):
    app.open("colorization")
    s = state(app)
    assert (s["alpha"], s["beta"]) == pytest.approx(
        mc.optimal_parameters(*mc.colorization_eigenvalues(60)[[0, -1]])
    )
    assert_matches_core(app)
    pixels = app.frame("colorization", "pixel_rows")
    assert pixels["momentum"].mean() > 4 * pixels["gd"].mean()


def test_iteration_slider_spreads_the_colour(app):
    app.open("colorization", "iteration=20")
    before = app.frame("colorization", "pixel_rows")["momentum"].sum()
    app.act_and_wait(
        "colorization-pixel_rows", lambda: app.drag_slider("colorization-iteration", 120), settle_ms=600
    )
    assert state(app)["iteration"] > 20
    assert app.frame("colorization", "pixel_rows")["momentum"].sum() > before
    assert_matches_core(app)


def test_pixels_and_optimal_button(app):
    app.open("colorization", "pixels=20&alpha=0.2&beta=0.5")
    assert_matches_core(app)
    app.act_and_wait(
        "colorization-pixel_rows", lambda: app.page.locator(".colorization-optimal button").click()
    )
    s = state(app)
    assert (s["alpha"], s["beta"]) == pytest.approx(
        mc.optimal_parameters(*mc.colorization_eigenvalues(20)[[0, -1]])
    )
    assert_matches_core(app)


def test_divergence_never_sends_garbage(app):
    app.open("colorization", "alpha=1.2&beta=0.1&iteration=900")
    assert "diverged" in app.text("colorization-readout")
    pixels = app.frame("colorization", "pixel_rows")  # asserts every column is finite
    assert (
        np.abs(pixels["momentum"]).max() <= 1e6
    )  # the overflowing run is shown saturated, labelled "diverged" …
    # … over its row in the grey of divergence, not the colour scale's top (the answer's colour).
    assert app.read("colorization-diverged_momentum", "visible")
    assert not app.read("colorization-diverged_gd", "visible")
    # Dragged back to a step that converges (the page module paints it), the row has its colours again.
    app.drag_slider("colorization-alpha", -300)
    app.settle(600)
    assert "diverged" not in app.text("colorization-readout")
    assert not app.read("colorization-diverged_momentum", "visible")
