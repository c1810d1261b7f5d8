"""Momentum on a small network: where the local-quadratic picture holds, and where it does not.

A two-layer network on the breast-cancer data (`momentum_core.model`): 31 inputs (the 30 standardised
features and a bias), HIDDEN tanh units, one output, the same logistic loss and L2 penalty μ:

    f(θ) = (1/m) Σᵢ [log(1 + e^{zᵢ}) − yᵢzᵢ] + (μ/2)‖θ‖²,   zᵢ = c + vᵀ tanh(W xᵢ),   θ = (W, v, c).

Its loss is not convex: the Hessian ∇²f(θ) changes along a run, and may have negative eigenvalues. At
each θ the loss is locally a quadratic with that Hessian, and a step α with momentum β is stable on it
only when αλₙ(θ) < 2(1 + β) (the quadratic's edge). Measuring λₙ(θᵏ) — by Lanczos on Hessian-vector
products — along the run shows where the local picture predicts what the run does and where it does not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .model import REGULARISATION, curvature

Array = NDArray[np.float64]

#: Hidden units: 8 × 31 + 8 + 1 = 257 weights.
HIDDEN = 8
#: The start θ⁰: W ~ N(0, 1/31), v ~ N(0, 1/8), c = 0, from this seed (the same start every time).
SEED = 0
#: The complex step ε of `complex_step_hessian_vector`: Im ∇f(θ + iεu)/ε has no cancellation, so ε can
#: be tiny and the product exact to round-off (its error is O(ε²)).
COMPLEX_STEP = 1e-30


@dataclass(frozen=True, eq=False)
class TwoLayerNetwork:
    """f(θ) for zᵢ = c + vᵀ tanh(W xᵢ), its gradient by back-propagation and Hessian-vector products."""

    X: Array
    y: Array
    hidden: int = HIDDEN
    regularisation: float = REGULARISATION

    @property
    def dim(self) -> int:
        return self.hidden * self.X.shape[1] + self.hidden + 1

    def unpack(self, theta: ArrayLike) -> tuple[Array, Array, Array]:
        """θ as (W: hidden × inputs, v: hidden, c)."""
        theta = np.asarray(theta)
        inputs = self.X.shape[1]
        cut = self.hidden * inputs
        return theta[:cut].reshape(self.hidden, inputs), theta[cut : cut + self.hidden], theta[-1]

    @cached_property
    def start(self) -> Array:
        """θ⁰: small random weights (fan-in scaled), the output bias 0."""
        rng = np.random.default_rng(SEED)
        inputs = self.X.shape[1]
        W = rng.normal(size=self.hidden * inputs) / np.sqrt(inputs)
        return np.concatenate([W, rng.normal(size=self.hidden) / np.sqrt(self.hidden), [0.0]])

    def forward(self, theta: ArrayLike) -> tuple[Array, Array]:
        """The hidden activations H = tanh(XWᵀ) (m × hidden) and the outputs z = c + Hv."""
        W, v, c = self.unpack(theta)
        H = np.tanh(self.X @ W.T)
        return H, c + H @ v

    def loss(self, theta: ArrayLike) -> float:
        return self.loss_and_gradient(theta)[0]

    def gradient(self, theta: ArrayLike) -> Array:
        return self.loss_and_gradient(theta)[1]

    def loss_and_gradient(self, theta: ArrayLike) -> tuple[float, Array]:
        """f(θ) and ∇f(θ) from one forward pass; ∇f by back-propagation: r = (σ(z) − y)/m with
        σ(z) = ½(1 + tanh(z/2)), ∂v = Hᵀr, ∂c = Σr, ∂W = ((r vᵀ) ⊙ (1 − H²))ᵀX, + μθ. Written with
        analytic functions only (no max, abs or branch), so that a complex θ gives ∇f(θ + iεu) for
        `complex_step_hessian_vector` (the loss is then meaningless, and unused)."""
        theta = np.asarray(theta)
        _, v, _ = self.unpack(theta)
        H, z = self.forward(theta)
        r = (0.5 * (1.0 + np.tanh(0.5 * z)) - self.y) / len(self.y)
        delta = (r[:, None] * v[None, :]) * (1.0 - H * H)
        gradient = (
            np.concatenate([(delta.T @ self.X).ravel(), H.T @ r, [r.sum()]]) + self.regularisation * theta
        )
        if np.iscomplexobj(theta):
            return np.nan, gradient
        penalty = 0.5 * self.regularisation * theta @ theta
        return float(np.mean(np.logaddexp(0.0, z) - self.y * z) + penalty), gradient

    def hessian_vector(self, theta: ArrayLike, u: ArrayLike) -> Array:
        """∇²f(θ)u by forward-mode differentiation of the back-propagation along u = (U, a, b)
        (Pearlmutter's R-operator, R{·} = d/dt ·(θ + tu) at t = 0):
        R{H} = (1 − H²) ⊙ XUᵀ, R{z} = b + R{H}v + Ha, R{r} = σ(1 − σ)R{z}/m,
        R{∂v} = R{H}ᵀr + HᵀR{r}, R{∂c} = ΣR{r},
        R{∂W} = ((R{r}vᵀ + raᵀ) ⊙ (1 − H²) − 2(rvᵀ) ⊙ H ⊙ R{H})ᵀX, + μu."""
        theta, u = np.asarray(theta, dtype=float), np.asarray(u, dtype=float)
        _, v, _ = self.unpack(theta)
        U, a, b = self.unpack(u)
        H, z = self.forward(theta)
        m = len(self.y)
        s = 0.5 * (1.0 + np.tanh(0.5 * z))
        r = (s - self.y) / m
        slope = 1.0 - H * H
        RH = slope * (self.X @ U.T)
        Rr = s * (1.0 - s) * (b + RH @ v + H @ a) / m
        Rdelta = (Rr[:, None] * v[None, :] + r[:, None] * a[None, :]) * slope
        Rdelta -= 2.0 * (r[:, None] * v[None, :]) * H * RH
        products = [(Rdelta.T @ self.X).ravel(), RH.T @ r + H.T @ Rr, [Rr.sum()]]
        return np.concatenate(products) + self.regularisation * u

    def complex_step_hessian_vector(self, theta: ArrayLike, u: ArrayLike) -> Array:
        """∇²f(θ)u = Im ∇f(θ + iεu)/ε, the complex-step derivative of the gradient along u: no
        cancellation, so exact to round-off for a tiny ε — an independent check of `hessian_vector`."""
        shifted = np.asarray(theta, dtype=float) + 1j * COMPLEX_STEP * np.asarray(u, dtype=float)
        return self.gradient(shifted).imag / COMPLEX_STEP

    def hessian(self, theta: ArrayLike) -> Array:
        """∇²f(θ), column by column (257 products: for tests)."""
        return np.column_stack([self.hessian_vector(theta, e) for e in np.eye(self.dim)])


@dataclass(frozen=True)
class NetworkRun:
    """A heavy-ball run of the network from θ⁰: loss and gradient norm at every step, and the Hessian's
    largest eigenvalue λₙ(θᵏ) at the steps `measured` (Lanczos)."""

    loss: Array
    gradient_norm: Array
    measured: Array
    sharpness: Array
    last: Array  # θ at the last step

    @property
    def steps(self) -> int:
        return len(self.loss) - 1


def network_run(
    net: TwoLayerNetwork,
    alpha: float,
    beta: float,
    steps: int,
    measures: int = 20,
    tol: float = 1e-6,
    checkpoint: Callable[[], None] | None = None,
) -> NetworkRun:
    """Heavy ball zᵏ⁺¹ = βzᵏ + ∇f(θᵏ), θᵏ⁺¹ = θᵏ − αzᵏ⁺¹ (β = 0: gradient descent) from θ⁰ for `steps`
    steps, λₙ measured at `measures` + 1 evenly spaced steps (to `tol`: a plot's precision). A run whose
    loss or gradient leaves the floats stops at its last finite step.

    `checkpoint()`, if given, is called before each step and each measurement: a caller that no longer
    wants the run (a reader has moved on) raises there, and the run stops at once with that exception."""
    checkpoint = checkpoint or (lambda: None)
    theta, z = net.start.copy(), np.zeros(net.dim)
    losses, norms, iterates = [], [], []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps + 1):
            checkpoint()
            loss, gradient = net.loss_and_gradient(theta)
            norm = float(np.linalg.norm(gradient))
            if not (np.isfinite(loss) and np.isfinite(norm)):
                break
            losses.append(loss)
            norms.append(norm)
            iterates.append(theta)
            z = beta * z + gradient
            theta = theta - alpha * z
    measured = np.unique(np.linspace(0, len(losses) - 1, measures + 1).round().astype(int))
    sharpness = []
    for k in measured:
        checkpoint()
        sharpness.append(curvature(net, iterates[k], "LA", tol))
    return NetworkRun(np.array(losses), np.array(norms), measured, np.array(sharpness), iterates[-1])
