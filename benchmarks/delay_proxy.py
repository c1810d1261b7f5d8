"""A TCP proxy on loopback that delays every chunk each way: a reader far from the server.

    proxy = DelayProxy(target_port=5006, round_trip_ms=80).start()   # then open proxy.url
    ...
    proxy.stop()

Each chunk read from one side is written to the other `round_trip_ms / 2` after it arrived, in order;
chunks in flight do not wait for each other (a link's latency, not its bandwidth). HTTP and the
websocket both go through it, so a page opened at `proxy.url` sees every message the server sends
half a round trip late, and the server sees the page's half a round trip late. Loopback only.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time

Reader, Writer = asyncio.StreamReader, asyncio.StreamWriter


class DelayProxy:
    """Forwards 127.0.0.1:`port` to 127.0.0.1:`target_port`, each chunk held `round_trip_ms / 2`."""

    def __init__(self, target_port: int, round_trip_ms: float, port: int = 0) -> None:
        self.target_port = target_port
        self.one_way_s = round_trip_ms / 2000
        self.port = port
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> DelayProxy:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._listen(), self._loop)
        future.result(timeout=10)
        return self

    def stop(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._connect, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _connect(self, client_reader: Reader, client_writer: Writer) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            self._pipe(client_reader, server_writer),
            self._pipe(server_reader, client_writer),
            return_exceptions=True,
        )

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Chunks from `reader` to `writer`, each written `one_way_s` after it was read."""
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, chunk = await queue.get()
                if not chunk:
                    break
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(chunk)
                await writer.drain()
            with contextlib.suppress(OSError):
                writer.close()

        delivering = asyncio.ensure_future(deliver())
        try:
            while chunk := await reader.read(65536):
                queue.put_nowait((time.monotonic() + self.one_way_s, chunk))
        except OSError:
            pass
        finally:
            queue.put_nowait((time.monotonic() + self.one_way_s, b""))
            await delivering
