"""Cold start: how long until a page is interactive, and how much it downloads.

python benchmarks/cold_start.py

Starts the README's `panel serve`, then for "/" (the whole explorable) and two single-figure routes opens a
fresh headless Chromium page (empty cache) and measures, in one run: server start-up, time from navigation
to the figure's first data and readout (interactive), and the bytes transferred. Ratios are to /ravine.
"""

import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from live_server import Server, launch_chromium

PAGES = {"/ravine": "ravine-readout", "/regions": "regions-readout", "/": "custom-readout"}
READY = """name => {
  for (const doc of (window.Bokeh ? Bokeh.documents : [])) {
    const model = doc.get_model_by_name(name);
    if (model && model.text && model.text.includes('<table>')) return true;
  }
  return false;
}"""


def main() -> None:
    started = time.perf_counter()
    server = Server(Path(tempfile.mkdtemp()) / "panel.log")
    startup = time.perf_counter() - started
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for route, ready in PAGES.items():
                context = browser.new_context()  # empty cache: a first visit
                page = context.new_page()
                sizes = []
                page.on("response", lambda r, sizes=sizes: sizes.append(len(r.body()) if r.ok else 0))
                t0 = time.perf_counter()
                page.goto(server.url + route)
                page.wait_for_function(READY, arg=ready, timeout=120_000, polling=20)
                interactive = time.perf_counter() - t0
                page.wait_for_timeout(500)  # let late requests (fonts) land before counting
                results[route] = (interactive, sum(sizes), len(sizes))
                context.close()
            browser.close()
    finally:
        server.stop()
    base_time, base_bytes, _ = results["/ravine"]
    routes = len(list((Path(__file__).resolve().parent.parent / "app" / "routes").glob("*.py")))
    print(f"server start-up (panel serve of {routes} routes): {startup:.2f} s")
    header = ("page", "interactive", "× /ravine", "downloaded", "× /ravine", "requests")
    print(f"{header[0]:<10} {header[1]:>12} {header[2]:>10} {header[3]:>12} {header[4]:>10} {header[5]:>9}")
    for route, (interactive, size, count) in results.items():
        print(
            f"{route:<10} {interactive:>10.2f} s {interactive / base_time:>9.2f}× {size / 1e6:>9.2f} MB "
            f"{size / base_bytes:>9.2f}× {count:>9}"
        )


if __name__ == "__main__":
    main()
