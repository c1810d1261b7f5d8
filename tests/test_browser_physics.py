"""The physics (Qian 1999) section in a real Chromium against a live `panel serve`."""

import numpy as np
import pytest
from browser import padded

import momentum_core as mc

pytestmark = pytest.mark.browser


def state(app):
    names = ("mass", "friction", "dt", "curvature")
    return {name: 10 ** app.read(f"physics-{name}", "value") for name in names}  # log sliders


def assert_matches_core(app):
    s = state(app)
    m, mu, dt, k = s["mass"], s["friction"], s["dt"], s["curvature"]
    epsilon, p = mc.qian_parameters(m, mu, dt)
    frame = app.frame("physics")
    count = len(np.unique(frame["t_steps"])) - 1
    one = mc.Quadratic.from_eigenvalues([k])
    expected = mc.heavy_ball(one, [1.0], epsilon, p, count)[:, 0]
    np.testing.assert_allclose(frame["steps"][: count + 1], expected, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(
        frame["continuous"], np.clip(mc.oscillator_path(m, mu, k, frame["t"]), -3, 3), atol=1e-9
    )
    np.testing.assert_allclose(frame["speedup"], mc.continuous_speedup(m, mu, frame["k_grid"]), rtol=1e-9)
    points = app.data("physics-points")
    assert points["x"][0] == pytest.approx(epsilon * k) and points["y"][0] == pytest.approx(p)
    text = app.text("physics-readout")
    assert f"{epsilon:.4g}, {p:.4g}" in text
    return text


def test_loads_and_matches_the_core(app):
    app.open("physics")
    text = assert_matches_core(app)
    assert "underdamped" in text and "speed-up |Re λ₁|/|λ₀|\t1.333" in text


def test_qian_experiment_in_one_click(app):
    app.open("physics", "mass=1&friction=4&dt=0.1&curvature=1")
    assert "heavy ball: converges; plain: converges" in app.text("physics-readout")
    app.act_and_wait("physics-frame", lambda: app.page.locator(".physics-experiment button").click())
    s = state(app)
    assert (s["mass"], s["friction"], s["dt"], s["curvature"]) == pytest.approx((2, 4, 0.5, 30))
    text = assert_matches_core(app)
    assert "heavy ball: converges; plain: diverges" in text
    assert "plain steps, ε₀k = 3.75\tdiverges" in text
    runs = mc.qian_experiment(2.0, 4.0, 0.5, steps=60)
    frame = app.frame("physics")
    np.testing.assert_allclose(
        frame["experiment_momentum"],
        padded(np.maximum(np.linalg.norm(runs["momentum"], axis=1), 1e-16), frame),
    )
    assert frame["experiment_plain"].max() <= 1e4  # cut where it leaves the plot


def test_sliders_move_the_point_and_the_curves(app):
    app.open("physics")
    before = app.data("physics-points")["x"][0]
    app.act_and_wait("physics-frame", lambda: app.drag_slider("physics-mass", -60), settle_ms=600)
    assert state(app)["mass"] < 2
    assert app.data("physics-points")["x"][0] != before
    assert_matches_core(app)
    app.act_and_wait("physics-frame", lambda: app.press_on_slider("physics-curvature", "ArrowRight", times=4))
    assert_matches_core(app)


def test_bad_link_values_are_clamped_with_a_notice(app):
    app.open("physics", "friction=0&dt=nan&mass=1e9")
    notices = app.notices()
    assert "friction" in notices and "dt" in notices and "mass" in notices
    s = state(app)
    assert s["friction"] == pytest.approx(0.1) and s["mass"] == pytest.approx(10)
    assert_matches_core(app)
