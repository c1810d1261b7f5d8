"""Colours (Okabe–Ito, colour-blind safe), sizes and plot defaults shared by every figure."""

from __future__ import annotations

from bokeh.models import CDSView, CustomJSFilter
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


def plot(title: str, **kwargs: object) -> figure:
    """A Bokeh figure with the project's defaults (no logo, stretchable width, no CDN assets)."""
    defaults = dict(
        title=title,
        height=360,
        sizing_mode="stretch_width",
        toolbar_location="above",
        tools="pan,wheel_zoom,reset,save",
    )
    defaults.update(kwargs)
    if "name" in defaults:
        defaults["css_classes"] = [defaults["name"]]
    fig = figure(**defaults)
    fig.toolbar.logo = None
    fig.toolbar.autohide = True  # pan and zoom tools show when the pointer is over the plot, not as clutter
    return fig


def curve(fig: figure, source: object, x: str, y: str, color: str, label: str | None = None, **style: object):
    """A 2-px line of columns x, y in `color`, in the legend as `label` (extra glyph `style` allowed)."""
    legend = {"legend_label": label} if label else {}
    return fig.line(x, y, source=source, color=color, line_width=2, **legend, **style)


def path(
    fig: figure, source: object, color: str, label: str | None, x: str = "x", y: str = "y", name: str = ""
) -> list:
    """Iterates drawn as dots joined by a line (renderers named "<name>-line", "<name>-dots")."""
    legend = {"legend_label": label} if label else {}
    return [
        fig.line(x, y, source=source, color=color, line_width=2, name=f"{name}-line", **legend),
        markers(fig, source, x, y, color=color, size=3.5, name=f"{name}-dots", **legend),
    ]


#: Rows at the end of a source that repeat the row before them, in the columns `x` and `y`, are left out.
TRAILING_REPEATS = """
const xs = source.get_column(x), ys = source.get_column(y);
if (xs == null || ys == null) return null;
let n = xs.length;
while (n > 1 && xs[n - 1] === xs[n - 2] && ys[n - 1] === ys[n - 2]) n--;
return Array.from({length: n}, (_, i) => i);
"""


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
    return CDSView(filter=CustomJSFilter(args={"x": x, "y": y}, code=TRAILING_REPEATS))
