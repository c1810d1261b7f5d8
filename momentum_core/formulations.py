"""One method, four spellings: the heavy ball as Polyak, PyTorch, Keras and the EMA form write it.

Each runs the library's own update rule step by step on a quadratic; with the hyper-parameters converted
by `equivalent_settings` all four produce the same iterates as `heavy_ball(α, β)` (textbook 001).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .quadratic import Quadratic

Array = NDArray[np.float64]
Update = Callable[[Array, Array, Array], tuple[Array, Array]]  # (w, state, gradient) → (w, state)


def _run(problem: Quadratic, w0: ArrayLike, steps: int, update: Update, at_look_ahead: bool = False) -> Array:
    """w⁰ and `steps` updates (w, state, ∇f(w)) → (w, state); an update `at_look_ahead` gets ∇f itself
    (to take it elsewhere). From the first row past the floats every entry is inf."""
    w = np.array(w0, dtype=float)
    state = np.zeros_like(w)
    out = [w.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            w, state = update(w, state, problem.grad if at_look_ahead else problem.grad(w))
            out.append(w.copy())
    iterates = np.array(out)
    bad = ~np.all(np.isfinite(iterates), axis=1)
    if bad.any():
        iterates[int(np.argmax(bad)) :] = np.inf
    return iterates


def polyak(problem: Quadratic, w0: ArrayLike, alpha: float, beta: float, steps: int) -> Array:
    """Polyak 1964: wᵏ⁺¹ = wᵏ − α∇f(wᵏ) + β(wᵏ − wᵏ⁻¹), with w⁻¹ = w⁰ (state: the last step)."""

    def update(w: Array, last_step: Array, g: Array) -> tuple[Array, Array]:
        step = -alpha * g + beta * last_step
        return w + step, step

    return _run(problem, w0, steps, update)


def pytorch_sgd(problem: Quadratic, w0: ArrayLike, lr: float, momentum: float, steps: int) -> Array:
    """torch.optim.SGD(lr, momentum): buf ← momentum·buf + g, w ← w − lr·buf (buf starts at g)."""

    def update(w: Array, buf: Array, g: Array) -> tuple[Array, Array]:
        buf = momentum * buf + g
        return w - lr * buf, buf

    return _run(problem, w0, steps, update)


def heavy_ball_steps(problem: Quadratic, w0: ArrayLike, alpha: float, beta: float, steps: int) -> Array:
    """The heavy ball zᵏ⁺¹ = βzᵏ + ∇f(wᵏ), wᵏ⁺¹ = wᵏ − αzᵏ⁺¹ (z⁰ = 0) run step by step: the iterates of
    `trajectories.heavy_ball` (PyTorch's spelling is Distill's form), with round-off relative to each
    coordinate's own values. Where the closed form's w* + Qx cancels components of 10¹⁴ to a value
    that is exactly 0 — a diverging run on a path graph, whose far pixels the colour has not reached
    after k steps — it leaves round-off there; a step-by-step run leaves the 0.
    """
    return pytorch_sgd(problem, w0, alpha, beta, steps)


def nesterov_steps(problem: Quadratic, w0: ArrayLike, alpha: float, beta: float, steps: int) -> Array:
    """Nesterov in the look-ahead form zᵏ⁺¹ = βzᵏ + ∇f(wᵏ − αβzᵏ), wᵏ⁺¹ = wᵏ − αzᵏ⁺¹ (z⁰ = 0), step by step:
    the iterates of `trajectories.nesterov`, with round-off relative to each coordinate's own values
    (as `heavy_ball_steps`)."""

    def update(w: Array, z: Array, grad: Callable[[Array], Array]) -> tuple[Array, Array]:
        z = beta * z + grad(w - alpha * beta * z)
        return w - alpha * z, z

    return _run(problem, w0, steps, update, at_look_ahead=True)


def keras_sgd(problem: Quadratic, w0: ArrayLike, learning_rate: float, momentum: float, steps: int) -> Array:
    """keras.optimizers.SGD(learning_rate, momentum): v ← momentum·v − learning_rate·g, w ← w + v."""

    def update(w: Array, v: Array, g: Array) -> tuple[Array, Array]:
        v = momentum * v - learning_rate * g
        return w + v, v

    return _run(problem, w0, steps, update)


def ema_sgd(problem: Quadratic, w0: ArrayLike, lr: float, beta: float, steps: int) -> Array:
    """The EMA form: v ← βv + (1 − β)g, w ← w − lr·v (v is an average of gradients, not a sum)."""

    def update(w: Array, v: Array, g: Array) -> tuple[Array, Array]:
        v = beta * v + (1 - beta) * g
        return w - lr * v, v

    return _run(problem, w0, steps, update)


def equivalent_settings(alpha: float, beta: float) -> dict[str, dict[str, float]]:
    """The hyper-parameters that make each spelling equal heavy ball with step α and momentum β (β < 1).

    Polyak, PyTorch and Keras take (α, β) as they are; the EMA form averages instead of summing, so its
    learning rate is α/(1 − β).
    """
    if not beta < 1:
        raise ValueError(f"the EMA form needs β < 1, got β = {beta}.")
    return {
        "polyak": {"alpha": alpha, "beta": beta},
        "pytorch": {"lr": alpha, "momentum": beta},
        "keras": {"learning_rate": alpha, "momentum": beta},
        "ema": {"lr": alpha / (1 - beta), "beta": beta},
    }
