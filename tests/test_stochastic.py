import numpy as np
import pytest
from reference import heavy_ball_loop

from momentum_core import (
    Quadratic,
    affine_recursion,
    eigenbasis_loss_gap,
    heavy_ball,
    heavy_ball_and_primal_averaging,
    heavy_ball_and_primal_averaging_errors,
    noisy_heavy_ball,
    normal_noise,
    primal_averaging_schedule,
    scheduled_heavy_ball,
    scheduled_heavy_ball_errors,
    scheduled_primal_averaging,
    stationary_loss,
    stationary_losses,
)

PROBLEM = Quadratic.ravine(0.1, 10.0, angle=0.25)
W0 = (-3.0, -1.4)


def written_out_loop(alphas: np.ndarray, betas: np.ndarray, xi: np.ndarray) -> np.ndarray:
    """Iterates of zᵏ⁺¹ = βₖzᵏ + ∇f(wᵏ) + ξᵏ, wᵏ⁺¹ = wᵏ − αₖzᵏ⁺¹ from W0, step by step (overflow allowed)."""
    w, z, out = np.array(W0, dtype=float), np.zeros(2), [np.array(W0, dtype=float)]
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(len(alphas)):
            z = betas[k] * z + PROBLEM.A @ w - PROBLEM.b + xi[k]
            w = w - alphas[k] * z
            out.append(w.copy())
    return np.array(out)


def test_zero_noise_is_heavy_ball():
    np.testing.assert_allclose(
        noisy_heavy_ball(PROBLEM, W0, 0.02, 0.9, 300, 0.0),
        heavy_ball(PROBLEM, W0, 0.02, 0.9, 300),
        atol=1e-10,
    )


def test_minus_zero_noise_is_zero_noise():
    np.testing.assert_array_equal(
        noisy_heavy_ball(PROBLEM, W0, 0.02, 0.9, 50, -0.0), noisy_heavy_ball(PROBLEM, W0, 0.02, 0.9, 50, 0.0)
    )


def test_same_seed_same_run_other_seed_other_run():
    a = noisy_heavy_ball(PROBLEM, W0, 0.02, 0.9, 200, 0.1, seed=7)
    np.testing.assert_array_equal(a, noisy_heavy_ball(PROBLEM, W0, 0.02, 0.9, 200, 0.1, seed=7))
    assert not np.allclose(a, noisy_heavy_ball(PROBLEM, W0, 0.02, 0.9, 200, 0.1, seed=8))


def test_noise_enters_the_gradient_as_written():
    xi = 0.2 * normal_noise(3, 50, 2)
    w, z, out = np.array(W0), np.zeros(2), [np.array(W0)]
    for k in range(50):
        z = 0.8 * z + PROBLEM.A @ w - PROBLEM.b + xi[k]
        w = w - 0.05 * z
        out.append(w)
    np.testing.assert_allclose(noisy_heavy_ball(PROBLEM, W0, 0.05, 0.8, 50, 0.2, seed=3), out, atol=1e-12)


def test_gradient_descent_noise_floor_closed_form():
    # β = 0, one component: x' = (1 − αλ)x − αξ, so E[x²] = α²σ²/(1 − (1 − αλ)²).
    problem = Quadratic.from_eigenvalues([2.0])
    alpha, sigma = 0.3, 0.5
    expected = 0.5 * 2.0 * alpha**2 * sigma**2 / (1 - (1 - alpha * 2.0) ** 2)
    assert stationary_loss(problem, alpha, 0.0, sigma) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("alpha", "beta"), [(0.05, 0.9), (0.1, 0.5), (0.02, 0.99), (0.1, -0.3)])
def test_momentum_noise_floor_matches_a_long_seeded_simulation(alpha, beta):
    sigma = 0.3
    run = noisy_heavy_ball(PROBLEM, PROBLEM.w_star, alpha, beta, 200_000, sigma, seed=11)
    gaps = PROBLEM.f(run[20_000:]) - PROBLEM.f_star
    assert gaps.mean() == pytest.approx(stationary_loss(PROBLEM, alpha, beta, sigma), rel=0.1)


def test_divergent_settings_have_an_infinite_floor_and_quiet_runs():
    assert stationary_loss(PROBLEM, 0.5, 0.9, 0.1) == np.inf
    assert stationary_loss(PROBLEM, 1.0, 1.0, 0.05) == np.inf  # β = 1: |σ| = 1, singular Lyapunov system
    assert stationary_loss(PROBLEM, 0.02, 1.0 - 1e-12, 0.05) == np.inf
    run = noisy_heavy_ball(PROBLEM, W0, 0.5, 0.9, 3000, 0.1)
    assert not np.isnan(run).any() and np.isinf(run[-1]).all()


def test_momentum_amplifies_the_noise_floor_at_the_same_step():
    assert stationary_loss(PROBLEM, 0.02, 0.9, 0.1) > 5 * stationary_loss(PROBLEM, 0.02, 0.0, 0.1)
    # … and the explicit loop of the exact method agrees with the noiseless run.
    np.testing.assert_allclose(
        heavy_ball_loop(PROBLEM.A, PROBLEM.b, W0, 0.02, 0.9, 10),
        noisy_heavy_ball(PROBLEM, W0, 0.02, 0.9, 10, 0.0),
        atol=1e-12,
    )


def test_scheduled_runs_equal_a_written_out_loop():
    rng = np.random.default_rng(5)
    alphas, betas = rng.uniform(0.01, 0.05, 80), rng.uniform(0.0, 0.95, 80)
    xi = 0.3 * normal_noise(9, 80, 2)
    out = written_out_loop(alphas, betas, xi)
    np.testing.assert_allclose(scheduled_heavy_ball(PROBLEM, W0, alphas, betas, 0.3, seed=9), out, atol=1e-12)


def test_scheduled_errors_are_the_iterates_in_the_eigenbasis_run_by_run_and_inf_past_overflow():
    """Several runs at once under the same noise, one of them diverging: each run's errors are
    Qᵀ(wᵏ − w*) of its written-out loop; the diverging run's end at inf, never NaN."""
    steps = 400
    alphas = np.array([[0.02], [0.05], [3.0]]) * np.ones(steps)  # the last diverges
    betas = np.array([[0.9], [0.0], [0.99]]) * np.ones(steps)
    errors = scheduled_heavy_ball_errors(PROBLEM, W0, alphas, betas, 0.2, seed=4)
    assert errors.shape == (3, steps + 1, 2)
    xi = 0.2 * normal_noise(4, steps, 2)
    for run in range(3):
        with np.errstate(over="ignore", invalid="ignore"):
            expected = (written_out_loop(alphas[run], betas[run], xi) - PROBLEM.w_star) @ PROBLEM.eigenvectors
        # a diverging run amplifies rounding like everything else: compared while its errors are < 10⁶
        moderate = np.all(np.isfinite(expected), axis=1) & (np.abs(expected).max(axis=1) < 1e6)
        np.testing.assert_allclose(errors[run][moderate], expected[moderate], rtol=1e-9, atol=1e-12)
        assert not np.isnan(errors[run]).any()
    assert moderate.sum() >= 3 and np.isinf(errors[2][-1]).all()  # the diverging run ends at inf


@pytest.mark.parametrize("schedule", ["constant", "random", "momentum drop to 0", "warm-up from 0"])
def test_primal_averaging_with_mapped_schedule_gives_heavy_balls_iterates(schedule):
    steps = 300
    rng = np.random.default_rng(1)
    alphas = np.full(steps, 0.03)
    betas = {
        "constant": np.full(steps, 0.9),
        "random": rng.uniform(0.0, 0.98, steps),
        "momentum drop to 0": np.where(np.arange(steps) < 150, 0.9, 0.0),
        "warm-up from 0": np.minimum(np.arange(steps) / 100, 1) * 0.95,
    }[schedule]
    if schedule == "random":
        alphas = rng.uniform(0.005, 0.04, steps)
    etas, cs = primal_averaging_schedule(alphas, betas)
    assert np.all((cs > 0) & (cs <= 1))
    expected = scheduled_heavy_ball(PROBLEM, W0, alphas, betas, noise=0.2, seed=4)
    got = scheduled_primal_averaging(PROBLEM, W0, etas, cs, noise=0.2, seed=4)
    np.testing.assert_allclose(got, expected, atol=1e-10)
    if schedule == "constant":
        np.testing.assert_allclose(cs, 0.1) and np.testing.assert_allclose(etas, 0.3)


def test_primal_averaging_schedule_rejects_momentum_of_one():
    with pytest.raises(ValueError):
        primal_averaging_schedule([0.1, 0.1], [0.5, 1.0])


def test_a_learning_rate_drop_maps_too():
    alphas = np.where(np.arange(200) < 100, 0.04, 0.004)
    betas = np.full(200, 0.9)
    etas, cs = primal_averaging_schedule(alphas, betas)
    np.testing.assert_allclose(
        scheduled_primal_averaging(PROBLEM, W0, etas, cs, noise=0.1, seed=2),
        scheduled_heavy_ball(PROBLEM, W0, alphas, betas, noise=0.1, seed=2),
        atol=1e-10,
    )


@pytest.mark.parametrize("m", [1, 2, 3])
def test_affine_recursion_equals_the_loop(m):
    rng = np.random.default_rng(m)
    for steps in (1, 2, 7, 64, 301):
        maps = rng.normal(scale=0.6, size=(steps, 3, m, m))
        shifts = rng.normal(size=(steps, 3, m))
        start = rng.normal(size=(3, m))
        expected = [start]
        for k in range(steps):
            expected.append(np.einsum("rij,rj->ri", maps[k], expected[-1]) + shifts[k])
        expected = np.array(expected)
        got = affine_recursion(maps, shifts, start)
        scale = np.abs(expected).max(axis=0, keepdims=True)
        np.testing.assert_allclose(got / scale, expected / scale, rtol=0, atol=1e-12)


def test_many_scheduled_runs_at_once_equal_a_written_out_loop_each():
    rng = np.random.default_rng(21)
    runs, steps, sigma = 6, 120, 0.2
    alphas = rng.uniform(0.001, 0.3, (runs, steps))
    betas = rng.uniform(-0.5, 1.05, (runs, steps))  # negative momentum and divergent runs included
    xi = sigma * normal_noise(4, steps, 2)
    together = scheduled_heavy_ball(PROBLEM, W0, alphas, betas, sigma, seed=4)
    assert together.shape == (runs, steps + 1, 2)
    for r in range(runs):
        loop = written_out_loop(alphas[r], betas[r], xi)
        finite = np.isfinite(loop).all(axis=1) & (np.abs(loop).max(axis=1) < 1e200)
        scale = np.maximum(np.abs(loop[finite]).max(axis=1), 1.0)[:, None]
        np.testing.assert_allclose(together[r][finite] / scale, loop[finite] / scale, rtol=0, atol=1e-9)
        assert not np.isnan(together[r]).any()
        np.testing.assert_array_equal(
            together[r], scheduled_heavy_ball(PROBLEM, W0, alphas[r], betas[r], sigma, 4)
        )


def test_heavy_ball_and_primal_averaging_in_one_recursion_equal_each_on_its_own():
    rng = np.random.default_rng(8)
    alphas = rng.uniform(0.005, 0.05, (3, 200))
    betas = np.stack(
        [np.full(200, 0.9), np.minimum(np.arange(200) / 50, 1) * 0.95, rng.uniform(0, 0.97, 200)]
    )
    momentum, averaged = heavy_ball_and_primal_averaging(PROBLEM, W0, alphas, betas, noise=0.3, seed=6)
    etas, cs = primal_averaging_schedule(alphas, betas)
    np.testing.assert_allclose(
        momentum, scheduled_heavy_ball(PROBLEM, W0, alphas, betas, 0.3, 6), rtol=0, atol=1e-13
    )
    np.testing.assert_allclose(
        averaged, scheduled_primal_averaging(PROBLEM, W0, etas, cs, 0.3, 6), rtol=0, atol=1e-13
    )
    np.testing.assert_allclose(averaged, momentum, atol=1e-10)  # the two forms' iterates agree


def test_the_eigenbasis_errors_are_the_iterates_and_give_the_loss_exactly():
    """The eigenbasis form of both runs maps to their iterates (w = w* + Qx), its loss ½Σλᵢxᵢ² is
    f(w) − f* (written independently: ½(w − w*)ᵀA(w − w*)), and a divergent run is inf, never NaN."""
    alphas = np.stack([np.full(900, 0.02), np.full(900, 0.5)])  # the second: αλ₂ = 5 > 2 + 2β
    betas = np.full((2, 900), 0.9)
    momentum, averaged = heavy_ball_and_primal_averaging_errors(PROBLEM, W0, alphas, betas, 0.3, 5)
    iterates, _ = heavy_ball_and_primal_averaging(PROBLEM, W0, alphas, betas, 0.3, 5)
    np.testing.assert_array_equal(iterates[0], PROBLEM.from_eigenbasis(momentum[0]))
    gaps = eigenbasis_loss_gap(PROBLEM, momentum)
    d = iterates[0] - PROBLEM.w_star
    np.testing.assert_allclose(gaps[0], 0.5 * np.einsum("ki,ij,kj->k", d, PROBLEM.A, d), rtol=1e-12)
    assert np.isinf(gaps[1, -1]) and not np.isnan(gaps).any() and np.isinf(averaged[1, -1]).all()
    away = Quadratic.ravine(0.1, 10.0, angle=0.25, w_star=(1.0, -1.0))  # f* = −5.05: f(w) − f* cancels
    tiny = np.array([1e-9, -2e-9])  # a gap of 2·10⁻¹⁷, far below f*'s last digit; ½Σλx² keeps it
    exact = 0.5 * (away.eigenvalues[0] * 1e-18 + away.eigenvalues[1] * 4e-18)
    assert eigenbasis_loss_gap(away, tiny) == pytest.approx(exact, rel=1e-14)
    # The old way keeps nothing of it: 0 or rounding noise, as the version of numpy rounds f(w).
    assert abs(away.f(away.from_eigenbasis(tiny)) - away.f_star - exact) >= exact


def test_stationary_losses_of_many_pairs_are_each_pairs_own():
    rng = np.random.default_rng(1)
    alphas, betas = 10 ** rng.uniform(-4, 0, 200), rng.uniform(-0.5, 1.0, 200)
    together = stationary_losses(PROBLEM, alphas, betas, 0.3)
    alone = [stationary_loss(PROBLEM, a, b, 0.3) for a, b in zip(alphas, betas, strict=True)]
    np.testing.assert_array_equal(together, alone)
    assert np.isinf(together).sum() > 20 and np.isfinite(together).sum() > 20  # both kinds drawn
