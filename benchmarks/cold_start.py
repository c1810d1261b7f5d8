"""Cold start: how long until a page is interactive, and how much it downloads.

python benchmarks/cold_start.py

Starts the README's `panel serve`, then for "/" (the whole article) and two single-figure routes opens a
fresh headless Chromium page (empty cache) and measures: server start-up, the time from navigation until
the page is interactive — its first figure's data and readout drawn, and a change of its β slider
answered with new data — and the bytes transferred. Each page is opened `--runs` times (default 3,
interleaved); medians are shown, with ratios to /ravine.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from live_server import Server, launch_chromium

PAGES = {"/ravine": "ravine", "/regions": "regions", "/": "ravine"}  # route → the figure that must answer
READY = """name => {
  for (const doc of (window.Bokeh ? Bokeh.documents : [])) {
    const model = doc.get_model_by_name(name);
    if (model && model.text && model.text.includes('<table>')) return true;
  }
  return false;
}"""
#: Move the figure's β slider as the browser does; resolves when its frame has new data.
ANSWERS = """figure => new Promise((resolve) => {
  const doc = Bokeh.documents.find((d) => d.get_model_by_name(figure + '-frame') !== null);
  const frame = doc.get_model_by_name(figure + '-frame');
  const beta = doc.get_model_by_name(figure + '-beta');
  frame.connect(frame.change, () => resolve(true));
  frame.connect(frame.properties.data.change, () => resolve(true));
  beta.value = beta.value - 0.01;
})"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    started = time.perf_counter()
    server = Server(Path(tempfile.mkdtemp()) / "panel.log")
    startup = time.perf_counter() - started
    times: dict[str, list[float]] = {route: [] for route in PAGES}
    downloads: dict[str, tuple[int, int]] = {}
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for _ in range(runs):
                for route, figure in PAGES.items():
                    context = browser.new_context()  # empty cache: a first visit
                    page = context.new_page()
                    sizes = []
                    page.on("response", lambda r, sizes=sizes: sizes.append(len(r.body()) if r.ok else 0))
                    t0 = time.perf_counter()
                    page.goto(server.url + route)
                    page.wait_for_function(READY, arg=f"{figure}-readout", timeout=120_000, polling=20)
                    page.evaluate(ANSWERS, figure)
                    times[route].append(time.perf_counter() - t0)
                    page.wait_for_timeout(500)  # let late requests land before counting
                    downloads[route] = (sum(sizes), len(sizes))
                    context.close()
            browser.close()
    finally:
        server.stop()
    median = {route: statistics.median(values) for route, values in times.items()}
    base_time, (base_bytes, _) = median["/ravine"], downloads["/ravine"]
    routes = len(list((Path(__file__).resolve().parent.parent / "app" / "routes").glob("*.py")))
    print(f"server start-up (panel serve of {routes} routes): {startup:.2f} s")
    header = ("page", "interactive", "× /ravine", "downloaded", "× /ravine", "requests")
    print(f"{header[0]:<10} {header[1]:>12} {header[2]:>10} {header[3]:>12} {header[4]:>10} {header[5]:>9}")
    for route, interactive in median.items():
        size, count = downloads[route]
        print(
            f"{route:<10} {interactive:>10.2f} s {interactive / base_time:>9.2f}× {size / 1e6:>9.2f} MB "
            f"{size / base_bytes:>9.2f}× {count:>9}   (runs: {', '.join(f'{t:.2f}' for t in times[route])})"
        )


if __name__ == "__main__":
    main()
