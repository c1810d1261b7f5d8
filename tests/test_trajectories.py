import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import heavy_ball_loop, pytorch_sgd_loop, random_spd

from momentum_core import (
    Quadratic,
    diverged,
    divergence_step,
    eigenbasis_errors,
    gradient_descent,
    heavy_ball,
    loss_contributions,
    matrix_powers,
    nesterov,
    orbit,
    primal_averaging,
)

RAVINE = Quadratic.ravine(0.5, 80.0, angle=0.5, w_star=(1.0, -1.0))
W0 = np.array([-2.0, 3.0])


def test_matrix_powers_match_repeated_multiplication():
    R = np.array([[0.9, 0.3], [-0.2, 0.7]])
    powers = matrix_powers(R, 37)
    expected = np.eye(2)
    for k in range(38):
        np.testing.assert_allclose(powers[k], expected, rtol=1e-12, atol=1e-15)
        expected = expected @ R


@pytest.mark.parametrize("steps", [0, 1, 2, 7, 64, 65])
def test_orbit_is_the_powers_applied_to_the_start(steps):
    rng = np.random.default_rng(steps)
    R = rng.normal(scale=0.6, size=(5, 2, 2))
    start = rng.normal(size=(5, 2))
    expected = [start]
    for _ in range(steps):
        expected.append(np.einsum("nij,nj->ni", R, expected[-1]))
    np.testing.assert_allclose(orbit(R, start, steps), np.array(expected), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("alpha", "beta"), [(0.02, 0.99), (0.01, 0.5), (0.024, 0.0), (0.01, -0.3)])
def test_heavy_ball_matches_the_explicit_loop_and_pytorch(alpha, beta):
    expected = heavy_ball_loop(RAVINE.A, RAVINE.b, W0, alpha, beta, 300)
    got = heavy_ball(RAVINE, W0, alpha, beta, 300)
    assert got.shape == (301, 2)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-10)
    torch_like = pytorch_sgd_loop(RAVINE.A, RAVINE.b, W0, alpha, beta, 300)
    np.testing.assert_allclose(got, torch_like, rtol=1e-9, atol=1e-10)


def test_gradient_descent_is_the_closed_form():
    alpha, steps = 0.02, 50
    got = gradient_descent(RAVINE, W0, alpha, steps)
    x0 = RAVINE.eigenvectors.T @ (W0 - RAVINE.w_star)
    for k in (0, 1, 7, 50):
        xk = (1 - alpha * RAVINE.eigenvalues) ** k * x0
        np.testing.assert_allclose(got[k], RAVINE.w_star + RAVINE.eigenvectors @ xk, atol=1e-12)


def test_nesterov_lookahead_points_match_pytorch_nesterov():
    alpha, beta = 0.01, 0.9
    w = nesterov(RAVINE, W0, alpha, beta, 200)
    # θᵏ = wᵏ − αβzᵏ with zᵏ = (wᵏ⁻¹ − wᵏ)/α, z⁰ = 0.
    lookahead = w.copy()
    lookahead[1:] += beta * (w[1:] - w[:-1])
    torch_like = pytorch_sgd_loop(RAVINE.A, RAVINE.b, W0, alpha, beta, 200, nesterov=True)
    np.testing.assert_allclose(lookahead, torch_like, rtol=1e-9, atol=1e-10)


def test_loss_contributions_sum_to_the_loss_gap():
    alpha, beta = 0.02, 0.9
    parts = loss_contributions(RAVINE, W0, alpha, beta, 100)
    w = heavy_ball_loop(RAVINE.A, RAVINE.b, W0, alpha, beta, 100)
    gap = np.array([RAVINE.f(wk) - RAVINE.f_star for wk in w])
    np.testing.assert_allclose(parts.sum(axis=1), gap, rtol=1e-9, atol=1e-12)
    errors = eigenbasis_errors(RAVINE, W0, alpha, beta, 100)
    np.testing.assert_allclose(parts, 0.5 * RAVINE.eigenvalues * errors**2)


def test_primal_averaging_equals_heavy_ball():
    alpha, beta = 0.015, 0.95
    averaged = primal_averaging(RAVINE, W0, alpha / (1 - beta), 1 - beta, 400)
    np.testing.assert_allclose(averaged, heavy_ball(RAVINE, W0, alpha, beta, 400), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("method", ["heavy_ball", "nesterov", "loss", "averaging"])
def test_divergent_runs_are_quiet_and_flagged(method):
    alpha, beta = 0.2, 0.99  # αλₙ = 16 > 2 + 2β
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = {
            "heavy_ball": lambda: heavy_ball(RAVINE, W0, alpha, beta, 3000),
            "nesterov": lambda: nesterov(RAVINE, W0, alpha, beta, 3000),
            "loss": lambda: loss_contributions(RAVINE, W0, alpha, beta, 3000),
            "averaging": lambda: primal_averaging(RAVINE, W0, alpha / (1 - beta), 1 - beta, 3000),
        }[method]()
    assert not np.isnan(run).any()
    step = divergence_step(run)
    assert step is not None and step > 10
    assert np.isfinite(run[:step]).all() and np.isinf(run[step:]).all()
    assert diverged(run)
    assert divergence_step(run, bound=1e6) < step


def test_convergent_run_is_not_flagged():
    assert not diverged(heavy_ball(RAVINE, W0, 0.02, 0.9, 500))
    assert divergence_step(heavy_ball(RAVINE, W0, 0.02, 0.9, 500)) is None


def test_zero_steps_and_bad_steps():
    np.testing.assert_allclose(heavy_ball(RAVINE, W0, 0.1, 0.5, 0), [W0])
    with pytest.raises(ValueError, match="steps"):
        heavy_ball(RAVINE, W0, 0.1, 0.5, -1)
    with pytest.raises(ValueError, match="steps"):
        heavy_ball(RAVINE, W0, 0.1, 0.5, 2.5)


@settings(max_examples=30, deadline=None)
@given(
    st.integers(1, 5),
    st.floats(1.0, 100.0),
    st.floats(0.05, 1.9),
    st.floats(-0.5, 0.99),
    st.integers(0, 2**32 - 1),
)
def test_heavy_ball_on_random_spd_matches_loop(n, kappa, alpha_scaled, beta, seed):
    rng = np.random.default_rng(seed)
    A = random_spd(rng, n, kappa)
    problem = Quadratic(A, rng.normal(size=n))
    alpha = alpha_scaled / kappa  # keeps αλₙ < 2 so the run stays bounded
    w0 = rng.normal(size=n)
    expected = heavy_ball_loop(A, problem.b, w0, alpha, beta, 60)
    np.testing.assert_allclose(heavy_ball(problem, w0, alpha, beta, 60), expected, rtol=1e-7, atol=1e-7)


def test_iterations_to_reach_counts_from_the_explicit_loop():
    from momentum_core import iterations_to_reach

    w = heavy_ball_loop(RAVINE.A, RAVINE.b, W0, 0.02, 0.9, 2000)
    error = np.linalg.norm(w - RAVINE.w_star, axis=1)
    k = iterations_to_reach(w, RAVINE.w_star, 1e-3)
    assert error[k] <= 1e-3 * error[0] and all(error[k:] <= 1e-3 * error[0])
    assert error[k - 1] > 1e-3 * error[0]
    assert iterations_to_reach(w[:5], RAVINE.w_star, 1e-3) is None
    assert iterations_to_reach(heavy_ball(RAVINE, W0, 0.2, 0.99, 500), RAVINE.w_star, 1e-3) is None


def phase_loop(alpha, beta, lam, x0, steps):
    """The heavy ball on f(x) = ½λx², step by step: positions and the step just taken."""
    x, z, positions, velocities = x0, 0.0, [x0], [0.0]
    for _ in range(steps):
        z = beta * z + lam * x
        previous, x = x, x - alpha * z
        positions.append(x)
        velocities.append(x - previous)
    return np.array(positions), np.array(velocities)


@pytest.mark.parametrize(
    "alpha, beta, lam",
    [
        (0.005, 0.95, 1.0),  # under-damped: complex roots, a spiral
        (0.005, (1 - np.sqrt(0.005)) ** 2, 1.0),  # critically damped
        (0.005, 0.3, 1.0),  # over-damped
        (0.005, 0.5, 100.0),  # under-damped at λ = 100 (critical β ≈ 0.086)
        (0.005, 0.0, 100.0),  # plain descent
        (0.02, -0.3, 100.0),  # negative momentum, alternating
    ],
)
def test_phase_portrait_matches_an_explicit_loop(alpha, beta, lam):
    from momentum_core import phase_portrait

    x, v = phase_portrait(alpha, beta, lam, 1.0, 300)
    x_loop, v_loop = phase_loop(alpha, beta, lam, 1.0, 300)
    np.testing.assert_allclose(x, x_loop, rtol=1e-9, atol=1e-13)
    np.testing.assert_allclose(v, v_loop, rtol=1e-9, atol=1e-13)


def test_phase_portrait_spirals_only_above_critical_damping():
    from momentum_core import critical_damping, phase_portrait

    beta_c = float(critical_damping(0.005, 1.0))
    _, under = phase_portrait(0.005, beta_c + 0.05, 1.0, 1.0, 400)
    _, over = phase_portrait(0.005, beta_c - 0.05, 1.0, 1.0, 400)
    assert (np.diff(np.sign(under[1:])) != 0).any()  # the velocity changes sign: it turns round
    assert (np.sign(over[1:]) <= 0).all()  # over-damped: it slides in from one side


def test_a_divergent_phase_portrait_is_inf_never_nan():
    from momentum_core import phase_portrait

    x, v = phase_portrait(1.0, 0.9, 100.0, 1.0, 2000)
    assert not np.isnan(x).any() and not np.isnan(v).any()
    assert np.isinf(x[-1]) and np.isinf(v[-1])
