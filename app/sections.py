"""The article's sections at `/`, built when the reader comes near them.

Building every figure before the first paint made `/` take six times as long to open as one figure
(every figure computed and serialised first, every formula typeset). Here the first section is built
with the page and each other one (its text, formulas and figure) when it comes within `MARGIN_PX` of
the viewport (an IntersectionObserver in the
page, `app/static/section_anchor.js`), or at once when the address names it (`/#limits`). A figure built
later reads its URL state then (prefixed keys such as `limits_kappa` stay in the address until it does)
and writes it on change like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import panel as pn
import param
from panel.custom import JSComponent

#: Sections build this far below (or above) the viewport, before the reader reaches them.
MARGIN_PX = 300
PLACEHOLDER_HEIGHT = 1100  # about a section's text and figure


class SectionAnchor(JSComponent):
    """The anchor of one section (`#key`): asks for its figure when near the viewport; shows a placeholder."""

    key = param.String(doc="the figure's route name, also the anchor's id")
    near = param.Boolean(False, doc="set by the page when the section comes near the viewport")
    built = param.Boolean(False, doc="set by the server once the figure is in the page")
    margin = param.Integer(MARGIN_PX, doc="how far from the viewport a section starts to build (px)")
    placeholder_height = param.Integer(PLACEHOLDER_HEIGHT)

    _esm = (Path(__file__).parent / "static" / "section_anchor.js").read_text(encoding="utf-8")


def lazy_section(key: str, make: Callable[[], object], eager: bool = False) -> pn.Column:
    """The section made by `make()`, built at once if `eager`, else when it comes near the viewport."""
    anchor = SectionAnchor(key=key, name=f"{key}-anchor", sizing_mode="stretch_width", margin=0)
    body = pn.Column(sizing_mode="stretch_width")

    def build(*_: object) -> None:
        if not anchor.built:
            body.objects = [make()]
            anchor.built = True

    if eager:
        build()
    else:
        anchor.param.watch(build, "near")
    return pn.Column(anchor, body, sizing_mode="stretch_width", name=f"{key}-section")
