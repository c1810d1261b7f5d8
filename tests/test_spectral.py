import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import heavy_ball_loop, rate_by_eigvals

import momentum_core as mc
from momentum_core import (
    Quadratic,
    Regime,
    convergence_rate,
    critical_damping,
    dominant_regime,
    iteration_matrix,
    iterations_to_tolerance,
    nesterov_iteration_matrix,
    optimal_parameters,
    optimal_step_size,
    regime,
    stability_limit,
)


def test_iteration_matrix_advances_one_component_of_heavy_ball():
    lam, alpha, beta = 2.0, 0.3, 0.7
    problem = Quadratic.from_eigenvalues([lam])
    w = heavy_ball_loop(problem.A, problem.b, [1.0], alpha, beta, 5)
    z1 = (w[0] - w[1]) / alpha
    z2 = (w[1] - w[2]) / alpha
    # State (yᵏ, xᵏ) with y = z, x = w − w* = w here.
    np.testing.assert_allclose(iteration_matrix(alpha, beta, lam) @ [z1[0], w[1, 0]], [z2[0], w[2, 0]])
    np.testing.assert_allclose(iteration_matrix(alpha, beta, lam), [[0.7, 2.0], [-0.21, 0.4]])


def test_nesterov_matrix_advances_one_component():
    lam, alpha, beta = 2.0, 0.3, 0.7
    y, x = 0.4, -1.1
    y_next = beta * y + lam * (x - alpha * beta * y)
    x_next = x - alpha * y_next
    np.testing.assert_allclose(nesterov_iteration_matrix(alpha, beta, lam) @ [y, x], [y_next, x_next])


@settings(max_examples=300, deadline=None)
@given(st.floats(1e-4, 5.0), st.floats(-0.99, 1.2), st.floats(1e-3, 10.0))
def test_rate_matches_numpy_eigvals(alpha, beta, lam):
    assert convergence_rate(alpha, beta, lam) == pytest.approx(
        rate_by_eigvals(alpha, beta, lam), rel=1e-7, abs=1e-7
    )


def test_rate_broadcasts_over_a_grid_with_many_eigenvalues():
    alphas = np.linspace(0.001, 4.0, 40)
    betas = np.linspace(-0.5, 0.999, 30)
    eigenvalues = np.array([0.01, 0.1, 1.0])
    grid = convergence_rate(alphas[None, :], betas[:, None], eigenvalues)
    assert grid.shape == (30, 40)
    for i in range(0, 30, 7):
        for j in range(0, 40, 9):
            assert grid[i, j] == pytest.approx(rate_by_eigvals(alphas[j], betas[i], eigenvalues), rel=1e-9)


def test_rate_predicts_the_observed_decay():
    problem = Quadratic.ravine(1.0, 30.0)
    alpha, beta = 0.05, 0.6
    w = heavy_ball_loop(problem.A, problem.b, [1.0, 1.0], alpha, beta, 400)
    observed = np.linalg.norm(w[400]) ** (1 / 400)
    assert observed == pytest.approx(convergence_rate(alpha, beta, problem.eigenvalues), rel=2e-2)


def test_gradient_descent_rate_and_stability_boundary():
    lam = np.array([1.0, 10.0])
    assert convergence_rate(0.15, 0.0, lam) == pytest.approx(max(abs(1 - 0.15 * lam)))
    assert convergence_rate(0.199, 0.0, lam) < 1 < convergence_rate(0.201, 0.0, lam)
    # Momentum extends the range to αλ < 2 + 2β.
    beta = 0.5
    assert stability_limit(beta, 10.0) == pytest.approx(0.3)
    assert convergence_rate(0.299, beta, lam) < 1 < convergence_rate(0.301, beta, lam)


def test_critical_damping_is_where_the_discriminant_vanishes():
    for alpha, lam in [(0.1, 1.0), (0.02, 3.0), (0.5, 0.5)]:
        beta = critical_damping(alpha, lam)
        roots = np.linalg.eigvals(iteration_matrix(alpha, beta, lam))
        np.testing.assert_allclose(roots[0], roots[1], atol=1e-6)
        assert abs(roots[0]) == pytest.approx(np.sqrt(beta), rel=1e-6)


def test_regimes_agree_with_the_roots_of_R():
    rng = np.random.default_rng(1)
    for alpha, beta, lam in zip(
        rng.uniform(0.01, 3, 500), rng.uniform(-0.9, 1.1, 500), rng.uniform(0.1, 2, 500), strict=True
    ):
        roots = np.linalg.eigvals(iteration_matrix(alpha, beta, lam))
        dominant = roots[np.argmax(np.abs(roots))]
        if np.abs(roots).max() >= 1:
            expected = Regime.DIVERGENT
        elif abs(roots[0].imag) > 1e-12:
            expected = Regime.RIPPLES
        else:
            expected = Regime.MONOTONE if dominant.real >= 0 else Regime.ALTERNATING
        assert regime(alpha, beta, lam) == expected, (alpha, beta, lam)


def test_regime_vectorises_and_dominant_regime_picks_the_slowest_component():
    codes = regime(np.array([0.1, 0.1, 1.9, 2.5]), np.array([0.9, 0.0, 0.0, 0.0]), 1.0)
    assert codes.tolist() == [Regime.RIPPLES, Regime.MONOTONE, Regime.ALTERNATING, Regime.DIVERGENT]
    # GD with α = 1.5 on λ = (0.1, 1): rates 0.85 (monotone) and 0.5 (alternating).
    assert dominant_regime(1.5, 0.0, [0.1, 1.0]) == Regime.MONOTONE
    assert dominant_regime(1.95, 0.0, [0.9, 1.0]) == Regime.ALTERNATING
    assert dominant_regime(np.full((3, 4), 0.1), 0.9, [0.1, 1.0]).shape == (3, 4)
    assert Regime.DIVERGENT.label == "diverges"


def test_optimal_step_size_minimises_gradient_descent_rate():
    lam_min, lam_max = 0.5, 20.0
    alpha = optimal_step_size(lam_min, lam_max)
    alphas = np.linspace(0.001, 0.099, 2000)
    brute = alphas[np.argmin(convergence_rate(alphas, 0.0, [lam_min, lam_max]))]
    assert alpha == pytest.approx(brute, abs=1e-4)


def test_optimal_parameters_minimise_the_rate_by_grid_search():
    lam_min, lam_max = 1.0, 50.0
    alpha, beta = optimal_parameters(lam_min, lam_max)
    alphas = np.linspace(0.01, 0.2, 400)
    betas = np.linspace(0.0, 0.99, 400)
    rates = convergence_rate(alphas[None, :], betas[:, None], [lam_min, lam_max])
    i, j = np.unravel_index(np.argmin(rates), rates.shape)
    assert rates.min() >= convergence_rate(alpha, beta, [lam_min, lam_max]) - 1e-12
    assert alphas[j] == pytest.approx(alpha, abs=0.002)
    assert betas[i] == pytest.approx(beta, abs=0.01)


def test_iterations_to_tolerance():
    assert iterations_to_tolerance(0.5, 1e-3) == 10  # 0.5¹⁰ ≈ 9.8e-4
    assert iterations_to_tolerance(1.0, 1e-3) == np.inf
    assert iterations_to_tolerance(0.0, 1e-3) == 1  # 0⁰ = 1: one step is needed
    np.testing.assert_allclose(iterations_to_tolerance(np.array([0.9, 1.5]), 0.01), [44, np.inf])


@pytest.mark.parametrize(
    ("alpha", "beta", "lam"), [(0.02, 0.99, 10.0), (1.5, 0.0, 1.0), (0.3, -0.4, 2.0), (3.0, 0.9, 1.0)]
)
def test_iteration_eigenvalues_match_numpy(alpha, beta, lam):
    from momentum_core import iteration_eigenvalues

    got = iteration_eigenvalues(alpha, beta, lam)
    expected = np.linalg.eigvals(iteration_matrix(alpha, beta, lam))
    np.testing.assert_allclose(
        sorted(got, key=lambda z: (z.real, z.imag)),
        sorted(expected, key=lambda z: (z.real, z.imag)),
        atol=1e-12,
    )
    assert abs(got[0]) >= abs(got[1])
    assert abs(got[0]) == pytest.approx(convergence_rate(alpha, beta, lam))


@pytest.mark.parametrize(("name", "alpha", "beta", "expected"), mc.REGIME_EXAMPLES)
def test_each_regime_example_is_in_its_regime(name, alpha, beta, expected):
    """The five small examples: one component λ = 1 behaves as its name says, in its run too."""
    assert mc.regime(alpha, beta, 1.0) == expected
    run = mc.eigenbasis_errors(mc.Quadratic.from_eigenvalues([1.0]), [1.0], alpha, beta, 30)[:, 0]
    if name == "one step":
        assert run[1:] == pytest.approx(0.0, abs=1e-15)
    elif expected == mc.Regime.RIPPLES:
        assert (np.diff(np.sign(run)) != 0).any() and abs(run[-1]) < 1
    elif expected == mc.Regime.MONOTONE:
        assert (run > 0).all() and (np.diff(run) < 0).all()
    elif expected == mc.Regime.ALTERNATING:
        assert (np.sign(run[1:]) == -np.sign(run[:-1])).all() and abs(run[-1]) < abs(run[0])
    else:
        assert abs(run[-1]) > 10 * abs(run[0])
