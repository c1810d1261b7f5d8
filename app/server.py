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


def serve_locally_when_embedded(doc: object) -> None:
    """Point Panel's style sheets at this server when a page embeds the app with `server_document`.

    In that (autoload) mode Panel links its style sheets from its CDN (holoviz/panel#7073), so an
    embedded figure would need the internet; this server serves the same files under /static.
    """
    from bokeh.models import ImportedStyleSheet
    from panel.io.resources import CDN_DIST

    absolute = _argument(doc, "bokeh-absolute-url")
    app_path = _argument(doc, "bokeh-app-path")
    if not is_embedded(doc):
        return  # not an autoload request: the page is served from here and uses local paths already
    root = absolute[: -len(app_path)] if app_path and absolute.endswith(app_path) else absolute
    local = root.rstrip("/") + "/static/extensions/panel/"
    for model in list(doc.models):
        for sheet in getattr(model, "stylesheets", None) or []:
            if isinstance(sheet, ImportedStyleSheet) and sheet.url.startswith(CDN_DIST):
                sheet.url = local + sheet.url[len(CDN_DIST) :]


def _argument(doc: object, name: str) -> str:
    request = getattr(getattr(doc, "session_context", None), "request", None)
    arguments = getattr(request, "arguments", None) or {}
    return (arguments.get(name) or [b""])[-1].decode("utf-8", "replace")


def is_embedded(doc: object) -> bool:
    """Whether this session was opened by `server_document` on another page (Bokeh's autoload)."""
    return _argument(doc, "bokeh-absolute-url").startswith(("http://", "https://"))
