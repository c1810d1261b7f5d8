import numpy as np
import pytest
from reference import heavy_ball_loop

from momentum_core import (
    REGRESSION_X,
    REGRESSION_Y,
    colorization,
    colorization_eigenvalues,
    convergence_rate,
    eigenfeatures,
    heavy_ball,
    optimal_parameters,
    path_graph_laplacian,
    polynomial_features,
    polynomial_regression,
    residual_factors,
)


def test_laplacian_is_the_sum_over_edges():
    rng = np.random.default_rng(0)
    w = rng.normal(size=7)
    assert w @ path_graph_laplacian(7) @ w == pytest.approx(sum((w[i] - w[i + 1]) ** 2 for i in range(6)))
    np.testing.assert_allclose(path_graph_laplacian(7).sum(axis=1), 0, atol=1e-15)  # constants are free


@pytest.mark.parametrize("n", [2, 3, 10, 50, 200])
def test_colorization_eigenvalues_closed_form(n):
    problem = colorization(n)
    np.testing.assert_allclose(problem.eigenvalues, colorization_eigenvalues(n), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(problem.w_star, np.ones(n), atol=1e-8)


def test_condition_number_grows_like_n_squared():
    kappas = [colorization_eigenvalues(n)[-1] / colorization_eigenvalues(n)[0] for n in (20, 40, 80)]
    assert kappas[1] / kappas[0] == pytest.approx(4, rel=0.05) and kappas[2] / kappas[1] == pytest.approx(
        4, rel=0.03
    )


def test_momentum_spreads_the_colour_about_sqrt_kappa_faster():
    n = 40
    problem = colorization(n)
    lam = problem.eigenvalues
    alpha, beta = optimal_parameters(lam[0], lam[-1])
    w = heavy_ball(problem, np.zeros(n), alpha, beta, 300)
    np.testing.assert_allclose(
        w, heavy_ball_loop(problem.A, problem.b, np.zeros(n), alpha, beta, 300), atol=1e-9
    )
    gd_rate = convergence_rate(2 / (lam[0] + lam[-1]), 0.0, lam)
    momentum_rate = convergence_rate(alpha, beta, lam)
    assert np.log(momentum_rate) / np.log(gd_rate) > 0.5 * np.sqrt(lam[-1] / lam[0])
    with pytest.raises(ValueError):
        path_graph_laplacian(1)


@pytest.mark.parametrize("degree", [1, 3, 5])
def test_regression_optimum_is_the_least_squares_fit(degree):
    problem = polynomial_regression(REGRESSION_X, REGRESSION_Y, degree)
    np.testing.assert_allclose(
        problem.w_star, np.polyfit(REGRESSION_X, REGRESSION_Y, degree)[::-1], rtol=1e-8, atol=1e-10
    )


def test_eigenfeatures_are_orthogonal_at_the_data_with_norms_lambda():
    problem = polynomial_regression(REGRESSION_X, REGRESSION_Y, 5)
    phi = eigenfeatures(problem, REGRESSION_X)
    np.testing.assert_allclose(phi.T @ phi, np.diag(problem.eigenvalues), atol=1e-10)
    # the least-squares fit is the sum of the eigenfeatures weighted by cⱼ = qⱼᵀw*
    xi = np.linspace(-1, 1, 7)
    weights = problem.eigenvectors.T @ problem.w_star
    np.testing.assert_allclose(
        eigenfeatures(problem, xi) @ weights, np.polyval(np.polyfit(REGRESSION_X, REGRESSION_Y, 5), xi)
    )


def test_gradient_descent_fits_each_eigenfeature_by_one_minus_a_power():
    problem = polynomial_regression(REGRESSION_X, REGRESSION_Y, 4)
    lam = problem.eigenvalues
    alpha = 1.0 / lam[-1]
    r = residual_factors(problem, alpha, 0.0, 50)
    np.testing.assert_allclose(r, (1 - alpha * lam) ** np.arange(51)[:, None], rtol=1e-9, atol=1e-14)
    fitted = 1 - r[1:]
    assert np.all(np.diff(fitted, axis=1) >= 0)  # large eigenvalues are always further along
    # the run from w = 0 is, in eigenfeature weights, c* (1 − rₖ(λ))
    run = heavy_ball(problem, np.zeros(5), alpha, 0.0, 50)
    weights = problem.eigenvectors.T @ problem.w_star
    np.testing.assert_allclose(run @ problem.eigenvectors, weights * (1 - r), atol=1e-9)


def test_residual_factors_of_momentum_match_an_explicit_loop():
    problem = polynomial_regression(REGRESSION_X, REGRESSION_Y, 3)
    alpha, beta = optimal_parameters(problem.eigenvalues[0], problem.eigenvalues[-1])
    w0 = problem.from_eigenbasis(np.ones(4))
    loop = heavy_ball_loop(problem.A, problem.b, w0, alpha, beta, 80)
    np.testing.assert_allclose(
        residual_factors(problem, alpha, beta, 80), problem.to_eigenbasis(loop), atol=1e-9
    )
    with pytest.raises(ValueError):
        polynomial_features(REGRESSION_X, -1)
