"""Figure 3, the (α, β) plane: where heavy ball converges, how fast, and in which regime (Distill)."""

from __future__ import annotations

import functools
import math
from typing import ClassVar

import numpy as np
import panel as pn
import param
from bokeh import events
from bokeh.models import ColorBar, ColumnDataSource, LinearColorMapper, PointDrawTool, Range1d, Span
from bokeh.palettes import Viridis256

import momentum_core as mc

from .. import controls, theme
from ..figure import (
    CONVERGES,
    DIVERGES,
    NOT_A_CONDITION_NUMBER,
    VERDICTS,
    Figure,
    momentum,
    note,
    readout,
    rows,
    small_multiples,
    step_size,
)
from ..page_module import page_action, page_callback
from ..url_state import format_number, format_rate

LAM_MAX = 1.0  # eigenvalues span [1/κ, 1]; α then reads in units of 1/λₙ
ALPHA_RANGE = (1e-3, 4.2)
BETA_RANGE = (-0.9, 1.02)
GRID = (320, 240)  # (α cells, β cells)
TRACE_STEPS = 100
TRACE_CAP = 1e3
ALPHAS = np.linspace(*ALPHA_RANGE, GRID[0])
BETAS = np.linspace(*BETA_RANGE, GRID[1])
#: Regime labels are placed from every LABEL_STRIDE-th cell of the grid: a place for a word needs no
#: finer map (a 4 × 4 block is about 6 × 9 px), and the whole grid's regimes cost 10 ms per κ.
LABEL_STRIDE = 4
CRITICAL_POINTS = 200  # points on each critical-damping curve
#: The colour scale starts a little below the best rate on the map, so the structure near the optimum shows.
LOW_MARGIN = 0.98
#: A regime's label is a box of cells of that grid, sized for a phone's map (its smallest: 240 × 320 px,
#: 3 × 5 px a cell): its words at 13 px bold ≈ 7.5 px a character and 8 px of padding across, 18 px up.
LABEL_CELL_PX = (3, 5)
LABEL_CHAR_PX, LABEL_PAD_PX, LABEL_HEIGHT_PX = 7.5, 8, 18
#: A marker — a numbered ring, the optimum's star, the reader's marker where the page opens (OPENING) —
#: covers this many cells either side of its own (across, up).
MARKER_CELLS = (3, 2)
OPENING = (0.5, 0.6)  # (α, β)
#: The map's word for each regime, its label there (the readout, the legend and the examples under the
#: map name it in full): words short enough to find a place clear of the numbered rings and the star.
#: The full names, as wide as three quarters of a phone's map, left "monotone decrease" no place off
#: the rings and the optimum for κ from 1.6 to 7, and at 33 of the label test's 81 κs from 1 to 10⁴
#: covered a marker; these at 1 (κ ≈ 2 800: "ripples" has no place in its regime clear of the star).
MAP_WORDS = {
    mc.Regime.RIPPLES: "ripples",
    mc.Regime.MONOTONE: "monotone",
    mc.Regime.ALTERNATING: "alternating",
    mc.Regime.DIVERGENT: "diverges",
}
#: What a place for a label loses for each cell of an earlier label's box it covers, for each marker,
#: and for a centre outside its regime (taken only where no box centred in it fits the map: above
#: κ ≈ 1 200 the strip of alternating sign is narrower than its word); it gains one for each cell of its
#: regime.
OVERLAP_COST, MARKER_COST, OFF_REGIME_COST = 8, 100, 2**20
#: Steps drawn in each small example (mc.REGIME_EXAMPLES), and its plot's height.
EXAMPLE_STEPS = 30
EXAMPLE_HEIGHT = 170
#: What each small example shows, in a line under it.
EXAMPLE_WORDS = {
    "ripples": "R's eigenvalues are complex: the error swings through 0 as it shrinks, at |σ| = √β.",
    "monotone decrease": "Real, positive eigenvalues below 1: it creeps to 0 from one side, like descent.",
    "one step": "α = 1/λ, β = 0: R is nilpotent and this component is solved in one step.",
    "alternating sign": "R's largest eigenvalue in size is negative: the error flips sign every step.",
    "diverges": "An eigenvalue outside the unit circle: every step makes the error larger.",
}
EXAMPLES_NOTE = (
    "One component, λₙ = 1, at five places on the map (the numbered rings; the blue curve is its critical "
    "damping). Click one to move there."
)


def rate_grid(kappa: float) -> np.ndarray:
    """max|σ(R)| over λ ∈ {1/κ, 1} on the whole (β, α) grid: the larger of the two eigenvalues' rates,
    λₙ's computed once (it is LAM_MAX for every κ) — the same numbers as one call for both."""
    return np.maximum(mc.convergence_rate(ALPHAS[None, :], BETAS[:, None], LAM_MAX / kappa), _largest_rates())


@functools.cache
def _largest_rates() -> np.ndarray:
    """max|σ(R)| for λₙ = LAM_MAX on the grid (read-only: shared by every session)."""
    rates = mc.convergence_rate(ALPHAS[None, :], BETAS[:, None], LAM_MAX)
    rates.flags.writeable = False
    return rates


#: The image carries colour codes, not rates: code i < 256 is Viridis256[i], DIVERGED is grey.
DIVERGED = 257
PALETTE_SIZE = len(Viridis256)


def colour_codes(rates: np.ndarray, low: float, high: float = 1.0) -> np.ndarray:
    """The colour BokehJS's LinearColorMapper(low, high) over 256 colours gives each rate, as a uint16 code.

    The same arithmetic in float64 as BokehJS (index = ⌊(v − low)·(1/(high − low)) / (1/256)⌋, v = high
    → 255, below low → the first colour, above high → `high_color`): every cell is drawn exactly as the
    float64 rate would be, from a quarter of its bytes (and codes compress where rates do not). The
    image's own mapper spans [0, 256], where a code's index is the code itself (1/256 is exact).
    """
    with np.errstate(invalid="ignore"):
        index = np.floor((rates - low) * (1 / (high - low)) / (1 / PALETTE_SIZE))
    index = np.where(rates == high, PALETTE_SIZE - 1, np.clip(index, -1, PALETTE_SIZE))
    index = np.where(index < 0, 0, np.where(index >= PALETTE_SIZE, DIVERGED, index))
    return index.astype(np.uint16)


def label_box(text: str) -> tuple[int, int]:
    """The cells a label's box (its words, MAP_WORDS) reaches either side of its centre cell: (across,
    up), at most half the label grid (a box centred on some cell then fits the map)."""
    cols, rows = len(ALPHAS[::LABEL_STRIDE]), len(BETAS[::LABEL_STRIDE])
    across = math.ceil((len(text) * LABEL_CHAR_PX + LABEL_PAD_PX) / 2 / LABEL_CELL_PX[0])
    up = math.ceil(LABEL_HEIGHT_PX / 2 / LABEL_CELL_PX[1])
    return min(across, (cols - 1) // 2), min(up, (rows - 1) // 2)


def label_cell(alpha: float, beta: float) -> tuple[int, int]:
    """The label grid's cell (row, column) nearest (α, β)."""
    alphas, betas = ALPHAS[::LABEL_STRIDE], BETAS[::LABEL_STRIDE]
    return (
        math.floor((beta - betas[0]) / (betas[1] - betas[0]) + 0.5),
        math.floor((alpha - alphas[0]) / (alphas[1] - alphas[0]) + 0.5),
    )


def fixed_markers() -> list[tuple[int, int]]:
    """The cells of the markers κ does not move: the numbered rings, the reader's where the page opens."""
    return [label_cell(alpha, beta) for _, alpha, beta, _ in mc.REGIME_EXAMPLES] + [label_cell(*OPENING)]


def regime_label_positions(kappa: float) -> dict[str, list]:
    """A label per regime (its MAP_WORDS), the smallest regime's first (it has the fewest places),
    centred (on a cell of it, where one fits) where its box (`label_box`, on the grid's every
    LABEL_STRIDE-th cell, inside the map) covers the most cells of its regime, the fewest of the labels
    placed before it and no marker (`fixed_markers` and the optimum's star; OVERLAP_COST, MARKER_COST);
    of equal places, the nearest the regime's centre of mass (px, on a phone's map), then the first row
    by row. Whole numbers throughout: the page module finds the same cells. Listed as placed."""
    alphas, betas = ALPHAS[::LABEL_STRIDE], BETAS[::LABEL_STRIDE]
    lam = [LAM_MAX / kappa, LAM_MAX]
    codes = mc.dominant_regime(alphas[None, :], betas[:, None], lam)
    rows, cols = codes.shape
    markers = [*fixed_markers(), label_cell(*mc.optimal_parameters(*lam))]
    labels: dict[str, list] = {"x": [], "y": [], "text": []}
    placed: list[tuple[int, int, int, int]] = []  # boxes: first and last row, first and last column
    sizes = {regime: int((codes == regime).sum()) for regime in mc.Regime}
    for regime in sorted(mc.Regime, key=lambda regime: (sizes[regime], regime)):  # the smallest first
        mine, n = codes == regime, sizes[regime]
        if n == 0:
            continue
        across, up = label_box(MAP_WORDS[regime])
        sums = np.zeros((rows + 1, cols + 1), dtype=np.int64)  # cells of the regime up to (row, column)
        sums[1:, 1:] = mine.cumsum(axis=0).cumsum(axis=1)
        row, col = np.mgrid[up : rows - up, across : cols - across]  # every centre whose box is inside
        top, bottom, left, right = row + up + 1, row - up, col + across + 1, col - across
        own = sums[top, left] - sums[bottom, left] - sums[top, right] + sums[bottom, right]
        overlap = sum(
            np.maximum(np.minimum(r1, row + up) - np.maximum(r0, row - up) + 1, 0)
            * np.maximum(np.minimum(c1, col + across) - np.maximum(c0, col - across) + 1, 0)
            for r0, r1, c0, c1 in placed
        )
        covered = sum(
            (np.abs(r - row) <= up + MARKER_CELLS[1]) & (np.abs(c - col) <= across + MARKER_CELLS[0])
            for r, c in markers
        )
        off = np.where(mine[row, col], 0, OFF_REGIME_COST)
        score = own - OVERLAP_COST * overlap - MARKER_COST * covered - off
        in_rows, in_cols = np.nonzero(mine)
        far = (LABEL_CELL_PX[0] * (col * n - int(in_cols.sum()))) ** 2 + (
            LABEL_CELL_PX[1] * (row * n - int(in_rows.sum()))
        ) ** 2
        best = np.lexsort((np.arange(score.size), far.ravel(), -score.ravel()))[0]
        r, c = int(row.ravel()[best]), int(col.ravel()[best])
        placed.append((r - up, r + up, c - across, c + across))
        labels["x"].append(float(alphas[c]))
        labels["y"].append(float(betas[r]))
        labels["text"].append(MAP_WORDS[regime])
    return labels


class Regions(Figure):
    """Click or drag on the map to move (α, β); κ sets the eigenvalue range [1/κ, 1]."""

    alpha = step_size(OPENING[0], *ALPHA_RANGE)
    beta = momentum(OPENING[1], *BETA_RANGE)
    kappa = param.Number(100.0, bounds=(1.0, 1e4), label="Condition number κ")
    component = param.Selector(default="λ₁ = 1/κ", objects=["λ₁ = 1/κ", "λₙ = 1"], label="Trace of")

    key = "regions"
    heading = "Where momentum converges: the (α, β) plane"
    caption = "Try: drag the marker; above its critical-damping curve a component ripples (complex roots)."
    url_fields = ("alpha", "beta", "kappa")
    why_low: ClassVar[dict[str, str]] = {**Figure.why_low, "kappa": NOT_A_CONDITION_NUMBER}
    showcase = "alpha=2.2&beta=0.45"
    page_module = "regions.js"
    drag_slider = "kappa"

    def build(self) -> None:
        self.image_source = ColumnDataSource(
            {"rate": [np.zeros((GRID[1], GRID[0]), dtype=np.uint16)]}, name=self.model_name("rate_grid")
        )
        self.labels_source = ColumnDataSource(
            {"x": [], "y": [], "text": []}, name=self.model_name("regime_labels")
        )
        self.critical_source = ColumnDataSource(
            {"xs": [], "ys": [], "color": []}, name=self.model_name("critical_damping")
        )
        beta_line = np.linspace(BETA_RANGE[0], 1.0, 50)  # α = 2(1 + β)/λₙ: λₙ = LAM_MAX for every κ
        self.boundary_source = ColumnDataSource(
            {
                "x": np.append(np.asarray(mc.stability_limit(beta_line, LAM_MAX)), ALPHA_RANGE[0]),
                "y": np.append(beta_line, 1.0),
            },
            name=self.model_name("divergence_boundary"),
        )
        self.optimum_source = ColumnDataSource({"x": [], "y": []}, name=self.model_name("optimum"))
        self.point_source = ColumnDataSource(
            {"x": [self.alpha], "y": [self.beta]}, name=self.model_name("current_point")
        )

        # The colour bar reads rates; the image reads the codes `colour_codes` made with the same scale.
        self.color_mapper = LinearColorMapper(
            palette=Viridis256, low=0.0, high=1.0, high_color=theme.DIVERGENT, name=self.model_name("colors")
        )
        codes = LinearColorMapper(palette=Viridis256, low=0, high=PALETTE_SIZE, high_color=theme.DIVERGENT)
        fig = theme.plot(
            "Convergence rate max|σ(R)| (grey: diverges)",
            x_range=ALPHA_RANGE,
            y_range=BETA_RANGE,
            height=520,
            x_axis_label="step-size α (× λₙ)",
            y_axis_label="momentum β",
            name=self.model_name("map"),
            tools="reset,save",
        )
        fig.image(
            "rate",
            source=self.image_source,
            x=ALPHA_RANGE[0],
            y=BETA_RANGE[0],
            dw=ALPHA_RANGE[1] - ALPHA_RANGE[0],
            dh=BETA_RANGE[1] - BETA_RANGE[0],
            color_mapper=codes,
        )
        fig.add_layout(ColorBar(color_mapper=self.color_mapper, title="rate"), "right")
        fig.line(
            "x",
            "y",
            source=self.boundary_source,
            color="black",
            line_width=2.5,
            line_dash="dashed",
            legend_label="rate = 1 (divergence)",
        )
        fig.multi_line(
            "xs",
            "ys",
            source=self.critical_source,
            color="color",
            line_width=2,
            legend_label="critical damping β = (1 − √(αλ))²: λ₁ orange, λₙ blue",
        )
        fig.text(
            "x",
            "y",
            "text",
            source=self.labels_source,
            text_color="white",
            text_font_size="13px",
            text_align="center",
            text_baseline="middle",
            text_font_style="bold",
            background_fill_color="black",
            background_fill_alpha=0.35,
        )
        fig.scatter(
            "x",
            "y",
            source=self.optimum_source,
            marker="star",
            size=20,
            color=theme.OPTIMUM,
            line_color="white",
            legend_label="optimum (α*, β*)",
        )
        point = fig.scatter(
            "x",
            "y",
            source=self.point_source,
            size=16,
            fill_color=theme.MOMENTUM,
            line_color="white",
            line_width=2,
            legend_label="current (α, β): drag or click",
        )
        drag = PointDrawTool(renderers=[point], add=False, drag=True, num_objects=1)
        fig.add_tools(drag)
        fig.toolbar.active_tap = None
        fig.toolbar.active_drag = drag
        fig.on_event(events.Tap, self._tap)
        self.point_source.on_change("data", self._dragged)
        self.map = fig
        self.example_plots = self.regime_examples(fig)

        roots = theme.plot(
            "Eigenvalues σ of R and the unit circle",
            x_range=(-2, 2),
            y_range=(-2, 2),
            height=300,
            width=300,
            sizing_mode="fixed",
            match_aspect=True,
            name=self.model_name("roots_plot"),
            x_axis_label="Re σ",
            y_axis_label="Im σ",
        )
        theta = np.linspace(0, 2 * np.pi, 200)
        roots.line(np.cos(theta), np.sin(theta), color="black", line_dash="dotted")
        for i, name in enumerate(("λ₁", "λₙ")):
            theme.markers(
                roots,
                self.frame,
                f"root{i}_re",
                f"root{i}_im",
                color=theme.COMPONENTS[i],
                size=11,
                legend_label=f"σ for {name}",
            )
        self.roots_plot = roots

        trace = theme.plot(
            "Trace xᵏ of one component (x⁰ = 1)",
            height=250,
            x_axis_label="iteration k",
            y_axis_label="xᵏ",
            name=self.model_name("trace_plot"),
            x_range=(0, TRACE_STEPS),
            y_range=(-1.1, 1.1),  # set in update(): a DataRange1d would be echoed back by the browser
        )
        theme.path(trace, self.frame, theme.MOMENTUM, None, x="k", y="trace")
        self.trace_plot = trace

        notify = self.notify
        self.alpha_slider = controls.slider(self, "alpha", notify, step=0.001)
        self.beta_slider = controls.slider(self, "beta", notify, step=0.001)
        self.kappa_slider = controls.slider(self, "kappa", notify, step=0.01, log=True, digits=4)
        self.component_choice = controls.choice(self, "component")
        self.readout = readout(self.model_name("readout"))
        self._drawn_kappa = None

    def page_spec(self) -> dict[str, object]:
        """The map's grid and constants, and the κ its first image is drawn for."""
        return {
            "alphas": ALPHAS.tolist(),
            "betas": BETAS.tolist(),
            "stride": LABEL_STRIDE,
            "labelBoxes": [label_box(MAP_WORDS[regime]) for regime in mc.Regime],
            "mapWords": [MAP_WORDS[regime] for regime in mc.Regime],
            "fixedMarkers": fixed_markers(),
            "labelCellPx": LABEL_CELL_PX,
            "markerCells": MARKER_CELLS,
            "labelCosts": [OVERLAP_COST, MARKER_COST, OFF_REGIME_COST],
            "lowMargin": LOW_MARGIN,
            "palette": PALETTE_SIZE,
            "diverged": DIVERGED,
            "lamMax": LAM_MAX,
            "alphaMax": ALPHA_RANGE[1],
            "criticalPoints": CRITICAL_POINTS,
            "regimes": [regime.label for regime in mc.Regime],
            "traceSteps": TRACE_STEPS,
            "traceCap": TRACE_CAP,
            "texts": VERDICTS,
            "kappa": self.kappa,
        }

    def page_models(self) -> dict[str, object]:
        return {
            "sliders": {"alpha": self.alpha_slider, "beta": self.beta_slider, "kappa": self.kappa_slider},
            "choice": self.component_choice,
            "image": self.image_source,
            "labels": self.labels_source,
            "critical": self.critical_source,
            "optimum": self.optimum_source,
            "mapper": self.color_mapper,
            "frame": self.frame,
            "trace_range": self.trace_plot.y_range,
            "point": self.point_source,
            "readout": self.readout,
        }

    def wire_page(self, update: object) -> None:
        """A click on the map, or the marker dragged, moves (α, β) in the page. The marker's callback
        names the sliders instead of holding them: a legend reaches the marker's source (page_callback)."""
        ranges = {"alpha_range": list(ALPHA_RANGE), "beta_range": list(BETA_RANGE)}
        sliders = {"alpha": self.alpha_slider, "beta": self.beta_slider}
        self.map.js_on_event("tap", page_action(update, "moveTo", models={**ranges, "sliders": sliders}))
        choice = self.component_choice
        for plot, (_, alpha, beta, _) in zip(self.example_plots, mc.REGIME_EXAMPLES, strict=True):
            to = {**ranges, "sliders": sliders, "choice": choice, "to": [alpha, beta]}
            plot.js_on_event("tap", page_action(update, "goTo", models=to))
        names = {key: slider.name for key, slider in sliders.items()}
        self.point_source.js_on_change(
            "data", page_callback(self, "moveTo", models={**ranges, "names": names})
        )

    def regime_examples(self, fig: object) -> list[object]:
        """The article's five small examples (mc.REGIME_EXAMPLES): a numbered ring at each place on the
        map, and a stem plot of one component's run xᵏ (λₙ = 1, x⁰ = 1) there. Fixed: drawn once."""
        places = {"x": [], "y": [], "number": []}
        plots = []
        one = mc.Quadratic.from_eigenvalues([LAM_MAX])
        for number, (name, alpha, beta, _) in enumerate(mc.REGIME_EXAMPLES, start=1):
            places["x"].append(alpha)
            places["y"].append(beta)
            places["number"].append(str(number))
            run = mc.eigenbasis_errors(one, [1.0], alpha, beta, EXAMPLE_STEPS)[:, 0]
            reach = float(np.abs(run).max()) * 1.15
            plot = theme.plot(
                f"{number}. {name}",
                height=EXAMPLE_HEIGHT,
                x_range=Range1d(-1, EXAMPLE_STEPS + 1),
                y_range=Range1d(-reach, reach),
                tools="",
                toolbar_location=None,
                name=self.model_name(f"example{number}"),
            )
            plot.xaxis.visible = plot.yaxis.visible = False
            plot.xgrid.visible = plot.ygrid.visible = False
            plot.add_layout(Span(location=0, dimension="width", line_color="#888888", line_width=1))
            k = np.arange(run.size)
            stems = ColumnDataSource({"k": k, "x": run})
            plot.segment("k", 0, "k", "x", source=stems, color=theme.COMPONENTS[1], line_width=1.5)
            plot.scatter("k", "x", source=stems, size=4, color=theme.COMPONENTS[1])
            plots.append(plot)
        rings = ColumnDataSource(places, name=self.model_name("examples"))
        fig.scatter("x", "y", source=rings, size=15, fill_color="white", fill_alpha=0.6,
                    line_color=theme.COMPONENTS[1], line_width=2.5,
                    legend_label="examples 1–5 below (λₙ = 1)")  # fmt: skip
        fig.text("x", "y", "number", source=rings, text_font_size="11px", text_font_style="bold",
                 text_align="center", text_baseline="middle", text_color="black")  # fmt: skip
        return plots

    def _tap(self, event: events.Tap) -> None:
        self._move_to(event.x, event.y)

    def _dragged(self, attr: str, old: dict, new: dict) -> None:
        try:
            x, y = new["x"][0], new["y"][0]
        except (KeyError, IndexError, TypeError):
            return
        if (x, y) != (self.alpha, self.beta):
            self._move_to(x, y)

    def _move_to(self, x: object, y: object) -> None:
        """Move (α, β) to a point the browser sent (clamped to the map; ignored unless finite numbers)."""
        x, y = controls.finite(x), controls.finite(y)
        if x is not None and y is not None:
            self.param.update(alpha=float(np.clip(x, *ALPHA_RANGE)), beta=float(np.clip(y, *BETA_RANGE)))

    @property
    def eigenvalues(self) -> tuple[float, float]:
        return LAM_MAX / self.kappa, LAM_MAX

    def _draw_map(self) -> None:
        """The κ-dependent layers: rate image, critical damping, labels, optimum (the divergence
        boundary depends on λₙ alone, the same for every κ: drawn once)."""
        lam_min, lam_max = self.eigenvalues
        low = float(mc.momentum_optimal_rate(self.kappa)) * LOW_MARGIN
        self.image_source.data = {"rate": [colour_codes(rate_grid(self.kappa), low)]}
        xs, ys = [], []
        for lam in (lam_min, lam_max):
            alpha_line = np.linspace(0, min(ALPHA_RANGE[1], 4 / lam), CRITICAL_POINTS)
            xs.append(alpha_line)
            ys.append(np.asarray(mc.critical_damping(alpha_line, lam)))
        self.critical_source.data = {"xs": xs, "ys": ys, "color": [theme.COMPONENTS[0], theme.COMPONENTS[1]]}
        self.labels_source.data = regime_label_positions(self.kappa)
        alpha_star, beta_star = mc.optimal_parameters(lam_min, lam_max)
        self.optimum_source.data = {"x": [alpha_star], "y": [beta_star]}
        self.color_mapper.low = low
        self._drawn_kappa = self.kappa

    def update(self) -> None:
        if self._drawn_kappa != self.kappa:
            self._draw_map()
        lam_min, lam_max = self.eigenvalues
        roots = {}
        for i, lam in enumerate((lam_min, lam_max)):
            sigma = mc.iteration_eigenvalues(self.alpha, self.beta, lam)
            roots[f"root{i}_re"], roots[f"root{i}_im"] = sigma.real, sigma.imag

        lam = lam_min if self.component == self.param.component.objects[0] else lam_max
        trace = mc.eigenbasis_errors(
            mc.Quadratic.from_eigenvalues([lam]), [1.0], self.alpha, self.beta, TRACE_STEPS
        )
        cut = mc.divergence_step(trace, bound=TRACE_CAP)
        shown = trace[:, 0] if cut is None else trace[:cut, 0]
        reach = max(1.0, float(np.abs(shown).max())) * 1.1  # usually 1.1: no range message per change
        self.trace_plot.y_range.update(start=-reach, end=reach)
        self.publish(k=np.arange(len(shown)), trace=shown, **roots)
        # After the frame: the browser repaints the map for the marker, which must not delay the frame.
        if (self.point_source.data["x"][0], self.point_source.data["y"][0]) != (self.alpha, self.beta):
            self.point_source.data = {"x": [self.alpha], "y": [self.beta]}

        rate = mc.convergence_rate(self.alpha, self.beta, self.eigenvalues)
        dominant = mc.Regime(int(mc.dominant_regime(self.alpha, self.beta, self.eigenvalues)))
        per_component = [
            mc.Regime(int(mc.regime(self.alpha, self.beta, lam))).label for lam in self.eigenvalues
        ]
        alpha_star, beta_star = mc.optimal_parameters(lam_min, lam_max)
        status = DIVERGES if rate >= 1 else f"{CONVERGES}, {dominant.label}"
        self.show_readout(
            self.readout,
            rows(
                [
                    (
                        "<b>At (α, β)</b>",
                        f"({format_number(self.alpha)}, {format_number(self.beta)}): {status}",
                    ),
                    ("rate max|σ(R)|", format_rate(rate)),
                    ("regime of λ₁ / λₙ", " / ".join(per_component)),
                    (
                        "eigenvalues",
                        f"λ₁ = {format_number(lam_min)}, λₙ = {format_number(lam_max)}, "
                        f"κ = {format_number(self.kappa)}",
                    ),
                    (
                        "optimum (α*, β*)",
                        f"({format_number(alpha_star)}, {format_number(beta_star)}), "
                        f"rate {format_number(mc.momentum_optimal_rate(self.kappa))}",
                    ),
                ]
            ),
        )

    def layout(self) -> pn.viewable.Viewable:
        controls = [
            self.alpha_slider,
            self.beta_slider,
            self.kappa_slider,
            self.component_choice,
            self.readout,
        ]
        side = pn.Column(
            self.roots_plot,
            self.trace_plot,
            sizing_mode="stretch_width",
            max_width=420,  # its flex cell (controls_beside) sets the width; a flex basis here would
            # apply to its height (the cell is a column) and cut the trace plot off
        )
        return pn.Column(
            self.controls_beside(controls, self.map, side),
            note(EXAMPLES_NOTE),
            small_multiples(
                [
                    pn.Column(plot, note(EXAMPLE_WORDS[name]), sizing_mode="stretch_width")
                    for plot, (name, *_) in zip(self.example_plots, mc.REGIME_EXAMPLES, strict=True)
                ]
            ),
            sizing_mode="stretch_width",
        )
