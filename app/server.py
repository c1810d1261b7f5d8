"""Server-side set-up for a short slider → repaint path.

Stock Tornado leaves Nagle's algorithm on for websockets, so Bokeh's multi-frame messages wait
for delayed ACKs (≈ 40 ms a round trip). Tornado documents `WebSocketHandler.set_nodelay(True)`,
to be called in `open()`, for exactly this case; `enable_tcp_nodelay` adds that call to Bokeh's
websocket handler. It is run by `panel serve --setup app/server_setup.py` and, idempotently, by
every route, so any way of serving the app gets it.
"""

from __future__ import annotations

from bokeh.server.views.ws import WSHandler


def enable_tcp_nodelay() -> None:
    """Make every Bokeh websocket call Tornado's `set_nodelay(True)` when it opens."""
    if getattr(WSHandler, "_momentum_nodelay", False):
        return
    original_open = WSHandler.open

    def open_without_nagle(self: WSHandler, *args: object, **kwargs: object) -> object:
        self.set_nodelay(True)
        return original_open(self, *args, **kwargs)

    WSHandler.open = open_without_nagle
    WSHandler._momentum_nodelay = True
