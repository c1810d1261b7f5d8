"""Static export: self-contained HTML files that stay interactive with no server (`python -m app export`).

Each file holds one figure's Bokeh models, all JavaScript and CSS inlined. The figures with a page
module (`Figure.page_module`) compute in the page, as served; the others hold, for their live
controls (`LIVE`, one or two sliders), every state on a grid placed where things happen (a
momentum's grid dense towards β = 1, uniform in log(1 − β + δ); log tracks uniform in log). The
states are computed by the figure's own `update()` — every number is `momentum_core`'s — by moving
the slider exactly as the browser does, and recording each model property that changes. In the page
each live slider steps through its grid's positions (its title shows the value there: a state shown
is always a state computed), and a CustomJS callback applies the stored state. The grid holds the
figure's default, so the file opens on the same state as the server. Other controls are disabled in
the static copy.

The table of states is JSON with a pool of distinct values (a path that depends on α alone is stored
once per α), gzip-compressed and base64-encoded; the browser inflates it with DecompressionStream.
"""

from __future__ import annotations

import base64
import gzip
import itertools
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import panel as pn
import param
from bokeh.document import Document
from bokeh.document.events import ColumnDataChangedEvent, ModelChangedEvent
from bokeh.models import (
    Column,
    ColumnDataSource,
    CustomJS,
    CustomJSTickFormatter,
    Div,
    InlineStyleSheet,
    Slider,
    TextInput,
)
from bokeh.models.text import MathText
from bokeh.resources import Resources
from panel.io.resources import set_resource_mode

from .figure import Figure, figure_widgets
from .figures import FIGURES
from .offline_assets import replace_panel_cdn_sheets
from .page_scripts import run_page_scripts
from .pages import explorer_layout


@dataclass(frozen=True)
class Live:
    """A slider that stays live in the static file: `points` grid positions over [low, high]
    (parameter units; default the slider's whole range). The grid is uniform on the slider's track (a
    log track: uniform in log), or for a momentum (`towards_one`) uniform in log(1 − β + δ): dense
    towards β = 1, where the story of momentum is."""

    name: str
    points: int
    low: float | None = None
    high: float | None = None
    towards_one: bool = False


#: The live sliders of each figure's static file, in grid order (about 200-300 states per figure);
#: the figures with a page module compute in the page instead, every control live.
LIVE: dict[str, tuple[Live, ...]] = {
    "limits": (Live("kappa", 13), Live("iteration", 21)),
}
#: Significant digits of plotted coordinates (a pixel is ~1/500 of a plot); text stays exact.
DIGITS = 4

#: `inflate(text)`: the Response of a `gzip_base64` text, inflated by the browser's DecompressionStream.
INFLATE = """
const inflate = (text) => {
  const bytes = Uint8Array.fromBase64
    ? Uint8Array.fromBase64(text)
    : Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")));
};
"""

APPLY_STATE = (
    INFLATE
    + """
const store = (window.__momentumStatic = window.__momentumStatic || {});
if (store[key] === undefined) {
  store[key] = (async () => {
    const buffer = await inflate(blob).arrayBuffer();
    const length = new DataView(buffer).getUint32(0, true);
    const table = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, length)));
    table.body = new Uint8Array(buffer, 4 + length);
    table.parsed = new Map();
    table.shown = table.states[table.initial].slice();
    return table;
  })();
}
store[key].then((table) => {
  // A column of integers (see `quantize`): delta- and zigzag-coded varints from `offset` in the body.
  const column = ([offset, count, mode, low, high]) => {
    const values = new Float64Array(count);
    const unit = mode === 0 ? 1 : (high - low) / LEVELS;
    let [at, level] = [offset, 0];
    for (let i = 0; i < count; i++) {
      let [zigzag, scale, byte] = [0, 1, 0];
      do {
        byte = table.body[at++];
        zigzag += (byte & 127) * scale;
        scale *= 128;
      } while (byte & 128);
      level += zigzag % 2 === 1 ? -(zigzag + 1) / 2 : zigzag / 2;
      const v = low + level * unit;
      values[i] = mode === 2 ? 10 ** v : v;
    }
    return values;
  };
  const value = (index) => {
    if (!table.parsed.has(index)) {
      const parsed = JSON.parse(table.pool[index]);
      const isColumn = parsed !== null && parsed.$column !== undefined;
      table.parsed.set(index, isColumn ? column(parsed.$column) : parsed);
    }
    return table.parsed.get(index);
  };
  let state = 0;
  for (const slider of sliders) {
    const count = Math.round((slider.end - slider.start) / slider.step) + 1;
    const at = Math.min(Math.max(Math.round((slider.value - slider.start) / slider.step), 0), count - 1);
    state = state * count + at;
  }
  const wanted = table.states[state];
  const doc = cb_obj.document;
  table.keys.forEach(([id, attr, columns], k) => {
    if (table.shown[k] === wanted[k]) return;
    const model = doc.get_model_by_id(id);
    if (model === null) return;
    let v;
    if (columns) {
      v = {};
      for (const [name, index] of Object.entries(value(wanted[k]))) v[name] = value(index);
    } else {
      v = value(wanted[k]);
    }
    model.setv({[attr]: v});
    table.shown[k] = wanted[k];
  });
  document.body.dataset.staticState = String(state);
});
"""
)

STATIC_NOTE = (
    "<p class='static-note'>Static copy: {live} move the plots here (precomputed on a grid, "
    "{count} states); the other controls need the live app (<code>panel serve</code>).</p>"
)


#: A plotted column travels as integers: LEVELS steps over its range (see `quantize`).
LEVELS = 65535
#: A positive column whose largest value is more than this times its smallest is stepped in log₁₀.
LOG_RATIO = 1e3


def quantize(values: np.ndarray) -> tuple[int, float, float, np.ndarray]:
    """(mode, low, high, levels) such that value ≈ low + level·(high − low)/LEVELS (mode 1) or 10 to that
    (mode 2, a positive column spanning decades: steps even on a log axis); mode 0 is a column of whole
    numbers, kept exact (level = value − low). The error is at most half a step: 1/131 070 of the
    column's range (mode 2: of its range in decades), far below a pixel of any plot."""
    values = np.asarray(values, dtype=float)
    low, high = float(values.min()), float(values.max())
    if np.array_equal(values, np.round(values)) and high - low < 2**40:
        return 0, low, high, (values - low).astype(np.int64)
    mode = 1
    if low > 0 and high > LOG_RATIO * low:
        mode, values = 2, np.log10(values)
        low, high = float(values.min()), float(values.max())
    if high == low:  # one value (not whole): every level 0
        return mode, low, high, np.zeros(len(values), dtype=np.int64)
    return mode, low, high, np.round((values - low) / (high - low) * LEVELS).astype(np.int64)


def dequantize(mode: int, low: float, high: float, levels: np.ndarray) -> np.ndarray:
    """The values the page draws from `quantize`'s output (the page's `column` does the same)."""
    values = low + np.asarray(levels, dtype=float) * (1.0 if mode == 0 else (high - low) / LEVELS)
    return 10**values if mode == 2 else values


def varints(levels: np.ndarray) -> bytes:
    """Each level's difference from the one before, zigzag-coded (0, −1, 1, −2 … → 0, 1, 2, 3 …) in
    7-bit groups, low group first, the high bit set on all but the last: a smooth path's small steps
    take one byte each."""
    out = bytearray()
    for delta in np.diff(levels, prepend=0).tolist():
        zigzag = 2 * delta if delta >= 0 else -2 * delta - 1
        while zigzag >= 128:
            out.append(zigzag & 127 | 128)
            zigzag >>= 7
        out.append(zigzag)
    return bytes(out)


class _Pool:
    """Distinct JSON texts, each stored once, and the columns' integers (`body`); a value is referred to
    by its index. A column's text is {"$column": [offset, count, mode, low, high]}."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.index: dict[str, int] = {}
        self.body = bytearray()
        self.columns: dict[tuple, int] = {}

    def add(self, text: str) -> int:
        if text not in self.index:
            self.index[text] = len(self.texts)
            self.texts.append(text)
        return self.index[text]

    def add_column(self, values: object) -> int:
        """A source's column: numbers quantized into the body (a short one, or text, as JSON)."""
        numbers = _numbers(values)
        if numbers is None or len(numbers) < 4:
            return self.add(_json(values))
        mode, low, high, levels = quantize(numbers)
        coded = varints(levels)
        key = (mode, low, high, coded)
        if key not in self.columns:
            self.columns[key] = len(self.body)
            self.body += coded
        return self.add(json.dumps({"$column": [self.columns[key], len(numbers), mode, low, high]}))

    def blob(self, header: dict) -> str:
        """The table for the page: gzip of (header's length, header JSON, body), in base64."""
        text = json.dumps(header, separators=(",", ":")).encode()
        return gzip_base64(len(text).to_bytes(4, "little") + text + bytes(self.body))


def gzip_base64(raw: bytes) -> str:
    """`raw` gzipped and in base64, as text a page can hold (its `inflate` undoes it)."""
    return base64.b64encode(gzip.compress(raw, 9)).decode()


def _numbers(value: object) -> np.ndarray | None:
    """`value` as finite float64 numbers if it is a list of numbers, else None."""
    if isinstance(value, np.ndarray | list | tuple) and all(
        isinstance(v, int | float | np.number) and not isinstance(v, bool) for v in value
    ):
        numbers = np.asarray(value, dtype=float)
        if not np.isfinite(numbers).all():
            raise ValueError("non-finite numbers in an exported state")
        return numbers
    return None


def _json(value: object) -> str:
    """JSON for a plain property value; arrays keep DIGITS significant digits."""
    numbers = _numbers(value)
    if numbers is not None:
        return "[" + ",".join(f"{v:.{DIGITS}g}" for v in numbers) + "]"
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("non-finite number in an exported state")
    if value is None or isinstance(value, bool | int | float | str):
        return json.dumps(value)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return json.dumps(list(value))
    raise TypeError(f"cannot export a property value of type {type(value).__name__}")


def track_grid(slider: Slider, live: Live, integer: bool) -> np.ndarray:
    """Grid positions on the slider's track within `live`'s range, through its current value.

    Uniform on the track, or for a momentum uniform in u = −ln(1 − β + δ) (δ keeps the top of the
    range finite: β may pass 1), on each side of the value; an integer parameter takes whole numbers
    (the grid's values rounded, repeats dropped).
    """
    log_track = "log" in slider.tags
    to_track = math.log10 if log_track else float
    low = max(slider.start, to_track(live.low)) if live.low is not None else slider.start
    high = min(slider.end, to_track(live.high)) if live.high is not None else slider.end
    here = min(max(slider.value, low), high)
    if live.towards_one:
        delta = max(0.01, high - 1 + 0.01)
        forward, back = (lambda b: -np.log(1 - b + delta)), (lambda u: 1 + delta - np.exp(-u))
    else:
        forward = back = np.asarray
    start, end, at = (float(forward(v)) for v in (low, high, here))
    intervals = live.points - 1
    # As many of the intervals below the value as its place on the range asks (at least one on each
    # side that has room), each side uniform: both ends of the range and the value itself are on it.
    below = 0 if at <= start else min(max(round(intervals * (at - start) / (end - start)), 1), intervals - 1)
    above = 0 if at >= end else intervals - below
    grid = back(np.concatenate([np.linspace(start, at, below + 1), np.linspace(at, end, above + 1)[1:]]))
    grid = np.clip(grid, low, high)
    grid[below] = here  # exactly the value the figure opens on (a round trip through u may move an ulp)
    grid[0], grid[-1] = max(grid[0], low), min(grid[-1], high)
    if integer:
        whole = np.unique(np.round(10**grid if log_track else grid))
        grid = np.log10(whole) if log_track else whole
    return grid


def index_track(slider: Slider, grid: np.ndarray) -> None:
    """Make `slider` step through the grid's positions one by one (0 … n − 1): unequal steps on the
    parameter's scale, every position a computed state. Its title still shows the parameter's value
    (the served slider's own format, given the grid position's track value)."""
    for callback in list(slider._callbacks.get("value", [])):  # Python's: no server runs the file
        slider.remove_on_change("value", callback)
    index = int(np.argmin(abs(grid - slider.value)))
    shown = slider.format
    slider.update(
        start=0,
        end=max(len(grid) - 1, 1),
        step=1,
        value=index,
        format=CustomJSTickFormatter(
            args={"values": grid.tolist()},
            code="tick = values[Math.round(Number(tick))] ?? tick;\n" + shown.code,
        ),
        tags=[*slider.tags, "grid"],
    )


def _encode(pool: _Pool, value: object, is_source: bool) -> int:
    """Pool index of a property value; a source's data is a dict of pooled columns."""
    if is_source:
        columns = {name: pool.add_column(column) for name, column in dict(value).items()}
        return pool.add(json.dumps(columns, sort_keys=True))
    return pool.add(_json(value))


def wire_static(doc: Document, figure: Figure, note: Div) -> dict[str, object]:
    """Precompute `figure`'s states over its live sliders' grid and wire the sliders to apply them.

    One pass over the grid records, per state, the properties that changed and their new values;
    a property's value in a state is its last change up to there, or its value at the start.
    """
    specs = LIVE[figure.key]
    live = [next(iter(doc.select({"type": Slider, "name": figure.model_name(s.name)}))) for s in specs]
    grids = [
        track_grid(slider, spec, isinstance(figure.param[spec.name], param.Integer))
        for slider, spec in zip(live, specs, strict=True)
    ]
    _move(live, [grid[np.argmin(abs(grid - slider.value))] for slider, grid in zip(live, grids, strict=True)])
    initial = tuple(float(s.value) for s in live)
    for widget in figure_widgets(doc, figure):
        widget.disabled = widget not in live

    start = {model.id: model.properties_with_values(include_defaults=True) for model in doc.models}
    models: dict[tuple[str, str], object] = {}
    touched: set[tuple[str, str]] = set()

    def record(event: object) -> None:
        if isinstance(event, ModelChangedEvent | ColumnDataChangedEvent) and event.model not in live:
            key = (event.model.id, "data" if isinstance(event, ColumnDataChangedEvent) else event.attr)
            models[key] = event.model
            touched.add(key)

    pool = _Pool()
    states = list(itertools.product(*grids))
    changes: list[dict[tuple[str, str], int]] = []
    doc.on_change(record)
    try:
        for state in states:
            touched.clear()
            _move(live, state)
            changes.append(
                {
                    k: _encode(pool, getattr(models[k], k[1]), isinstance(models[k], ColumnDataSource))
                    for k in touched
                }
            )
    finally:
        doc.remove_on_change(record)
        _move(live, initial)
    for slider, grid in zip(live, grids, strict=True):
        index_track(slider, grid)

    keys = sorted(models)
    last = {k: _encode(pool, start[k[0]][k[1]], isinstance(models[k], ColumnDataSource)) for k in keys}
    table_states = []
    for change in changes:
        last.update(change)
        table_states.append([last[k] for k in keys])

    table = {
        "keys": [[i, attr, int(isinstance(models[(i, attr)], ColumnDataSource))] for i, attr in keys],
        "pool": pool.texts,
        "states": table_states,
        "initial": states.index(initial),
    }
    blob = pool.blob(table)
    code = APPLY_STATE.replace("LEVELS", str(LEVELS))
    callback = CustomJS(args={"key": figure.key, "blob": blob, "sliders": live}, code=code)
    for slider in live:
        slider.js_on_change("value", callback)
    labels = " and ".join(figure.param[spec.name].label for spec in specs)
    note.text = STATIC_NOTE.format(live=labels, count=len(states))
    return {
        "figure": figure.key,
        "live": [s.name for s in specs],
        "states": len(states),
        "table_bytes": len(blob),
    }


#: What a static copy of a figure with a problem box cannot do.
PROBLEM_NEEDS_SERVER = " Typing another problem needs the live app (<code>panel serve</code>)."
IN_PAGE_NOTE = (
    "<p class='static-note'>Static copy, computed in this page: every control moves the plots, at the "
    "exact value set.{server}</p>"
)


def wire_in_page(doc: Document, figure: Figure, note: Div) -> dict[str, object]:
    """A figure with a page module, as served: every control live, computed in the page at the exact
    value set; only a problem box (it needs Python to parse and decompose) is off. A summary."""
    boxes = [widget for widget in figure_widgets(doc, figure) if isinstance(widget, TextInput)]
    for box in boxes:
        box.disabled = True
    note.text = IN_PAGE_NOTE.format(server=PROBLEM_NEEDS_SERVER if boxes else "")
    live = [widget.name.removeprefix(figure.model_name("")) for widget in figure.widgets]
    return {"figure": figure.key, "live": live, "states": 0}


def static_sections(keys: list[str], explorer: bool) -> tuple[Document, dict[str, object], list[dict]]:
    """A document with the figures (in the article's text if `explorer`), each wired to its states.

    Returns the document, each figure's section model (its note and the figure) and summaries.
    """
    with set_resource_mode("inline"):  # Panel's style sheets inlined too, not linked from its CDN
        doc = Document()
        figures = {key: FIGURES[key]() for key in keys}
        notes = {
            key: Div(
                sizing_mode="stretch_width", name=f"{key}-static_note", css_classes=[f"{key}-static_note"]
            )
            for key in keys
        }
        sections = {
            key: pn.Column(notes[key], figure, sizing_mode="stretch_width") for key, figure in figures.items()
        }
        layout = explorer_layout(sections) if explorer else pn.Column(*sections.values())
        root = layout.get_root(doc)
        doc.add_root(root)
        summaries = [
            (wire_in_page if figures[key].page_module else wire_static)(doc, figures[key], notes[key])
            for key in keys
        ]
        inline_style_sheets(doc)
        run_page_scripts(doc)
        parts = {key: section._models[root.ref["id"]][0] for key, section in sections.items()}
    return doc, parts, summaries


PANEL_DIST = Path(pn.__file__).parent / "dist"


def _css_from_dist(relative: str) -> str:
    """A Panel style sheet's text, its relative url(...) assets inlined as data: URIs."""
    path = PANEL_DIST / relative
    css = path.read_text(encoding="utf-8")

    def data_uri(match: re.Match) -> str:
        asset = (path.parent / match.group(1)).resolve()
        if not asset.is_file():
            return "none"
        mime = "image/svg+xml" if asset.suffix == ".svg" else "application/octet-stream"
        return f"url('data:{mime};base64,{base64.b64encode(asset.read_bytes()).decode()}')"

    return re.sub(r"url\(['\"]?((?!data:)[^'\")]+)['\"]?\)", data_uri, css)


def inline_style_sheets(doc: Document) -> None:
    """Replace style sheets Panel links from its CDN by their text (holoviz/panel#6759, #7073)."""
    replace_panel_cdn_sheets(doc, lambda path: InlineStyleSheet(css=_css_from_dist(path)))


def _move(sliders: list[Slider], values: Iterable[float]) -> None:
    for slider, value in zip(sliders, values, strict=True):
        slider.value = float(value)


def bundles_for(doc: Document, maths: bool = False) -> Resources:
    """Bokeh's bundles inlined, without those no model of `doc` uses: the WebGL one only with a WebGL
    plot, the TeX one only with TeX in a Bokeh model or typeset text (`maths`: the article's formulas).
    (The tables bundle stays: Panel's bundle needs it to load.)"""
    components = ["bokeh", "bokeh-widgets", "bokeh-tables"]
    if any(getattr(m, "output_backend", "canvas") == "webgl" for m in doc.models):
        components.append("bokeh-gl")
    if maths or any(isinstance(m, MathText) for m in doc.models):
        components.append("bokeh-mathjax")
    return Resources(mode="inline", components=components)


SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<text>.*?)</script>", re.S)

#: Inflates the packed scripts and runs them in their order (an inline script added to the page runs
#: at once); the document's JSON goes back where BokehJS looks for it, under its id. In a block:
#: nothing of it stays global.
UNPACK = (
    "{"
    + INFLATE
    + """
(async () => {
  const packed = inflate(document.getElementById("momentum-packed").textContent);
  for (const {type, id, text} of JSON.parse(await packed.text())) {
    const script = document.createElement("script");
    if (type !== "text/javascript") script.type = type;
    if (id) script.id = id;
    script.text = text;
    document.body.appendChild(script);
  }
})();
}
"""
)


def pack_scripts(html: str) -> str:
    """The page's scripts (BokehJS, Panel, the document's JSON and the call that renders it) gzipped
    into one base64 text and a few lines that inflate and run them in order with the browser's own
    DecompressionStream: about a third of the bytes (minified JavaScript compresses to ≈ 28 %).

    es-module-shims' options stay in place: it reads them from the page when it starts.
    """
    scripts = []

    def take(match: re.Match) -> str:
        kind = re.search(r'type="([^"]+)"', match["attrs"])
        kind = kind.group(1) if kind else "text/javascript"
        if kind not in ("text/javascript", "application/json"):
            return match[0]
        ident = re.search(r'id="([^"]+)"', match["attrs"])
        scripts.append({"type": kind, "id": ident.group(1) if ident else None, "text": match["text"]})
        return ""

    rest = SCRIPT.sub(take, html)
    packed = gzip_base64(json.dumps(scripts).encode())
    loader = (
        f'<script type="application/octet-stream" id="momentum-packed">{packed}</script>\n'
        f"<script>{UNPACK}</script>\n</body>"
    )
    return rest.replace("</body>", loader, 1)


def save(doc: Document, path: Path, title: str, maths: bool = False) -> int:
    """Write `doc` with every resource it uses inlined (its scripts packed); the file's size in bytes."""
    pn.io.save.save(doc, str(path), title=title, resources=bundles_for(doc, maths))
    html = Path(path).read_text(encoding="utf-8")
    html = re.sub(r'<link rel="(?:apple-touch-icon|icon)"[^>]*>', "", html)  # Panel's point to its CDN
    html = html.replace("<head>", '<head>\n<link rel="icon" href="data:,">', 1)
    Path(path).write_text(pack_scripts(html), encoding="utf-8")
    return Path(path).stat().st_size


def export_all(out: Path, keys: list[str] | None = None, explorer: bool = True) -> list[dict[str, object]]:
    """out/<figure>.html for each figure, and (`explorer`) out/index.html with every figure and the text.

    The states are computed once: the per-figure files reuse the explorable's sections.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    keys = list(FIGURES) if explorer or not keys else keys
    pn.extension(notifications=False)  # no formula renderer in the figure files: none is needed there
    doc, parts, summaries = static_sections(keys, explorer)
    explorable = list(doc.roots)
    for root in explorable:
        doc.remove_root(root)
    results = []
    for key, summary in zip(keys, summaries, strict=True):
        page = Document()
        heading = Div(text=f"<h2>{FIGURES[key].heading}</h2>", sizing_mode="stretch_width")
        page.add_root(Column(heading, parts[key], sizing_mode="stretch_width", max_width=1400))
        path = out / f"{key}.html"
        size = save(page, path, f"Momentum Explorer · {FIGURES[key].heading}")
        results.append({"file": str(path), "bytes": size, "figures": [summary]})
        page.remove_root(page.roots[0])
    if explorer:
        pn.extension("mathjax", notifications=False)  # the text's formulas, inlined too
        for root in explorable:
            doc.add_root(root)
        size = save(doc, out / "index.html", "Momentum Explorer", maths=True)
        results.append({"file": str(out / "index.html"), "bytes": size, "figures": summaries})
    return results
