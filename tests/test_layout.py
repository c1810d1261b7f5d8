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
DELIVERY = {"app.pages", "app.embed_page", "app.static_export", "app.notebook", "app.__main__"}


def test_every_registered_figure_has_a_route_a_section_an_embed_card_an_export_and_a_screenshot():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from screenshots import OUT, shots
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    route_files = {path.stem for path in (APP / "routes").glob("*.py")}
    assert route_files == set(ROUTES) == {"explorer", "embed", *FIGURES}
    assert list(SECTIONS) == list(FIGURES), "each figure needs its section text on / (prose.SECTIONS)"
    assert [card.route for card in embed_cards()] == list(FIGURES)
    without = [key for key, cls in FIGURES.items() if not cls.page_module]
    assert without == [], f"every figure computes in the page (Figure.page_module): {without} do not"
    for key in FIGURES:
        assert module_path(FIGURES[key]).is_file(), f"{key}: its page module {FIGURES[key].page_module}"
    assert set(shots()) == {*FIGURES, "embed"}
    for key, cls in FIGURES.items():
        assert issubclass(cls, Figure) and cls.key == key and cls.heading and cls.caption
        assert f'serve_figure("{key}")' in (APP / "routes" / f"{key}.py").read_text()
        assert all(field in cls.param for field in cls.url_fields)
        assert (OUT / f"{key}.png").is_file(), f"run scripts/screenshots.py for {key}"


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


def test_docs_links_resolve_and_every_figure_is_documented():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for page in pages:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    figures = (ROOT / "docs" / "figures.md").read_text(encoding="utf-8")
    for key in FIGURES:
        assert f"| `/{key}` |" in readme, f"README's routes table lacks /{key}"
        assert f"(../assets/screenshots/{key}.png)" in figures, f"docs/figures.md lacks {key}'s screenshot"
