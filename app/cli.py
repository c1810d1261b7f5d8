"""`momentum-explorer`: serve the explorable, or write its static copies, from any folder.

    momentum-explorer                              # every route, the article at /, on localhost:5006
    momentum-explorer --port 8080 --address 0.0.0.0 --allow-websocket-origin course.example.org
    momentum-explorer --num-procs 2                # one server process per core
    momentum-explorer export DIR [FIGURE ...]      # self-contained HTML files, no server needed

Serving is `panel serve` of the routes installed with the package (`app/routes/*.py`), the article
(`explorer`) as the index and `app/server_setup.py` run once per process — the same server the
`panel serve app/routes/*.py --index explorer --setup app/server_setup.py` line starts from a checkout.
Any other `panel serve` option (`--liveness`, `--check-unused-sessions MS`, …) passes through as is.
`python -m app` is the same command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

PACKAGE = Path(__file__).parent
#: The routes `panel serve` runs, one file each: the article, every figure, the embed page.
ROUTES = PACKAGE / "routes"
SETUP = PACKAGE / "server_setup.py"


def serve_arguments(options: Sequence[str] = ()) -> list[str]:
    """The `panel serve` command line for the installed package, `options` after it."""
    routes = sorted(str(path) for path in ROUTES.glob("*.py"))
    return ["serve", *routes, "--index", "explorer", "--setup", str(SETUP), *options]


def serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="momentum-explorer",
        description="Serve Momentum Explorer: every figure on its own route, the whole article at /.",
        epilog="`momentum-explorer export DIR [FIGURE ...]` writes the static copies instead "
        "(`momentum-explorer export --help`). Other `panel serve` options pass through.",
    )
    parser.add_argument("--port", type=int, default=5006, help="port to listen on (default: 5006)")
    parser.add_argument("--address", help="address to listen on (default: all, as panel serve)")
    parser.add_argument(
        "--allow-websocket-origin",
        action="append",
        default=[],
        metavar="HOST[:PORT]",
        help="a host pages may be opened from (repeatable; default: localhost at --port)",
    )
    parser.add_argument("--num-procs", type=int, help="server processes to fork (0: one per core)")
    return parser


def export_parser() -> argparse.ArgumentParser:
    from .figures import FIGURES

    parser = argparse.ArgumentParser(
        prog="momentum-explorer export",
        description="Write static, self-contained HTML files that stay interactive with no server: "
        "<figure>.html per figure and index.html (the whole explorable).",
    )
    parser.add_argument("out", type=Path, metavar="DIR", help="output folder (created if missing)")
    only = f"only these (default: all + index), of: {', '.join(FIGURES)}"
    parser.add_argument("figures", nargs="*", metavar="FIGURE", help=only)
    parser.add_argument("--no-explorer", action="store_true", help="skip index.html, the whole explorable")
    return parser


def export(argv: Sequence[str]) -> None:
    from .figures import FIGURES
    from .static_export import export_all

    parser = export_parser()
    args = parser.parse_args(argv)
    if unknown := [name for name in args.figures if name not in FIGURES]:
        parser.error(f"no figure named {', '.join(unknown)}; the figures: {', '.join(FIGURES)}")
    for result in export_all(args.out, args.figures, explorer=not (args.figures or args.no_explorer)):
        figures = ", ".join(f["figure"] for f in result["figures"])
        print(f"{result['file']}: {result['bytes'] / 1e6:.1f} MB, computed in the page: {figures}")


def panel_arguments(argv: Sequence[str]) -> list[str]:
    """`panel`'s command line for `momentum-explorer argv…`: our four options spelled as panel serve
    spells them (one `--allow-websocket-origin` per host), anything else passed through as is."""
    args, passed = serve_parser().parse_known_args(argv)
    options = ["--port", str(args.port)]
    if args.address:
        options += ["--address", args.address]
    for origin in args.allow_websocket_origin:
        options += ["--allow-websocket-origin", origin]
    if args.num_procs is not None:
        options += ["--num-procs", str(args.num_procs)]
    return ["panel", *serve_arguments([*options, *passed])]


def serve(argv: Sequence[str]) -> None:
    from panel.command import main as panel_main

    sys.argv = panel_arguments(argv)
    panel_main()


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["export"]:
        export(argv[1:])
    else:
        serve(argv)


if __name__ == "__main__":
    main()
