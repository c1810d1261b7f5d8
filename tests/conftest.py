import functools
import http.server
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_server import CHROMIUM_ARGS, Server, chromium_path, free_port


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


@pytest.fixture
def course_site(tmp_path):
    """A plain static web server on its own port: the course site a teacher pastes snippets into."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield tmp_path, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
