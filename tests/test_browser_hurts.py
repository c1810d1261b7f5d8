"""The "when momentum hurts" section in a real Chromium against a live `panel serve`."""

import numpy as np
import pytest
from browser import padded

import momentum_core as mc
from app.figures.hurts import LAMBDAS, OMEGAS, TRACK_STEPS

pytestmark = pytest.mark.browser


def state(app):
    alpha = 10 ** app.read("hurts-alpha", "value")
    curvature = 10 ** app.read("hurts-curvature", "value")
    return alpha, app.read("hurts-beta", "value"), curvature, app.read("hurts-omega", "value")


def assert_matches_core(app):
    alpha, beta, lam, omega = state(app)
    frame = app.frame("hurts")
    for key, b in (("gd", 0.0), ("momentum", beta)):
        np.testing.assert_allclose(
            frame[f"rate_{key}"], np.minimum(mc.spectral_radius(alpha, b, LAMBDAS), 10), rtol=1e-9
        )
        np.testing.assert_allclose(
            frame[f"gain_{key}"],
            np.minimum(mc.tracking_gain(lam, alpha, b, OMEGAS), 10),
            rtol=1e-9,
            atol=1e-12,
        )
        track = mc.tracking_run(lam, alpha, b, np.cos(omega * np.arange(TRACK_STEPS)))[1:]
        if np.all(np.abs(track) < 1e6):
            np.testing.assert_allclose(frame[f"track_{key}"], padded(track, frame), rtol=1e-9, atol=1e-12)
    wins = (frame["rate_gd"] < frame["rate_momentum"]) == (frame["lam_gd_wins"] > 0)
    assert wins.all()
    return app.text("hurts-readout")


def test_plain_descent_wins_near_alpha_lambda_one(app):
    app.open("hurts")
    text = assert_matches_core(app)
    rate_gd = abs(1 - 0.5 * 1.5)
    rate_momentum = float(mc.spectral_radius(0.5, 0.6, 1.5))
    assert f"rate {rate_gd:.4g}" in text and f"rate {rate_momentum:.4g}" in text
    assert text.count("plain descent wins") == 2
    gain = mc.tracking_gain(1.5, 0.5, 0.6, 1.0)
    assert f"error amplitude {gain:.4g}" in text


def test_momentum_wins_on_a_flat_direction_and_slow_target(app):
    app.open("hurts", "alpha=0.05&beta=0.9&curvature=0.5&omega=0.02")
    text = assert_matches_core(app)
    assert "momentum wins (fewer steps)" in text and "momentum wins (smaller error)" in text


def test_sliders_and_divergence(app):
    app.open("hurts")
    app.act_and_wait("hurts-frame", lambda: app.drag_slider("hurts-omega", -40), settle_ms=600)
    assert state(app)[3] < 1
    assert_matches_core(app)
    app.open("hurts", "alpha=2&curvature=100&beta=-2")
    assert "beta" in app.notices()
    text = assert_matches_core(app)
    assert "both diverge" in text
