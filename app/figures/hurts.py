"""Section: when momentum hurts — a sharp (well-conditioned) direction, and a target that keeps moving.

Both compare plain descent and heavy ball at the same step α: along a curvature λ with αλ near 1 plain
descent lands at once while momentum ripples at rate √β; and a minimum that oscillates as cos(ωk) is
followed worse by momentum at frequencies where its filter resonates (`momentum_core.tracking_gain`).
"""

from __future__ import annotations

import numpy as np
import panel as pn
import param
from bokeh.models import Span

import momentum_core as mc

from .. import controls, theme
from ..figure import DIVERGES, Figure, momentum, on_log_axis, readout, rows, side_by_side, step_size
from ..url_state import format_number

STEPS = 60  # iterations shown along the sharp direction
TRACK_STEPS = 150  # iterations shown following the moving target
TOLERANCE = 1e-6
CAP = 1e6
LAMBDAS = np.geomspace(0.01, 100, 400)
OMEGAS = np.linspace(0.0, np.pi, 400)
SHADE = 10.0  # height of the "plain descent wins" bands (above every y-range used)
METHODS = {
    "gd": ("plain descent (β = 0)", theme.GRADIENT_DESCENT),
    "momentum": ("momentum (α, β)", theme.MOMENTUM),
}


#: Two values closer than this are a tie (round-off, as two gains of 10⁻¹⁶ where both reach the target).
TIE = {"rtol": 1e-9, "atol": 1e-12}


def winner_band(plain: np.ndarray, heavy: np.ndarray) -> np.ndarray:
    """SHADE where plain descent does better (a smaller value, not a tie), else 0: drawn as a band."""
    return np.where((plain < heavy) & ~np.isclose(plain, heavy, **TIE), SHADE, 0.0)


class Hurts(Figure):
    """One (α, β) for both cases; the curvature λ of the sharp direction; the target's frequency ω."""

    alpha = step_size(0.5, 1e-3, 2.0)
    beta = momentum(0.6)
    curvature = param.Number(1.5, bounds=(0.01, 100.0), label="Curvature λ")
    omega = param.Number(1.0, bounds=(0.0, float(np.pi)), label="Target frequency ω")

    key = "hurts"
    heading = "When momentum hurts"
    caption = "Try: set αλ near 1 — plain descent lands at once while momentum ripples at √β."
    url_fields = ("alpha", "beta", "curvature", "omega")
    page_module = "hurts.js"
    drag_slider = "alpha"

    def build(self) -> None:
        self.sharp_plot = self.plot(
            "sharp_plot",
            "Sharp direction: |wᵏ − w*| along curvature λ",
            y_axis_type="log",
            x_range=(0, STEPS),
            y_range=(1e-12, 10),
            height=300,
            x_axis_label="iteration k",
        )
        self.rates_plot = self.plot(
            "rates_plot",
            "Rate against curvature at this (α, β)",
            x_axis_type="log",
            x_range=theme.padded_range(LAMBDAS[0], LAMBDAS[-1], log=True),
            y_range=(0, 1.2),
            height=300,
            x_axis_label="curvature λ",
        )
        self.track_plot = self.plot(
            "track_plot",
            "Moving target cₖ = cos(ωk) and the iterates after each step",
            x_range=(0, TRACK_STEPS),
            y_range=(-2.5, 2.5),
            height=300,
            x_axis_label="iteration k",
        )
        self.gain_plot = self.plot(
            "gain_plot",
            "Tracking error amplitude against ω",
            x_range=theme.padded_range(OMEGAS[0], OMEGAS[-1]),
            y_range=(0, 3),
            height=300,
            x_axis_label="target frequency ω",
        )
        for plot, x in ((self.rates_plot, "lam"), (self.gain_plot, "omega")):
            plot.varea(
                x,
                0,
                f"{x}_gd_wins",
                source=self.frame,
                fill_color=theme.GRADIENT_DESCENT,
                fill_alpha=0.12,
                legend_label="plain descent wins",
            )
        theme.curve(
            self.track_plot, self.frame, "k_track", "target", "black", "target cₖ", line_dash="dashed"
        )
        for key, (label, color) in METHODS.items():
            theme.curve(self.sharp_plot, self.frame, f"k_{key}", f"error_{key}", color, label)
            theme.curve(self.rates_plot, self.frame, "lam", f"rate_{key}", color, label)
            theme.curve(self.track_plot, self.frame, "k_track", f"track_{key}", color, label)
            theme.curve(self.gain_plot, self.frame, "omega", f"gain_{key}", color, label)
        self.marks = {
            "lam": Span(dimension="height", line_color="black"),
            "omega": Span(dimension="height", line_color="black"),
        }
        self.rates_plot.add_layout(self.marks["lam"])
        self.gain_plot.add_layout(self.marks["omega"])
        self.track_plot.legend.visible = False  # same colours as beside it; the target is dashed

        notify = self.notify
        self.sliders = [
            controls.slider(self, "alpha", notify, step=0.005, log=True, digits=3),
            controls.slider(self, "beta", notify, step=0.001),
            controls.slider(self, "curvature", notify, step=0.01, log=True),
            controls.slider(self, "omega", notify, step=0.005),
        ]
        self.readout = readout(self.model_name("readout"))

    def page_spec(self) -> dict[str, object]:
        """The curves' λ and ω grids, the runs' lengths and caps, the readout's words."""
        return {
            "lambdas": LAMBDAS.tolist(),
            "omegas": OMEGAS.tolist(),
            "steps": STEPS,
            "trackSteps": TRACK_STEPS,
            "cap": CAP,
            "shade": SHADE,
            "tolerance": TOLERANCE,
            "methods": [[key, label] for key, (label, _) in METHODS.items()],
            "texts": {"diverges": DIVERGES},
        }

    def page_models(self) -> dict[str, object]:
        return {
            "sliders": self.controls_by_name(),
            "frame": self.frame,
            "marks": self.marks,
            "readout": self.readout,
        }

    def update(self) -> None:
        alpha, lam = self.alpha, self.curvature
        betas = {"gd": 0.0, "momentum": self.beta}
        one = mc.Quadratic.from_eigenvalues([lam])
        k_track = np.arange(TRACK_STEPS)
        target = np.cos(self.omega * k_track)
        columns: dict[str, np.ndarray] = {
            "lam": LAMBDAS,
            "omega": OMEGAS,
            "k_track": k_track,
            "target": target,
        }
        results = {}
        for key, beta in betas.items():
            error = np.abs(mc.heavy_ball(one, [1.0], alpha, beta, STEPS)[:, 0])
            cut = mc.divergence_step(error, bound=CAP)
            track = mc.tracking_run(lam, alpha, beta, target)[1:]
            track_cut = mc.divergence_step(track, bound=CAP)
            rate = float(mc.spectral_radius(alpha, beta, lam))
            columns.update(
                {
                    f"k_{key}": np.arange(STEPS + 1 if cut is None else max(cut, 1)),
                    f"error_{key}": on_log_axis(
                        np.maximum(error if cut is None else error[: max(cut, 1)], 1e-16)
                    ),
                    f"rate_{key}": np.minimum(mc.spectral_radius(alpha, beta, LAMBDAS), SHADE),
                    f"gain_{key}": np.minimum(mc.tracking_gain(lam, alpha, beta, OMEGAS), SHADE),
                    f"track_{key}": np.clip(
                        track if track_cut is None else track[: max(track_cut, 1)], -CAP, CAP
                    ),
                }
            )
            results[key] = (rate, float(mc.tracking_gain(lam, alpha, beta, self.omega)))
        columns["lam_gd_wins"] = winner_band(columns["rate_gd"], columns["rate_momentum"])
        columns["omega_gd_wins"] = winner_band(columns["gain_gd"], columns["gain_momentum"])
        self.publish(**columns)
        self.marks["lam"].location = lam
        self.marks["omega"].location = self.omega
        self.show_readout(self.readout, rows(self._readout(results)))

    def _readout(self, results: dict[str, tuple[float, float]]) -> list[tuple[str, str]]:
        lines = [
            (
                "<b>sharp direction</b>",
                f"λ = {format_number(self.curvature)}, αλ = {format_number(self.alpha * self.curvature)}",
            )
        ]
        steps = {}
        for key, (label, _) in METHODS.items():
            rate = results[key][0]
            steps[key] = mc.iterations_to_tolerance(rate, TOLERANCE)
            count = f"{steps[key]:.0f} step{'' if steps[key] == 1 else 's'}"
            shown = DIVERGES if rate >= 1 else f"rate {format_number(rate)}, {count} to 10⁻⁶"
            lines.append((label, shown))
        lines.append(("verdict", self._verdict(steps["gd"], steps["momentum"], "fewer steps")))
        lines.append(("<b>moving target</b>", f"ω = {format_number(self.omega)}"))
        gains = {}
        for key, (label, _) in METHODS.items():
            rate, gains[key] = results[key]  # below 1e-12: 0 up to round-off
            gains[key] = np.inf if rate >= 1 else (0.0 if gains[key] < 1e-12 else gains[key])
            lines.append((label, DIVERGES if rate >= 1 else f"error amplitude {format_number(gains[key])}"))
        lines.append(("verdict", self._verdict(gains["gd"], gains["momentum"], "smaller error")))
        return lines

    @staticmethod
    def _verdict(plain: float, heavy: float, what: str) -> str:
        if not (np.isfinite(plain) or np.isfinite(heavy)):
            return "both diverge"
        if np.isclose(plain, heavy, **TIE):
            return "a tie"
        return f"<b>plain descent wins</b> ({what})" if plain < heavy else f"momentum wins ({what})"

    def layout(self) -> pn.viewable.Viewable:
        plots = pn.Column(
            side_by_side(self.sharp_plot, self.rates_plot),
            side_by_side(self.track_plot, self.gain_plot),
            sizing_mode="stretch_width",
        )
        return self.controls_beside([*self.sliders, self.readout], plots)
