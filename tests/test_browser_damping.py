"""The critical-damping figure in a real Chromium against a live `panel serve`."""

import numpy as np
import pytest
from browser import padded

import momentum_core as mc
from app.figures.damping import LAMBDAS, START, VIEW

pytestmark = pytest.mark.browser


def state(app) -> tuple[float, float, int]:
    alpha = 10 ** app.read("damping-alpha", "value")
    return alpha, app.read("damping-beta", "value"), int(app.read("damping-steps", "value"))


def assert_matches_core(app) -> str:
    """Each portrait is momentum_core's phase portrait at the state the controls show (velocity / √(αλ))."""
    alpha, beta, steps = state(app)
    frame = app.frame("damping")
    for i, lam in enumerate(LAMBDAS):
        x, v = mc.phase_portrait(alpha, beta, lam, START, steps)
        scaled = v / np.sqrt(alpha * lam)
        inside = np.isfinite(x) & (np.abs(x) <= 4 * VIEW) & (np.abs(scaled) <= 4 * VIEW)
        shown = len(x) if inside.all() else max(int(np.argmax(~inside)), 1)
        np.testing.assert_allclose(frame[f"x{i}"], padded(x[:shown], frame), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(frame[f"v{i}"], padded(scaled[:shown], frame), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(
        frame["crit_beta"][:2], mc.critical_damping(alpha, np.array(LAMBDAS)), rtol=1e-12
    )
    return app.text("damping-readout")


def test_dragging_beta_across_critical_damping_changes_the_regime(app):
    app.open("damping", "beta=0.3")
    text = assert_matches_core(app)
    assert "over-damped" in text and "under-damped" in text  # λ = 1 below its critical β, λ = 100 above
    app.act_and_wait("damping-frame", lambda: app.drag_slider("damping-beta", 260))
    assert app.read("damping-beta", "value") > 0.87
    text = assert_matches_core(app)
    assert "over-damped" not in text  # both components now under-damped


def test_the_buttons_set_each_components_critical_beta(app):
    app.open("damping")
    for i, lam in enumerate(LAMBDAS):
        app.act_and_wait(
            "damping-frame", lambda i=i: app.page.locator(f".damping-critical{i} button").first.click()
        )
        alpha, beta, _ = state(app)
        assert beta == pytest.approx(float(mc.critical_damping(alpha, lam)), abs=1e-9)
        lines = app.text("damping-readout").splitlines()
        at = next(k for k, line in enumerate(lines) if line.startswith(f"λ = {lam:g}\t"))
        assert "critically damped" in lines[at + 1]
        assert_matches_core(app)


def test_a_click_on_the_beta_bar_sets_beta(app):
    app.open("damping")
    app.act_and_wait("damping-frame", lambda: app.click_data("damping-bar", 0.25, 0.0))
    assert app.read("damping-beta", "value") == pytest.approx(0.25, abs=0.01)
    assert_matches_core(app)


def test_a_divergent_step_is_labelled_and_drawn_finite(app):
    app.open("damping", "alpha=0.04&beta=0")
    text = assert_matches_core(app)
    assert "diverges" in text  # αλ = 4 > 2 + 2β for λ = 100
    assert "nan" not in text.lower() and "inf" not in text.lower()
