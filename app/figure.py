"""What every figure shares: bounded parameters, Bokeh controls, a coalesced update, URL state, notices.

A figure is a `param.Parameterized` Viewer: it declares its parameters with bounds, builds its Bokeh
models once in `build()`, and repaints them in place in `update()` (new `ColumnDataSource.data`,
patched glyph properties and readouts). Changes arriving faster than the server can repaint are
coalesced: only the latest state is drawn.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from typing import ClassVar, TypeVar

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource
from panel.models import HTML
from panel.viewable import Viewer

from . import page_module, theme
from .server import one_message
from .theme import CSS
from .url_state import UrlSync, fields_of

MAX_NOTICES = 6
CAPTION_CSS = ".figure-caption { color: #555; font-style: italic; font-size: 14px; margin: 0.2em 0; }"
MEMO_SIZE = 8  # results a figure remembers by default (`Figure.memo`)
T = TypeVar("T")
#: Readout text is refreshed at most this often during a drag (plots repaint on every change); the
#: last state always lands. Each changed model costs Bokeh one websocket message.
READOUT_INTERVAL_S = 0.1
#: The tag of a source the server paints once the sliders rest, off a drag's path (/model's network):
#: the drag tests and benchmarks leave it out of what they time.
SERVED_AFTER_REST = "served after rest"
#: Frame columns up to this length are sent as JSON lists, longer ones as arrays (`wire_format`).
INLINE_MAX = 16


class Notices:
    """A visible list of what was corrected (bad link values, refused widget values)."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.pane = pn.pane.Alert("", alert_type="warning", visible=False, sizing_mode="stretch_width")

    def add(self, *messages: str) -> None:
        self.items = (self.items + list(messages))[-MAX_NOTICES:]
        self.pane.object = "\n".join(f"- {html.escape(m)}" for m in self.items)
        self.pane.visible = True


#: The notice for a κ at or below 1 (figures drawn for a condition number).
NOT_A_CONDITION_NUMBER = "not a valid condition number (κ ≥ 1)"


def step_size(default: float, low: float, high: float) -> param.Number:
    """The step-size α parameter (α > 0; the upper bound reaches past divergence)."""
    return param.Number(default, bounds=(low, high), label="Step-size α")


def momentum(default: float, low: float = -0.9, high: float = 1.02) -> param.Number:
    """The momentum β parameter: negative values allowed (Qian 1999), up to past the β < 1 edge."""
    return param.Number(default, bounds=(low, high), label="Momentum β")


class Figure(Viewer):
    """Base of every figure: subclasses set `url_fields`, implement `build()`, `update()`, `layout()`.

    `build()` makes `self.readout` (`readout(...)`), the box of live numbers every figure shows.
    """

    readout: HTML

    key: ClassVar[str] = ""  # route name; prefixes Bokeh model names and CSS classes ("ravine-alpha")
    heading: ClassVar[str] = ""
    #: One line under the figure that says what to try.
    caption: ClassVar[str] = ""
    url_fields: ClassVar[tuple[str, ...]] = ()
    #: How many results `memo` keeps (a figure with several runs per state keeps more).
    memo_size: ClassVar[int] = MEMO_SIZE
    #: The state its screenshot shows, as a query ("alpha=1.2&beta=0.6"; empty: the defaults).
    showcase: ClassVar[str] = ""
    #: Why a value at or below a parameter's lower bound is refused, for the notice (subclasses add theirs).
    why_low: ClassVar[dict[str, str]] = {"alpha": "not a valid step-size (α must be > 0)"}
    #: The figure's page module, a JavaScript file beside its Python module ("ravine.js"): the page
    #: computes and paints every state from it (app/page_module.py). Empty: the server repaints.
    page_module: ClassVar[str] = ""
    #: The slider whose states cost most to compute and paint: the one the drag tests time.
    drag_slider: ClassVar[str] = "alpha"

    def __init__(self, url_prefix: str = "", **params: object) -> None:
        super().__init__(**params)
        # Panel's current document, not bokeh.io.curdoc(): a section of `/` is built in a Panel callback,
        # where Bokeh's curdoc() is a stray document that no session runs (its timeouts never fire).
        doc = pn.state.curdoc if pn.state.curdoc is not None and pn.state.curdoc.session_context else None
        self._doc = doc
        self._readout_due: tuple[HTML, str | Callable[[], str]] | None = None
        self._readout_time = 0.0
        self._memo: dict[tuple, object] = {}
        self._view: pn.viewable.Viewable | None = None  # the layout last shown (a notebook pushes it)
        self.notices = Notices()
        self.frame = ColumnDataSource({}, name=self.model_name("frame"))
        self.widgets: list[object] = []  # the controls (`controls` registers each one it makes)
        self.spec_model: page_module.PageSpec | None = None  # what the page module needs (page_spec)
        self.url = UrlSync(self, fields_of(self, self.url_fields, url_prefix), doc)
        self.url.read(lambda messages: self.notices.add(*messages))
        with theme.plots_made() as plots:
            self.build()
        for plot in plots:
            theme.legends_off_the_data(plot)
            if pn.config.theme == "dark":  # ?theme=dark: Bokeh's dark theme (app.pages.serve)
                theme.dark_plot(plot)
        page_module.wire(self)
        watched = [name for name in self.param if name != "name"]
        self.param.watch(self._changed, watched)
        self.update()

    # Subclass API -------------------------------------------------------------------------
    def build(self) -> None:
        """Create the Bokeh models and controls (once)."""
        raise NotImplementedError

    def update(self) -> None:
        """Repaint the models in place from the current parameters."""
        raise NotImplementedError

    def layout(self) -> pn.viewable.Viewable:
        raise NotImplementedError

    # Page module (figures that set `page_module`) -----------------------------------------
    def page_spec(self) -> dict[str, object]:
        """What the page module needs from Python: plain JSON values (the problem, texts, constants)."""
        return {}

    def page_models(self) -> dict[str, object]:
        """The models the page module reads and paints, by the names it uses (`sliders`, `frame`, …)."""
        return {}

    def page_inputs(self) -> list[object]:
        """Models of `page_models` that the reader changes in the page (a dragged data source), besides
        the controls: they stay synchronised, so the server learns the change (and the link keeps it)."""
        return []

    def wire_page(self, update: object) -> None:
        """Attach the page's `update` callback (a CustomJS) to the figure's clicks, and its buttons'
        actions (`page_module.page_callback`). Controls and the spec are wired already."""

    def static_copy(self) -> None:
        """What a copy with no server (`momentum-explorer export`) shows differently: nothing, unless a
        figure says (/custom: no links to the served routes, no caption that asks for typing). Called
        once the figure is made, before it is laid out."""

    def served_update(self, changed: set[str]) -> None:
        """What the server still does when `changed` parameters change on a page that computes the
        figure: the spec again after a typed problem (the page then recomputes from it)."""
        if "problem" in changed and self.spec_model is not None:
            spec = self.page_spec()
            if spec != self.spec_model.value:
                self.spec_model.value = spec

    def controls_beside(self, controls: list, *plots: object, width: int = 340) -> pn.viewable.Viewable:
        """The common layout: notices on top, a column of controls and readouts, then the plots.

        On a screen too narrow for both (a phone) the plots come right under the controls and the
        readouts after them: the column gives its items to the row (`NARROW_CONTROLS_CSS`), where the
        plots are ordered before the readouts.
        """
        panel = pn.Column(
            *controls, sizing_mode="stretch_width", max_width=width, styles={"flex": f"0 1 {width}px"},
            stylesheets=[NARROW_CONTROLS_CSS],
        )  # fmt: skip
        row = wrapping_row(panel, *(cell(plot, stylesheets=[NARROW_PLOT_CSS]) for plot in plots))
        return pn.Column(self.notices.pane, row, sizing_mode="stretch_width")

    def plot(self, part: str, title: str, **kwargs: object) -> object:
        """A themed Bokeh figure named "<figure>-<part>" (its CSS class too), e.g. "hurts-gain_plot"."""
        return theme.plot(title, name=self.model_name(part), **kwargs)

    def model_name(self, part: str) -> str:
        """A page-unique name for a Bokeh model of this figure, e.g. "ravine-momentum_path"."""
        return f"{self.key}-{part}"

    def controls_by_name(self) -> dict[str, object]:
        """The figure's controls by the parameter each sets ("alpha", "beta", …), for `page_models`."""
        return {widget.name.removeprefix(self.model_name("")): widget for widget in self.widgets}

    def publish(self, **columns: object) -> None:
        """Send everything a change repaints as one update of the figure's frame (`publish`)."""
        publish(self.frame, columns)

    def show_readout(self, div: HTML, html_text: str | Callable[[], str]) -> None:
        """Set a readout's HTML now, or, mid-drag, within READOUT_INTERVAL_S (latest text wins).

        `html_text` may be a function making the text: it is then only called when the text is sent.
        """
        wait = READOUT_INTERVAL_S - (time.monotonic() - self._readout_time)
        if self._doc is None or wait <= 0:
            self._readout_due = None
            self._readout_time = time.monotonic()
            set_html(div, html_text() if callable(html_text) else html_text)
            return
        scheduled = self._readout_due is not None
        self._readout_due = (div, html_text)
        if not scheduled:
            self._doc.add_timeout_callback(self._flush_readout, int(wait * 1000) + 1)

    def _flush_readout(self) -> None:
        if self._readout_due is not None:
            div, html_text = self._readout_due
            self._readout_due = None
            self._readout_time = 0.0
            self.show_readout(div, html_text)

    def memo(self, key: tuple, compute: Callable[[], T]) -> T:
        """compute() for `key`, remembered for the last `memo_size` keys (a run the change did not touch,
        e.g. gradient descent while β moves, is not recomputed). Results are shared: do not mutate."""
        return self.memo_many([key], lambda missing: [compute()])[0]

    def memo_many(self, keys: list[tuple], compute: Callable[[list[int]], list[T]]) -> list[T]:
        """`memo` for several keys at once: compute(positions of the keys not remembered) returns their
        values in one go (several runs in one batched call), the others are reused."""
        missing = [i for i, key in enumerate(keys) if key not in self._memo]
        computed = dict(zip(missing, compute(missing), strict=True)) if missing else {}
        values = []
        for i, key in enumerate(keys):
            value = computed[i] if i in computed else self._memo.pop(key)
            self._memo[key] = value  # most recently used last
            values.append(value)
        while len(self._memo) > self.memo_size:
            del self._memo[next(iter(self._memo))]
        return values

    def notify(self, message: str) -> None:
        self.notices.add(message)

    # Machinery ----------------------------------------------------------------------------
    def _changed(self, *events: param.parameterized.Event) -> None:
        if self._doc is not None:  # served: the page has painted the change (its page module)
            with one_message(self._doc):  # a typed problem's new spec and contours: one message
                self.served_update({event.name for event in events})
            self.url.schedule_write()
            return
        # A notebook (or no page at all): Python's models repaint now (the reference a later cell reads).
        self.update()
        if self._view is not None:
            # The page painted the change from its module: send it only what it did not paint (a
            # control set from code, a typed problem's spec). Panel sends a notebook page only the
            # Bokeh changes it makes itself: push ours.
            page_module.drop_painted_changes(self)
            pn.io.push_notebook(self._view)

    def __panel__(self) -> pn.viewable.Viewable:
        caption = note(
            self.caption,
            name=self.model_name("caption"),
            css_classes=[self.model_name("caption")],
            margin=(0, 10, 10, 10),
        )
        self._view = pn.Column(
            self.layout(), caption, sizing_mode="stretch_width", stylesheets=[theme.OFF_SCREEN_CSS]
        )
        return self._view


def side_by_side(*items: object, basis: int = 360) -> pn.FlexBox:
    """Items in a row that wraps onto new lines when narrower than `basis` px each (small screens)."""
    return wrapping_row(*(cell(item, basis) for item in items))


def cell(item: object, basis: int = 360, **options: object) -> pn.Column:
    """`item` in a flex cell `basis` px wide that grows with the row (at least 280 px)."""
    return pn.Column(
        item, sizing_mode="stretch_width", styles={"flex": f"1 1 {basis}px"}, min_width=280, **options
    )


#: Below this width the controls column and the plots no longer fit side by side (340 + 360 px and
#: the page's margins): the plots then sit under the sliders and the readouts under the plots.
NARROW = 720
#: The controls column on a narrow screen: its items become the row's own (display: contents), each
#: a full line, the readouts ordered after the plots (the plots' cells have order 1).
NARROW_CONTROLS_CSS = f"""
@media (max-width: {NARROW}px) {{
  :host {{ display: contents !important; }}
  div {{ flex: 1 1 100% !important; }}
  .bk-Slider {{ margin-right: 12px !important; }}  /* a handle at the end stays on the screen */
  .momentum-readout {{ order: 2; }}
}}
"""
NARROW_PLOT_CSS = f"@media (max-width: {NARROW}px) {{ :host {{ order: 1; }} }}"


def small_multiples(plots: list, basis: int = 200) -> pn.FlexBox:
    """Small plots side by side, each `basis` px wide and growing with the row, wrapping onto new
    lines (at least 150 px each: two to a phone's row)."""
    cells = (pn.Column(plot, sizing_mode="stretch_width", styles={"flex": f"1 1 {basis}px"}, min_width=150)
             for plot in plots)  # fmt: skip
    return wrapping_row(*cells)


def note(text: str, **options: object) -> pn.pane.HTML:
    """A line of words in the caption's style: a figure's caption, or what a row of small plots shows."""
    return pn.pane.HTML(
        f'<p class="figure-caption">{html.escape(text)}</p>',
        stylesheets=[CAPTION_CSS],
        sizing_mode="stretch_width",
        **options,
    )


def wrapping_row(*cells: object) -> pn.FlexBox:
    """Cells in a row that wraps onto new lines when the screen is too narrow for them."""
    return pn.FlexBox(*cells, flex_wrap="wrap", sizing_mode="stretch_width")


def wire_format(values: np.ndarray) -> np.ndarray | list[float]:
    """A column as it should travel: a few values as a JSON list, more as an array.

    A repaint leaves as one message with its arrays inline (`server.one_message`): an array is then
    gzip + base64 inside the message's JSON, decoded natively by BokehJS, while a JSON list costs
    ≈ 0.6 µs a float to write and again to read; past about INLINE_MAX values the array is cheaper
    (measured, docs/speed.md). Values are the same either way: JSON floats round-trip exactly.
    """
    return values.tolist() if len(values) <= INLINE_MAX else values


#: A column drawn on a log axis travels as float32 only if it spans at least this many decades.
LOG_AXIS_MIN_DECADES = 1e-3
FLOAT32 = np.finfo(np.float32)


def on_log_axis(values: object) -> np.ndarray:
    """A column that a log axis draws, as it should travel: float32 where that moves it by under a pixel.

    Rounding to float32 moves a value by at most 2⁻²⁴ of itself, log₁₀(1 + 2⁻²⁴) = 2.6·10⁻⁸ of a decade;
    a column spanning ≥ LOG_AXIS_MIN_DECADES is drawn on an axis spanning at least as much (an axis
    ranged to its data; the fixed ones span decades), so the error is ≤ 2.6·10⁻⁵ of the axis: under a
    tenth of a pixel on a plot up to 3 800 px tall (`tests/test_figures.py` measures it on every
    figure, in pixels). Half the bytes to write, send, decode and map: a `/schedules` change 3–9 %
    sooner (docs/speed.md). Otherwise — a value that is not a normal float32 (0, below 1.2·10⁻³⁸, above
    3.4·10³⁸) or a nearly flat column — the values stay float64.
    """
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return values
    low, high = values.min(), values.max()
    if FLOAT32.tiny <= low and high <= FLOAT32.max and np.log10(high / low) >= LOG_AXIS_MIN_DECADES:
        return values.astype(np.float32)
    return values


def publish(source: ColumnDataSource, columns: dict[str, object]) -> None:
    """Send everything a change repaints as one `ColumnDataSource.data` update.

    Bokeh's server sends one websocket message per changed model property, so per-change arrays
    of several glyphs share one source; shorter columns are padded to the longest (see `pad`).
    """
    length = max((len(values) for values in columns.values()), default=0)
    new = {name: wire_format(pad(values, length)) for name, values in columns.items()}
    old = source.data
    if set(old) != set(new):
        source.data = new
        return
    changed = {name: values for name, values in new.items() if not np.array_equal(old[name], values)}
    if changed:
        old.update(changed)  # Bokeh sends only these columns (a ColumnDataChanged with `cols`)


def pad(values: object, length: int) -> np.ndarray:
    """`values` extended to `length` by repeating its last value (a line ends there, a marker repeats).

    Float64, or float32 as `on_log_axis` made it. Never NaN: no NaN or infinity reaches the browser.
    """
    values = np.asarray(values)
    if values.dtype != np.float32:
        values = values.astype(float, copy=False)  # float64 as it is: no copy before the one below
    if values.size == 0:
        raise ValueError("a frame column needs at least one value")
    return np.concatenate([values, np.full(length - values.size, values[-1], dtype=values.dtype)])


def readout(name: str) -> HTML:
    """A box of live numbers, updated in place (set its HTML with `set_html`).

    Panel's HTML model, not Bokeh's Div: BokehJS answers a Div's new text by laying out the whole page
    again from its root (`LayoutDOMView.rerender` → `compute_layout`: every plot's axes measured, 9 ms
    a change on /limits and more on `/`), while this model only replaces its inner HTML.
    """
    return HTML(
        text="",
        name=name,
        css_classes=["momentum-readout", name],
        stylesheets=[CSS],
        sizing_mode="stretch_width",
    )


def set_html(box: HTML, markup: str) -> None:
    """Show `markup` in a `readout` box (unless it already does). The model carries it escaped: the
    browser side decodes its text once before using it as HTML."""
    escaped = html.escape(markup, quote=False)
    if box.text != escaped:
        box.text = escaped


def shown_html(box: HTML) -> str:
    """The HTML a `readout` box shows."""
    return html.unescape(box.text)


DIVERGES = '<span class="diverges">diverges</span>'
CONVERGES = '<span class="ok">converges</span>'
#: Both verdicts by name, as a page module's spec carries them (`texts`).
VERDICTS = {"diverges": DIVERGES, "converges": CONVERGES}


def verdict(converges: bool) -> str:
    """The readout's coloured "converges" / "diverges" label."""
    return CONVERGES if converges else DIVERGES


def rows(pairs: list[tuple[str, str]]) -> str:
    """An HTML table body for a readout box."""
    cells = "".join(f"<tr><td>{label}</td><td>{value}</td></tr>" for label, value in pairs)
    return f"<table>{cells}</table>"


def figure_widgets(doc: object, figure: Figure) -> list[object]:
    """The figure's controls (their names start with the figure's key)."""
    from bokeh.models import Button, RadioButtonGroup, Slider, Switch, TextInput

    kinds = (Slider, Button, Switch, TextInput, RadioButtonGroup)
    prefix = figure.model_name("")
    return [m for m in doc.models if isinstance(m, kinds) and (m.name or "").startswith(prefix)]
