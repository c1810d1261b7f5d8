"""The quadratics a person can type: strict parsing and checks (shared by every figure that takes one).

Eigenvalues "λ₁, λ₂, …" give A = diag(λ); "a, b; c, d" a symmetric 2×2 matrix; f(w) = ½wᵀAw, so w* = 0.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import ClassVar

import numpy as np
import param
from bokeh.plotting.contour import ContourData, contour_data

import momentum_core as mc

from . import controls, theme
from .figure import Figure
from .url_state import format_number, parse_numbers

MAX_DIMENSION = 12
MAX_KAPPA = 1e8
MAX_EIGENVALUE = 1e8
LEVELS = len(theme.CONTOUR_FILL)


@lru_cache(maxsize=32)
def problem_from_text(text: str) -> mc.Quadratic:
    """Eigenvalues "λ₁, λ₂, …" (A = diag(λ)) or a symmetric 2×2 matrix "a, b; c, d"; else ValueError."""
    if ";" in text:
        rows_ = [parse_numbers(row, "matrix entry") for row in text.split(";") if row.strip()]
        if len(rows_) != 2 or any(len(row) != 2 for row in rows_):
            raise ValueError("a matrix must be 2×2, written as 'a, b; c, d'.")
        A = np.array(rows_)
        if not np.isclose(A[0, 1], A[1, 0], rtol=1e-12, atol=0):
            raise ValueError(
                f"the matrix is not symmetric ({format_number(A[0, 1])} ≠ {format_number(A[1, 0])})."
            )
        eigenvalues = np.linalg.eigvalsh(A)
    else:
        eigenvalues = np.array(parse_numbers(text, "eigenvalue"))
        if eigenvalues.size > MAX_DIMENSION:
            raise ValueError(f"at most {MAX_DIMENSION} eigenvalues, got {eigenvalues.size}.")
        A = np.diag(eigenvalues)
    if np.abs(eigenvalues).max() > MAX_EIGENVALUE:
        raise ValueError(f"eigenvalues must be at most {MAX_EIGENVALUE:.0e} in size.")
    if eigenvalues.min() <= 0:
        raise ValueError(
            f"A must be positive definite, but it has the eigenvalue {format_number(eigenvalues.min())}."
        )
    if eigenvalues.max() / eigenvalues.min() > MAX_KAPPA:
        kappa = eigenvalues.max() / eigenvalues.min()
        raise ValueError(f"κ = {format_number(kappa)} is too ill-conditioned (at most {MAX_KAPPA:.0e}).")
    return mc.Quadratic(A, np.zeros(len(A)))


def problem_spec(problem: mc.Quadratic) -> dict[str, object]:
    """A problem as momentum_core decomposed it (its eigenvectors as eigh gave them), for a page module."""
    return {
        "eigenvalues": problem.eigenvalues.tolist(),
        "eigenvectors": problem.eigenvectors.tolist(),
        "w_star": problem.w_star.tolist(),
        "A": problem.A.tolist(),
        "b": problem.b.tolist(),
        "f_star": problem.f_star,
    }


def check_problem(text: str) -> str:
    problem_from_text(text.strip())
    return text.strip()


def check_start(text: str) -> str:
    numbers = parse_numbers(text, "coordinate")
    if len(numbers) > MAX_DIMENSION:
        raise ValueError(f"at most {MAX_DIMENSION} coordinates.")
    if max(abs(v) for v in numbers) > 1e6:
        raise ValueError("coordinates must be at most 10⁶ in size.")
    return ", ".join(format_number(v) for v in numbers)


class ProblemFigure(Figure):
    """A figure that can switch from its own quadratic to a typed one (its `problem` field; "" = its own)."""

    problem = param.String("", label="Your problem (empty: the figure's own)")
    default_problem: ClassVar[mc.Quadratic]
    dimensions: ClassVar[tuple[int, int]] = (2, 2)  # the smallest and largest n the figure can draw

    @property
    def validators(self) -> dict[str, Callable[[str], str]]:
        return {"problem": self.check_problem}

    def check_problem(self, text: str) -> str:
        """ "" or a valid problem of an allowed dimension (ValueError with the reason otherwise)."""
        text = text.strip()
        low, high = self.dimensions
        if text and not low <= problem_from_text(text).dim <= high:
            wanted = (
                "2 eigenvalues or a 2×2 matrix" if (low, high) == (2, 2) else f"{low} to {high} eigenvalues"
            )
            raise ValueError(f"this figure needs {wanted}.")
        return text

    def quad(self) -> mc.Quadratic:
        return problem_from_text(self.problem) if self.problem else self.default_problem

    def problem_input(self) -> object:
        example = "e.g. 1, 4  or  2, 0.5; 0.5, 1" if self.dimensions == (2, 2) else "e.g. 0.5 1 2 4"
        return controls.text(self, "problem", self.check_problem, self.notify, placeholder=example)


def contours(
    problem: mc.Quadratic, x_range: tuple[float, float], y_range: tuple[float, float]
) -> ContourData:
    """Filled-contour data of f − f* over a view: LEVELS bands, geometric from 10⁻⁴ of the largest gap."""
    xs, ys = np.linspace(*x_range, 200), np.linspace(*y_range, 120)
    gap = problem.f(np.stack(np.meshgrid(xs, ys), axis=-1)) - problem.f_star
    top = max(float(gap.max()), 1e-12)
    levels = np.concatenate([[0.0], np.geomspace(top * 1e-4, top, LEVELS)])
    return contour_data(xs, ys, gap, levels)


def contour_renderer(fig: object, problem: mc.Quadratic, x_range: tuple, y_range: tuple) -> object:
    """Filled contours of `problem` on `fig` in the project's greys; update with `.set_data(contours(…))`."""
    data = contours(problem, x_range, y_range)
    xs, ys = np.linspace(*x_range, 3), np.linspace(*y_range, 3)
    style = {"fill_color": theme.CONTOUR_FILL, "line_color": "#cccccc", "line_alpha": 0.5}
    renderer = fig.contour(xs, ys, np.zeros((3, 3)), np.linspace(0, 1, LEVELS + 1), **style)
    renderer.set_data(data)
    return renderer
