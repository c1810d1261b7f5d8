"""Tracking a moving target: the closed-form error gain against long simulations."""

import numpy as np
import pytest

import momentum_core as mc


@pytest.mark.parametrize(
    ("alpha", "beta", "omega"), [(0.5, 0.0, 0.3), (0.1, 0.9, 0.3), (0.1, 0.9, 0.05), (0.3, 0.6, 2.0)]
)
def test_gain_is_the_late_amplitude_of_the_error(alpha, beta, omega):
    lam, steps = 1.0, 6000
    k = np.arange(steps)
    run = mc.tracking_run(lam, alpha, beta, np.cos(omega * k))
    error = run[1:] - np.cos(omega * k)  # wᵏ⁺¹ against the target it was chasing
    # late on, the error is a sinusoid of frequency ω: fit a·cos + b·sin, its amplitude is the gain
    late = k[-2000:]
    basis = np.column_stack([np.cos(omega * late), np.sin(omega * late)])
    (a, b), *_ = np.linalg.lstsq(basis, error[-2000:], rcond=None)
    assert np.hypot(a, b) == pytest.approx(mc.tracking_gain(lam, alpha, beta, omega), rel=1e-6)


def test_gradient_descent_gain_closed_form():
    alpha, lam, omega = 0.4, 2.0, np.linspace(0.01, 3, 50)
    z = np.exp(1j * omega)
    # wᵏ⁺¹ = (1 − αλ)wᵏ + αλcₖ  ⇒  E/C = (1 − αλ)(1 − z)/(z − 1 + αλ)
    expected = (1 - alpha * lam) * np.abs(1 - z) / np.abs(z - 1 + alpha * lam)
    np.testing.assert_allclose(mc.tracking_gain(lam, alpha, 0.0, omega), expected, rtol=1e-12)


def test_constant_drift_lag_is_smaller_with_momentum():
    # steady lag cₖ − wᵏ⁺¹ for cₖ = v·k is v(1 − β)/(αλ) − v: momentum follows a drift more closely
    v, lam, alpha, beta = 0.01, 1.0, 0.1, 0.8
    k = np.arange(3000)
    run = mc.tracking_run(lam, alpha, beta, v * k)
    lag = v * k[-1] - run[-1]
    assert lag == pytest.approx(v * (1 - beta) / (alpha * lam) - v, rel=1e-6)
    gd_lag = v * k[-1] - mc.tracking_run(lam, alpha, 0.0, v * k)[-1]
    assert gd_lag == pytest.approx(v / (alpha * lam) - v, rel=1e-6) and lag < gd_lag


def test_divergent_tracking_is_inf_not_nan():
    run = mc.tracking_run(10.0, 1.0, 0.9, np.zeros(500), w0=1.0)
    assert np.isinf(run[-1]) and not np.isnan(run).any()
