"""Section: momentum schedules and primal averaging (Defazio 2020) on a noisy quadratic.

Four schedules see the same noise: constant (α, β); the learning rate cut by a factor at a chosen step;
momentum cut instead, to the same effective step α/(1 − β); and momentum warm-up. Each SGD+M run is drawn
beside its stochastic-primal-averaging form (dots), which produces the same iterates.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
import panel as pn
import param
from bokeh.models import Range1d

import momentum_core as mc

from .. import controls, theme
from ..figure import on_log_axis, readout, rows, side_by_side, step_size
from ..problems import problem_spec
from ..url_state import format_number
from .ravine import PlaneFigure
from .stochastic import START

STEPS = 1500
DOTS = np.arange(0, STEPS + 1, 30)  # iterations at which the primal-averaging form is marked
FLOOR = 1e-12
CAP = 1e6
#: column: (legend, colour)
SMOOTHING = 25  # the loss is drawn as a running mean over this many steps (the raw loss is all spikes)
#: column: (legend, colour, dash)
SCHEDULES = {
    "constant": ("constant (α, β)", "#555555", "solid"),
    "lr_drop": ("learning rate × factor at step s", theme.GRADIENT_DESCENT, "solid"),
    "momentum_drop": ("momentum cut at step s (same effective step)", theme.MOMENTUM, "dashed"),
    "warmup": ("momentum warm-up 0 → β over s steps", theme.OPTIMUM, "solid"),
}


def running_mean(values: np.ndarray, window: int = SMOOTHING) -> np.ndarray:
    """Mean of the last `window` values at each step (fewer at the start)."""
    sums = np.cumsum(np.concatenate([[0.0], values]))
    k = np.arange(1, len(values) + 1)
    return (sums[k] - sums[np.maximum(k - window, 0)]) / np.minimum(k, window)


def schedule_digest(alphas: np.ndarray, betas: np.ndarray) -> bytes:
    """A 128-bit digest of a schedule's every (αₖ, βₖ): a key to remember its runs by (16 bytes, not the
    24 kB of the schedule itself, in each of a session's remembered keys)."""
    return hashlib.blake2b(alphas.tobytes() + betas.tobytes(), digest_size=16).digest()


def corners(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The steps k and values at which the polyline through (k, values[k]) bends: each run of equal
    values is kept by its first and last step only, the same line drawn from a few points (an
    effective step that is constant, or cut once, is 2 to 4 points instead of 1 500)."""
    k = np.arange(len(values))
    same_as_neighbours = np.zeros(len(values), dtype=bool)
    same_as_neighbours[1:-1] = (values[1:-1] == values[:-2]) & (values[1:-1] == values[2:])
    return k[~same_as_neighbours], values[~same_as_neighbours]


#: The effective-step axis ends a tenth of a decade or more beyond the steps drawn.
STEP_MARGIN = 0.1


def step_axis(columns: dict[str, np.ndarray], plan: dict) -> tuple[float, float]:
    """The effective-step plot's log axis: whole decades around the positive steps drawn, at least
    STEP_MARGIN of a decade beyond them. A drag of α or β moves the steps a little each state, and the
    axis only when they cross into another decade — not on every change (where the page must draw the
    plot whole, axes and all). Ends written as "1eN" and read: the same float in the page."""
    steps = np.concatenate([columns[f"step_{key}"] for key in plan])
    shown = steps[np.isfinite(steps) & (steps > 0)]
    if not shown.size:
        return (1e-3, 1.0)
    low = math.floor(math.log10(float(shown.min())) - STEP_MARGIN)
    high = math.ceil(math.log10(float(shown.max())) + STEP_MARGIN)
    return float(f"1e{low}"), float(f"1e{high}")


def dropped_momentum(beta: float, factor: float) -> float:
    """β' with α/(1 − β') = factor·α/(1 − β): the momentum cut that shrinks the effective step as much."""
    return max(0.0, round(1.0 - (1.0 - beta) / factor, 12))  # round: 1 − 0.1/0.1 is 0, not 2e-16


def schedules(
    alpha: float, beta: float, change: int, factor: float
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per-step (αₖ, βₖ) of each schedule, k = 0…STEPS − 1."""
    k = np.arange(STEPS)
    after = k >= change
    constant_alpha, constant_beta = np.full(STEPS, alpha), np.full(STEPS, beta)
    return {
        "constant": (constant_alpha, constant_beta),
        "lr_drop": (np.where(after, alpha * factor, alpha), constant_beta),
        "momentum_drop": (constant_alpha, np.where(after, dropped_momentum(beta, factor), beta)),
        "warmup": (constant_alpha, beta * np.minimum(1.0, k / max(change, 1))),
    }


class Schedules(PlaneFigure):
    """α, β, noise σ, the step s where a schedule changes and the factor; the seed fixes the noise."""

    alpha = step_size(0.02, 1e-4, 0.3)
    beta = param.Number(0.9, bounds=(0.0, 0.99), label="Momentum β")
    noise = param.Number(0.3, bounds=(0.0, 2.0), label="Gradient noise σ")
    change = param.Integer(500, bounds=(1, STEPS - 1), label="Change at step s")
    factor = param.Number(0.1, bounds=(0.01, 1.0), label="Factor")
    seed = param.Integer(0, bounds=(0, 9999), label="Random seed")

    key = "schedules"
    heading = "Momentum schedules and primal averaging"
    caption = "Try: change the step where the schedules switch — cutting α or β lowers the noise floor alike."
    url_fields = ("alpha", "beta", "noise", "change", "factor", "seed", "problem")
    page_module = "schedules.js"
    drag_slider = "alpha"
    memo_size = 16  # four schedules' runs and floors: a change that leaves one schedule alone reuses it

    def build(self) -> None:
        self.loss_plot = self.plot(
            "loss_plot",
            f"f(wᵏ) − f*, {SMOOTHING}-step mean (dots: the primal-averaging form)",
            y_axis_type="log",
            x_range=(0, STEPS),
            y_range=(1e-6, 10),
            height=380,
            x_axis_label="iteration k",
        )
        self.step_plot = self.plot(
            "step_plot",
            "Effective step αₖ/(1 − βₖ)",
            y_axis_type="log",
            x_range=(0, STEPS),
            y_range=Range1d(1e-3, 1.0),  # whole decades around the steps (update: step_axis)
            height=380,
            x_axis_label="iteration k",
        )
        for key, (label, color, dash) in SCHEDULES.items():
            theme.curve(self.loss_plot, self.frame, f"k_{key}", key, color, line_dash=dash)
            theme.markers(self.loss_plot, self.frame, f"dot_k_{key}", f"dot_{key}", color=color, size=5)
            theme.curve(self.step_plot, self.frame, f"step_k_{key}", f"step_{key}", color, label,
                        line_dash=dash, view=theme.drawn_rows(f"step_k_{key}", f"step_{key}"))  # fmt: skip

        notify = self.notify
        self.sliders = [
            controls.slider(self, "alpha", notify, step=0.001, log=True, digits=3),
            controls.slider(self, "beta", notify, step=0.001),
            controls.slider(self, "noise", notify, step=0.01),
            controls.slider(self, "change", notify, step=1),
            controls.slider(self, "factor", notify, step=0.01, log=True),
            controls.slider(self, "seed", notify, step=1),
        ]
        self.readout = readout(self.model_name("readout"))

    def page_spec(self) -> dict[str, object]:
        """The problem as momentum_core decomposed it, its loss at the start, the grid and constants (the
        noise the page draws itself, as momentum_core.noise does)."""
        quad = self.quad()
        return {
            "problem": problem_spec(quad),
            "start": list(START),
            "startLoss": float(quad.f(START) - quad.f_star),
            "steps": STEPS,
            "dots": int(DOTS[1] - DOTS[0]),
            "floor": FLOOR,
            "cap": CAP,
            "smoothing": SMOOTHING,
            "stepMargin": STEP_MARGIN,
            "labels": {key: label for key, (label, _, _) in SCHEDULES.items()},
        }

    def page_models(self) -> dict[str, object]:
        return {
            "sliders": self.controls_by_name(),
            "frame": self.frame,
            "stepRange": self.step_plot.y_range,
            "readout": self.readout,
        }

    def update(self) -> None:
        quad = self.quad()
        start_loss = quad.f(START) - quad.f_star
        plan = schedules(self.alpha, self.beta, self.change, self.factor)
        pairs = list(plan.values())
        keys = [("runs", schedule_digest(a, b), self.noise, self.seed, self.problem) for a, b in pairs]
        runs = self.memo_many(keys, lambda missing: self._runs(quad, [pairs[i] for i in missing]))
        ends = [(float(alphas[-1]), float(betas[-1])) for alphas, betas in pairs]
        floors = self.memo_many(
            [("floor", alpha, beta, self.noise, self.problem) for alpha, beta in ends],
            lambda missing: list(
                mc.stationary_losses(quad, *np.transpose([ends[i] for i in missing]), self.noise)
            ),
        )
        columns: dict[str, np.ndarray] = {}
        lines = [("<b>schedule</b>", "<b>mean loss, last 20 % · expected floor · max |w − x_SPA|</b>")]
        for (key, (alphas, betas)), (momentum_errors, averaged_errors), floor, end in zip(
            plan.items(), runs, floors, ends, strict=True
        ):
            columns[f"step_k_{key}"], columns[f"step_{key}"] = corners(alphas / (1 - betas))
            gaps = mc.eigenbasis_loss_gap(quad, momentum_errors)
            cut = mc.divergence_step(gaps, bound=CAP * start_loss)
            shown = np.maximum(running_mean(gaps if cut is None else gaps[:cut]), FLOOR)
            dots = DOTS[len(shown) > DOTS]
            averaged_gaps = mc.eigenbasis_loss_gap(quad, averaged_errors)[: len(shown)]
            columns.update(
                {
                    f"k_{key}": np.arange(len(shown)),
                    key: on_log_axis(shown),
                    f"dot_k_{key}": dots,
                    f"dot_{key}": on_log_axis(np.maximum(running_mean(averaged_gaps)[dots], FLOOR)),
                }
            )
            lines.append(
                self._readout_row(quad, key, gaps, cut, end, floor, (momentum_errors, averaged_errors))
            )
        self.publish(**columns)
        self.step_plot.y_range.update(**dict(zip(("start", "end"), step_axis(columns, plan), strict=True)))
        self.show_readout(self.readout, rows(lines))

    def _runs(self, quad: mc.Quadratic, plan: list[tuple[np.ndarray, np.ndarray]]) -> list[tuple]:
        """(heavy ball, primal averaging) errors in the eigenbasis of each schedule in `plan`, all in one
        solve: the plots and the readout need no iterate (losses are ½Σλᵢxᵢ², w − x_SPA is Q times the
        errors' difference)."""
        alphas, betas = (np.stack([pair[i] for pair in plan]) for i in (0, 1))  # (schedule, step)
        momentum_runs, averaged_runs = mc.heavy_ball_and_primal_averaging_errors(
            quad, START, alphas, betas, self.noise, self.seed
        )
        return list(zip(momentum_runs, averaged_runs, strict=True))

    @staticmethod
    def _readout_row(
        quad: mc.Quadratic,
        key: str,
        gaps: np.ndarray,
        cut: int | None,
        end: tuple[float, float],
        floor: float,
        forms: tuple[np.ndarray, np.ndarray],
    ) -> tuple[str, str]:
        """One schedule's row; `forms` are the two forms' errors in the eigenbasis (equal in exact
        arithmetic; compared only for a run that does not diverge: inf − inf is not a number)."""
        label = SCHEDULES[key][0]
        if cut is not None:
            return label, f"diverges at step {cut}"
        tail = gaps[-STEPS // 5 :].mean()
        gap = np.abs((forms[0] - forms[1]) @ quad.eigenvectors.T).max()  # max over k, i of |wᵏ − x_SPAᵏ|ᵢ
        ends = f"ends at α = {format_number(end[0])}, β = {format_number(end[1])}"
        floor_text = f"{floor:.3e}" if np.isfinite(floor) else "none (does not converge)"
        return label, f"{tail:.3e} · {floor_text} · {gap:.1e} ({ends})"

    def layout(self) -> pn.viewable.Viewable:
        plots = side_by_side(self.loss_plot, self.step_plot)
        return self.controls_beside([self.problem_input(), *self.sliders, self.readout], plots, width=380)
