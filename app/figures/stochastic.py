"""Section: stochastic gradients — a transient phase where momentum helps, then a noise floor it raises."""

from __future__ import annotations

import numpy as np
import panel as pn
import param
from bokeh.models import Label, Span

import momentum_core as mc

from .. import controls, theme
from ..figure import DIVERGES, VERDICTS, momentum, on_log_axis, readout, rows, step_size
from ..problems import problem_spec
from ..url_state import format_number, format_rate
from .ravine import X_RANGE, PlaneFigure

START = (X_RANGE[0] * 0.85, -1.4)
CAP = 1e6  # a loss above CAP × the starting loss counts as diverging; the curves stop there
FLOOR = 1e-16  # the log plot's floor, relative to the starting loss
#: The words either side of the line where the transient phase ends, at twice the starting loss (the
#: view's top is 10 × it); the short ones on the left, where the transient is often a tenth of the run.
PHASES = ("← transient", "noise floor: fine-tuning →")
PHASE_LABEL_HEIGHT = 2.0
#: Where the transient phase's words go (`transient_words`): left of the line when the transient takes at
#: least this share of the run, else right of it under the floor's words (left of a short transient they
#: would run off the plot, into its axis).
SHORT_TRANSIENT = 0.25
TRANSIENT_WORDS = {
    "left": {"text_align": "right", "x_offset": -6, "y_offset": 0},
    "under": {"text_align": "left", "x_offset": 6, "y_offset": -20},
}


#: Each run as the legend names it, in the plot's words for a run cut as diverging (`divergence_text`).
RUNS = {"momentum": "momentum, noisy", "gd": "gradient descent, noisy", "exact": "momentum, exact gradients"}


def divergence_text(cuts: dict[str, int | None]) -> str:
    """A line for each run cut as diverging, "<its legend label>: diverges at step <cut>" ("" for none):
    such a run leaves the view within a few steps of hundreds, a sliver at the plot's left edge."""
    return "\n".join(f"{RUNS[name]}: diverges at step {cut}" for name, cut in cuts.items() if cut is not None)


def transient_words(transient: int, steps: int) -> str:
    """Where the transient's words go: "left" of the line, or "under" the floor's, right of it."""
    return "left" if transient >= SHORT_TRANSIENT * steps else "under"


def transient_steps(exact: np.ndarray, floor: float) -> int | None:
    """First step at which the noiseless run's loss is below the noise floor (None if never)."""
    below = np.flatnonzero(exact <= floor)
    return int(below[0]) if below.size else None


class Stochastic(PlaneFigure):
    """Noisy gradients on the ravine: the same noise (seed) drives momentum and gradient descent."""

    alpha = step_size(0.02, 1e-4, 1.0)
    beta = momentum(0.9)
    noise = param.Number(0.05, bounds=(0.0, 2.0), label="Gradient noise σ")
    seed = param.Integer(0, bounds=(0, 9999), label="Random seed")
    steps = param.Integer(1500, bounds=(10, 5000), label="Steps")

    key = "stochastic"
    heading = "Stochastic gradients"
    caption = (
        "Try: raise the noise σ — the curves level off at a floor, higher for momentum at the same step."
    )
    url_fields = ("alpha", "beta", "noise", "seed", "steps", "problem")
    showcase = "noise=0.1"
    page_module = "stochastic.js"
    drag_slider = "steps"

    def build(self) -> None:
        fig = theme.plot("f(wᵏ) − f* with noisy gradients (log scale)", y_axis_type="log",
                         x_axis_label="iteration k", y_axis_label="f(wᵏ) − f*", name=self.model_name("plot"),
                         x_range=(0, self.steps), y_range=(1e-8, 10.0), height=400)  # fmt: skip
        fig.line("k", "gd", source=self.frame, color=theme.GRADIENT_DESCENT, line_width=1,
                 legend_label="gradient descent, noisy")  # fmt: skip
        fig.line("k", "momentum", source=self.frame, color=theme.MOMENTUM, line_width=1,
                 legend_label="momentum, noisy")  # fmt: skip
        fig.line("k", "exact", source=self.frame, color=theme.MOMENTUM, line_dash="dotted", line_width=2,
                 legend_label="momentum, exact gradients")  # fmt: skip
        self.floor_lines = [
            fig.line("k", f"floor_{name}", source=self.frame, color=color, line_dash="dashed", line_width=2,
                     legend_label=f"expected noise floor, {label}", name=self.model_name(f"floor_{name}"))
            for name, color, label in (("momentum", theme.MOMENTUM, "momentum"),
                                       ("gd", theme.GRADIENT_DESCENT, "gradient descent"))
        ]  # fmt: skip
        # Where the transient phase ends (the exact run meets momentum's floor), said on the plot.
        self.phase_line = Span(location=0, dimension="height", line_color="#444444", line_width=1.5,
                               visible=False, name=self.model_name("phase_line"))  # fmt: skip
        fig.add_layout(self.phase_line)
        self.phase_labels = [
            Label(
                x=0,
                y=1.0,
                text=text,
                x_offset=offset,
                text_align=align,
                visible=False,
                name=self.model_name(f"phase_label{i}"),
                **theme.LABEL_STYLE,
            )
            for i, (text, offset, align) in enumerate(zip(PHASES, (-6, 6), ("right", "left"), strict=True))
        ]
        for label in self.phase_labels:
            fig.add_layout(label)
        # The runs cut as diverging, said in the plot's bottom-left corner (the view's bottom: a run starts
        # at its top, and the transient's words are there).
        self.divergence_label = Label(
            x=0, y=1e-8, text="", x_offset=8, y_offset=8, text_baseline="bottom", visible=False,
            name=self.model_name("divergence"), **theme.LABEL_STYLE,
        )  # fmt: skip
        fig.add_layout(self.divergence_label)
        self.plot = fig
        notify = self.notify
        self.alpha_slider = controls.slider(self, "alpha", notify, step=0.001, log=True, digits=3)
        self.beta_slider = controls.slider(self, "beta", notify, step=0.001)
        self.noise_slider = controls.slider(self, "noise", notify, step=0.005)
        self.seed_slider = controls.slider(self, "seed", notify, step=1)
        self.steps_slider = controls.slider(self, "steps", notify, step=10)
        self.readout = readout(self.model_name("readout"))

    def page_spec(self) -> dict[str, object]:
        """The problem as momentum_core decomposed it, the start and the constants (the noise of a seed
        the page draws itself: momentum_core.noise is counter-based, written in both languages)."""
        return {
            "problem": problem_spec(self.quad()),
            "start": list(START),
            "cap": CAP,
            "floor": FLOOR,
            "phaseHeight": PHASE_LABEL_HEIGHT,
            "shortTransient": SHORT_TRANSIENT,
            "transientWords": TRANSIENT_WORDS,
            "texts": VERDICTS,
            "runs": RUNS,
        }

    def page_models(self) -> dict[str, object]:
        return {
            "sliders": self.controls_by_name(),
            "frame": self.frame,
            "floors": dict(zip(("momentum", "gd"), self.floor_lines, strict=True)),
            "xRange": self.plot.x_range,
            "yRange": self.plot.y_range,
            "phase_line": self.phase_line,
            "phase_labels": self.phase_labels,
            "divergence": self.divergence_label,
            "readout": self.readout,
        }  # fmt: skip

    def runs(self) -> dict[str, np.ndarray]:
        """Loss gaps f(wᵏ) − f* of the noisy momentum and noisy gradient descent runs (the same noise,
        solved in one call) and of the exact momentum run, inf past divergence.

        As ½Σᵢλᵢxᵢ² of their errors in the eigenbasis (`eigenbasis_loss_gap`), no iterate formed: a sum of
        positive terms, exact to rounding. From the iterates, ½wᵀAw − bᵀw − f* loses digits to
        cancellation: between A's entries when w lies along a small eigenvalue's direction (a relative
        error up to ≈ κ·10⁻¹⁶ on a typed ill-conditioned matrix), and all of them for a gap far below |f*|.
        """
        quad = self.quad()
        constant = np.ones(self.steps)
        betas = np.array([[self.beta], [0.0]]) * constant  # momentum, then gradient descent
        noisy, plain = mc.scheduled_heavy_ball_errors(
            quad, START, self.alpha * constant, betas, self.noise, self.seed
        )
        exact = mc.eigenbasis_errors(quad, START, self.alpha, self.beta, self.steps)
        return {
            name: mc.eigenbasis_loss_gap(quad, run)
            for name, run in (("momentum", noisy), ("gd", plain), ("exact", exact))
        }

    def update(self) -> None:
        runs = self.runs()
        start = runs["exact"][0]
        floors = {name: mc.stationary_loss(self.quad(), self.alpha, beta, self.noise)
                  for name, beta in (("momentum", self.beta), ("gd", 0.0))}  # fmt: skip
        shown, cuts = {}, {}
        for name, gaps in runs.items():
            cut = cuts[name] = mc.divergence_step(gaps, bound=CAP * start)
            shown[name] = on_log_axis(np.maximum(gaps if cut is None else gaps[:cut], FLOOR * start))
        length = max(len(v) for v in shown.values())
        for line, name in zip(self.floor_lines, ("momentum", "gd"), strict=True):
            line.visible = bool(np.isfinite(floors[name]) and floors[name] > 0)
            shown[f"floor_{name}"] = np.full(
                length, max(floors[name], FLOOR * start) if line.visible else start
            )
        self.publish(k=np.arange(length), **shown)
        self.plot.x_range.update(start=0, end=self.steps)
        bottom = FLOOR * start * 1e8 if self.noise == 0 else 1e-8
        self.plot.y_range.update(start=bottom, end=start * 10)
        transient = transient_steps(runs["exact"], floors["momentum"])
        shown_phase = bool(np.isfinite(floors["momentum"])) and self.noise > 0 and transient is not None
        self.phase_line.update(visible=shown_phase, location=transient if shown_phase else 0)
        for label in self.phase_labels:
            label.update(visible=shown_phase, x=transient if shown_phase else 0, y=start * PHASE_LABEL_HEIGHT)
        if shown_phase:
            self.phase_labels[0].update(**TRANSIENT_WORDS[transient_words(transient, self.steps)])
        text = divergence_text(cuts)
        self.divergence_label.update(text=text, visible=bool(text), y=bottom)
        self.show_readout(self.readout, rows(self._readout(runs, floors, transient)))

    def _readout(
        self, runs: dict[str, np.ndarray], floors: dict[str, float], transient: int | None
    ) -> list[tuple[str, str]]:
        rate = mc.convergence_rate(self.alpha, self.beta, self.quad().eigenvalues)
        gd_floor = format_number(floors["gd"]) if np.isfinite(floors["gd"]) else "diverges"
        if not np.isfinite(floors["momentum"]):
            return [
                ("<b>Momentum</b>", DIVERGES),
                ("rate", format_rate(rate)),
                ("expected noise floor, gradient descent", gd_floor),
            ]
        tail = runs["momentum"][-max(len(runs["momentum"]) // 5, 1) :]
        if self.noise == 0:
            phase = "no noise: no floor, the error keeps shrinking"
        elif transient is None:
            phase = f"longer than {self.steps} steps"
        else:
            phase = f"≈ {transient} steps"
        return [
            ("rate max|σ(R)| (transient)", format_rate(rate)),
            ("expected noise floor, momentum", format_number(floors["momentum"])),
            ("expected noise floor, gradient descent", gd_floor),
            ("mean of the last 20 % of this run", format_number(float(tail.mean()))),
            ("transient phase (exact run reaches the floor)", phase),
        ]  # fmt: skip

    def layout(self) -> pn.viewable.Viewable:
        sliders = [
            self.problem_input(),
            self.alpha_slider,
            self.beta_slider,
            self.noise_slider,
            self.seed_slider,
            self.steps_slider,
        ]
        return self.controls_beside([*sliders, self.readout], self.plot)
