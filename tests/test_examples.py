import numpy as np
import pytest
from reference import heavy_ball_loop

from momentum_core import (
    colorization,
    colorization_eigenvalues,
    convergence_rate,
    heavy_ball,
    optimal_parameters,
    path_graph_laplacian,
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
