"""The /embed page and its snippets, pasted into plain pages the way a teacher would."""

import pytest
from browser import MODEL_EXISTS, READ_MODEL
from live_server import Server, free_port, serve_command

from app.figures import FIGURES

pytestmark = pytest.mark.browser


def snippet(page, route: str, kind: str) -> str:
    return page.locator(f".{route}-embed .{kind}-snippet pre").first.inner_text()


def model_value(frame, name: str, attr: str):
    return frame.evaluate(READ_MODEL, [name, attr])


def wait_for_model(frame, name: str) -> None:
    frame.wait_for_function(MODEL_EXISTS, arg=name, timeout=30_000)


def ravine_frame(page, iframe: str = "iframe"):
    """The frame of an embedded ravine figure, once its page has loaded."""
    page.frame_locator(iframe).first.locator(".ravine-beta .noUi-handle").first.wait_for(timeout=30_000)
    frame = page.frame(url=lambda url: "/ravine" in url)
    wait_for_model(frame, "ravine-frame")
    return frame


def press_and_wait(frame, page, control: str, source: str, key: str) -> None:
    """Press `key` on a slider inside `frame` and wait until `source`'s data changes."""
    before = model_value(frame, source, "data")
    frame.locator(f".{control} .noUi-handle").first.focus()
    page.keyboard.press(key)
    frame.wait_for_function(
        f"([n, b]) => JSON.stringify(({READ_MODEL})([n, 'data'])) !== JSON.stringify(b)",
        arg=[source, before],
        timeout=10_000,
    )


def test_embed_page_lists_every_figure_with_a_preview_and_three_snippets(app):
    app.open("embed", ready="ravine-embed")
    for route, cls in FIGURES.items():
        card = app.page.locator(f".{route}-embed")
        assert cls.heading in card.locator("h3").first.inner_text()
        assert f'src="{app.server.url}/{route}"' in snippet(app.page, route, "iframe")
        assert f'server_document("{app.server.url}/{route}")' in snippet(app.page, route, "server")
        assert f"momentum-explorer export static/ {route}" in snippet(app.page, route, "static")
    assert (
        "--allow-websocket-origin"
        in app.page.locator("code", has_text="--allow-websocket-origin").first.inner_text()
    )


def test_iframe_snippet_follows_the_preview_and_works_pasted_into_a_plain_page(app, tmp_path):
    app.open("embed", ready="ravine-embed")
    frame = ravine_frame(app.page, ".ravine-embed iframe")
    for _ in range(3):
        press_and_wait(frame, app.page, "ravine-beta", "ravine-frame", "ArrowLeft")
    # The preview writes its URL a moment after the gesture; the snippet follows it.
    app.page.locator(".ravine-embed .iframe-snippet pre", has_text="beta=0.987").wait_for(timeout=10_000)
    html = snippet(app.page, "ravine", "iframe")

    course = tmp_path / "course.html"
    course.write_text(f"<!doctype html><html><body><h1>Lecture 3</h1>{html}</body></html>", encoding="utf-8")
    page = app.page.context.new_page()
    page.goto(course.as_uri())
    embedded = ravine_frame(page)
    assert model_value(embedded, "ravine-beta", "value") == pytest.approx(0.987)
    press_and_wait(embedded, page, "ravine-alpha", "ravine-frame", "ArrowRight")
    page.close()


def test_server_document_snippet_works_on_another_origin_with_no_outside_request(page, tmp_path, course_site):
    folder, site = course_site
    port = free_port()
    command = [*serve_command(port), "--allow-websocket-origin", site.removeprefix("http://")]
    server = Server(tmp_path / "panel.log", command=command, port=port, ready_path="/embed")
    try:
        page.goto(f"{server.url}/embed")
        page.locator(".ravine-embed .server-snippet pre").first.wait_for(timeout=30_000)
        code = snippet(page, "ravine", "server").replace(
            f'server_document("{server.url}/ravine")',
            f'server_document("{server.url}/ravine", arguments={{"alpha": "0.05", "beta": "0.8"}})',
        )
        namespace: dict = {}
        exec(code, namespace)  # the teacher's page code, as the snippet gives it
        (folder / "index.html").write_text(
            f"<!doctype html><html><body><h1>Lecture 3</h1>{namespace['script']}</body></html>",
            encoding="utf-8",
        )
        requests: list[str] = []
        course = page.context.new_page()
        course.on("request", lambda r: requests.append(r.url))
        course.goto(f"{site}/index.html")
        wait_for_model(course, "ravine-frame")
        assert 10 ** model_value(course, "ravine-alpha", "value") == pytest.approx(0.05)
        assert model_value(course, "ravine-beta", "value") == pytest.approx(0.8)
        press_and_wait(course, course, "ravine-beta", "ravine-frame", "ArrowLeft")
        course.wait_for_timeout(800)  # longer than the app's URL write delay
        assert course.url == f"{site}/index.html"  # the host page's address is left alone
        assert course.get_by_role("link", name="Read it in the article").count() == 0  # would point here
        local = ("http://127.0.0.1", "ws://127.0.0.1", "data:")
        assert [u for u in requests if not u.removeprefix("blob:").startswith(local)] == []
        assert server.errors() == []
    finally:
        server.stop()
