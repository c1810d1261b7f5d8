"""Pages: each figure alone (its own route) and the whole explorable in article order (`/explorer`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import panel as pn
from bokeh.models import Button, CustomJS

from .connection import warn_when_connection_lost
from .embed_page import ORIGIN_NOTE, embed_cards
from .figures import FIGURES
from .page_scripts import run_page_scripts
from .prose import OPENING, SECTIONS, Formula
from .sections import lazy_section
from .server import (
    freeze_session_objects,
    is_embedded,
    release_memory_when_sessions_end,
    serve_locally_when_embedded,
    set_up,
)
from .theme import CSS, FOCUS_CSS, OFF_SCREEN_CSS
from .typeset import formula, prose

#: The article's page: its text in a centred column (`typeset.COLUMN`), its figures wider, the whole
#: centred in a wide window.
ARTICLE = {"sizing_mode": "stretch_width", "max_width": 1200, "styles": {"margin": "0 auto"}}

#: Every route `panel serve app/routes/*.py` serves: the article, each registered figure, the embed page.
ROUTES = ("explorer", *FIGURES, "embed")


def _extension() -> None:
    set_up()
    pn.extension("mathjax", raw_css=[CSS], notifications=False)


def figure_page(name: str) -> pn.viewable.Viewable:
    """One figure on its own, its state in the URL as ?alpha=…&beta=…, with a link to its section."""
    _extension()
    figure = FIGURES[name]()
    links = f"\n\n[Read it in the article](./#{name}) · [Embed it](./embed#{name})"
    if is_embedded(pn.state.curdoc):  # in a course page (server_document): its links would resolve there
        links = ""
    title = prose(f"## {figure.heading}{links}", centred=False)
    heading = pn.Row(title, theme_switch(), sizing_mode="stretch_width")
    return pn.Column(heading, figure, sizing_mode="stretch_width", max_width=1400)


def section_number(key: str) -> int:
    """A section's number on `/`: its figure's place in the registry (`app/figures/__init__.py`)."""
    return list(FIGURES).index(key) + 1


def section_text(key: str) -> tuple[object, ...]:
    """A section's text and formulas (`prose.SECTIONS`), its one `## ` heading numbered from the
    registry's order ("## Critical damping" → "## 4. Critical damping"): no number is written by hand."""
    heading = re.compile(r"^## (?!\d+\. )", flags=re.M)
    return tuple(
        part if isinstance(part, Formula) else heading.sub(f"## {section_number(key)}. ", part)
        for part in SECTIONS[key]
    )


def section_title(key: str) -> str:
    """A section's heading as the article shows it ("4. Critical damping")."""
    lines = [line for part in section_text(key) for line in str(part).splitlines() if line.startswith("## ")]
    return lines[-1].removeprefix("## ").strip()


def contents() -> pn.viewable.Viewable:
    """The article's contents: one link per section (`#route`)."""
    items = "\n".join(f"- [{section_title(key)}](#{key})" for key in FIGURES)
    return prose(f"**Contents**\n\n{items}")


def typeset(parts: Iterable[str]) -> list[pn.viewable.Viewable]:
    """Paragraphs as prose, `Formula`s as display formulas."""
    return [formula(part) if isinstance(part, Formula) else prose(part) for part in parts]


def section_parts(key: str, figure: object, links: bool) -> list[object]:
    """A section of the article: its text and formulas (`prose.SECTIONS`), then its figure; with `links`,
    a line to the figure's own route and its embed snippets."""
    parts: list[object] = [*typeset(section_text(key)), figure]
    if links:
        parts.append(
            prose(f"[Open this figure on its own](./{key}) · [Embed it in a course page](./embed#{key})")
        )
    return parts


def explorer_page() -> pn.viewable.Viewable:
    """The article at `/`: its contents, then one section per figure (text, formulas, figure). The first
    section is built with the page, and so is any section whose keys the address sets
    (`/?limits_kappa=1000`: a shared link opens in its state, notices included); the others as the reader
    comes near them (`app/sections.py`). URL keys are prefixed by the route (ravine_alpha)."""
    _extension()
    first = next(iter(FIGURES))
    asked = set(pn.state.session_args or {})

    def section(key: str) -> pn.viewable.Viewable:
        def make() -> pn.Column:
            figure = FIGURES[key](url_prefix=f"{key}_")
            parts = section_parts(key, figure, links=True)
            return pn.Column(*parts, sizing_mode="stretch_width", stylesheets=[OFF_SCREEN_CSS])

        linked = any(f"{key}_{field}" in asked for field in FIGURES[key].url_fields)
        return lazy_section(key, make, eager=key == first or linked)

    sections = [section(key) for key in FIGURES]
    return pn.Column(
        theme_switch(),
        *typeset(OPENING),
        sections[0],  # the hero figure first, as an article opens; then what the article holds
        contents(),
        *sections[1:],
        **ARTICLE,
    )


def article_blocks(figures: dict[str, object]) -> list[pn.Column]:
    """The article with `figures` (by route name, all built) in their places, in blocks: the opening
    text with the first section, then one block per other section (the static copy builds each block
    when the reader nears it)."""
    blocks = [section_parts(key, figure, links=False) for key, figure in figures.items()]
    blocks[0] = [*typeset(OPENING), *blocks[0]]
    return [pn.Column(*block, **ARTICLE, stylesheets=[OFF_SCREEN_CSS]) for block in blocks]


def explorer_layout(figures: dict[str, object]) -> pn.viewable.Viewable:
    """The article with `figures` (by route name, all built) in their places, in one column: the
    notebook's."""
    return pn.Column(*article_blocks(figures), **ARTICLE)


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
    run_page_scripts(pn.state.curdoc)
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
