"""The page says which repaint it has drawn, so that the server sends no faster than the page can draw.

A 60 Hz drag on a heavy figure sends a state every 17 ms, but a software-rendered canvas may take 25 ms
to draw one: messages then queue in the page and the last state is drawn long after the pointer stops
(docs/speed.md). Each repaint stamps `Painted.sent`; the page sets `Painted.drawn` to that stamp once
the frame showing it has been painted (two animation frames later). While the page has IN_FLIGHT repaints
not yet drawn, the figure holds new changes and repaints only the latest state when the word comes (or
after HOLD_MAX_MS, should it never come: a hidden tab draws nothing).
"""

from __future__ import annotations

from bokeh.core.properties import Int
from bokeh.model import DataModel, Model
from bokeh.models import CustomJS

#: Repaints the page may have received but not yet drawn before new changes are held: two, so that
#: the next state is computed and on its way while the page paints the last one.
IN_FLIGHT = 2
#: The longest a change waits for the page's word that the previous repaint is drawn.
HOLD_MAX_MS = 150

#: After the message that stamped `sent` is applied: the next animation frame paints it, the one after
#: runs once it has been painted.
ACKNOWLEDGE = """
const stamp = painted.sent;
requestAnimationFrame(() => requestAnimationFrame(() => {
  if (painted.drawn < stamp) painted.drawn = stamp;
}));
"""


class Painted(DataModel):
    """Repaints sent to the page (`sent`, set by the server) and drawn by it (`drawn`, set by the page)."""

    sent = Int(0)
    drawn = Int(0)


def painted_model(name: str, host: Model) -> Painted:
    """A Painted model whose page acknowledges each stamp once it is drawn. It reaches the page in
    `host`'s tags (the figure's readout): not a root of its own, which would change the document Panel
    lays out, and not through the figure's data source. BokehJS re-renders a legend's entries, each
    icon blank until the plot next paints, on any change of a model its items reach (every reference,
    callbacks' arguments included): reached through the frame, the page's own acknowledgment, coming
    after the paint, left every legend of the figure without its icons."""
    painted = Painted(name=name)
    painted.js_on_change("sent", CustomJS(args={"painted": painted}, code=ACKNOWLEDGE))
    host.tags = [*host.tags, painted]
    return painted
