"""Figure 1, the ravine (Distill's hero): heavy ball and gradient descent on an ill-conditioned quadratic."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import panel as pn
import param
from bokeh import events
from bokeh.models import ColumnDataSource, Label, LabelSet

import momentum_core as mc

from .. import controls, theme
from ..figure import CONVERGES, DIVERGES, VERDICTS, momentum, readout, rows, step_size
from ..page_module import page_action
from ..problems import ProblemFigure, contour_renderer, contours, problem_spec
from ..url_state import format_rate

PROBLEM = mc.Quadratic.ravine(0.1, 10.0, angle=0.25)
X_RANGE = (-3.5, 3.5)
Y_RANGE = (-2.0, 2.0)
TOLERANCE = 1e-3
START_LABEL = "start: click to move it"
LABEL_STYLE = theme.LABEL_STYLE
#: A path is cut where it leaves this box (the view, grown 4×); past it a run counts as diverging.
CUT = 4 * max(abs(v) for v in X_RANGE + Y_RANGE)


def path_until_it_leaves(iterates: np.ndarray) -> tuple[np.ndarray, bool]:
    """The iterates up to the first one outside the cut box around w* = 0, and whether the run left it."""
    step = mc.divergence_step(iterates, bound=CUT)
    return (iterates, False) if step is None else (iterates[:step], True)


def ravine_plot(title: str, name: str, height: int) -> tuple[object, object]:
    """A plot of the (w₁, w₂) plane with the ravine's filled contours of f − f*, and the contour renderer."""
    fig = theme.plot(title, x_range=X_RANGE, y_range=Y_RANGE, match_aspect=True, height=height,
                     x_axis_label="w₁", y_axis_label="w₂", name=name)  # fmt: skip
    return fig, contour_renderer(fig, PROBLEM, X_RANGE, Y_RANGE)


class PlaneFigure(ProblemFigure):
    """A figure on the (w₁, w₂) plane: the article's ravine, or a typed 2-D problem."""

    default_problem = PROBLEM

    def redraw_contours(self, renderer: object) -> None:
        """New contours when the problem changed since the last call."""
        if getattr(self, "_contoured", "") != self.problem:
            renderer.set_data(contours(self.quad(), X_RANGE, Y_RANGE))
            self._contoured = self.problem

    def served_update(self, changed: set[str]) -> None:
        """A typed problem's contours (the page draws the paths from the new spec)."""
        if "problem" in changed and hasattr(self, "contours"):  # /stochastic plots no plane
            self.redraw_contours(self.contours)
        super().served_update(changed)


class Ravine(PlaneFigure):
    """Drag α and β; click the plot to move the start. Defaults are the article's α = 0.02, β = 0.99."""

    alpha = step_size(0.02, 1e-4, 1.0)
    beta = momentum(0.99)
    steps = param.Integer(1000, bounds=(1, 3000), label="Steps")
    x0 = param.Number(-3.0, bounds=X_RANGE, label="Start x")
    y0 = param.Number(-1.4, bounds=Y_RANGE, label="Start y")
    show_gd = param.Boolean(True, label="Show gradient descent")

    key = "ravine"
    heading = "Momentum on a ravine"
    caption = "Try: drag β towards 1 — the orange path overshoots and spirals in; click to start elsewhere."
    #: The paths drawn: frame column prefix → (legend and readout heading, colour).
    PATHS: ClassVar[dict[str, tuple[str, str]]] = {
        "momentum": ("Momentum", theme.MOMENTUM),
        "gd": ("Gradient descent (β = 0)", theme.GRADIENT_DESCENT),
    }
    url_fields = ("alpha", "beta", "steps", "x0", "y0", "show_gd", "problem")
    page_module = "ravine.js"
    drag_slider = "steps"
    #: The method each path key runs in the page module.
    METHODS: ClassVar[dict[str, str]] = {
        "momentum": "heavy_ball",
        "gd": "gradient_descent",
        "nesterov": "nesterov",
    }

    def build(self) -> None:
        self.start_source = ColumnDataSource(
            {"x": [self.x0], "y": [self.y0], "label": [START_LABEL]}, name=self.model_name("start_point")
        )

        title = " vs ".join(label for label, _ in self.PATHS.values()) + " on a ravine"
        fig, self.contours = ravine_plot(title, self.model_name("plot"), height=420)
        # Where each run ends, labelled at its last point.
        self.end_labels = {  # the first path's label above its end, the second's below
            key: Label(
                x=0,
                y=0,
                text="",
                x_offset=8,
                y_offset=10 if i == 0 else -26,
                **{**LABEL_STYLE, "text_color": color},
            )
            for i, (key, (_, color)) in enumerate(self.PATHS.items())
        }
        for label in self.end_labels.values():
            fig.add_layout(label)
        self.path_renderers = {
            key: theme.path(fig, self.frame, color, label, f"{key}_x", f"{key}_y", self.model_name(key))
            for key, (label, color) in self.PATHS.items()
        }
        fig.scatter(
            [0.0],
            [0.0],
            marker="star",
            size=18,
            color=theme.OPTIMUM,
        )
        # Labels where the eye is, not in the legend: the optimum, and the start with what it does.
        fig.add_layout(
            Label(x=0, y=0, text="optimum w*", x_offset=-12, y_offset=10, text_align="right", **LABEL_STYLE)
        )
        fig.add_layout(
            LabelSet(
                x="x",
                y="y",
                text="label",
                source=self.start_source,
                x_offset=-10,
                y_offset=-22,
                **LABEL_STYLE,
            )
        )
        fig.scatter(
            "x",
            "y",
            source=self.start_source,
            marker="circle",
            size=11,
            fill_color="white",
            line_color=theme.START,
            line_width=2,
        )
        fig.on_event(events.Tap, self._move_start)
        self.plot = fig

        notify = self.notify
        self.alpha_slider = controls.slider(self, "alpha", notify, step=0.001, log=True, digits=3)
        self.beta_slider = controls.slider(self, "beta", notify, step=0.001)
        self.steps_slider = controls.slider(self, "steps", notify, step=1)
        self.gd_switch = controls.switch(self, "show_gd")
        self.readout = readout(self.model_name("readout"))
        self.problem_box = self.problem_input()

    def page_spec(self) -> dict[str, object]:
        """The problem as momentum_core decomposed it, the paths (key, readout label, method) and the
        figure's constants."""
        return {
            "problem": problem_spec(self.quad()),
            "paths": [[key, label, self.METHODS[key]] for key, (label, _) in self.PATHS.items()],
            "cut": CUT,
            "tolerance": TOLERANCE,
            "texts": VERDICTS,
            "x_range": list(X_RANGE),
            "y_range": list(Y_RANGE),
            "start_label": START_LABEL,
        }

    def page_models(self) -> dict[str, object]:
        return {
            "sliders": {"alpha": self.alpha_slider, "beta": self.beta_slider, "steps": self.steps_slider},
            "show_gd": self.gd_switch.children[0] if "gd" in self.PATHS else None,
            "start": self.start_source,
            "frame": self.frame,
            "labels": self.end_labels,
            "renderers": self.path_renderers,
            "readout": self.readout,
        }

    def wire_page(self, update: object) -> None:
        """A click on the plot moves the start, in the page (the server learns it from the click too)."""
        models = self.page_models()
        self.plot.js_on_event("tap", page_action(update, "moveStart", models=models, spec=self.spec_model))

    def _move_start(self, event: events.Tap) -> None:
        x, y = controls.finite(event.x), controls.finite(event.y)
        if x is not None and y is not None:
            self.param.update(x0=float(np.clip(x, *X_RANGE)), y0=float(np.clip(y, *Y_RANGE)))

    def runs(self, start: tuple[float, float]) -> dict[str, tuple[np.ndarray, float]]:
        """Each path's iterates and its predicted rate, by the keys of PATHS."""
        return {"momentum": self.heavy_ball_run(start, self.beta), "gd": self.heavy_ball_run(start, 0.0)}

    def heavy_ball_run(self, start: tuple[float, float], beta: float) -> tuple[np.ndarray, float]:
        """Heavy ball at (α, β) from `start` (β = 0: gradient descent) and its rate max|σ(R)|."""

        def run() -> tuple[np.ndarray, float]:
            quad = self.quad()
            iterates = mc.heavy_ball(quad, start, self.alpha, beta, self.steps)
            return iterates, mc.convergence_rate(self.alpha, beta, quad.eigenvalues)

        return self.memo(("heavy_ball", self.problem, start, self.alpha, beta, self.steps), run)

    def shown(self, key: str) -> bool:
        return key != "gd" or self.show_gd

    def update(self) -> None:
        start = (self.x0, self.y0)
        self.redraw_contours(self.contours)
        columns, shown = {}, []
        for key, (iterates, rate) in self.runs(start).items():
            path, left = path_until_it_leaves(iterates)
            columns.update({f"{key}_x": path[:, 0], f"{key}_y": path[:, 1]})
            for renderer in self.path_renderers[key]:
                renderer.visible = self.shown(key)
            self.label_end(key, path, left)
            if self.shown(key):
                shown.append((self.PATHS[key][0], path, left, rate))
        self.publish(**columns)
        if (self.start_source.data["x"][0], self.start_source.data["y"][0]) != start:
            self.start_source.data = {"x": [self.x0], "y": [self.y0], "label": [START_LABEL]}
        self.show_readout(
            self.readout, lambda: rows([line for run in shown for line in self._readout_rows(*run)])
        )

    def label_end(self, key: str, path: np.ndarray, left: bool) -> None:
        """The run's last drawn point labelled "after N steps" (or where it leaves the view)."""
        label = self.end_labels[key]
        end = path[-1]
        text = f"leaves the view (step {len(path)})" if left else f"after {len(path) - 1} steps"
        changes = {"x": float(end[0]), "y": float(end[1]), "text": text, "visible": self.shown(key)}
        label.update(**{name: value for name, value in changes.items() if getattr(label, name) != value})

    def _readout_rows(self, label: str, path: np.ndarray, left: bool, rate: float) -> list[tuple[str, str]]:
        if left or rate >= 1:
            status = DIVERGES
            where = f" (leaves the view at step {len(path)})" if left else ""
            return [(f"<b>{label}</b>", status + where), ("rate max|σ(R)|", format_rate(rate))]
        loss = self.quad().f(path[-1]) - self.quad().f_star
        predicted = mc.iterations_to_tolerance(rate, TOLERANCE)
        reached = mc.iterations_to_reach(path, self.quad().w_star, TOLERANCE)
        return [
            (f"<b>{label}</b>", CONVERGES),
            (f"f(w<sup>{self.steps}</sup>) − f*", f"{loss:.3e}"),
            ("rate max|σ(R)|", format_rate(rate)),
            (
                "steps to shrink the error 1000×",
                f"{predicted:.0f} predicted, "
                + (f"{reached} in this run" if reached is not None else f"not within {self.steps}"),
            ),
        ]

    def layout(self) -> pn.viewable.Viewable:
        switch = [self.gd_switch] if "gd" in self.PATHS else []
        controls = [
            self.problem_box,
            self.alpha_slider,
            self.beta_slider,
            self.steps_slider,
            *switch,
            self.readout,
        ]
        return self.controls_beside(controls, self.plot)
