"""The formulations section (Polyak, PyTorch, Keras, EMA) in a real Chromium against a live `panel serve`."""

import numpy as np
import pytest
from browser import padded

import momentum_core as mc
from app.figures.formulations import START
from app.figures.ravine import PROBLEM

pytestmark = pytest.mark.browser


def state(app):
    alpha = 10 ** app.read("formulations-alpha", "value")
    return alpha, app.read("formulations-beta", "value"), int(app.read("formulations-steps", "value"))


def assert_matches_core(app):
    alpha, beta, steps = state(app)
    frame = app.frame("formulations")
    expected = mc.heavy_ball(PROBLEM, START, alpha, beta, steps)
    for key in ("polyak", "pytorch", "keras", "ema"):
        path = np.column_stack([frame[f"{key}_x"], frame[f"{key}_y"]])
        np.testing.assert_allclose(path, padded(expected, frame), atol=1e-10, err_msg=key)
    weights = app.frame("formulations", "weights")  # a bar a lag: 400 rows, each drawn once
    np.testing.assert_allclose(weights["weight"], mc.ema_weights(beta, 400), rtol=1e-12)
    text = app.text("formulations-readout")
    assert f"lr = {alpha / (1 - beta):.4g}, beta = {beta:.4g}" in text  # the EMA form's rescaled rate
    assert f"half-life ln 0.5 / ln β\t{mc.ema_half_life(beta):.4g} steps" in text
    return text


def test_four_update_rules_draw_one_path(app):
    app.open("formulations")
    text = assert_matches_core(app)
    assert "learning_rate = 0.02, momentum = 0.9" in text
    table = app.page.locator(".formulations-table table").first.inner_text()
    assert "0.99\t68.97\t100\t230 gradients" in table and "0.9\t6.579\t10\t22 gradients" in table


def test_beta_drag_changes_weights_and_conversion(app):
    app.open("formulations", "beta=0.5")
    app.act_and_wait("formulations-frame", lambda: app.drag_slider("formulations-beta", 50), settle_ms=600)
    assert state(app)[1] > 0.5
    assert_matches_core(app)


def test_divergence_is_labelled_and_clean(app):
    app.open("formulations", "alpha=1&beta=0.99&steps=1000")
    text = app.text("formulations-readout")
    assert "diverges" in text and "both diverge" in text
    app.frame("formulations")  # every column finite


def test_negative_beta_is_clamped_to_the_ema_range(app):
    app.open("formulations", "beta=-0.5")
    assert "beta" in app.notices()
    assert state(app)[1] == 0
    assert_matches_core(app)
