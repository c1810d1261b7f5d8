"""The (α, β) rate grid at 512 × 512: closed form (momentum_core) vs batched np.linalg.eigvals.

python benchmarks/region_map.py
"""

import time

import numpy as np

import momentum_core as mc

N = 512
EIGENVALUES = np.array([0.01, 1.0])


def by_eigvals(alphas: np.ndarray, betas: np.ndarray) -> np.ndarray:
    """max over λ of the spectral radius of R, with R built for every grid point and eigvals batched."""
    a, b = np.meshgrid(alphas, betas)
    rates = np.zeros_like(a)
    for lam in EIGENVALUES:
        R = np.empty((*a.shape, 2, 2))
        R[..., 0, 0], R[..., 0, 1] = b, lam
        R[..., 1, 0], R[..., 1, 1] = -a * b, 1 - a * lam
        rates = np.maximum(rates, np.abs(np.linalg.eigvals(R)).max(axis=-1))
    return rates


def best_of(fn, repeats: int = 5) -> tuple[float, np.ndarray]:
    best, result = np.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    alphas = np.linspace(1e-3, 4.2, N)
    betas = np.linspace(-0.9, 1.02, N)
    closed_time, closed = best_of(lambda: mc.convergence_rate(alphas[None, :], betas[:, None], EIGENVALUES))
    eig_time, eig = best_of(lambda: by_eigvals(alphas, betas), repeats=2)
    print(f"{N}×{N} grid, eigenvalues {EIGENVALUES.tolist()}")
    print(f"closed form: {closed_time * 1e3:.1f} ms; batched eigvals: {eig_time * 1e3:.1f} ms")
    difference = np.abs(closed - eig).max()
    print(f"speed-up: {eig_time / closed_time:.0f}× (target ≥ 50×); max |difference|: {difference:.2e}")


if __name__ == "__main__":
    main()
