"""A browserless Bokeh session for load tests: speaks Bokeh's websocket protocol on loopback.

It does what a browser page does on the wire, and nothing more: GET the page (the server makes the
session and its document), open the websocket with the page's session token, pull the document,
then send widget changes as PATCH-DOC messages and wait for the server's reply that carries a
model's new data. Dozens of these fit in one Python process, so a load test measures the server,
not dozens of rendering browser pages competing with it for the same cores.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import re
import time
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
from bokeh.protocol import Protocol
from bokeh.protocol.receiver import Receiver
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

T = TypeVar("T")
TOKEN = re.compile(r'"token":\s*"([^"]+)"')


class WireSession:
    """One session of `url` (e.g. http://127.0.0.1:5006/ravine) driven over its websocket."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.ids: dict[str, str] = {}  # model name → id
        self.models: dict[str, dict] = {}  # model name → {"name": Bokeh type, "id", "attributes"}
        self._socket: WebSocketClientConnection | None = None
        self._receiver = Receiver(Protocol())

    async def open(self) -> None:
        """GET the page, connect, wait for the ACK and pull the document (model names → ids)."""
        page = await AsyncHTTPClient().fetch(self.url, request_timeout=120)
        token = TOKEN.search(page.body.decode()).group(1)
        host = self.url.split("/")[2]
        page_path = self.url.split("?")[0]  # the query reaches the session through the token
        request = HTTPRequest(
            page_path.replace("http", "ws", 1) + "/ws", headers={"Origin": f"http://{host}"}
        )
        self._socket = await websocket_connect(
            request, subprotocols=["bokeh", token], max_message_size=1 << 30
        )
        self._socket.stream.set_nodelay(True)  # as browsers do: no Nagle wait between a message's frames
        await self._expect("ACK")
        for ref in (await self.pull())["roots"]:
            self._collect(ref)

    def _collect(self, value: Any) -> None:
        """Record every named model of a serialised document tree: name → id, type and attributes."""
        for model in models_in(value):
            name = model.get("attributes", {}).get("name")
            if isinstance(name, str) and name not in self.ids:
                self.ids[name] = model["id"]
                self.models[name] = model

    async def change(self, model: str, attr: str, value: object, answer: str, timeout: float = 30) -> float:
        """Set `model.attr = value` as a browser does; ms until a message changing `answer` arrived."""
        started = time.perf_counter()
        await self.send_change(model, attr, value)
        target = self.ids[answer]
        deadline = started + timeout
        while True:
            message = await self._next(deadline)
            if message.header["msgtype"] == "PATCH-DOC" and target in changed_ids(message):
                return (time.perf_counter() - started) * 1000

    async def send_change(self, model: str, attr: str, value: object) -> str:
        """Send a PATCH-DOC setting `model.attr = value` (any JSON value); its message id."""
        event = {"kind": "ModelChanged", "model": {"id": self.ids[model]}, "attr": attr, "new": value}
        return await self._send("PATCH-DOC", {"events": [event]})

    async def send_tap(self, plot: str, x: object, y: object) -> str:
        """Send a tap on model `plot` at data coordinates (x, y), as BokehJS encodes it."""
        entries = [["model", {"id": self.ids[plot]}], ["sx", 10], ["sy", 10], ["x", x], ["y", y]]
        data = {"type": "event", "name": "tap", "values": {"type": "map", "entries": entries}}
        event = {"kind": "MessageSent", "msg_type": "bokeh_event", "msg_data": data}
        return await self._send("PATCH-DOC", {"events": [event]})

    async def reply(self, msgid: str, timeout: float = 30) -> tuple[Any, list[Any]]:
        """The server's OK or ERROR for message `msgid`, and the PATCH-DOCs that arrived before it."""
        patches, deadline = [], time.perf_counter() + timeout
        while True:
            message = await self._next(deadline)
            if message.header.get("reqid") == msgid:
                return message, patches
            if message.header["msgtype"] == "PATCH-DOC":
                patches.append(message)

    async def until_changed(self, new_value_holds: str, timeout: float = 10) -> bool:
        """Wait for a PATCH-DOC setting some property to a value whose text holds `new_value_holds`
        (Panel sends some changes after Bokeh's OK); False if none came within `timeout` s."""
        deadline = time.perf_counter() + timeout
        while True:
            try:
                message = await self._next(deadline)
            except TimeoutError:
                return False
            events = message.content.get("events", []) if message.header["msgtype"] == "PATCH-DOC" else []
            if any(new_value_holds in str(event.get("new")) for event in events):
                return True

    async def pull(self) -> dict:
        """The server's current document (a fresh PULL-DOC), as Bokeh serialises it."""
        return (await self._pull()).content["doc"]

    async def pull_models(self) -> list[dict]:
        """Every model of the server's current document, arrays decoded to numpy (see `decode`)."""
        reply = await self._pull()
        buffers = {buffer.id: buffer.to_bytes() for buffer in reply.buffers}
        return list(models_in(decode(reply.content["doc"], buffers)))

    async def _pull(self) -> Any:
        """The PULL-DOC-REPLY (patches the server sent before it, e.g. a late readout, are skipped)."""
        reply, _ = await self.reply(await self._send("PULL-DOC-REQ", {}), timeout=120)
        if reply.header["msgtype"] != "PULL-DOC-REPLY":
            raise RuntimeError(f"expected PULL-DOC-REPLY, got {reply.header['msgtype']}: {reply.content}")
        return reply

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    async def _send(self, msgtype: str, content: dict) -> str:
        header = {"msgid": uuid.uuid4().hex, "msgtype": msgtype}
        for part in (header, {}, content):
            await self._socket.write_message(json.dumps(part))
        return header["msgid"]

    async def _expect(self, msgtype: str, timeout: float = 120) -> Any:
        message = await self._next(time.perf_counter() + timeout)
        if message.header["msgtype"] != msgtype:
            raise RuntimeError(f"expected {msgtype}, got {message.header['msgtype']}: {message.content}")
        return message

    async def _next(self, deadline: float) -> Any:
        """The next complete Bokeh message (fragments assembled by Bokeh's own Receiver)."""
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"no answer from {self.url}")
            fragment = await asyncio.wait_for(self._socket.read_message(), remaining)
            if fragment is None:
                raise ConnectionError(f"{self.url}: websocket closed by the server")
            message = await self._receiver.consume(fragment)
            if message is not None:
                return message


def changed_ids(message: Any) -> set[str]:
    """Ids of the models a PATCH-DOC message changes."""
    return {e.get("model", {}).get("id") for e in message.content.get("events", [])}


def models_in(value: Any) -> Iterator[dict]:
    """Every serialised model object ({"type": "object", "id", "name", "attributes"}) in a tree."""
    if isinstance(value, dict):
        if value.get("type") == "object" and "id" in value:
            yield value
        for item in value.values():
            yield from models_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from models_in(item)


def decode(value: Any, buffers: dict[str, bytes]) -> Any:
    """A serialised tree with Bokeh's ndarrays (inline base64 or sent as buffers) as numpy arrays."""
    if isinstance(value, list):
        return [decode(item, buffers) for item in value]
    if not isinstance(value, dict):
        return value
    if value.get("type") == "ndarray":
        array = value["array"]
        if isinstance(array, list):
            return np.array(array, dtype=object)
        data = array["data"]  # {"type": "bytes", "data": base64 of gzip, or a reference to a buffer}
        raw = gzip.decompress(base64.b64decode(data)) if isinstance(data, str) else buffers[data["id"]]
        return np.frombuffer(raw, dtype=value["dtype"]).reshape(value["shape"])
    return {key: decode(item, buffers) for key, item in value.items()}


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` to its end in a thread of its own (Playwright's sync API keeps an event loop
    running in the test thread, where asyncio.run would refuse)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
