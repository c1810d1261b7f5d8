"""`python -m app export [--out DIR] [FIGURE ...]`: write static, self-contained HTML files."""

from __future__ import annotations

import argparse
from pathlib import Path

from .figures import FIGURES
from .static_export import export_all


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser(
        "export", help="write <figure>.html per figure and index.html (the whole explorable)"
    )
    export.add_argument(
        "figures",
        nargs="*",
        choices=[[], *FIGURES],
        metavar="FIGURE",
        help="only these (default: all + index)",
    )
    export.add_argument("--out", type=Path, default=Path("static"), help="output folder (default: static)")
    export.add_argument("--no-explorer", action="store_true", help="skip index.html, the whole explorable")
    args = parser.parse_args(argv)
    for result in export_all(args.out, args.figures, explorer=not (args.figures or args.no_explorer)):
        figures = ", ".join(f["figure"] for f in result["figures"])
        print(f"{result['file']}: {result['bytes'] / 1e6:.1f} MB, computed in the page: {figures}")


if __name__ == "__main__":
    main()
