"""Screenshots from a real headless Chromium, for the README and docs/figures.md.

    python scripts/screenshots.py              # every registered figure and /embed
    python scripts/screenshots.py ravine limits  # only these (the others' files are left as they are)

One per registered figure (`app.figures.FIGURES`), in the state its `showcase` query names; and `/embed`.
"""

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from live_server import Server, launch_chromium  # noqa: E402

from app.figures import FIGURES  # noqa: E402

OUT = ROOT / "assets" / "screenshots"


def shots() -> dict[str, tuple[str, str]]:
    """Screenshot name → (route with its query, a CSS selector that shows the page is drawn)."""
    figures = {
        key: (f"{key}?{cls.showcase}" if cls.showcase else key, f".{key}-readout table")
        for key, cls in FIGURES.items()
    }
    return {**figures, "embed": ("embed", ".ravine-embed .iframe-snippet pre")}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"only these, of: {', '.join(shots())}")
    wanted = parser.parse_args(argv).names or list(shots())
    if unknown := [name for name in wanted if name not in shots()]:
        parser.error(f"no screenshot named {', '.join(unknown)}; the names: {', '.join(shots())}")
    OUT.mkdir(parents=True, exist_ok=True)
    server = Server(Path(tempfile.mkdtemp()) / "panel.log")
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1300, "height": 760})
            for name in wanted:
                route, ready = shots()[name]
                page.goto(f"{server.url}/{route}")
                page.wait_for_selector(ready)
                page.wait_for_timeout(1200)
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=name != "embed")
                print("wrote", OUT / f"{name}.png")
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
