"""60 Hz drags in JupyterLab, as a student drags the notebook's figures.

    python benchmarks/jupyterlab_drag.py [--busy]

Starts JupyterLab on loopback (tests/jupyter_server.py), opens notebooks/momentum_explorer.ipynb in
Chromium at 1300 × 900 and runs every cell (two figures, then the whole explorable below them), waits
until the outputs' page modules have warmed up, then drags every slider of the notebook's first
ravine and regions figures at 60 Hz (120 changes 16.7 ms apart), twice each, counting as
`latency.py --drag` does: the states computed, the animation frames that showed a new one, when the
last was drawn; and the kernel's CPU over the drag (it computes each state too, for later cells).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from browser import DRAG_60HZ, WARMED, walk  # noqa: E402
from jupyter_server import jupyterlab, run_all_cells  # noqa: E402
from latency import busy_core, cpu_seconds  # noqa: E402
from live_server import launch_chromium  # noqa: E402

#: The figures dragged: the notebook's first of each (the explorable's copies come later in the page).
FIGURES = ("ravine", "regions")
#: The enabled sliders of the first document that holds `figure`'s frame.
SLIDERS = """(figure) => {
  const doc = Bokeh.documents.find((d) => d.get_model_by_name(figure + "-frame") !== null);
  return [...doc.all_models].filter((m) => m.type === "Slider" && !m.disabled && m.name)
    .map((m) => [m.name, m.start, m.end, m.step, m.value]);
}"""


def kernel_cpu() -> float:
    """CPU seconds used so far by the notebook's kernel (the one ipykernel on the machine)."""
    found = subprocess.run(
        ["pgrep", "-f", "ipykernel_launcher"], capture_output=True, text=True
    ).stdout.split()
    return sum(cpu_seconds(int(pid)) for pid in found)


def drags(page, rounds: int = 2) -> list[tuple[str, int, int, int, float | None, float]]:
    """(slider, changes, states, frames, last drawn ms, kernel CPU ms) per drag."""
    rows = []
    for figure in FIGURES:
        for name, start, end, step, value in page.evaluate(SLIDERS, figure):
            for _ in range(rounds):
                cpu = kernel_cpu()
                result = page.evaluate(DRAG_60HZ, [name, walk(start, end, step, value, 120), 1000 / 60, 300])
                page.wait_for_timeout(1000)  # the kernel's last answers
                kernel_ms = 1000 * (kernel_cpu() - cpu)
                rows.append(
                    (
                        name,
                        result["changes"],
                        result["paints"],
                        result["frames"],
                        result["drawn_ms"],
                        kernel_ms,
                    )
                )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--busy", action="store_true", help="another process keeps a core busy meanwhile")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as folder,
        jupyterlab(Path(folder)) as url,
        sync_playwright() as playwright,
    ):
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        run_all_cells(page, url)
        for figure in FIGURES:
            page.wait_for_function(WARMED, arg=f"{figure}.js", timeout=60_000)
        page.wait_for_timeout(2000)
        with busy_core(args.busy):
            rows = drags(page)
        browser.close()
    busy = ", a core busy" if args.busy else ""
    print(f"60 Hz drags in JupyterLab (the notebook run whole), 120 changes 16.7 ms apart{busy}")
    print("(targets: frames showing a new state ≥ 95 % of the changes, last drawn ≤ 20 ms after)")
    print(f"{'':24s}{'changes':>9s}{'states':>9s}{'frames':>9s}{'drawn ms':>9s}{'kernel ms':>10s}")
    for name, changes, states, frames, drawn, kernel_ms in rows:
        drawn_text = "—" if drawn is None else f"{drawn:.1f}"
        print(f"{name:24s}{changes:9d}{states:9d}{frames:9d}{drawn_text:>9s}{kernel_ms:10.0f}")


if __name__ == "__main__":
    main()
