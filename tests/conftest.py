import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_server import CHROMIUM_ARGS, Server, chromium_path


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    live = Server(tmp_path_factory.mktemp("server") / "panel.log")
    yield live
    live.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if chromium_path() is None:
        pytest.fail("Debian's chromium is not installed (scripts/test.sh installs it)")
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": CHROMIUM_ARGS}


@pytest.fixture
def app(page, server):
    from browser import AppPage

    view = AppPage(page, server)
    yield view
    view.assert_clean()
