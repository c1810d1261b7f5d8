"""Independent, deliberately naive implementations the core is checked against."""

import numpy as np


def heavy_ball_loop(A, b, w0, alpha, beta, steps):
    """zᵏ⁺¹ = βzᵏ + (Awᵏ − b), wᵏ⁺¹ = wᵏ − αzᵏ⁺¹, written out step by step."""
    w = np.array(w0, dtype=float)
    z = np.zeros_like(w)
    out = [w.copy()]
    for _ in range(steps):
        z = beta * z + (A @ w - b)
        w = w - alpha * z
        out.append(w.copy())
    return np.array(out)


def pytorch_sgd_loop(A, b, w0, lr, momentum, steps, nesterov=False):
    """torch.optim.SGD's update rule, transcribed (dampening 0, no weight decay)."""
    p = np.array(w0, dtype=float)
    buf = None
    out = [p.copy()]
    for _ in range(steps):
        g = A @ p - b
        buf = g.copy() if buf is None else momentum * buf + g
        p = p - lr * (g + momentum * buf if nesterov else buf)
        out.append(p.copy())
    return np.array(out)


def rate_by_eigvals(alpha, beta, eigenvalues):
    """max over λ of the largest |eigenvalue| of R, via np.linalg.eigvals."""
    return max(
        np.abs(np.linalg.eigvals(np.array([[beta, lam], [-alpha * beta, 1 - alpha * lam]]))).max()
        for lam in np.atleast_1d(eigenvalues)
    )


def random_spd(rng, n, kappa):
    """A random symmetric positive-definite matrix with condition number kappa."""
    Q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    lam = np.geomspace(1.0, kappa, n) if n > 1 else np.array([1.0])
    return Q @ np.diag(lam) @ Q.T
