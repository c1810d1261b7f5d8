"""Section: momentum on a real model — logistic regression on real data, against the quadratic theory.

The loss is not a quadratic, but near its optimum it is one: f(w) ≈ f* + ½(w − w*)ᵀH(w − w*), H = ∇²f(w*).
So the theory's rate max|σ(R)| for H's extreme eigenvalues (found by Lanczos) predicts how a run *ends*;
its start is ruled by other curvatures (at w⁰ = 0 the largest is 24 times H's). The runs, the distances
and losses are `momentum_core.model`'s; the page computes the same from the data it is sent.
"""

from __future__ import annotations

import base64
import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np
import panel as pn
import param
from bokeh.models import ColorBar, ColumnDataSource, Label, LinearColorMapper, Span
from bokeh.palettes import Viridis256

import momentum_core as mc
from momentum_core import model as real
from momentum_core import network as nets

from .. import controls, theme
from ..figure import (
    SERVED_AFTER_REST,
    VERDICTS,
    Figure,
    momentum,
    note,
    on_log_axis,
    publish,
    readout,
    rows,
    set_html,
    side_by_side,
    small_multiples,
    step_size,
)
from ..page_module import page_action
from ..url_state import format_number, format_rate
from ..when_quiet import WhenQuiet

CAP = 1e6  # a run farther than CAP × its start from w* counts as diverging: its curves stop there
CHUNK = 64  # iterates whose losses are computed at once (64 × 569 × 31 products: 9 MB)
FLOOR = 1e-16  # the log plots' floor (a loss gap below it is round-off of f*)
#: The tail a rate is fitted on ends where the distance to w* falls below RESOLVED: far above round-off
#: (≈ 10⁻¹⁵ here), so the fit is a property of the run, not of the order of a sum.
RESOLVED = 1e-7
#: A loss gap below this is written as such: under it the last digits are the summation's, not the run's.
GAP_SHOWN = 1e-8
#: The runs drawn: frame column prefix → (legend and readout heading, colour).
#: The maps' colour scale: rates from RATE_LOW (dark) to 1 (bright); 1 and above grey.
RATE_LOW = 0.8
MAP_NOTE = (
    "Each cell a pair (α, β): left, the rate the quadratic at w* predicts; right, the rate fitted on a "
    f"{real.MAP_STEPS}-step run from w⁰ = 0. Where the colours match, the quadratic picture holds. "
    "Click a cell to run there."
)
NETWORK_NOTE = (
    "The same data through a small network (30 inputs → 8 tanh units → 1, 257 weights), at the same α and "
    "β from a fixed random start. Its loss is not convex, and its curvature moves: right, the Hessian's "
    "largest eigenvalue λₙ(θᵏ), measured by Lanczos along each run, against the edge 2(1 + β)/α above "
    "which the local quadratic says a step diverges. Computed by the server once the sliders rest (a "
    "static copy shows it as it was saved)."
)
#: The network's runs are computed when the sliders have been still this long (a run of 1 000 steps
#: with its Lanczos measurements takes about half a second: not on a drag's path).
NETWORK_QUIET_S = 0.25
#: A step and momentum the network can take: its early curvature (1.39 at θ⁰) is far above the edge of
#: the convex model's α* (0.14).
NETWORK_STEP = (5.0, 0.9)
#: The words on each run's edge on the sharpness plot.
EDGE_NAMES = {"momentum": "momentum's edge 2(1 + β)/α", "gd": "gradient descent's edge 2/α"}
RUNS = {
    "momentum": ("momentum (α, β)", theme.MOMENTUM),
    "gd": ("gradient descent (α, β = 0)", theme.GRADIENT_DESCENT),
}


#: The readout where the page cannot run model.wasm (a browser without WebAssembly's 128-bit lanes).
UNSUPPORTED = (
    "not shown: this browser cannot run the page's WebAssembly (128-bit lanes; Chrome and Edge 91, "
    "Firefox 89 and Safari 16.4 on)"
)
#: The runs' arithmetic in the page: model.wat assembled (scripts/assemble_wasm.py).
WASM = Path(__file__).with_name("model.wasm")


@lru_cache(maxsize=1)
def wasm() -> str:
    """model.wasm as base64, for the spec (a static copy carries it inside)."""
    return base64.b64encode(WASM.read_bytes()).decode("ascii")


@lru_cache(maxsize=1)
def fixed() -> dict[str, object]:
    """What no control changes, computed once: the model and data, w*, f*, H's extreme eigenvalues at w*
    (Lanczos), κ, the theory's (α*, β*) and rate, gradient descent's best step, and the largest
    curvature at the start w⁰ = 0."""
    model = real.LogisticRegression(*real.breast_cancer())
    low, high = real.extreme_curvatures(model, model.optimum)
    alpha_star, beta_star = mc.optimal_parameters(low, high)
    return {
        "model": model,
        "low": low,
        "high": high,
        "kappa": high / low,
        "alpha_star": alpha_star,
        "beta_star": beta_star,
        "descent_alpha": mc.optimal_step_size(low, high),
        "start_high": real.extreme_curvatures(model, np.zeros(model.dim))[1],
    }


@lru_cache(maxsize=1)
def rate_maps() -> dict[str, object]:
    """The (α, β) maps, fixed: the quadratic's rate max|σ(R)| for H's extreme eigenvalues
    at each cell (β rows, α columns), the rate observed on a run there (`momentum_core.model`'s
    shipped map) and the quadratic's divergence edge α = 2(1 + β)/λₙ."""
    f = fixed()
    alphas, betas = real.map_axes()
    edge_betas = np.linspace(0.0, real.MAP_BETA_END, 21)
    return {
        "predicted": mc.convergence_rate(alphas[None, :], betas[:, None], (f["low"], f["high"])),
        "observed": real.shipped_rate_map(),
        "edge": {"x": mc.stability_limit(edge_betas, f["high"]), "y": edge_betas},
    }


def run_curves(alpha: float, beta: float, steps: int) -> dict[str, object]:
    """A heavy-ball run from 0 (β = 0: gradient descent): ‖wᵏ − w*‖ and f(wᵏ) − f*, cut where the run
    passes CAP × its first distance or leaves the floats (then "cut" is that step). Every sum in the
    order the page adds in (`momentum_core.model`): the page's numbers are these, to the bit."""
    model = fixed()["model"]
    iterates = real.heavy_ball_run(model, np.zeros(model.dim), alpha, beta, steps)
    distance = real.distances(iterates, model.optimum)
    cut = mc.divergence_step(distance[:, None], bound=CAP * distance[0])
    kept = iterates if cut is None else iterates[:cut]
    losses = np.concatenate([model.loss(kept[i : i + CHUNK]) for i in range(0, len(kept), CHUNK)])
    return {"distance": distance[: len(kept)], "gap": losses - model.f_star, "cut": cut}


#: The network runs last computed, for every session of the process (the default state's once a process).
NETWORK_KEPT = 32
_network_kept: OrderedDict[tuple[float, float, int], dict[str, object]] = OrderedDict()
_network_kept_lock = threading.Lock()


def network_curves(
    alpha: float, beta: float, steps: int, checkpoint: Callable[[], None] | None = None
) -> dict[str, object]:
    """The network's run at (α, β) (`momentum_core.network`), its Hessian's extreme eigenvalues at the
    last step and the rate fitted on ‖∇f‖'s tail; the last NETWORK_KEPT are kept. `checkpoint` as in
    `network_run` (a run stopped by it is not kept)."""
    key = (alpha, beta, steps)
    with _network_kept_lock:
        if key in _network_kept:
            _network_kept.move_to_end(key)
            return _network_kept[key]
    model = fixed()["model"]
    net = nets.TwoLayerNetwork(model.X, model.y)
    run = nets.network_run(net, alpha, beta, steps, checkpoint=checkpoint)
    low, high = real.extreme_curvatures(net, run.last, tol=1e-10)
    result = {"run": run, "low": low, "high": high, "fit": real.observed_rate(run.gradient_norm, 1e-12)}
    with _network_kept_lock:
        _network_kept[key] = result
        while len(_network_kept) > NETWORK_KEPT:
            _network_kept.popitem(last=False)
    return result


def network_results(
    alpha: float, beta: float, steps: int, checkpoint: Callable[[], None] | None = None
) -> dict[str, dict]:
    """`network_curves` for momentum (α, β) and gradient descent (α, β = 0), by RUNS key."""
    return {key: network_curves(alpha, b, steps, checkpoint) for key, b in (("momentum", beta), ("gd", 0.0))}


class SupersededError(Exception):
    """The sliders moved while a network run was computed for the state they left: no one wants it."""


@lru_cache(maxsize=1)
def network_thread() -> ThreadPoolExecutor:
    """One thread that computes the network runs of every served session of the process, in turn, off
    the server's event loop: while a run takes its 0.1–1 s, the loop answers every reader's messages (a
    run holds the GIL most of the time, so two threads would not finish two runs sooner)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="network")


def run_status(cut: int | None, observed: real.TailFit | None, steps: int) -> str:
    """What the run did (not what the theory says): diverged (cut), converged (its tail shrinks at a
    steady rate, or it reached round-off at once), or neither within the steps (it bounces, or grows)."""
    if cut is not None:
        return f"{VERDICTS['diverges']} (cut at step {cut})"
    if observed is None or (observed.steady and observed.rate < 1):
        return VERDICTS["converges"]
    return f"not converging within {steps} steps"


def fitted_text(observed: real.TailFit | None) -> str:
    """The fitted rate as the readout writes it: "—" for no tail to fit, "none steady" for a bouncing one."""
    if observed is None:
        return "—"
    return format_rate(observed.rate) if observed.steady else "none steady (it bounces)"


def network_lines(
    label: str, result: dict[str, object], alpha: float, beta: float, steps: int, edge: float
) -> list[tuple[str, str]]:
    """The network readout's rows for one run: what it did, λₙ at the start and the end against the
    edge, and at the end the local quadratic's rate (when the end is a minimum, λ₁ > 0) beside the rate
    fitted on ‖∇f‖'s tail."""
    run, low, high, fit = result["run"], result["low"], result["high"], result["fit"]
    cut = None if run.steps == steps else run.steps + 1
    status = run_status(cut, fit, steps)
    where = f"λ₁ = {format_number(low)}, λₙ = {format_number(high)}"
    if low > 0:
        predicted = mc.convergence_rate(alpha, beta, [low, high])
        local = f"{format_rate(predicted)}{' (diverges)' if predicted >= 1 else ''}"
    else:
        local = "— (not a minimum: λ₁ < 0)"
    return [
        (f"<b>{label}</b>", f"{status}; loss {run.loss[-1]:.4g}"),
        (
            "λₙ at the start · the edge 2(1 + β)/α",
            f"{format_number(run.sharpness[0])} · "
            + (format_number(edge) if np.isfinite(edge) else "none (|β| ≥ 1)"),
        ),
        (f"curvature at θ<sup>{run.steps}</sup> (Lanczos)", where),
        ("rate there: the quadratic's · fitted on ‖∇f‖", f"{local} · {fitted_text(fit)}"),
    ]


def gap_text(gap: float) -> str:
    """The last loss gap as the readout writes it: 4 digits, or "below 1e-08" (round-off's range)."""
    return f"{gap:.3e}" if gap >= GAP_SHOWN else f"below {GAP_SHOWN:.0e}"


class Model(Figure):
    """Drag α and β: heavy ball and gradient descent on a real model, with the theory's prediction."""

    # A step gradient descent cannot take here (αλₙ = 2.8 > 2) and momentum can (< 2 + 2β).
    alpha = step_size(20.0, 0.1, 100.0)
    beta = momentum(0.712)
    steps = param.Integer(400, bounds=(20, 1000), label="Steps")

    key = "model"
    heading = "Momentum on a real model"
    caption = (
        "Try: press “Theory's α* and β*”, then push α up — near the optimum the runs follow the quadratic's "
        "rate; far from it they do not."
    )
    url_fields = ("alpha", "beta", "steps")
    page_module = "model.js"
    drag_slider = "steps"

    def build(self) -> None:
        axes = {"y_axis_type": "log", "x_axis_label": "iteration k"}
        self.distance_plot = self.plot("distance", "Distance to the optimum ‖wᵏ − w*‖", **axes,
                                       x_range=(0, self.steps), y_range=(1e-12, 1e3))  # fmt: skip
        self.gap_plot = self.plot("gap", "Loss gap f(wᵏ) − f*", **axes, x_range=self.distance_plot.x_range,
                                  y_range=(1e-16, 10.0))  # fmt: skip
        for key, (label, color) in RUNS.items():
            theme.curve(self.distance_plot, self.frame, f"k_{key}", f"distance_{key}", color, label)
            name = f"{label.split(' (')[0]}: the quadratic's rate"
            dashed = {"color": color, "line_dash": "dashed", "legend_label": name}
            self.distance_plot.line("k", f"predicted_{key}", source=self.frame, **dashed)
            theme.curve(self.gap_plot, self.frame, f"k_{key}", f"gap_{key}", color, label)
        notify = self.notify
        self.sliders = [
            controls.slider(self, "alpha", notify, step=0.001, log=True, digits=4),
            controls.slider(self, "beta", notify, step=0.001),
            controls.slider(self, "steps", notify, step=1),
        ]
        self.buttons = [
            controls.button(self, "Theory's α* and β*", self.set_theory, "theory"),
            controls.button(self, "Gradient descent's best α, β = 0", self.set_descent, "descent"),
            controls.button(self, "A step the network can take", self.set_network_step, "network_step"),
        ]
        self.readout = readout(self.model_name("readout"))
        self.maps = self.rate_map_plots()
        self.build_network()

    def build_network(self) -> None:
        """The network's plots (loss, and λₙ along the run against each method's edge) and readout, on
        their own source: the server paints them (`update_network`)."""
        name = self.model_name("network_frame")
        empty = {f"{column}_{key}": [] for key in RUNS for column in ("k", "loss", "measured", "sharpness")}
        self.network_frame = ColumnDataSource(empty, name=name, tags=[SERVED_AFTER_REST])
        axes = {"y_axis_type": "log", "x_axis_label": "iteration k", "height": 300}
        self.network_loss_plot = self.plot("network_loss", "Network: loss f(θᵏ)", **axes)
        self.sharpness_plot = self.plot("sharpness", "Network: largest curvature λₙ(θᵏ) and the edge", **axes,
                                        x_range=self.network_loss_plot.x_range)  # fmt: skip
        for key, (label, color) in RUNS.items():
            theme.curve(self.network_loss_plot, self.network_frame, f"k_{key}", f"loss_{key}", color, label)
            theme.curve(self.sharpness_plot, self.network_frame, f"measured_{key}", f"sharpness_{key}", color)
            theme.markers(self.sharpness_plot, self.network_frame, f"measured_{key}", f"sharpness_{key}",
                          color=color, size=5)  # fmt: skip
        edges = Span(dimension="width", line_dash="dashed", line_width=1.5)
        self.edge_spans = {key: edges.clone(line_color=color) for key, (_, color) in RUNS.items()}
        place = {"x": 0, "y": 1, "x_offset": -4, "y_offset": 3, "text_align": "right", **theme.LABEL_STYLE}
        self.edge_labels = {key: Label(text=EDGE_NAMES[key], **{**place, "text_color": color})
                            for key, (_, color) in RUNS.items()}  # fmt: skip
        # The labels after both lines: a line that passes a label goes under its box.
        for annotation in [*self.edge_spans.values(), *self.edge_labels.values()]:
            self.sharpness_plot.add_layout(annotation)
        self.network_readout = readout(self.model_name("network_readout"))
        self._network_state: tuple | None = None
        self._network_quiet: WhenQuiet | None = None

    def rate_map_plots(self) -> list[object]:
        """The two small maps (fixed images, one colour scale), each with the quadratic's divergence edge,
        (α*, β*) and the reader's (α, β) (frame columns `alpha_now`, `beta_now`)."""
        maps, f = rate_maps(), fixed()
        mapper = LinearColorMapper(palette=Viridis256, low=RATE_LOW, high=1.0, high_color=theme.DIVERGENT,
                                   nan_color=theme.DIVERGENT)  # fmt: skip
        extent = {"x": 0.0, "y": 0.0, "dw": real.MAP_ALPHA_END, "dh": real.MAP_BETA_END}
        edge = ColumnDataSource(maps["edge"], name=self.model_name("divergence_edge"))
        plots = []
        for part, title, grid in (
            ("predicted_map", "The quadratic's rate at w*", maps["predicted"]),
            ("observed_map", f"Observed: fitted on {real.MAP_STEPS} steps from w⁰ = 0", maps["observed"]),
        ):
            fig = self.plot(part, title, height=260, x_range=(0, real.MAP_ALPHA_END),
                            y_range=(0, real.MAP_BETA_END), x_axis_label="step-size α",
                            y_axis_label="momentum β", tools="")  # fmt: skip
            fig.image(image=[np.asarray(grid, dtype=float)], color_mapper=mapper, **extent)
            fig.line("x", "y", source=edge, color="white", line_width=1.5, line_dash="dashed")
            fig.scatter([f["alpha_star"]], [f["beta_star"]], marker="star", size=13, color=theme.OPTIMUM,
                        line_color="white")  # fmt: skip
            theme.markers(fig, self.frame, "alpha_now", "beta_now", size=11, fill_color=None,
                          line_color="white", line_width=2.5)  # fmt: skip
            plots.append(fig)
        plots[-1].add_layout(
            ColorBar(color_mapper=mapper, title="rate (grey: ≥ 1 or no steady rate)", width=8), "right"
        )
        return plots

    def page_spec(self) -> dict[str, object]:
        """The data (features row by row, labels), μ, w*, f* and the fixed numbers of `fixed()`."""
        f = fixed()
        model = f["model"]
        return {
            "X": model.X.ravel().tolist(),
            "y": model.y.tolist(),
            "dim": model.dim,
            "mu": model.regularisation,
            "wStar": model.optimum.tolist(),
            "fStar": model.f_star,
            **{
                name: f[name]
                for name in ("low", "high", "kappa", "alpha_star", "beta_star", "descent_alpha", "start_high")
            },
            "network_step": list(NETWORK_STEP),
            "cap": CAP,
            "floor": FLOOR,
            "resolved": RESOLVED,
            "steady": real.STEADY,
            "gapShown": GAP_SHOWN,
            "maxSteps": self.param["steps"].bounds[1],
            "wasm": wasm(),
            "expScale": real.EXP_SCALE,
            "expStepHi": real.EXP_STEP_HI,
            "expStepLo": real.EXP_STEP_LO,
            "expTable": real.EXP_TABLE.tolist(),
            "expCoefficients": real.EXP_COEFFICIENTS.tolist(),
            "logTable": real.LOG_TABLE.tolist(),
            "logCoefficients": real.LOG_COEFFICIENTS.tolist(),
            "labels": {key: label for key, (label, _) in RUNS.items()},
            "texts": {**VERDICTS, "unsupported": UNSUPPORTED},
        }

    def page_models(self) -> dict[str, object]:
        return {
            "sliders": self.controls_by_name(),
            "frame": self.frame,
            "k_range": self.distance_plot.x_range,
            "readout": self.readout,
        }

    def map_limits(self) -> dict[str, list[float]]:
        """Where a click on a map may move (α, β): the map, within the sliders' bounds."""
        alpha, beta = self.param["alpha"].bounds, self.param["beta"].bounds
        return {
            "alpha_range": [max(alpha[0], 0.0), min(alpha[1], real.MAP_ALPHA_END)],
            "beta_range": [max(beta[0], 0.0), min(beta[1], real.MAP_BETA_END)],
        }

    def wire_page(self, update: object) -> None:
        """The buttons set α and β in the page (the sliders then tell the server)."""
        sliders = {"sliders": self.controls_by_name()}
        for button, action in zip(self.buttons, ("theory", "descent", "networkStep"), strict=True):
            button.js_on_click(page_action(update, action, models=sliders, spec=self.spec_model))
        for fig in self.maps:
            fig.js_on_event("tap", page_action(update, "runAt", models={**sliders, **self.map_limits()}))

    def set_theory(self) -> None:
        self.param.update(alpha=fixed()["alpha_star"], beta=fixed()["beta_star"])

    def set_descent(self) -> None:
        self.param.update(alpha=fixed()["descent_alpha"], beta=0.0)

    def set_network_step(self) -> None:
        self.param.update(alpha=NETWORK_STEP[0], beta=NETWORK_STEP[1])

    def served_update(self, changed: set[str]) -> None:
        """The page painted the logistic model; the network follows once the sliders rest."""
        if changed & {"alpha", "beta", "steps"}:
            self.network_when_quiet()

    def network_when_quiet(self) -> None:
        """The network's runs NETWORK_QUIET_S after the last change (served: a drag does not wait on
        them); in a notebook at once. A run being computed for an earlier state stops."""
        if self._doc is None:
            self.update_network()
            return
        self._network_state = None
        if self._network_quiet is None:
            later = lambda s, f: self._doc.add_timeout_callback(f, int(s * 1000) + 1)  # noqa: E731
            self._network_quiet = WhenQuiet(self.update_network, later)
        self._network_quiet.touch(NETWORK_QUIET_S)

    def update_network(self, at_once: bool = False) -> None:
        """The network's runs at the present (α, β, steps), shown by `show_network`: at once in a
        notebook (or `at_once`), else computed by `network_thread` and shown when done — unless the
        sliders have moved since (`network_when_quiet` stops it)."""
        state = (self.alpha, self.beta, self.steps)
        if state == self._network_state:
            return
        self._network_state = state
        if self._doc is None or at_once:
            self.show_network(state, network_results(*state))
            return

        def checkpoint() -> None:
            if self._network_state != state:
                raise SupersededError

        def done(future: Future) -> None:  # in network_thread; an error is raised on the event loop
            if isinstance(future.exception(), SupersededError):
                return
            with contextlib.suppress(RuntimeError):  # the page went away meanwhile: its document with it
                self._doc.add_next_tick_callback(lambda: self.show_network(state, future.result()))

        network_thread().submit(network_results, *state, checkpoint).add_done_callback(done)

    def show_network(self, state: tuple[float, float, int], results: dict[str, dict]) -> None:
        """The network's runs at `state` (if the sliders are still there): loss, λₙ along each run, each
        method's edge 2(1 + β)/α, and a readout of the end — the curvature there and the rate it predicts
        beside the rate fitted on ‖∇f‖'s tail."""
        if state != self._network_state:
            return
        alpha, momentum_beta, steps = state
        columns: dict[str, object] = {}
        lines = [("network", f"30 → 8 tanh → 1 (257 weights), run at α = {format_number(alpha)}, "
                             f"β = {format_number(momentum_beta)}, {steps} steps")]  # fmt: skip
        for key, beta in (("momentum", momentum_beta), ("gd", 0.0)):
            result = results[key]
            run = result["run"]
            edge = mc.stability_limit(beta, alpha) if -1 < beta < 1 else np.nan  # |β| ≥ 1: none
            columns[f"k_{key}"] = np.arange(len(run.loss))
            columns[f"loss_{key}"] = on_log_axis(np.maximum(run.loss, FLOOR))
            columns[f"measured_{key}"] = run.measured
            columns[f"sharpness_{key}"] = on_log_axis(np.maximum(run.sharpness, FLOOR))
            shown = bool(np.isfinite(edge) and edge > 0)
            self.edge_spans[key].location = edge if shown else None
            self.edge_labels[key].update(x=steps, y=edge if shown else 1.0, visible=shown)
            lines += network_lines(RUNS[key][0], result, alpha, beta, steps, edge)
        publish(self.network_frame, columns)
        self.network_loss_plot.x_range.update(start=0, end=steps)
        set_html(self.network_readout, rows(lines))

    def update(self) -> None:
        f = fixed()
        lam = (f["low"], f["high"])
        columns: dict[str, object] = {"k": np.arange(self.steps + 1), "alpha_now": [self.alpha],
                                      "beta_now": [self.beta]}  # fmt: skip
        lines = [
            ("data", "569 tumours × 30 features (Wisconsin), standardised"),
            ("model", f"logistic regression, L2 penalty μ = {format_number(f['model'].regularisation)}"),
            (
                "curvature at w* (Lanczos)",
                f"λ₁ = {format_number(lam[0])}, λₙ = {format_number(lam[1])}, "
                f"κ = {format_number(f['kappa'])}",
            ),
            (
                "largest curvature at the start w⁰ = 0",
                f"{format_number(f['start_high'])} ({format_number(f['start_high'] / lam[1])}× λₙ at w*)",
            ),
            (
                "theory's α*, β* (rate)",
                f"{format_number(f['alpha_star'])}, {format_number(f['beta_star'])} "
                f"({format_rate(mc.momentum_optimal_rate(f['kappa']))})",
            ),
        ]
        for key, beta in (("momentum", self.beta), ("gd", 0.0)):
            curves = self.memo(
                (key, self.alpha, beta, self.steps), lambda b=beta: run_curves(self.alpha, b, self.steps)
            )
            distance, gap, cut = curves["distance"], curves["gap"], curves["cut"]
            predicted = mc.convergence_rate(self.alpha, beta, lam)
            observed = real.observed_rate(distance, RESOLVED)
            k = np.arange(len(distance))
            columns[f"k_{key}"] = k
            columns[f"distance_{key}"] = on_log_axis(np.maximum(distance, FLOOR))
            columns[f"gap_{key}"] = on_log_axis(np.maximum(gap, FLOOR))
            with np.errstate(over="ignore"):
                line = distance[0] * predicted ** np.arange(self.steps + 1, dtype=float)
            columns[f"predicted_{key}"] = on_log_axis(np.clip(line, FLOOR, CAP * distance[0]))
            lines += [
                (f"<b>{RUNS[key][0]}</b>", run_status(cut, observed, self.steps)),
                (
                    "rate: the quadratic's · fitted on the run's tail",
                    f"{format_rate(predicted)}{' (diverges)' if predicted >= 1 else ''} · "
                    + fitted_text(observed),
                ),
                (f"f(w<sup>{len(gap) - 1}</sup>) − f*", gap_text(float(gap[-1]))),
            ]
        self.publish(**columns)
        self.distance_plot.x_range.update(start=0, end=self.steps)
        self.show_readout(self.readout, rows(lines))
        if self._view is not None and self._doc is None:  # a notebook: the network at once
            self.update_network()

    def layout(self) -> pn.viewable.Viewable:
        self.update_network(at_once=True)  # shown: the network's first runs, with the rest of the figure
        plots = pn.Column(
            side_by_side(self.distance_plot, self.gap_plot),
            note(MAP_NOTE),
            small_multiples(self.maps, basis=300),
            note(NETWORK_NOTE),
            side_by_side(self.network_loss_plot, self.sharpness_plot),
            self.network_readout,
            sizing_mode="stretch_width",
        )
        return self.controls_beside([*self.sliders, *self.buttons, self.readout], plots)
