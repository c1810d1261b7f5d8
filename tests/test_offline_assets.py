"""Panel's CDN style sheets swapped for offline copies: all of them, with one walk of the document."""

import panel as pn
from bokeh.document import Document
from bokeh.document.models import DocumentModelManager
from bokeh.models import InlineStyleSheet

from app.figures import FIGURES
from app.offline_assets import PANEL_CDN
from app.static_export import inline_style_sheets


def test_every_cdn_style_sheet_is_inlined_with_one_walk_of_the_document(monkeypatch):
    pn.extension(notifications=False)
    doc = Document()
    layout = pn.Column(*(FIGURES[key]() for key in ("ravine", "regions", "schedules")))
    doc.add_root(layout.get_root(doc))

    def cdn_sheets() -> list[str]:
        return [
            sheet if isinstance(sheet, str) else sheet.url
            for model in doc.models
            for sheet in getattr(model, "stylesheets", None) or []
            if PANEL_CDN.fullmatch(sheet if isinstance(sheet, str) else getattr(sheet, "url", "") or "")
        ]

    assert len(cdn_sheets()) > 10
    walks = []
    recompute = DocumentModelManager.recompute
    monkeypatch.setattr(DocumentModelManager, "recompute", lambda self: walks.append(1) or recompute(self))
    inline_style_sheets(doc)
    assert cdn_sheets() == []
    assert any(isinstance(model, InlineStyleSheet) for model in doc.models)  # the index knows the new ones
    assert len(walks) <= 2, f"{len(walks)} walks of the document's models (one per swap before)"
