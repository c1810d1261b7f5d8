"""The live server: websocket origins, and TCP_NODELAY on the websockets it accepts."""

import asyncio
import contextlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from live_server import Server
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server of its own: refusing an origin writes an error to its log, which browser tests check."""
    live = Server(tmp_path_factory.mktemp("origin") / "panel.log")
    yield live
    live.stop()


def connect(server, origin: str) -> None:
    """Open (then close) a websocket to /ravine/ws as a page from `origin` would."""

    async def attempt() -> None:
        request = HTTPRequest(server.url.replace("http", "ws") + "/ravine/ws", headers={"Origin": origin})
        connection = await asyncio.wait_for(websocket_connect(request, subprotocols=["bokeh", "x"]), 10)
        connection.close()

    # In a thread of its own: Playwright's sync API keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, attempt()).result()


def test_websocket_from_a_disallowed_origin_is_refused(server):
    with pytest.raises(HTTPClientError) as refused:
        connect(server, "http://evil.example")
    assert refused.value.code == 403
    assert "Refusing websocket connection from Origin 'http://evil.example'" in server.log()


def test_websocket_from_the_served_origin_is_accepted(server):
    connect(server, server.url)  # passes the origin check (its made-up token is refused later)


def test_tcp_nodelay_is_added_to_bokehs_websocket_open():
    from bokeh.server.views.ws import WSHandler

    from app.server import enable_tcp_nodelay

    enable_tcp_nodelay()
    calls = []

    class Probe:
        def set_nodelay(self, value):
            calls.append(value)

    with contextlib.suppress(Exception):  # the original open() needs a real connection
        WSHandler.open(Probe())
    assert calls == [True]
    enable_tcp_nodelay()  # idempotent: still one wrapper
    assert WSHandler._momentum_nodelay is True
