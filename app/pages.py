"""Pages: each figure alone (its own route) and the whole explorable in article order (`/explorer`)."""

from __future__ import annotations

import panel as pn
from bokeh.models import Button, CustomJS

from .connection import warn_when_connection_lost
from .embed_page import ORIGIN_NOTE, embed_cards
from .figures import FIGURES
from .prose import SECTIONS, Formula
from .server import (
    freeze_session_objects,
    release_memory_when_sessions_end,
    serve_locally_when_embedded,
    set_up,
)
from .theme import CSS, FOCUS_CSS

#: Every route `panel serve app/routes/*.py` serves: the article, each registered figure, the embed page.
ROUTES = ("explorer", *FIGURES, "embed")


def _extension() -> None:
    set_up()
    pn.extension("katex", "mathjax", raw_css=[CSS], notifications=False)


def formula(tex: str) -> pn.pane.LaTeX:
    """A display formula, rendered by KaTeX served from this server."""
    return pn.pane.LaTeX(
        f"$\\displaystyle {tex}$",
        renderer="katex",
        styles={"font-size": "1.15em", "overflow-x": "auto", "max-width": "100%"},  # scrolls on a phone
        sizing_mode="stretch_width",
        margin=(0, 20),
    )


#: A wide display formula in the text scrolls in its own box on a narrow screen, not the page.
WIDE_MATH_CSS = "mjx-container { max-width: 100%; overflow-x: auto; overflow-y: hidden; }"


def prose(text: str) -> pn.pane.Markdown:
    return pn.pane.Markdown(
        text,
        sizing_mode="stretch_width",
        max_width=900,
        styles={"font-size": "16px", "overflow-x": "auto"},
        stylesheets=[WIDE_MATH_CSS],
    )


def figure_page(name: str) -> pn.viewable.Viewable:
    """One figure on its own, its state in the URL as ?alpha=…&beta=…"""
    _extension()
    figure = FIGURES[name]()
    heading = pn.Row(pn.pane.Markdown(f"## {figure.heading}", sizing_mode="stretch_width"), theme_switch())
    return pn.Column(heading, figure, sizing_mode="stretch_width", max_width=1400)


def explorer_page() -> pn.viewable.Viewable:
    """The figures in article order with the maths between; URL keys are prefixed (ravine_alpha)."""
    _extension()
    figures = {key: make(url_prefix=f"{key}_") for key, make in FIGURES.items()}
    return pn.Column(theme_switch(), explorer_layout(figures), sizing_mode="stretch_width", max_width=1400)


def explorer_layout(figures: dict[str, object]) -> pn.viewable.Viewable:
    """The article: each figure (by route name, in the registry's order) after its section's text and
    formulas (`prose.SECTIONS`)."""
    parts: list[object] = []
    for key, figure in figures.items():
        parts.extend(formula(part) if isinstance(part, Formula) else prose(part) for part in SECTIONS[key])
        parts.append(figure)
    return pn.Column(*parts, sizing_mode="stretch_width", max_width=1400)


def embed_page() -> pn.viewable.Viewable:
    """Every figure with a live preview and snippets to put it in a course page."""
    _extension()
    intro = (
        "# Embed a figure in your course page\n\nEach figure below is live. Set it up as you want it "
        "shown, then copy a snippet: the address in it carries the figure's current state."
    )
    return pn.Column(
        prose(intro), prose(ORIGIN_NOTE), *embed_cards(), sizing_mode="stretch_width", max_width=1200
    )


def serve(page: pn.viewable.Viewable, title: str) -> None:
    """Make `page` this session's page (`panel serve` route), its resources served from here.

    `?theme=dark` (Panel's own switch for its components) also gives the plots Bokeh's dark theme.
    """
    page.servable(title=title)
    if pn.config.theme == "dark":
        pn.state.curdoc.theme = "dark_minimal"
    serve_locally_when_embedded(pn.state.curdoc)
    warn_when_connection_lost(pn.state.curdoc)
    release_memory_when_sessions_end(pn.state.curdoc)
    freeze_session_objects()


def serve_figure(name: str) -> None:
    """The route of the registered figure `name` (`app/routes/<name>.py`)."""
    serve(figure_page(name), f"Momentum Explorer · {FIGURES[name].heading}")


def theme_switch() -> Button:
    """A button that reloads the page in the other theme, keeping the state in its URL."""
    dark = pn.config.theme == "dark"
    button = Button(
        label="Light theme" if dark else "Dark theme",
        name="theme-switch",
        css_classes=["theme-switch"],
        width=130,
        stylesheets=[FOCUS_CSS],
    )
    button.js_on_click(
        CustomJS(
            args={"next": "default" if dark else "dark"},
            code="const url = new URL(window.location.href); url.searchParams.set('theme', next); "
            "window.location.assign(url.toString());",
        )
    )
    return button
