"""Slider change → new data in the browser, measured inside a real headless Chromium.

    python benchmarks/latency.py [--changes 200]
    python benchmarks/latency.py --every 20     # every enabled slider of every figure route

For each figure the page sets a slider's value (as a drag does) and times, with performance.now(),
until the server's new data for that value has arrived; then the next change. References run in the
same benchmark: (a) the floor, a bare Bokeh app with TCP_NODELAY whose callback writes one number
(and, to show what the data's size alone costs, the same app sending a path: two 1 001-point columns);
(b) the ravine built the stock way (Panel widget + param watcher, default server). Full drags
(changes 4 ms apart, and all at once) check that the app keeps up and ends on the exact final state.

`--every N` instead times every enabled slider of every figure route, N changes each, from the change to
the *last* plotted-data change it causes (BokehJS document events, no polling; a change is done once the
page has been quiet for 100 ms), each slider between two halves of a measurement of the floor.

`--drag` drags every slider of every route at 60 Hz (120 changes) and counts the states computed, the
animation frames that showed a new one, when the last was drawn, the messages the page sent the server
and the server's CPU time over the drag. Where readers are:

    python benchmarks/latency.py --drag --rtt 80          # through a loopback proxy: 80 ms round trip
    python benchmarks/latency.py --drag --busy            # with another process keeping a core busy
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import math
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from browser import DRAG_60HZ, walk  # noqa: E402
from delay_proxy import DelayProxy  # noqa: E402
from live_server import Server, free_port, serve_command  # noqa: E402

import momentum_core as mc  # noqa: E402
from app.figures.ravine import CUT, PROBLEM  # noqa: E402

FIND = """(key) => { for (const doc of Bokeh.documents) for (const m of doc.all_models)
  if (m.name === key || (m.title === key && "value" in m)) return m; return null; }"""

ROUND_TRIPS = f"""async ([sliderKey, sourceKey, values, gapMs]) => {{
  const find = {FIND};
  const slider = find(sliderKey), source = find(sourceKey);
  const times = [];
  for (const v of values) {{
    const arrived = new Promise((resolve, reject) => {{
      const done = () => {{ source.properties.data.change.disconnect(done); resolve(); }};
      source.properties.data.change.connect(done);
      setTimeout(() => reject(new Error("no new data 5 s after setting " + sliderKey + " = " + v)), 5000);
    }});
    const t0 = performance.now();
    slider.value = v;
    await arrived;
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, gapMs));
  }}
  return times;
}}"""

DRAG = f"""async ([sliderKey, sourceKey, values, spacingMs]) => {{
  const find = {FIND};
  const slider = find(sliderKey), source = find(sourceKey);
  let updates = 0, lastArrival = 0;
  source.properties.data.change.connect(() => {{ updates++; lastArrival = performance.now(); }});
  const t0 = performance.now();
  for (const v of values) {{
    slider.value = v;
    if (spacingMs > 0) await new Promise((r) => setTimeout(r, spacingMs));  // 0: all queued at once
  }}
  const sent = performance.now();
  await new Promise((r) => setTimeout(r, 1500));
  return {{updates, drag_ms: sent - t0, settle_ms: Math.max(0, lastArrival - sent)}};
}}"""

CASES = {  # name: (route, slider model, source model, values)
    "ravine (β)": ("ravine", "ravine-beta", "ravine-frame", lambda i: 0.90 + (i % 50) * 0.001),
    "decomposition (α)": ("decomposition", "decomposition-alpha", "decomposition-frame",
                          lambda i: math.log10(1.0 + (i % 50) * 0.01)),  # a log₁₀ α track
    "regions (α)": ("regions", "regions-alpha", "regions-frame", lambda i: 0.5 + (i % 50) * 0.01),
}  # fmt: skip


#: Set a slider to each value in turn (as a drag does) and time, from the change to the *last* change
#: of plotted data it causes (any ColumnDataSource's data, from BokehJS document events: no polling),
#: waiting until the page has been quiet for quietMs. Returns ms per change (null: no data changed).
LAST_DATA_CHANGE = """async ([sliderName, values, quietMs]) => {
  const doc = Bokeh.documents.find((d) => d.get_model_by_name(sliderName) !== null);
  const slider = doc.get_model_by_name(sliderName);
  let last = null;
  const isData = (e) =>
    e.model && e.model.type === "ColumnDataSource" && (e.attr === undefined || e.attr === "data");
  const listener = (event) => {
    const events = event.events || [event];
    if (events.some(isData)) last = performance.now();
  };
  doc.on_change(listener, true);
  const times = [];
  for (const v of values) {
    last = null;
    const t0 = performance.now();
    slider.value = v;
    await new Promise((resolve) => {
      const check = () => {
        const now = performance.now();
        if ((last !== null && now - last >= quietMs) || now - t0 > 5000) resolve();
        else setTimeout(check, 10);
      };
      setTimeout(check, 10);
    });
    times.push(last === null ? null : last - t0);
  }
  doc.remove_on_change(listener);
  return times;
}"""

#: Every enabled Slider of the page: [name, start, end, step, value].
SLIDERS = """() => Bokeh.documents.flatMap((d) => [...d.all_models]
  .filter((m) => m.type === "Slider" && !m.disabled && m.name)
  .map((m) => [m.name, m.start, m.end, m.step, m.value]))"""


def floor_command(port: int) -> list[str]:
    """`bokeh serve` of the floor app (benchmarks/floor_app.py) on `port`."""
    return [sys.executable, "-m", "bokeh", "serve", "benchmarks/floor_app.py", "--port", str(port)]


def stat_fields(pid: int) -> list[str]:
    """The fields of /proc/pid/stat after the command's name (the state is the first)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int, fields: list[str] | None = None) -> float:
    """User + system CPU time the process `pid` has used so far (/proc/pid/stat, or its `fields`)."""
    fields = fields or stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def browser_cpu_seconds() -> float:
    """User + system CPU time used so far by the Chromium processes this benchmark launched (its
    descendants whose command is Chromium: the browser, the GPU/display compositor, the renderers)."""
    children: dict[int, list[int]] = collections.defaultdict(list)
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            fields = stat_fields(pid)
            command = (entry / "cmdline").read_bytes().split(b"\0")[0]
        except OSError:  # the process ended meanwhile
            continue
        children[int(fields[1])].append(pid)
        if b"chrom" in command:
            cpu[pid] = cpu_seconds(pid, fields)
    total, below = 0.0, [os.getpid()]
    while below:
        pid = below.pop()
        total += cpu.get(pid, 0.0)
        below.extend(children[pid])
    return total


def open_route(browser, url: str, ready_model: str, settle_ms: int = 1000, sent: list | None = None):
    """A new page at `url`, once the Bokeh model named `ready_model` exists and `settle_ms` have passed;
    the text frames it sends on its websockets collected in `sent`, if given."""
    page = browser.new_page()
    if sent is not None:
        page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
    page.goto(url)
    page.wait_for_function(f"() => window.Bokeh && ({FIND})({ready_model!r}) !== null", timeout=60_000)
    page.wait_for_timeout(settle_ms)
    return page


def every_slider(
    browser, app_url: str, floor_url: str, changes: int, routes: list[str] | None = None
) -> list[tuple[str, float, float, float]]:
    """(route · slider, median, p95, the floor's median around it) for every enabled slider of every
    figure route. The floor page stays open beside the route's: half of the floor's changes just before
    each slider's, half just after (interleaved), so that the shared machine's drift during a run weighs
    on a slider and on its floor alike."""
    from app.figures import FIGURES

    floor_page = open_route(browser, floor_url, "floor-slider", settle_ms=500)
    floor_values = [0.05 + 0.1 * i for i in range(changes)]

    def floor_times(half: int) -> list[float]:
        chunk = floor_values[half * changes // 2 : (half + 1) * changes // 2]
        return [
            t for t in floor_page.evaluate(LAST_DATA_CHANGE, ["floor-slider", chunk, 100]) if t is not None
        ]

    rows = []
    for route in routes or FIGURES:
        page = open_route(browser, f"{app_url}/{route}", f"{route}-frame")
        for name, start, end, step, value in page.evaluate(SLIDERS):
            floor = floor_times(0)
            times = page.evaluate(LAST_DATA_CHANGE, [name, walk(start, end, step, value, changes), 100])
            floor += floor_times(1)
            measured = [t for t in times if t is not None]
            if measured:
                label = f"/{route} · {name.removeprefix(route + '-')}"
                rows.append((label, *summary(measured), statistics.median(floor)))
        page.close()
    floor_page.close()
    return rows


def drags_60hz(
    browser, app_url: str, server_pid: int, routes: list[str] | None = None, changes: int = 120
) -> list[tuple]:
    """(route · slider, changes, states computed or received, frames that showed a new state, ms from the
    last change to the last data, ms to the frame that showed it, columns the server sent, final state
    exact, messages the page sent the server, the server's CPU ms, Chromium's CPU ms) for a 60 Hz drag of
    every enabled slider of every figure route, each on a fresh page. Chromium's CPU (all its processes)
    runs from the drag's first change until the page has been quiet for 300 ms and its final state been
    checked."""
    from app.figures import FIGURES

    rows = []
    for route in routes or FIGURES:
        page = open_route(browser, f"{app_url}/{route}", f"{route}-frame")
        sliders = page.evaluate(SLIDERS)
        page.close()
        for name, start, end, step, value in sliders:
            sent: list = []
            page = open_route(browser, f"{app_url}/{route}", f"{route}-frame", sent=sent)
            sent.clear()
            cpu, page_cpu = cpu_seconds(server_pid), browser_cpu_seconds()
            result = page.evaluate(DRAG_60HZ, [name, walk(start, end, step, value, changes), 1000 / 60, 300])
            server_ms = 1000 * (cpu_seconds(server_pid) - cpu)
            browser_ms = 1000 * (browser_cpu_seconds() - page_cpu)
            page.close()
            messages = sum(isinstance(f, str) and '"msgtype":"PATCH-DOC"' in f for f in sent)
            label = f"/{route} · {name.removeprefix(route + '-')}"
            fields = ("changes", "paints", "frames", "settle_ms", "drawn_ms", "served", "exact")
            rows.append((label, *(result[field] for field in fields), messages, server_ms, browser_ms))
    return rows


def conditions(rtt: float, busy: bool) -> str:
    """Where a run measured: "loopback" or "80 ms round trip", and ", a core busy"."""
    return (f"{rtt:g} ms round trip" if rtt else "loopback") + (", a core busy" if busy else "")


@contextlib.contextmanager
def busy_core(on: bool) -> Iterator[None]:
    """Another process keeping one of the machine's cores busy (a second reader's browser), if `on`."""
    if not on:
        yield
        return
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        hog.kill()
        hog.wait()


#: Sliders timed on `/` (the whole article) against their own route: a light one, the heaviest ones.
ON_THE_ARTICLE = ("ravine-beta", "regions-kappa", "limits-kappa", "schedules-alpha")


def on_the_article(
    browser, app_url: str, changes: int = 20, rounds: int = 4
) -> list[tuple[str, float, float, bool]]:
    """(slider, median on `/`, median on its route, only its figure's data changed on `/`).

    Both pages stay open and take turns, `rounds` rounds of `changes` changes each, so that the
    machine's drift over a run (this is a shared 2-core machine) weighs on both alike.
    """
    rows = []
    for name in ON_THE_ARTICLE:
        route = name.split("-")[0]
        urls = (f"{app_url}/#{route}", f"{app_url}/{route}")
        pages = [open_route(browser, url, name, settle_ms=1500) for url in urls]
        _, start, end, step, value = next(s for s in pages[0].evaluate(SLIDERS) if s[0] == name)
        values = walk(start, end, step, value, changes * rounds)
        pages[0].evaluate(CHANGED_NAMES_START)
        times: list[list[float]] = [[], []]
        for r in range(rounds):
            for page, kept in zip(pages, times, strict=True):
                chunk = values[r * changes : (r + 1) * changes]
                kept += [t for t in page.evaluate(LAST_DATA_CHANGE, [name, chunk, 100]) if t is not None]
        changed = pages[0].evaluate("() => [...window.__changedNames]")
        only_own = all(n.startswith(route + "-") for n in changed)
        for page in pages:
            page.close()
        rows.append((name, statistics.median(times[0]), statistics.median(times[1]), only_own))
    return rows


#: Record the names of every ColumnDataSource whose data changes from now on.
CHANGED_NAMES_START = """() => { window.__changedNames = new Set();
  for (const doc of Bokeh.documents) doc.on_change((event) => {
    for (const e of event.events || [event])
      if (e.model && e.model.type === "ColumnDataSource")
        window.__changedNames.add(e.model.name || "(unnamed)");
  }, true); }"""


def distinct(values_of, n: int) -> list[float]:
    return [values_of(i) + 1e-6 * (i + 1) for i in range(n)]


def measure(
    browser, url: str, slider: str, source: str, values: list[float], gap_ms: int = 30
) -> list[float]:
    page = open_route(browser, url, source)
    times = page.evaluate(ROUND_TRIPS, [slider, source, values, gap_ms])
    page.close()
    return times


def summary(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), float(np.percentile(times, 95))


def full_drag(browser, url: str, spacing_ms: int) -> dict:
    """Queue 150 β changes `spacing_ms` apart (0: all at once); check the final path equals
    momentum_core's for the last value."""
    page = open_route(browser, url, "ravine-frame")
    values = [round(0.80 + 0.001 * i, 3) for i in range(150)]
    result = page.evaluate(DRAG, ["ravine-beta", "ravine-frame", values, spacing_ms])
    data = page.evaluate(
        f"() => {{ const s = ({FIND})('ravine-frame'); "
        "const d = s.data.get ? Object.fromEntries(s.data) : s.data; "
        "return [Array.from(d.momentum_x), Array.from(d.momentum_y)] }"
    )
    page.close()
    run = mc.heavy_ball(PROBLEM, (-3.0, -1.4), 0.02, values[-1], 1000)
    cut = mc.divergence_step(run - PROBLEM.w_star, bound=CUT)
    expected = run if cut is None else run[:cut]
    plotted = np.column_stack(data)[: len(expected)]  # the frame source pads shorter columns at the end
    result["final_state_exact"] = bool(np.allclose(plotted, expected, rtol=1e-9, atol=1e-12))
    result["changes"] = len(values)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--changes", type=int, default=200, help="slider changes per figure (default 200)")
    parser.add_argument(
        "--every",
        type=int,
        default=0,
        metavar="N",
        help="instead: every enabled slider of every figure route, N changes each, to the last data change",
    )
    parser.add_argument("--routes", nargs="*", help="with --every or --drag: only these figure routes")
    parser.add_argument(
        "--drag",
        action="store_true",
        help="instead: a 60 Hz drag of every slider of every route",
    )
    parser.add_argument(
        "--article", action="store_true", help="instead: sliders on `/` against their own route"
    )
    parser.add_argument(
        "--rtt", type=float, default=0, metavar="MS", help="pages open through a loopback proxy adding MS ms"
    )
    parser.add_argument("--busy", action="store_true", help="another process keeps a core busy meanwhile")
    args = parser.parse_args()
    logs = Path(tempfile.mkdtemp())
    floor_port, stock_port, app_port, proxy_port = free_port(), free_port(), free_port(), free_port()
    stock_command = [
        sys.executable,
        "-m",
        "panel",
        "serve",
        "benchmarks/stock_ravine.py",
        "--port",
        str(stock_port),
    ]
    app_command = serve_command(app_port, also_from=(proxy_port,))
    servers = {
        "app": Server(logs / "app.log", app_command, port=app_port),
        "floor": Server(logs / "floor.log", floor_command(floor_port), "/floor_app", floor_port),
        "stock": Server(logs / "stock.log", stock_command, "/stock_ravine", stock_port),
    }
    proxy = DelayProxy(app_port, args.rtt, port=proxy_port).start() if args.rtt else None
    app_url = proxy.url if proxy else servers["app"].url
    try:
        with sync_playwright() as playwright, busy_core(args.busy):
            from live_server import launch_chromium

            browser = launch_chromium(playwright)
            if args.drag:
                drags = drags_60hz(browser, app_url, servers["app"].process.pid, args.routes)
                browser.close()
                print(f"60 Hz drag, 120 changes 16.7 ms apart; {conditions(args.rtt, args.busy)}")
                print("(targets: frames showing a new state ≥ 95 % of the changes, last drawn ≤ 20 ms after)")
                print(
                    "(to server: messages the page sent it; server ms: its CPU over the drag; "
                    "browser ms: Chromium's, all its processes)"
                )
                head = ("changes", "states", "frames", "data ms", "drawn ms", "served", "exact")
                print(
                    f"{'':40s}"
                    + "".join(f"{h:>9s}" for h in head)
                    + f"{'to server':>10s}{'server ms':>10s}{'browser ms':>11s}"
                )
                for row in drags:
                    (label, sent, paints, frames, settle, drawn, served, exact, messages, server_ms,
                     page_ms) = row  # fmt: skip
                    drawn_text = "—" if drawn is None else f"{drawn:.1f}"
                    print(
                        f"{label:40s}{sent:9d}{paints:9d}{frames:9d}{settle:9.1f}{drawn_text:>9s}"
                        f"{served:9d}{exact!s:>9s}{messages:10d}{server_ms:10.0f}{page_ms:11.0f}"
                    )
                return
            if args.article:
                table = on_the_article(browser, app_url)
                browser.close()
                print("On `/` against the figure's own route, 4 alternating rounds of 20 changes (median ms)")
                print(f"{'':24s} {'on /':>8s} {'route':>8s} {'÷':>6s} {'only its figure repaints':>26s}")
                for name, article, own, only in table:
                    print(f"{name:24s} {article:8.1f} {own:8.1f} {article / own:6.2f} {only!s:>26s}")
                return
            if args.every:
                table = every_slider(
                    browser, app_url, servers["floor"].url + "/floor_app", args.every, args.routes
                )
                browser.close()
                print(f"Every slider: change → last plotted-data change, {args.every} changes each (ms)")
                print("÷ floor: over the floor's median measured around it (targets: median ≤ 3×, p95 ≤ 6×)")
                print(f"{'':44s} {'median':>8s} {'p95':>8s} {'÷ floor':>8s} {'p95 ÷':>8s}")
                for label, med, p95, floor_med in table:
                    print(f"{label:44s} {med:8.1f} {p95:8.1f} {med / floor_med:8.2f} {p95 / floor_med:8.2f}")
                return
            n = args.changes
            floor = measure(browser, servers["floor"].url + "/floor_app", "floor-slider", "floor-source",
                            distinct(lambda i: 0.05 + (i % 50) * 0.1, n))  # fmt: skip
            f_med, f_p95 = summary(floor)
            rows = [("floor: bare Bokeh + TCP_NODELAY, tiny update", f_med, f_p95)]
            payload = measure(browser, servers["floor"].url + "/floor_app?payload=path", "floor-slider",
                              "floor-source", distinct(lambda i: 0.05 + (i % 50) * 0.1, n))  # fmt: skip
            rows.append(("floor with a path's payload (2 × 1 001 float64)", *summary(payload)))
            for name, (route, slider, source, values_of) in CASES.items():
                times = measure(
                    browser, f"{servers['app'].url}/{route}", slider, source, distinct(values_of, n)
                )
                rows.append((f"app: {name}", *summary(times)))
            stock_url = servers["stock"].url + "/stock_ravine"
            stock_values = distinct(CASES["ravine (β)"][3], n)
            stock = measure(browser, stock_url, "stock-beta", "ravine-frame", stock_values)
            rows.append(("stock: ravine (β) with Panel widget, default server", *summary(stock)))
            drags = {
                spacing: full_drag(browser, servers["app"].url + "/ravine", spacing) for spacing in (4, 0)
            }
            browser.close()
    finally:
        if proxy is not None:
            proxy.stop()
        for server in servers.values():
            server.stop()

    print(
        f"Slider change → new data in the browser, {n} changes each (ms; ratio to the floor in the same run)"
    )
    print("(median× and p95× are each divided by the floor's median; targets: ≤ 1.5× and ≤ 3×)")
    print(f"{'':58s} {'median':>8s} {'p95':>8s} {'median×':>8s} {'p95×':>8s}")
    for label, med, p95 in rows:
        print(f"{label:58s} {med:8.1f} {p95:8.1f} {med / f_med:8.2f} {p95 / f_med:8.2f}")
    for spacing, drag in drags.items():
        how = f"{spacing} ms apart" if spacing else "all at once (a burst)"
        print(
            f"\nFull drag, {how}: {drag['changes']} changes sent over {drag['drag_ms']:.0f} ms, "
            f"{drag['updates']} repaints (queued changes fold into one repaint of the latest), "
            f"last data {drag['settle_ms']:.1f} ms after the last change; "
            f"final state exact: {drag['final_state_exact']}"
        )


if __name__ == "__main__":
    import faulthandler

    faulthandler.dump_traceback_later(1200, exit=True)
    main()
