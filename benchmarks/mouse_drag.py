"""60 Hz drags made with the mouse, as a reader drags: every slider of every figure route.

    python benchmarks/mouse_drag.py [--routes ravine damping] [--rtt 80] [--busy]

`latency.py --drag` sets a slider's value from a timer in the page, 120 times 16.7 ms apart, whatever
the frames do. A person's drag reaches the page another way: Chromium hands it the pointer's moves once
a frame, just before the frame's animation callbacks, and merges moves that came meanwhile. Here the
mouse presses a slider's handle and moves it 120 times, 16.7 ms apart, through Chromium's own input
pipeline (DevTools `Input.dispatchMouseEvent`, each sent on time without waiting for the last to be
handled), each move a slider step or more, to and fro along the track. Counted in the page
(tests/browser.py `MOUSE_WATCH`): the value changes the slider got, the animation frames that showed a
new state, the frames that got a change and showed its state (on time), and when the last was drawn.
Each slider on a fresh page at 1300 × 900, once its module has warmed up. First, the floor: the same
drag of a bare Bokeh slider (benchmarks/floor_app.py, no page module), whose frames show what the
browser itself delivers of the moves on this machine.
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
sys.path.insert(0, str(ROOT))

from browser import HANDLE_AND_TRACK, MOUSE_WATCH, MOUSE_WATCHED, NEXT_FRAMES, mouse_path  # noqa: E402
from delay_proxy import DelayProxy  # noqa: E402
from latency import FIND, SLIDERS, busy_core, conditions, cpu_seconds, floor_command  # noqa: E402
from live_server import CHROMIUM_ARGS, Server, chromium_path, free_port, serve_command  # noqa: E402

MOVES = 120
#: Every page module on the page has warmed up (app/page_module.py LOADER), its layers too.
WARMED_UP = """() => {
  const warmed = Object.values(window.__momentumWarmed ?? {});
  return warmed.length > 0 && warmed.every((w) => w.done) && (window.__momentumQuick?.warmUps ?? 0) > 0;
}"""


async def drag(page, control: str, start: float, end: float, step: float) -> dict:
    """Press the handle of `control`, move it MOVES times at 60 Hz, release; what the page counted."""
    x, y, left, right = await page.evaluate(HANDLE_AND_TRACK, control)
    dx = max(1.0, (right - left) * step / (end - start))  # each move a step or more
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.evaluate(MOUSE_WATCH, control)
    devtools = await page.context.new_cdp_session(page)
    sent, t0 = [], time.perf_counter()
    for i, position in enumerate(mouse_path(x, left, right, dx, MOVES)):
        while (wait := t0 + i / 60 - time.perf_counter()) > 0:
            await asyncio.sleep(min(wait, 0.002))
        move = {"type": "mouseMoved", "x": position, "y": y, "button": "left", "buttons": 1}
        sent.append(asyncio.ensure_future(devtools.send("Input.dispatchMouseEvent", move)))
    await asyncio.gather(*sent)
    await page.wait_for_timeout(300)
    await page.evaluate(NEXT_FRAMES)
    watch = await page.evaluate(MOUSE_WATCHED)
    await page.mouse.up()
    await devtools.detach()
    return watch


async def open_warmed(browser, url: str):
    """A new page at 1300 × 900 showing `url`, once its page modules and their layers have warmed up."""
    page = await browser.new_page(viewport={"width": 1300, "height": 900})
    await page.goto(url)
    await page.wait_for_function(WARMED_UP, timeout=60_000)
    return page


async def drags(
    url: str, floor_url: str, server_pid: int, routes: list[str] | None
) -> list[tuple[str, dict]]:
    """The floor's drag, then each slider's of each route (every route by default): (label, counts)."""
    from app.figures import FIGURES

    rows = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1300, "height": 900})
        await page.goto(floor_url)
        await page.wait_for_function(f"() => window.Bokeh && ({FIND})('floor-slider') !== null")
        await page.wait_for_timeout(1000)
        rows.append(("floor: a bare Bokeh slider", await drag(page, "floor-slider", 0, 10, 0.001)))
        await page.close()
        for route in routes or FIGURES:
            page = await open_warmed(browser, f"{url}/{route}")
            sliders = await page.evaluate(SLIDERS)
            await page.close()
            for name, start, end, step, _ in sliders:
                page = await open_warmed(browser, f"{url}/{route}")
                await page.wait_for_timeout(500)
                cpu = cpu_seconds(server_pid)
                watch = await drag(page, name, start, end, step)
                watch["server_ms"] = 1000 * (cpu_seconds(server_pid) - cpu)
                rows.append((f"/{route} · {name.removeprefix(route + '-')}", watch))
                await page.close()
        await browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--routes", nargs="*", help="only these figure routes")
    parser.add_argument(
        "--rtt", type=float, default=0, metavar="MS", help="through a loopback proxy adding MS ms"
    )
    parser.add_argument("--busy", action="store_true", help="another process keeps a core busy meanwhile")
    args = parser.parse_args()
    app_port, proxy_port, floor_port = free_port(), free_port(), free_port()
    logs = Path(tempfile.mkdtemp())
    server = Server(logs / "app.log", serve_command(app_port, also_from=(proxy_port,)), port=app_port)
    floor = Server(logs / "floor.log", floor_command(floor_port), "/floor_app", floor_port)
    proxy = DelayProxy(app_port, args.rtt, port=proxy_port).start() if args.rtt else None
    try:
        with busy_core(args.busy):
            url = proxy.url if proxy else server.url
            rows = asyncio.run(drags(url, floor.url + "/floor_app", server.process.pid, args.routes))
    finally:
        if proxy:
            proxy.stop()
        server.stop()
        floor.stop()
    print(f"Mouse drags, {MOVES} moves 16.7 ms apart; {conditions(args.rtt, args.busy)}")
    print("(frames: that showed a new state; on time: frames that got a change and showed its state;")
    print(" server ms: the app server's CPU over the drag, on this machine's two cores with the browser)")
    head = ("moves", "changes", "frames", "got one", "on time", "drawn ms", "server ms")
    print(f"{'':34s}" + "".join(f"{h:>9s}" for h in head[:-1]) + f"{head[-1]:>10s}")
    for label, w in rows:
        drawn = "—" if w["drawn_ms"] is None else f"{w['drawn_ms']:.1f}"
        server = f"{w['server_ms']:.0f}" if "server_ms" in w else "—"
        counts = "".join(
            f"{n:9d}" for n in (MOVES, w["changes"], w["frames"], w["with_change"], w["on_time"])
        )
        print(f"{label:34s}{counts}{drawn:>9s}{server:>10s}")
    figures = rows[1:]
    frames = [w["frames"] for _, w in figures]
    lost = sum(w["changes"] - w["frames"] for _, w in figures)
    late = sum(w["with_change"] - w["on_time"] for _, w in figures)
    print(
        f"{len(figures)} drags of figures. Frames showing a new state: median {statistics.median(frames):g},"
        f" lowest {min(frames)}, ≥ {round(0.95 * MOVES)} in {sum(f >= round(0.95 * MOVES) for f in frames)}."
        f" Changes never shown: {lost}. Frames that got a change and showed an older state: {late}."
    )


if __name__ == "__main__":
    main()
