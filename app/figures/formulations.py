"""Section: one method, many formulations — Polyak, PyTorch, Keras and the EMA form on the same ravine.

With the hyper-parameters converted (`momentum_core.equivalent_settings`) the four paths coincide; the
EMA view shows the weight βʲ each past gradient carries (textbook 001).
"""

from __future__ import annotations

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource, Span

import momentum_core as mc

from .. import controls, theme
from ..figure import VERDICTS, publish, readout, rows, set_html, side_by_side, step_size, verdict
from ..problems import problem_spec
from ..url_state import format_number, format_rate
from .ravine import CUT, PlaneFigure, path_until_it_leaves, ravine_plot

START = (-3.0, -1.4)
TABLE_BETAS = (0.0, 0.5, 0.9, 0.95, 0.99)
MAX_LAG = 400  # past gradients drawn in the EMA view
#: column: (name, how the library writes the update, marker, dash)
SPELLINGS = {
    "polyak": ("Polyak", "w ← w − α∇f + β(w − w_prev)", "circle", "solid"),
    "pytorch": ("PyTorch SGD", "buf ← β·buf + g; w ← w − lr·buf", "square", "dashed"),
    "keras": ("Keras SGD", "v ← β·v − lr·g; w ← w + v", "triangle", "dotted"),
    "ema": ("EMA form", "v ← βv + (1 − β)g; w ← w − lr·v", "x", "dotdash"),
}
RUNS = {"polyak": mc.polyak, "pytorch": mc.pytorch_sgd, "keras": mc.keras_sgd, "ema": mc.ema_sgd}
COLOURS = dict(zip(SPELLINGS, theme.COMPONENTS, strict=False))


def gradients(count: float) -> str:
    return f"{format_number(count)} gradient{'' if count == 1 else 's'}"


def ema_table() -> str:
    """Half-life, window and the span holding 90 % of the weight for the textbook's β values."""
    columns = ("β", "half-life ln 0.5/ln β", "window 1/(1 − β)", "90 % of the weight in")
    head = "<tr>" + "".join(f"<th>{column}</th>" for column in columns) + "</tr>"
    cells = [
        (f"{beta:g}", format_number(mc.ema_half_life(beta)), format_number(mc.ema_window(beta)),
         gradients(mc.ema_steps_for_weight(beta, 0.9)))
        for beta in TABLE_BETAS
    ]  # fmt: skip
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in cells)
    return f"<b>The EMA view for the textbook's β values</b><table>{head}{body}</table>"


class Formulations(PlaneFigure):
    """One (α, β); each library's own update rule runs with its converted settings."""

    alpha = step_size(0.02, 1e-4, 1.0)
    beta = param.Number(0.9, bounds=(0.0, 0.995), label="Momentum β")
    steps = param.Integer(150, bounds=(1, 1000), label="Steps")

    key = "formulations"
    heading = "One method, many formulations"
    caption = "Try: move α or β — four update rules, with converted settings, draw one path to round-off."
    url_fields = ("alpha", "beta", "steps", "problem")
    page_module = "formulations.js"
    drag_slider = "steps"

    def build(self) -> None:
        paths, self.contours = ravine_plot(
            "Four update rules, one path", self.model_name("paths_plot"), height=380
        )
        for key, (name, _, marker, dash) in SPELLINGS.items():
            color = COLOURS[key]
            theme.curve(paths, self.frame, f"{key}_x", f"{key}_y", color, name, line_dash=dash)
            theme.markers(paths, self.frame, f"{key}_x", f"{key}_y", color=color, marker=marker, size=6,
                          fill_alpha=0.0, legend_label=name)  # fmt: skip

        weights = theme.plot(
            "EMA view: the weight βʲ of the gradient j steps back",
            height=380,
            x_range=(0, 100),
            y_range=(0, 1.05),
            x_axis_label="steps back j",
            name=self.model_name("weights_plot"),
        )
        # A bar a lag: MAX_LAG rows in a source of their own (in the frame, padded to the paths' steps, the
        # last bar would be drawn again for each step past MAX_LAG).
        self.weights = ColumnDataSource({"lag": [], "weight": []}, name=self.model_name("weights"))
        weights.vbar("lag", top="weight", width=0.9, source=self.weights, color=theme.MOMENTUM, alpha=0.6)
        self.marks = {
            "half_life": Span(dimension="height", line_dash="dashed", line_color="black"),
            "window": Span(dimension="height", line_dash="dotted", line_color=theme.OPTIMUM, line_width=2),
        }
        for mark in self.marks.values():
            weights.add_layout(mark)
        self.plots = (paths, weights)

        notify = self.notify
        self.sliders = [
            controls.slider(self, "alpha", notify, step=0.001, log=True, digits=3),
            controls.slider(self, "beta", notify, step=0.001),
            controls.slider(self, "steps", notify, step=1),
        ]
        self.readout = readout(self.model_name("readout"))
        self.table = readout(self.model_name("table"))
        set_html(self.table, ema_table())

    def page_spec(self) -> dict[str, object]:
        """The problem as momentum_core decomposed it, the start, the spellings and the constants."""
        return {
            "problem": problem_spec(self.quad()),
            "start": list(START),
            "cut": CUT,
            "spellings": [[key, name, rule] for key, (name, rule, _, _) in SPELLINGS.items()],
            "maxLag": MAX_LAG,
            "texts": VERDICTS,
        }

    def page_models(self) -> dict[str, object]:
        return {
            "sliders": self.controls_by_name(),
            "frame": self.frame,
            "weights": self.weights,
            "marks": self.marks,
            "lags": self.plots[1].x_range,
            "readout": self.readout,
        }

    def update(self) -> None:
        settings = mc.equivalent_settings(self.alpha, self.beta)
        quad = self.quad()
        self.redraw_contours(self.contours)
        runs = {key: run(quad, START, *settings[key].values(), self.steps) for key, run in RUNS.items()}
        columns = {}
        for key, iterates in runs.items():
            path, _ = path_until_it_leaves(iterates)
            columns[f"{key}_x"], columns[f"{key}_y"] = path[:, 0], path[:, 1]
        self.publish(**columns)
        publish(self.weights, {"lag": np.arange(MAX_LAG), "weight": mc.ema_weights(self.beta, MAX_LAG)})
        half_life, window = mc.ema_half_life(self.beta), mc.ema_window(self.beta)
        self.marks["half_life"].location = half_life
        self.marks["window"].location = window
        self.plots[1].x_range.update(start=-0.5, end=float(np.clip(3 * window, 10, MAX_LAG)))
        reference = mc.heavy_ball(quad, START, self.alpha, self.beta, self.steps)
        self.show_readout(self.readout, rows(self._readout(settings, runs, reference, half_life, window)))

    def _readout(
        self, settings: dict, runs: dict, reference: np.ndarray, half_life: float, window: float
    ) -> list[tuple[str, str]]:
        rate = mc.convergence_rate(self.alpha, self.beta, self.quad().eigenvalues)
        lines = [
            ("<b>heavy ball (α, β)</b>", f"{verdict(rate < 1)}, rate {format_rate(rate)}"),
            ("<b>spelling · update</b>", "<b>settings · max |w − heavy ball|</b>"),
        ]
        for key, (name, rule, _, _) in SPELLINGS.items():
            values = ", ".join(f"{k} = {format_number(v)}" for k, v in settings[key].items())
            with np.errstate(invalid="ignore"):
                gap = np.abs(runs[key] - reference).max()
            shown = "both diverge" if not np.isfinite(gap) else f"{gap:.1e}"
            lines.append((f"<b>{name}</b>: <code>{rule}</code>", f"{values} · {shown}"))
        lines += [
            ("half-life ln 0.5 / ln β", f"{format_number(half_life)} steps"),
            ("effective window 1/(1 − β)", gradients(window)),
            ("90 % of the weight in the last", gradients(mc.ema_steps_for_weight(self.beta, 0.9))),
        ]
        return lines

    def layout(self) -> pn.viewable.Viewable:
        plots = pn.Column(side_by_side(*self.plots), self.table, sizing_mode="stretch_width")
        return self.controls_beside([self.problem_input(), *self.sliders, self.readout], plots, width=420)
