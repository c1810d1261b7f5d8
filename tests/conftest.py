import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from glob import glob
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


def serve_command(port: int) -> list[str]:
    """The README's serve command (`panel serve app/routes/*.py --index explorer --setup …`) on `port`."""
    routes = sorted(glob(str(ROOT / "app" / "routes" / "*.py")))
    return [
        sys.executable, "-m", "panel", "serve", *routes,
        "--index", "explorer", "--setup", str(ROOT / "app" / "server_setup.py"),
        "--port", str(port), "--address", "127.0.0.1",
        "--allow-websocket-origin", f"127.0.0.1:{port}", "--allow-websocket-origin", f"localhost:{port}",
    ]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A live `panel serve` of the whole app, with its log."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            serve_command(self.port), cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"panel serve exited:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/ravine", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"panel serve did not answer in time:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text()

    def errors(self) -> list[str]:
        """Lines of the server log that report an exception or error."""
        return [line for line in self.log().splitlines() if re.search(r"Traceback|ERROR|Exception", line)]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    live = Server(tmp_path_factory.mktemp("server") / "panel.log")
    yield live
    live.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    return {
        **browser_type_launch_args,
        "executable_path": chromium,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }  # fmt: skip


@pytest.fixture
def app(page, server):
    from browser import AppPage

    view = AppPage(page, server)
    yield view
    view.assert_clean()
