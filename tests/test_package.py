"""The package as an instructor installs it: a wheel in a fresh virtualenv, `momentum-explorer` run from
an empty folder, far from this checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from browser import AppPage
from live_server import ROOT, Server, free_port

from app.figures import FIGURES
from app.pages import section_title

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the wheel, a virtualenv with it installed). The virtualenv sees the system's packages for the
    dependencies (panel, bokeh, numpy: no download), but `app` and `momentum_core` come from the wheel."""
    where = tmp_path_factory.mktemp("package")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(where / "dist"), str(ROOT)],
        check=True,
    )  # fmt: skip
    (wheel,) = (where / "dist").glob("momentum_explorer-*.whl")
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps"]
    subprocess.run([*pip, "--disable-pip-version-check", str(wheel)], check=True)
    return wheel, venv


def test_the_wheel_carries_the_routes_page_modules_and_static_assets(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for route in ("explorer", "embed", *FIGURES):
        assert f"app/routes/{route}.py" in names
    for figure in FIGURES.values():
        assert f"app/figures/{figure.page_module}" in names, f"{figure.page_module} is not in the wheel"
    for asset in (ROOT / "app" / "static").iterdir():
        assert f"app/static/{asset.name}" in names
    assert "app/server_setup.py" in names
    assert any(name.endswith("entry_points.txt") for name in names)


def test_the_installed_package_is_the_wheel_not_this_checkout(installed, tmp_path):
    _, venv = installed
    code = "import app, momentum_core; print(app.__file__, momentum_core.__file__)"
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert all(Path(path).is_relative_to(venv) for path in where), where


def test_momentum_explorer_serves_the_article_and_a_figure_from_an_empty_folder(installed, tmp_path, page):
    _, venv = installed
    empty = tmp_path / "empty"
    empty.mkdir()
    port = free_port()
    command = [str(venv / "bin" / "momentum-explorer"), "--port", str(port), "--address", "127.0.0.1"]
    server = Server(tmp_path / "serve.log", command, port=port, cwd=empty)
    try:
        app = AppPage(page, server)
        app.open("ravine")
        app.act_and_wait("ravine-frame", lambda: page.evaluate(SET_BETA, "ravine-beta"))
        assert "Momentum\tconverges" in app.text("ravine-readout")
        app.open("", ready="ravine-readout")  # `/` is the article, its first section built with the page
        assert page.get_by_text(section_title("ravine")).first.is_visible()
        app.assert_clean()
        assert list(empty.iterdir()) == [], "serving wrote into the folder it was started from"
    finally:
        server.stop()


def test_momentum_explorer_export_writes_a_static_figure(installed, tmp_path):
    _, venv = installed
    result = subprocess.run(
        [str(venv / "bin" / "momentum-explorer"), "export", "copies", "condition"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert (tmp_path / "copies" / "condition.html").stat().st_size > 100_000
    assert not (tmp_path / "copies" / "index.html").exists()
    assert "condition.html" in result.stdout


#: β set as a drag sets it: the page module repaints the plot.
SET_BETA = """(name) => { for (const doc of Bokeh.documents) { const s = doc.get_model_by_name(name);
  if (s !== null) { s.value = s.value > 0.5 ? s.value - 0.05 : s.value + 0.05; return; } } }"""


def test_the_command_spells_its_options_as_panel_serve_does():
    from app.cli import ROUTES, SETUP, panel_arguments
    from app.figures import FIGURES

    origins = ["--allow-websocket-origin", "a.edu", "--allow-websocket-origin", "b.edu:80"]
    argv = panel_arguments([*origins[:2], "--num-procs", "2", *origins[2:], "--liveness"])
    assert argv[:2] == ["panel", "serve"]
    routes = sorted(str(path) for path in ROUTES.glob("*.py"))
    end = 2 + len(routes)  # every route file, then the index, the setup and the reader's options
    assert sorted(argv[2:end]) == routes and len(routes) == len(FIGURES) + 2  # the figures, / and /embed
    assert argv[end : end + 4] == ["--index", "explorer", "--setup", str(SETUP)]
    options = argv[end + 4 :]
    assert options == [
        "--port", "5006", "--allow-websocket-origin", "a.edu", "--allow-websocket-origin", "b.edu:80",
        "--num-procs", "2", "--liveness",
    ]  # fmt: skip
