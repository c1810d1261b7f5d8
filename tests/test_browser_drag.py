"""A 60 Hz drag on every figure route ends on the exact final state.

The drag sets the slider 16.7 ms apart, as a pointer moving at 60 Hz does, on the slider that costs
the most to repaint on each route; once the page is quiet its plotted data must equal what the final
value gives when set again alone (after a move away and back). The share of states painted is a
timing and is measured by `benchmarks/latency.py --drag`, not asserted here.
"""

import json

import pytest
from browser import (
    AFTER_EACH_FRAME,
    DRAG_60HZ,
    FIND_MODEL,
    HANDLE_AND_TRACK,
    MOUSE_WATCH,
    MOUSE_WATCHED,
    NEXT_FRAMES,
    WARMED,
    walk,
)

from app.figures import FIGURES
from app.page_module import WARM_MS, WARM_STATES

pytestmark = pytest.mark.browser

#: The slider whose repaint costs most on each route (`Figure.drag_slider`).
HEAVIEST = {key: figure.drag_slider for key, figure in FIGURES.items()}


@pytest.mark.parametrize("route", list(HEAVIEST))
def test_a_60hz_drag_ends_on_the_exact_final_state(app, route):
    app.open(route)
    name = f"{route}-{HEAVIEST[route]}"
    values = walk(*(app.read(name, attr) for attr in ("start", "end", "step", "value")), 40)
    result = app.page.evaluate(DRAG_60HZ, [name, values, 1000 / 60, 300])
    assert result["paints"] >= 1
    assert result["exact"], f"{name}: after the drag the page does not show the final value's state"
    # Computed in the page: no columns from the server (no second paint, no Python on the drag's path).
    assert result["served"] == 0, result
    # Every legend still shows its icons (a model change reaching a legend re-renders its entries).
    assert app.blank_legend_icons(route) == []


def test_a_drag_tells_the_server_its_values_at_most_every_100_ms_and_the_last_one(app):
    """The server keeps URL state and clamps; the page computes every state. So while a slider moves its
    changes (and the readouts' texts) leave at most every 100 ms, the newest of each: a 2 s drag at
    60 Hz sends some 20 messages, not one per change (about 150 before) — and the last value lands."""
    sent: list[str] = []
    app.page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
    app.open("ravine")
    name = "ravine-beta"
    values = walk(*(app.read(name, attr) for attr in ("start", "end", "step", "value")), 120)
    sent.clear()
    app.page.evaluate(DRAG_60HZ, [name, values, 1000 / 60, 300])
    app.settle(300)
    headers = [json.loads(frame) for frame in sent if isinstance(frame, str) and frame.startswith('{"msgid"')]
    patches = [h for h in headers if h.get("msgtype") == "PATCH-DOC"]
    assert 10 <= len(patches) <= 30, len(patches)
    app.page.wait_for_function(
        "(v) => Math.abs(Number(new URLSearchParams(location.search).get('beta')) - v) < 1e-9", arg=values[-1]
    )


#: What the page has done before any input: the modules it loaded, each one's warm-up, the states the
#: quick layer drew.
BEFORE_INPUT = """() => [Object.keys(window.__momentumModules ?? {}), window.__momentumWarmed ?? {},
  window.__momentumQuick?.drawn ?? 0]"""


def assert_warmed_to_a_limit(warmed: dict) -> None:
    """A warm-up ends at one of its limits (WARM_STATES states or WARM_MS of computing), not refused."""
    assert not warmed["refused"], warmed
    assert warmed["states"] == WARM_STATES or warmed["ms"] >= WARM_MS, warmed


@pytest.mark.parametrize("route", ["schedules", "regression", "model"])
def test_each_module_warms_up_before_the_first_input_painting_nothing(app, route):
    """Once the page is ready its figure's module computes states near the shown one in idle time (the
    browser compiles its hot code then, not during the reader's first drag); nothing is painted.
    `/model`'s states cost 40–170 ms: a few, within the time allowed."""
    app.open(route)
    app.page.wait_for_function(WARMED, arg=f"{route}.js")
    app.settle(300)
    modules, warmed, drawn = app.page.evaluate(BEFORE_INPUT)
    assert modules == [f"{route}.js"]
    assert_warmed_to_a_limit(warmed[f"{route}.js"])
    assert warmed[f"{route}.js"]["states"] >= 2
    if route == "model":
        assert warmed["model.js"]["states"] < WARM_STATES, warmed  # stopped by the time allowed
    assert drawn == 0
    app.assert_clean()


def test_sections_built_later_on_the_article_warm_up_as_they_arrive(app):
    """On `/` the first section's module warms up once the page is ready; a section built as the reader
    scrolls near it (its figure added to the same document later) warms up when it arrives."""
    app.open("")
    app.page.wait_for_function(WARMED, arg="ravine.js")
    assert "decomposition.js" not in app.page.evaluate("() => window.__momentumWarmed")
    app.page.mouse.wheel(0, 2500)
    app.page.wait_for_function(WARMED, arg="decomposition.js")
    assert_warmed_to_a_limit(app.page.evaluate("() => window.__momentumWarmed['decomposition.js']"))
    app.assert_clean()


@pytest.mark.parametrize("section", ["regions", "schedules"])
def test_drags_on_the_article_end_on_the_exact_final_state(app, section):
    """On `/` the sections below the first are built as they come into view, in a Panel callback: their
    page modules are wired as on their own routes, and the server's URL state follows on the page's own
    document."""
    app.open("", f"#{section}", ready=f"{section}-readout")
    name = f"{section}-{HEAVIEST[section]}"
    values = walk(*(app.read(name, attr) for attr in ("start", "end", "step", "value")), 40)
    for spacing_ms in (1000 / 60, 0):  # a drag, then changes queued at once (they fold on the server)
        result = app.page.evaluate(DRAG_60HZ, [name, values, spacing_ms, 300])
        # Queued at once, a page module computes the last state once: here the one already shown.
        assert result["paints"] >= (0 if not spacing_ms else 1), result
        assert result["exact"], f"{name} on /: after the drag the page does not show the final state"


#: Two changes between two animation frames: the first computed at once, the second once the next frame
#: has shown the first. The states the quick layer had drawn by each of the next three frames' paint
#: (checked after the frames' animation callbacks: `afterEachFrame`).
TWO_CHANGES_IN_ONE_FRAME = """([name, first, second]) => new Promise((resolve) => {
  AFTER_EACH_FRAME
  const slider = Bokeh.documents.map((d) => d.get_model_by_name(name)).find((m) => m !== null);
  const quick = window.__momentumQuick;
  requestAnimationFrame(() => setTimeout(async () => {
    const before = quick.drawn;
    slider.value = first;
    // The callback and its computing run in microtasks of this task (no frame meanwhile).
    for (let i = 0; i < 100 && quick.drawn === before; i++) await Promise.resolve();
    const atOnce = quick.drawn - before;
    slider.value = second;
    const shown = [];
    const stop = afterEachFrame(() => {
      shown.push(quick.drawn - before);
      if (shown.length === 3) { stop(); resolve({atOnce, shown}); }
    });
  }, 0));
})""".replace("AFTER_EACH_FRAME", AFTER_EACH_FRAME)


def test_two_changes_in_one_frame_each_get_a_frame(app):
    """A change that comes after another in the same frame is computed once the next frame has shown
    the first, not at that frame's start, where it would replace the first unseen: the screen shows
    both states, one a frame, as a 60 Hz drag whose changes fall unevenly between frames needs."""
    app.open("ravine")
    app.page.wait_for_function(WARMED, arg="ravine.js")
    value, step = app.read("ravine-beta", "value"), app.read("ravine-beta", "step")
    result = app.page.evaluate(TWO_CHANGES_IN_ONE_FRAME, ["ravine-beta", value - step, value - 2 * step])
    assert result["atOnce"] == 1
    assert result["shown"] == [1, 2, 2], result


#: During a drag, once the slider has changed `after` times: a change of its own between two frames (as
#: the server's or a key's comes), one step along, in a task a few ms after a frame.
CHANGE_BETWEEN_FRAMES = """([name, after]) => {
  const slider = FIND_MODEL;
  let seen = 0;
  const changed = () => {
    if (++seen !== after) return;
    slider.properties.value.change.disconnect(changed);
    requestAnimationFrame(() => setTimeout(() => {
      slider.value = Math.min(slider.end, Math.max(slider.start, slider.value + slider.step));
    }, 4));
  };
  slider.properties.value.change.connect(changed);
}""".replace("FIND_MODEL", FIND_MODEL)


@pytest.mark.parametrize(("route", "control"), [("ravine", "beta"), ("damping", "alpha")])
def test_a_mouse_drag_paints_each_move_in_the_frame_it_arrives(app, route, control):
    """A person's drag, through Chromium's input pipeline: the page gets the pointer's moves as frames
    begin, just before their animation callbacks, and computes and draws each move's state in that same
    frame — also after a change that came between frames (the server's, a key's) left a state that
    frame had yet to show: a module that waited for it to be shown first would show that move, and each
    one after it while the drag goes on, a frame late (/ravine's handle moves once a frame). /damping's
    α redraws nine plots, two of them whole."""
    app.open(route)
    app.page.wait_for_function(WARMED, arg=f"{route}.js")
    name = f"{route}-{control}"
    x, y, left, right = app.page.evaluate(HANDLE_AND_TRACK, name)
    start, end, step = (app.read(name, attr) for attr in ("start", "end", "step"))
    dx = max(1.0, (right - left) * step / (end - start))  # each move a step or more
    far_end = left + dx if x - left > right - x else right - dx
    app.page.mouse.move(x, y)
    app.page.mouse.down()
    app.page.evaluate(MOUSE_WATCH, name)
    app.page.evaluate(CHANGE_BETWEEN_FRAMES, [name, 10])
    app.page.mouse.move(far_end, y, steps=min(60, int(abs(far_end - x) / dx)))
    app.page.evaluate(NEXT_FRAMES)
    watch = app.page.evaluate(MOUSE_WATCHED)
    app.page.mouse.up()
    assert watch["changes"] >= 30, watch
    assert watch["with_change"] >= 30, watch
    assert watch["on_time"] == watch["with_change"], watch
    assert watch["drawn_ms"] is not None and watch["drawn_ms"] < 1000 / 60, watch  # within its frame
