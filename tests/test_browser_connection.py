"""The server goes away in the middle of a drag: the page says so, stops taking input, and reloads.

A real classroom loses its server (a crash, a restart, the Wi-Fi): the page must not look alive while
nothing is redrawn. Each test kills its own `panel serve` with SIGKILL while a slider is being dragged.
"""

import signal
import time
from urllib.parse import parse_qs, urlparse

import pytest
from browser import MODEL_EXISTS, BokehPage, drag_handle
from live_server import Server, free_port, serve_command

from app.connection import MESSAGE

pytestmark = pytest.mark.browser

SHOWN_WITHIN_S = 5
FOLLOWING = 4  # Node.DOCUMENT_POSITION_FOLLOWING


@pytest.fixture
def doomed(tmp_path):
    """A server of this test's own, which the test kills; `restart()` brings it back on the same port."""
    port = free_port()
    servers = [Server(tmp_path / "panel-1.log", port=port)]

    def restart() -> Server:
        servers.append(Server(tmp_path / f"panel-{len(servers) + 1}.log", port=port))
        return servers[-1]

    yield servers[0], restart
    for server in servers:
        if server.process.poll() is None:
            server.stop()


def kill_mid_drag(page, server: Server, slider: str) -> float:
    """Drag the slider's handle, SIGKILL the server half-way, keep dragging, release; the time of the kill."""
    killed = []

    def kill_at_half_way(move: int) -> None:
        if move == 6:
            server.process.send_signal(signal.SIGKILL)
            killed.append(time.monotonic())

    drag_handle(page, slider, -72, moves=12, on_move=kill_at_half_way)
    return killed[0]


def press_left_and_wait(view: BokehPage) -> None:
    """Press ← on the focused β slider and wait for the figure's new data (the server answered)."""
    before = view.read("ravine-frame", "data")
    view.page.keyboard.press("ArrowLeft")
    view.wait_until_changed("ravine-frame", "data", before, timeout=15_000)


def assert_offline_banner(page, killed: float) -> None:
    banner = page.locator(".momentum-offline")
    banner.wait_for(state="visible", timeout=SHOWN_WITHIN_S * 1000)
    assert time.monotonic() - killed < SHOWN_WITHIN_S
    assert MESSAGE in banner.inner_text()
    assert page.locator(".momentum-offline button", has_text="Reload").is_visible()
    # The figure takes no more input: its root is inert (no clicks, no keyboard focus).
    inert = page.evaluate(
        "() => Bokeh.index.roots.filter((v) => v.el instanceof HTMLElement).map((v) => v.el.inert)"
    )
    assert inert and all(inert)


def address_state(page, key: str) -> tuple[str, float]:
    """The address bar, and the value of `key` in it."""
    return page.url, float(parse_qs(urlparse(page.url).query)[key][0])


@pytest.mark.parametrize("route, key", [("ravine", "beta"), ("", "ravine_beta")], ids=["ravine", "explorer"])
def test_a_lost_server_is_announced_and_reload_brings_back_the_state_from_the_url(
    browser, doomed, route, key
):
    server, restart = doomed
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    view = BokehPage(page)
    try:
        page.goto(f"{server.url}/{route}?{key}=0.9")
        page.wait_for_function(MODEL_EXISTS, arg="ravine-readout", timeout=60_000)
        # A first gesture, finished: its state reaches the address bar a moment later.
        page.locator(".ravine-beta .noUi-handle").first.focus()
        press_left_and_wait(view)
        page.wait_for_function(
            "(key) => new URL(location.href).searchParams.get(key) !== '0.9'", arg=key, timeout=10_000
        )
        url, saved = address_state(page, key)
        assert view.read("ravine-beta", "value") == pytest.approx(saved, abs=5e-4)

        killed = kill_mid_drag(page, server, "ravine-beta")
        assert_offline_banner(page, killed)
        page.screenshot(path=str(server.log_path.parent / "offline.png"))
        # On a busy machine the server may have written a state of the drag to the address bar before
        # it died: the reload brings back whatever the address bar holds.
        url, saved = address_state(page, key)

        restart()
        # The reloaded page's errors. The dead page's own, until it is replaced, are BokehJS's: a
        # reconnection attempt it schedules may fall after the restart and log that it cannot send.
        errors: list[str] = []
        reloaded: list[bool] = []
        page.on("framenavigated", lambda frame: reloaded.append(True) if frame == page.main_frame else None)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and reloaded else None)
        page.locator(".momentum-offline button").click()
        page.wait_for_function(MODEL_EXISTS, arg="ravine-readout", timeout=60_000)
        assert page.url == url
        assert view.read("ravine-beta", "value") == pytest.approx(saved, abs=5e-4)
        assert page.locator(".momentum-offline").count() == 0
        page.locator(".ravine-beta .noUi-handle").first.focus()
        press_left_and_wait(view)  # live again
        assert errors == []
    finally:
        page.close()


def test_an_embedded_figure_announces_the_lost_server_inside_the_course_page(browser, course_site, tmp_path):
    folder, site = course_site
    site = site.removeprefix("http://")
    port = free_port()
    server = Server(
        tmp_path / "panel.log", command=[*serve_command(port), "--allow-websocket-origin", site], port=port
    )
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    try:
        from bokeh.embed import server_document

        script = server_document(f"{server.url}/ravine")
        (folder / "index.html").write_text(
            f"<!doctype html><html><body><h1>Lecture 3</h1>{script}<p>Questions.</p></body></html>",
            encoding="utf-8",
        )
        page.goto(f"http://{site}/index.html")
        page.wait_for_function(MODEL_EXISTS, arg="ravine-readout", timeout=60_000)
        killed = kill_mid_drag(page, server, "ravine-beta")
        assert_offline_banner(page, killed)
        # The banner stands in the course page right above the figure, below the page's own heading.
        order = page.evaluate(
            """() => { const b = document.querySelector('.momentum-offline');
                       const h = document.querySelector('h1');
                       return [h.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING,
                               b.nextElementSibling.inert]; }"""
        )
        assert order == [FOLLOWING, True]
    finally:
        page.close()
        server.stop()
