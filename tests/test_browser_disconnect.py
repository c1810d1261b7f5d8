"""A session that disconnects mid-drag is cleaned up, and the server keeps serving the others."""

import time

import pytest
from browser import AppPage
from live_server import Server, free_port, serve_command

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def quick_cleanup_server(tmp_path_factory):
    """The README's serve command, with sessions discarded 1 s after their websocket goes (default 15 s)."""
    log = tmp_path_factory.mktemp("disconnect") / "panel.log"
    port = free_port()
    cleanup = ["--check-unused-sessions", "300", "--unused-session-lifetime", "1000", "--log-level", "debug"]
    command = [*serve_command(port), *cleanup]
    live = Server(log, command=command, port=port)
    yield live
    live.stop()


def discarded(server) -> int:
    return server.log().count("Discarding session")


def test_closing_a_page_mid_drag_discards_its_session(quick_cleanup_server, browser):
    server = quick_cleanup_server
    context = browser.new_context()
    try:
        leaving = context.new_page()
        leaving.goto(f"{server.url}/ravine")
        leaving.wait_for_selector(".ravine-readout table")
        handle = leaving.locator(".ravine-alpha .noUi-handle").first.bounding_box()
        x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
        leaving.mouse.move(x, y)
        leaving.mouse.down()
        for step in range(1, 15):  # in the middle of a drag: changes in flight …
            leaving.mouse.move(x + 4 * step, y)
        before = discarded(server)
        leaving.close()  # … and the page goes away without releasing the mouse
        deadline = time.monotonic() + 15
        while discarded(server) == before and time.monotonic() < deadline:
            time.sleep(0.2)
        assert discarded(server) > before, "the abandoned session was not discarded"

        staying = AppPage(context.new_page(), server)
        staying.open("ravine")
        value = staying.read("ravine-beta", "value")
        staying.act_and_wait(
            "ravine-frame", lambda: staying.press_on_slider("ravine-beta", "ArrowLeft", times=2)
        )
        assert staying.read("ravine-beta", "value") < value
        assert server.errors() == []
    finally:
        context.close()
