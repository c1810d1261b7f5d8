"""momentum_core.network: a small tanh network, its derivatives checked independently, and where the
local-quadratic picture predicts its runs."""

import numpy as np
import pytest

import momentum_core as mc
from momentum_core import model as real
from momentum_core import network as nw


@pytest.fixture(scope="module")
def net():
    return nw.TwoLayerNetwork(*real.breast_cancer())


def test_a_few_hundred_weights_from_a_fixed_start(net):
    assert net.dim == 8 * 31 + 8 + 1 == 257
    np.testing.assert_array_equal(net.start, nw.TwoLayerNetwork(*real.breast_cancer()).start)
    W, v, c = net.unpack(net.start)
    assert W.shape == (8, 31) and v.shape == (8,) and c == 0


def test_gradient_matches_finite_differences(net):
    rng = np.random.default_rng(0)
    for theta in (net.start, rng.normal(size=net.dim)):
        h = 1e-6
        numeric = np.array(
            [(net.loss(theta + h * e) - net.loss(theta - h * e)) / (2 * h) for e in np.eye(net.dim)]
        )
        np.testing.assert_allclose(net.gradient(theta), numeric, rtol=1e-5, atol=1e-9)


def test_hessian_vector_products_match_the_complex_step_and_finite_differences(net):
    """The R-operator's product against two independent ones: the complex-step derivative of the gradient
    (exact to round-off) and central differences of the gradient (to 1e-6)."""
    rng = np.random.default_rng(1)
    for theta in (net.start, rng.normal(size=net.dim), 3 * rng.normal(size=net.dim)):
        u = rng.normal(size=net.dim)
        product = net.hessian_vector(theta, u)
        scale = np.abs(product).max()
        np.testing.assert_allclose(product, net.complex_step_hessian_vector(theta, u), atol=1e-13 * scale)
        h = 1e-6
        numeric = (net.gradient(theta + h * u) - net.gradient(theta - h * u)) / (2 * h)
        np.testing.assert_allclose(product, numeric, atol=1e-6 * scale)


def test_lanczos_finds_the_extreme_eigenvalues_of_the_explicit_hessian(net):
    run = nw.network_run(net, 5.0, 0.9, 200, measures=2)
    for theta in (net.start, run.last):
        eigenvalues = np.linalg.eigvalsh(net.hessian(theta))
        low, high = real.extreme_curvatures(net, theta, tol=1e-10)
        assert (low, high) == pytest.approx((eigenvalues[0], eigenvalues[-1]), rel=1e-8, abs=1e-12)
    np.testing.assert_allclose(run.sharpness[-1], np.linalg.eigvalsh(net.hessian(run.last))[-1], rtol=1e-5)


def test_a_run_is_the_heavy_ball_recursion(net):
    run = nw.network_run(net, 5.0, 0.9, 60, measures=3)
    iterates = real.heavy_ball_run(net, net.start, 5.0, 0.9, 60)
    np.testing.assert_allclose(run.loss, [net.loss(theta) for theta in iterates], rtol=1e-12)
    np.testing.assert_allclose(run.gradient_norm, np.linalg.norm([net.gradient(t) for t in iterates], axis=1))
    np.testing.assert_array_equal(run.measured, [0, 20, 40, 60])
    np.testing.assert_allclose(run.last, iterates[-1])


def test_a_run_stops_where_its_checkpoint_raises_and_is_unchanged_by_one_that_does_not(net):
    calls = []

    def checkpoint() -> None:
        calls.append(1)
        if len(calls) == 31:
            raise InterruptedError

    with pytest.raises(InterruptedError):
        nw.network_run(net, 5.0, 0.9, 60, measures=3, checkpoint=checkpoint)
    assert len(calls) == 31  # stopped at once: no step after the one it refused
    calls.clear()
    counted = nw.network_run(net, 5.0, 0.9, 60, measures=3, checkpoint=lambda: calls.append(1))
    plain = nw.network_run(net, 5.0, 0.9, 60, measures=3)
    assert len(calls) == 61 + 4  # before each of the 61 iterates and the 4 measurements
    np.testing.assert_array_equal(counted.loss, plain.loss)
    np.testing.assert_array_equal(counted.sharpness, plain.sharpness)


def test_a_run_that_leaves_the_floats_stops_at_its_last_finite_step(net):
    run = nw.network_run(net, 1e6, 0.99, 400, measures=4)
    assert run.steps < 400 and np.isfinite(run.loss).all() and np.isfinite(run.sharpness).all()


def test_the_local_quadratic_fails_early_and_predicts_the_end(net):
    """Early: at θ⁰ the curvature is far above gradient descent's edge 2/α, where a quadratic would
    diverge, yet the run goes on and its sharpness falls to just under the edge (and stays). At the end
    of a long momentum run θ is a minimum (λ₁ > 0) and the rate fitted on ‖∇f‖'s tail is the one the
    quadratic of its Hessian predicts, to 0.1 %."""
    descent = nw.network_run(net, 5.0, 0.0, 600)
    edge = mc.stability_limit(0.0, 5.0)
    assert descent.sharpness[0] > 3 * edge and np.isfinite(descent.loss).all()
    assert descent.loss[-1] < 0.06 * descent.loss[0]
    assert (descent.sharpness[5:] < edge).all() and (descent.sharpness[5:] > 0.85 * edge).all()
    heavy = nw.network_run(net, 5.0, 0.9, 1000, measures=4)
    low, high = real.extreme_curvatures(net, heavy.last, tol=1e-10)
    assert 0 < low < high < mc.stability_limit(0.9, 5.0)
    fit = real.observed_rate(heavy.gradient_norm, 1e-12)
    assert fit.steady and fit.rate == pytest.approx(mc.convergence_rate(5.0, 0.9, [low, high]), rel=1e-3)
