"""Section: critical damping — one eigencomponent's phase portrait (position against velocity).

For one eigenvalue λ the heavy ball is a damped oscillator: above the critical damping
β = (1 − √(αλ))² the roots of R are complex and the component spirals into the optimum (under-damped,
ripples at |σ| = √β); below it they are real and it slides in without turning round (over-damped); at it
the decay is fastest for that λ. Two components, λ = 1 and λ = 100 as in the article, under the same
(α, β): one β bar shows where each one's critical value lies.
"""

from __future__ import annotations

import numpy as np
import panel as pn
import param
from bokeh import events
from bokeh.models import ColumnDataSource, Label, Range1d, Span

import momentum_core as mc

from .. import controls, theme
from ..figure import (
    DIVERGES,
    Figure,
    momentum,
    note,
    pad,
    readout,
    rows,
    side_by_side,
    small_multiples,
    step_size,
)
from ..page_module import page_action
from ..url_state import format_number, format_rate

LAMBDAS = (1.0, 100.0)
START = 1.0  # x⁰ of each component; its velocity starts at 0
#: A portrait is drawn in (xᵏ, vᵏ/√(αλ)): a slow rotation by √(αλ) per step draws a circle of radius x⁰.
VIEW = 2.2
BAR_RANGE = (-0.05, 1.02)
#: The bar's colours: over-damped (below a component's critical β), under-damped (above it): gradient
#: descent's blue and momentum's vermillion, faint over the plot's own background (pale on white, muted
#: on the dark theme's).
BAND_COLORS = ("rgba(0, 114, 178, 0.2)", "rgba(213, 94, 0, 0.25)")
#: … named in the bar's legend.
BAND_NAMES = ("over-damped: slides in", "under-damped: spirals in")
TOLERANCE = 1e-3
#: β within this of a component's critical value counts as critically damped (the slider's step is 0.001).
CRITICAL_WITHIN = 5e-4


#: What each regime of a component reads as here.
REGIME_LABELS = {
    mc.Regime.RIPPLES: "under-damped: spirals in (complex roots)",
    mc.Regime.MONOTONE: "over-damped: slides in (real roots)",
    mc.Regime.ALTERNATING: "alternating sign (real roots)",
    mc.Regime.DIVERGENT: DIVERGES,
}


def damping_label(alpha: float, beta: float, lam: float) -> str:
    """Under-, over- or critically damped (or "alternating", "diverges") for one component."""
    if abs(beta - float(mc.critical_damping(alpha, lam))) <= CRITICAL_WITHIN and alpha * lam < 1:
        return "critically damped"
    return REGIME_LABELS[mc.Regime(int(mc.regime(alpha, beta, lam)))]


#: The grid's columns, named by the regime each β is meant to show (`grid_betas`).
GRID_COLUMNS = ("under-damped", "critically damped", "over-damped")
GRID_HEIGHT = 190
GRID_NOTE = (
    "Each component at this α, with β above, at and below its critical damping: under-damped it spirals, "
    "critically damped it comes straight in fastest, over-damped it creeps. Axes fitted to each run."
)
#: A fitted axis reaches this fraction of the data's span past it, and spans at least MIN_SPAN.
MARGIN = 0.08
MIN_SPAN = 0.1


def grid_betas(alpha: float, lam: float) -> tuple[float, float, float]:
    """β for each column of the grid: a quarter of the way from 1 down to the critical value c =
    (1 − √(αλ))² (under-damped), c itself, and a quarter of c (over-damped)."""
    c = float(mc.critical_damping(alpha, lam))
    return 1 - (1 - c) / 4, c, c / 4


def fitted(*values: np.ndarray) -> tuple[float, float]:
    """An axis that shows `values` and 0 (the optimum): their span and 0, MARGIN more each side."""
    low = min(0.0, *(float(v.min()) for v in values))
    high = max(0.0, *(float(v.max()) for v in values))
    pad = max(high - low, MIN_SPAN) * MARGIN
    middle = (low + high) / 2
    half = max(high - low, MIN_SPAN) / 2 + pad
    return middle - half, middle + half


def short_label(alpha: float, beta: float, lam: float) -> str:
    """`damping_label` up to its colon ("under-damped", "diverges", …), without markup."""
    label = damping_label(alpha, beta, lam)
    return "diverges" if label == DIVERGES else label.split(":")[0].split(" (")[0]


def bar_label_align(critical: float) -> str:
    """Where a "critical β = …" label runs from its tick on the β bar (0 to 1): right of a tick in the
    bar's left half, left of one in its right half — inside the bar at any width (centred on a tick near
    an end, the words ran past the plot's edge on a phone)."""
    return "left" if critical < 0.5 else "right"


def portrait(alpha: float, beta: float, lam: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """(xᵏ, vᵏ/√(αλ)) up to where the run leaves the view (past it: diverging)."""
    x, v = mc.phase_portrait(alpha, beta, lam, START, steps)
    scaled = v / np.sqrt(alpha * lam)
    outside = ~(np.isfinite(x) & np.isfinite(scaled)) | (np.abs(x) > 4 * VIEW) | (np.abs(scaled) > 4 * VIEW)
    cut = int(np.argmax(outside)) if outside.any() else len(x)
    return x[: max(cut, 1)], scaled[: max(cut, 1)]


class Damping(Figure):
    """Drag β along the bar (or the slider) across both critical values; α sets where they lie."""

    alpha = step_size(0.005, 1e-4, 0.04)
    beta = momentum(0.6)
    steps = param.Integer(300, bounds=(10, 1000), label="Steps")

    key = "damping"
    heading = "Critical damping: one component's phase portrait"
    caption = (
        "Try: move β across each tick of the bar — at critical damping the spiral straightens into a slide."
    )
    url_fields = ("alpha", "beta", "steps")
    page_module = "damping.js"
    drag_slider = "steps"

    def build(self) -> None:
        self.portraits = []
        for i, lam in enumerate(LAMBDAS):
            fig = self.plot(
                f"portrait{i}",
                f"λ = {lam:g}: position xᵏ against velocity",
                x_range=Range1d(-VIEW, VIEW),
                y_range=Range1d(-VIEW, VIEW),
                height=360,
                x_axis_label="position xᵏ",
                y_axis_label="velocity (xᵏ − xᵏ⁻¹)/√(αλ)",
                tools="",
                toolbar_location=None,
            )
            theme.curve(
                fig,
                self.frame,
                f"crit{i}_x",
                f"crit{i}_v",
                theme.OPTIMUM,
                "critically damped",
                line_dash="dashed",
            )
            theme.path(
                fig, self.frame, theme.MOMENTUM, "at this β", f"x{i}", f"v{i}", self.model_name(f"path{i}")
            )
            fig.scatter(
                [START],
                [0.0],
                size=11,
                fill_color="white",
                line_color=theme.START,
                line_width=2,
                legend_label="start",
            )
            fig.scatter([0.0], [0.0], marker="star", size=16, color=theme.OPTIMUM, legend_label="optimum")
            self.portraits.append(fig)

        # The grid: each component (row) at a β in each regime (column), its axes fitted to its run.
        self.grid_source = ColumnDataSource({}, name=self.model_name("grid"))
        self.grid_plots = []
        for i in range(len(LAMBDAS)):
            for j in range(len(GRID_COLUMNS)):
                small = self.plot(
                    f"grid{i}{j}",
                    "",
                    x_range=Range1d(-1, 1),
                    y_range=Range1d(-1, 1),
                    height=GRID_HEIGHT,
                    tools="",
                    toolbar_location=None,
                )
                small.xaxis.visible = small.yaxis.visible = False
                small.xgrid.visible = small.ygrid.visible = False
                for dimension in ("width", "height"):
                    small.add_layout(
                        Span(location=0, dimension=dimension, line_color="#999999", line_width=1)
                    )
                theme.path(small, self.grid_source, theme.MOMENTUM, None, f"x{i}{j}", f"v{i}{j}")
                small.scatter(
                    [START], [0.0], size=8, fill_color="white", line_color=theme.START, line_width=2
                )
                small.scatter([0.0], [0.0], marker="star", size=11, color=theme.OPTIMUM)
                self.grid_plots.append(small)

        self.bar = self.plot(
            "bar",
            "The β bar: click to set β; ticks mark each component's critical damping",
            x_range=Range1d(*BAR_RANGE),
            y_range=Range1d(-0.45, len(LAMBDAS) - 0.2),
            height=210,
            x_axis_label="momentum β",
            tools="",
            toolbar_location=None,
        )
        self.bar.yaxis.ticker = list(range(len(LAMBDAS)))
        self.bar.yaxis.major_label_overrides = {i: f"λ = {lam:g}" for i, lam in enumerate(LAMBDAS)}
        self.bar.ygrid.visible = False
        self.bar_source = ColumnDataSource(
            self._bands([0.0] * len(LAMBDAS)), name=self.model_name("bar_bands")
        )
        self.bar.hbar(y="row", left="left", right="right", height=0.55, color="color", source=self.bar_source,
                      legend_field="name")  # fmt: skip
        # β's line first: the words below are drawn over it, in their box, where it crosses them.
        self.beta_mark = Span(dimension="height", line_color=theme.MOMENTUM, line_width=3)
        self.bar.add_layout(self.beta_mark)
        self.bar_labels = []
        # The words in their own box: readable over the bands and β's line (light, or dark in the dark theme).
        style = {**theme.LABEL_STYLE, "text_font_size": "11px"}
        for i in range(len(LAMBDAS)):  # "critical β = …" just above each component's tick
            label = Label(x=0, y=i + 0.3, text="", text_align="center", **style)
            self.bar.add_layout(label)
            self.bar_labels.append(label)
        theme.markers(
            self.bar,
            self.frame,
            "crit_beta",
            "crit_row",
            marker="dash",
            angle=np.pi / 2,
            size=26,
            line_width=3,
            color=theme.OPTIMUM,
        )
        self.bar.on_event(events.Tap, self._tap_bar)

        notify = self.notify
        self.sliders = [
            controls.slider(self, "alpha", notify, step=0.001, log=True, digits=3),
            controls.slider(self, "beta", notify, step=0.001),
            controls.slider(self, "steps", notify, step=1),
        ]
        self.buttons = [
            controls.button(
                self, f"Critical β for λ = {lam:g}", lambda lam=lam: self._set_critical(lam), f"critical{i}"
            )
            for i, lam in enumerate(LAMBDAS)
        ]
        self.readout = readout(self.model_name("readout"))

    def page_spec(self) -> dict[str, object]:
        """The eigenvalues, start, view, the bar's range and colours, and the readout's words."""
        return {
            "lambdas": list(LAMBDAS),
            "start": START,
            "view": VIEW,
            "barRange": list(BAR_RANGE),
            "bandColors": list(BAND_COLORS),
            "bandNames": list(BAND_NAMES),
            "tolerance": TOLERANCE,
            "criticalWithin": CRITICAL_WITHIN,
            "regimeLabels": [REGIME_LABELS[regime] for regime in mc.Regime],
            "gridColumns": list(GRID_COLUMNS),
            "margin": MARGIN,
            "minSpan": MIN_SPAN,
        }

    def page_models(self) -> dict[str, object]:
        return {
            "sliders": self.controls_by_name(),
            "frame": self.frame,
            "ranges": [[fig.x_range, fig.y_range] for fig in self.portraits],
            "grid": self.grid_source,
            "grid_ranges": [[fig.x_range, fig.y_range] for fig in self.grid_plots],
            "grid_titles": [fig.title for fig in self.grid_plots],
            "bar": self.bar_source,
            "bar_labels": self.bar_labels,
            "beta_mark": self.beta_mark,
            "readout": self.readout,
        }

    def wire_page(self, update: object) -> None:
        """A click on the bar and the critical-β buttons set β in the page (the slider tells the server)."""
        sliders = {"alpha": self.sliders[0], "beta": self.sliders[1]}
        self.bar.js_on_event("tap", page_action(update, "tapBar", models={"sliders": sliders}))
        for i, button in enumerate(self.buttons):
            button.js_on_click(
                page_action(update, f"critical{i}", models={"sliders": sliders}, spec=self.spec_model)
            )

    def _tap_bar(self, event: events.Tap) -> None:
        beta = controls.finite(event.x)
        if beta is not None:
            controls.apply_number(self, "beta", round(beta, 3), self.notify)

    def _set_critical(self, lam: float) -> None:
        self.beta = float(np.clip(mc.critical_damping(self.alpha, lam), *self.param["beta"].bounds))

    def update(self) -> None:
        alpha, beta = self.alpha, self.beta
        columns: dict[str, object] = {}
        critical = [float(mc.critical_damping(alpha, lam)) for lam in LAMBDAS]
        grid = self.memo(("grid", alpha, self.steps), self.grid_runs)
        for i, lam in enumerate(LAMBDAS):
            x, v = portrait(alpha, beta, lam, self.steps)
            cx, cv = self.memo(
                ("critical", alpha, lam, self.steps),
                lambda lam=lam, c=critical[i]: portrait(alpha, c, lam, self.steps),
            )
            columns.update({f"x{i}": x, f"v{i}": v, f"crit{i}_x": cx, f"crit{i}_v": cv})
            # Axes fitted to the grid's three runs of this component (they move with α, not β) and to the
            # run at this β if it converges: a β drag rescales only when its run leaves that box.
            runs = grid[i]
            if float(mc.spectral_radius(alpha, beta, lam)) < 1:
                runs = [*runs, (x, v)]
            fit = [fitted(*(run[0] for run in runs)), fitted(*(run[1] for run in runs))]
            for axis, (low, high) in zip(
                (self.portraits[i].x_range, self.portraits[i].y_range), fit, strict=True
            ):
                axis.update(start=low, end=high)
        columns.update({"crit_beta": critical, "crit_row": list(range(len(LAMBDAS)))})
        self.publish(**columns)
        if getattr(self, "_grid_drawn", None) != (alpha, self.steps):
            self.draw_grid(grid)
        self.bar_source.data = self._bands(critical)
        for label, c in zip(self.bar_labels, critical, strict=True):
            label.update(x=c, text=f"critical β = {format_number(c)}", text_align=bar_label_align(c))
        self.beta_mark.location = beta
        self.show_readout(self.readout, lambda: rows(self._readout(critical)))

    def grid_runs(self) -> list[list[tuple[np.ndarray, np.ndarray]]]:
        """Each component's portraits at the grid's three β for this α (`grid_betas`), by row."""
        return [
            [portrait(self.alpha, beta, lam, self.steps) for beta in grid_betas(self.alpha, lam)]
            for lam in LAMBDAS
        ]

    def draw_grid(self, grid: list[list[tuple[np.ndarray, np.ndarray]]]) -> None:
        """The grid's runs for this α, each plot fitted to its run and titled by what the run does."""
        columns = {}
        for i, lam in enumerate(LAMBDAS):
            for j, beta in enumerate(grid_betas(self.alpha, lam)):
                x, v = grid[i][j]
                columns.update({f"x{i}{j}": x, f"v{i}{j}": v})
                small = self.grid_plots[i * len(GRID_COLUMNS) + j]
                (x0, x1), (v0, v1) = fitted(x), fitted(v)
                small.x_range.update(start=x0, end=x1)
                small.y_range.update(start=v0, end=v1)
                small.title.text = (
                    f"λ = {lam:g}, β = {format_number(beta)}: {short_label(self.alpha, beta, lam)}"
                )
        length = max(len(values) for values in columns.values())
        self.grid_source.data = {name: pad(values, length) for name, values in columns.items()}
        self._grid_drawn = (self.alpha, self.steps)

    @staticmethod
    def _bands(critical: list[float]) -> dict[str, list]:
        """Per component: over-damped (blue) below its critical β, under-damped (orange) above."""
        left, right, row, color, name = [], [], [], [], []
        for i, c in enumerate(critical):
            left += [BAR_RANGE[0], c]
            right += [c, 1.0]
            row += [i, i]
            color += list(BAND_COLORS)
            name += list(BAND_NAMES)
        return {"left": left, "right": right, "row": row, "color": color, "name": name}

    def _readout(self, critical: list[float]) -> list[tuple[str, str]]:
        lines = []
        for lam, c in zip(LAMBDAS, critical, strict=True):
            rate = float(mc.spectral_radius(self.alpha, self.beta, lam))
            steps = mc.iterations_to_tolerance(rate, TOLERANCE)
            lines += [
                (
                    f"<b>λ = {lam:g}</b>",
                    f"αλ = {format_number(self.alpha * lam)}, critical β = {format_number(c)}",
                ),
                ("at this β", damping_label(self.alpha, self.beta, lam)),
                ("rate max|σ(R)|", format_rate(rate)),
                ("steps to shrink 1000×", "—" if rate >= 1 else f"{steps:.0f}"),
            ]
        return lines

    def layout(self) -> pn.viewable.Viewable:
        plots = pn.Column(side_by_side(*self.portraits), self.bar, sizing_mode="stretch_width")
        columns = len(GRID_COLUMNS)
        rows_ = [
            small_multiples(self.grid_plots[i * columns : (i + 1) * columns], basis=240)
            for i in range(len(LAMBDAS))
        ]
        return pn.Column(
            self.controls_beside([*self.sliders, *self.buttons, self.readout], plots),
            note(GRID_NOTE),
            *rows_,
            sizing_mode="stretch_width",
        )
