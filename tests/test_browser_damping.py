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


def drawn_portrait(alpha: float, beta: float, lam: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """momentum_core's phase portrait (velocity / √(αλ)) up to where it leaves 4× the view."""
    x, v = mc.phase_portrait(alpha, beta, lam, START, steps)
    scaled = v / np.sqrt(alpha * lam)
    inside = np.isfinite(x) & (np.abs(x) <= 4 * VIEW) & (np.abs(scaled) <= 4 * VIEW)
    shown = len(x) if inside.all() else max(int(np.argmax(~inside)), 1)
    return x[:shown], scaled[:shown]


def assert_matches_core(app) -> str:
    """Each portrait is momentum_core's phase portrait at the state the controls show (velocity / √(αλ))."""
    alpha, beta, steps = state(app)
    frame = app.frame("damping")
    for i, lam in enumerate(LAMBDAS):
        x, v = drawn_portrait(alpha, beta, lam, steps)
        np.testing.assert_allclose(frame[f"x{i}"], padded(x, frame), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(frame[f"v{i}"], padded(v, frame), rtol=1e-9, atol=1e-12)
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


def test_the_grid_names_the_three_regimes_and_follows_alpha(app):
    """The small multiples: each component above, at and below its critical β, titled by what its run
    does, drawn from momentum_core's portrait, axes fitted to the run; α moves them, β does not."""
    from app.figures.damping import GRID_COLUMNS, grid_betas

    app.open("damping")

    def check() -> list[str]:
        alpha, _, steps = state(app)
        grid = app.data("damping-grid")
        titles = []
        for i, lam in enumerate(LAMBDAS):
            for j, beta in enumerate(grid_betas(alpha, lam)):
                x, scaled = drawn_portrait(alpha, beta, lam, steps)
                np.testing.assert_allclose(grid[f"x{i}{j}"][: len(x)], x, rtol=1e-9, atol=1e-12)
                np.testing.assert_allclose(grid[f"v{i}{j}"][: len(x)], scaled, rtol=1e-9, atol=1e-12)
                ranges = app.ranges(f"damping-grid{i}{j}")
                x_range, v_range = ranges[:2], ranges[2:]
                for values, (low, high) in ((x, x_range), (scaled, v_range)):
                    span = max(values.max(), 0) - min(values.min(), 0)
                    assert low < min(values.min(), 0) and max(values.max(), 0) < high  # all of it shows
                    assert high - low < 1.3 * max(span, 0.1)  # and fills the plot
                titles.append(app.title(f"damping-grid{i}{j}"))
        return titles

    titles = check()
    for i in range(len(LAMBDAS)):  # at α = 0.005 both components have all three regimes
        assert [t.split(": ")[1] for t in titles[3 * i : 3 * i + 3]] == list(GRID_COLUMNS)
    before = app.data("damping-grid")
    app.act_and_wait("damping-frame", lambda: app.press_on_slider("damping-beta", "ArrowRight", times=5))
    after = app.data("damping-grid")
    assert all(np.allclose(before[k], after[k], rtol=1e-12, atol=1e-15) for k in before)
    app.act_and_wait("damping-grid", lambda: app.press_on_slider("damping-alpha", "End"))
    titles = check()
    assert titles[3].startswith("λ = 100") and "critically damped" not in titles[4]  # αλ = 4 now
