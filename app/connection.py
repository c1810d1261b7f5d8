"""What a page does when it loses its server: say so, stop taking input, offer a reload.

Panel turns Bokeh's own connection notices off and reconnects nothing by default, so a page whose
server went away (stopped, crashed, restarted, or the network dropped) kept moving its sliders with
nothing redrawn. Each page now listens for Bokeh's `connection_lost` document event in the browser
(`app/static/connection_lost.js`): a banner over the figure says the connection is lost, with a
Reload button, and the figure is made inert. The event fires as soon as the websocket closes.
"""

from __future__ import annotations

from pathlib import Path

from bokeh.document import Document
from bokeh.models import CustomJS

MESSAGE = "Connection to the server lost — reload to continue."
CODE = (Path(__file__).parent / "static" / "connection_lost.js").read_text(encoding="utf-8")


def warn_when_connection_lost(doc: Document) -> None:
    """Show MESSAGE with a Reload button over this document's figures when its websocket closes."""
    if not doc.roots:
        return
    callback = CustomJS(args={"anchor": doc.roots[0], "message": MESSAGE}, code=CODE)
    doc.js_on_event("connection_lost", callback)
