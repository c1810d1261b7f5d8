"""Figures computed in the page: a page module per figure, painting each input in the frame it arrives.

A figure with a page module (`Figure.page_module`, a JavaScript file beside its Python module, e.g.
`app/figures/ravine.js`) is computed by the browser, served or static, at any distance from the server.
The module is one expression, a function of the shared kernel (`app/static/kernel.js`: the 2×2
recursion per eigencomponent, rates, orbits, Python's number formats) that returns

- `read(models, spec)`: the state of the figure's controls;
- `state(spec, state)`: everything the figure shows in that state — columns, labels, readout — pure
  maths, the page's twin of the figure's `update()`;
- `paint(models, result)`: the models set as `update()` sets them;

and any named actions its buttons and clicks run (`action(models, spec, event, update)`). What Python
fixes — the problem as momentum_core decomposed it, the texts and constants — travels as the spec
(`Figure.page_spec()`), held by a `PageSpec` model: the server sets it again when a typed problem
changes and the page recomputes from it.

Served, a control's change runs the module in the page (one CustomJS per figure, on every control);
the models it paints are not synchronised back (`syncable = False`), and the server, which still
receives each control's value, keeps only what it alone does: URL state, clamping with a notice, the
problem box's parsing and contours (`Figure.served_update`). It never computes or sends the columns.
Python stays the reference: `tests/test_browser_page_modules.py` compares every module with its
figure's `update()` on random states.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from bokeh.core.properties import Any, Instance, Nullable
from bokeh.model import DataModel, Model
from bokeh.models import BoxAnnotation, CustomJS, Label, Plot, Span, Widget

STATIC = Path(__file__).parent / "static"
#: The kernel, one JavaScript expression (its value: the functions), evaluated once per page.
KERNEL = (STATIC / "kernel.js").read_text(encoding="utf-8")
#: The quick layer (`app/static/quick_layer.js`): what a state changes in a plot, drawn at once on a canvas
#: of its own until the state rests, then painted by BokehJS. One expression, evaluated once per page.
QUICK = (STATIC / "quick_layer.js").read_text(encoding="utf-8")

#: Every figure's callback: the kernel and the figure's module (each evaluated once per page and kept),
#: then the action. "update" reads the controls, computes the state and paints it: at once for the
#: first change since the last animation frame (the changes of one task together: their callbacks all
#: run before the microtask that computes), then once for all that came meanwhile, right after the next
#: frame has shown the first — each state computed gets a frame of its own (computed at that frame's
#: start, it would replace the first before the screen showed it), and a state the screen would never
#: show is not computed; but a dragged pointer's move, which the browser hands over as a frame begins,
#: is computed in that frame. Run with `{warm: true}` (WARM, once
#: the page is ready: `static/warm_modules.js`) it computes states near the shown one in idle time,
#: painting none, and has the quick layer rehearse its drawing (`quick.warm`): the browser compiles a
#: module's hot code while it first runs it, on this 2-core machine half a first drag's states late
#: (/schedules: 98–105 of 120 shown, 116–118 once warm).
#: Another action (a click, a button) gets the event and `update`.
LOADER = """
const kernel = (window.__momentumKernel = window.__momentumKernel || KERNEL);
const quick = (window.__momentumQuick = window.__momentumQuick || QUICK);
const modules = (window.__momentumModules = window.__momentumModules || {});
const module = modules[NAME] || (modules[NAME] = (MODULE)(kernel));
const figures = (window.__momentumFigures = window.__momentumFigures || new WeakMap());
const figure = figures.get(models) || {queued: false, painted: false, due: false, dueInFrame: false};
figures.set(models, figure);
const compute = () => {
  const values = spec === null ? null : spec.value;
  const result = module.state(values, module.read(models, values));
  quick.paint(() => module.paint(models, result));
  figure.painted = true;
  requestAnimationFrame(() => {
    figure.painted = false;
    if (!figure.due) return;
    figure.due = false;
    if (figure.dueInFrame) compute();  // a dragging pointer's move: this frame shows it
    else setTimeout(() => figure.painted || compute(), 0);  // once this frame has shown the state computed
  });
};
// A dragging pointer's moves: the browser hands them to the page as a frame begins, just before its
// animation callbacks (and merges those that came meanwhile). A state computed between frames that
// this frame has yet to show is replaced by the move's, so that the move is shown in its frame, as the
// pointer is. Other changes (a key, a timer, the server) come at any time between frames: each waits
// for the state before it to be shown.
const MOVES = new Set(["mousemove", "pointermove", "touchmove"]);
const update = () => {
  const inFrame = MOVES.has(window.event?.type);
  const computeOrWait = () => {
    if (!figure.painted) return compute();
    figure.due = true;  // computed when the next frame's callbacks run (see `compute`)
    figure.dueInFrame = inFrame;
  };
  if (figure.painted) computeOrWait();
  else if (!figure.queued) {
    figure.queued = true;
    queueMicrotask(() => {
      figure.queued = false;
      computeOrWait();
    });
  }
};
// States near the shown one: a number 1–8 % nearer zero; a whole number (a seed, a step count) one
// less every other state (0 one more; 1, often its least, kept).
const near = (value, i) => {
  if (typeof value !== "number" || !Number.isFinite(value)) return value;
  if (!Number.isInteger(value)) return value * (1 - 0.01 * (1 + (i % 8)));
  return value === 0 ? i % 2 : value === 1 ? 1 : value - (i % 2);
};
const nearby = (state, i) =>
  Object.fromEntries(Object.entries(state).map(([name, value]) => [name, near(value, i)]));
const warm = () => {
  quick.warm(models);
  const values = spec === null ? null : spec.value;
  const shown = module.read(models, values);
  let i = 0, spent = 0;
  const run = (deadline) => {
    let refused = false;  // a state the module refuses: no more warming (the reader's states are checked)
    while (!refused && i < WARM_STATES && spent < WARM_MS && deadline.timeRemaining() > 2) {
      const start = performance.now();
      try {
        module.state(values, nearby(shown, i++));
      } catch (error) {
        refused = true;
      }
      spent += performance.now() - start;
    }
    const done = refused || i >= WARM_STATES || spent >= WARM_MS;
    const counts = (window.__momentumWarmed = window.__momentumWarmed || {});
    counts[NAME] = { states: i, ms: spent, refused, done };  // (for the tests)
    if (!done) quick.idle(run);
  };
  quick.idle(run);
};
if (cb_data?.action != null) {  // a button's or a click's action, run by this callback (`page_action`)
  const { action: named, models: its, spec: itsSpec } = cb_data;
  module[named](its, itsSpec == null ? null : itsSpec.value, cb_obj, update);
} else if (action === "update") cb_data?.warm ? warm() : update();
else module[action](models, spec === null ? null : spec.value, cb_obj, update);
"""


#: Annotations a module moves (a path's end label, an iteration's marker) are drawn on their plot's
#: overlay layer: moving one repaints that layer alone, not the plot's glyphs, grids and axes beneath.
MOVED_ANNOTATIONS = (Label, Span, BoxAnnotation)


#: A module warms up on at most this many states, or this many ms of its computing (`/model`'s states
#: take 11–22 ms, a longer run of steps more).
WARM_STATES = 40
WARM_MS = 250


#: The warm-up: the update callback, told to warm up (not another copy of the kernel and module).
WARM = "update.execute(update, {warm: true});"
#: A button's or a click's action (`page_action`): the update callback, told to run it.
ACTION = "update.execute(cb_obj, {action: NAME, models, spec});"


class PageSpec(DataModel):
    """What a figure's page module needs from Python (`Figure.page_spec()`), as plain JSON values; and
    the callback that warms the module up once the page is ready (`run_page_scripts`)."""

    value = Nullable(Any, default=None)
    warm = Nullable(Instance(CustomJS), default=None)


class Figure(Protocol):
    """What this module needs of a figure (app.figure.Figure, which imports this module)."""

    page_module: str
    widgets: list
    spec_model: PageSpec | None

    def model_name(self, part: str) -> str: ...

    def page_spec(self) -> dict[str, object]: ...

    def page_models(self) -> dict[str, object]: ...

    def page_inputs(self) -> list[object]: ...

    def wire_page(self, update: CustomJS) -> None: ...


def module_path(figure: type[Figure] | Figure) -> Path:
    """The figure's page module: the file named `page_module` beside the module that defines it."""
    kind = figure if isinstance(figure, type) else type(figure)
    owner = next(cls for cls in kind.__mro__ if "page_module" in vars(cls))
    return Path(inspect.getfile(owner)).with_name(kind.page_module)


def module_source(figure: type[Figure] | Figure) -> str:
    return _loader_parts(module_path(figure))[0]


@functools.cache
def _loader_parts(path: Path) -> tuple[str, str]:
    """A page module's text, and the loader with the kernel and that module in it: read and built once
    per server, not for every callback of every figure of every session."""
    source = path.read_text(encoding="utf-8")
    code = LOADER.replace("WARM_STATES", str(WARM_STATES)).replace("WARM_MS", str(WARM_MS))
    code = code.replace("QUICK", QUICK).replace("KERNEL", KERNEL)
    code = code.replace("NAME", repr(path.name)).replace("MODULE", source)
    return source, code


def page_callback(
    figure: Figure, action: str = "update", models: dict | None = None, spec: PageSpec | None = None
) -> CustomJS:
    """A CustomJS running `action` of the figure's page module on `models` (the `update` action:
    read, compute, paint). A callback attached to a model that a legend reaches should get no models:
    BokehJS re-renders a legend's entries (blank until the next paint) on any change of a model its
    items reach, callbacks' arguments included."""
    code = _loader_parts(module_path(figure))[1]
    return CustomJS(args={"models": models or {}, "spec": spec, "action": action}, code=code)


def page_action(
    update: CustomJS, action: str, models: dict | None = None, spec: PageSpec | None = None
) -> CustomJS:
    """A CustomJS running `action` of the figure's page module on `models`, through the figure's update
    callback (`wire`'s): the kernel and the module are in the document once, in that callback, not
    again in every button's (each copy ≈ 100 kB of a static file's JSON). For a button or a plot's
    click; a callback on a model that a legend reaches takes `page_callback` (this one reaches, through
    `update`, every model the figure paints)."""
    code = ACTION.replace("NAME", json.dumps(action))
    return CustomJS(args={"update": update, "models": models or {}, "spec": spec}, code=code)


def _models_in(value: object) -> Iterator[Model]:
    if isinstance(value, Model):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _models_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _models_in(item)


def painted_models(figure: Figure) -> list[Model]:
    """The models the figure's page module paints: those of `page_models()` but its controls, plots and
    `page_inputs()` (what the reader changes)."""
    kept = {id(model) for model in [*figure.widgets, *figure.page_inputs()]}
    return [
        model
        for model in _models_in(figure.page_models())
        if not isinstance(model, Plot) and id(model) not in kept
    ]


def drop_painted_changes(figure: Figure) -> None:
    """Forget the held changes Python made to the models the page paints (`painted_models`): in a
    notebook the page has painted the change from its module already, and the kernel, which repaints
    them too (they stay the reference a later cell reads), would make it paint the same state again.
    Panel holds a notebook document's changes until it pushes them (`panel.io.notebook.diff` reads the
    same list)."""
    painted = painted_models(figure)
    ids = {id(model) for model in painted}
    for doc in {model.document for model in painted if model.document is not None}:
        held = doc.callbacks._held_events
        doc.callbacks._held_events = [e for e in held if id(getattr(e, "model", None)) not in ids]


def wire(figure: Figure) -> CustomJS:
    """Make `figure` compute in the page: every control (`figure.widgets`) and its spec run the module's
    update; the models the module paints (all but controls, plots and the figure's `page_inputs`) are
    not synchronised back to a server. Returns the update callback (for the figure's clicks and
    buttons, `Figure.wire_page`)."""
    spec = PageSpec(value=figure.page_spec(), name=figure.model_name("page_spec"))
    models = figure.page_models()
    update = page_callback(figure, models=models, spec=spec)
    spec.warm = CustomJS(args={"update": update}, code=WARM)
    for widget in figure.widgets:
        widget.js_on_change(control_property(widget), update)
    spec.js_on_change("value", update)
    for model in painted_models(figure):
        if not isinstance(model, Widget):  # a readout (Panel's HTML is a Bokeh widget) stays synced
            model.syncable = False
        if isinstance(model, MOVED_ANNOTATIONS) and model.level == "annotation":
            model.level = "overlay"
    figure.spec_model = spec
    figure.wire_page(update)
    return update


def control_property(widget: Widget) -> str:
    """The property a control's value is in ("value" of a slider or text box, "active" of a switch or
    a choice)."""
    return "active" if "active" in widget.properties() else "value"
