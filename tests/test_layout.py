"""The architecture as a test: every registered figure is wired everywhere, and imports only point down.

Layers, top to bottom: what serves and delivers (routes, pages, embed, export, notebook) → the figures
(`app/figures/`) → the machinery every figure uses (`app/*.py`) → `momentum_core`.
"""

import ast
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from app.embed_page import embed_cards
from app.figure import Figure
from app.figures import FIGURES
from app.page_module import module_path
from app.pages import ROUTES
from app.prose import SECTIONS

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"

#: Modules that deliver figures to a reader; they may import anything below them.
DELIVERY = {"app.pages", "app.embed_page", "app.static_export", "app.notebook", "app.__main__", "app.cli"}


def missing_pieces(key: str, cls: type, shots: set[str], shot_folder: Path) -> list[str]:
    """What figure `key` still lacks to be wired everywhere (docs/adding-a-figure.md), in words."""
    from test_browser_page_modules import PARITY

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    figures_doc = (ROOT / "docs" / "figures.md").read_text(encoding="utf-8")
    route = APP / "routes" / f"{key}.py"
    checks = {
        "subclasses app.figure.Figure, its key the registry's": issubclass(cls, Figure) and cls.key == key,
        "a heading and a caption (class attributes)": bool(cls.heading and cls.caption),
        f'a route: app/routes/{key}.py with serve_figure("{key}")': route.is_file()
        and f'serve_figure("{key}")' in route.read_text(),
        "its section text on / (app/prose.py SECTIONS)": key in SECTIONS,
        "url_fields that are its parameters": all(field in cls.param for field in cls.url_fields),
        f"a page module (Figure.page_module, app/figures/{cls.page_module or key + '.js'})": bool(
            cls.page_module
        )
        and module_path(cls).is_file(),
        "a parity test (tests/test_browser_page_modules.py PARITY)": key in PARITY,
        f"drag_slider naming one of its parameters (now {cls.drag_slider!r})": cls.drag_slider in cls.param,
        "a screenshot shot (scripts/screenshots.py shots())": key in shots,
        f"a screenshot (python scripts/screenshots.py {key})": (shot_folder / f"{key}.png").is_file(),
        "a row in the README's routes table": f"| `/{key}` |" in readme,
        "its screenshot in docs/figures.md": f"(../assets/screenshots/{key}.png)" in figures_doc,
    }
    return [f"{key}: {piece}" for piece, present in checks.items() if not present]


def test_every_registered_figure_has_every_piece_and_one_failure_lists_all_that_lack():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from screenshots import OUT, shots
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    missing = [piece for key, cls in FIGURES.items() for piece in missing_pieces(key, cls, set(shots()), OUT)]
    assert missing == [], "missing:\n" + "\n".join(missing)
    # Nothing left over either: no route, section or screenshot of a figure that is not registered.
    route_files = {path.stem for path in (APP / "routes").glob("*.py")}
    assert route_files == set(ROUTES) == {"explorer", "embed", *FIGURES}
    assert list(SECTIONS) == list(FIGURES), "SECTIONS in the registry's order"
    assert [card.route for card in embed_cards()] == list(FIGURES)
    assert set(shots()) == {*FIGURES, "embed"}


def test_a_figure_lacking_pieces_is_told_all_of_them_at_once(tmp_path):
    """A new figure with only its class: the failure lists every piece, not the first one."""

    class Sketch(Figure):
        key = "sketch"

    missing = missing_pieces("sketch", Sketch, set(), tmp_path)
    assert len(missing) == 10 and all(line.startswith("sketch: ") for line in missing), missing


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The modules of this project that `path` imports (relative imports resolved)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from . import theme`
    return {m for m in found if m.split(".")[0] in ("app", "momentum_core")}


def layer(module: str) -> int:
    """0 momentum_core, 1 machinery, 2 figures, 3 delivery, 4 routes."""
    if module.startswith("momentum_core"):
        return 0
    if module.startswith("app.routes"):
        return 4
    if module in DELIVERY:
        return 3
    if module == "app.figures" or module.startswith("app.figures."):
        return 2
    return 1


def test_the_layout_is_figures_in_their_folder_and_machinery_beside_it():
    figure_modules = {path.stem for path in (APP / "figures").glob("*.py")} - {"__init__"}
    assert set(FIGURES) <= figure_modules, "one module per figure, named as its route"
    assert not (set(FIGURES) & {path.stem for path in APP.glob("*.py")}), "figures live in app/figures/"


@pytest.mark.parametrize(
    "path", sorted([*APP.rglob("*.py"), *(ROOT / "momentum_core").rglob("*.py")]), ids=str
)
def test_imports_only_point_down(path):
    importer = module_name(path)
    known = {module_name(p) for p in [*APP.rglob("*.py"), *(ROOT / "momentum_core").rglob("*.py")]}
    for imported in imports_of(path):
        if imported not in known:
            continue  # a name imported from a module (`from .figure import Figure`), checked via its module
        assert layer(imported) <= layer(importer), f"{importer} (layer {layer(importer)}) imports {imported}"


def test_docs_links_resolve():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for page in pages:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
