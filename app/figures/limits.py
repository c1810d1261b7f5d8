"""Section: the limits of descent — Nesterov's resisting oracle (Distill, "Limits of Descent").

From w⁰ = 0 every first-order method has wᵢᵏ = 0 past coordinate k, so ‖wᵏ − w*‖∞ can never drop below
max over i > k of |w*ᵢ| ≈ ρᵏ⁺¹ with ρ = (√κ − 1)/(√κ + 1). Momentum at its optimum follows that rate;
gradient descent and Nesterov's constant-step method fall behind.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import panel as pn
import param
from bokeh.models import BoxAnnotation, Label, Range1d, Span

import momentum_core as mc

from .. import controls, theme
from ..figure import Figure, on_log_axis, readout, rows
from ..url_state import format_number

DIMENSION = 400  # coordinates of the oracle: far more than the steps shown, so the bound holds throughout
MAX_STEPS = 300
COORDINATES_SHOWN = 40
FLOOR = 1e-16  # errors below round-off are drawn here (log axis)
METHODS = {  # column: (legend, colour)
    "momentum": ("heavy ball, optimal (α*, β*)", theme.MOMENTUM),
    "nesterov": ("Nesterov, α = 1/L, β = (√κ − 1)/(√κ + 1)", theme.COMPONENTS[2]),
    "gd": ("gradient descent, α = 2/(λ₁ + λₙ)", theme.GRADIENT_DESCENT),
}


#: The steps of each method: (heavy ball or Nesterov step by step, its parameters for λ₁, λₙ).
STEPS_OF = {
    "momentum": (mc.heavy_ball_steps, lambda low, high: mc.optimal_parameters(low, high)),
    "nesterov": (mc.nesterov_steps, lambda low, high: mc.nesterov_parameters(low, high)),
    "gd": (mc.heavy_ball_steps, lambda low, high: (mc.optimal_step_size(low, high), 0.0)),
}
RATE_OF = {"momentum": mc.convergence_rate, "nesterov": mc.nesterov_rate, "gd": mc.convergence_rate}
#: The words on the plots: under the bound, and past step k on the coordinates (shown while the line
#: at k leaves room for them: at most DEAD_LABEL_ROOM coordinates before the last one shown).
OUT_OF_REACH = "out of reach: no first-order method from 0 gets below the bound"
DEAD_ZONE = "not reached yet: still exactly 0 →"
DEAD_LABEL_ROOM = 12
#: Below this ‖wᵏ − w*‖∞ the error is round-off (of w*'s first coordinates, ≈ 1): no ratio to the bound.
RESOLVED = 1e-9


@lru_cache(maxsize=8)
def runs(kappa: float) -> dict[str, object]:
    """The oracle for κ, the three methods' runs from 0 (step by step: wᵢᵏ is exactly 0 past
    coordinate k, as in exact arithmetic), their ‖wᵏ − w*‖∞ for every k and their rates (cached per κ)."""
    problem = mc.resisting_oracle(kappa, DIMENSION)
    lam = problem.eigenvalues
    iterates, norms, rates = {}, {}, {}
    for name, (steps_of, parameters) in STEPS_OF.items():
        alpha, beta = parameters(lam[0], lam[-1])
        run = steps_of(problem, np.zeros(DIMENSION), alpha, beta, MAX_STEPS)
        with np.errstate(invalid="ignore"):
            norms[name] = np.abs(run - problem.w_star).max(axis=1)
        iterates[name] = run[:, :COORDINATES_SHOWN]
        rates[name] = RATE_OF[name](alpha, beta, lam)
    return {"problem": problem, "iterates": iterates, "norms": norms, "rates": rates}


def observed_rate(errors: np.ndarray, resolved: float = 1e-9) -> tuple[float, int, int]:
    """The average error reduction per step, (e_b/e_a)^(1/(b − a)), over the second half of the run
    before the error falls below `resolved` (past that, round-off): (rate, a, b)."""
    below = np.flatnonzero(errors < resolved)
    last = int(below[0]) if below.size else len(errors) - 1
    first = last // 2
    return float((errors[last] / errors[first]) ** (1.0 / max(last - first, 1))), first, last


class Limits(Figure):
    """κ of the oracle and the step k shown; the methods use their textbook parameters for the oracle."""

    kappa = param.Number(100.0, bounds=(10.0, 1e4), label="Condition number κ")
    iteration = param.Integer(10, bounds=(0, MAX_STEPS), label="Iteration k")

    key = "limits"
    heading = "The limits of descent: the resisting oracle"
    caption = (
        "Try: move k — heavy ball at (α*, β*) runs along the lower bound that no first-order method can beat."
    )
    url_fields = ("kappa", "iteration")
    page_module = "limits.js"
    drag_slider = "kappa"

    def build(self) -> None:
        errors = theme.plot(f"‖wᵏ − w*‖∞ on the resisting oracle (n = {DIMENSION})", y_axis_type="log",
                            x_range=(0, MAX_STEPS), y_range=(1e-12, 3), x_axis_label="iteration k",
                            height=470, name=self.model_name("errors_plot"))  # fmt: skip
        errors.varea(
            "k", FLOOR, "bound", source=self.frame, fill_color="#dddddd", legend_label="out of reach"
        )
        # Wide and pale, drawn first: heavy ball at (α*, β*) runs along it and stays visible on it.
        errors.line("k", "bound", source=self.frame, color="black", line_width=7, line_alpha=0.3,
                    legend_label="lower bound max over i > k of |w*ᵢ|")  # fmt: skip
        errors.line("k", "ideal", source=self.frame, color="black", line_dash="dotted",
                    legend_label="ρᵏ⁺¹, ρ = (√κ − 1)/(√κ + 1)")  # fmt: skip
        coordinates = theme.plot("The iterate wᵏ against w*, coordinate by coordinate",
                                 x_range=(0.5, COORDINATES_SHOWN + 0.5), y_range=Range1d(-0.3, 1.3),
                                 x_axis_label="coordinate i", height=300,
                                 name=self.model_name("coordinates_plot"))  # fmt: skip
        theme.markers(coordinates, self.frame, "i", "w_star", color="black", size=6, legend_label="w*")
        for name, (label, color) in METHODS.items():
            errors.line(
                "k", f"error_{name}", source=self.frame, color=color, line_width=2, legend_label=label
            )
            theme.path(coordinates, self.frame, color, label.split(",")[0], x="i", y=f"w_{name}")
        self.markers = []
        for fig in (errors, coordinates):
            marker = Span(location=self.iteration, dimension="height", line_dash="dashed", line_color="black")
            fig.add_layout(marker)
            self.markers.append(marker)
        # Over the line at k (a span, on the plot's overlay): its box keeps the words legible there.
        errors.add_layout(Label(x=4, y=3e-12, text=OUT_OF_REACH, level="overlay", **theme.LABEL_STYLE))
        self.plots = (errors, coordinates)
        # The coordinates past k: no method has touched them yet (a Krylov method adds one a step).
        self.dead_zone = BoxAnnotation(left=self.iteration + 0.5, fill_color="#bbbbbb", fill_alpha=0.2,
                                       line_alpha=0, name=self.model_name("dead_zone"))  # fmt: skip
        self.dead_label = Label(
            x=self.iteration + 0.5,
            y=1.15,
            x_offset=6,
            text=DEAD_ZONE,
            name=self.model_name("dead_label"),
            **theme.LABEL_STYLE,
        )
        coordinates.add_layout(self.dead_zone)
        coordinates.add_layout(self.dead_label)

        notify = self.notify
        self.sliders = [
            controls.slider(self, "kappa", notify, step=0.01, log=True, digits=4),
            controls.slider(self, "iteration", notify, step=1),
        ]
        self.readout = readout(self.model_name("readout"))

    def page_spec(self) -> dict[str, object]:
        """The seeded path's eigenvalues as momentum_core decomposed them (the oracle's are these + δ),
        the sizes and constants."""
        return {
            "base": mc.oracle_base_eigenvalues(DIMENSION).tolist(),
            "dimension": DIMENSION,
            "maxSteps": MAX_STEPS,
            "shown": COORDINATES_SHOWN,
            "floor": FLOOR,
            "resolved": RESOLVED,
            "deadLabelRoom": DEAD_LABEL_ROOM,
            "methods": [[name, label] for name, (label, _) in METHODS.items()],
        }

    def page_models(self) -> dict[str, object]:
        return {
            "sliders": self.controls_by_name(),
            "frame": self.frame,
            "markers": self.markers,
            "dead_zone": self.dead_zone,
            "dead_label": self.dead_label,
            "readout": self.readout,
        }

    def update(self) -> None:
        run = runs(self.kappa)
        problem = run["problem"]
        k = self.iteration
        bound = mc.krylov_lower_bound(problem.w_star, MAX_STEPS)
        rho = mc.lower_bound_rate(self.kappa)
        shown = slice(0, COORDINATES_SHOWN)
        columns = {
            "k": np.arange(MAX_STEPS + 1),
            "bound": on_log_axis(np.maximum(bound, FLOOR)),
            "ideal": on_log_axis(np.maximum(rho ** np.arange(1, MAX_STEPS + 2), FLOOR)),
            "i": np.arange(1, COORDINATES_SHOWN + 1),
            "w_star": problem.w_star[shown],
        }
        errors = run["norms"]  # ‖wᵏ − w*‖∞ per method
        for name in METHODS:
            columns[f"error_{name}"] = on_log_axis(np.maximum(errors[name], FLOOR))
            columns[f"w_{name}"] = run["iterates"][name][k]
        self.publish(**columns)
        self.markers[0].location = k
        self.markers[1].location = k + 0.5  # coordinates past k are still exactly 0
        self.dead_zone.left = k + 0.5
        self.dead_label.update(x=k + 0.5, visible=k + 0.5 < COORDINATES_SHOWN - DEAD_LABEL_ROOM)
        self.show_readout(self.readout, rows(self._readout(problem, run["rates"], errors, bound, rho)))

    def _readout(
        self, problem: mc.Quadratic, rates: dict, errors: dict, bound: np.ndarray, rho: float
    ) -> list[tuple[str, str]]:
        k = self.iteration
        lines = [
            ("κ chosen / κ of the n-dimensional A", f"{format_number(self.kappa)} / "
             f"{format_number(problem.condition_number)}"),
            ("lower-bound rate ρ = (√κ − 1)/(√κ + 1)", format_number(rho)),
            ("<b>method</b>", f"<b>rate · observed (steps) · error/bound at k = {k}</b>"),
        ]  # fmt: skip
        for name, (label, _) in METHODS.items():
            observed, first, last = observed_rate(errors[name])
            resolved = bound[k] > 0 and errors[name][k] >= RESOLVED
            ratio = format_number(errors[name][k] / bound[k]) if resolved else "round-off"
            lines.append(
                (
                    label,
                    f"{format_number(rates[name])} · {format_number(observed)} ({first}–{last}) · {ratio}",
                )
            )
        return lines

    def layout(self) -> pn.viewable.Viewable:
        return self.controls_beside(
            [*self.sliders, self.readout], pn.Column(*self.plots, sizing_mode="stretch_width")
        )
