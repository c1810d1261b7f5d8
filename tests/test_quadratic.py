import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import random_spd

from momentum_core import Quadratic


def test_optimum_and_minimum_value_match_a_linear_solve():
    A = np.array([[4.0, 1.0], [1.0, 3.0]])
    b = np.array([1.0, 2.0])
    problem = Quadratic(A, b)
    w_star = np.linalg.inv(A) @ b
    np.testing.assert_allclose(problem.w_star, w_star)
    assert problem.f_star == pytest.approx(0.5 * w_star @ A @ w_star - b @ w_star)
    np.testing.assert_allclose(problem.grad(w_star), 0, atol=1e-14)


def test_eigen_decomposition_is_ascending_and_reconstructs_A():
    problem = Quadratic([[2.0, 1.0], [1.0, 2.0]], [0.0, 0.0])
    np.testing.assert_allclose(problem.eigenvalues, [1.0, 3.0])
    Q = problem.eigenvectors
    np.testing.assert_allclose(Q @ np.diag(problem.eigenvalues) @ Q.T, problem.A, atol=1e-14)
    assert problem.condition_number == pytest.approx(3.0)


def test_f_and_grad_accept_batches():
    problem = Quadratic.ravine(1.0, 10.0, angle=0.4, w_star=(1.0, -2.0))
    points = np.random.default_rng(0).normal(size=(3, 4, 2))
    values = problem.f(points)
    assert values.shape == (3, 4)
    for index in np.ndindex(3, 4):
        w = points[index]
        assert values[index] == pytest.approx(0.5 * w @ problem.A @ w - problem.b @ w)
        np.testing.assert_allclose(problem.grad(points)[index], problem.A @ w - problem.b)
    assert isinstance(problem.f([0.0, 0.0]), float)


def test_ravine_has_requested_eigenvalues_rotation_and_optimum():
    problem = Quadratic.ravine(0.5, 50.0, angle=np.pi / 6, w_star=(2.0, 3.0))
    np.testing.assert_allclose(problem.eigenvalues, [0.5, 50.0])
    np.testing.assert_allclose(problem.w_star, [2.0, 3.0])
    steep = problem.eigenvectors[:, 1]
    assert abs(steep @ [-np.sin(np.pi / 6), np.cos(np.pi / 6)]) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("A", "b", "message"),
    [
        ([[1.0, 2.0, 3.0]], [1.0], "square"),
        ([[1.0, 2.0], [0.0, 1.0]], [0.0, 0.0], "symmetric"),
        ([[1.0, 0.0], [0.0, -1.0]], [0.0, 0.0], "positive definite"),
        ([[0.0, 0.0], [0.0, 0.0]], [0.0, 0.0], "positive definite"),
        ([[5e-324]], [0.0], "too small to compute with"),
        ([[1.0, np.nan], [np.nan, 1.0]], [0.0, 0.0], "finite"),
        ([[1.0, 0.0], [0.0, np.inf]], [0.0, 0.0], "finite"),
        ([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0, 0.0], "length 2"),
        ([["a", "b"], ["c", "d"]], [0.0, 0.0], "only numbers"),
        ([[1.0, 0.0], [0.0, 1e-14]], [0.0, 0.0], "ill-conditioned"),
    ],
)
def test_bad_matrices_raise_actionable_errors(A, b, message):
    with pytest.raises(ValueError, match=message):
        Quadratic(A, b)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.floats(1.0, 1e4), st.integers(0, 2**32 - 1))
def test_random_spd_matrices(n, kappa, seed):
    rng = np.random.default_rng(seed)
    A = random_spd(rng, n, kappa)
    b = rng.normal(size=n)
    problem = Quadratic(A, b)
    np.testing.assert_allclose(np.sort(np.linalg.eigvalsh(A)), problem.eigenvalues, rtol=1e-9)
    np.testing.assert_allclose(A @ problem.w_star, b, atol=1e-8 * kappa)
    w = rng.normal(size=n)
    # f(w) − f* = ½(w − w*)ᵀA(w − w*) for any quadratic.
    gap = 0.5 * (w - problem.w_star) @ A @ (w - problem.w_star)
    assert problem.f(w) - problem.f_star == pytest.approx(gap, rel=1e-7, abs=1e-9)


def test_a_shifted_quadratic_forms_its_matrix_only_when_asked():
    """The resisting oracle's every κ is a shift of one A: A + δI is formed on first use, and is then
    what a dense construction gives (same eigenvalues, same f)."""
    base = Quadratic(np.array([[2.0, -1.0], [-1.0, 1.0]]), np.array([1.0, 0.0]))
    ridge = base.shifted(0.5)  # w* solved from A + δI: formed here
    np.testing.assert_array_equal(ridge.A, base.A + 0.5 * np.eye(2))
    known = base.shifted(0.25, w_star=np.linalg.solve(base.A + 0.25 * np.eye(2), base.b))
    assert known._A is None  # not formed until used
    dense = Quadratic(base.A + 0.25 * np.eye(2), base.b)
    np.testing.assert_allclose(known.f([0.3, -0.2]), dense.f([0.3, -0.2]), rtol=1e-14)
    np.testing.assert_array_equal(known.A, base.A + 0.25 * np.eye(2))
    np.testing.assert_allclose(known.eigenvalues, dense.eigenvalues, rtol=1e-14)
