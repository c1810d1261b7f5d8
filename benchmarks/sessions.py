"""Many students at once: concurrent sessions, memory per session, clean-up after sessions close.

    python benchmarks/sessions.py [--sessions 50] [--browsers 3] [--seconds 20] [--cycled 200]

One `panel serve` (the README's command, with a short unused-session lifetime so clean-up is quick).
Load, all on loopback, all at the same time on /ravine:
- `--sessions` browserless sessions (tests/wire.py: Bokeh's websocket protocol, one Python process):
  each is a student dragging β, sending the next change 50 ms after the server acknowledged the
  previous one (at most 20 changes a second each). The page computes the figure, so the server only
  takes the value (URL state, clamping) and answers OK: timed from sending to that OK.
- `--browsers` real headless Chromium pages dragging β too, timed inside the page from the change to
  the new path on the plot (the page module's repaint: no round trip).
The server's CPU (user + system time of its process over the drag) is reported per dragging student:
what one more student costs the server. Memory is the server's resident set (VmRSS): at start (warm),
with the sessions open and idle (per session = the rise / N), and after they and `--cycled` more
sessions were opened and closed and the server's clean-up ran (target: within 10 % of the start).

`--at REV` serves the app as it was at git revision REV instead (a worktree of it, served with the
README's `panel serve` command of that time), with the same load: before the figures computed in the
page (`--at c07f990^`) the server computed and sent every dragged state, and its CPU per student is
the "before" figure of docs/speed.md.

The server runs as deployed, with PYTHONMALLOC=malloc: Python's objects then live on glibc's heap,
which the app's `malloc_trim` after sessions end can give back (`--pymalloc` compares the default).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from browser import MODEL_EXISTS  # noqa: E402
from latency import ROUND_TRIPS, cpu_seconds, summary  # noqa: E402
from live_server import CHROMIUM_ARGS, Server, chromium_path, free_port, serve_command  # noqa: E402
from wire import WireSession  # noqa: E402

CLEANUP = ["--check-unused-sessions", "500", "--unused-session-lifetime", "1000"]
THINK_MS = 50  # a dragging student: the next change 50 ms after the previous path arrived


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def beta(i: int) -> float:
    """The i-th β of a drag back and forth over 0.95 … 0.99."""
    return round(0.99 - 0.001 * (i % 40 + 1), 3)


async def open_wire(url: str, count: int, batch: int = 10) -> list[WireSession]:
    sessions = []
    for first in range(0, count, batch):
        new = [WireSession(url) for _ in range(min(batch, count - first))]
        await asyncio.gather(*(session.open() for session in new))
        sessions += new
    return sessions


async def acknowledged(session: WireSession, slider: str, value: float) -> float:
    """Set `slider` to `value` as a browser does; ms until the server's OK (the page paints the figure
    itself: the server takes the value and answers, with no columns)."""
    started = time.perf_counter()
    reply, _ = await session.reply(await session.send_change(slider, "value", value))
    if reply.header["msgtype"] != "OK":
        raise RuntimeError(f"the server refused {slider} = {value}: {reply.content}")
    return (time.perf_counter() - started) * 1000


async def wire_student(session: WireSession, seconds: float, offset: int) -> list[float]:
    times, i = [], offset
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        times.append(await acknowledged(session, "ravine-beta", beta(i)))
        i += 1
        await asyncio.sleep(THINK_MS / 1000)
    return times


async def browser_student(page, seconds: float) -> list[float]:
    times, i = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        values = [beta(i + k) + 1e-7 for k in range(10)]  # distinct from the wire sessions' values
        i += 10
        times += await page.evaluate(ROUND_TRIPS, ["ravine-beta", "ravine-frame", values, THINK_MS])
    return times


async def open_pages(browser, url: str, count: int) -> list:
    pages = [await browser.new_page() for _ in range(count)]
    await asyncio.gather(*(page.goto(url) for page in pages))
    await asyncio.gather(
        *(page.wait_for_function(MODEL_EXISTS, arg="ravine-frame", timeout=120_000) for page in pages)
    )
    return pages


async def settle_memory(pid: int, seconds: float = 12.0) -> float:
    """RSS after the unused-session clean-up (every 0.5 s) and the app's release of memory (3 s) ran."""
    await asyncio.sleep(seconds)
    return rss_mb(pid)


@contextlib.contextmanager
def checked_out(revision: str | None) -> Iterator[Path]:
    """This checkout, or a temporary worktree of `revision` (removed afterwards)."""
    if revision is None:
        yield ROOT
        return
    folder = Path(tempfile.mkdtemp()) / "app-at-revision"
    subprocess.run(["git", "worktree", "add", "--detach", str(folder), revision], cwd=ROOT, check=True)
    try:
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, check=True)


def old_serve_command(folder: Path, port: int) -> list[str]:
    """The README's serve command as it was before `momentum-explorer` (`panel serve` of the routes)."""
    routes = sorted(str(path) for path in (folder / "app" / "routes").glob("*.py"))
    command = serve_command(port)  # its address and origins, the app's own command left out
    options = command[command.index("--port") :]
    return [sys.executable, "-m", "panel", "serve", *routes, "--index", "explorer",
            "--setup", str(folder / "app" / "server_setup.py"), *options]  # fmt: skip


async def run(args: argparse.Namespace) -> None:
    if not args.pymalloc:
        os.environ["PYTHONMALLOC"] = "malloc"  # as deployed (Dockerfile, docs/deploy.md); see docs/speed.md
    with checked_out(args.at) as folder:
        if args.at is not None:
            os.environ["PYTHONPATH"] = str(folder)  # the server imports that revision's app
        await drag_and_measure(args, folder)


async def drag_and_measure(args: argparse.Namespace, folder: Path) -> None:
    port = free_port()
    command = serve_command(port) if args.at is None else old_serve_command(folder, port)
    server = Server(
        Path(tempfile.mkdtemp()) / "panel.log", command=[*command, *CLEANUP], port=port, cwd=folder
    )
    url = f"{server.url}/ravine"
    pid = server.process.pid
    steps: list[tuple[str, float]] = []
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for page in await open_pages(browser, url, 2):  # warm: imports, first documents, caches
                await page.close()
            for session in await open_wire(url, 10):
                session.close()
            start_mb = await settle_memory(pid)

            print(f"opening {args.sessions} sessions and {args.browsers} browser pages …", flush=True)
            wire = await open_wire(url, args.sessions)
            pages = await open_pages(browser, url, args.browsers)
            await asyncio.sleep(2)
            idle_mb = rss_mb(pid)
            print(f"all {args.sessions + args.browsers} dragging for {args.seconds:.0f} s …", flush=True)
            cpu_before, wall_before = cpu_seconds(pid), time.monotonic()
            results = await asyncio.gather(
                *(wire_student(s, args.seconds, 7 * k) for k, s in enumerate(wire)),
                *(browser_student(page, args.seconds) for page in pages),
                return_exceptions=True,
            )
            cpu_used, wall = cpu_seconds(pid) - cpu_before, time.monotonic() - wall_before
            for session in wire:
                session.close()
            for page in pages:
                await page.close()
            await browser.close()
            steps.append(
                (f"after the {args.sessions + args.browsers} sessions closed", await settle_memory(pid))
            )

            for first in range(0, args.cycled, 20):  # open and close, 20 at a time
                for session in await open_wire(url, min(20, args.cycled - first)):
                    session.close()
                if (first + 20) % 100 == 0 or first + 20 >= args.cycled:
                    done = min(first + 20, args.cycled)
                    steps.append((f"after {done} more opened and closed", await settle_memory(pid)))
        server_errors = server.errors()
    finally:
        server.stop()

    errors = [repr(r) for r in results if isinstance(r, BaseException)]
    wire_times = [t for r in results[: args.sessions] if not isinstance(r, BaseException) for t in r]
    page_times = [t for r in results[args.sessions :] if not isinstance(r, BaseException) for t in r]
    print(f"\nserving {args.at or 'this checkout'}")
    print(f"{args.sessions} browserless + {args.browsers} browser sessions dragging β on /ravine at once, "
          f"{args.seconds:.0f} s, 2 cores shared by server, driver and browser")  # fmt: skip
    labels = (("browserless: change → OK", wire_times), ("browser pages: change → path", page_times))
    for label, times in labels:
        if times:
            median, p95 = summary(times)
            print(f"  {label:30s} {len(times):6d} changes ({len(times) / args.seconds:4.0f}/s)  "
                  f"median {median:6.1f} ms  p95 {p95:6.1f} ms")  # fmt: skip
    changes = len(wire_times) + len(page_times)
    students = args.sessions + args.browsers
    print(f"  server CPU: {cpu_used:.1f} s over {wall:.0f} s ({100 * cpu_used / wall:.0f} % of a core) = "
          f"{1000 * cpu_used / wall / students:.1f} ms a second per dragging student, "
          f"{1000 * cpu_used / max(changes, 1):.2f} ms a change")  # fmt: skip
    print(f"  errors: {len(errors)} in the sessions, {len(server_errors)} in the server log")
    total = args.sessions + args.browsers
    print(f"memory (server VmRSS): start {start_mb:.0f} MB, with {total} idle sessions {idle_mb:.0f} MB "
          f"= {(idle_mb - start_mb) / total:.2f} MB a session")  # fmt: skip
    for label, mb in steps:
        print(f"  {label:44s} {mb:6.0f} MB = {mb / start_mb:.2f}× the start (target ≤ 1.10×)")
    for line in (errors + server_errors)[:10]:
        print("  !", line[:300])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=50, help="browserless sessions (default 50)")
    parser.add_argument("--browsers", type=int, default=3, help="real Chromium pages besides (default 3)")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--cycled", type=int, default=200)
    parser.add_argument("--at", help="serve the app as it was at this git revision (e.g. c07f990^)")
    parser.add_argument(
        "--pymalloc",
        action="store_true",
        help="serve with CPython's default small-object allocator instead of PYTHONMALLOC=malloc",
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
