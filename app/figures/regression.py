"""Section: polynomial regression — each eigenfeature of the Gram matrix is fitted on its own (Distill,
"Example: Polynomial Regression").

The fit after k steps from w = 0 is Σⱼ cⱼ(1 − rₖ(λⱼ)) φⱼ(ξ): the eigenfeatures φⱼ with large λⱼ are
fitted first, the small ones late — so stopping early is a kind of regularisation.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource, Span

import momentum_core as mc

from .. import controls, theme
from ..figure import VERDICTS, Figure, momentum, readout, rows, side_by_side, step_size, verdict
from ..page_module import page_callback
from ..url_state import format_number, format_rate

MAX_DEGREE = len(theme.COMPONENTS) - 1  # one colour per eigenfeature
MAX_STEPS = 10_000
CAP = 1e6  # |rₖ(λ)| above this counts as diverging: curves stop there, the fit saturates
XI = np.linspace(-1.1, 1.1, 400)
#: The iterations drawn in the "fitted" plot: ~400 points evenly spaced on its log axis.
K_SHOWN = np.unique(np.geomspace(1, MAX_STEPS, 400).round().astype(int))


@lru_cache(maxsize=MAX_DEGREE)
def problem(degree: int) -> mc.Quadratic:
    return mc.polynomial_regression(mc.REGRESSION_X, mc.REGRESSION_Y, degree)


@lru_cache(maxsize=32)
def factors(degree: int, alpha: float, beta: float) -> np.ndarray:
    """rₖ(λⱼ) for k = 0…MAX_STEPS, columns by ascending λ (cached: the iteration slider picks a row)."""
    return mc.residual_factors(problem(degree), alpha, beta, MAX_STEPS)


def saturate(values: np.ndarray) -> np.ndarray:
    """Finite values for the browser: ±inf and overflow shown at ±CAP."""
    return np.clip(np.nan_to_num(values, nan=CAP, posinf=CAP, neginf=-CAP), -CAP, CAP)


class Regression(Figure):
    """A polynomial of degree d fitted to 12 points by heavy ball (β = 0: gradient descent) from w = 0."""

    degree = param.Integer(5, bounds=(1, MAX_DEGREE), label="Degree d")
    iteration = param.Integer(100, bounds=(1, MAX_STEPS), label="Iteration k")
    alpha = step_size(0.06, 1e-4, 0.3)
    beta = momentum(0.0)

    key = "regression"
    heading = "Example: polynomial regression"
    caption = (
        "Try: drag the iteration slider — large-eigenvalue features are fitted first, small ones much later."
    )
    url_fields = ("degree", "iteration", "alpha", "beta")
    showcase = "iteration=300"
    page_module = "regression.js"
    drag_slider = "degree"

    def build(self) -> None:
        data = ColumnDataSource({"x": mc.REGRESSION_X, "y": mc.REGRESSION_Y}, name=self.model_name("data"))
        self.targets = ColumnDataSource({}, name=self.model_name("targets"))
        fit = theme.plot("The data and the fit after k steps", x_range=(-1.1, 1.1), y_range=(-2, 2.5),
                         x_axis_label="ξ", name=self.model_name("fit_plot"))  # fmt: skip
        fit.line(
            "xi", "best", source=self.targets, color="black", line_dash="dashed", legend_label="least squares"
        )
        fit.line(
            "xi", "fit", source=self.frame, color=theme.MOMENTUM, line_width=2.5, legend_label="after k steps"
        )
        fit.scatter("x", "y", source=data, color="black", size=7, legend_label="data")  # fmt: skip

        parts = theme.plot("Eigenfeatures cⱼφⱼ(ξ): fitted (solid), target (dashed)",
                           x_range=(-1.1, 1.1), y_range=(-2.5, 2.5), x_axis_label="ξ",
                           name=self.model_name("parts_plot"))  # fmt: skip
        fitted = theme.plot("Share of each eigenfeature fitted, 1 − rₖ(λⱼ)", x_axis_type="log",
                            x_range=(1, MAX_STEPS), y_range=(-0.6, 1.8), x_axis_label="iteration k",
                            name=self.model_name("fitted_plot"))  # fmt: skip
        self.components = []
        for j, color in enumerate(theme.COMPONENTS):
            target = parts.line("xi", f"target{j}", source=self.targets, color=color, line_dash="dashed")
            part = parts.line("xi", f"part{j}", source=self.frame, color=color, line_width=2.5)
            share = fitted.line("k", f"fitted{j}", source=self.frame, color=color, line_width=2.5,
                                legend_label=f"λ{j + 1}")  # fmt: skip
            self.components.append((target, part, share))
        fitted.legend.ncols = 2  # its labels become "λ1 = 0.01023" (update)
        self.marker = Span(
            location=self.iteration, dimension="height", line_dash="dashed", line_color="black"
        )
        fitted.add_layout(self.marker)
        self.plots = (fit, parts, fitted)

        notify = self.notify
        self.sliders = [
            controls.slider(self, "degree", notify, step=1),
            controls.slider(self, "iteration", notify, step=0.005, log=True, digits=5),
            controls.slider(self, "alpha", notify, step=0.005, log=True),
            controls.slider(self, "beta", notify, step=0.001),
        ]
        self.buttons = [
            controls.button(self, "Gradient descent: β = 0, α = 2/(λ₁ + λₙ)", self.set_descent, "descent"),
            controls.button(self, "Momentum: optimal α and β", self.set_optimal, "optimal"),
        ]
        self.readout = readout(self.model_name("readout"))
        self._drawn_degree = None

    def page_spec(self) -> dict[str, object]:
        """Per degree, the Gram matrix as momentum_core decomposed it: eigenvalues, eigenvectors, the
        least-squares weights cⱼ, the start of each eigencomponent's recursion (as residual_factors
        starts it) and the buttons' (α, β); the grids and constants."""
        problems = []
        for degree in range(1, MAX_DEGREE + 1):
            quad = problem(degree)
            lam = quad.eigenvalues
            problems.append({
                "eigenvalues": lam.tolist(),
                "eigenvectors": quad.eigenvectors.tolist(),
                "weights": (quad.eigenvectors.T @ quad.w_star).tolist(),
                "x0": quad.to_eigenbasis(quad.from_eigenbasis(np.ones(quad.dim))).tolist(),
                "descent": [mc.optimal_step_size(lam[0], lam[-1]), 0.0],
                "optimal": list(mc.optimal_parameters(lam[0], lam[-1])),
            })  # fmt: skip
        return {
            "problems": problems,
            "xi": [float(XI[0]), float(XI[-1]), XI.size],
            "kShown": K_SHOWN.tolist(),
            "cap": CAP,
            "maxSteps": MAX_STEPS,
            "components": len(theme.COMPONENTS),
            "texts": VERDICTS,
        }

    def page_models(self) -> dict[str, object]:
        return {
            "sliders": self.controls_by_name(),
            "frame": self.frame,
            "targets": self.targets,
            "components": [list(renderers) for renderers in self.components],
            "legend": self.plots[2].legend[0],
            "marker": self.marker,
            "readout": self.readout,
        }

    def wire_page(self, update: object) -> None:
        """The buttons set α and β in the page (the sliders then tell the server)."""
        sliders = {"sliders": self.page_models()["sliders"]}
        for button, action in zip(self.buttons, ("descent", "optimal"), strict=True):
            button.js_on_click(page_callback(self, action, models=sliders, spec=self.spec_model))

    def eigenvalues(self) -> np.ndarray:
        return problem(self.degree).eigenvalues

    def set_descent(self) -> None:
        lam = self.eigenvalues()
        self.param.update(alpha=mc.optimal_step_size(lam[0], lam[-1]), beta=0.0)  # as regression.js

    def set_optimal(self) -> None:
        lam = self.eigenvalues()
        alpha, beta = mc.optimal_parameters(lam[0], lam[-1])
        self.param.update(alpha=alpha, beta=beta)

    def update(self) -> None:
        quad = problem(self.degree)
        lam, n = quad.eigenvalues, quad.dim
        phi = mc.eigenfeatures(quad, XI)
        weights = quad.eigenvectors.T @ quad.w_star  # cⱼ: the least-squares fit is Σⱼ cⱼφⱼ
        if self._drawn_degree != self.degree:
            self._draw_problem(phi * weights, lam)
        r = factors(self.degree, self.alpha, self.beta)
        cut = mc.divergence_step(r, bound=CAP)
        shown_k = K_SHOWN if cut is None else K_SHOWN[max(cut, 2) > K_SHOWN]
        done = saturate(1 - r[self.iteration])
        columns = {"xi": XI, "fit": saturate(phi @ (weights * done)), "k": shown_k}
        for j in range(len(theme.COMPONENTS)):
            inside = j < n
            columns[f"part{j}"] = saturate(phi[:, j] * weights[j] * done[j]) if inside else [0.0]
            columns[f"fitted{j}"] = saturate(1 - r[shown_k, j]) if inside else [0.0]
        self.publish(**columns)
        self.marker.location = self.iteration
        self.show_readout(self.readout, rows(self._readout(r, lam, cut)))

    def _draw_problem(self, targets: np.ndarray, lam: np.ndarray) -> None:
        """On a change of degree: the least-squares fit, the targets cⱼφⱼ, labels and visibility."""
        n = lam.size
        columns = {"xi": XI, "best": targets.sum(axis=1)}
        columns.update(
            {f"target{j}": targets[:, j] if j < n else np.zeros_like(XI) for j in range(MAX_DEGREE + 1)}
        )
        self.targets.data = columns
        legend = self.plots[2].legend[0]
        for j, renderers in enumerate(self.components):
            for renderer in renderers:
                renderer.visible = j < n
            legend.items[j].visible = j < n
            if j < n:
                legend.items[j].label = {"value": f"λ{j + 1} = {format_number(lam[j])}"}
        self._drawn_degree = self.degree

    def _readout(self, r: np.ndarray, lam: np.ndarray, cut: int | None) -> list[tuple[str, str]]:
        rate = mc.convergence_rate(self.alpha, self.beta, lam)
        status = verdict(rate < 1)
        method = "gradient descent" if self.beta == 0 else "momentum"
        k = self.iteration
        lines = [
            (f"<b>{method}</b>", status),
            ("κ = λₙ/λ₁ of the Gram matrix ZᵀZ", format_number(lam[-1] / lam[0])),
            ("rate max|σ(R)|", format_rate(rate)),
            ("<b>eigenfeature</b>", f"<b>fitted after {k} steps · steps to 99 %</b>"),
        ]
        for j in reversed(range(lam.size)):
            reach = mc.iterations_to_reach(r[:, j : j + 1], np.zeros(1), 0.01)
            share = "diverged" if cut is not None and k >= cut else f"{100 * (1 - r[k, j]):.1f} %"
            steps = str(reach) if reach is not None else f"> {MAX_STEPS}"
            lines.append((f"λ{j + 1} = {format_number(lam[j])}", f"{share} · {steps}"))
        return lines

    def layout(self) -> pn.viewable.Viewable:
        fit, parts, fitted = self.plots
        plots = pn.Column(side_by_side(fit, parts), fitted, sizing_mode="stretch_width")
        return self.controls_beside([*self.sliders, *self.buttons, self.readout], plots)
