"""Section: colorization on a path graph — a seeded colour spreads pixel by pixel (Distill, "Colorization").

f(w) = ½Σ(wᵢ − wᵢ₊₁)² + ½(w₀ − 1)²: information moves one pixel per step, and the Laplacian's small
eigenvalues make plain descent slow; momentum spreads the colour about √κ times faster.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import panel as pn
import param
from bokeh.models import (
    BoxAnnotation,
    ColorBar,
    ColumnDataSource,
    FixedTicker,
    Label,
    LinearColorMapper,
    Range1d,
    Span,
)
from bokeh.palettes import Cividis256

import momentum_core as mc

from .. import controls, theme
from ..figure import (
    VERDICTS,
    Figure,
    momentum,
    on_log_axis,
    publish,
    readout,
    rows,
    side_by_side,
    step_size,
    verdict,
)
from ..page_module import page_action
from ..url_state import format_number, format_rate

MAX_STEPS = 1000
DEFAULT_PIXELS = 60
CAP = 1e6  # a relative error above this counts as diverging; curves stop and pixels saturate there


@lru_cache(maxsize=8)
def problem(n: int) -> mc.Quadratic:
    return mc.colorization(n)


def optimum(n: int) -> tuple[float, float]:
    lam = problem(n).eigenvalues
    return mc.optimal_parameters(lam[0], lam[-1])


def colour(value: float) -> str:
    """A pixel's colour to four decimals: the colour scale's resolution (a value of 10⁻¹⁴ is round-off
    in the closed form's w* + Qx, where a step-by-step run would give 10⁻²⁸: both are black)."""
    text = f"{value:.4f}"
    return "0.0000" if text == "-0.0000" else text


def relative_errors(iterates: np.ndarray, target: np.ndarray) -> np.ndarray:
    """‖wᵏ − w*‖ / ‖w⁰ − w*‖ (inf past divergence)."""
    with np.errstate(over="ignore", invalid="ignore"):
        errors = np.linalg.norm(iterates - target, axis=1)
    errors = np.where(np.isfinite(errors), errors, np.inf)
    return errors / errors[0]


class Colorization(Figure):
    """Pixel 0 holds the colour; gradient descent at its best step vs momentum at (α, β)."""

    pixels = param.Integer(DEFAULT_PIXELS, bounds=(2, 200), label="Pixels n")
    iteration = param.Integer(100, bounds=(0, MAX_STEPS), label="Iteration k")
    alpha = step_size(optimum(DEFAULT_PIXELS)[0], 1e-3, 1.2)
    beta = momentum(optimum(DEFAULT_PIXELS)[1])

    key = "colorization"
    heading = "Example: colorization on a path graph"
    caption = "Try: drag the iteration — with momentum the colour reaches the far end of the row much sooner."
    url_fields = ("pixels", "iteration", "alpha", "beta")
    showcase = "iteration=60"
    page_module = "colorization.js"
    drag_slider = "pixels"
    FLOOR = 1e-16  # errors below round-off are drawn here (log axis)

    def build(self) -> None:
        self.mapper = LinearColorMapper(palette=Cividis256, low=0.0, high=1.0)
        pixels = theme.plot("The colour after k iterations (pixel 0 is seeded with 1)", height=250,
                            x_range=Range1d(-0.5, self.pixels - 0.5), y_range=(-0.6, 1.6), tools="save",
                            x_axis_label="pixel", name=self.model_name("pixels_plot"))  # fmt: skip
        # The pixel rows in a source of their own, n rows long: in the frame, padded to the curves' 1 001
        # steps, the last pixel was drawn 942 times over (its edges darker, a diverged row's colour
        # seeping past its cover) and every state drew 2 002 rects.
        self.pixel_source = ColumnDataSource(
            {"x": [], "gd": [], "momentum": []}, name=self.model_name("pixel_rows")
        )
        for row, column in ((1, "momentum"), (0, "gd")):
            fill = {"field": column, "transform": self.mapper}
            pixels.rect("x", row, 0.95, 0.9, source=self.pixel_source, fill_color=fill, line_color=None)
        # Over a run's row once it has diverged (its pixels then all read CAP, past the colour scale, which
        # would show the answer's colour): the row in the grey of divergence, and words saying when.
        self.diverged_rows = {
            column: BoxAnnotation(bottom=row - 0.475, top=row + 0.475, fill_color=theme.DIVERGENT,
                                  fill_alpha=1.0, line_color=None, visible=False,
                                  name=self.model_name(f"diverged_{column}"))
            for row, column in ((1, "momentum"), (0, "gd"))
        }  # fmt: skip
        for box in self.diverged_rows.values():
            pixels.add_layout(box)
        self.diverged_labels = {
            column: Label(x=0, y=row, text="", text_align="center", text_baseline="middle", visible=False,
                          text_font_size="13px", background_fill_color="white", background_fill_alpha=0.85)
            for row, column in ((1, "momentum"), (0, "gd"))
        }  # fmt: skip
        for label in self.diverged_labels.values():
            pixels.add_layout(label)
        # The colour scale the pixels are read against: 0 (no colour yet) to 1 (the seed's, w* everywhere).
        # Its title on two lines that fit a phone's plot (one line ran past the plot's edge).
        title = "pixel value wᵢ: 0 = not reached,\n1 = the seed's colour (the answer)"
        scale = ColorBar(color_mapper=self.mapper, orientation="horizontal", height=10, title_standoff=4,
                         title=title,
                         ticker=FixedTicker(ticks=[0, 0.25, 0.5, 0.75, 1]), padding=4,
                         name=self.model_name("colour_scale"))  # fmt: skip
        pixels.add_layout(scale, "below")
        pixels.yaxis.ticker = [0, 1]
        pixels.yaxis.major_label_overrides = {0: "gradient descent", 1: "momentum"}
        self.pixels_plot = pixels

        curves = theme.plot("Error ‖wᵏ − w*‖ / ‖w⁰ − w*‖", y_axis_type="log", height=300,
                            x_range=(0, MAX_STEPS), y_range=(1e-8, 1e5), x_axis_label="iteration k",
                            name=self.model_name("curves"))  # fmt: skip
        curves.line("k", "error_gd", source=self.frame, color=theme.GRADIENT_DESCENT, line_width=2,
                    legend_label="gradient descent, α = 2/(λ₁ + λₙ)")  # fmt: skip
        curves.line("k", "error_momentum", source=self.frame, color=theme.MOMENTUM, line_width=2,
                    legend_label="momentum (α, β)")  # fmt: skip
        self.marker = Span(
            location=self.iteration, dimension="height", line_dash="dashed", line_color="black"
        )
        curves.add_layout(self.marker)
        self.curves = curves

        self.eigen_source = ColumnDataSource({"k": [], "lam": []}, name=self.model_name("eigenvalues"))
        # Axes set to the eigenvalues' ends with Bokeh's own margin when the pixel count changes (here
        # and by the page module), not fitted to the data: a drag of the pixel count is drawn in the page.
        eigen = theme.plot("Eigenvalues of A = L + e₀e₀ᵀ", y_axis_type="log", height=300, x_axis_label="k",
                           y_axis_label="λₖ", name=self.model_name("eigen_plot"),
                           x_range=Range1d(0, 1), y_range=Range1d(0.1, 1))  # fmt: skip
        eigen.scatter("k", "lam", source=self.eigen_source, color=theme.COMPONENTS[4], size=5)
        self.eigen_plot = eigen

        notify = self.notify
        self.pixels_slider = controls.slider(self, "pixels", notify, step=1)
        self.iteration_slider = controls.slider(self, "iteration", notify, step=1)
        self.alpha_slider = controls.slider(self, "alpha", notify, step=0.001)
        self.beta_slider = controls.slider(self, "beta", notify, step=0.001)
        self.optimal_button = controls.button(
            self, "Optimal α and β for these pixels", self.set_optimal, "optimal"
        )
        self.readout = readout(self.model_name("readout"))
        self._drawn_pixels = None

    def page_spec(self) -> dict[str, object]:
        return {
            "cap": CAP,
            "maxSteps": MAX_STEPS,
            "maxPixels": self.param["pixels"].bounds[1],
            "floor": self.FLOOR,
            "texts": VERDICTS,
            # The button's (α*, β*) for n = 2, 3, …: as the server's `set_optimal` sets them.
            "optimal": [
                list(optimum(n)) for n in range(self.param.pixels.bounds[0], self.param.pixels.bounds[1] + 1)
            ],
        }

    def page_models(self) -> dict[str, object]:
        return {
            "sliders": self.controls_by_name(),
            "frame": self.frame,
            "pixels": self.pixel_source,
            "eigen": self.eigen_source,
            "pixelRange": self.pixels_plot.x_range,
            "eigenRanges": [self.eigen_plot.x_range, self.eigen_plot.y_range],
            "marker": self.marker,
            "diverged": self.diverged_labels,
            "divergedRows": self.diverged_rows,
            "readout": self.readout,
        }  # fmt: skip

    def wire_page(self, update: object) -> None:
        """The button sets α and β in the page (the sliders then tell the server)."""
        sliders = {"sliders": self.page_models()["sliders"]}
        self.optimal_button.js_on_click(page_action(update, "optimal", models=sliders, spec=self.spec_model))

    def set_optimal(self) -> None:
        alpha, beta = optimum(self.pixels)
        self.param.update(alpha=alpha, beta=beta)

    def runs(self) -> dict[str, np.ndarray]:
        """Both runs from black (w⁰ = 0) for MAX_STEPS steps, cached: the iteration slider picks a row.

        Step by step (`mc.heavy_ball_steps`): a diverging run's far pixels stay exactly 0 until the
        colour reaches them, as in exact arithmetic; the closed form would leave round-off of its
        10¹⁴-sized components there."""
        return _runs(self.pixels, self.alpha, self.beta)

    def update(self) -> None:
        n = self.pixels
        lam = problem(n).eigenvalues
        if self._drawn_pixels != n:
            self.eigen_source.data = {"k": np.arange(1, n + 1), "lam": lam}
            self.pixels_plot.x_range.update(start=-0.5, end=n - 0.5)
            for axis, ends in (
                (self.eigen_plot.x_range, theme.padded_ends(1, n)),
                (self.eigen_plot.y_range, theme.padded_ends(float(lam.min()), float(lam.max()), log=True)),
            ):
                axis.update(start=ends[0], end=ends[1])
            self._drawn_pixels = n
        runs = self.runs()
        k = self.iteration
        shown, rows_at_k = {}, {}
        for name in ("gd", "momentum"):
            errors = runs[f"error_{name}"]
            cut = mc.divergence_step(errors, bound=CAP)
            shown[f"error_{name}"] = on_log_axis(
                np.maximum(errors if cut is None else errors[:cut], self.FLOOR)
            )
            label = self.diverged_labels[name]
            if cut is not None and k >= cut:  # past the cut the run's row is noise of 10³⁰⁰: say so
                rows_at_k[name] = np.full(n, CAP)
                label.update(x=(n - 1) / 2, text=f"diverged at step {cut}", visible=True)
            else:
                rows_at_k[name] = np.clip(
                    np.nan_to_num(runs[name][k], nan=CAP, posinf=CAP, neginf=-CAP), -CAP, CAP
                )
                label.visible = False
            self.diverged_rows[name].visible = label.visible
        self.publish(k=np.arange(MAX_STEPS + 1), **shown)
        publish(self.pixel_source, {"x": np.arange(n), **rows_at_k})
        self.marker.location = k
        self.show_readout(self.readout, rows(self._readout(runs, lam)))

    def _readout(self, runs: dict[str, np.ndarray], lam: np.ndarray) -> list[tuple[str, str]]:
        k = self.iteration
        gd_rate = mc.convergence_rate(mc.optimal_step_size(lam[0], lam[-1]), 0.0, lam)
        rate = mc.convergence_rate(self.alpha, self.beta, lam)
        status = verdict(rate < 1)
        names = ("gd", "momentum")
        reached = {name: mc.iterations_to_reach(runs[name], np.ones(self.pixels), 1e-2) for name in names}
        last = [runs[name][k][-1] for name in names]
        return [
            ("<b>Momentum</b>", status),
            ("κ = λₙ/λ₁", format_number(lam[-1] / lam[0])),
            ("rate: gradient descent / momentum", f"{format_rate(gd_rate)} / {format_rate(rate)}"),
            (f"colour at the last pixel after {k} steps", " / ".join(
                colour(float(v)) if abs(v) < CAP else "diverged" for v in last)),
            ("steps to within 1 % of the answer", " / ".join(
                str(reached[name]) if reached[name] is not None else f"> {MAX_STEPS}" for name in names)),
        ]  # fmt: skip

    def layout(self) -> pn.viewable.Viewable:
        sliders = [self.pixels_slider, self.iteration_slider, self.alpha_slider, self.beta_slider]
        plots = pn.Column(
            self.pixels_plot, side_by_side(self.curves, self.eigen_plot), sizing_mode="stretch_width"
        )
        return self.controls_beside([*sliders, self.optimal_button, self.readout], plots)


def _runs(n: int, alpha: float, beta: float) -> dict[str, np.ndarray]:
    return {**_gradient_descent_run(n), **_momentum_run(n, alpha, beta)}


@lru_cache(maxsize=8)
def _gradient_descent_run(n: int) -> dict[str, np.ndarray]:
    """Gradient descent from black at its optimal step 2/(λ₁ + λₙ): depends on n only."""
    quad = problem(n)
    lam = quad.eigenvalues
    run = mc.heavy_ball_steps(quad, np.zeros(n), mc.optimal_step_size(lam[0], lam[-1]), 0.0, MAX_STEPS)
    return {"gd": run, "error_gd": relative_errors(run, quad.w_star)}


@lru_cache(maxsize=32)
def _momentum_run(n: int, alpha: float, beta: float) -> dict[str, np.ndarray]:
    quad = problem(n)
    run = mc.heavy_ball_steps(quad, np.zeros(n), alpha, beta, MAX_STEPS)
    return {"momentum": run, "error_momentum": relative_errors(run, quad.w_star)}
