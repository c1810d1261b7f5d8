"""The condition-number section in a real Chromium against a live `panel serve`."""

import pytest

import momentum_core as mc

pytestmark = pytest.mark.browser


def kappa_of(app):
    return 10 ** app.read("condition-kappa", "value")


def assert_matches_core(app):
    kappa = kappa_of(app)
    frame = app.frame("condition")
    _, beta = mc.optimal_parameters(1.0, kappa)
    assert frame["gd"][0] == pytest.approx(mc.gd_optimal_rate(kappa), rel=1e-12)
    assert frame["momentum"][0] == pytest.approx(mc.momentum_optimal_rate(kappa), rel=1e-12)
    assert frame["beta"][0] == pytest.approx(beta, rel=1e-12)
    text = app.text("condition-readout")
    assert f"{mc.speedup_in_iterations(kappa):.3g}×" in text and f"{mc.speedup_per_step(kappa):.3g}×" in text
    digits = app.read("condition-digits", "value")
    steps = mc.iterations_to_tolerance(mc.momentum_optimal_rate(kappa), 10.0**-digits)
    assert f"… momentum\t{steps:,.0f}" in text


def test_loads_with_the_source_table_and_its_errors_marked(app):
    app.open("condition")
    assert kappa_of(app) == pytest.approx(100)
    assert_matches_core(app)
    table = app.text("condition-table")
    assert "10\t0.8182\t0.5195\t0.270\t2.64×\t3.26×\t~2.6× ≠ in iterations" in table
    assert "100\t0.9802\t0.8182\t0.669\t9.18×\t10×\t~9×" in table


def test_kappa_slider_and_link(app):
    app.open("condition", "kappa=1e4&digits=6")
    assert kappa_of(app) == pytest.approx(1e4)
    assert_matches_core(app)
    app.act_and_wait("condition-frame", lambda: app.press_on_slider("condition-kappa", "ArrowLeft", times=20))
    assert kappa_of(app) == pytest.approx(10**3.8, rel=1e-9)
    assert_matches_core(app)


def test_kappa_below_one_is_refused_and_kappa_one_has_no_nan(app):
    app.open("condition", "kappa=0.5")
    assert "kappa=0.5 is not a valid condition number (κ ≥ 1)" in app.notices()
    text = app.text("condition-readout")
    assert "both exact in one step" in text and "nan" not in text.lower()
