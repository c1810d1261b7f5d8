"""Section: the condition number κ decides everything (Distill; the textbook's κ table, 001).

At the optimal parameters gradient descent converges at (κ − 1)/(κ + 1) and momentum at
(√κ − 1)/(√κ + 1). Two speed-ups are shown, each labelled: per-step error reduction
(1 − ρ_mom)/(1 − ρ_GD) (the textbook's "Speedup Factor") and iterations ln ρ_mom / ln ρ_GD.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource

import momentum_core as mc

from .. import controls, theme
from ..figure import NOT_A_CONDITION_NUMBER, Figure, readout, rows, set_html
from ..prose import CONDITION_TABLE_NOTE
from ..url_state import format_number

KAPPA_RANGE = (1.0, 1e6)
KAPPAS = np.geomspace(1.0001, KAPPA_RANGE[1], 400)

#: The textbook's table (001): κ, ρ_GD, ρ_momentum, quoted "Speedup Factor".
SOURCE_TABLE = ((10, 0.818, 0.519, 2.6), (100, 0.980, 0.818, 9), (1_000, 0.998, 0.939, 30),
                (10_000, 0.9998, 0.980, 100))  # fmt: skip


def iterations(rate: float, digits: float) -> str:
    """Steps to shrink the error 10^digits-fold at `rate`."""
    return f"{mc.iterations_to_tolerance(rate, 10.0**-digits):,.0f}"


def speedups(kappa: float) -> tuple[str, str]:
    """(per-step, iterations) speed-ups as text; κ = 1 has both methods exact in one step: no ratio."""
    if kappa <= 1.0:
        return "— (both exact in one step)", "— (both exact in one step)"
    return f"{mc.speedup_per_step(kappa):.3g}×", f"{mc.speedup_in_iterations(kappa):.3g}×"


def source_table_html() -> str:
    """The source's κ table recomputed live, with where its numbers differ from the maths marked."""
    head = ("<tr><th>κ</th><th>ρ GD</th><th>ρ momentum</th><th>β*</th><th>speed-up per step</th>"
            "<th>speed-up in iterations</th><th>source says</th></tr>")  # fmt: skip
    body = []
    for kappa, gd, mom, quoted in SOURCE_TABLE:
        per_step, in_iterations = speedups(kappa)
        _, beta = mc.optimal_parameters(1.0, kappa)
        rates_agree = (
            abs(mc.gd_optimal_rate(kappa) - gd) < 5e-4 and abs(mc.momentum_optimal_rate(kappa) - mom) < 5e-4
        )
        # The quoted factor is read as a speed-up in iterations; mark it where that is more than 10 % off.
        off = abs(quoted / mc.speedup_in_iterations(kappa) - 1) > 0.1
        mark = ("" if rates_agree else " (rates differ)") + (" ≠ in iterations" if off else "")
        body.append(
            f"<tr><td>{kappa:,}</td><td>{mc.gd_optimal_rate(kappa):.4f}</td>"
            f"<td>{mc.momentum_optimal_rate(kappa):.4f}</td><td>{beta:.3f}</td><td>{per_step}</td>"
            f"<td><b>{in_iterations}</b></td><td>~{quoted:g}×{mark}</td></tr>"
        )
    return f"<table>{head}{''.join(body)}</table><p>{CONDITION_TABLE_NOTE}</p>"


class Condition(Figure):
    """A κ control on a log scale; every number is momentum_core's at the optimal parameters."""

    kappa = param.Number(100.0, bounds=KAPPA_RANGE, label="Condition number κ")
    digits = param.Number(3.0, bounds=(1.0, 12.0), label="Shrink the error by 10^")

    key = "condition"
    heading = "The condition number"
    caption = "Try: slide κ up to 10⁶ — the steps momentum needs grow like √κ, those of descent like κ."
    url_fields = ("kappa", "digits")
    page_module = "condition.js"
    drag_slider = "kappa"
    why_low: ClassVar[dict[str, str]] = {"kappa": NOT_A_CONDITION_NUMBER}

    def build(self) -> None:
        _, betas = zip(*(mc.optimal_parameters(1.0, k) for k in KAPPAS), strict=True)
        curves = ColumnDataSource(
            {"kappa": KAPPAS, "gd": mc.gd_optimal_rate(KAPPAS), "momentum": mc.momentum_optimal_rate(KAPPAS),
             "beta": np.array(betas)}, name=self.model_name("curves"))  # fmt: skip
        fig = theme.plot("Optimal rates and β* against κ", x_axis_type="log", x_range=(1, KAPPA_RANGE[1]),
                         y_range=(0, 1.02), x_axis_label="condition number κ", y_axis_label="rate / β*",
                         name=self.model_name("plot"), height=380)  # fmt: skip
        fig.line("kappa", "gd", source=curves, color=theme.GRADIENT_DESCENT, line_width=2,
                 legend_label="ρ gradient descent (κ−1)/(κ+1)")  # fmt: skip
        fig.line("kappa", "momentum", source=curves, color=theme.MOMENTUM, line_width=2,
                 legend_label="ρ momentum (√κ−1)/(√κ+1)")  # fmt: skip
        fig.line("kappa", "beta", source=curves, color=theme.OPTIMUM, line_width=2, line_dash="dashed",
                 legend_label="β* = ((√κ−1)/(√κ+1))²")  # fmt: skip
        for column, color in (
            ("gd", theme.GRADIENT_DESCENT),
            ("momentum", theme.MOMENTUM),
            ("beta", theme.OPTIMUM),
        ):
            fig.scatter("kappa", column, source=self.frame, size=10, color=color, line_color="white")
        self.plot = fig
        self.kappa_slider = controls.slider(self, "kappa", self.notify, step=0.01, log=True, digits=4)
        self.digits_slider = controls.slider(self, "digits", self.notify, step=0.5)
        self.readout = readout(self.model_name("readout"))
        self.table = readout(self.model_name("table"))
        set_html(self.table, source_table_html())

    def page_models(self) -> dict[str, object]:
        return {
            "sliders": self.controls_by_name(),
            "frame": self.frame,
            "readout": self.readout,
        }

    def update(self) -> None:
        kappa = self.kappa
        alpha, beta = mc.optimal_parameters(1.0, kappa)
        gd, mom = mc.gd_optimal_rate(kappa), mc.momentum_optimal_rate(kappa)
        self.publish(kappa=[kappa], gd=[gd], momentum=[mom], beta=[beta])
        per_step, in_iterations = speedups(kappa)
        digits = format_number(self.digits)
        self.show_readout(self.readout, rows([
            ("eigenvalues", f"λ₁ = 1, λₙ = κ = {format_number(kappa)}"),
            ("optimal step-size, gradient descent", format_number(mc.optimal_step_size(1.0, kappa))),
            ("optimal (α*, β*), momentum", f"({format_number(alpha)}, {format_number(beta)})"),
            ("rate ρ, gradient descent", format_number(gd)),
            ("rate ρ, momentum", format_number(mom)),
            (f"steps to shrink the error 10<sup>{digits}</sup>×: GD", iterations(gd, self.digits)),
            ("… momentum", iterations(mom, self.digits)),
            ("speed-up per step (1 − ρ_mom)/(1 − ρ_GD)", per_step),
            ("speed-up in iterations ln ρ_mom / ln ρ_GD", in_iterations),
        ]))  # fmt: skip

    def layout(self) -> pn.viewable.Viewable:
        controls_ = [self.kappa_slider, self.digits_slider, self.readout]
        return pn.Column(self.controls_beside(controls_, self.plot), self.table, sizing_mode="stretch_width")
