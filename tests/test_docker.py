"""The Dockerfile: linted here, its command line run outside Docker, and built when Docker is present."""

import json
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
from live_server import Server, free_port

DOCKERFILE = (Path(__file__).resolve().parent.parent / "Dockerfile").read_text()


def instruction(name: str) -> list[str]:
    return [line.split(None, 1)[1] for line in DOCKERFILE.splitlines() if line.startswith(name + " ")]


def test_dockerfile_follows_the_deployment_rules():
    assert instruction("FROM") == ["python:3.11-slim"]
    assert instruction("USER") == ["explorer"]  # not root
    assert any("--no-cache-dir ." in run for run in instruction("RUN"))  # only the runtime dependencies
    assert not any("[test]" in run for run in instruction("RUN"))
    assert "/liveness" in instruction("HEALTHCHECK")[0]
    assert "PORT=5006" in DOCKERFILE and "ALLOW_WEBSOCKET_ORIGIN" in DOCKERFILE
    command = json.loads(instruction("CMD")[0])
    assert command[:2] == ["sh", "-c"] and "--liveness" in command[2]
    assert "${PORT}" in command[2] and "${ALLOW_WEBSOCKET_ORIGIN}" in command[2]


def test_the_image_command_line_serves_with_port_and_origin_from_the_environment(monkeypatch, tmp_path):
    port = free_port()
    monkeypatch.setenv("PORT", str(port))
    monkeypatch.setenv("ALLOW_WEBSOCKET_ORIGIN", f"127.0.0.1:{port}")
    command = json.loads(instruction("CMD")[0])
    command[2] = command[2].replace("--address 0.0.0.0", "--address 127.0.0.1")  # loopback only in tests
    server = Server(tmp_path / "panel.log", command=command, port=port, ready_path="/liveness")
    try:
        with urllib.request.urlopen(f"{server.url}/liveness", timeout=10) as response:
            assert response.status == 200
        with urllib.request.urlopen(f"{server.url}/ravine", timeout=30) as response:
            assert response.status == 200 and b"bokeh" in response.read().lower()
        assert re.search(rf"Bokeh app running at: http://127.0.0.1:{port}/", server.log())
        assert server.errors() == []
    finally:
        server.stop()


def docker_daemon_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode == 0


@pytest.mark.skipif(not docker_daemon_answers(), reason="no Docker daemon on this machine")
def test_the_image_builds():
    root = Path(__file__).resolve().parent.parent
    subprocess.run(["docker", "build", "-t", "momentum-explorer-test", str(root)], check=True, timeout=1200)
