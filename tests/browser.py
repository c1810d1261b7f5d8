"""Driving the live app in Chromium like a person, and reading what it plots."""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import urlparse

import numpy as np

#: The model named `name` in the page's Bokeh documents (a JavaScript expression).
FIND_MODEL = "Bokeh.documents.map((d) => d.get_model_by_name(name)).find((m) => m)"
#: Every element under `root` that matches `selector`, through shadow roots: those in `root` first, then
#: each shadow root's, in document order (a JavaScript function; a snippet puts it in with .replace).
DEEP_QUERY = """function deepQuery(root, selector) {
  const found = [...root.querySelectorAll(selector)];
  for (const el of root.querySelectorAll("*"))
    if (el.shadowRoot) found.push(...deepQuery(el.shadowRoot, selector));
  return found;
}"""
READ_MODEL = """([name, attr]) => {
  for (const doc of Bokeh.documents) {
    const model = doc.get_model_by_name(name);
    if (model === null) continue;
    const plain = (v) => (ArrayBuffer.isView(v) ? Array.from(v) : Array.isArray(v) ? v.map(plain) : v);
    const value = model[attr];
    if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [k, plain(v)]));
    if (value !== null && typeof value === "object" && !Array.isArray(value) && !ArrayBuffer.isView(value))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    return plain(value);
  }
  throw new Error("no model named " + name);
}"""

#: `code` (a function's source) run on `arg`, its result as one JSON string and one base64 string:
#: Playwright checks every value it returns one by one (a second for 30 000 numbers), a string in one
#: piece. Arrays of numbers (eight or more) travel as the float64 bytes of one buffer, bit for bit and
#: at a third of their size as JSON text; the JSON holds [offset, length] in their place. Other numbers
#: past the floats travel as JSON's Infinity / NaN (which Python's json reads).
AS_JSON = """([code, arg]) => {
  const value = (0, eval)(code)(arg);
  if (value === undefined) return ["null", ""];
  const arrays = [];
  let size = 0;
  const pack = (v) => {
    if (typeof v === "number") return Number.isFinite(v) ? v : `\\u0000${v}`;
    if (ArrayBuffer.isView(v)) v = Array.from(v);
    if (Array.isArray(v)) {
      if (v.length < 8 || !v.every((x) => typeof x === "number")) return v.map(pack);
      arrays.push(v);
      size += v.length;
      return {"\\u0000f64": [size - v.length, v.length]};
    }
    if (v === null || typeof v !== "object") return v;
    const packed = {};
    for (const [k, x] of Object.entries(v)) packed[k] = pack(x);
    return packed;
  };
  const text = JSON.stringify(pack(value));
  const numbers = new Float64Array(size);
  let at = 0;
  for (const a of arrays) { numbers.set(a, at); at += a.length; }
  const bytes = new Uint8Array(numbers.buffer);
  const chunks = [];
  for (let i = 0; i < bytes.length; i += 0x8000)
    chunks.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)));
  return [text, btoa(chunks.join(""))];
}"""
NON_FINITE = re.compile(r'"\\u0000(-?Infinity|NaN)"')
PACKED = "\u0000f64"


def evaluate_json(page, code: str, arg: object) -> object:
    """page.evaluate(code, arg) for a large result: through one JSON string and one buffer (AS_JSON)."""
    text, packed = page.evaluate(AS_JSON, [code, arg])
    numbers = np.frombuffer(base64.b64decode(packed), dtype="<f8")

    def unpack(obj: dict) -> object:
        if PACKED in obj:
            at, n = obj[PACKED]
            return numbers[at : at + n].tolist()
        return obj

    return json.loads(NON_FINITE.sub(r"\1", text), object_hook=unpack)


MODEL_EXISTS = """(name) => window.Bokeh !== undefined && Bokeh.documents.length > 0 &&
  Bokeh.documents.some((d) => d.get_model_by_name(name) !== null)"""

#: Whether a figure has been built on the page (its readout exists): sections of `/` are built lazily.
BUILT = "(name) => Bokeh.documents.some((d) => d.get_model_by_name(name + '-readout') !== null)"

MARKERS_DRAWN = """(frame) => {
  const counts = {};
  for (const doc of Bokeh.documents)
    for (const m of doc.all_models)
      if (m.type === "GlyphRenderer" && m.glyph.type === "Scatter" && m.data_source.name === frame)
        counts[m.glyph.x.field] = m.view.indices.count;
  return counts;
}"""

#: Records when the page's documents last changed (a message from the server or a local edit).
WATCH_CHANGES = """() => {
  window.__lastChange = performance.now();
  for (const doc of Bokeh.documents) doc.on_change(() => { window.__lastChange = performance.now(); }, true);
}"""


#: A JS function for the scripts below: `afterEachFrame(onFrame)` calls `onFrame(frameStart)` once each
#: animation frame's callbacks have run (a page module computes a state that came mid-frame in one of
#: them, after the caller's), before that frame's paint, until the returned `stop()`: a ResizeObserver on a
#: 1-px probe that each frame resizes — resize observations run after the animation callbacks and the
#: layout, before the paint. `frameStart` is when that frame's callbacks began.
AFTER_EACH_FRAME = """const afterEachFrame = (onFrame) => {
    let frameStart = 0, wide = false, running = true;
    const probe = document.createElement("div");
    probe.style.cssText =
      "position: fixed; left: 0; top: 0; width: 1px; height: 1px; visibility: hidden; pointer-events: none";
    document.body.append(probe);
    const observer = new ResizeObserver(() => { if (running) onFrame(frameStart); });
    observer.observe(probe);
    const frame = () => {
      if (!running) return;
      frameStart = performance.now();
      wide = !wide;
      probe.style.width = wide ? "2px" : "1px";
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    return () => { running = false; observer.disconnect(); probe.remove(); };
  };"""


#: A 60 Hz drag: set the slider to each value on a 16.7 ms clock, count the repaints (new plotted data in
#: one task, from the page module or from the server: each source's data-change signal), the animation
#: frames that showed a new state (and when the last such frame began, from the last input: `drawn_ms`),
#: and the data changes the server sent (document events: a page module's own changes are not
#: synchronised, so they raise none), until the page is quiet; then check that it ended on the exact
#: final state: the figure's plotted data equals what the same final value gives when set again on its
#: own, after a move away and back (compared as JSON). Sources a figure has the server paint once its
#: sliders rest (`figure.SERVED_AFTER_REST`, /model's network) are left out: they are not on a drag's path.
DRAG_60HZ = """async ([sliderName, values, spacingMs, quietMs]) => {
  AFTER_EACH_FRAME
  const SERVED = "served after rest";
  const doc = Bokeh.documents.find((d) => d.get_model_by_name(sliderName) !== null);
  const slider = doc.get_model_by_name(sliderName);
  const prefix = sliderName.split("-")[0] + "-";
  const plain = (v) => (ArrayBuffer.isView(v) ? Array.from(v) : Array.isArray(v) ? v.map(plain) : v);
  const sources = [...doc.all_models]
    .filter((m) => m.type === "ColumnDataSource" && m.name && m.name.startsWith(prefix))
    .filter((m) => !m.tags.includes(SERVED))  // painted by the server once the sliders rest: not timed
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const entries = (m) => (m.data instanceof Map ? [...m.data.entries()] : Object.entries(m.data));
  const snapshot = () =>
    JSON.stringify(sources.map((m) => [m.name, entries(m).sort().map(([k, v]) => [k, plain(v)])]));
  let paints = 0, frames = 0, served = 0, last = performance.now(), counted = false, dirty = false;
  // The quick layer (app/static/quick_layer.js) draws a state before its data is set on the models:
  // a state it draws counts as painted and shown; its later setting of the same data does not.
  const quick = () => window.__momentumQuick ?? {drawn: 0, committing: false};
  let quickDrawn = quick().drawn;
  const changed = () => {  // one repaint = new data in one task: counted once
    if (quick().committing) return;
    last = performance.now();
    dirty = true;
    if (!counted) { paints++; counted = true; Promise.resolve().then(() => { counted = false; }); }
  };
  const drewQuick = () => {
    const drawn = quick().drawn;
    if (drawn === quickDrawn) return;
    paints += drawn - quickDrawn;
    quickDrawn = drawn;
    last = performance.now();
    dirty = true;
  };
  const isData = (e) =>
    e.model && e.model.type === "ColumnDataSource" && !e.model.tags.includes(SERVED) &&
    (e.attr === undefined || e.attr === "data");
  const fromServer = (event) => { if ((event.events || [event]).some(isData)) served++; };
  // A new state counts for the animation frame that shows it, checked once that frame's animation
  // callbacks have run.
  let shown = null;  // the start of the animation frame that showed the last new state
  const stopFrames = afterEachFrame((frameStart) => {
    drewQuick();
    if (dirty) { frames++; dirty = false; shown = frameStart; }
  });
  const quiet = () => new Promise((resolve) => {
    const check = () => {
      drewQuick();
      return performance.now() - last >= quietMs ? resolve() : setTimeout(check, 10);
    };
    setTimeout(check, quietMs);
  });
  for (const source of sources) source.properties.data.change.connect(changed);
  doc.on_change(fromServer, true);
  const t0 = performance.now();
  for (let i = 0; i < values.length; i++) {
    const due = t0 + i * spacingMs;
    while (performance.now() < due)
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now() - 1)));
    slider.value = values[i];
  }
  const sent = performance.now();
  last = sent;
  await quiet();
  const settle = Math.max(0, last - sent);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const drawn = shown === null ? null : Math.max(0, shown - sent);
  const dragged = snapshot(), dragPaints = paints, dragFrames = frames, dragServed = served;
  stopFrames();
  slider.value = values[0]; last = performance.now(); await quiet();
  slider.value = values[values.length - 1]; last = performance.now(); await quiet();
  for (const source of sources) source.properties.data.change.disconnect(changed);
  doc.remove_on_change(fromServer);
  return {changes: values.length, paints: dragPaints, frames: dragFrames, served: dragServed,
          settle_ms: settle, drawn_ms: drawn, exact: snapshot() === dragged};
}""".replace("AFTER_EACH_FRAME", AFTER_EACH_FRAME)


#: Watching a drag made with the mouse (`MOUSE_WATCH(name)` starts, `MOUSE_WATCHED()` stops and reads).
#: Chromium hands a page a dragging pointer's moves once a frame, just before the frame's animation
#: callbacks (coalesced when several came meanwhile), so each value change the slider gets can be
#: painted in that same frame. Counted after each frame's callbacks (`afterEachFrame`):
#: - `changes`: the slider's value changes;
#: - `frames`: frames that showed a new state (the module painted one, at another value, since the last;
#:   on a page without page modules, the handle at another value);
#: - `with_change`: frames that received a change; `on_time`: those of them that showed the state of the
#:   slider's value as it then was (the last state drawn was computed at that value);
#: - `drawn_ms`: from the last change to the start of the frame that showed its state (null: never).
MOUSE_WATCH = """(name) => {
  AFTER_EACH_FRAME
  const slider = FIND_MODEL;
  const quick = window.__momentumQuick;
  const watch = {changes: 0, frames: 0, with_change: 0, on_time: 0, drawn_ms: null};
  let changedAt = null, valueDrawn = slider.value, valueShown = slider.value, seenChanges = 0;
  const changed = () => {
    watch.changes++;
    changedAt = performance.now();
    watch.drawn_ms = null;
    if (quick === undefined) valueDrawn = slider.value;  // no module: the moved handle is the new state
  };
  const paint = quick?.paint;  // a module computes its state from the slider's value just before
  if (quick !== undefined)
    quick.paint = function (...args) {
      valueDrawn = slider.value;
      return paint.apply(this, args);
    };
  const stopFrames = afterEachFrame((frameStart) => {
    if (valueDrawn !== valueShown) watch.frames++;
    const current = valueDrawn === slider.value;
    if (watch.changes > seenChanges) {
      watch.with_change++;
      if (current) watch.on_time++;
    }
    if (current && changedAt !== null && watch.drawn_ms === null)
      watch.drawn_ms = Math.max(0, frameStart - changedAt);
    seenChanges = watch.changes;
    valueShown = valueDrawn;
  });
  slider.properties.value.change.connect(changed);
  window.__momentumMouseWatch = {watch, stop: () => {
    stopFrames();
    if (quick !== undefined) quick.paint = paint;
    slider.properties.value.change.disconnect(changed);
  }};
}""".replace("AFTER_EACH_FRAME", AFTER_EACH_FRAME).replace("FIND_MODEL", FIND_MODEL)
MOUSE_WATCHED = """() => { const {watch, stop} = window.__momentumMouseWatch; stop(); return watch; }"""


#: A slider's handle (its centre, x and y) and track (its left and right ends), in the viewport's
#: pixels, once the handle is scrolled to the middle of the view.
HANDLE_AND_TRACK = """(name) => {
  const view = Bokeh.index.find_one(FIND_MODEL);
  const root = view.shadow_el ?? view.el;
  const handle = root.querySelector(".noUi-handle"), track = root.querySelector(".noUi-base");
  handle.scrollIntoView({block: "center"});
  const h = handle.getBoundingClientRect(), t = track.getBoundingClientRect();
  return [h.left + h.width / 2, h.top + h.height / 2, t.left, t.right];
}""".replace("FIND_MODEL", FIND_MODEL)


def mouse_path(x: float, left: float, right: float, dx: float, n: int) -> list[float]:
    """n handle positions `dx` pixels apart from x, back and forth between the track's ends (kept a
    move inside them), as a reader drags a slider to and fro."""
    low, high = left + dx, right - dx
    direction = 1 if x - low < high - x else -1
    path = []
    for _ in range(n):
        if not low <= x + direction * dx <= high:
            direction = -direction
        x += direction * dx
        path.append(x)
    return path


def walk(start: float, end: float, step: float, value: float, n: int) -> list[float]:
    """n slider values near `value`, one or a few steps apart, back and forth inside [start, end]."""
    stride = step * max(1, round((end - start) / step / 200))  # about 1/200 of the track per change
    values, v, direction = [], value, 1
    for _ in range(n):
        if not start <= v + direction * stride <= end:
            direction = -direction
        v = min(max(v + direction * stride, start), end)
        values.append(round(v / step) * step if step >= 1 else v)
    return values


def drag_handle(page, control: str, dx: float, moves: int = 10, pause_ms: int = 20, on_move=None) -> None:
    """Press a slider's handle (`.<control> .noUi-handle`) with the mouse and drag it dx pixels in
    `moves` small moves, then release; `on_move(i)` runs after move i (e.g. to stop the server mid-drag)."""
    handle = page.locator(f".{control} .noUi-handle").first
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, moves + 1):
        page.mouse.move(x + dx * i / moves, y)
        page.wait_for_timeout(pause_ms)
        if on_move is not None:
            on_move(i)
    page.mouse.up()


LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
#: How far a column drawn on a log axis may be from momentum_core's float64: it travels as float32
#: (`app.figure.on_log_axis`, rounded to the nearest: 2⁻²⁴ of itself; under a pixel, tests/test_figures.py).
ON_LOG_AXIS_RTOL = 2.0**-24 + 1e-9


#: "plot: label" of each legend entry (of a figure's visible plots, its renderers shown) whose icon
#: canvas has no painted pixel. BokehJS 3.9 draws each legend entry's icon on a canvas of its own.
BLANK_LEGEND_ICONS = """(key) => {
  const blank = [];
  for (const doc of Bokeh.documents)
    for (const fig of doc.all_models) {
      if (fig.type !== "Figure" || !fig.visible || !(fig.name || "").startsWith(key + "-")) continue;
      for (const legend of [...fig.center, ...fig.below, ...fig.right, ...fig.above, ...fig.left]) {
        const view = legend.type === "Legend" && legend.visible ? Bokeh.index.find_one(legend) : null;
        if (!view) continue;
        for (const {glyph, item, label} of view.entries) {
          if (!item.renderers.some((r) => r.visible)) continue;
          const {width, height} = glyph.canvas;
          const pixels = glyph.canvas.getContext("2d").getImageData(0, 0, width, height).data;
          if (!pixels.some((v, i) => i % 4 === 3 && v > 0)) blank.push(`${fig.name}: ${label}`);
        }
      }
    }
  return blank;
}"""


class BokehPage:
    """A page showing Bokeh documents, with its console errors and requests; models read by name."""

    def __init__(self, page) -> None:
        self.page = page
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def read(self, name: str, attr: str):
        return evaluate_json(self.page, READ_MODEL, [name, attr])

    def data(self, name: str) -> dict[str, np.ndarray]:
        """A ColumnDataSource's numeric columns as float arrays (text columns are left out)."""
        columns = self.read(name, "data").items()
        return {k: np.asarray(v, dtype=float) for k, v in columns if not (v and isinstance(v[0], str))}

    def title(self, plot: str) -> str:
        """The title text of the plot named `plot` (drawn on its canvas: not in the page's text)."""
        return self.page.evaluate(f"(name) => {FIND_MODEL}.title.text", plot)

    def ranges(self, plot: str) -> tuple[float, float, float, float]:
        """The plot's x range (start, end) and y range (start, end) as the page has them."""
        ends = "[m.x_range.start, m.x_range.end, m.y_range.start, m.y_range.end]"
        code = f"(name) => {{ const m = {FIND_MODEL}; return {ends}; }}"
        return tuple(self.page.evaluate(code, plot))

    def frame(self, figure: str, source: str = "frame") -> dict[str, np.ndarray]:
        """A figure's per-change arrays (its "frame" source, or another it paints the same way): all
        finite, short ones padded (see `pad`)."""
        columns = self.data(f"{figure}-{source}")
        for name, values in columns.items():
            assert np.isfinite(values).all(), f"non-finite values sent to the browser in {figure}.{name}"
        return columns

    def text(self, name: str) -> str:
        """The visible text of a readout (its table, inside the Div's shadow root)."""
        return self.page.locator(f".{name} table").first.inner_text()

    def click_plot(self, plot: str, fx: float, fy: float) -> None:
        """Click a plot at a fraction (fx, fy) of its canvas, from its top-left corner."""
        box = self.page.locator(f".{plot} .bk-events").first.bounding_box()
        self.page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])

    def page_point(self, plot: str, x: float, y: float) -> tuple[float, float]:
        """Where the data point (x, y) of a plot is on the page, from the plot's own scales."""
        return tuple(
            self.page.evaluate(
                """([name, x, y]) => {
                  for (const doc of Bokeh.documents) {
                    const fig = doc.get_model_by_name(name);
                    if (fig === null) continue;
                    const view = Bokeh.index.find_one(fig);
                    const box = view.canvas_view.el.getBoundingClientRect();
                    const frame = view.frame;
                    return [box.left + frame.x_scale.compute(x), box.top + frame.y_scale.compute(y)];
                  }
                }""",
                [plot, x, y],
            )
        )

    def steady_page_point(self, plot: str, x: float, y: float, tries: int = 50) -> tuple[float, float]:
        """`page_point`, once two readings 100 ms apart agree."""
        point = self.page_point(plot, x, y)
        for _ in range(tries):
            self.page.wait_for_timeout(100)
            point, before = self.page_point(plot, x, y), point
            if point == before:
                break
        return point

    def click_data(self, plot: str, x: float, y: float) -> None:
        self.page.mouse.click(*self.steady_page_point(plot, x, y))

    def drag_data(
        self, plot: str, start: tuple[float, float], end: tuple[float, float], moves: int = 12
    ) -> None:
        """Press the mouse at data point `start` and drag it to `end` in small moves (once the plot is
        where it will stay: on a busy machine the page may still be laying out around it)."""
        x0, y0 = self.steady_page_point(plot, *start)
        x1, y1 = self.page_point(plot, *end)
        self.page.mouse.move(x0, y0)
        self.page.mouse.down()
        for i in range(1, moves + 1):
            self.page.mouse.move(x0 + (x1 - x0) * i / moves, y0 + (y1 - y0) * i / moves)
            self.page.wait_for_timeout(25)
        self.page.mouse.up()

    def markers_drawn(self, figure: str) -> dict[str, int]:
        """Points each scatter of a figure's frame draws ({x column: count}), as its view gives them."""
        return self.page.evaluate(MARKERS_DRAWN, figure + "-frame")

    def blank_legend_icons(self, figure: str) -> list[str]:
        """The legend entries of a figure's visible plots whose icon is not drawn (its renderers shown)."""
        return self.page.evaluate(BLANK_LEGEND_ICONS, figure)

    def wait_until_changed(self, name: str, attr: str, before, timeout: float = 10_000) -> None:
        """Wait until a model property differs from `before` (the server has answered)."""
        self.page.wait_for_function(
            f"([n, a, b]) => JSON.stringify(({READ_MODEL})([n, a])) !== b",
            arg=[name, attr, json.dumps(before, separators=(",", ":"))],
            timeout=timeout,
        )


#: A figure's page module has ended its warm-up (`page_module.LOADER`), by the module's file name.
WARMED = "(name) => (window.__momentumWarmed ?? {})[name]?.done === true"
#: Resolves after the page's next two animation frames.
NEXT_FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"


class AppPage(BokehPage):
    """A page of the live app (its server's log is checked too)."""

    def __init__(self, page, server) -> None:
        super().__init__(page)
        self.server = server

    def open(self, route: str, query: str = "", ready: str | None = None) -> AppPage:
        self.page.goto(f"{self.server.url}/{route}{('?' + query) if query else ''}")
        self.page.wait_for_function(MODEL_EXISTS, arg=ready or f"{route or 'ravine'}-readout", timeout=30_000)
        self.page.evaluate(WATCH_CHANGES)
        self.settle(300)
        return self

    def notices(self) -> str:
        """The text of the warning notices shown at the top of a figure ('' when there are none), each
        read once scrolled to, as a reader does (a figure off the screen is not laid out: no text)."""
        items = self.page.locator(".alert li")
        for i in range(items.count()):
            items.nth(i).scroll_into_view_if_needed()
            self.page.evaluate(NEXT_FRAMES)  # laid out from the frame after it came into view
        return "\n".join(items.nth(i).inner_text() for i in range(items.count()))

    def act_and_wait(self, source: str, action, settle_ms: int = 400) -> None:
        """Do `action` (a click, key presses, a drag) and wait until `source`'s data has changed."""
        before = self.read(source, "data")
        action()
        self.wait_until_changed(source, "data", before)
        self.settle(settle_ms)

    def settle(self, ms: int = 400, timeout: float = 30_000) -> None:
        """Wait until the page has had no document change for `ms` (the server has caught up).

        A fixed sleep is not enough on a slow, shared machine: the server may still be working through
        a burst of key presses when it ends.
        """
        self.page.wait_for_timeout(ms)
        self.page.wait_for_function(
            "(ms) => window.__lastChange === undefined || performance.now() - window.__lastChange >= ms",
            arg=ms,
            polling=50,
            timeout=timeout,
        )

    def built(self, figure: str) -> bool:
        return self.page.evaluate(BUILT, figure)

    def scroll_until_built(self, figure: str) -> None:
        """Scroll down as a reader does until `figure`'s section of `/` has been built."""
        for _ in range(80):
            if self.built(figure):
                break
            self.page.mouse.wheel(0, 1500)
            self.page.wait_for_timeout(150)
        self.page.wait_for_function(BUILT, arg=figure, timeout=30_000)

    def handle(self, control: str):
        return self.page.locator(f".{control} .noUi-handle").first

    def drag_slider(self, control: str, dx: float) -> None:
        """Press the slider's handle with the mouse and drag it dx pixels, in small moves."""
        drag_handle(self.page, control, dx)

    def press_on_slider(self, control: str, key: str, times: int = 1) -> None:
        self.handle(control).focus()
        for _ in range(times):
            self.page.keyboard.press(key)
            self.page.wait_for_timeout(30)

    def external_requests(self) -> list[str]:
        network = [url for url in self.requests if urlparse(url).scheme in ("http", "https", "ws", "wss")]
        return [url for url in network if urlparse(url).hostname not in LOCAL_HOSTS]

    def assert_clean(self) -> None:
        assert self.console_errors == [], self.console_errors
        assert self.external_requests() == [], self.external_requests()
        assert self.server.errors() == [], "\n".join(self.server.errors())


def padded(expected: np.ndarray, frame: dict[str, np.ndarray]) -> np.ndarray:
    """`expected` padded like the app pads its frame columns (repeat the last row to the frame's length)."""
    from app.figure import pad

    length = len(next(iter(frame.values())))
    expected = np.asarray(expected, dtype=float)
    if expected.ndim == 1:
        return pad(expected, length)
    return np.column_stack([pad(column, length) for column in expected.T])


def ravine_state(app: AppPage, figure: str = "ravine") -> tuple[float, float, int, tuple[float, float]]:
    """(α, β, steps, start) shown by a ravine-type figure's controls (α is on a log₁₀ slider)."""
    alpha = 10 ** app.read(f"{figure}-alpha", "value")
    beta = app.read(f"{figure}-beta", "value")
    steps = int(app.read(f"{figure}-steps", "value"))
    start = app.data(f"{figure}-start_point")
    return alpha, beta, steps, (start["x"][0], start["y"][0])


#: Every visible plot of a figure (its name starts with `key`-) that has ink in the two rightmost pixel
#: columns of its canvas (either layer), with how many pixels: what reaches the canvas's edge is cut there
#: (an x axis's last tick label, centred on the frame's edge, once ran past it: "400" read "40").
INK_AT_RIGHT_EDGE = """(key) => {
  const { color2rgba } = Bokeh.require("core/util/color");
  const inked = [];
  for (const doc of Bokeh.documents)
    for (const model of doc.all_models)
      if (model.type === "Figure" && model.visible && (model.name || "").startsWith(key + "-")) {
        const view = Bokeh.index.find_one(model);
        if (!view || view.canvas_view.bbox.width === 0) continue;
        const fill = color2rgba(model.border_fill_color);
        for (const layer of [view.canvas_view.primary, view.canvas_view.overlays]) {
          const { canvas } = layer;
          const data = canvas.getContext("2d").getImageData(canvas.width - 2, 0, 2, canvas.height).data;
          let n = 0;
          for (let i = 0; i < data.length; i += 4) {
            const off = Math.max(...[0, 1, 2].map((c) => Math.abs(data[i + c] - fill[c])));
            if (data[i + 3] > 64 && off > 48) n++;
          }
          if (n > 0) inked.push([model.name, n]);
        }
      }
  return inked;
}"""
