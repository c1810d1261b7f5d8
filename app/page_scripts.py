"""Scripts a page runs once when its document is ready (served pages and static files alike)."""

from __future__ import annotations

from pathlib import Path

from bokeh.document import Document
from bokeh.models import CustomJS

#: BokehJS rebuilds a legend's entries on every repaint of the data it shows (see the script).
KEEP_LEGEND_ENTRIES = (Path(__file__).parent / "static" / "legend_entries.js").read_text(encoding="utf-8")


def keep_legend_entries(doc: Document) -> None:
    """Legends of `doc`'s page keep their entries while nothing they show changes."""
    doc.js_on_event("document_ready", CustomJS(code=KEEP_LEGEND_ENTRIES))
