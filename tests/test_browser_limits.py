"""The limits section (resisting oracle) and Nesterov-vs-heavy-ball ravine in a real Chromium."""

import numpy as np
import pytest
from browser import ON_LOG_AXIS_RTOL, padded, ravine_state

import momentum_core as mc
from app.figures.limits import COORDINATES_SHOWN, DIMENSION, MAX_STEPS
from app.figures.ravine import CUT, PROBLEM

pytestmark = pytest.mark.browser


def limits_state(app):
    return 10 ** app.read("limits-kappa", "value"), int(app.read("limits-iteration", "value"))


def assert_limits_match_core(app):
    kappa, k = limits_state(app)
    problem = mc.resisting_oracle(kappa, DIMENSION)
    lam = problem.eigenvalues
    momentum = mc.heavy_ball(problem, np.zeros(DIMENSION), *mc.optimal_parameters(lam[0], lam[-1]), MAX_STEPS)
    error = np.abs(momentum - problem.w_star).max(axis=1)
    frame = app.frame("limits")
    bound = mc.krylov_lower_bound(problem.w_star, MAX_STEPS)
    np.testing.assert_allclose(frame["bound"], np.maximum(bound, 1e-16), rtol=ON_LOG_AXIS_RTOL)
    np.testing.assert_allclose(frame["error_momentum"], np.maximum(error, 1e-16), rtol=1e-6, atol=1e-15)
    shown = np.asarray(frame["w_momentum"][:COORDINATES_SHOWN])
    np.testing.assert_allclose(shown, momentum[k, :COORDINATES_SHOWN], atol=1e-12)
    text = app.text("limits-readout")
    assert app.read("limits-dead_zone", "left") == app.read("limits-dead_label", "x") == k + 0.5  # past k: 0
    assert app.read("limits-dead_label", "visible") == (k + 0.5 < COORDINATES_SHOWN - 12)
    assert f"{mc.lower_bound_rate(kappa):.4g}" in text
    assert f"{problem.condition_number:.4g}" in text
    return frame, text


def test_optimal_momentum_runs_on_the_lower_bound(app):
    app.open("limits")
    frame, text = assert_limits_match_core(app)
    assert np.all(frame["error_momentum"] >= frame["bound"] * (1 - 1e-9))
    assert np.all(frame["error_gd"] >= frame["bound"] * (1 - 1e-9))
    # momentum is on the bound while it is resolved; gradient descent is far above it
    resolved = frame["bound"] > 1e-9
    assert np.allclose(frame["error_momentum"][resolved], frame["bound"][resolved], rtol=1e-3)
    assert frame["error_gd"][100] > 1e3 * frame["bound"][100]
    assert "heavy ball, optimal (α*, β*)\t0.8181 · 0.8182 (" in text  # κ of A is just below κ


def test_kappa_and_iteration_sliders(app):
    app.open("limits", "kappa=1000&iteration=5")
    _, k = limits_state(app)
    assert k == 5
    assert np.abs(app.frame("limits")["w_momentum"][5:COORDINATES_SHOWN]).max() < 1e-12  # still 0 past k
    app.act_and_wait(
        "limits-frame", lambda: app.press_on_slider("limits-kappa", "ArrowRight", times=5), settle_ms=1000
    )
    assert limits_state(app)[0] > 1000
    assert_limits_match_core(app)
    app.act_and_wait("limits-frame", lambda: app.drag_slider("limits-iteration", 60), settle_ms=600)
    assert limits_state(app)[1] > 5
    assert_limits_match_core(app)


def test_bad_kappa_is_clamped_with_a_notice(app):
    app.open("limits", "kappa=0.5&iteration=-3")
    assert "kappa" in app.notices() and "iteration" in app.notices()
    assert limits_state(app) == (pytest.approx(10.0), 0)
    assert_limits_match_core(app)


def cut(run):
    step = mc.divergence_step(run - PROBLEM.w_star, bound=CUT)
    return run if step is None else run[:step]


def assert_nesterov_matches_core(app):
    alpha, beta, steps, start = ravine_state(app, "nesterov")
    frame = app.frame("nesterov")
    heavy = cut(mc.heavy_ball(PROBLEM, start, alpha, beta, steps))
    look_ahead = cut(mc.nesterov(PROBLEM, start, alpha, beta, steps))
    np.testing.assert_allclose(
        np.column_stack([frame["momentum_x"], frame["momentum_y"]]), padded(heavy, frame)
    )
    np.testing.assert_allclose(
        np.column_stack([frame["nesterov_x"], frame["nesterov_y"]]),
        padded(look_ahead, frame),
        rtol=1e-9,
        atol=1e-12,
    )
    text = app.text("nesterov-readout")
    assert f"rate max|σ(R)|\t{mc.nesterov_rate(alpha, beta, PROBLEM.eigenvalues):.4g}" in text
    assert f"rate max|σ(R)|\t{mc.convergence_rate(alpha, beta, PROBLEM.eigenvalues):.4g}" in text
    return text


def test_nesterov_damps_the_ripples_across_the_ravine(app):
    app.open("nesterov", "alpha=0.1&beta=0.9&steps=150", ready="nesterov-readout")
    assert_nesterov_matches_core(app)
    frame = app.frame("nesterov")
    # distance travelled across the ravine (steep direction): Nesterov zig-zags much less
    steep = PROBLEM.eigenvectors[:, 1]
    across = {
        name: np.abs(np.diff(np.column_stack([frame[f"{name}_x"], frame[f"{name}_y"]]) @ steep)).sum()
        for name in ("momentum", "nesterov")
    }
    assert across["nesterov"] < 0.5 * across["momentum"]


def test_nesterov_beta_slider_and_divergence(app):
    app.open("nesterov", "alpha=0.1&beta=0.5", ready="nesterov-readout")
    app.act_and_wait("nesterov-frame", lambda: app.press_on_slider("nesterov-beta", "ArrowRight", times=5))
    assert ravine_state(app, "nesterov")[1] > 0.5
    assert_nesterov_matches_core(app)
    app.open("nesterov", "alpha=0.5&beta=0.9", ready="nesterov-readout")
    text = assert_nesterov_matches_core(app)
    assert "diverges" in text
