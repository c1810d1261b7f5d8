"""The real-model figure in a real Chromium against a live `panel serve`: drag, press, read."""

import re

import numpy as np
import pytest

import momentum_core as mc
from app.figures.model import network_results
from momentum_core import model as real

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def logistic():
    model = real.LogisticRegression(*real.breast_cancer())
    low, high = real.extreme_curvatures(model, model.optimum)
    return model, low, high


def state(app) -> tuple[float, float, int]:
    return (
        10 ** app.read("model-alpha", "value"),
        app.read("model-beta", "value"),
        int(app.read("model-steps", "value")),
    )


def assert_matches_core(app, logistic, alpha: float | None = None) -> str:
    """The drawn distances are momentum_core's run at the page's (α, β) — or at `alpha` for a page the
    server drew from a link, where α is the link's number itself — and the readout's rates are the
    quadratic's for H at w* and the one fitted on the run's tail."""
    model, low, high = logistic
    page_alpha, beta, steps = state(app)
    alpha = page_alpha if alpha is None else alpha
    frame = app.frame("model")
    text = app.text("model-readout")
    for key, b in (("momentum", beta), ("gd", 0.0)):
        distance = real.distances(
            real.heavy_ball_run(model, np.zeros(model.dim), alpha, b, steps), model.optimum
        )
        n = len(distance)
        np.testing.assert_allclose(
            frame[f"distance_{key}"][:n], np.maximum(distance, 1e-16), rtol=1e-6, atol=1e-13
        )
        predicted = mc.convergence_rate(alpha, b, [low, high])
        observed = real.observed_rate(distance, 1e-7)
        assert f"{predicted:.4g}" in text
        assert observed is None or f"{observed.rate:.4g}" in text or not observed.steady
    return text


def test_opens_with_momentum_converging_where_descent_cannot(app, logistic):
    app.open("model")
    assert state(app) == pytest.approx((20.0, 0.712, 400))
    text = assert_matches_core(app, logistic, alpha=20.0)  # drawn by the server: α = 20 itself
    assert "κ = 139.7" in text
    assert re.search(r"momentum \(α, β\)\tconverges", text)
    assert "gradient descent (α, β = 0)\tnot converging within 400 steps" in text
    assert "(diverges)" in text  # the quadratic's verdict on gradient descent at α = 20


def test_the_theory_button_and_the_predicted_rate_on_the_runs_tail(app, logistic):
    """At (α*, β*) the rate fitted on the run's tail is within 5 % of the theory's."""
    _, low, high = logistic
    app.open("model", "alpha=5&beta=0.3")
    app.act_and_wait("model-frame", lambda: app.page.locator(".model-theory button").click())
    alpha, beta, _ = state(app)
    assert (alpha, beta) == pytest.approx(mc.optimal_parameters(low, high), rel=1e-9)
    text = assert_matches_core(app, logistic)
    row = next(line for line in text.splitlines() if line.startswith("rate: the quadratic's"))
    predicted, observed = (float(v) for v in re.findall(r"\d\.\d+", row)[:2])
    assert observed == pytest.approx(predicted, rel=0.05)
    app.act_and_wait("model-frame", lambda: app.page.locator(".model-descent button").click())
    assert state(app)[:2] == pytest.approx((mc.optimal_step_size(low, high), 0.0), rel=1e-9)
    assert_matches_core(app, logistic)


def test_dragging_beta_and_alpha_repaints_from_the_page(app, logistic):
    app.open("model")
    app.act_and_wait("model-frame", lambda: app.press_on_slider("model-beta", "ArrowLeft", times=5))
    assert state(app)[1] == pytest.approx(0.707)
    assert_matches_core(app, logistic)
    app.act_and_wait("model-frame", lambda: app.drag_slider("model-alpha", -60), settle_ms=600)
    assert state(app)[0] < 20
    assert_matches_core(app, logistic)
    app.assert_clean()


def test_a_bad_link_is_clamped_with_a_notice(app, logistic):
    app.open("model", "alpha=-1&beta=7&steps=abc")
    notices = app.notices()
    assert "alpha" in notices and "beta" in notices and "steps" in notices
    alpha, beta, steps = state(app)
    assert alpha == pytest.approx(0.1) and beta == 1.02 and steps == 400  # clamped to the ends
    text = assert_matches_core(app, logistic, alpha=0.1)
    assert "nan" not in text.lower()
    network = app.text("model-network_readout")
    assert "nan" not in network.lower() and "none (|β| ≥ 1)" in network  # β = 1.02: no stable step


def test_a_click_on_a_map_runs_there(app, logistic):
    """A click on the observed map moves (α, β) to the cell clicked (the marker with it), and the runs
    there are momentum_core's; a click past the sliders' reach stays within them."""
    app.open("model")
    app.page.locator(".model-observed_map").scroll_into_view_if_needed()
    app.act_and_wait("model-frame", lambda: app.click_data("model-observed_map", 10.0, 0.5))
    alpha, beta, _ = state(app)
    assert alpha == pytest.approx(10.0, abs=0.1) and beta == pytest.approx(0.5, abs=0.01)
    frame = app.frame("model")
    assert (frame["alpha_now"][0], frame["beta_now"][0]) == pytest.approx((alpha, beta))
    text = assert_matches_core(app, logistic)
    assert re.search(r"momentum \(α, β\)\tconverges", text)
    app.act_and_wait("model-frame", lambda: app.click_data("model-predicted_map", 0.0, 0.0))
    assert state(app)[:2] == pytest.approx((0.1, 0.0))  # α's lower bound, not 0
    assert_matches_core(app, logistic)
    app.assert_clean()


def assert_network_matches_core(app, alpha: float, beta: float, steps: int) -> str:
    """The network's drawn losses and λₙ along each run are momentum_core.network's at (α, β, steps),
    its readout names that state and the curvature at the last step."""
    frame = app.frame("model", "network_frame")
    text = app.text("model-network_readout")
    assert f"run at α = {alpha:.4g}, β = {beta:.4g}, {steps} steps" in text
    for key, result in network_results(alpha, beta, steps).items():
        run = result["run"]
        np.testing.assert_allclose(frame[f"loss_{key}"][: len(run.loss)], run.loss, rtol=1e-6)
        np.testing.assert_allclose(frame[f"sharpness_{key}"][: len(run.sharpness)], run.sharpness, rtol=1e-6)
        assert f"λₙ = {result['high']:.4g}" in text
    return text


def test_the_network_follows_once_the_sliders_rest(app):
    """At the network's step (button) the momentum run ends at a minimum whose quadratic predicts the
    rate fitted on its tail; after β is moved the network is repainted at the state where it stopped."""
    app.open("model", "steps=300")
    app.page.locator(".model-network_step button").click()
    app.page.locator(".model-network_readout table", has_text="α = 5,").wait_for(timeout=30_000)
    app.settle(400)
    alpha, beta, steps = state(app)
    assert (alpha, beta, steps) == pytest.approx((5.0, 0.9, 300))
    text = assert_network_matches_core(app, 5.0, 0.9, 300)
    assert re.search(r"momentum \(α, β\)\tconverges; loss 0\.03", text)
    app.press_on_slider("model-beta", "ArrowLeft", times=10)
    app.page.locator(".model-network_readout table", has_text="β = 0.89,").wait_for(timeout=30_000)
    app.settle(400)
    assert state(app)[1] == pytest.approx(0.89)
    assert_network_matches_core(app, 5.0, 0.89, 300)
    app.assert_clean()


def test_a_browser_without_webassembly_is_told_so(app):
    """Where the page cannot run model.wasm, a change says so in the readout: no error, no NaN."""
    app.page.add_init_script("delete window.WebAssembly")
    app.open("model")
    app.act_and_wait("model-frame", lambda: app.press_on_slider("model-beta", "ArrowLeft", times=2))
    text = app.text("model-readout")
    assert "not shown: this browser cannot run the page's WebAssembly" in text
    assert "nan" not in text.lower() and "undefined" not in text
