"""Many students at once: concurrent sessions, memory per session, clean-up after sessions close.

    python benchmarks/sessions.py [--sessions 50] [--seconds 20] [--cycled 200]

One `panel serve` (the README's command, with a short unused-session lifetime so clean-up is quick).
Load: N pages of one headless Chromium on /ravine, each moving the β slider and waiting for the new
path (a student dragging), one change after another (50 ms apart) for a fixed time; latency is
timed inside each page with performance.now(), from setting the value to the new data arriving.
The browser shares the machine's 2 cores with the server, so this overstates server latency.
Memory is the server's resident set (VmRSS):
at start (warm), with N idle sessions open (per session = the rise / N), and after `--cycled`
sessions were opened and closed and the server's clean-up ran (target: within 10 % of the start).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from browser import MODEL_EXISTS  # noqa: E402
from latency import ROUND_TRIPS  # noqa: E402
from live_server import CHROMIUM_ARGS, Server, chromium_path, free_port, serve_command  # noqa: E402

CLEANUP = ["--check-unused-sessions", "500", "--unused-session-lifetime", "1000"]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def open_pages(browser, url: str, count: int, batch: int = 10) -> list:
    """`count` pages showing the figure (opened `batch` at a time)."""
    pages = []
    for first in range(0, count, batch):
        new = [await browser.new_page() for _ in range(min(batch, count - first))]
        await asyncio.gather(*(page.goto(url) for page in new))
        await asyncio.gather(
            *(page.wait_for_function(MODEL_EXISTS, arg="ravine-frame", timeout=120_000) for page in new)
        )
        pages += new
    return pages


async def close_all(pages: list) -> None:
    await asyncio.gather(*(page.close() for page in pages))


async def student(page, seconds: float) -> list[float]:
    """Changes of β, each after the previous one's new data arrived, for `seconds`."""
    times: list[float] = []
    deadline = time.monotonic() + seconds
    i = 0
    while time.monotonic() < deadline:
        values = [0.99 - 0.001 * ((i + k) % 40 + 1) for k in range(10)]
        i += 10
        times += await page.evaluate(ROUND_TRIPS, ["ravine-beta", "ravine-frame", values, 50])
    return times


async def run(args: argparse.Namespace) -> None:
    port = free_port()
    server = Server(
        Path(tempfile.mkdtemp()) / "panel.log", command=[*serve_command(port), *CLEANUP], port=port
    )
    url = f"{server.url}/ravine"
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            await close_all(await open_pages(browser, url, 3))  # warm: imports, first documents, caches
            await asyncio.sleep(3)
            start_mb = rss_mb(server.process.pid)

            print(f"opening {args.sessions} sessions …", flush=True)
            pages = await open_pages(browser, url, args.sessions)
            await asyncio.sleep(2)
            idle_mb = rss_mb(server.process.pid)
            results = await asyncio.gather(
                *(student(page, args.seconds) for page in pages), return_exceptions=True
            )
            await close_all(pages)
            errors = [repr(r) for r in results if isinstance(r, BaseException)]
            latencies = [t for r in results if not isinstance(r, BaseException) for t in r]

            print(f"load done; opening and closing {args.cycled} more sessions …", flush=True)
            for first in range(0, args.cycled, 20):  # open and close, 20 at a time
                await close_all(await open_pages(browser, url, min(20, args.cycled - first)))
            await browser.close()
        await asyncio.sleep(5)  # unused-session clean-up (every 0.5 s, lifetime 1 s)
        after_mb = rss_mb(server.process.pid)
        server_errors = server.errors()
    finally:
        server.stop()

    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")
    median = statistics.median(ordered) if ordered else float("nan")
    print(
        f"{args.sessions} concurrent sessions on /ravine, {args.seconds:.0f} s (one Chromium, same 2 cores)"
    )
    print(f"  changes answered: {len(latencies)} ({len(latencies) / args.seconds:.0f}/s)")
    print(f"  latency median {median:.0f} ms, p95 {p95:.0f} ms   (target p95 <= 250 ms)")
    print(f"  page errors: {len(errors)}; server log errors: {len(server_errors)}")
    print(f"memory: start {start_mb:.0f} MB, with {args.sessions} idle sessions {idle_mb:.0f} MB")
    print(f"  per idle session: {(idle_mb - start_mb) / args.sessions:.2f} MB")
    print(
        f"  after {args.cycled} more sessions opened and closed: {after_mb:.0f} MB = "
        f"{after_mb / start_mb:.2f}x the start   (target <= 1.10x)"
    )
    for line in (errors + server_errors)[:10]:
        print("  !", line[:300])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--cycled", type=int, default=200)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
