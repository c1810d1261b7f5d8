"""Figure 2, decomposing the error: each eigencomponent's share ½λᵢ(xᵢᵏ)² of f(wᵏ) − f* (Distill)."""

from __future__ import annotations

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource, Label, NumeralTickFormatter, Range1d, Span

import momentum_core as mc

from .. import controls, theme
from ..figure import CONVERGES, DIVERGES, VERDICTS, momentum, readout, rows, step_size
from ..page_module import page_action
from ..problems import ProblemFigure, problem_spec
from ..url_state import format_number, format_rate

EIGENVALUES = (0.01, 0.1, 1.0)
PROBLEM = mc.Quadratic.from_eigenvalues(EIGENVALUES)
#: Contributions above this multiple of the starting loss are cut and the run labelled as diverging.
CAP = 1e6
#: The floor of the log-scale view (the stack has to start somewhere above 0).
LOG_FLOOR = 1e-12
#: A component counts as done once its share stays at or below this fraction of its start (its error
#: 10× smaller): the bar under the plot ends at that step.
DONE_SHARE = 1e-2
START_NOTE = "k = 0: every component starts with the same share"


def equal_shares_start(quad: mc.Quadratic) -> np.ndarray:
    """w⁰ with xᵢ⁰ = 1/√λᵢ: each component's share ½λᵢ(xᵢ⁰)² of f(w⁰) − f* is ½, so every band starts
    equally wide and what follows is the run's doing (the article's starting point)."""
    return quad.from_eigenbasis(1 / np.sqrt(quad.eigenvalues))


def done_steps(parts: np.ndarray, share: float = DONE_SHARE) -> list[int | None]:
    """Per component, the first step from which its share stays ≤ `share` × its start (None: not within
    the run). `parts` (steps+1, n) are the shares; a run cut as diverging has none done."""
    above = parts > share * parts[0]
    done = []
    for column in above.T:
        last = np.nonzero(column)[0]
        step = 0 if last.size == 0 else int(last[-1]) + 1
        done.append(step if step < len(column) else None)
    return done


def stacked_bounds(parts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper edges (steps+1, n) of each component's band when the parts are stacked."""
    upper = np.cumsum(parts, axis=1)
    return upper - parts, upper


class Decomposition(ProblemFigure):
    """Three components λ = 0.01, 0.1, 1 (or up to six typed ones); buttons set α (and β) from the core."""

    default_problem = PROBLEM
    dimensions = (1, len(theme.COMPONENTS))

    # Gradient descent's best step 2/(λ₁ + λₙ) (to the slider's 3 digits): the slowest and fastest
    # components then shrink at the same rate, the middle one fast.
    alpha = step_size(1.98, 1e-6, 10.0)  # log slider: wide enough for typed problems
    beta = momentum(0.0)
    steps = param.Integer(150, bounds=(1, 1000), label="Steps")
    scale = param.Selector(default="linear", objects=["linear", "log"], label="Scale")

    key = "decomposition"
    heading = "Decomposing the error"
    caption = (
        "Try: at this α the slowest and the fastest bands shrink together; press “Optimal α and β” and "
        "watch both bars shorten."
    )
    url_fields = ("alpha", "beta", "steps", "problem")
    page_module = "decomposition.js"
    drag_slider = "alpha"

    def build(self) -> None:
        self.plots = {}
        self.k_range = Range1d(0, self.steps)
        for scale in ("linear", "log"):
            fig = theme.plot(
                "f(wᵏ) − f* split into ½λᵢ(xᵢᵏ)², stacked",
                y_axis_type=scale,
                x_axis_label="iteration k",
                y_axis_label="loss contribution",
                name=self.model_name(scale),
                visible=(scale == self.scale),
                x_range=self.k_range,
                y_range=Range1d(LOG_FLOOR if scale == "log" else 0.0, 1.0),
            )
            for i in range(len(theme.COMPONENTS)):
                fig.varea(
                    "k",
                    f"lower{i}",
                    f"upper{i}",
                    source=self.frame,
                    fill_color=theme.COMPONENTS[i],
                    fill_alpha=0.85,
                    legend_label=f"λ{i + 1}",
                    name=self.model_name(f"band{i}_{scale}"),
                )
            fig.line(
                "k",
                "total",
                source=self.frame,
                color="black",
                line_width=1.5,
                legend_label="f(wᵏ) − f*",
            )
            self.plots[scale] = fig
        # Short labels up to the divergence cut (1.4, 250k, 1.2m), not 2.500e+5, and room for the widest
        # of them: the frame stays put from a converging α to a diverging one (it moved 9 px at each).
        self.plots["linear"].yaxis.formatter = NumeralTickFormatter(format="0.[0]a")
        self.plots["linear"].min_border_left = 66
        self.done_source = ColumnDataSource(
            {"row": [], "right": [], "color": [], "text": []}, name=self.model_name("done")
        )
        bars = theme.plot(
            f"When each band is down to 1/{1 / DONE_SHARE:g} of its start",
            x_range=self.k_range,
            y_range=Range1d(-0.6, len(EIGENVALUES) - 0.4),
            height=150,
            x_axis_label="iteration k",
            tools="",
            toolbar_location=None,
            name=self.model_name("done_plot"),
        )
        bars.yaxis.visible = False
        bars.ygrid.visible = False
        bars.hbar(
            y="row",
            left=0,
            right="right",
            height=0.7,
            color="color",
            fill_alpha=0.85,
            source=self.done_source,
        )
        bars.text(x=0, y="row", text="text", source=self.done_source, x_offset=6, text_baseline="middle",
                  text_font_size="12px", text_color="#222222")  # fmt: skip
        self.done_plot = bars
        self.divergence_markers = []
        for scale, fig in self.plots.items():
            marker = Span(
                location=0,
                dimension="height",
                line_color="#b00020",
                line_dash="dashed",
                line_width=2,
                visible=False,
                name=self.model_name(f"divergence_{scale}"),
            )
            fig.add_layout(marker)
            self.divergence_markers.append(marker)
        # Over the divergence line (on the overlay, a span's level): its box keeps the words legible.
        self.start_labels = []
        for fig in self.plots.values():
            label = Label(
                x=0, y=1.5, text=START_NOTE, x_offset=8, y_offset=-18, level="overlay", **theme.LABEL_STYLE
            )
            fig.add_layout(label)
            self.start_labels.append(label)

        notify = self.notify
        self.alpha_slider = controls.slider(self, "alpha", notify, step=0.001, log=True, digits=3)
        self.beta_slider = controls.slider(self, "beta", notify, step=0.001)
        self.steps_slider = controls.slider(self, "steps", notify, step=1)
        self.scale_choice = controls.choice(self, "scale")
        self.optimal_gd_button = controls.button(
            self, "Optimal step-size (β = 0)", self.set_optimal_step, "optimal_step"
        )
        self.optimal_momentum_button = controls.button(
            self, "Optimal α and β", self.set_optimal_momentum, "optimal_momentum"
        )
        self.readout = readout(self.model_name("readout"))

    def page_spec(self) -> dict[str, object]:
        """The problem, the cut and floor, and each button's (α, β) (`optimal_settings`)."""
        return {
            "problem": problem_spec(self.quad()),
            "cap": CAP,
            "doneShare": DONE_SHARE,
            "colors": list(theme.COMPONENTS),
            "logFloor": LOG_FLOOR,
            "bands": len(theme.COMPONENTS),
            "texts": VERDICTS,
            "optimal": {which: list(values) for which, values in self.optimal_settings().items()},
        }

    def page_models(self) -> dict[str, object]:
        return {
            "sliders": {"alpha": self.alpha_slider, "beta": self.beta_slider, "steps": self.steps_slider},
            "scale_choice": self.scale_choice,
            "frame": self.frame,
            "plots": self.plots,
            "done": self.done_source,
            "done_range": self.done_plot.y_range,
            "k_range": self.k_range,
            "markers": self.divergence_markers,
            "readout": self.readout,
        }

    def wire_page(self, update: object) -> None:
        """The buttons set α and β in the page (the sliders then tell the server)."""
        sliders = {"alpha": self.alpha_slider, "beta": self.beta_slider}
        for button, action in (
            (self.optimal_gd_button, "optimalStep"),
            (self.optimal_momentum_button, "optimalMomentum"),
        ):
            button.js_on_click(page_action(update, action, models={"sliders": sliders}, spec=self.spec_model))

    def served_update(self, changed: set[str]) -> None:
        """A typed problem's legend labels (the page draws its bands from the new spec)."""
        if "problem" in changed:
            self.label_bands(self.quad().eigenvalues)
        super().served_update(changed)

    def optimal_settings(self) -> dict[str, tuple[float, float]]:
        """(α, β) of each button: "step" α = 2/(λ₁ + λₙ), β = 0 (gradient descent's optimum); "momentum"
        (α*, β*). α within its slider's bounds."""
        lam = self.quad().eigenvalues
        alpha, beta = mc.optimal_parameters(lam[0], lam[-1])
        return {
            "step": (self.clamped_alpha(mc.optimal_step_size(lam[0], lam[-1])), 0.0),
            "momentum": (self.clamped_alpha(alpha), beta),
        }

    def set_optimal_step(self) -> None:
        alpha, beta = self.optimal_settings()["step"]
        self.param.update(alpha=alpha, beta=beta)

    def set_optimal_momentum(self) -> None:
        alpha, beta = self.optimal_settings()["momentum"]
        self.param.update(alpha=alpha, beta=beta)

    def clamped_alpha(self, alpha: float) -> float:
        return float(np.clip(alpha, *self.param.alpha.bounds))

    def label_bands(self, eigenvalues: np.ndarray) -> None:
        """Legend labels λᵢ = … and visibility for the problem's n bands (on a change of problem)."""
        if getattr(self, "_labelled", None) == self.problem:
            return
        self._labelled = self.problem
        for label in self.start_labels:  # at the top of the stack at k = 0: n shares of ½
            label.y = eigenvalues.size / 2
        for fig in self.plots.values():
            items = fig.legend[0].items
            for i in range(len(theme.COMPONENTS)):
                shown = i < eigenvalues.size
                items[i].visible = shown
                items[i].renderers[0].visible = shown
                if shown:
                    items[i].label = {"value": f"λ{i + 1} = {eigenvalues[i]:g}"}

    def update(self) -> None:
        for scale, fig in self.plots.items():
            fig.visible = scale == self.scale
        quad = self.quad()
        eigenvalues = quad.eigenvalues
        self.label_bands(eigenvalues)
        start = self.memo(("start", self.problem), lambda: equal_shares_start(quad))
        parts = mc.loss_contributions(quad, start, self.alpha, self.beta, self.steps)
        cut = mc.divergence_step(parts, bound=CAP * parts[0].sum())
        shown = parts if cut is None else parts[:cut]
        lower, upper = stacked_bounds(shown)
        bands = {}
        for i in range(len(theme.COMPONENTS)):
            if i >= quad.dim:  # a hidden band still needs its columns
                bands[f"lower{i}"] = bands[f"upper{i}"] = [LOG_FLOOR]
                continue
            floor = np.maximum(lower[:, i], LOG_FLOOR) if self.scale == "log" else lower[:, i]
            bands[f"lower{i}"], bands[f"upper{i}"] = floor, np.maximum(upper[:, i], floor)
        total = np.maximum(upper[:, -1], LOG_FLOOR)
        self.publish(k=np.arange(len(shown)), total=total, **bands)
        # Explicit ranges (a DataRange1d would be recomputed in the browser and echoed back); Bokeh sends
        # a message only for a value that changed, so only the visible plot's range is kept up to date.
        self.k_range.update(start=0, end=max(len(shown) - 1, 1))
        if self.scale == "linear":
            self.plots["linear"].y_range.update(start=0.0, end=float(total.max()) * 1.05)
        else:
            self.plots["log"].y_range.update(
                start=max(float(total.min()) / 3, LOG_FLOOR), end=float(total.max()) * 3
            )
        for marker in self.divergence_markers:
            marker.visible = cut is not None
            marker.location = len(shown) - 1 if cut is not None else 0
        self.done_source.data = self.done_bars(eigenvalues, shown, cut is not None)
        self.done_plot.y_range.update(start=-0.6, end=eigenvalues.size - 0.4)

        rate = mc.convergence_rate(self.alpha, self.beta, eigenvalues)
        component_rates = [mc.convergence_rate(self.alpha, self.beta, lam) for lam in eigenvalues]
        slowest = int(np.argmax(component_rates))
        largest = int(np.argmax(shown[-1]))
        status = (
            DIVERGES + (f" (cut at step {len(shown) - 1})" if cut else "")
            if rate >= 1 or cut is not None
            else CONVERGES
        )
        self.show_readout(
            self.readout,
            rows(
                [
                    ("<b>Status</b>", status),
                    ("rate max|σ(R)|", format_rate(rate)),
                    (
                        "rate per component",
                        ", ".join(f"λ{i + 1}: {format_number(r)}" for i, r in enumerate(component_rates)),
                    ),
                    ("slowest component (sets the rate)", f"λ{slowest + 1} = {eigenvalues[slowest]:g}"),
                    (f"largest share at step {len(shown) - 1}", f"λ{largest + 1} = {eigenvalues[largest]:g}"),
                    (f"f(w<sup>{len(shown) - 1}</sup>) − f*", f"{shown[-1].sum():.3e}"),
                ]
            ),
        )

    @staticmethod
    def done_bars(eigenvalues: np.ndarray, shown: np.ndarray, diverged: bool) -> dict[str, list]:
        """A bar per component from 0 to the step its band is done (`done_steps`), or across the run
        when it is not (yet), labelled with its eigenvalue and that step. Rows from the top: λ₁ first."""
        n = eigenvalues.size
        end = len(shown) - 1
        data = {"row": [], "right": [], "color": [], "text": []}
        for i, step in enumerate(done_steps(shown)):
            name = f"λ{i + 1} = {eigenvalues[i]:g}"
            data["row"].append(n - 1 - i)
            data["right"].append(float(end if step is None else step))
            data["color"].append(theme.COMPONENTS[i])
            if diverged:
                data["text"].append(f"{name}: diverges")
            elif step is None:
                data["text"].append(f"{name}: not within {end} steps")
            else:
                data["text"].append(f"{name}: step {step}")
        return data

    def layout(self) -> pn.viewable.Viewable:
        controls = [
            self.problem_input(), self.alpha_slider, self.beta_slider, self.steps_slider, self.scale_choice,
            self.optimal_gd_button, self.optimal_momentum_button, self.readout,
        ]  # fmt: skip
        plots = pn.Column(*self.plots.values(), self.done_plot, sizing_mode="stretch_width")
        return self.controls_beside(controls, plots)
