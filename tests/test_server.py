"""The live server: websocket origins, TCP_NODELAY, refused client changes, memory after sessions end."""

import asyncio
import contextlib
import json
import logging
import math
import subprocess
import sys

import numpy as np
import pytest
from live_server import ROOT, Server
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect
from wire import run


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

    run(attempt())


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


def logged_error(error: Exception) -> logging.LogRecord:
    """The record Bokeh's protocol handler logs when handling a message raised `error`."""
    try:
        raise error
    except Exception:
        info = sys.exc_info()
    message = "error handling message\n message: %r \n error: %r"
    return logging.LogRecord(
        "bokeh.server.protocol_handler", logging.ERROR, "", 0, message, ("m", error), info
    )


def test_bokehs_refusal_of_an_ill_typed_client_value_is_one_warning_line():
    from app.server import RefusedClientChange

    refused = logged_error(
        ValueError("failed to validate Slider(id='p1', ...).value: expected Real, got str")
    )
    assert RefusedClientChange().filter(refused)
    assert refused.levelno == logging.WARNING and refused.exc_info is None
    assert refused.getMessage().startswith("refused a client change: failed to validate Slider")


def test_an_error_raised_through_the_apps_code_stays_an_error():
    from app.problems import problem_from_text
    from app.server import RefusedClientChange

    with pytest.raises(ValueError) as raised:
        problem_from_text("not a matrix")  # a ValueError with a frame of the app on its traceback
    record = logged_error(raised.value)
    record.exc_info = (ValueError, raised.value, raised.value.__traceback__)
    assert RefusedClientChange().filter(record)
    assert record.levelno == logging.ERROR and record.exc_info is not None


def test_memory_is_released_once_after_the_last_session_of_a_burst_ends(monkeypatch):
    """Five sessions ending 1/16 s apart are one burst: one release, RELEASE_DELAY_S after the last; a
    session ending later is another. On a clock of the test's own (the event loop's timers and
    time.monotonic stood in for), so a loaded machine cannot stretch the gaps into separate bursts; its
    times are binary fractions, exact in floats (a real loop's clock moves on past a rounding error)."""
    from types import SimpleNamespace

    from app import server as setup
    from app import when_quiet

    class Clock:
        def __init__(self) -> None:
            self.now, self.timers = 0.0, []

        def later(self, seconds, callback) -> None:
            self.timers.append((self.now + seconds, callback))

        def advance(self, seconds: float) -> None:  # run the timers due meanwhile, in time order
            end = self.now + seconds
            for _ in range(1000):  # a timer that keeps setting itself again at once fails, not hangs
                due = sorted((t for t in self.timers if t[0] <= end), key=lambda t: t[0])
                if not due:
                    break
                self.timers.remove(due[0])
                self.now = due[0][0]
                due[0][1]()
            else:
                raise AssertionError("timers never stop firing")
            self.now = end

    clock, released = Clock(), []
    monkeypatch.setattr(when_quiet, "time", SimpleNamespace(monotonic=lambda: clock.now))
    monkeypatch.setattr(setup, "RELEASE_DELAY_S", 0.125)
    release = when_quiet.WhenQuiet(lambda: released.append(clock.now), clock.later)
    monkeypatch.setattr(setup, "_release", release)

    class Doc:
        session_context = object()

        def __init__(self):
            self.destroyed = []

        def on_session_destroyed(self, callback):
            self.destroyed.append(callback)

    def end(docs: list) -> float:
        for number, doc in enumerate(docs):
            if number:
                clock.advance(0.0625)
            for callback in doc.destroyed:
                callback(None)
        return clock.now

    docs = [Doc() for _ in range(6)]
    for doc in docs:
        setup.release_memory_when_sessions_end(doc)
    last_end = end(docs[:5])
    clock.advance(0.5)
    assert released == [last_end + 0.125]  # one release, after the last session ended
    later_end = end(docs[5:])
    clock.advance(0.5)
    assert released[1:] == [later_end + 0.125]


def test_release_memory_trims_the_c_heap_on_glibc():
    from app.server import _malloc_trim, release_memory

    release_memory()  # gc + malloc_trim(0): must not raise
    assert _malloc_trim() is not None  # Debian's glibc


def test_frozen_session_objects_are_skipped_until_sessions_end_then_collected():
    import gc
    import weakref

    from app.server import freeze_session_objects, release_memory

    class Model:  # a session's models refer to each other: only the cycle collector frees them
        pass

    first, second = Model(), Model()
    first.other, second.other = second, first
    alive = weakref.ref(first)
    freeze_session_objects()  # a new session's objects: out of the automatic collections
    del first, second
    gc.collect()
    assert alive() is not None  # frozen: even a full automatic collection skips them
    release_memory()  # sessions ended: unfreeze, collect, freeze again, trim
    assert alive() is None
    assert gc.get_freeze_count() > 0
    gc.unfreeze()


def test_an_ill_typed_client_change_is_answered_without_the_servers_traceback(server):
    from wire import WireSession

    async def send_a_string_for_a_number():
        session = WireSession(f"{server.url}/ravine")
        await session.open()
        try:
            reply, _ = await session.reply(await session.send_change("ravine-beta", "value", "abc"))
        finally:
            session.close()
        return reply

    reply = run(send_a_string_for_a_number())
    assert reply.header["msgtype"] == "ERROR"
    assert reply.content["traceback"] is None
    assert "expected a value of type" in reply.content["text"]  # Bokeh's one-line reason stays
    assert 'File "' not in reply.content["text"] and "/" not in reply.content["text"]


def test_an_error_raised_through_the_app_is_answered_with_a_plain_sentence():
    from bokeh.protocol import Protocol
    from bokeh.server.connection import ServerConnection

    from app.server import INTERNAL_ERROR_TEXT, answer_errors_without_traceback

    answer_errors_without_traceback()
    answer_errors_without_traceback()  # idempotent
    connection = ServerConnection.__new__(ServerConnection)
    connection._protocol = Protocol()
    request = Protocol().create("PULL-DOC-REQ")
    namespace = {"__file__": None}
    app_file = str(__import__("app.server").server.__file__)
    code = compile("def fail():\n    raise ValueError('secret detail at /srv/app')\n", app_file, "exec")
    exec(code, namespace)  # a frame whose file is the app's, as an exception from the app's code has
    try:
        namespace["fail"]()
    except ValueError:
        reply = connection.error(request, "ValueError('secret detail at /srv/app')")
    assert reply.content == {"text": INTERNAL_ERROR_TEXT, "traceback": None}


def test_a_write_to_a_page_that_went_away_is_not_logged_as_an_error():
    from tornado.websocket import WebSocketClosedError

    from app.server import log_writes_to_closed_pages_as_debug

    log_writes_to_closed_pages_as_debug()
    log_writes_to_closed_pages_as_debug()  # idempotent
    logger = logging.getLogger("asyncio")
    try:
        raise WebSocketClosedError()
    except WebSocketClosedError:
        info = sys.exc_info()
    message = "Task exception was never retrieved"
    record = logger.makeRecord("asyncio", logging.ERROR, "", 0, message, (), info)
    kept = all(f.filter(record) for f in logger.filters)
    assert not kept or record.levelno == logging.DEBUG
    assert record.exc_info is None and "Traceback" not in record.getMessage()
    other = logger.makeRecord("asyncio", logging.ERROR, "", 0, message, (), None)
    assert all(f.filter(other) for f in logger.filters) and other.levelno == logging.ERROR


def test_a_typed_problem_leaves_as_one_message_with_its_arrays_inline(server):
    """A typed problem on /ravine: the server parses and decomposes it, and one PATCH-DOC before Bokeh's
    OK carries the page module's new spec and the new contours (the page draws the paths from the
    spec); its arrays are inside the JSON (no binary buffers)."""
    from wire import WireSession

    async def type_problem():
        session = WireSession(f"{server.url}/ravine")
        await session.open()
        try:
            return session, await session.reply(await session.send_change("ravine-problem", "value", "1, 50"))
        finally:
            session.close()

    session, (reply, patches) = run(type_problem())
    assert reply.header["msgtype"] == "OK"
    assert len(patches) == 1 and patches[0].buffers == []
    events = patches[0].content["events"]
    spec = next(e for e in events if e["model"]["id"] == session.ids["ravine-page_spec"])
    assert spec["attr"] == "value"
    assert "[1.0, 50.0]" in json.dumps(spec["new"])  # the eigenvalues, decomposed by the server
    assert len(events) >= 2  # the spec and the contours, together


def test_a_change_on_a_figure_computed_in_the_page_sends_no_columns(server):
    """A β change on /ravine (its page module paints it): Bokeh's OK comes with no document change
    before it — no columns, no readout, no second paint from the server."""
    from wire import WireSession

    async def change_beta():
        session = WireSession(f"{server.url}/ravine")
        await session.open()
        try:
            return await session.reply(await session.send_change("ravine-beta", "value", 0.9))
        finally:
            session.close()

    reply, patches = run(change_beta())
    assert reply.header["msgtype"] == "OK"
    assert patches == []


def test_a_whole_number_log_slider_keeps_the_readers_position(server):
    """/regression's iteration slider holds log₁₀ k: a position between two whole k is read by the page
    as the nearer one (Math.round), and the server, reading it the same, sends nothing back (no handle
    snapped after a round trip, no second repaint); a position past the track's end is clamped and
    sent back, with its notice."""
    from wire import WireSession

    async def change(values: list[float]) -> tuple[str, list]:
        session = WireSession(f"{server.url}/regression")
        await session.open()
        try:
            send = session.send_change
            replies = [await session.reply(await send("regression-iteration", "value", v)) for v in values]
            return session.ids["regression-iteration"], replies
        finally:
            session.close()

    between, past = math.log10(123.7), 4.5  # k = 124; 10^4.5 > the 10 000 steps
    slider, [(reply, patches), (_, clamped)] = run(change([between, past]))
    assert reply.header["msgtype"] == "OK"
    assert patches == []
    assert any(slider in json.dumps(patch.content) for patch in clamped)


def test_the_server_runs_numpys_blas_on_one_thread():
    from app.server import BLAS_THREAD_SETTERS, loaded_openblas, one_blas_thread

    assert one_blas_thread()  # numpy's wheels bundle OpenBLAS (Linux): found among the loaded libraries
    getters = [
        getattr(library, name.replace("set", "get"))
        for library in loaded_openblas()
        for name in BLAS_THREAD_SETTERS
        if hasattr(library, name.replace("set", "get"))
    ]
    assert getters and getters[0]() == 1


REPAINT_ALLOCATIONS = """
import resource, sys
import numpy as np
if sys.argv[1] == "set":
    from app.server import reuse_freed_memory
    assert reuse_freed_memory()
def repaint():  # a repaint's large temporaries, alive together: bands of 1.5 MB, maps of 614 kB
    arrays = [np.zeros((16, 3000, 4)) + k for k in range(3)] + [np.ones((240, 320)) * k for k in range(4)]
    return float(sum(a.sum() for a in arrays))
repaint()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(50):
    repaint()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def test_the_server_reuses_freed_memory_for_a_repaints_arrays():
    """With glibc's default thresholds every repaint's large arrays fault in fresh pages (≈ 520 a
    repaint here); with `reuse_freed_memory` the second repaint on reuses the first one's."""
    faults = {
        mode: int(subprocess.run([sys.executable, "-c", REPAINT_ALLOCATIONS, mode], cwd=ROOT, check=True,
                                 capture_output=True, text=True).stdout)
        for mode in ("default", "set")
    }  # fmt: skip
    assert faults["default"] > 50 * 300  # the cost it removes is there to remove
    assert faults["set"] < 50 * 5


def test_inline_arrays_are_deflated_only_where_that_pays():
    """Floats that barely shrink travel as stored gzip blocks (no deflate here, no inflate in the page);
    columns that do shrink (whole numbers, padding) are still deflated; both decode exactly."""
    import base64
    import gzip

    from app.server import InlineSerializer

    noisy = np.random.default_rng(3).normal(size=1500)
    counted = np.arange(1500.0)
    encoded = InlineSerializer(deferred=False).encode({"noisy": noisy, "counted": counted})
    packed = {name: base64.b64decode(array["array"]["data"]) for name, array in encoded["entries"]}
    assert len(packed["noisy"]) >= noisy.nbytes  # stored
    assert len(packed["counted"]) < 0.5 * counted.nbytes  # deflated
    for name, values in (("noisy", noisy), ("counted", counted)):
        np.testing.assert_array_equal(np.frombuffer(gzip.decompress(packed[name])), values)


def test_a_repaint_message_looks_up_only_the_models_it_names(monkeypatch):
    """Bokeh maps every synced model of the document to its reference for each message it writes: on
    `/`, thousands for a message that names the frame. The repaint's message looks them up as met,
    and still refers to the frame (synced) by its id."""
    from bokeh.document import Document
    from bokeh.model import Model
    from bokeh.models import Column, ColumnDataSource, Div

    from app.server import _patch_with_inline_arrays

    doc = Document()
    frame = ColumnDataSource({"y": [1.0]}, name="frame")
    doc.add_root(frame)
    doc.add_root(Column(*(Div(text=str(i)) for i in range(2000))))
    doc.models.flush_synced()
    events = []
    doc.on_change(events.append)
    frame.data = {"y": np.arange(100.0)}
    refs = []
    original = Model.ref
    monkeypatch.setattr(Model, "ref", property(lambda self: refs.append(self) or original.fget(self)))
    message = _patch_with_inline_arrays(events)
    assert len(refs) < 10
    assert message.content["events"][0]["model"] == {"id": frame.id}


class QueuedFrames:
    """Tornado's websocket protocol as `write_now` meets it: a frame is queued on the socket when written."""

    def __init__(self) -> None:
        self.frames: list[str] = []
        self.closing = False

    def is_closing(self) -> bool:
        return self.closing

    def write_message(self, message: str, binary: bool = False) -> asyncio.Future:
        self.frames.append(message)
        written = asyncio.get_running_loop().create_future()
        written.set_result(None)
        return written


class PageSocket:
    """Bokeh's websocket handler as `write_now` meets it: a write lock, and Bokeh's own `send_message`,
    which writes a message's frames one turn of the event loop apart."""

    def __init__(self) -> None:
        from tornado.locks import Lock

        self.write_lock = Lock()
        self.ws_connection = QueuedFrames()

    async def send_message(self, message: object) -> None:
        with await self.write_lock.acquire():
            for frame in (message.header_json, message.metadata_json, message.content_json):
                self.ws_connection.write_message(frame)
                await asyncio.sleep(0)


def frames_of(tag: str) -> object:
    from types import SimpleNamespace

    parts = {f"{part}_json": f"{tag}:{part}" for part in ("header", "metadata", "content")}
    return SimpleNamespace(**parts)


def test_a_repaint_is_written_whole_at_once_when_no_other_message_is_being_written():
    """`write_now` queues a message's three frames before it returns (no turn of the event loop between
    them, none before the first) and leaves the write lock free."""
    from app.server import write_now

    async def write():
        socket = PageSocket()
        write_now(socket, frames_of("repaint"))
        written = list(socket.ws_connection.frames)
        lock = socket.write_lock.acquire()
        return written, lock.done()

    written, lock_free = run(write())
    assert written == ["repaint:header", "repaint:metadata", "repaint:content"]
    assert lock_free


def test_a_repaint_waits_for_a_message_being_written_and_never_comes_between_its_frames():
    """While another message is half written (Bokeh's OK, say), the repaint is not written into the middle
    of it: it follows, whole."""
    from app.server import write_now

    async def interleave():
        socket = PageSocket()
        other = asyncio.ensure_future(socket.send_message(frames_of("ok")))
        await asyncio.sleep(0)  # "ok" has written its header and holds the lock
        write_now(socket, frames_of("repaint"))
        await other
        for _ in range(10):
            await asyncio.sleep(0)
        return socket.ws_connection.frames

    frames = run(interleave())
    parts = ("header", "metadata", "content")
    assert frames == [f"{tag}:{part}" for tag in ("ok", "repaint") for part in parts]


def test_a_repaint_for_a_page_that_went_away_is_dropped_quietly():
    from app.server import write_now

    async def write():
        socket = PageSocket()
        socket.ws_connection.closing = True
        write_now(socket, frames_of("repaint"))
        return socket.ws_connection.frames, socket.write_lock.acquire().done()

    frames, lock_free = run(write())
    assert frames == [] and lock_free
