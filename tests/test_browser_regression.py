"""The polynomial-regression example in a real Chromium against a live `panel serve`."""

import numpy as np
import pytest
from browser import padded

import momentum_core as mc

pytestmark = pytest.mark.browser


def state(app):
    s = {name: app.read(f"regression-{name}", "value") for name in ("degree", "iteration", "alpha", "beta")}
    s["iteration"] = round(10 ** s["iteration"])  # log sliders hold log₁₀ of the value
    s["alpha"] = 10 ** s["alpha"]
    return s


def assert_matches_core(app):
    """The fit after k steps, each eigenfeature's part and share equal a plain heavy-ball run from 0."""
    s = state(app)
    problem = mc.polynomial_regression(mc.REGRESSION_X, mc.REGRESSION_Y, int(s["degree"]))
    k, n = s["iteration"], problem.dim
    w = mc.heavy_ball(problem, np.zeros(n), s["alpha"], s["beta"], k)[-1]
    frame = app.frame("regression")
    xi = frame["xi"]
    np.testing.assert_allclose(frame["fit"], np.polyval(w[::-1], xi), rtol=1e-7, atol=1e-9)
    phi = mc.eigenfeatures(problem, xi)
    weights = problem.eigenvectors.T @ w  # this run's weight on each eigenfeature
    for j in range(n):
        np.testing.assert_allclose(frame[f"part{j}"], phi[:, j] * weights[j], rtol=1e-7, atol=1e-9)
    r = mc.residual_factors(problem, s["alpha"], s["beta"], 10_000)
    shown = frame["k"].astype(int)
    np.testing.assert_allclose(frame[f"fitted{n - 1}"], padded(1 - r[shown, n - 1], frame), atol=1e-9)
    targets = app.data("regression-targets")
    best = np.polyval(np.polyfit(mc.REGRESSION_X, mc.REGRESSION_Y, int(s["degree"])), targets["xi"])
    np.testing.assert_allclose(targets["best"], best, rtol=1e-7, atol=1e-9)
    text = app.text("regression-readout")
    assert f"κ = λₙ/λ₁ of the Gram matrix ZᵀZ\t{problem.condition_number:.4g}" in text
    return text


def test_large_eigenfeatures_are_fitted_first(app):
    app.open("regression", "iteration=300")
    text = assert_matches_core(app)
    assert "gradient descent" in text
    lam = mc.polynomial_regression(mc.REGRESSION_X, mc.REGRESSION_Y, 5).eigenvalues
    shares = (
        1
        - mc.residual_factors(mc.polynomial_regression(mc.REGRESSION_X, mc.REGRESSION_Y, 5), 0.06, 0, 300)[-1]
    )
    assert f"λ6 = {lam[-1]:.4g}\t100.0 %" in text
    assert f"λ1 = {lam[0]:.4g}\t{100 * shares[0]:.1f} %" in text
    assert shares[0] < 0.3


def test_iteration_drag_and_momentum_button_fit_the_slow_features(app):
    app.open("regression", "iteration=20")
    before = app.frame("regression")["part0"].copy()
    app.act_and_wait("regression-frame", lambda: app.drag_slider("regression-iteration", 80), settle_ms=600)
    assert state(app)["iteration"] > 20
    assert np.abs(app.frame("regression")["part0"]).max() > np.abs(before).max()
    assert_matches_core(app)
    app.act_and_wait("regression-frame", lambda: app.page.locator(".regression-optimal button").click())
    lam = mc.polynomial_regression(mc.REGRESSION_X, mc.REGRESSION_Y, 5).eigenvalues
    s = state(app)
    assert (s["alpha"], s["beta"]) == pytest.approx(mc.optimal_parameters(lam[0], lam[-1]), rel=1e-9)
    assert "momentum" in assert_matches_core(app)


def test_degree_changes_the_problem_and_the_legend(app):
    app.open("regression", "degree=2&iteration=50")
    assert_matches_core(app)
    app.act_and_wait("regression-targets", lambda: app.press_on_slider("regression-degree", "ArrowRight"))
    assert state(app)["degree"] == 3
    assert_matches_core(app)
    app.act_and_wait("regression-frame", lambda: app.page.locator(".regression-descent button").click())
    assert state(app)["beta"] == 0
    assert_matches_core(app)


def test_bad_link_is_clamped_and_divergence_is_labelled(app):
    app.open("regression", "degree=9&alpha=0.3&beta=0.95&iteration=abc")
    assert "degree" in app.notices() and "iteration" in app.notices()
    assert state(app)["degree"] == 5
    text = app.text("regression-readout")
    assert "diverges" in text and "diverged" in text
    frame = app.frame("regression")  # asserts every column is finite
    assert np.abs(frame["fit"]).max() <= 1e6
