"""The resisting oracle and Nesterov's method against closed forms and explicit loops."""

import numpy as np
import pytest
from reference import heavy_ball_loop

import momentum_core as mc


def nesterov_loop(A, b, w0, alpha, beta, steps):
    """Sutskever et al. 2013, written out: z ← βz + ∇f(w − αβz), w ← w − αz."""
    w, z = np.array(w0, dtype=float), np.zeros(len(b))
    out = [w.copy()]
    for _ in range(steps):
        z = beta * z + (A @ (w - alpha * beta * z) - b)
        w = w - alpha * z
        out.append(w.copy())
    return np.array(out)


@pytest.mark.parametrize("kappa", [10.0, 100.0, 1000.0])
def test_oracle_optimum_is_a_geometric_sequence_with_the_lower_bound_ratio(kappa):
    problem = mc.resisting_oracle(kappa, 400)
    rho = (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
    np.testing.assert_allclose(problem.w_star[:40], rho ** np.arange(1, 41), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(mc.oracle_solution(kappa, 40), problem.w_star[:40], rtol=1e-9, atol=1e-15)
    assert mc.lower_bound_rate(kappa) == pytest.approx(problem.w_star[1] / problem.w_star[0])
    lam = problem.eigenvalues
    assert 4 / (kappa - 1) < lam[0] and lam[-1] < 4 + 4 / (kappa - 1)
    assert problem.condition_number < kappa and problem.condition_number > 0.99 * kappa


def test_every_krylov_method_keeps_zeros_past_step_k():
    problem = mc.resisting_oracle(100.0, 30)
    alpha, beta = mc.optimal_parameters(problem.eigenvalues[0], problem.eigenvalues[-1])
    run = heavy_ball_loop(problem.A, problem.b, np.zeros(30), alpha, beta, 20)
    for k, w in enumerate(run):
        assert np.all(w[k:] == 0.0)  # exactly, in the explicit loop
    np.testing.assert_allclose(mc.heavy_ball(problem, np.zeros(30), alpha, beta, 20), run, atol=1e-12)


@pytest.mark.parametrize("kappa", [30.0, 300.0])
def test_no_method_beats_the_bound_and_optimal_momentum_follows_its_rate(kappa):
    n, steps = 600, 200
    problem = mc.resisting_oracle(kappa, n)
    lam = problem.eigenvalues
    bound = mc.krylov_lower_bound(problem.w_star, steps)
    runs = {
        "momentum": mc.heavy_ball(problem, np.zeros(n), *mc.optimal_parameters(lam[0], lam[-1]), steps),
        "gd": mc.gradient_descent(problem, np.zeros(n), mc.optimal_step_size(lam[0], lam[-1]), steps),
        "nesterov": mc.nesterov(problem, np.zeros(n), *mc.nesterov_parameters(lam[0], lam[-1]), steps),
    }
    rho = mc.lower_bound_rate(kappa)
    for name, run in runs.items():
        error = np.abs(run - problem.w_star).max(axis=1)
        assert np.all(error >= bound * (1 - 1e-9)), name
        rate = (error[steps] / error[steps // 2]) ** (1 / (steps - steps // 2))
        if name == "momentum":
            assert rate == pytest.approx(rho, rel=0.02)
        else:
            assert rate > rho * 1.01
    gd_error = np.abs(runs["gd"] - problem.w_star).max(axis=1)
    assert gd_error[steps] > 100 * bound[steps]  # plain descent is far from the bound


@pytest.mark.parametrize("kappa", [1.0001, 1.5, 10.0, 100.0, 1e4, 1e6])
def test_oracle_optimum_in_closed_form_solves_the_oracle(kappa):
    """(rⁱ + r²ⁿ⁺¹⁻ⁱ)/(1 + r²ⁿ⁺¹) against a dense solve of A w = b, entry by entry (tiny ones too)."""
    n = 400
    problem = mc.resisting_oracle(kappa, n)
    solved = np.linalg.solve(problem.A, problem.b)
    np.testing.assert_allclose(problem.w_star, solved, rtol=1e-9, atol=0)
    np.testing.assert_allclose(problem.A @ problem.w_star, problem.b, atol=1e-13)


@pytest.mark.parametrize("kappa", [10.0, 1000.0])
def test_krylov_error_norms_equal_the_full_iterates_norms(kappa):
    """The triangular product against ‖wᵏ − w*‖∞ of the full iterates, one run and three stacked."""
    n, steps = 120, 150  # more steps than coordinates: the last rows use every coordinate
    problem = mc.resisting_oracle(kappa, n)
    lam, start = problem.eigenvalues, np.zeros(n)
    settings = [mc.optimal_parameters(lam[0], lam[-1]), (mc.optimal_step_size(lam[0], lam[-1]), 0.0)]
    errors = [mc.eigenbasis_errors(problem, start, a, b, steps) for a, b in settings]
    errors.append(
        mc.nesterov_eigenbasis_errors(problem, start, *mc.nesterov_parameters(lam[0], lam[-1]), steps)
    )
    iterates = [mc.heavy_ball(problem, start, a, b, steps) for a, b in settings]
    iterates.append(mc.nesterov(problem, start, *mc.nesterov_parameters(lam[0], lam[-1]), steps))
    full = np.stack([np.abs(w - problem.w_star).max(axis=1) for w in iterates], axis=1)
    np.testing.assert_allclose(
        mc.krylov_error_norms(problem, errors[0], block=7), full[:, 0], rtol=1e-9, atol=1e-15
    )
    np.testing.assert_allclose(
        mc.krylov_error_norms(problem, np.stack(errors, axis=1)), full, rtol=1e-9, atol=1e-15
    )


@pytest.mark.parametrize("kappa", [10.0, 1e4])
def test_krylov_runs_block_by_block_equal_the_full_iterates(kappa):
    """`krylov_runs` never holds a whole run: its norms against ‖wᵏ − w*‖∞ of the full iterates and its
    errors at every k against each method's own run (blocks of 7 steps: 150 is not a multiple)."""
    n, steps = 120, 150
    problem = mc.resisting_oracle(kappa, n)
    lam, start = problem.eigenvalues, np.zeros(n)
    settings = [mc.optimal_parameters(lam[0], lam[-1]), (mc.optimal_step_size(lam[0], lam[-1]), 0.0)]
    nesterov = mc.nesterov_parameters(lam[0], lam[-1])
    runs = [(mc.iteration_matrix, a, b) for a, b in settings] + [(mc.nesterov_iteration_matrix, *nesterov)]
    iterates = [mc.heavy_ball(problem, start, a, b, steps) for a, b in settings]
    iterates.append(mc.nesterov(problem, start, *nesterov, steps))
    full = np.stack([np.abs(w - problem.w_star).max(axis=1) for w in iterates], axis=1)
    krylov = mc.krylov_runs(problem, runs, steps, block=7)
    np.testing.assert_allclose(krylov.norms, full, rtol=1e-9, atol=1e-15)
    for k in (0, 1, 6, 7, 8, 100, steps):
        at_k = problem.from_eigenbasis(krylov.errors_at(k))
        np.testing.assert_allclose(at_k, np.stack([w[k] for w in iterates]), rtol=0, atol=1e-12)


def test_krylov_runs_read_inf_once_a_run_overflows():
    problem = mc.resisting_oracle(10.0, 50)
    krylov = mc.krylov_runs(problem, [(mc.iteration_matrix, 5.0, 0.5), (mc.iteration_matrix, 0.1, 0.5)], 4000)
    assert not np.isnan(krylov.norms).any() and np.isfinite(krylov.norms[:, 1]).all()
    assert np.isinf(krylov.norms[-1, 0]) and np.isfinite(krylov.norms[0, 0])
    assert np.isinf(krylov.errors_at(4000)[0]).all() and np.isfinite(krylov.errors_at(4000)[1]).all()


def test_krylov_error_norms_read_inf_once_a_run_overflows():
    problem = mc.resisting_oracle(10.0, 50)
    errors = mc.eigenbasis_errors(problem, np.zeros(50), 5.0, 0.5, 4000)  # αλ past 2 + 2β: diverges
    norms = mc.krylov_error_norms(problem, errors)
    assert not np.isnan(norms).any()
    assert np.isinf(norms[-1]) and np.isfinite(norms[0])


def test_krylov_bound_is_the_tail_maximum():
    np.testing.assert_array_equal(mc.krylov_lower_bound([3.0, -5.0, 1.0], 4), [5.0, 5.0, 1.0, 0.0, 0.0])
    with pytest.raises(ValueError):
        mc.resisting_oracle(1.0, 10)


@pytest.mark.parametrize(("alpha", "beta", "lam"), [(0.1, 0.5, 1.0), (0.01, 0.99, 3.0), (1.5, -0.3, 1.0)])
def test_nesterov_radius_and_run_match_eigvals_and_a_loop(alpha, beta, lam):
    R = mc.nesterov_iteration_matrix(alpha, beta, lam)
    assert mc.nesterov_spectral_radius(alpha, beta, lam) == pytest.approx(np.abs(np.linalg.eigvals(R)).max())
    problem = mc.Quadratic.ravine(0.1, 10.0, angle=0.3)
    np.testing.assert_allclose(
        mc.nesterov(problem, [1.0, -2.0], 0.05, 0.9, 60),
        nesterov_loop(problem.A, problem.b, [1.0, -2.0], 0.05, 0.9, 60),
        atol=1e-10,
    )


@pytest.mark.parametrize("kappa", [4.0, 100.0, 1e4])
def test_nesterov_parameters_give_rate_one_minus_inverse_root_kappa(kappa):
    alpha, beta = mc.nesterov_parameters(1.0, kappa)
    lam = np.linspace(1.0, kappa, 2001)
    assert mc.nesterov_rate(alpha, beta, lam) == pytest.approx(1 - 1 / np.sqrt(kappa), rel=1e-6)
    brute = max(np.abs(np.linalg.eigvals(mc.nesterov_iteration_matrix(alpha, beta, v))).max() for v in lam)
    assert mc.nesterov_rate(alpha, beta, lam) == pytest.approx(brute, rel=1e-6)
