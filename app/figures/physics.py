"""Section: the heavy ball as physics — a damped oscillator and its discretisation (Qian 1999).

m w'' + μ w' = −k w along one Hessian direction; stepping it with Δt gives heavy ball with
ε = Δt²/(m + μΔt) and p = m/(m + μΔt) (Qian eqs. 3–5).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource, Range1d, Span

import momentum_core as mc

from .. import controls, theme
from ..figure import CONVERGES, DIVERGES, VERDICTS, Figure, on_log_axis, readout, rows, side_by_side
from ..page_module import page_action
from ..url_state import format_number

STEPS = 60
QIAN = {"mass": 2.0, "friction": 4.0, "dt": 0.5, "curvature": 30.0}  # Qian's experiment, A = diag(3, 30)
VIEW = 3.0  # |w| past this leaves the trajectory plot: the discrete run is cut there, labelled diverging
STABILITY_REGION = {"x": [0.0, 4.0, 0.0], "y": [-1.0, 1.0, 1.0]}  # 0 < εk < 2 + 2p, −1 < p < 1 (Qian)


def cut_at(values: np.ndarray, bound: float) -> np.ndarray:
    """The values up to the first that is not finite or exceeds `bound` in magnitude."""
    step = mc.divergence_step(values, bound=bound)
    return values if step is None else values[: max(step, 1)]


class Physics(Figure):
    """Mass, friction, time step and curvature; ε and p follow, and both views are drawn side by side."""

    mass = param.Number(2.0, bounds=(0.01, 10.0), label="Mass m")
    friction = param.Number(4.0, bounds=(0.1, 10.0), label="Friction μ")
    dt = param.Number(0.5, bounds=(0.01, 2.0), label="Time step Δt")
    curvature = param.Number(3.0, bounds=(0.01, 100.0), label="Curvature k")

    key = "physics"
    heading = "The heavy ball as physics"
    caption = "Try: lower the friction until the oscillator rings, or press the button for Qian's experiment."
    url_fields = ("mass", "friction", "dt", "curvature")
    page_module = "physics.js"
    drag_slider = "friction"
    why_low: ClassVar[dict[str, str]] = {
        "friction": "not a valid friction (μ must be > 0)",
        "dt": "not a valid time step (Δt must be > 0)",
        "curvature": "not a valid curvature (k must be > 0)",
    }

    def build(self) -> None:
        paths = theme.plot(
            "One direction of curvature k: the oscillator and its steps",
            height=330,
            x_axis_label="time t",
            y_range=(-VIEW, VIEW),
            x_range=Range1d(0, STEPS * self.dt),
            name=self.model_name("paths_plot"),
        )
        theme.curve(paths, self.frame, "t", "continuous", theme.MOMENTUM, "oscillator m w'' + μ w' = −k w")
        theme.curve(
            paths, self.frame, "t", "flow", theme.GRADIENT_DESCENT, "no mass: μ w' = −k w", line_dash="dashed"
        )
        theme.path(paths, self.frame, theme.MOMENTUM, "heavy ball (ε, p), t = jΔt", "t_steps", "steps")
        theme.path(paths, self.frame, theme.GRADIENT_DESCENT, "plain steps ε₀ = Δt/μ", "t_plain", "plain")

        self.speedup_plot = theme.plot(
            "Speed-up of the oscillator over the massless flow, |Re λ₁| / |λ₀|",
            height=330,
            x_axis_type="log",
            x_range=Range1d(0.01, 100),  # the curvatures drawn, set on every change (update)
            y_range=(0, 2.3),
            x_axis_label="curvature k",
            name=self.model_name("speedup_plot"),
        )
        theme.curve(self.speedup_plot, self.frame, "k_grid", "speedup", theme.MOMENTUM)
        self.speedup_plot.add_layout(
            Span(location=1, dimension="width", line_dash="dotted", line_color="black")
        )
        self.marks = {
            "critical": Span(dimension="height", line_dash="dashed", line_color=theme.OPTIMUM),
            "limit": Span(dimension="height", line_dash="dotted", line_color="black"),
            "k": Span(dimension="height", line_color=theme.MOMENTUM, line_width=2),
        }
        for mark in self.marks.values():
            self.speedup_plot.add_layout(mark)

        self.points = ColumnDataSource({}, name=self.model_name("points"))
        region = theme.plot(
            "Discrete stability: −1 < p < 1, 0 < εk < 2 + 2p",
            height=330,
            x_range=(-0.2, 4.5),
            y_range=(-1.2, 1.2),
            x_axis_label="εk",
            y_axis_label="momentum p",
            name=self.model_name("region_plot"),
        )
        region.patch(
            "x",
            "y",
            source=ColumnDataSource(STABILITY_REGION),
            fill_color=theme.OPTIMUM,
            fill_alpha=0.15,
            line_color=theme.OPTIMUM,
            legend_label="converges",
        )
        region.scatter("x", "y", source=self.points, color="color", size=12, legend_field="label")

        self.experiment_plot = theme.plot(
            "Qian's experiment A = diag(3, 30): ‖wʲ‖ at these m, μ, Δt",
            height=330,
            y_axis_type="log",
            x_range=(0, STEPS),
            y_range=(1e-8, 1e4),
            x_axis_label="step j",
            name=self.model_name("experiment_plot"),
        )
        for name, color, label in (
            ("momentum", theme.MOMENTUM, "heavy ball (ε, p)"),
            ("plain", theme.GRADIENT_DESCENT, "plain, ε₀ = Δt/μ"),
        ):
            theme.curve(self.experiment_plot, self.frame, f"j_{name}", f"experiment_{name}", color, label)
        self.paths_plot, self.region_plot = paths, region

        notify = self.notify
        self.sliders = [
            controls.slider(self, "mass", notify, step=0.01, log=True),
            controls.slider(self, "friction", notify, step=0.01, log=True),
            controls.slider(self, "dt", notify, step=0.01, log=True),
            controls.slider(self, "curvature", notify, step=0.01, log=True),
        ]
        self.experiment_button = controls.button(
            self, "Qian's experiment: m = 2, μ = 4, Δt = 0.5, k = 30", self.set_experiment, "experiment"
        )
        self.readout = readout(self.model_name("readout"))

    def page_spec(self) -> dict[str, object]:
        return {
            "steps": STEPS,
            "view": VIEW,
            "experiment": {"curvatures": [3.0, 30.0], "settings": QIAN},
            "texts": VERDICTS,
        }

    def page_models(self) -> dict[str, object]:
        return {
            "sliders": self.controls_by_name(),
            "frame": self.frame,
            "timeRange": self.paths_plot.x_range,
            "kRange": self.speedup_plot.x_range,
            "marks": self.marks,
            "points": self.points,
            "readout": self.readout,
        }

    def wire_page(self, update: object) -> None:
        """The button sets Qian's values in the page (the sliders then tell the server)."""
        sliders = {"sliders": self.page_models()["sliders"]}
        self.experiment_button.js_on_click(
            page_action(update, "experiment", models=sliders, spec=self.spec_model)
        )

    def set_experiment(self) -> None:
        self.param.update(**QIAN)

    def steps_shown(self) -> int:
        """Enough steps to see the slower of the oscillator and the flow settle (≈ 8 time constants)."""
        slow, _ = mc.continuous_roots(self.mass, self.friction, self.curvature)
        decay = min(abs(complex(slow).real), self.curvature / self.friction)
        return int(np.clip(np.ceil(8 / (decay * self.dt)), 10, STEPS))

    def update(self) -> None:
        m, mu, dt, k = self.mass, self.friction, self.dt, self.curvature
        epsilon, p = mc.qian_parameters(m, mu, dt)
        epsilon_plain, _ = mc.qian_parameters(0.0, mu, dt)
        one = mc.Quadratic.from_eigenvalues([k])
        count = self.steps_shown()
        steps = cut_at(mc.heavy_ball(one, [1.0], epsilon, p, count)[:, 0], VIEW)
        plain = cut_at(mc.gradient_descent(one, [1.0], epsilon_plain, count)[:, 0], VIEW)
        t = np.linspace(0, count * dt, 600)
        critical = mu * mu / (4 * m)
        k_grid = np.geomspace(critical / 100, critical * 100, 400)
        experiment = mc.qian_experiment(m, mu, dt, steps=STEPS)
        with np.errstate(over="ignore"):  # a diverging run's norm past the floats reads inf
            norms = {name: np.linalg.norm(run, axis=1) for name, run in experiment.items()}
        shown_norms = {
            name: on_log_axis(np.maximum(cut_at(values, 1e4), 1e-16)) for name, values in norms.items()
        }
        self.publish(
            t=t,
            continuous=np.clip(mc.oscillator_path(m, mu, k, t), -VIEW, VIEW),
            flow=mc.gradient_flow_path(mu, k, t),
            t_steps=dt * np.arange(len(steps)),
            steps=steps,
            t_plain=dt * np.arange(len(plain)),
            plain=plain,
            k_grid=k_grid,
            speedup=mc.continuous_speedup(m, mu, k_grid),
            **{f"experiment_{name}": values for name, values in shown_norms.items()},
            **{f"j_{name}": np.arange(len(values)) for name, values in shown_norms.items()},
        )
        self.paths_plot.x_range.update(start=0, end=count * dt)
        self.speedup_plot.x_range.update(start=k_grid[0], end=k_grid[-1])
        self.marks["critical"].location = critical
        self.marks["limit"].location = 2 * critical
        self.marks["k"].location = k
        self.points.data = {
            "x": [epsilon * k, epsilon_plain * k],
            "y": [p, 0.0],
            "color": [theme.MOMENTUM, theme.GRADIENT_DESCENT],
            "label": ["heavy ball (εk, p)", "plain (ε₀k, 0)"],
        }
        self.show_readout(self.readout, rows(self._readout(epsilon, p, epsilon_plain, norms)))

    def _readout(self, epsilon: float, p: float, epsilon_plain: float, norms: dict) -> list[tuple[str, str]]:
        m, mu, k = self.mass, self.friction, self.curvature
        slow, fast = mc.continuous_roots(m, mu, k)
        regime = str(mc.damping_regime(m, mu, k))
        speedup = mc.continuous_speedup(m, mu, k)

        def stability(eps: float, momentum: float) -> str:
            stable = bool(mc.discrete_stable(eps, momentum, k))
            rate = format_number(float(mc.spectral_radius(eps, momentum, k)))
            return f"{CONVERGES if stable else DIVERGES}, rate {rate}"

        experiment = [
            f"{name}: {'diverges' if mc.diverged(values, bound=1e4) else 'converges'}"
            for name, values in (("heavy ball", norms["momentum"]), ("plain", norms["plain"]))
        ]
        return [
            ("ε = Δt²/(m + μΔt), p = m/(m + μΔt)", f"{format_number(epsilon)}, {format_number(p)}"),
            ("oscillator", f"{regime}; λ₁,₂ = {_complex(slow)}, {_complex(fast)}"),
            ("massless flow λ₀ = −k/μ", format_number(-k / mu)),
            (
                "speed-up |Re λ₁|/|λ₀|",
                f"{format_number(speedup)} (> 1 iff k < μ²/2m = {format_number(mu * mu / (2 * m))})",
            ),
            ("peak 2× at critical damping k = μ²/4m", format_number(mu * mu / (4 * m))),
            ("heavy ball, εk = " + format_number(epsilon * k), stability(epsilon, p)),
            ("plain steps, ε₀k = " + format_number(epsilon_plain * k), stability(epsilon_plain, 0.0)),
            ("Qian's experiment (k = 3, 30)", "; ".join(experiment)),
        ]

    def layout(self) -> pn.viewable.Viewable:
        plots = pn.Column(
            side_by_side(self.paths_plot, self.speedup_plot),
            side_by_side(self.region_plot, self.experiment_plot),
            sizing_mode="stretch_width",
        )
        return self.controls_beside([*self.sliders, self.experiment_button, self.readout], plots)


def _complex(z: complex) -> str:
    z = complex(z)
    if abs(z.imag) < 1e-12:
        return format_number(z.real)
    return f"{format_number(z.real)} {'+' if z.imag > 0 else '−'} {format_number(abs(z.imag))}i"
