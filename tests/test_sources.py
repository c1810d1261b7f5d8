"""Numbers quoted in ../shared/sources, recomputed (with the known errors noted in its README)."""

import numpy as np
import pytest

from momentum_core import (
    critical_damping,
    ema_half_life,
    ema_steps_for_weight,
    ema_weights,
    ema_window,
    gd_optimal_rate,
    momentum_optimal_rate,
    optimal_parameters,
    speedup_in_iterations,
    speedup_per_step,
)

# Textbook 001, condition-number table: κ, GD rate, momentum rate, quoted "Speedup Factor".
KAPPA_TABLE = [
    (10, 0.818, 0.519, 2.6),
    (100, 0.980, 0.818, 9),
    (1_000, 0.998, 0.939, 30),
    (10_000, 0.9998, 0.980, 100),
]


@pytest.mark.parametrize(("kappa", "gd", "momentum", "quoted"), KAPPA_TABLE)
def test_condition_number_table(kappa, gd, momentum, quoted):
    assert gd_optimal_rate(kappa) == pytest.approx(gd, abs=5e-4)
    assert momentum_optimal_rate(kappa) == pytest.approx(momentum, abs=5e-4)
    # The quoted column is the per-step ratio (1 − ρ_mom)/(1 − ρ_GD), rounded.
    assert speedup_per_step(kappa) == pytest.approx(quoted, rel=0.05)


def test_iteration_speedup_differs_from_the_quoted_factor_at_small_kappa():
    # Known error: in iterations to a tolerance the speed-up at κ = 10 is ≈ 3.3×, not 2.6×.
    assert speedup_in_iterations(10) == pytest.approx(3.26, abs=0.01)
    assert speedup_per_step(10) == pytest.approx(2.64, abs=0.01)
    # They agree for large κ (both → √κ).
    assert speedup_in_iterations(1e6) / speedup_per_step(1e6) == pytest.approx(1.0, abs=2e-3)


def test_error_reduction_percentages():
    assert 1 - gd_optimal_rate(100) == pytest.approx(0.02, abs=5e-4)
    assert 1 - momentum_optimal_rate(100) == pytest.approx(0.182, abs=5e-4)


def test_optimal_momentum_for_kappa_100_is_not_0_9():
    # Known error: "β = 0.9 is optimal for κ around 100"; the formula gives β* ≈ 0.669.
    _, beta = optimal_parameters(1.0, 100.0)
    assert beta == pytest.approx(0.669, abs=5e-4)
    _, beta = optimal_parameters(1.0, 1444.0)
    assert beta == pytest.approx(0.9, abs=5e-4)


def test_optimal_parameters_formula_and_rate():
    alpha, beta = optimal_parameters(0.01, 1.0)
    assert alpha == pytest.approx((2 / (0.1 + 1.0)) ** 2)
    assert np.sqrt(beta) == pytest.approx(momentum_optimal_rate(100))
    # At the optimum both extreme components are critically damped or complex.
    assert beta >= critical_damping(alpha, 0.01) - 1e-12
    assert beta >= critical_damping(alpha, 1.0) - 1e-12


def test_ema_half_lives_and_windows():
    assert ema_half_life(0.9) == pytest.approx(6.6, abs=0.05)
    assert ema_half_life(0.99) == pytest.approx(69, abs=0.05)
    assert ema_half_life(0.0) == 0.0
    # The β table's "effective window" column: 1/(1 − β).
    assert [round(ema_window(b)) for b in (0.0, 0.5, 0.9, 0.95, 0.99)] == [1, 2, 10, 20, 100]
    np.testing.assert_allclose(ema_weights(0.9, 4), [1.0, 0.9, 0.81, 0.729])
    assert ema_weights(0.9, 11)[10] == pytest.approx(0.349, abs=5e-4)
    assert ema_weights(0.9, 101)[100] == pytest.approx(0.000027, rel=0.02)


def test_ema_steps_for_ninety_percent_of_the_weight():
    assert ema_steps_for_weight(0.9, 0.9) == 22
    # The source says "~229" for β = 0.99; 1 − 0.99²²⁹ = 0.89999…, so the smallest n is 230.
    assert ema_steps_for_weight(0.99, 0.9) == 230
    assert 1 - 0.99**229 < 0.9 <= 1 - 0.99**230
    with pytest.raises(ValueError):
        ema_half_life(1.0)
    with pytest.raises(ValueError):
        ema_steps_for_weight(0.9, 1.5)
