"""Panel's style sheets linked from its CDN, found in one place and swapped for offline copies.

Panel links some style sheets from cdn.holoviz.org in modes where it cannot know the server's
address (holoviz/panel#6759, #7073): an embedded figure (`app/server.py`) gets this server's copy,
a static export (`app/export.py`) gets the text inlined.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bokeh.document import Document

#: A Panel CDN URL; group 1 is the file's path under Panel's `dist` folder.
PANEL_CDN = re.compile(r"https?://[^\s\"']+?/panel/[^/]+/dist/([^?\s\"']+)(?:\?[^\s\"']*)?")


def replace_panel_cdn_sheets(doc: Document, replacement: Callable[[str], object]) -> None:
    """Swap each style sheet of `doc` that Panel links from its CDN for replacement(path under dist/).

    The document's model index is recomputed once, after all the swaps (`doc.models.freeze()`): each
    swap would otherwise walk every model of the document again (a minute for the article's export).
    """
    with doc.models.freeze():
        for model in list(doc.models):
            sheets = getattr(model, "stylesheets", None)
            if not sheets:
                continue
            swapped = []
            for sheet in sheets:
                url = sheet if isinstance(sheet, str) else getattr(sheet, "url", None)
                match = PANEL_CDN.fullmatch(url) if isinstance(url, str) else None
                swapped.append(replacement(match.group(1)) if match else sheet)
            if swapped != list(sheets):
                model.stylesheets = swapped
