"""Screenshots of every route from a real headless Chromium, for the README: python scripts/screenshots.py"""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from live_server import Server, launch_chromium  # noqa: E402

SHOTS = {
    "ravine": ("ravine", "ravine-readout"),
    "decomposition": ("decomposition?alpha=1.2&beta=0.6", "decomposition-readout"),
    "regions": ("regions?alpha=2.2&beta=0.45", "regions-readout"),
    "condition": ("condition", "condition-readout"),
    "regression": ("regression?iteration=300", "regression-readout"),
    "colorization": ("colorization?iteration=60", "colorization-readout"),
    "limits": ("limits", "limits-readout"),
    "nesterov": ("nesterov?alpha=0.1&beta=0.9&steps=150", "nesterov-readout"),
    "stochastic": ("stochastic?noise=0.1", "stochastic-readout"),
    "physics": ("physics", "physics-readout"),
    "formulations": ("formulations", "formulations-readout"),
    "schedules": ("schedules", "schedules-readout"),
    "hurts": ("hurts", "hurts-readout"),
    "custom": ("custom", "custom-readout"),
    "embed": ("embed", "ravine-embed .iframe-snippet pre"),
}


def main() -> None:
    out = ROOT / "assets" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    server = Server(Path(tempfile.mkdtemp()) / "panel.log")
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1300, "height": 760})
            for name, (route, ready) in SHOTS.items():
                page.goto(f"{server.url}/{route}")
                page.wait_for_selector(f".{ready}" if " " in ready else f".{ready} table")
                page.wait_for_timeout(1200)
                page.screenshot(path=str(out / f"{name}.png"), full_page=name != "embed")
                print("wrote", out / f"{name}.png")
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
