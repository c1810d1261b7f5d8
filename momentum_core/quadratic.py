"""The convex quadratic model f(w) = ½wᵀAw − bᵀw (Distill, "First Steps")."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]

#: Largest condition number λₙ/λ₁ accepted; past it float64 round-off swamps the maths.
MAX_CONDITION_NUMBER = 1e12
#: Smallest eigenvalue accepted: the smallest normal float (≈ 2.2e-308); below it 1/λ overflows to inf.
SMALLEST_EIGENVALUE = float(np.finfo(float).tiny)


class Quadratic:
    """f(w) = ½wᵀAw − bᵀw with A symmetric positive definite.

    A = Q diag(λ₁…λₙ) Qᵀ with λ ascending (Distill's convention), w* = A⁻¹b,
    f* = f(w*) = −½bᵀw*.
    """

    def __init__(self, A: ArrayLike, b: ArrayLike) -> None:
        A = _finite_array(A, "A")
        if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
            raise ValueError(f"A must be a square n×n matrix, got shape {A.shape}.")
        n = A.shape[0]
        if not np.allclose(A, A.T, rtol=1e-10, atol=1e-12 * np.abs(A).max()):
            raise ValueError("A must be symmetric (A = Aᵀ).")
        b = _finite_array(b, "b")
        if b.shape != (n,):
            raise ValueError(f"b must be a vector of length {n} to match A, got shape {b.shape}.")
        A = (A + A.T) / 2
        eigenvalues, eigenvectors = np.linalg.eigh(A)
        if eigenvalues[0] <= 0:
            raise ValueError(f"A must be positive definite; its smallest eigenvalue is {eigenvalues[0]:.3g}.")
        if eigenvalues[0] < SMALLEST_EIGENVALUE:  # 1/λ, α* = 2/(λ₁ + λₙ) … would overflow to inf
            raise ValueError(
                f"A's smallest eigenvalue {eigenvalues[0]:.3g} is too small to compute with "
                f"(below {SMALLEST_EIGENVALUE:.3g}, the smallest normal float)."
            )
        if eigenvalues[-1] / eigenvalues[0] > MAX_CONDITION_NUMBER:
            raise ValueError(
                f"A is too ill-conditioned (κ = {eigenvalues[-1] / eigenvalues[0]:.3g} > "
                f"{MAX_CONDITION_NUMBER:.0e})."
            )
        self._A: Array | None = A
        self.b: Array = b
        self.eigenvalues: Array = eigenvalues
        self.eigenvectors: Array = eigenvectors
        self.w_star: Array = np.linalg.solve(A, b)
        self.f_star: float = float(-0.5 * b @ self.w_star)

    @classmethod
    def from_eigenvalues(
        cls,
        eigenvalues: ArrayLike,
        eigenvectors: ArrayLike | None = None,
        w_star: ArrayLike | None = None,
    ) -> Quadratic:
        """A = Q diag(λ) Qᵀ (Q = I by default) and b = A w*, so that the optimum is w* (0 by default)."""
        lam = _finite_array(eigenvalues, "eigenvalues")
        if lam.ndim != 1:
            raise ValueError("eigenvalues must be a 1-D list of numbers.")
        Q = np.eye(lam.size) if eigenvectors is None else _finite_array(eigenvectors, "eigenvectors")
        A = Q @ np.diag(lam) @ Q.T
        w_star = np.zeros(lam.size) if w_star is None else _finite_array(w_star, "w_star")
        if w_star.shape != lam.shape:
            raise ValueError(f"w_star must have length {lam.size}, got shape {w_star.shape}.")
        return cls(A, A @ w_star)

    @classmethod
    def ravine(
        cls,
        lam_min: float,
        lam_max: float,
        angle: float = 0.0,
        w_star: ArrayLike = (0.0, 0.0),
    ) -> Quadratic:
        """The article's 2-D ravine: eigenvalues (λ₁, λ₂), eigenvectors rotated by `angle` radians."""
        c, s = np.cos(angle), np.sin(angle)
        return cls.from_eigenvalues([lam_min, lam_max], [[c, -s], [s, c]], w_star)

    def shifted(self, shift: float, w_star: ArrayLike | None = None) -> Quadratic:
        """The quadratic with A + shift·I and the same b: the same eigenvectors, eigenvalues λᵢ + shift,
        without a new eigendecomposition (a ridge added to a fixed A). w* is solved from A + shift·I as in
        the constructor (a solve keeps tiny entries relatively exact; Q diag(1/λ)Qᵀb would not), unless
        the caller knows it in closed form (`w_star`). A + shift·I itself is formed only when asked for
        (`A`): the resisting oracle's every κ is such a shift, and its figure never needs the n × n matrix."""
        eigenvalues = self.eigenvalues + shift
        if not (np.isfinite(shift) and eigenvalues[0] > 0):
            raise ValueError(f"A + {shift:g}·I is not positive definite.")
        if eigenvalues[-1] / eigenvalues[0] > MAX_CONDITION_NUMBER:
            raise ValueError(f"A + {shift:g}·I is too ill-conditioned.")
        shifted = object.__new__(Quadratic)
        shifted._A = None
        shifted._unshifted, shifted._shift = self, float(shift)
        shifted.b = self.b
        shifted.eigenvalues = eigenvalues
        shifted.eigenvectors = self.eigenvectors
        if w_star is None:
            shifted.w_star = np.linalg.solve(shifted.A, self.b)
        else:
            shifted.w_star = np.asarray(w_star, dtype=float)
        shifted.f_star = float(-0.5 * self.b @ shifted.w_star)
        return shifted

    @property
    def A(self) -> Array:
        """The symmetric positive-definite matrix of f (for a `shifted` quadratic, formed on first use)."""
        if self._A is None:
            self._A = self._unshifted.A + self._shift * np.eye(self.dim)
        return self._A

    @property
    def dim(self) -> int:
        return self.b.size

    @property
    def condition_number(self) -> float:
        """κ = λₙ/λ₁."""
        return float(self.eigenvalues[-1] / self.eigenvalues[0])

    def f(self, w: ArrayLike) -> NDArray[np.float64] | float:
        """f(w) = ½wᵀAw − bᵀw for one point (n,) or a batch (..., n)."""
        w = np.asarray(w, dtype=float)
        value = 0.5 * np.einsum("...i,ij,...j->...", w, self.A, w) - w @ self.b
        return float(value) if value.ndim == 0 else value

    def grad(self, w: ArrayLike) -> Array:
        """∇f(w) = Aw − b for one point (n,) or a batch (..., n)."""
        return np.asarray(w, dtype=float) @ self.A - self.b

    def to_eigenbasis(self, w: ArrayLike) -> Array:
        """x = Qᵀ(w − w*), the error in the eigenbasis (Distill, "Decomposing the Error")."""
        return (np.asarray(w, dtype=float) - self.w_star) @ self.eigenvectors

    def from_eigenbasis(self, x: ArrayLike) -> Array:
        """w = w* + Qx."""
        return self.w_star + np.asarray(x, dtype=float) @ self.eigenvectors.T

    def __repr__(self) -> str:
        return f"Quadratic(eigenvalues={self.eigenvalues.tolist()}, w_star={self.w_star.tolist()})"


def _finite_array(value: ArrayLike, name: str) -> Array:
    try:
        array = np.array(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must contain only numbers.") from error
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers (no NaN or infinity).")
    return array
