"""JupyterLab on loopback for tests and benchmarks: a copy of the notebooks folder, its own token,
settings and workspace, as a student's `jupyter lab notebooks/momentum_explorer.ipynb` serves it."""

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from live_server import free_port
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "momentum-test-token"
NOTEBOOK = "notebooks/momentum_explorer.ipynb"
ALL_CELLS_RAN = """() => {
  const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
  return prompts.length > 0 && prompts.every((p) => /\\[\\d+\\]/.test(p.textContent));
}"""


@contextlib.contextmanager
def jupyterlab(folder: Path) -> Iterator[str]:
    """JupyterLab serving a copy of the notebooks folder in `folder` (JupyterLab may save what it
    opens); yields its address."""
    shutil.copytree(ROOT / "notebooks", folder / "notebooks", ignore=shutil.ignore_patterns(".ipynb_*"))
    port = free_port()
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={folder}",
        f"--LabApp.workspaces_dir={folder / 'workspaces'}",
        f"--LabApp.user_settings_dir={folder / 'settings'}",
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(folder / "config"), "PYTHONPATH": str(ROOT)}
    log = open(folder / "jupyterlab.log", "w")  # noqa: SIM115
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=folder)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((folder / "jupyterlab.log").read_text()) from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def run_all_cells(page, url: str) -> None:
    """Open the notebook in `page` and run every cell, as a student does (Run → Run All Cells)."""
    page.goto(f"{url}/lab/tree/{NOTEBOOK}?token={TOKEN}")
    page.locator(".jp-Notebook").wait_for(timeout=90_000)
    # JupyterLab may start (and replace) the notebook's kernel while it opens: run the cells once the
    # kernel it kept is connected and idle, and again if the first request went to a kernel it dropped.
    for attempt in range(2):
        page.get_by_text(re.compile(r"\| Idle")).first.wait_for(timeout=90_000)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
        try:  # every code cell has run (a number in its prompt), the whole explorable included
            page.wait_for_function(ALL_CELLS_RAN, timeout=240_000 if attempt else 120_000)
            return
        except PlaywrightTimeout:
            if attempt:
                raise
