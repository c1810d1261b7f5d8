"""A live server for tests, screenshots and benchmarks: the README's serve command on a free port."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def serve_command(port: int, also_from: tuple[int, ...] = ()) -> list[str]:
    """The README's serve command (`momentum-explorer`, app/cli.py: `panel serve app/routes/*.py --index
    explorer --setup app/server_setup.py`) on `port`; pages served through a proxy on loopback port
    `also_from` may open their websocket too. Options added after it pass through to `panel serve`."""
    origins = [f"{host}:{p}" for p in (port, *also_from) for host in ("127.0.0.1", "localhost")]
    return [
        sys.executable, "-m", "app", "--port", str(port), "--address", "127.0.0.1",
        *(arg for origin in origins for arg in ("--allow-websocket-origin", origin)),
    ]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def log_records(text: str) -> list[list[str]]:
    """The log's records: a timestamped line and the lines after it up to the next timestamp."""
    records: list[list[str]] = []
    for line in text.splitlines():
        if STAMP.match(line) or not records:
            records.append([line])
        else:
            records[-1].append(line)
    return records


def benign_race(record: list[str]) -> bool:
    """Bokeh's race between a page that goes away and its session still being attached on a busy server:
    the connection's messages (or its close) arrive while it has no session yet, and Bokeh's
    `ServerConnection.session` asserts (bokeh/server/connection.py). The page is gone; nothing of ours
    ran. Only a traceback that ends in that assertion is this race."""
    tail = [line.strip() for line in record[-4:]]
    return (
        len(tail) == 4
        and tail[-1] == "AssertionError"
        and tail[-3] == "assert self._session is not None"
        and "bokeh/server/connection.py" in tail[0]
    )


class Server:
    """A live server (by default the README's `panel serve` of the whole app), with its log."""

    def __init__(
        self,
        log_path: Path,
        command: list[str] | None = None,
        ready_path: str = "/ravine",
        port: int | None = None,
        cwd: Path = ROOT,
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            command or serve_command(self.port), cwd=cwd, stdout=self._log, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"panel serve exited:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + ready_path, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"panel serve did not answer in time:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text()

    def errors(self) -> list[str]:
        """Lines of the server log that report an exception or error, but for Bokeh's own race
        (`benign_race`)."""
        kept = [line for record in log_records(self.log()) if not benign_race(record) for line in record]
        return [line for line in kept if re.search(r"Traceback|ERROR|Exception", line)]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def chromium_path() -> str | None:
    """Debian's Chromium (Playwright's own browser download is not reachable here)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch_chromium(playwright):
    """A headless Debian Chromium driven by Playwright."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
