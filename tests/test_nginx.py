"""Scale-out: two `panel serve` instances behind Debian's nginx with deploy/nginx.conf, on loopback."""

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from browser import MODEL_EXISTS, READ_MODEL, BokehPage
from live_server import Server, free_port, serve_command

pytestmark = pytest.mark.browser

CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"
CLIENTS = 6


def render_conf(listen: int, ports: list[int], folder: Path) -> str:
    """deploy/nginx.conf with this test's ports and a private folder for nginx's files."""
    text = CONF.read_text()
    text = text.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    for default, port in zip((5101, 5102), ports, strict=True):  # whole port numbers only (not 51017)
        text = re.sub(rf"127\.0\.0\.1:{default}\b", f"127.0.0.1:{port}", text)
    text = text.replace("/tmp/momentum-nginx", str(folder / "nginx"))
    if os.geteuid() == 0:
        text = "user root;\n" + text  # workers keep access to the private folder
    return text


@pytest.fixture
def cluster(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.fail("Debian's nginx is not installed (scripts/test.sh installs it)")
    listen = free_port()
    instances = []
    try:
        for _ in range(2):
            port = free_port()
            command = [
                *serve_command(port),
                "--use-xheaders",
                "--allow-websocket-origin",
                f"127.0.0.1:{listen}",
            ]
            instances.append(Server(tmp_path / f"panel-{port}.log", command=command, port=port))
        conf = tmp_path / "nginx.conf"
        conf.write_text(render_conf(listen, [s.port for s in instances], tmp_path))
        log = open(tmp_path / "nginx.log", "w")  # noqa: SIM115
        proxy = subprocess.Popen(
            [nginx, "-c", str(conf), "-p", str(tmp_path), "-g", "daemon off;"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{listen}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/ravine", timeout=5):
                    break
            except OSError:
                if proxy.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "nginx.log").read_text()) from None
                time.sleep(0.3)
        yield url, instances
        proxy.terminate()
        proxy.wait(10)
        log.close()
    finally:
        for server in instances:
            server.stop()


def test_sessions_through_nginx_work_and_spread_across_instances(browser, cluster):
    url, instances = cluster
    chosen = []
    for _ in range(CLIENTS):  # each a new student: own cookies, own session
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{url}/ravine?beta=0.9")
        page.wait_for_function(MODEL_EXISTS, arg="ravine-frame", timeout=30_000)
        assert page.evaluate(READ_MODEL, ["ravine-beta", "value"]) == pytest.approx(0.9)
        slider_answers(page)  # the websocket reached the instance that holds this session: it answered
        cookie = {c["name"]: c["value"] for c in context.cookies()}["momentum_backend"]
        chosen.append(int(cookie.rsplit(":", 1)[1]))
        context.close()
    ports = [server.port for server in instances]
    assert sorted(set(chosen)) == sorted(ports)  # round robin for new clients: both instances used
    for server in instances:
        opened = len(re.findall(r"WebSocket connection opened", server.log()))
        assert opened == chosen.count(server.port)  # every websocket went where its page came from
        assert server.errors() == []


def test_a_forged_backend_cookie_cannot_send_requests_elsewhere(cluster):
    url, instances = cluster
    forged = urllib.request.Request(f"{url}/ravine", headers={"Cookie": "momentum_backend=10.0.0.1:22"})
    with urllib.request.urlopen(forged, timeout=30) as response:
        assert response.status == 200  # served by one of the instances, via round robin
        backend = response.headers["Set-Cookie"].split(";")[0].removeprefix("momentum_backend=")
    assert backend in {f"127.0.0.1:{server.port}" for server in instances}


def test_nginx_compresses_the_javascript_a_page_downloads(cluster):
    url, _ = cluster
    request = urllib.request.Request(f"{url}/static/js/bokeh.min.js", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        compressed = len(response.read())
    with urllib.request.urlopen(f"{url}/static/js/bokeh.min.js", timeout=30) as response:
        assert compressed < len(response.read()) / 2


def open_student(browser, url: str):
    """A new student's page of /ravine through nginx, once live; (context, page, instance port)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{url}/ravine")
    page.wait_for_function(MODEL_EXISTS, arg="ravine-frame", timeout=30_000)
    cookie = {c["name"]: c["value"] for c in context.cookies()}["momentum_backend"]
    return context, page, int(cookie.rsplit(":", 1)[1])


def slider_answers(page) -> None:
    """Press a key on the β slider; the page's data changes (its session's instance answered)."""
    view = BokehPage(page)
    before = view.read("ravine-frame", "data")
    page.locator(".ravine-beta .noUi-handle").first.focus()
    page.keyboard.press("ArrowLeft")
    view.wait_until_changed("ravine-frame", "data", before)


def test_one_instance_killed_the_survivor_serves_everyone_and_its_sessions_never_notice(browser, cluster):
    url, instances = cluster
    students = []
    while len({port for *_, port in students}) < 2:  # round robin: a student on each instance
        students.append(open_student(browser, url))
        assert len(students) <= 6
    victim = instances[0]
    survivor = instances[1]
    on_victim = next(s for s in students if s[2] == victim.port)
    on_survivor = [s for s in students if s[2] == survivor.port]

    victim.process.send_signal(signal.SIGKILL)
    killed = time.monotonic()
    for _ in range(4):  # new pages right after the kill: every one is served, by the survivor
        with urllib.request.urlopen(f"{url}/ravine", timeout=10) as response:
            assert response.status == 200
            assert response.headers["Set-Cookie"].startswith(f"momentum_backend=127.0.0.1:{survivor.port};")
    assert time.monotonic() - killed < 10

    # The dead instance's students are told at once; the survivor's keep working, told nothing.
    on_victim[1].locator(".momentum-offline").wait_for(state="visible", timeout=5_000)
    for _, page, _ in on_survivor:
        slider_answers(page)
        assert page.locator(".momentum-offline").count() == 0

    # New students' pages work end to end (their websockets reach the survivor too).
    for _ in range(2):
        context, page, port = open_student(browser, url)
        assert port == survivor.port
        slider_answers(page)
        context.close()

    # A browser whose cookie names the dead instance reloads onto the survivor and works.
    context, page, _ = on_victim
    page.locator(".momentum-offline button", has_text="Reload").click()
    page.wait_for_function(MODEL_EXISTS, arg="ravine-frame", timeout=30_000)
    cookie = {c["name"]: c["value"] for c in context.cookies()}["momentum_backend"]
    assert cookie == f"127.0.0.1:{survivor.port}"
    slider_answers(page)
    assert page.locator(".momentum-offline").count() == 0

    for context, *_ in students:
        context.close()
    assert survivor.errors() == []
