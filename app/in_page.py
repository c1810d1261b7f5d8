"""Static copies computed in the page: /ravine, /nesterov, /decomposition and /regions, every control live.

A static file has no Python. For these figures the export ships `static/closed_forms.js`, a small
module of the closed forms they need (the 2×2 recursion per eigencomponent, the rate max|σ(R)|, the
readout's numbers), and one CustomJS callback that recomputes the figure's state from its controls
at the exact values set (no grid) and applies it as `update()` would. What Python fixes — the problem
(its eigenvalues and eigenvectors as momentum_core computed them), the paths, texts and constants —
travels as the callback's `spec`. tests/test_browser_closed_forms.py checks the module against
momentum_core on random states; the served app never uses it.
"""

from __future__ import annotations

from pathlib import Path

from bokeh.document import Document
from bokeh.models import CustomJS, Div, Slider, Switch

import momentum_core as mc

from .figure import CONVERGES, DIVERGES, Figure, figure_widgets
from .figures.decomposition import CAP, LOG_FLOOR, Decomposition
from .figures.ravine import CUT, TOLERANCE, X_RANGE, Y_RANGE, Ravine
from .figures.regions import (
    ALPHA_RANGE,
    ALPHAS,
    BETA_RANGE,
    BETAS,
    CRITICAL_POINTS,
    DIVERGED,
    LABEL_EDGE,
    LABEL_STRIDE,
    LAM_MAX,
    LOW_MARGIN,
    PALETTE_SIZE,
    TRACE_CAP,
    TRACE_STEPS,
    Regions,
)
from .theme import COMPONENTS

#: The module, one JavaScript expression (its value: the functions).
CLOSED_FORMS = (Path(__file__).parent / "static" / "closed_forms.js").read_text(encoding="utf-8")

#: Figures whose static file computes in the page.
IN_PAGE = ("ravine", "nesterov", "decomposition", "regions")

#: The method each path key runs (closed_forms.planeState).
METHODS = {"momentum": "heavy_ball", "gd": "gradient_descent", "nesterov": "nesterov"}

#: What a static copy of a figure with a problem box cannot do.
PROBLEM_NEEDS_SERVER = " Typing another problem needs the live app (<code>panel serve</code>)."
NOTE = (
    "<p class='static-note'>Static copy, computed in this page: every control moves the plots, at the "
    "exact value set{clicks}.{server}</p>"
)

#: Every callback starts here: the module (evaluated once per page) and how a readout takes its HTML.
PRELUDE = """
const mc = (window.__momentumClosedForms = window.__momentumClosedForms || CLOSED_FORMS);
const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
"""

APPLY = """
if (cb_obj !== undefined && cb_obj.x !== undefined && cb_obj.y !== undefined) {  // a tap: the start
  const clip = (v, [low, high]) => Math.min(Math.max(v, low), high);
  if (Number.isFinite(cb_obj.x) && Number.isFinite(cb_obj.y)) {
    const [x, y] = [clip(cb_obj.x, spec.x_range), clip(cb_obj.y, spec.y_range)];
    start.data = {x: [x], y: [y], label: [spec.start_label]};
  }
}
const state = {
  alpha: 10 ** sliders.alpha.value, beta: sliders.beta.value, steps: Math.round(sliders.steps.value),
  x0: start.data.x[0], y0: start.data.y[0], showGd: show_gd === null ? false : show_gd.active,
};
const result = mc.planeState(spec, state);
frame.data = result.columns;
for (const [key, label] of Object.entries(result.labels)) {
  labels[key].setv({x: label.x, y: label.y, text: label.text, visible: label.visible});
  for (const renderer of renderers[key]) renderer.visible = label.visible;
}
readout.text = escape(result.readout);  // Panel's HTML model carries its text escaped
"""

#: Decomposition: the state from the controls, then the bands, ranges, markers and readout.
APPLY_DECOMPOSITION = """
const scale = scale_choice.active === 1 ? "log" : "linear";
const result = mc.decompositionState(spec, {
  alpha: 10 ** sliders.alpha.value, beta: sliders.beta.value, steps: Math.round(sliders.steps.value), scale,
});
plots.linear.visible = scale === "linear";
plots.log.visible = scale === "log";
frame.data = result.columns;
k_range.setv({start: result.kRange[0], end: result.kRange[1]});
plots[scale].y_range.setv({start: result.yRange[0], end: result.yRange[1]});
for (const marker of markers) marker.setv({visible: result.marker.visible, location: result.marker.location});
readout.text = escape(result.readout);
"""

#: Decomposition's buttons: set α and β to the values `set_optimal_step` / `set_optimal_momentum` give
#: (`Decomposition.optimal_settings`, computed by Python for the file's fixed problem).
OPTIMAL = """
sliders.alpha.value = Math.log10(optimal[0]);
sliders.beta.value = optimal[1];
"""


#: Regions: κ's layers when κ is not the one drawn (the image's codes set in place: its shape and
#: type stay), then the state of (α, β) — roots, trace, marker, readout.
APPLY_REGIONS = """
const kappa = 10 ** sliders.kappa.value;
const [alpha, beta] = [sliders.alpha.value, sliders.beta.value];
const drawn = (window.__momentumRegionsKappa = window.__momentumRegionsKappa || new Map());
if (drawn.get(image) !== kappa) {
  const map = mc.regionsMap(spec, kappa);
  const codes = image.data.rate[0];
  codes.set(map.codes);
  image.setv({data: {rate: [codes]}}, {check_eq: false});
  labels.data = map.labels;
  critical.data = {...map.critical, color: critical.data.color};
  optimum.data = map.optimum;
  mapper.low = map.low;
  drawn.set(image, kappa);
}
const result = mc.regionsState(spec, {alpha, beta, kappa, component: choice.active});
frame.data = result.columns;
trace_range.setv({start: -result.reach, end: result.reach});
if (point.data.x[0] !== alpha || point.data.y[0] !== beta) point.data = {x: [alpha], y: [beta]};
readout.text = escape(result.readout);
"""

#: Regions: a click on the map, or the marker dragged, moves (α, β) there (clamped to the map). The
#: marker's source finds the sliders by name: BokehJS re-renders a legend's entries (icons blank until
#: the next paint) on any change of a model its items reach, callbacks' arguments included.
MOVE_TO = """
const dragged = cb_obj.data !== undefined;
const [x, y] = dragged ? [cb_obj.data.x[0], cb_obj.data.y[0]] : [cb_obj.x, cb_obj.y];
if (dragged) sliders = {alpha: cb_obj.document.get_model_by_name(names.alpha),
                        beta: cb_obj.document.get_model_by_name(names.beta)};
if (Number.isFinite(x) && Number.isFinite(y)) {
  const clip = (v, [low, high]) => Math.min(Math.max(v, low), high);
  const [alpha, beta] = [clip(x, alpha_range), clip(y, beta_range)];
  if (sliders.alpha.value !== alpha) sliders.alpha.value = alpha;
  if (sliders.beta.value !== beta) sliders.beta.value = beta;
}
"""


def problem_spec(figure: Figure) -> dict[str, object]:
    """The figure's problem as momentum_core decomposed it (its eigenvectors as eigh gave them)."""
    problem = figure.quad()
    return {
        "eigenvalues": problem.eigenvalues.tolist(),
        "eigenvectors": problem.eigenvectors.tolist(),
        "w_star": problem.w_star.tolist(),
        "A": problem.A.tolist(),
        "b": problem.b.tolist(),
        "f_star": problem.f_star,
    }


def decomposition_spec(figure: Decomposition) -> dict[str, object]:
    """What closed_forms.decompositionState needs from Python."""
    return {
        "problem": problem_spec(figure),
        "cap": CAP,
        "logFloor": LOG_FLOOR,
        "bands": len(COMPONENTS),
        "texts": {"diverges": DIVERGES, "converges": CONVERGES},
    }


def regions_spec(figure: Regions) -> dict[str, object]:
    """What closed_forms.regionsMap and regionsState need from Python: the map's grid and constants."""
    return {
        "alphas": ALPHAS.tolist(),
        "betas": BETAS.tolist(),
        "stride": LABEL_STRIDE,
        "labelEdge": LABEL_EDGE,
        "lowMargin": LOW_MARGIN,
        "palette": PALETTE_SIZE,
        "diverged": DIVERGED,
        "lamMax": LAM_MAX,
        "alphaMax": ALPHA_RANGE[1],
        "criticalPoints": CRITICAL_POINTS,
        "regimes": [regime.label for regime in mc.Regime],
        "traceSteps": TRACE_STEPS,
        "traceCap": TRACE_CAP,
        "texts": {"diverges": DIVERGES, "converges": CONVERGES},
    }


def plane_spec(figure: Ravine) -> dict[str, object]:
    """What closed_forms.planeState needs from Python: the problem as momentum_core decomposed it, the
    paths (key, readout label, method) and the figure's constants."""
    return {
        "problem": problem_spec(figure),
        "paths": [[key, label, METHODS[key]] for key, (label, _) in figure.PATHS.items()],
        "cut": CUT,
        "tolerance": TOLERANCE,
        "texts": {"diverges": DIVERGES, "converges": CONVERGES},
        "x_range": list(X_RANGE),
        "y_range": list(Y_RANGE),
        "start_label": figure.start_source.data["label"][0],
    }


def wire_in_page(doc: Document, figure: Figure, note: Div) -> dict[str, object]:
    """Make `figure` (one of IN_PAGE) compute in the page with the closed forms; the problem box is off
    (it needs Python). A summary for the export."""
    if isinstance(figure, Decomposition):
        return wire_decomposition(doc, figure, note)
    if isinstance(figure, Regions):
        return wire_regions(doc, figure, note)
    assert isinstance(figure, Ravine), figure
    return wire_plane(doc, figure, note)


def _sliders(doc: Document, figure: Figure, names: tuple[str, ...]) -> dict[str, Slider]:
    return {name: next(iter(doc.select({"type": Slider, "name": figure.model_name(name)}))) for name in names}


def _recompute(
    doc: Document, figure: Figure, sliders: dict[str, Slider], live: list, args: dict, code: str
) -> CustomJS:
    """The callback that recomputes `figure` from its controls (run by every slider); the controls not
    in `live` are turned off."""
    for widget in figure_widgets(doc, figure):
        widget.disabled = widget not in [*sliders.values(), *live]
    callback = CustomJS(
        args={**args, "sliders": sliders}, code=PRELUDE.replace("CLOSED_FORMS", CLOSED_FORMS) + code
    )
    for slider in sliders.values():
        slider.js_on_change("value", callback)
    return callback


def wire_decomposition(doc: Document, figure: Decomposition, note: Div) -> dict[str, object]:
    """α, β, steps, the linear/log choice and the two optimal-parameter buttons, live in the page."""
    sliders = _sliders(doc, figure, ("alpha", "beta", "steps"))
    buttons = (figure.optimal_gd_button, figure.optimal_momentum_button)
    args = {
        "spec": decomposition_spec(figure),
        "scale_choice": figure.scale_choice,
        "frame": figure.frame,
        "plots": figure.plots,
        "k_range": figure.k_range,
        "markers": figure.divergence_markers,
        "readout": figure.readout,
    }
    callback = _recompute(doc, figure, sliders, [figure.scale_choice, *buttons], args, APPLY_DECOMPOSITION)
    figure.scale_choice.js_on_change("active", callback)
    settings = figure.optimal_settings()
    for button, which in zip(buttons, ("step", "momentum"), strict=True):
        button.js_on_click(
            CustomJS(args={"optimal": list(settings[which]), "sliders": sliders}, code=OPTIMAL)
        )
    note.text = NOTE.format(clicks="", server=PROBLEM_NEEDS_SERVER)
    return {"figure": figure.key, "live": [*sliders, "scale", "optimal buttons"], "states": 0}


def wire_plane(doc: Document, figure: Ravine, note: Div) -> dict[str, object]:
    """α, β, steps, the gradient-descent switch and a click on the plot (the start), live in the page."""
    sliders = _sliders(doc, figure, ("alpha", "beta", "steps"))
    switches = list(doc.select({"type": Switch, "name": figure.model_name("show_gd")}))
    show_gd = switches[0] if "gd" in figure.PATHS and switches else None
    args = {
        "spec": plane_spec(figure),
        "show_gd": show_gd,
        "start": figure.start_source,
        "frame": figure.frame,
        "labels": figure.end_labels,
        "renderers": figure.path_renderers,
        "readout": figure.readout,
    }
    callback = _recompute(doc, figure, sliders, [show_gd] if show_gd is not None else [], args, APPLY)
    if show_gd is not None:
        show_gd.js_on_change("active", callback)
    figure.plot.js_on_event("tap", callback)
    note.text = NOTE.format(clicks="; click the plot to move the start", server=PROBLEM_NEEDS_SERVER)
    return {"figure": figure.key, "live": [*sliders, *(["show_gd"] if show_gd else []), "start"], "states": 0}


def wire_regions(doc: Document, figure: Regions, note: Div) -> dict[str, object]:
    """α, β, κ, the traced component, a click on the map and the marker's drag, live in the page."""
    sliders = _sliders(doc, figure, ("alpha", "beta", "kappa"))
    args = {
        "spec": regions_spec(figure),
        "image": figure.image_source,
        "labels": figure.labels_source,
        "critical": figure.critical_source,
        "optimum": figure.optimum_source,
        "mapper": figure.color_mapper,
        "choice": figure.component_choice,
        "frame": figure.frame,
        "trace_range": figure.trace_plot.y_range,
        "point": figure.point_source,
        "readout": figure.readout,
    }
    callback = _recompute(doc, figure, sliders, [figure.component_choice], args, APPLY_REGIONS)
    figure.component_choice.js_on_change("active", callback)
    ranges = {"alpha_range": list(ALPHA_RANGE), "beta_range": list(BETA_RANGE)}
    names = {key: slider.name for key, slider in sliders.items() if key != "kappa"}
    figure.map.js_on_event("tap", CustomJS(args={**ranges, "sliders": sliders, "names": None}, code=MOVE_TO))
    figure.point_source.js_on_change(
        "data", CustomJS(args={**ranges, "sliders": None, "names": names}, code=MOVE_TO)
    )
    note.text = NOTE.format(clicks="; click the map or drag its marker to move (α, β)", server="")
    return {"figure": figure.key, "live": [*sliders, "component", "marker"], "states": 0}
