"""Section: polynomial regression — each eigenfeature of the Gram matrix is fitted on its own (Distill,
"Example: Polynomial Regression").

The fit after k steps from w = 0 is Σⱼ cⱼ(1 − rₖ(λⱼ)) φⱼ(ξ): the eigenfeatures φⱼ with large λⱼ are
fitted first, the small ones late — so stopping early is a kind of regularisation.
"""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource, PointDrawTool, Range1d, Span

import momentum_core as mc

from .. import controls, theme
from ..figure import VERDICTS, Figure, momentum, note, readout, rows, small_multiples, step_size, verdict
from ..page_module import page_action, page_callback
from ..url_state import format_number, format_rate, parse_numbers

MAX_DEGREE = len(theme.COMPONENTS) - 1  # one colour per eigenfeature
MAX_STEPS = 10_000
CAP = 1e6  # |rₖ(λ)| above this counts as diverging: curves stop there, the fit saturates
XI = np.linspace(-1.1, 1.1, 400)
#: The iterations drawn in the "fitted" plot: ~400 points evenly spaced on its log axis.
K_SHOWN = np.unique(np.geomspace(1, MAX_STEPS, 400).round().astype(int))
#: A dragged point's value: within ±Y_LIMIT (the plot's height), to 1/Y_SCALE (what the link keeps;
#: the article's data are on that grid too), as round(y·Y_SCALE)/Y_SCALE: the float a link's text reads as.
Y_LIMIT = 2.0
Y_SCALE = 1000
#: The "fitted" plot's key: "λⱼ" in eigenfeature j's colour, in a row along its top (data coordinates:
#: k = 10^(0.06 + 0.4j), evenly spaced on the log axis; 1.55 is above every converged curve). Words
#: in a fixed place: a legend would grow and shrink with the degree, and lay the page out again at
#: every change of it.
KEY = {
    "k": [10 ** (0.06 + 0.4 * j) for j in range(len(theme.COMPONENTS))],
    "y": [1.55] * len(theme.COMPONENTS),
    "text": [f"λ{j + 1}" for j in range(len(theme.COMPONENTS))],
    "color": list(theme.COMPONENTS),
}
FEATURES_NOTE = (
    "Each eigenfeature on its own: dashed, the part of the least-squares fit along it (cⱼφⱼ); solid, "
    "the part fitted after k steps. Drag a data point: the targets move, the eigenvalues do not."
)


@lru_cache(maxsize=MAX_DEGREE)
def problem(degree: int) -> mc.Quadratic:
    """The article's data fitted with degree d: the Gram matrix A = ZᵀZ depends on the points' ξ only,
    so its eigenvalues, eigenvectors and every rₖ(λ) hold for dragged values too."""
    return mc.polynomial_regression(mc.REGRESSION_X, mc.REGRESSION_Y, degree)


@lru_cache(maxsize=MAX_DEGREE)
def projection(degree: int) -> np.ndarray:
    """P with cⱼ = (Py)ⱼ, the least-squares weights of the eigenfeatures for values y at the data's ξ:
    cⱼ = qⱼᵀw* = qⱼᵀA⁻¹Zᵀy = qⱼᵀZᵀy/λⱼ (A's eigenvectors qⱼ, read-only: shared by every session)."""
    quad = problem(degree)
    Z = mc.polynomial_features(mc.REGRESSION_X, degree)
    P = (quad.eigenvectors.T @ Z.T) / quad.eigenvalues[:, None]
    P.flags.writeable = False
    return P


def on_grid(values: object) -> np.ndarray:
    """Values to 1/Y_SCALE: round(y·Y_SCALE)/Y_SCALE (as the page rounds a dragged point)."""
    return np.round(np.asarray(values, dtype=float) * Y_SCALE) / Y_SCALE


def points_text(values: object) -> str:
    """Dragged values as the link keeps them: "" for the article's data, else each to 1/Y_SCALE."""
    values = on_grid(values)
    if np.array_equal(values, mc.REGRESSION_Y):
        return ""
    return ", ".join(f"{v:.3f}".rstrip("0").rstrip(".") or "0" for v in values + 0.0)


def check_points(text: str) -> str:
    """ "" or one value per data point, each within ±Y_LIMIT, to 1/Y_SCALE (ValueError with the reason
    otherwise)."""
    text = text.strip()
    if not text:
        return ""
    values = parse_numbers(text, "data value")
    if len(values) != mc.REGRESSION_X.size:
        raise ValueError(f"the data needs {mc.REGRESSION_X.size} values, got {len(values)}.")
    if max(abs(v) for v in values) > Y_LIMIT:
        raise ValueError(f"data values must be within ±{Y_LIMIT:g}.")
    return points_text(values)


def feature_reach(target: np.ndarray) -> float:
    """Half the height of an eigenfeature's plot: 1.3 × its target's largest value (at least 10⁻³)."""
    return max(float(np.abs(target).max()) * 1.3, 1e-3)


def absent_title(j: int) -> str:
    """The title of eigenfeature j's plot while the degree is below j: the degree that brings it."""
    return f"λ{j + 1}: with degree ≥ {j}"


def data_values(text: str) -> np.ndarray:
    """The data's values for a `points` text ("" is the article's data)."""
    return np.array(parse_numbers(text), dtype=float) if text else mc.REGRESSION_Y


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
    points = param.String("", label="Data values (empty: the article's)")

    key = "regression"
    heading = "Example: polynomial regression"
    caption = (
        "Try: drag the iteration slider — large-eigenvalue features are fitted first, small ones much later."
    )
    url_fields = ("degree", "iteration", "alpha", "beta", "points")
    validators: ClassVar[dict[str, object]] = {"points": check_points}
    showcase = "iteration=300"
    page_module = "regression.js"
    drag_slider = "degree"

    def build(self) -> None:
        y = data_values(self.points)
        self.data = ColumnDataSource(
            {"x": mc.REGRESSION_X.copy(), "y": y.copy()}, name=self.model_name("data")
        )
        self.targets = ColumnDataSource({}, name=self.model_name("targets"))
        fit = theme.plot("The data and the fit after k steps", x_range=(-1.1, 1.1), y_range=(-2, 2.5),
                         x_axis_label="ξ", name=self.model_name("fit_plot"))  # fmt: skip
        fit.line(
            "xi", "best", source=self.targets, color="black", line_dash="dashed", legend_label="least squares"
        )
        fit.line(
            "xi", "fit", source=self.frame, color=theme.MOMENTUM, line_width=2.5, legend_label="after k steps"
        )
        dots = fit.scatter(
            "x", "y", source=self.data, color="black", size=9, legend_label="data: drag a point"
        )
        drag = PointDrawTool(renderers=[dots], add=False, drag=True)
        fit.add_tools(drag)
        fit.toolbar.active_drag = drag
        self.data.on_change("data", self._dragged)

        fitted = theme.plot("Share of each eigenfeature fitted, 1 − rₖ(λⱼ)", x_axis_type="log",
                            x_range=(1, MAX_STEPS), y_range=(-0.6, 1.8), x_axis_label="iteration k",
                            name=self.model_name("fitted_plot"))  # fmt: skip
        self.components = []
        self.feature_plots = []
        for j, color in enumerate(theme.COMPONENTS):
            small = self.plot(f"feature{j}", f"λ{j + 1}", x_range=(-1.1, 1.1), y_range=Range1d(-1, 1),
                              height=170, tools="", toolbar_location=None)  # fmt: skip
            small.xaxis.visible = small.yaxis.visible = False
            small.add_layout(Span(location=0, dimension="width", line_color="#999999", line_width=1))
            self.feature_plots.append(small)
            target = small.line("xi", f"target{j}", source=self.targets, color=color, line_dash="dashed")
            part = small.line("xi", f"part{j}", source=self.frame, color=color, line_width=2.5)
            share = fitted.line("k", f"fitted{j}", source=self.frame, color=color, line_width=2.5)
            self.components.append((target, part, share))
        self.words = ColumnDataSource({name: [] for name in KEY}, name=self.model_name("key"))
        fitted.text("k", "y", "text", source=self.words, text_color="color", text_font_size="13px",
                    text_font_style="bold", text_baseline="middle")  # fmt: skip
        self.marker = Span(
            location=self.iteration, dimension="height", line_dash="dashed", line_color="black"
        )
        fitted.add_layout(self.marker)
        self.plots = (fit, fitted)

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
            controls.button(self, "The article's data", self.reset_points, "reset_points"),
        ]
        self.readout = readout(self.model_name("readout"))
        self._drawn: tuple[int, str] | None = None

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
                "projection": projection(degree).tolist(),
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
            "dataX": mc.REGRESSION_X.tolist(),
            "dataY": mc.REGRESSION_Y.tolist(),
            "yLimit": Y_LIMIT,
            "yScale": Y_SCALE,
            "texts": VERDICTS,
            "key": KEY,
        }

    def page_models(self) -> dict[str, object]:
        return {
            "sliders": self.controls_by_name(),
            "frame": self.frame,
            "targets": self.targets,
            "components": [list(renderers) for renderers in self.components],
            "key": self.words,
            "data": self.data,
            "features": [[fig.title, fig.y_range] for fig in self.feature_plots],
            "marker": self.marker,
            "readout": self.readout,
        }

    def wire_page(self, update: object) -> None:
        """The buttons set α and β, or the data back, in the page (the sliders and the data then tell
        the server); a dragged point is held at its ξ and rounded, then the page repaints."""
        models = {"sliders": self.page_models()["sliders"], "data": self.data}
        for button, action in zip(self.buttons, ("descent", "optimal", "resetPoints"), strict=True):
            button.js_on_click(page_action(update, action, models=models, spec=self.spec_model))
        self.data.js_on_change(
            "data", page_callback(self, "dragged", models={"data": self.data}, spec=self.spec_model)
        )
        self.data.js_on_change("data", update)

    def page_inputs(self) -> list[object]:
        return [self.data]

    def _dragged(self, attr: str, old: dict, new: dict) -> None:
        """The data the page sent (a dragged point): its values become `points` (refused: a notice)."""
        try:
            values = np.asarray(new["y"], dtype=float)
            text = check_points(points_text(values)) if values.shape == mc.REGRESSION_X.shape else None
        except (KeyError, TypeError, ValueError) as error:
            text = None
            self.notify(f"data not taken: {error}")
        if text is not None and text != self.points:
            self.points = text

    def reset_points(self) -> None:
        self.points = ""

    def served_update(self, changed: set[str]) -> None:
        """The data drawn for `points` when it changed here (a link, the reset button)."""
        if "points" in changed:
            self.show_points()
        super().served_update(changed)

    def show_points(self) -> None:
        """The data source's values to `points` unless it shows them already (to 1/Y_SCALE)."""
        y = data_values(self.points)
        if points_text(self.data.data["y"]) != points_text(y):
            self.data.data = {"x": mc.REGRESSION_X.copy(), "y": y.copy()}

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
        weights = projection(self.degree) @ data_values(self.points)  # the fit is Σⱼ cⱼφⱼ
        if self._drawn != (self.degree, self.points):
            self._draw_problem(phi * weights, lam)
        self.show_points()
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
        for j, fig in enumerate(self.feature_plots[:n]):
            fig.title.text = f"λ{j + 1} = {format_number(lam[j])}: {self.share(r, cut, j)}"
        self.show_readout(self.readout, rows(self._readout(r, lam, cut)))

    def share(self, r: np.ndarray, cut: int | None, j: int) -> str:
        """How much of eigenfeature j is fitted after k steps: 100(1 − rₖ(λⱼ)) %, or "diverged"."""
        k = self.iteration
        return "diverged" if cut is not None and k >= cut else f"{100 * (1 - r[k, j]):.1f} %"

    def _draw_problem(self, targets: np.ndarray, lam: np.ndarray) -> None:
        """On a change of degree or data: the least-squares fit, the targets cⱼφⱼ, each eigenfeature's
        plot fitted to its target (±1.3 × its largest value: room for a part that overshoots), the key
        and what is shown. Every eigenfeature's plot keeps its place (the page is not laid out again
        when the degree changes): one the degree does not have is left empty, titled by the degree that
        brings it."""
        n = lam.size
        columns = {"xi": XI, "best": targets.sum(axis=1)}
        columns.update(
            {f"target{j}": targets[:, j] if j < n else np.zeros_like(XI) for j in range(MAX_DEGREE + 1)}
        )
        self.targets.data = columns
        self.words.data = {name: values[:n] for name, values in KEY.items()}
        for j, renderers in enumerate(self.components):
            for renderer in renderers:
                renderer.visible = j < n
            if j < n:
                reach = feature_reach(targets[:, j])
                self.feature_plots[j].y_range.update(start=-reach, end=reach)
            else:
                self.feature_plots[j].title.text = absent_title(j)
        self._drawn = (self.degree, self.points)

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
        fit, fitted = self.plots
        plots = pn.Column(fit, fitted, sizing_mode="stretch_width")
        return pn.Column(
            self.controls_beside([*self.sliders, *self.buttons, self.readout], plots),
            note(FEATURES_NOTE),
            small_multiples(self.feature_plots),
            sizing_mode="stretch_width",
        )
