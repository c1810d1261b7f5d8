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
    data = app.data("regression-data")
    np.testing.assert_array_equal(data["x"], mc.REGRESSION_X)  # a dragged point keeps its ξ
    problem = mc.polynomial_regression(mc.REGRESSION_X, data["y"], int(s["degree"]))
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
    best = np.polyval(np.polyfit(mc.REGRESSION_X, data["y"], int(s["degree"])), targets["xi"])
    np.testing.assert_allclose(targets["best"], best, rtol=1e-7, atol=1e-9)
    text = app.text("regression-readout")
    assert f"κ = λₙ/λ₁ of the Gram matrix ZᵀZ\t{problem.condition_number:.4g}" in text
    for j in range(n):  # each eigenfeature's own plot, titled by its share fitted
        title = app.title(f"regression-feature{j}")
        assert title.startswith(f"λ{j + 1} = {problem.eigenvalues[j]:.4g}: ")
        assert title.endswith("diverged") or f"{100 * (1 - r[k, j]):.1f} %" in title
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


def test_a_dragged_point_moves_the_fit_and_the_link_keeps_it(app):
    """Drag the seventh point up by one: the data (held at its ξ, to 0.001), the least-squares targets and
    the fit follow momentum_core for the new data; the link reopens it; the button brings the data back."""
    app.open("regression", "iteration=300")
    x, y = mc.REGRESSION_X[6], mc.REGRESSION_Y[6]
    drag = lambda: app.drag_data("regression-fit_plot", (x, y), (x + 0.05, y + 1))  # noqa: E731
    app.act_and_wait("regression-targets", drag, settle_ms=800)
    data = app.data("regression-data")
    assert data["y"][6] == pytest.approx(y + 1, abs=0.05) and data["y"][6] == round(data["y"][6], 3)
    np.testing.assert_array_equal(np.delete(data["y"], 6), np.delete(mc.REGRESSION_Y, 6))
    assert_matches_core(app)
    app.page.wait_for_function("() => location.search.includes('points=')")
    link = app.page.url
    assert f"{data['y'][6]:.3f}".rstrip("0") in link.replace("%2C", ",")
    app.open("regression", link.split("?", 1)[1])
    np.testing.assert_allclose(app.data("regression-data")["y"], data["y"], atol=1e-12)
    assert_matches_core(app)
    app.act_and_wait(
        "regression-targets", lambda: app.page.locator(".regression-reset_points button").click()
    )
    np.testing.assert_array_equal(app.data("regression-data")["y"], mc.REGRESSION_Y)
    assert_matches_core(app)
    app.page.wait_for_function("() => (new URLSearchParams(location.search).get('points') ?? '') === ''")


def test_bad_data_in_a_link_is_refused_with_a_notice(app):
    app.open("regression", "points=1,2,3")
    assert "the data needs 12 values, got 3" in app.notices()
    np.testing.assert_array_equal(app.data("regression-data")["y"], mc.REGRESSION_Y)
    app.open("regression", "points=" + ",".join(["5"] * 12))
    assert "within ±2" in app.notices()
    assert_matches_core(app)
