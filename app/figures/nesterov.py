"""Section: Nesterov's momentum against the heavy ball on the ravine, at the same (α, β).

Nesterov evaluates the gradient at the look-ahead point w − αβz (Sutskever et al. 2013): its matrix has
trace (1 + β)(1 − αλ) and determinant β(1 − αλ), so stiff components are damped harder than by the
heavy ball (determinant β).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

import momentum_core as mc

from .. import theme
from .ravine import Ravine


class NesterovRavine(Ravine):
    """The ravine figure with the Nesterov path in place of gradient descent."""

    key = "nesterov"
    heading = "Nesterov's momentum against the heavy ball"
    caption = "Try: raise β with the same α for both — Nesterov's path ripples less across the ravine."
    url_fields = ("alpha", "beta", "steps", "x0", "y0", "problem")
    showcase = "alpha=0.1&beta=0.9&steps=150"
    drag_slider = "steps"
    PATHS: ClassVar[dict[str, tuple[str, str]]] = {
        "momentum": ("Heavy ball", theme.MOMENTUM),
        "nesterov": ("Nesterov (look-ahead gradient)", theme.COMPONENTS[2]),
    }

    def runs(self, start: tuple[float, float]) -> dict[str, tuple[np.ndarray, float]]:
        quad = self.quad()
        nesterov = mc.nesterov(quad, start, self.alpha, self.beta, self.steps)
        return {
            "momentum": self.heavy_ball_run(start, self.beta),
            "nesterov": (nesterov, mc.nesterov_rate(self.alpha, self.beta, quad.eigenvalues)),
        }
