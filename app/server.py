"""Server-side set-up: a short slider → repaint path, quiet refusals of bad client input, embedding.

Stock Tornado leaves Nagle's algorithm on for websockets, so Bokeh's multi-frame messages wait
for delayed ACKs (≈ 40 ms a round trip). Tornado documents `WebSocketHandler.set_nodelay(True)`,
to be called in `open()`, for exactly this case; `enable_tcp_nodelay` adds that call to Bokeh's
websocket handler. `set_up` (that, and `log_refused_changes_as_warnings`) is run by
`panel serve --setup app/server_setup.py` and, idempotently, by every route, so any way of serving
the app gets it.
"""

from __future__ import annotations

import asyncio
import base64
import ctypes
import functools
import gc
import gzip
import logging
import sys
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bokeh.core.serialization import BytesRep, Serializer
from bokeh.model import Model
from bokeh.server.views.ws import WSHandler
from tornado.ioloop import IOLoop

from .when_quiet import WhenQuiet

APP_DIR = str(Path(__file__).resolve().parent)


def set_up() -> None:
    """The server-side set-up (idempotent): TCP_NODELAY on websockets, client refusals as warnings,
    error replies without the server's traceback."""
    enable_tcp_nodelay()
    log_refused_changes_as_warnings()
    answer_errors_without_traceback()
    log_writes_to_closed_pages_as_debug()
    allow_one_message_repaints()
    one_blas_thread()
    reuse_freed_memory()
    read_any_address()


def read_any_address() -> None:
    """An address with a second "?" (a link pasted onto another, a "?" typed in a value) no longer
    leaves a blank page and a traceback: Panel's Location splits the request's path on every "?"
    (panel/io/location.py, `uri.split('?')`) and fails while the page is built. The query now runs
    from the first "?", as a browser reads it, a later "?" escaped as %3F: its parameter is then an
    invalid value, refused with a notice like any other."""
    from panel.io import location

    if getattr(location, "_momentum_any_address", False):
        return
    original = location._get_location_params

    def params(protocol: str | None, host: str | None, uri: str | None) -> dict:
        if uri and not uri.startswith("http") and uri.count("?") > 1:
            path, _, query = uri.partition("?")
            uri = f"{path}?{query.replace('?', '%3F')}"
        return original(protocol, host, uri)

    location._get_location_params = params
    location._momentum_any_address = True


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


#: Names of OpenBLAS's "set the number of threads" function (numpy's wheels rename it per build).
BLAS_THREAD_SETTERS = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)


def one_blas_thread() -> bool:
    """Run numpy's OpenBLAS on one thread in the server (True if it was found and set).

    OpenBLAS splits a product over every core and its threads then spin, waiting for the next one.
    A figure's products are small (a 400 × 400 solve, a 301 × 400 × 400 product on /limits), the
    browser pages need the same cores, and the server is one Python thread anyway: with two threads
    a κ change on /limits took 8 ms to solve and its socket writes waited behind spinning threads
    (20 ms per change, docs/speed.md); with one, 2 ms. Same numbers either way. Found through the
    process's loaded libraries (Linux), so it works whatever imported numpy first.
    """
    for library in loaded_openblas():
        for name in BLAS_THREAD_SETTERS:
            setter = getattr(library, name, None)
            if setter is not None:
                setter(1)
                return True
    return False


#: glibc's mallopt parameters, and the sizes set: every block up to 32 MiB (glibc's largest mmap
#: threshold) from the heap, and up to 256 MiB of freed heap kept for reuse.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
KEEP_FREED_BYTES, HEAP_BLOCKS_UP_TO = 256 << 20, 32 << 20


def reuse_freed_memory() -> bool:
    """Let a repaint's large arrays reuse freed memory instead of fresh pages (glibc; True if set).

    glibc serves a block over its mmap threshold (128 KiB at first) with new pages from the system,
    and gives freed heap back once more than twice that is free at its top: each repaint's arrays —
    a 320 × 240 rate map, 16 lanes of 1 500 steps, a banded system of 1.5 MB — then fault in fresh
    zeroed pages, ≈ 0.25 µs a 4 KiB page. A /schedules change spent 5.8 ms, 2.3 ms of it in page
    faults; with the thresholds fixed high, freed blocks are reused: 3.5 ms (docs/speed.md). Memory
    still goes back to the system when sessions end (`release_memory`: `malloc_trim`).
    """
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    kept = mallopt(M_TRIM_THRESHOLD, KEEP_FREED_BYTES)
    return bool(mallopt(M_MMAP_THRESHOLD, HEAP_BLOCKS_UP_TO)) and bool(kept)


def loaded_openblas() -> list[ctypes.CDLL]:
    """The OpenBLAS libraries this process has loaded (from /proc/self/maps; none elsewhere than Linux)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower() and ".so" in line}
    except OSError:
        return []
    return [ctypes.CDLL(path) for path in sorted(paths)]


def allow_one_message_repaints() -> None:
    """Let `one_message` gather a connection's document patches (see there)."""
    from bokeh.server.connection import ServerConnection

    if getattr(ServerConnection, "_momentum_gathers", False):
        return
    original_send = ServerConnection.send_patch_document

    def send_or_gather(self: ServerConnection, event: object) -> object:
        gathered = getattr(self, "_momentum_gathered", None)
        if gathered is None:
            return original_send(self, event)
        gathered.append(event)
        return _done()

    ServerConnection.send_patch_document = send_or_gather
    ServerConnection._momentum_gathers = True


@contextmanager
def one_message(doc: object) -> Iterator[None]:
    """Every change made to `doc` inside the block leaves as one PATCH-DOC message per browser.

    Bokeh sends one message per changed property (a repaint's data, two labels' x and y, a readout:
    six messages, each three or more websocket frames that the browser decodes and applies in turn).
    PATCH-DOC carries a list of events, so the block's events are gathered per connection, in order,
    and written as one message when it ends, its frames at once (`write_now`); Bokeh's own rules still
    decide which connection gets which event (the browser that made a change is not sent its echo).
    Outside a served session (a notebook, a test) or before `allow_one_message_repaints` is installed
    the block changes nothing.
    """
    from bokeh.server.connection import ServerConnection

    session = getattr(getattr(doc, "session_context", None), "_session", None)
    connections = list(getattr(session, "_subscribed_connections", ()))
    if not (connections and getattr(ServerConnection, "_momentum_gathers", False)):
        yield
        return
    for connection in connections:
        connection._momentum_gathered = []
    try:
        yield
    finally:
        for connection in connections:
            events, connection._momentum_gathered = connection._momentum_gathered, None
            if events:
                write_now(connection._socket, _patch_with_inline_arrays(events))


def _patch_with_inline_arrays(events: list) -> object:
    """A PATCH-DOC message of `events` whose arrays travel inside its JSON content, base64-encoded.

    Bokeh's own message sends each array as a binary buffer of its own: two more websocket frames per
    column, each handled on its own by the browser (≈ 0.2 ms a frame here, so a path's four columns
    cost more than their bytes). Inline, a repaint is one three-frame message whatever its columns;
    the bytes cost far less (docs/speed.md). It is Bokeh's own inline encoding of arrays (gzip, then
    base64, as in standalone HTML: about the raw size for a path's floats, less for padded columns),
    decoded by BokehJS as it decodes a standalone page.
    """
    from bokeh.protocol.messages.patch_doc import PatchJson, patch_doc

    doc = events[0].document
    serializer = InlineSerializer(document=doc, deferred=False)
    content = PatchJson(events=serializer.encode(events))
    doc.models.flush_synced(lambda model: not serializer.has_ref(model))
    return patch_doc(patch_doc.create_header(), {}, content)


#: An array is deflated only if its first bytes shrink below this share of their size; else stored.
COMPRESSIBLE = 0.8
SAMPLE_BYTES = 2048


class InlineSerializer(Serializer):
    """Bokeh's Serializer, looking up references as it meets models, and whose inline arrays are
    gzip-compressed only where that pays.

    Bokeh passes every synced model of the document and maps each to its reference up front: on `/`,
    thousands of models for a message that names a few. They are looked up as met instead.

    Bokeh deflates every inline array (level 2). A path's or a noisy loss's float64 values barely
    shrink (to ≈ 92 %), yet cost 0.075 ms each to deflate here and again to inflate in the page
    (BokehJS's fflate, in JavaScript): a /schedules α change sends 17 of them. An array whose first
    2 kB do not shrink below 80 % at level 1 now travels as stored gzip blocks (level 0, which BokehJS
    reads the same way); padded, whole-number and colour-code columns still shrink.
    """

    def __init__(self, *, document: object = None, deferred: bool = False) -> None:
        super().__init__(deferred=deferred)
        self._models = getattr(document, "models", None)

    def _synced(self, obj: object) -> bool:
        """A model the browser already has (in the document, and not new since the last message)."""
        models = self._models
        return (
            models is not None
            and isinstance(obj, Model)
            and models.get_by_id(obj.id) is obj
            and obj not in models._new_models  # as Bokeh's own synced_references tests it
        )

    def has_ref(self, obj: object) -> bool:
        return super().has_ref(obj) or self._synced(obj)

    def get_ref(self, obj: object) -> object:
        ref = super().get_ref(obj)
        if ref is None and self._synced(obj):
            ref = obj.ref
            self.add_ref(obj, ref)
        return ref

    def _encode_bytes(self, obj: bytes | memoryview) -> BytesRep:
        data = obj.tobytes() if isinstance(obj, memoryview) else bytes(obj)
        sample = data[:SAMPLE_BYTES]
        level = 1 if len(zlib.compress(sample, 1)) < COMPRESSIBLE * len(sample) else 0
        packed = gzip.compress(data, compresslevel=level, mtime=1)
        return BytesRep(type="bytes", data=base64.b64encode(packed).decode("ascii"))


_writing: set[asyncio.Future] = set()  # writes still being flushed, kept until they end


def write_now(socket: WSHandler, message: object) -> None:
    """Write a Bokeh message's frames to `socket` now, back to back, if no other message is being written.

    Bokeh's `send_message` awaits each frame before writing the next (header, metadata, content: each
    write a task of its own, two turns of the event loop), and a patch made in a handler waits for
    the handler's end: a median 0.54 ms from a /ravine repaint's serialisation to its content's write,
    0.29 ms written now (the rest is the content's JSON encoding; server timeline, docs/speed.md).
    Tornado queues a frame on the socket as soon as it is written, in order, so holding Bokeh's write
    lock while writing all three keeps another message's frames from coming between them. When the
    lock is taken (a message is half written), this one is sent Bokeh's way, after it.
    """
    from tornado.websocket import WebSocketClosedError, WebSocketHandler

    lock = socket.write_lock.acquire()
    if not lock.done():
        lock.cancel()  # a message is being written: queue this one behind it
        _keep(asyncio.ensure_future(socket.send_message(message)))
        return
    try:
        frames = [message.header_json, message.metadata_json, message.content_json]
        for frame in frames:
            _keep(WebSocketHandler.write_message(socket, frame))
    except WebSocketClosedError:
        pass  # the page went away: nothing left to tell it
    finally:
        socket.write_lock.release()


def _keep(write: asyncio.Future) -> None:
    """Hold a write until it is flushed (its failure, a page gone, reported once by WriteToClosedPage)."""
    _writing.add(write)
    write.add_done_callback(_writing.discard)


def _done() -> asyncio.Future:
    done = asyncio.get_running_loop().create_future()
    done.set_result(None)
    return done


class RefusedClientChange(logging.Filter):
    """Bokeh's refusal of a malformed client message, logged as one warning line instead of an error.

    Bokeh checks every change a client sends against the model's property types (a string for a
    slider's value, an unknown model id) before any app code runs, refuses it with an ERROR reply
    and logs "error handling message" with a traceback. That is bad input, not a server fault: the
    session and its state are unchanged. Only refusals raised by Bokeh itself are rewritten; an
    exception that passed through this app's code stays an error.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if str(record.msg).startswith("error handling message") and _refused_by_bokeh(error):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args, record.exc_info = (
                "refused a client change: %s",
                (str(error)[:300],),
                None,
            )
        return True


def _refused_by_bokeh(error: BaseException | None) -> bool:
    """A ValueError (Bokeh's validation and deserialisation errors are ValueErrors) raised with no
    frame of this app on its traceback."""
    if not isinstance(error, ValueError):
        return False
    frame = error.__traceback__
    while frame is not None:
        if frame.tb_frame.f_code.co_filename.startswith(APP_DIR):
            return False
        frame = frame.tb_next
    return True


def log_refused_changes_as_warnings() -> None:
    """Install RefusedClientChange on Bokeh's protocol handler log (once)."""
    logger = logging.getLogger("bokeh.server.protocol_handler")
    if not any(isinstance(f, RefusedClientChange) for f in logger.filters):
        logger.addFilter(RefusedClientChange())


class WriteToClosedPage(logging.Filter):
    """A message the server was still sending when its page went away (a reader followed a link while a
    section was being sent): asyncio reports the abandoned write as "Task exception was never retrieved"
    with Tornado's WebSocketClosedError. Nothing was lost that anyone could still see; it is logged as
    one debug line instead of an error with two tracebacks."""

    def filter(self, record: logging.LogRecord) -> bool:
        from tornado.iostream import StreamClosedError
        from tornado.websocket import WebSocketClosedError

        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, WebSocketClosedError | StreamClosedError):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            record.msg, record.args, record.exc_info = (
                "a page closed while a message to it was sent",
                (),
                None,
            )
            return logging.getLogger("asyncio").isEnabledFor(logging.DEBUG)
        return True


def log_writes_to_closed_pages_as_debug() -> None:
    """Install WriteToClosedPage on asyncio's log (once)."""
    logger = logging.getLogger("asyncio")
    if not any(isinstance(f, WriteToClosedPage) for f in logger.filters):
        logger.addFilter(WriteToClosedPage())


#: What a client is told when a change it sent failed inside the app (details stay in the server's log).
INTERNAL_ERROR_TEXT = "The server could not apply this change."


def answer_errors_without_traceback() -> None:
    """Send Bokeh's ERROR replies with a one-line reason and no traceback.

    Bokeh answers a message it could not handle with an ERROR whose content carries the server's
    full Python traceback (install paths, source lines) to whoever sent it. The reply now keeps
    Bokeh's one-line reason for its own refusals ("expected a value of type Real, got …") and a plain
    INTERNAL_ERROR_TEXT for anything raised through the app; the traceback stays in the server log.
    """
    from bokeh.server.connection import ServerConnection

    if getattr(ServerConnection, "_momentum_short_errors", False):
        return
    original_error = ServerConnection.error

    def short_error(self: ServerConnection, message: object, text: str) -> object:
        reply = original_error(self, message, text)
        error = sys.exc_info()[1]
        reason = text if _refused_by_bokeh(error) else INTERNAL_ERROR_TEXT
        reply.content["text"] = reason[:300]
        reply.content["traceback"] = None
        return reply

    ServerConnection.error = short_error
    ServerConnection._momentum_short_errors = True


#: Memory is given back this long after the last session of a burst ended (one pass per burst: a full
#: garbage collection pauses every open session for a moment).
RELEASE_DELAY_S = 3.0
_release = WhenQuiet(lambda: release_memory(), lambda s, f: IOLoop.current().call_later(s, f))


def release_memory_when_sessions_end(doc: object) -> None:
    """After sessions end, give their freed memory back to the system (glibc's `malloc_trim`).

    Bokeh discards a closed session's document and Panel collects the garbage, but glibc keeps the
    freed heap for reuse, so the server's resident memory stays at its peak after a class leaves.
    RELEASE_DELAY_S after the last session of a burst ended, one `gc.collect()` and `malloc_trim(0)`
    return it (with PYTHONMALLOC=malloc, as deployed, Python's own objects are on that heap too).
    Elsewhere than glibc (macOS, musl) only the collection runs.
    """
    if getattr(doc, "session_context", None) is not None and hasattr(doc, "on_session_destroyed"):
        doc.on_session_destroyed(_session_ended)


def _session_ended(session_context: object) -> None:
    _release.touch(RELEASE_DELAY_S)


def freeze_session_objects() -> None:
    """Keep the objects that exist now (a new session's document, made just before) out of Python's
    automatic garbage collections, with `gc.freeze()`.

    A full collection walks every tracked object: with fifty sessions open that is half a million
    objects and a pause of ≈ 0.3 s for every session, every few seconds. Frozen, a session's long-
    lived models are skipped; they are unfrozen and collected when sessions end (`release_memory`).
    """
    gc.freeze()


def release_memory() -> None:
    """Collect garbage (frozen objects included) and return the C heap's free pages to the system
    (glibc's `malloc_trim(0)`)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def serve_locally_when_embedded(doc: object) -> None:
    """Point Panel's style sheets at this server when a page embeds the app with `server_document`.

    In that (autoload) mode Panel links its style sheets from its CDN (holoviz/panel#7073), so an
    embedded figure would need the internet; this server serves the same files under /static.
    """
    from bokeh.models import ImportedStyleSheet

    from .offline_assets import replace_panel_cdn_sheets

    absolute = _argument(doc, "bokeh-absolute-url")
    app_path = _argument(doc, "bokeh-app-path")
    if not is_embedded(doc):
        return  # not an autoload request: the page is served from here and uses local paths already
    root = absolute[: -len(app_path)] if app_path and absolute.endswith(app_path) else absolute
    local = root.rstrip("/") + "/static/extensions/panel/"
    replace_panel_cdn_sheets(doc, lambda path: ImportedStyleSheet(url=local + path))


def _argument(doc: object, name: str) -> str:
    request = getattr(getattr(doc, "session_context", None), "request", None)
    arguments = getattr(request, "arguments", None) or {}
    return (arguments.get(name) or [b""])[-1].decode("utf-8", "replace")


def is_embedded(doc: object) -> bool:
    """Whether this session was opened by `server_document` on another page (Bokeh's autoload)."""
    return _argument(doc, "bokeh-absolute-url").startswith(("http://", "https://"))
