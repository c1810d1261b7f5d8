"""Static copies opened from disk: how long until a reader sees each file's figure.

    python benchmarks/static_open.py [--runs 3] [--dir EXPORTED] [--files ravine index]
    python benchmarks/static_open.py --profile index    # where the opening's time goes (CPU profile)

Exports every file (`python -m app export`, into a temporary folder unless `--dir` names one already
exported), then opens each in a fresh headless Chromium context (empty cache) `--runs` times,
interleaved, and reports the median time from navigation until every Bokeh view in the page has
painted (for `index.html`: the views built when the page opens — the opening text and the first
section; the other sections are built as the reader nears them) and, for `index.html`, until its
first formula is typeset. `--profile FILE` prints the functions that take the most of one opening.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from live_server import launch_chromium  # noqa: E402

#: Every root view BokehJS built has painted (its plots drawn, its layout done): the file is seen.
PAINTED = """() => {
  if (!window.Bokeh || Bokeh.documents.length === 0) return false;
  const views = [...Bokeh.index];  // its root views
  return views.length > 0 && views.every((view) => view.has_finished());
}"""
#: A formula of the text is typeset (Panel's text is in shadow roots).
TYPESET = """() => {
  const find = (root) =>
    root.querySelector("mjx-container") !== null ||
    [...root.querySelectorAll("*")].some((el) => el.shadowRoot && find(el.shadowRoot));
  return find(document);
}"""


def export(out: Path) -> None:
    subprocess.run([sys.executable, "-m", "app", "export", str(out)], check=True, capture_output=True)


def open_once(browser, path: Path) -> dict[str, float]:
    """Seconds from navigation until painted (and, for the article, typeset)."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(path.as_uri(), wait_until="commit")
        page.wait_for_function(PAINTED, timeout=60_000, polling="raf")
        times = {"painted": page.evaluate("performance.now()") / 1000}
        if path.name == "index.html":
            page.wait_for_function(TYPESET, timeout=60_000, polling="raf")
            times["typeset"] = page.evaluate("performance.now()") / 1000
        return times
    finally:
        context.close()


def profile(browser, path: Path, top: int = 25) -> None:
    """One opening under the V8 CPU profiler: the functions with the most self time, by script."""
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 200})
    cdp.send("Profiler.start")
    page.goto(path.as_uri(), wait_until="commit")
    page.wait_for_function(PAINTED, timeout=60_000, polling="raf")
    painted = page.evaluate("performance.now()")
    result = cdp.send("Profiler.stop")["profile"]
    context.close()
    nodes = {node["id"]: node for node in result["nodes"]}
    deltas = result["timeDeltas"]
    self_ms: collections.Counter = collections.Counter()
    for sample, delta in zip(result["samples"], deltas, strict=True):
        frame = nodes[sample]["callFrame"]
        where = frame["url"].rsplit("/", 1)[-1][:20] or "(page)"
        self_ms[f"{frame['functionName'] or '(anonymous)'} · {where}:{frame['lineNumber']}"] += delta / 1000
    print(f"{path.name}: painted at {painted:.0f} ms; sampled {sum(deltas) / 1000:.0f} ms")
    for name, ms in self_ms.most_common(top):
        print(f"{ms:8.1f} ms  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, help="an export already made (default: export afresh)")
    parser.add_argument("--files", nargs="*", help="file names without .html (default: every file)")
    parser.add_argument("--profile", help="profile one opening of this file (name without .html)")
    args = parser.parse_args()
    out = args.dir or Path(tempfile.mkdtemp()) / "static"
    if args.dir is None:
        export(out)
    names = args.files or sorted(p.stem for p in out.glob("*.html"))
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        if args.profile:
            profile(browser, out / f"{args.profile}.html")
            return
        times: dict[str, list[dict[str, float]]] = {name: [] for name in names}
        for _ in range(args.runs):
            for name in names:
                times[name].append(open_once(browser, out / f"{name}.html"))
        browser.close()
    print(f"{'file':<20} {'size':>8} {'painted':>9} {'typeset':>9}   runs")
    for name, runs in times.items():
        size = (out / f"{name}.html").stat().st_size / 1e6
        painted = statistics.median(run["painted"] for run in runs)
        typeset = statistics.median(run["typeset"] for run in runs) if "typeset" in runs[0] else None
        column = f"{typeset:>7.2f} s" if typeset is not None else f"{'':>9}"
        each = ", ".join(f"{run['painted']:.2f}" for run in runs)
        print(f"{name + '.html':<20} {size:>5.2f} MB {painted:>7.2f} s {column}   ({each})")


if __name__ == "__main__":
    main()
