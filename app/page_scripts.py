"""Scripts a page runs once when its document is ready (served pages and static files alike)."""

from __future__ import annotations

from pathlib import Path

from bokeh.document import Document
from bokeh.models import CustomJS

STATIC = Path(__file__).parent / "static"
#: BokehJS rebuilds a legend's entries on every repaint of the data it shows; it asks the page's CSS
#: for every visual's value on every paint; it rewrites style sheets between a paint's glyphs; it
#: compiles a page module's code while the reader's first drag runs it; and it sends the server every
#: value a slider passes through (see each script).
PAGE_SCRIPTS = tuple(
    (STATIC / name).read_text(encoding="utf-8")
    for name in (
        "legend_entries.js",
        "visuals_from_models.js",
        "styles_after_paint.js",
        "warm_modules.js",
        "send_latest.js",
    )
)


def run_page_scripts(doc: Document) -> None:
    """`doc`'s page runs PAGE_SCRIPTS once it is ready: legends keep their entries while nothing they
    show changes, plot visuals take their values from their models without a CSS lookup, a plot's
    style sheets are written once its glyphs are painted, each figure's page module, there now or
    added later, warms up (`page_module.LOADER`), and a served page sends its server a property's newest
    value at most every 100 ms while it keeps changing."""
    for code in PAGE_SCRIPTS:
        doc.js_on_event("document_ready", CustomJS(code=code))
