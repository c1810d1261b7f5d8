"""A class that keeps dragging: ten sessions for ten minutes, then memory after they close.

    python benchmarks/soak.py [--sessions 10] [--minutes 10]

One `panel serve` (the README's command, as deployed with PYTHONMALLOC=malloc, a short unused-session
lifetime so clean-up is quick). The sessions are browserless (tests/wire.py, Bokeh's websocket
protocol), spread over the three core figures (/ravine, /decomposition, /regions); each drags β back and
forth, the next change 50 ms after the server acknowledged the previous one (the page computes the
figure; the server takes the value and answers OK). Reported: changes answered,
errors (in the sessions and the server log), latency per minute (median, p95), the server's resident
memory each minute and after the sessions closed. Targets: no error; p95 of the last minute within
20 % of the first; memory after the sessions close within 1.10× of the start.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from latency import summary  # noqa: E402
from live_server import Server, free_port, serve_command  # noqa: E402
from sessions import CLEANUP, THINK_MS, acknowledged, beta, rss_mb, settle_memory  # noqa: E402
from wire import WireSession  # noqa: E402

ROUTES = ("ravine", "decomposition", "regions")


async def student(session: WireSession, figure: str, until: float, offset: int) -> list[tuple[float, float]]:
    """Drag β until `until`: (time sent, ms to the server's OK) for each change."""
    changes, i = [], offset
    while time.monotonic() < until:
        sent = time.monotonic()
        changes.append((sent, await acknowledged(session, f"{figure}-beta", beta(i))))
        i += 1
        await asyncio.sleep(THINK_MS / 1000)
    return changes


async def sample_memory(pid: int, until: float, every: float, out: list[float]) -> None:
    while time.monotonic() < until:
        await asyncio.sleep(min(every, max(0.0, until - time.monotonic())))
        out.append(rss_mb(pid))


async def run(args: argparse.Namespace) -> None:
    os.environ["PYTHONMALLOC"] = "malloc"  # as deployed (Dockerfile, docs/deploy.md)
    port = free_port()
    server = Server(
        Path(tempfile.mkdtemp()) / "panel.log", command=[*serve_command(port), *CLEANUP], port=port
    )
    pid = server.process.pid
    seconds = args.minutes * 60
    try:
        for route in ROUTES:  # warm: imports, first documents, caches
            warm = WireSession(f"{server.url}/{route}")
            await warm.open()
            warm.close()
        start_mb = await settle_memory(pid)
        figures = [ROUTES[k % len(ROUTES)] for k in range(args.sessions)]
        sessions = [WireSession(f"{server.url}/{figure}") for figure in figures]
        await asyncio.gather(*(session.open() for session in sessions))
        print(f"{args.sessions} sessions dragging for {args.minutes:g} min …", flush=True)
        began = time.monotonic()
        until = began + seconds
        memory: list[float] = []
        results = await asyncio.gather(
            *(student(s, f, until, 7 * k) for k, (s, f) in enumerate(zip(sessions, figures, strict=True))),
            sample_memory(pid, until, 60.0, memory),
            return_exceptions=True,
        )
        for session in sessions:
            session.close()
        after_mb = await settle_memory(pid)
        server_errors = server.errors()
    finally:
        server.stop()

    errors = [repr(r) for r in results if isinstance(r, BaseException)]
    changes = [c for r in results[: args.sessions] if isinstance(r, list) for c in r]
    print(f"\n{args.sessions} browserless sessions over {', '.join(ROUTES)}, {args.minutes:g} min, 2 cores")
    print(f"  changes answered: {len(changes)} ({len(changes) / seconds:.0f}/s)")
    print(f"  errors: {len(errors)} in the sessions, {len(server_errors)} in the server log")
    minutes = int(args.minutes)
    p95s = []
    for minute in range(minutes):
        times = [ms for sent, ms in changes if minute * 60 <= sent - began < (minute + 1) * 60]
        if times:
            median, p95 = summary(times)
            p95s.append(p95)
            rss = f"{memory[minute]:.0f} MB" if minute < len(memory) else ""
            print(f"  minute {minute + 1:2d}: {len(times):6d} changes, median {median:6.1f} ms, "
                  f"p95 {p95:6.1f} ms   server {rss}")  # fmt: skip
    if len(p95s) >= 2:
        print(f"  p95 last minute ÷ first minute: {p95s[-1] / p95s[0]:.2f} (target ≤ 1.20)")
    print(f"  memory: start {start_mb:.0f} MB, after the sessions closed {after_mb:.0f} MB "
          f"= {after_mb / start_mb:.2f}× (target ≤ 1.10×)")  # fmt: skip
    for line in (errors + server_errors)[:10]:
        print("  !", line[:300])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--minutes", type=float, default=10.0)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
