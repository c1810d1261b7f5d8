"""The `/embed` page: every figure with a live preview and copy-ready snippets for a course page.

Three ways in: an `<iframe>` of the figure's route (its state in the URL), `bokeh.embed.server_document`
for a page that already runs Bokeh or Panel, and a static file from `momentum-explorer export`. The
snippets follow the preview: move its controls and the URL in the snippets carries the new state.
"""

from __future__ import annotations

from pathlib import Path

import param
from panel.custom import JSComponent

from .figures import FIGURES

PREVIEW_HEIGHT = 620

ORIGIN_NOTE = """
**Serving for a course site.** A page on another site may show a figure only if the server allows
that site's websocket origin: start it with
`momentum-explorer --allow-websocket-origin course.example.edu --allow-websocket-origin
localhost:5006` (one `--allow-websocket-origin` per host
name and port that embeds the figures, and the server's own). The iframe way needs nothing else:
the figure's page is served from this server's own origin. With the Docker image, set
`ALLOW_WEBSOCKET_ORIGIN`. With no Python server at all, use the static files
(`momentum-explorer export static`).
"""


class EmbedCard(JSComponent):
    """One figure: a lazily loaded live preview and snippets that follow its state (copy buttons)."""

    route = param.String(doc="the figure's route, e.g. 'ravine'")
    heading = param.String(doc="the figure's title")
    preview_height = param.Integer(PREVIEW_HEIGHT, bounds=(200, 2000), doc="the iframe's height in px")

    _esm = (Path(__file__).parent / "static" / "embed_card.js").read_text(encoding="utf-8")

    _stylesheets = [  # noqa: RUF012 (a Panel class attribute)
        """
.embed-card { margin: 0 0 2.5em 0; }
.embed-card h3 { margin: 0.2em 0 0.5em 0; }
.snippet { position: relative; margin-top: 0.6em; }
.snippet .label { font-size: 0.9em; color: #444; margin-bottom: 0.2em; }
.snippet pre { background: #f4f4f4; color: #1a1a1a; padding: 0.7em 6.5em 0.7em 0.7em; border-radius: 4px;
               white-space: pre-wrap; word-break: break-all; font-size: 0.85em; margin: 0; }
.snippet button { position: absolute; right: 0.4em; top: 1.9em; padding: 0.2em 0.8em; cursor: pointer; }
.snippet pre:focus-visible, .snippet button:focus-visible { outline: 3px solid #0072b2; outline-offset: 2px; }
"""
    ]


def embed_cards() -> list[EmbedCard]:
    """One card per figure, in article order."""
    return [
        EmbedCard(route=key, heading=cls.heading, sizing_mode="stretch_width", name=f"{key}-embed")
        for key, cls in FIGURES.items()
    ]
