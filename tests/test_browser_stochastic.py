"""The stochastic-gradients section in a real Chromium against a live `panel serve`."""

import numpy as np
import pytest
from browser import ON_LOG_AXIS_RTOL

import momentum_core as mc
from app.figures.ravine import PROBLEM
from app.figures.stochastic import CAP, START

pytestmark = pytest.mark.browser


def state(app):
    return {
        "alpha": 10 ** app.read("stochastic-alpha", "value"),
        "beta": app.read("stochastic-beta", "value"),
        "noise": app.read("stochastic-noise", "value"),
        "seed": int(app.read("stochastic-seed", "value")),
        "steps": int(app.read("stochastic-steps", "value")),
    }


def assert_matches_core(app, problem=PROBLEM):
    s = state(app)
    frame = app.frame("stochastic")
    run = mc.noisy_heavy_ball(problem, START, s["alpha"], s["beta"], s["steps"], s["noise"], s["seed"])
    gaps = problem.f(run) - problem.f_star
    np.testing.assert_allclose(frame["momentum"], np.maximum(gaps, 1e-16 * gaps[0]), rtol=ON_LOG_AXIS_RTOL)
    floor = mc.stationary_loss(problem, s["alpha"], s["beta"], s["noise"])
    np.testing.assert_allclose(frame["floor_momentum"], floor, rtol=1e-12)
    assert f"expected noise floor, momentum\t{floor:.4g}" in app.text("stochastic-readout")
    # The line between the phases, and its words, where the exact run first reaches the floor.
    exact = mc.heavy_ball(problem, START, s["alpha"], s["beta"], s["steps"])
    reached = np.flatnonzero(problem.f(exact) - problem.f_star <= floor)
    shown = s["noise"] > 0 and np.isfinite(floor) and reached.size > 0
    assert app.read("stochastic-phase_line", "visible") == shown
    if shown:
        assert abs(app.read("stochastic-phase_line", "location") - reached[0]) <= 1  # a tie within rounding
        assert f"≈ {app.read('stochastic-phase_line', 'location')} steps" in app.text("stochastic-readout")
        for i in range(2):
            assert app.read(f"stochastic-phase_label{i}", "x") == app.read(
                "stochastic-phase_line", "location"
            )


def test_loads_reproducibly_and_matches_core(app):
    app.open("stochastic", "seed=42")
    assert state(app)["seed"] == 42
    assert_matches_core(app)
    first = app.frame("stochastic")["momentum"]
    app.open("stochastic", "seed=42")
    np.testing.assert_array_equal(app.frame("stochastic")["momentum"], first)


def test_noise_and_seed_sliders_repaint(app):
    app.open("stochastic")
    app.act_and_wait(
        "stochastic-frame", lambda: app.press_on_slider("stochastic-noise", "ArrowRight", times=4)
    )
    assert state(app)["noise"] == pytest.approx(0.07)
    assert_matches_core(app)
    app.act_and_wait(
        "stochastic-frame", lambda: app.press_on_slider("stochastic-seed", "ArrowRight", times=1)
    )
    assert state(app)["seed"] == 1
    assert_matches_core(app)


def test_momentum_raises_the_floor_and_divergence_is_labelled(app):
    app.open("stochastic", "alpha=0.02&beta=0.9&noise=0.1")
    text = app.text("stochastic-readout")
    assert "transient phase" in text
    assert mc.stationary_loss(PROBLEM, 0.02, 0.9, 0.1) > mc.stationary_loss(PROBLEM, 0.02, 0.0, 0.1)
    app.open("stochastic", "alpha=0.9&noise=-1")
    assert "noise=-1 is outside the valid range" in app.notices()
    assert "diverges" in app.text("stochastic-readout")
    # The runs leave the view within a few of 1 500 steps: the plot says which diverge, and where.
    s = state(app)
    with np.errstate(all="ignore"):  # the run passes the floats
        run = mc.noisy_heavy_ball(PROBLEM, START, s["alpha"], s["beta"], s["steps"], s["noise"], s["seed"])
        gaps = PROBLEM.f(run) - PROBLEM.f_star
    cut = mc.divergence_step(gaps, bound=CAP * gaps[0])
    assert app.read("stochastic-divergence", "visible")
    assert f"momentum, noisy: diverges at step {cut}" in app.read("stochastic-divergence", "text").split("\n")
    # Dragged back to steps that converge (the page module paints it), the words go.
    app.drag_slider("stochastic-alpha", -250)
    app.settle(600)
    assert 10 ** app.read("stochastic-alpha", "value") < 0.1
    assert not app.read("stochastic-divergence", "visible")
    assert "diverges" not in app.text("stochastic-readout")


def test_switches_to_a_typed_problem(app):
    app.open("stochastic", "problem=1, 4&noise=0.1")
    assert app.read("stochastic-problem", "value") == "1, 4"
    assert_matches_core(app, mc.Quadratic.from_eigenvalues([1.0, 4.0]))
