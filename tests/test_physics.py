import numpy as np
import pytest

from momentum_core import (
    continuous_roots,
    continuous_speedup,
    damping_regime,
    discrete_stable,
    diverged,
    gradient_flow_path,
    oscillator_path,
    qian_experiment,
    qian_parameters,
)


def test_qian_parameters_for_the_experiment():
    epsilon, p = qian_parameters(m=2.0, mu=4.0, dt=0.5)
    assert epsilon == pytest.approx(0.25 / 4.0)
    assert p == pytest.approx(0.5)
    assert qian_parameters(0.0, 4.0, 0.5) == pytest.approx((0.125, 0.0))
    with pytest.raises(ValueError):
        qian_parameters(1.0, 0.0, 0.5)


def test_discretised_oscillator_is_heavy_ball():
    # w_{t+1} − w_t = −ε k w_t + p (w_t − w_{t−1}) (Qian eq. 3) against heavy ball with α = ε, β = p.
    from momentum_core import Quadratic, heavy_ball

    epsilon, p = qian_parameters(1.5, 2.0, 0.3)
    k = 4.0
    w = [1.0, 1.0 - epsilon * k]
    for _ in range(30):
        w.append(w[-1] - epsilon * k * w[-1] + p * (w[-1] - w[-2]))
    got = heavy_ball(Quadratic.from_eigenvalues([k]), [1.0], epsilon, p, 31)[:, 0]
    np.testing.assert_allclose(got, w, rtol=1e-10, atol=1e-12)


def test_continuous_roots_solve_the_characteristic_equation():
    m, mu = 2.0, 4.0
    for k in (0.5, 2.0, 3.0, 30.0):
        for root in continuous_roots(m, mu, k):
            assert abs(m * root**2 + mu * root + k) < 1e-10


def test_speedup_regions_and_peak():
    m, mu = 2.0, 4.0  # μ²/2m = 4, μ²/4m = 2
    k = np.linspace(0.01, 8, 2000)
    speedup = continuous_speedup(m, mu, k)
    assert np.all(speedup[k < 4 - 1e-9] > 1) and np.all(speedup[k > 4 + 1e-9] < 1)
    assert k[np.argmax(speedup)] == pytest.approx(2.0, abs=0.01)
    assert continuous_speedup(m, mu, 2.0) == pytest.approx(2.0)
    assert continuous_speedup(m, mu, 3.0) == pytest.approx(16 / 12)
    assert damping_regime(m, mu, [1.0, 2.0, 3.0]).tolist() == ["overdamped", "critical", "underdamped"]


def test_discrete_stability_region_includes_negative_momentum():
    assert discrete_stable(0.1, -0.5, 9.0)  # εk = 0.9 < 2 + 2p = 1
    assert not discrete_stable(0.1, -0.5, 11.0)
    assert not discrete_stable(0.1, 1.0, 1.0)


def test_qian_experiment_momentum_converges_plain_descent_diverges():
    runs = qian_experiment(steps=200)
    assert np.abs(runs["momentum"][-1]).max() < 1e-6
    assert diverged(runs["plain"], bound=1e6)
    # The divergence is along k = 30 only: the k = 3 component converges for plain descent too.
    assert abs(runs["plain"][60, 0]) < 1e-6 and abs(runs["plain"][60, 1]) > 1e6


def test_discrete_stability_matches_the_spectral_radius_of_qians_matrix():
    rng = np.random.default_rng(3)
    for epsilon, p, k in zip(
        rng.uniform(0.01, 2, 400), rng.uniform(-1.2, 1.2, 400), rng.uniform(0.1, 5, 400), strict=True
    ):
        A = np.array([[0.0, 1.0], [-p, 1 + p - epsilon * k]])  # Qian eq. 11
        radius = np.abs(np.linalg.eigvals(A)).max()
        if abs(radius - 1) > 1e-9:
            assert bool(discrete_stable(epsilon, p, k)) == (radius < 1), (epsilon, p, k)


def rk4_oscillator(m, mu, k, w0, v0, t_end, n):
    """m w'' + μ w' + k w = 0 integrated by classical Runge–Kutta, an independent check."""
    h = t_end / n

    def f(state):
        w, v = state
        return np.array([v, -(mu * v + k * w) / m])

    state = np.array([w0, v0], dtype=float)
    out = [state[0]]
    for _ in range(n):
        a = f(state)
        b = f(state + h / 2 * a)
        c = f(state + h / 2 * b)
        d = f(state + h * c)
        state = state + h / 6 * (a + 2 * b + 2 * c + d)
        out.append(state[0])
    return np.array(out)


@pytest.mark.parametrize(
    ("m", "mu", "k"), [(2.0, 4.0, 3.0), (2.0, 4.0, 2.0), (2.0, 4.0, 1.0), (0.5, 0.3, 30.0)]
)
def test_oscillator_path_matches_runge_kutta(m, mu, k):
    # underdamped, critical (double root), overdamped, and a lightly damped fast oscillation
    t = np.linspace(0, 6, 6001)
    expected = rk4_oscillator(m, mu, k, 1.0, 0.4, 6.0, 6000)
    np.testing.assert_allclose(oscillator_path(m, mu, k, t, 1.0, 0.4), expected, atol=1e-9)


def test_gradient_flow_path_is_the_massless_limit():
    t = np.linspace(0, 3, 31)
    np.testing.assert_allclose(gradient_flow_path(4.0, 3.0, t), np.exp(-0.75 * t))
    np.testing.assert_allclose(
        oscillator_path(1e-6, 4.0, 3.0, t[1:]), gradient_flow_path(4.0, 3.0, t[1:]), rtol=1e-4
    )
