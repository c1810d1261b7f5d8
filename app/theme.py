"""Colours (Okabe–Ito, colour-blind safe), sizes and plot defaults shared by every figure."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator

from bokeh.models import (
    CDSView,
    ContourRenderer,
    CustomJS,
    CustomJSFilter,
    CustomJSTicker,
    Label,
    LabelSet,
    Legend,
    Range1d,
)
from bokeh.plotting import figure

MOMENTUM = "#D55E00"  # vermillion
GRADIENT_DESCENT = "#0072B2"  # blue
OPTIMUM = "#009E73"  # bluish green
START = "#000000"
COMPONENTS = ("#E69F00", "#56B4E9", "#CC79A7", "#009E73", "#0072B2", "#D55E00")
DIVERGENT = "#9a9a9a"
#: Light filled contours, so that the paths carry the strongest ink.
CONTOUR_FILL = ("#fbfbfb", "#f4f4f4", "#ededed", "#e5e5e5", "#dcdcdc", "#d3d3d3", "#c9c9c9", "#bfbfbf")

CSS = """
.momentum-readout table { border-collapse: collapse; font-size: 14px; }
.momentum-readout td { padding: 2px 10px 2px 0; }
.momentum-readout .diverges { color: #b00020; font-weight: 600; }
.momentum-readout .ok { color: #006d4f; font-weight: 600; }
"""

#: A visible keyboard focus for every control (inside the widgets' shadow roots): 3 px, Okabe–Ito blue.
FOCUS_CSS = """
.noUi-handle:focus, .noUi-handle:focus-visible, .bk-btn:focus-visible, .bk-input:focus-visible,
input:focus-visible, button:focus-visible, [tabindex]:focus-visible, .bk-switch:focus-visible {
  outline: 3px solid #0072B2 !important;
  outline-offset: 2px;
  box-shadow: 0 0 0 5px rgba(255, 255, 255, 0.9);
}
"""


#: A plot title's longest line: it fits a phone's 400 px plot (BokehJS draws a title on one line per
#: line of its text, never wrapping it, and a longer one ran past the screen's edge).
#: Words written on a plot (a Label or LabelSet): small, dark, on a light box that keeps them readable
#: over lines and contours.
LABEL_STYLE = {
    "text_font_size": "12px",
    "text_color": "#222222",
    "background_fill_color": "white",
    "background_fill_alpha": 0.7,
}
TITLE_CHARS = 44


def title_lines(title: str, limit: int = TITLE_CHARS) -> str:
    """`title` in lines of at most `limit` characters where it is longer, broken between words, the
    lines as even as they can be ("…(pixel 0 is seeded with 1)" → two lines of 29 and 26)."""
    words = title.split(" ")
    if len(title) <= limit or len(words) == 1:
        return title
    lines_needed = -(-len(title) // limit)
    target = -(-len(title) // lines_needed)
    lines, line = [], ""
    for word in words:
        if line and (len(line) + 1 + len(word) > limit or len(line) >= target):
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def padded_ends(low: float, high: float, log: bool = False) -> tuple[float, float]:
    """The ends of an axis over [low, high] with the margin Bokeh's automatic range gives it: 5 % of the
    span on each side, in decades on a log axis (half a decade, or half of |low|, around a single value).
    The page's twin is the kernel's `paddedEnds`."""
    if log:
        a, b = math.log10(low), math.log10(high)
        margin = 0.05 * (b - a) if b > a else 0.5
        return 10 ** (a - margin), 10 ** (b + margin)
    margin = 0.05 * (high - low) if high > low else 0.5 * (abs(low) or 1.0)
    return low - margin, high + margin


def padded_range(low: float, high: float, log: bool = False) -> Range1d:
    """A fixed range over [low, high] with the margin of `padded_ends`: for data whose extent never
    changes, a range that need not be fitted to the data again on every change (the page draws a drag
    without asking it)."""
    return Range1d(*padded_ends(low, high, log))


#: Room right of a plot's frame for half of its x axis's last tick label ("1000" at 11 px is 26 px wide),
#: which BokehJS centres on the frame's edge and leaves out of the plot's width (BokehJS's 5 px cut
#: "400" on every plot whose right edge is the page's).
RIGHT_BORDER = 16

#: Ticks for a log axis over [start, end]: what BokehJS's LogTicker gives, except that under 2 decades it
#: places linear ticks (0.5, 1, 1.5 crowded at the top of 0.06–1.6, nothing below 0.5). Here: under 0.8
#: of a decade, 4 to 10 evenly spaced steps of 1, 2 or 5 × 10ⁿ; to 1.5 decades 1, 2 and 5 a decade; to 3
#: decades 1 and 3; beyond, the powers of ten, every nth so that at most 10 show. No stretch of more than
#: half the axis is left without a tick (tests/test_browser_a11y.py). Minor ticks: 1–9 a decade from 0.8
#: to 3 decades. BokehJS's LogTickFormatter writes mantissas other than 1 as plain numbers ("0.2").
_LOG_RANGE_JS = """
const lo = Math.min(cb_data.start, cb_data.end), hi = Math.max(cb_data.start, cb_data.end);
if (!(lo > 0) || !(hi > lo) || !isFinite(hi)) return [];
const a = Math.log10(lo), b = Math.log10(hi), span = b - a, ticks = [];
"""
LOG_MAJOR_JS = (
    _LOG_RANGE_JS
    + """
const clean = (t) => Number(t.toPrecision(12));
if (span < 0.8) {
  const raw = (hi - lo) / 4, size = 10 ** Math.floor(Math.log10(raw));
  const step = [5, 2, 1].map((m) => m * size).find((s) => s <= raw);
  for (let i = Math.ceil(lo / step); i * step <= hi; i++) ticks.push(clean(i * step));
  return ticks;
}
const mantissas = span <= 1.5 ? [1, 2, 5] : span <= 3 ? [1, 3] : [1];
const every = Math.max(1, Math.ceil(span / 9));
for (let k = Math.floor(a); k <= Math.ceil(b); k++) {
  if (k % every !== 0) continue;
  for (const m of mantissas) {
    const t = clean(m * 10 ** k);
    if (lo <= t && t <= hi) ticks.push(t);
  }
}
return ticks;
"""
)
LOG_MINOR_JS = (
    _LOG_RANGE_JS
    + """
if (span < 0.8 || span > 3) return ticks;
for (let k = Math.floor(a); k <= Math.ceil(b); k++)
  for (let m = 1; m <= 9; m++) {
    const t = Number((m * 10 ** k).toPrecision(12));
    if (lo <= t && t <= hi) ticks.push(t);
  }
return ticks;
"""
)


def log_ticker() -> CustomJSTicker:
    """A log axis's ticker (`LOG_MAJOR_JS`): computed by BokehJS from the axis's range as it is drawn."""
    return CustomJSTicker(major_code=LOG_MAJOR_JS, minor_code=LOG_MINOR_JS)


def plot(title: str, **kwargs: object) -> figure:
    """A Bokeh figure with the project's defaults (no logo, stretchable width, no CDN assets, room for
    the last x tick label, `log_ticker` on a log axis)."""
    defaults = dict(
        title=title_lines(title),
        height=360,
        sizing_mode="stretch_width",
        toolbar_location="above",
        tools="pan,wheel_zoom,reset,save",
        min_border_right=RIGHT_BORDER,
    )
    defaults.update(kwargs)
    if "name" in defaults:
        defaults["css_classes"] = [defaults["name"]]
    fig = figure(**defaults)
    for dim in ("x", "y"):
        if defaults.get(f"{dim}_axis_type") == "log":
            ticker = log_ticker()
            for guide in (*getattr(fig, f"{dim}axis"), *getattr(fig, f"{dim}grid")):
                guide.ticker = ticker
    fig.toolbar.logo = None
    fig.toolbar.autohide = True  # pan and zoom tools show when the pointer is over the plot, not as clutter
    for made in _made:
        made.append(fig)
    return fig


_made: list[list] = []


@contextlib.contextmanager
def plots_made() -> Iterator[list]:
    """The plots `plot()` makes inside this block, in a list (a figure's `build()`)."""
    made: list = []
    _made.append(made)
    try:
        yield made
    finally:
        _made.remove(made)


#: The plots' background in the dark theme (Bokeh's dark_minimal).
DARK_BACKGROUND = "#20262b"
#: LABEL_STYLE's box and words in the dark theme: the plot's background, light text.
DARK_LABEL_STYLE = {"text_color": "#e6e6e6", "background_fill_color": DARK_BACKGROUND}
#: The filled contours' greys in the dark theme: from the plot's background at the optimum, lighter outwards.
DARK_CONTOUR_FILL = (
    DARK_BACKGROUND, "#262c31", "#2c3237", "#33393e", "#3a4045", "#42484d", "#4a5055", "#53595e",
)  # fmt: skip


def lighter(color: str, share: float = 0.45) -> str:
    """`color` ("#rrggbb") mixed with white: a figure's colour as words on the dark theme's dark box
    (gradient descent's blue on it is 3:1, under the 4.5:1 that small text needs; mixed, 6:1)."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in rgb)


def dark_plot(plot: figure) -> None:
    """`plot` in the dark theme, where Bokeh's own (dark_minimal) leaves the project's explicit colours:
    filled contours in DARK_CONTOUR_FILL; the words written in LABEL_STYLE's box in DARK_LABEL_STYLE's (a
    light box glares on a dark plot), LABEL_STYLE's dark words light and a figure's colour `lighter`."""
    for renderer in plot.select({"type": ContourRenderer}):
        fills = renderer.fill_renderer.data_source.data
        if tuple(fills.get("fill_color", ())) == CONTOUR_FILL:
            fills["fill_color"] = DARK_CONTOUR_FILL
            renderer.line_renderer.glyph.line_color = DARK_CONTOUR_FILL[-1]
    for label in [*plot.select({"type": Label}), *plot.select({"type": LabelSet})]:
        if label.background_fill_color != LABEL_STYLE["background_fill_color"]:
            continue
        label.background_fill_color = DARK_LABEL_STYLE["background_fill_color"]
        color = label.text_color
        if color == LABEL_STYLE["text_color"]:
            label.text_color = DARK_LABEL_STYLE["text_color"]
        elif isinstance(color, str) and len(color) == 7 and color.startswith("#"):
            label.text_color = lighter(color)


#: Legends hold at most this many entries a row under their plot, and rows of at most this many
#: characters (entries with their icons): a row fits a phone's 400 px plot.
LEGEND_COLUMNS = 3
LEGEND_ROW_CHARS = 48


def label_text(item: object) -> str:
    label = item.label
    return str(label.get("value", "") if isinstance(label, dict) else getattr(label, "value", label) or "")


def legend_columns(labels: list[str]) -> int:
    """How many entries a row: as many as fit LEGEND_ROW_CHARS (each entry its label and 5 for the
    icon and gap), at most LEGEND_COLUMNS, at least one."""
    widest = max((len(label) for label in labels), default=0) + 5
    return max(1, min(LEGEND_COLUMNS, len(labels), LEGEND_ROW_CHARS // widest))


def legends_off_the_data(fig: figure) -> None:
    """Every legend of `fig` under its plot, outside the frame, in rows of up to LEGEND_COLUMNS: a
    legend never covers a curve, whatever the data and the screen's width (a legend inside the frame
    covered the ravine's contours, the end of /stochastic's curve, a quarter of /damping's portraits).
    A legend whose labels change after the build sets its `ncols` for its longest labels."""
    for legend in [r for r in fig.center if isinstance(r, Legend)]:
        fig.center.remove(legend)
        fig.add_layout(legend, "below")
    for legend in [r for r in fig.below if isinstance(r, Legend)]:
        legend.location = "top_left"
        legend.orientation = "horizontal"
        if legend.ncols == "auto":  # a figure whose labels change sets its own
            legend.ncols = legend_columns([label_text(item) for item in legend.items])
        legend.background_fill_alpha = 0
        legend.border_line_alpha = 0
        legend.margin = 4
        legend.padding = 2


def curve(fig: figure, source: object, x: str, y: str, color: str, label: str | None = None, **style: object):
    """A 2-px line of columns x, y in `color`, in the legend as `label` (extra glyph `style` allowed)."""
    legend = {"legend_label": label} if label else {}
    return fig.line(x, y, source=source, color=color, line_width=2, **legend, **style)


#: An iterate's dot, in px across.
DOT_SIZE = 4.5


def path(
    fig: figure, source: object, color: str, label: str | None, x: str = "x", y: str = "y", name: str = ""
) -> list:
    """Iterates drawn as dots joined by a line (renderers named "<name>-line", "<name>-dots").

    The line goes through every iterate; a dot that would land within half a pixel of the dot drawn
    before it is left out (`spread_dots`): a converged run's last thousand iterates are one dot.
    """
    legend = {"legend_label": label} if label else {}
    return [
        fig.line(x, y, source=source, color=color, line_width=2, name=f"{name}-line", **legend),
        fig.scatter(
            x,
            y,
            source=source,
            view=spread_dots(fig, x, y),
            # A disk without an outline, as wide as a 3.5 px dot with its 1 px outline of the same colour
            # was: the same to see, and an outline less to draw for every dot of every state.
            fill_color=color,
            line_color=None,
            size=DOT_SIZE,
            name=f"{name}-dots",
            **legend,
        ),
    ]


#: The tag of a filter that only leaves out dots drawn where another is (the quick layer,
#: app/static/quick_layer.js, draws such a scatter's dots at least half a pixel apart instead).
DOTS_ONCE = "dots-once"

#: Rows at the end of a source that repeat the row before them, in the columns `x` and `y`, are left out.
TRAILING_REPEATS = """
const xs = source.get_column(x), ys = source.get_column(y);
if (xs == null || ys == null) return null;
let n = xs.length;
while (n > 1 && xs[n - 1] === xs[n - 2] && ys[n - 1] === ys[n - 2]) n--;
"""

ALL_LEFT = "return Array.from({length: n}, (_, i) => i);\n"

#: Of those rows, the ones whose point is less than SPREAD px, across and up, from the last point kept
#: are left out too, on the plot's present scale (linear axes only; before the plot is laid out, none).
SPREAD = 0.5
SPREAD_OUT = (
    TRAILING_REPEATS
    + f"""
const linear = plot.x_scale.type === "LinearScale" && plot.y_scale.type === "LinearScale";
let sx = NaN, sy = NaN;
try {{  // the plot's inner size is unset until it is laid out
  sx = plot.inner_width / (plot.x_range.end - plot.x_range.start);
  sy = plot.inner_height / (plot.y_range.end - plot.y_range.start);
}} catch (unset) {{}}
if (!(linear && sx > 0 && sy > 0 && Number.isFinite(sx) && Number.isFinite(sy)))
  {ALL_LEFT}const kept = [];
let lastX = Infinity, lastY = Infinity;
for (let i = 0; i < n; i++) {{
  const px = xs[i] * sx, py = ys[i] * sy;
  if (!(Math.abs(px - lastX) < {SPREAD} && Math.abs(py - lastY) < {SPREAD})) {{
    kept.push(i);
    lastX = px;
    lastY = py;
  }}
}}
return kept;
"""
)

#: Filters to compute again when the plot's scale changes (pan, zoom, a new size), once a frame.
REFILTER = """
if (plot._spread_pending) return;
plot._spread_pending = true;
requestAnimationFrame(() => {
  plot._spread_pending = false;
  for (const f of filters) f.change.emit();
});
"""


def spread_dots(fig: figure, x: str, y: str) -> CDSView:
    """A view of a source's rows (x, y) as dots at least half a pixel apart (`SPREAD_OUT`), in the page,
    served and static alike. Each dot left out lies within half a pixel, across and up, of one drawn
    (tests/test_browser_custom.py): what the eye sees is the same, with far fewer dots to draw."""
    spread = CustomJSFilter(args={"x": x, "y": y, "plot": fig}, code=SPREAD_OUT, tags=[DOTS_ONCE])
    refilters = getattr(fig, "_spread_refilters", None)  # one callback a plot, whatever its ranges share
    if refilters is None:
        refilters = fig._spread_refilters = CustomJS(args={"plot": fig, "filters": []}, code=REFILTER)
        for model, attrs in ((fig.x_range, ("start", "end")), (fig.y_range, ("start", "end")),
                             (fig, ("inner_width", "inner_height"))):  # fmt: skip
            for attr in attrs:
                model.js_on_change(attr, refilters)
    refilters.args["filters"] = [*refilters.args["filters"], spread]
    return CDSView(filter=spread)


def markers(fig: figure, source: object, x: str, y: str, **style: object) -> object:
    """A scatter of columns x, y that draws each of its points once.

    A figure's columns share one source, the shorter ones padded to the longest by repeating their
    last value (`figure.pad`): 51 dots of a schedule in a 1 501-row source were 1 501 markers, all but
    51 drawn on top of the last (/schedules painted 6 000 circles a change, ≈ 13 ms).
    """
    return fig.scatter(x, y, source=source, view=drawn_rows(x, y), **style)


def drawn_rows(x: str, y: str) -> CDSView:
    """A view of a source that leaves out its trailing rows repeating the one before (in columns x, y),
    in the page, served and static alike: a point drawn again on itself adds nothing to see."""
    drawn = CustomJSFilter(args={"x": x, "y": y}, code=TRAILING_REPEATS + ALL_LEFT, tags=[DOTS_ONCE])
    return CDSView(filter=drawn)


#: A figure or an article's section off the screen is not laid out or painted (the browser's
#: content-visibility): on a page of many figures (`/`, its static copy, the notebook's explorable,
#: /embed) every frame of a drag otherwise re-layers everything on the page — in JupyterLab with the
#: explorable's cell below a figure, 5 ms a frame, a 60 Hz drag showing 73 of its 120 states. A skipped
#: part keeps the height it last had (`auto`; 600 px before it was first shown): the page does not move.
OFF_SCREEN_CSS = ":host { content-visibility: auto; contain-intrinsic-height: auto 600px; }"
