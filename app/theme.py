"""Colours (Okabe–Ito, colour-blind safe), sizes and plot defaults shared by every figure."""

from __future__ import annotations

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
        fig.scatter(x, y, source=source, color=color, size=3.5, name=f"{name}-dots", **legend),
    ]
