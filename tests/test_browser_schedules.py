"""The schedules / primal-averaging section in a real Chromium against a live `panel serve`."""

import re

import numpy as np
import pytest
from browser import padded

import momentum_core as mc
from app.figures.ravine import PROBLEM
from app.figures.schedules import DOTS, SCHEDULES, STEPS, running_mean
from app.figures.stochastic import START

pytestmark = pytest.mark.browser


def state(app):
    read = {
        name: app.read(f"schedules-{name}", "value")
        for name in ("alpha", "beta", "noise", "change", "factor", "seed")
    }
    read["alpha"], read["factor"] = 10 ** read["alpha"], 10 ** read["factor"]  # log sliders
    read["change"], read["seed"] = int(read["change"]), int(read["seed"])
    return read


def expected_schedules(s):
    """The four schedules written out independently of app.schedules."""
    k = np.arange(STEPS)
    alpha, beta, change, factor = s["alpha"], s["beta"], s["change"], s["factor"]
    dropped = max(0.0, 1 - (1 - beta) / factor)
    return {
        "constant": (np.full(STEPS, alpha), np.full(STEPS, beta)),
        "lr_drop": (np.where(k < change, alpha, alpha * factor), np.full(STEPS, beta)),
        "momentum_drop": (np.full(STEPS, alpha), np.where(k < change, beta, dropped)),
        "warmup": (np.full(STEPS, alpha), beta * np.minimum(1, k / change)),
    }


def assert_matches_core(app):
    s = state(app)
    frame = app.frame("schedules")
    for key, (alphas, betas) in expected_schedules(s).items():
        corners_k, corners = frame[f"step_k_{key}"], frame[f"step_{key}"]  # the line's bends, padded
        assert len(np.unique(corners_k)) < STEPS or key == "warmup"  # constant stretches: their ends only
        drawn = np.interp(np.arange(STEPS), corners_k, corners)  # the polyline the page draws, at every k
        np.testing.assert_allclose(drawn, alphas / (1 - betas), rtol=1e-9, atol=1e-12)
        run = mc.scheduled_heavy_ball(PROBLEM, START, alphas, betas, s["noise"], s["seed"])
        error = run - PROBLEM.w_star
        loss = 0.5 * np.einsum("ki,ij,kj->k", error, PROBLEM.A, error)  # f(w) − f*, without cancellation
        np.testing.assert_allclose(
            frame[key], padded(np.maximum(running_mean(loss), 1e-12), frame), rtol=1e-7
        )
    text = app.text("schedules-readout")
    gaps = [float(g) for g in re.findall(r"· (\d\.\de[-+]\d+) \(ends", text)]
    assert len(gaps) == 4 and max(gaps) < 1e-10  # SGD+M and its primal-averaging form: the same iterates
    return text


def test_schedules_match_the_core_and_cuts_lower_the_floor(app):
    app.open("schedules")
    text = assert_matches_core(app)
    floors = {
        name: mc.stationary_loss(PROBLEM, alpha, beta, 0.3)
        for name, alpha, beta in (("constant", 0.02, 0.9), ("lr", 0.002, 0.9), ("momentum", 0.02, 0.0))
    }
    assert floors["lr"] < 0.2 * floors["constant"] and floors["momentum"] < 0.2 * floors["constant"]
    assert f"{floors['constant']:.3e}" in text and f"{floors['momentum']:.3e}" in text


def test_change_step_drag_moves_the_cut(app):
    app.open("schedules", "change=300")
    app.act_and_wait("schedules-frame", lambda: app.drag_slider("schedules-change", 60), settle_ms=800)
    assert state(app)["change"] > 300
    assert_matches_core(app)


def test_bad_values_are_clamped_and_large_steps_diverge_visibly(app):
    app.open("schedules", "factor=0&seed=-4&alpha=0.3&beta=0.99")
    assert "factor" in app.notices() and "seed" in app.notices()
    s = state(app)
    assert s["factor"] == pytest.approx(0.01) and s["seed"] == 0
    assert "diverges at step" in app.text("schedules-readout")  # warm-up: β small while α is large
    app.frame("schedules")  # finite everywhere


def test_each_dot_is_drawn_once(app):
    """The 51 primal-averaging dots of a schedule share a 1 501-row frame; padded, they were drawn 1 501
    times each (all but 51 on top of the last): each scatter now draws its own points only."""
    app.open("schedules")
    drawn = app.markers_drawn("schedules")
    assert sorted(drawn) == sorted(f"dot_k_{key}" for key in SCHEDULES)
    assert set(drawn.values()) == {len(DOTS)}
    assert len(app.frame("schedules")["k_constant"]) > 10 * len(DOTS)
