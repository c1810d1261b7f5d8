"""The colorization example in a real Chromium against a live `panel serve`."""

import numpy as np
import pytest
from browser import padded

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
    frame = app.frame("colorization")
    np.testing.assert_allclose(frame["momentum"], padded(momentum, frame), rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(frame["gd"], padded(gd, frame), rtol=1e-8, atol=1e-12)
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
    frame = app.frame("colorization")
    assert frame["momentum"][:60].mean() > 4 * frame["gd"][:60].mean()


def test_iteration_slider_spreads_the_colour(app):
    app.open("colorization", "iteration=20")
    before = app.frame("colorization")["momentum"][:60].sum()
    app.act_and_wait(
        "colorization-frame", lambda: app.drag_slider("colorization-iteration", 120), settle_ms=600
    )
    assert state(app)["iteration"] > 20
    assert app.frame("colorization")["momentum"][:60].sum() > before
    assert_matches_core(app)


def test_pixels_and_optimal_button(app):
    app.open("colorization", "pixels=20&alpha=0.2&beta=0.5")
    assert_matches_core(app)
    app.act_and_wait("colorization-frame", lambda: app.page.locator(".colorization-optimal button").click())
    s = state(app)
    assert (s["alpha"], s["beta"]) == pytest.approx(
        mc.optimal_parameters(*mc.colorization_eigenvalues(20)[[0, -1]])
    )
    assert_matches_core(app)


def test_divergence_never_sends_garbage(app):
    app.open("colorization", "alpha=1.2&beta=0.1&iteration=900")
    assert "diverged" in app.text("colorization-readout")
    frame = app.frame("colorization")  # asserts every column is finite
    assert (
        np.abs(frame["momentum"]).max() <= 1e6
    )  # the overflowing run is shown saturated, labelled "diverged"
