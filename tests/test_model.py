"""momentum_core.model: logistic regression on real data, against finite differences and other solvers."""

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import expit

import momentum_core as mc
from momentum_core import model as real
from momentum_core.model import (
    LogisticRegression,
    breast_cancer,
    extreme_curvatures,
    heavy_ball_run,
    observed_rate,
)


@pytest.fixture(scope="module")
def model():
    return LogisticRegression(*breast_cancer())


def test_the_data_are_the_wisconsin_set_standardised_with_a_bias_column():
    X, y = breast_cancer()
    assert X.shape == (569, 31) and y.shape == (569,)
    assert (X[:, 0] == 1).all() and set(np.unique(y)) == {0.0, 1.0} and y.sum() == 357  # 357 benign
    np.testing.assert_allclose(X[:, 1:].mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X[:, 1:].std(axis=0), 1, rtol=1e-12)


def ulps(value: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """|value − reference| in units in the last place of the reference."""
    return np.abs(value - reference) / np.spacing(np.abs(reference))


def test_exp_neg_is_within_two_units_in_the_last_place_down_to_the_subnormals():
    x = -np.concatenate([np.linspace(0, 746, 400_001), np.random.default_rng(0).exponential(3, 100_000)])
    reference = np.exp(x)
    normal = reference >= np.finfo(float).tiny
    assert ulps(real.exp_neg(x[normal]), reference[normal]).max() <= 2
    # below the normals: the same value as a correctly rounded product (2^q rounds once), 0 past them
    tiny = ~normal
    np.testing.assert_allclose(real.exp_neg(x[tiny]), reference[tiny], rtol=1e-3, atol=5e-324)
    assert real.exp_neg(np.array([0.0, -800.0])).tolist() == [1.0, 0.0]


def test_log1p_unit_is_within_three_units_in_the_last_place_on_the_unit_interval():
    u = np.concatenate([np.linspace(0, 1, 400_001), np.logspace(-320, 0, 5_000)])
    reference = np.log1p(u)
    positive = reference > 0
    assert ulps(real.log1p_unit(u[positive]), reference[positive]).max() <= 3
    assert real.log1p_unit(np.array([0.0, 1.0])).tolist() == [0.0, np.log(2)]


def test_softplus_and_sigmoid_do_not_overflow():
    z = np.array([-800.0, -30.0, 0.0, 30.0, 800.0])
    np.testing.assert_allclose(real.softplus(z), np.logaddexp(0, z), rtol=1e-15)
    np.testing.assert_allclose(real.sigmoid(z), expit(z), rtol=1e-15)


def test_gradient_and_hessian_vector_products_match_finite_differences(model):
    rng = np.random.default_rng(0)
    for _ in range(5):
        w, v = rng.normal(size=model.dim), rng.normal(size=model.dim)
        h = 1e-6
        numeric = np.array(
            [(model.loss(w + h * e) - model.loss(w - h * e)) / (2 * h) for e in np.eye(model.dim)]
        )
        np.testing.assert_allclose(model.gradient(w), numeric, rtol=1e-6, atol=1e-9)
        numeric_hv = (model.gradient(w + h * v) - model.gradient(w - h * v)) / (2 * h)
        np.testing.assert_allclose(model.hessian_vector(w, v), numeric_hv, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(model.hessian(w) @ v, model.hessian_vector(w, v), rtol=1e-12, atol=1e-14)


def test_lanczos_finds_the_extreme_eigenvalues_of_the_explicit_hessian(model):
    for w in (np.zeros(model.dim), model.optimum, np.random.default_rng(1).normal(size=model.dim)):
        eigenvalues = np.linalg.eigvalsh(model.hessian(w))
        assert extreme_curvatures(model, w) == pytest.approx((eigenvalues[0], eigenvalues[-1]), rel=1e-9)


def test_the_optimum_matches_an_independent_solver(model):
    """Newton's w* against scipy's L-BFGS (a different method) on the same loss, to 1e-6."""
    result = minimize(model.loss, np.zeros(model.dim), jac=model.gradient, method="L-BFGS-B",
                      options={"gtol": 1e-12, "ftol": 1e-16, "maxiter": 20_000})  # fmt: skip
    np.testing.assert_allclose(model.optimum, result.x, atol=1e-6)
    assert np.linalg.norm(model.gradient(model.optimum)) < 1e-12


def test_a_run_is_the_plain_loop(model):
    """heavy_ball_run against the recursion written out (β = 0: gradient descent), step for step."""
    for alpha, beta in ((1.0, 0.0), (5.0, 0.8)):
        run = heavy_ball_run(model, np.zeros(model.dim), alpha, beta, 50)
        w, previous = np.zeros(model.dim), np.zeros(model.dim)
        for k in range(1, 51):
            w, previous = (
                w - alpha * model.gradient(w) + beta * (w - previous),
                w,
            )  # wᵏ⁺¹ = wᵏ − α∇f + β(wᵏ − wᵏ⁻¹)
            np.testing.assert_allclose(run[k], w, rtol=1e-10, atol=1e-12)


def test_a_diverging_run_is_inf_from_the_step_it_leaves_the_floats(model):
    run = heavy_ball_run(model, np.zeros(model.dim), 1e6, 0.99, 400)  # μα = 1000: |w| grows 1000× a step
    finite = np.isfinite(run).all(axis=1)
    assert not finite.all() and finite[: np.argmin(finite)].all() and not finite[np.argmin(finite) :].any()
    with np.errstate(over="ignore"):
        errors = np.linalg.norm(run - model.optimum, axis=1)
    fit = observed_rate(errors)
    assert fit.rate == pytest.approx(1000, rel=0.01) and fit.steady  # fitted before the overflow: μα per step
    assert observed_rate(errors[:5]) is None  # too few steps to fit


@pytest.mark.parametrize("method", ["momentum", "gradient descent"])
def test_the_observed_rate_at_the_theorys_parameters_is_the_predicted_one(model, method):
    """Near w* the loss is the quadratic of H = ∇²f(w*): at the theory's parameters for H's extreme
    eigenvalues, the rate fitted on the run's tail is within 5 % of the predicted max|σ(R)|."""
    low, high = extreme_curvatures(model, model.optimum)
    alpha, beta = mc.optimal_parameters(low, high) if method == "momentum" else (2 / (low + high), 0.0)
    run = heavy_ball_run(model, np.zeros(model.dim), alpha, beta, 3000)
    observed = observed_rate(np.linalg.norm(run - model.optimum, axis=1))
    predicted = mc.convergence_rate(alpha, beta, [low, high])
    assert observed.steady and observed.rate == pytest.approx(predicted, rel=0.05)
    assert high / low > 100  # a condition number where momentum matters


def test_a_steady_tail_is_told_from_a_bouncing_one():
    k = np.arange(200)
    shrinking = 3.0 * 0.9**k * (1 + 0.1 * np.cos(2.5 * k))  # ripples about a steady rate
    bouncing = 2.0 + np.cos(0.7 * k)  # about a level: no trend
    fit = observed_rate(shrinking)
    assert fit.steady and fit.rate == pytest.approx(0.9, rel=1e-3) and fit.steadiness > 0.99
    assert not observed_rate(bouncing).steady and observed_rate(bouncing).steadiness < 0.1
    assert observed_rate(np.full(50, 2.0)) == real.TailFit(1.0, 1.0)  # stuck: steady at rate 1


def test_the_shipped_rate_map_is_the_computed_one(model):
    """Cells of the shipped map recomputed (a sample: the whole map takes seconds), to 1e-9; the
    batched runs are the one-run recursion (to round-off, where a run converges: a bouncing run's
    last digits are chaos)."""
    alphas, betas = real.map_axes()
    shipped = real.shipped_rate_map()
    assert shipped.shape == real.MAP_SHAPE == (len(betas), len(alphas))
    rng = np.random.default_rng(3)
    rows, columns = rng.integers(len(betas), size=40), rng.integers(len(alphas), size=40)
    errors = real.batch_distances(model, alphas[columns], betas[rows], real.MAP_STEPS)
    for i, (row, column) in enumerate(zip(rows, columns, strict=True)):
        fit = observed_rate(errors[:, i], real.MAP_RESOLVED)
        single = real.distances(heavy_ball_run(model, np.zeros(model.dim), alphas[column], betas[row],
                                               real.MAP_STEPS), model.optimum)  # fmt: skip
        if fit.steady and fit.rate < 1:
            np.testing.assert_allclose(errors[:, i], single, rtol=1e-6, atol=1e-13)
        want = fit.rate if fit.steady else np.nan
        np.testing.assert_allclose(shipped[row, column], want, rtol=1e-9, equal_nan=True)  # BLAS may differ


def test_the_map_shows_the_quadratic_picture_holding_where_it_converges(model):
    """Where the quadratic at w* predicts a rate ≤ 0.99, nine cells in ten observe it within 1 %; where it
    predicts divergence well past its edge, the runs do not converge steadily (nan or rate ≥ 0.97)."""
    alphas, betas = real.map_axes()
    low, high = extreme_curvatures(model, model.optimum)
    predicted = mc.convergence_rate(alphas[None, :], betas[:, None], (low, high))
    observed = real.shipped_rate_map()
    fast = predicted <= 0.99
    close = np.abs(observed[fast] - predicted[fast]) <= 0.01 * predicted[fast]
    assert fast.sum() > 300 and close.mean() >= 0.9
    far = alphas[None, :] >= 1.1 * mc.stability_limit(betas[:, None], high)
    assert far.sum() > 300 and (np.isnan(observed[far]) | (observed[far] >= 0.97)).all()
