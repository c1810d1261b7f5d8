"""The error-decomposition figure in a real Chromium against a live `panel serve`."""

import numpy as np
import pytest
from browser import padded
from test_browser_quick import COUNT_LAYOUTS, REPAINT

import momentum_core as mc
from app.figures.decomposition import CAP, EIGENVALUES, PROBLEM

START = 1 / np.sqrt(EIGENVALUES)  # every component's share of the loss ½ at k = 0

pytestmark = pytest.mark.browser


def state(app):
    return (
        10 ** app.read("decomposition-alpha", "value"),  # a log₁₀ slider
        app.read("decomposition-beta", "value"),
        int(app.read("decomposition-steps", "value")),
    )


def assert_plot_matches_core(app):
    alpha, beta, steps = state(app)
    parts = mc.loss_contributions(PROBLEM, PROBLEM.from_eigenbasis(START), alpha, beta, steps)
    cut = mc.divergence_step(parts, bound=CAP * parts[0].sum())
    parts = parts if cut is None else parts[:cut]
    stacked = np.cumsum(parts, axis=1)
    frame = app.frame("decomposition")
    for i in range(len(EIGENVALUES)):
        upper, lower = frame[f"upper{i}"], frame[f"lower{i}"]
        np.testing.assert_allclose(upper, stacked[:, i], rtol=1e-9, atol=1e-300)
        np.testing.assert_allclose(upper - lower, parts[:, i], rtol=1e-7, atol=1e-15)
    rate = mc.convergence_rate(alpha, beta, EIGENVALUES)
    readout = app.text("decomposition-readout")
    assert f"{rate:.4g}" in readout
    assert f"{stacked[-1, -1]:.3e}" in readout  # f(wᴺ) − f*, the top of the stack
    done = app.read("decomposition-done", "data")
    for i, lam in enumerate(EIGENVALUES):  # the bar ends where the share stays ≤ 1/100 of its start
        above = np.nonzero(parts[:, i] > 0.01 * parts[0, i])[0]
        step = 0 if above.size == 0 else above[-1] + 1
        if cut is not None:
            assert done["text"][i] == f"λ{i + 1} = {lam:g}: diverges"
        elif step < len(parts):
            assert done["text"][i] == f"λ{i + 1} = {lam:g}: step {step}" and done["right"][i] == step
        else:
            assert done["text"][i] == f"λ{i + 1} = {lam:g}: not within {len(parts) - 1} steps"


def test_loads_and_matches_core(app):
    app.open("decomposition")
    assert state(app) == pytest.approx((1.98, 0.0, 150))
    assert_plot_matches_core(app)
    done = app.read("decomposition-done", "data")["right"]
    assert abs(done[0] - done[2]) <= 3 and done[1] < done[0] / 5  # λ₁ and λ₃ shrink together
    assert "slowest component (sets the rate)\tλ1 = 0.01" in app.text("decomposition-readout")


def test_optimal_step_size_button(app):
    app.open("decomposition", "beta=0.5")
    app.act_and_wait(
        "decomposition-frame", lambda: app.page.locator(".decomposition-optimal_step button").click()
    )
    assert state(app)[:2] == pytest.approx((mc.optimal_step_size(0.01, 1.0), 0.0))
    assert_plot_matches_core(app)


def test_optimal_momentum_button(app):
    app.open("decomposition")
    app.act_and_wait(
        "decomposition-frame",
        lambda: app.page.locator(".decomposition-optimal_momentum button").click(),
    )
    assert state(app)[:2] == pytest.approx(mc.optimal_parameters(0.01, 1.0))
    assert_plot_matches_core(app)
    assert "0.8182" in app.text("decomposition-readout")  # (√κ − 1)/(√κ + 1) at κ = 100


def test_sliders_by_keyboard_and_mouse(app):
    app.open("decomposition")
    app.act_and_wait(
        "decomposition-frame", lambda: app.press_on_slider("decomposition-beta", "ArrowRight", times=4)
    )
    assert state(app)[1] == pytest.approx(0.004)
    assert_plot_matches_core(app)
    app.act_and_wait("decomposition-frame", lambda: app.drag_slider("decomposition-steps", 80), settle_ms=600)
    assert state(app)[2] > 150
    assert_plot_matches_core(app)


def test_log_scale_switches_the_visible_plot(app):
    app.open("decomposition")
    assert app.read("decomposition-linear", "visible") and not app.read("decomposition-log", "visible")
    app.page.locator(".decomposition-scale button", has_text="log").click()
    app.page.wait_for_function(
        "() => Bokeh.documents[0].get_model_by_name('decomposition-log').visible === true", timeout=5000
    )
    assert not app.read("decomposition-linear", "visible")
    assert_plot_matches_core(app)


FRAME = """(name) => {
  const {left, width, height} = Bokeh.index.find_one(Bokeh.documents[0].get_model_by_name(name)).frame.bbox;
  return {left, width, height};
}"""


def test_the_hidden_plot_is_laid_out_only_once_shown(app):
    """The log plot, hidden, shares the frame source and the k axis: each rested state has BokehJS
    repaint it, and a plot out of the layout measured its axes as changed and laid out the whole page
    every time (hidden_plots.js). A drag and its rest lay it out no more; shown, it is laid out like the
    linear one, its frame as wide."""
    app.open("decomposition")
    app.page.evaluate(COUNT_LAYOUTS)
    app.drag_slider("decomposition-alpha", 60)
    app.settle(600)
    app.page.evaluate(REPAINT, "decomposition-log")
    assert app.page.evaluate("() => window.__layouts['decomposition-log']") == 0
    linear = app.page.evaluate(FRAME, "decomposition-linear")
    app.page.locator(".decomposition-scale button", has_text="log").click()
    app.page.wait_for_function(
        "() => Bokeh.documents[0].get_model_by_name('decomposition-log').visible === true", timeout=5000
    )
    app.settle(600)
    shown = app.page.evaluate(FRAME, "decomposition-log")
    assert shown["width"] == pytest.approx(linear["width"], abs=40) and shown["height"] == linear["height"]
    assert shown["left"] > 30, "its y axis laid out beside the frame"
    assert_plot_matches_core(app)


def test_divergence_is_cut_and_labelled(app):
    app.open("decomposition", "alpha=4&beta=0.5")  # αλ₃ = 4 > 2 + 2β = 3
    readout = app.text("decomposition-readout")
    assert "diverges" in readout and "cut at step" in readout
    upper = app.frame("decomposition")["upper2"]
    assert np.isfinite(upper).all() and len(upper) < 101
    assert app.read("decomposition-divergence_linear", "visible") is True
    assert_plot_matches_core(app)


def typed_parts(app, eigenvalues: list[float]) -> tuple[np.ndarray, int | None]:
    """momentum_core's shares of the loss for typed eigenvalues at the page's state, cut as the figure
    cuts them, and the cut."""
    problem = mc.Quadratic.from_eigenvalues(eigenvalues)
    alpha, beta, steps = state(app)
    parts = mc.loss_contributions(
        problem, problem.from_eigenbasis(1 / np.sqrt(eigenvalues)), alpha, beta, steps
    )
    cut = mc.divergence_step(parts, bound=CAP * parts[0].sum())
    return (parts if cut is None else parts[:cut]), cut


def test_switches_to_typed_eigenvalues_with_one_band_each(app):
    app.open("decomposition", "problem=0.5 1 2 4&alpha=0.3")
    assert app.read("decomposition-problem", "value") == "0.5 1 2 4"
    shown, cut = typed_parts(app, [0.5, 1.0, 2.0, 4.0])
    frame = app.frame("decomposition")
    np.testing.assert_allclose(frame["upper3"], padded(shown.sum(axis=1), frame), rtol=1e-9)
    assert app.read("decomposition-band3_linear", "visible") is True
    assert app.read("decomposition-band4_linear", "visible") is False
    assert cut is None and "slowest component (sets the rate)\tλ1 = 0.5" in app.text("decomposition-readout")
    app.open("decomposition", "problem=1 2 3 4 5 6 7")
    assert "needs 1 to 6 eigenvalues" in app.notices()


def test_typed_eigenvalues_get_a_band_each_from_the_page(app):
    """Typed in the box (not in the link): the server sends the new spec and the legend's labels, the
    page draws one band per eigenvalue."""
    from test_browser_custom import enter_into

    app.open("decomposition", "alpha=0.3")
    app.act_and_wait("decomposition-frame", lambda: enter_into(app, "decomposition-problem", "0.5 1 2 4"))
    parts, _ = typed_parts(app, [0.5, 1.0, 2.0, 4.0])
    frame = app.frame("decomposition")
    for i in range(4):
        np.testing.assert_allclose(frame[f"upper{i}"], np.cumsum(parts, axis=1)[:, i], rtol=1e-9, atol=1e-300)
    assert "λ4: " in app.text("decomposition-readout")
