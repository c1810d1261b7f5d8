"""The quick layer (app/static/quick_layer.js): while a reader drags, a plot's changed lines and dots are
drawn at once on a canvas of their own; once the state rests, BokehJS paints it and that canvas is
cleared. What the reader sees mid-drag must be what BokehJS then paints, where BokehJS would paint it."""

import io

import numpy as np
import pytest
from browser import AFTER_EACH_FRAME, DRAG_60HZ, FIND_MODEL, WARMED, walk
from PIL import Image
from test_browser_ravine import assert_plot_matches_core

pytestmark = pytest.mark.browser

#: Hold every drawn state until `commit()` (a reader who never lets go), or rest as the page does.
HOLD = "(ms) => { window.__momentumQuick.restMs = ms; }"


def hold(app, slider: str) -> None:
    """Hold every state drawn from now on (the layer exists once a module has run: a key press and back)."""
    app.press_on_slider(slider, "ArrowRight")
    app.press_on_slider(slider, "ArrowLeft")
    app.settle(600)
    app.page.evaluate(HOLD, 1e9)


COMMIT = "() => window.__momentumQuick.commit()"

#: A JS function: `painted(canvas)`, the canvas's pixels that are not transparent.
PAINTED = """const painted = (canvas) => {
  const {data} = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let count = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count++;
  return count;
};"""

#: The pixels of every quick canvas in the page that are not transparent.
QUICK_PIXELS = """() => {
  PAINTED
  return [...window.__momentumQuick.canvases].reduce((sum, canvas) => sum + painted(canvas), 0);
}""".replace("PAINTED", PAINTED)

#: Where a plot is on the page (its canvas), from its Bokeh view.
PLOT_BOX = """(name) => {
  for (const doc of Bokeh.documents) {
    const fig = doc.get_model_by_name(name);
    if (fig === null) continue;
    const box = Bokeh.index.find_one(fig).canvas_view.el.getBoundingClientRect();
    return {x: box.left, y: box.top, width: box.width, height: box.height};
  }
}"""


#: Counts the primary-canvas paints of each plot on the page from now on (PAINTS: the most of any plot).
COUNT_PAINTS = """() => {
  window.__primaryPaints = [];
  for (const doc of Bokeh.documents)
    for (const m of doc.all_models)
      if (m.type === "Figure") {
        const view = Bokeh.index.find_one(m);
        if (view == null || view.__counted) continue;
        const paint = view._paint_primary.bind(view), i = window.__primaryPaints.push(0) - 1;
        view._paint_primary = (ctx) => { window.__primaryPaints[i]++; paint(ctx); };
        view.__counted = true;
      }
}"""
PAINTS = "() => Math.max(...window.__primaryPaints)"

LOSS_END = "() => Bokeh.documents[0].get_model_by_name('custom-loss').x_range.end"


def plot_image(app, plot: str) -> np.ndarray:
    box = app.page.evaluate(PLOT_BOX, plot)
    shot = app.page.screenshot(clip=box)
    return np.asarray(Image.open(io.BytesIO(shot)).convert("RGB"), dtype=float)


def blocks(image: np.ndarray, size: int = 6) -> np.ndarray:
    """Mean colour of each size × size block: a line drawn a fraction of a pixel elsewhere, or
    anti-aliased differently, changes a block little; a line in the wrong place or colour, a lot."""
    h, w = (image.shape[0] // size) * size, (image.shape[1] // size) * size
    return image[:h, :w].reshape(h // size, size, w // size, size, 3).mean(axis=(1, 3))


def differing_blocks(a: np.ndarray, b: np.ndarray, level: float = 24.0) -> float:
    """The share of blocks whose mean colour differs by more than `level` (of 255) in some channel."""
    return float((np.abs(blocks(a) - blocks(b)).max(axis=2) > level).mean())


def drag_held(app, slider: str, plot: str, dx: float, count: str) -> tuple[np.ndarray, np.ndarray]:
    """Hold the state, run the JS `count` (given the plot's name), drag `slider` dx pixels: the plot's
    image before the drag and as held after it."""
    hold(app, slider)
    app.page.evaluate(count, plot)
    before = plot_image(app, plot)
    app.drag_slider(slider, dx)
    app.page.wait_for_timeout(300)
    return before, plot_image(app, plot)


def assert_rests_as_held(app, plot: str, before: np.ndarray, held: np.ndarray) -> None:
    """Let the held state rest: BokehJS paints what the layer showed (the drag changed the plot)."""
    app.page.evaluate(COMMIT)
    app.page.wait_for_timeout(400)
    assert app.page.evaluate(QUICK_PIXELS) == 0
    painted = plot_image(app, plot)
    assert differing_blocks(before, painted) > 0.01
    assert differing_blocks(held, painted) < 0.002, "the layer drew the plot, or a part of it, elsewhere"


def test_a_drag_is_drawn_by_the_quick_layer_as_bokeh_then_paints_it(app):
    app.open("ravine")
    hold(app, "ravine-beta")
    before = plot_image(app, "ravine-plot")
    drawn = app.page.evaluate("() => window.__momentumQuick.drawn")
    app.drag_slider("ravine-beta", 120)
    app.page.wait_for_timeout(300)
    # The reader still holds the state: it is on the quick canvas, not yet on the plot's models.
    assert app.page.evaluate("() => window.__momentumQuick.drawn") > drawn
    assert app.page.evaluate(QUICK_PIXELS) > 500
    held = plot_image(app, "ravine-plot")
    app.page.evaluate(COMMIT)
    app.page.wait_for_timeout(300)
    painted = plot_image(app, "ravine-plot")
    assert app.page.evaluate(QUICK_PIXELS) == 0, "the quick canvas is cleared once BokehJS paints"
    assert_plot_matches_core(app)
    # The drag changed the picture, and what the quick layer showed is what BokehJS painted.
    assert differing_blocks(before, painted) > 0.01
    assert differing_blocks(held, painted) < 0.002, "the quick layer drew elsewhere than BokehJS"


def test_a_state_rests_by_itself(app):
    """Without a hold, the page paints the state with BokehJS once no new one has come for a moment."""
    app.open("ravine")
    app.drag_slider("ravine-alpha", -80)
    app.settle(600)
    assert app.page.evaluate(QUICK_PIXELS) == 0
    assert_plot_matches_core(app)


def test_new_axes_are_painted_at_once_and_the_paths_drawn_on_them(app):
    """A state that moves a plot's axes (/custom's steps set its loss plot's range): BokehJS paints the
    new axes at once, and the layer draws the paths over them on the new scales."""
    app.open("custom")
    hold(app, "custom-alpha")
    end = app.page.evaluate(LOSS_END)
    app.press_on_slider("custom-steps", "ArrowRight", 3)
    app.page.wait_for_timeout(400)
    assert app.page.evaluate(LOSS_END) != end, "the range is set at once"
    assert app.page.evaluate(QUICK_PIXELS) > 500
    held = plot_image(app, "custom-loss")
    app.page.evaluate(COMMIT)
    app.page.wait_for_timeout(300)
    assert app.page.evaluate(QUICK_PIXELS) == 0
    assert differing_blocks(held, plot_image(app, "custom-loss")) < 0.002


@pytest.mark.parametrize("route, slider", [("regions", "alpha"), ("stochastic", "steps")])
def test_drags_back_and_forth_end_where_the_reader_left_them(app, route, slider):
    """Two 60 Hz drags, the second back through the state the first ended on: a module that reads back
    what it painted (/regions' marker, whose move sets the sliders) must read the state it drew, not
    the one the models had before the drag rested."""
    app.open(route)
    name = f"{route}-{slider}"
    values = walk(*(app.read(name, attr) for attr in ("start", "end", "step", "value")), 60)
    for _ in range(2):
        result = app.page.evaluate(DRAG_60HZ, [name, values, 1000 / 60, 300])
        assert result["exact"], result
        assert app.read(name, "value") == values[-1]
        assert result["served"] == 0


@pytest.mark.parametrize("route, slider, plot", [("regions", "kappa", "map")])
def test_what_a_drag_leaves_is_what_the_page_opens_with(app, route, slider, plot):
    """After a 60 Hz drag has rested, the plot is what a page opened at the same address (the server's
    first paint from Python) shows: nothing the drag changed was left undrawn (/regions' map, whose
    codes a module rewrites in place), nothing stale left on the quick canvas."""
    app.open(route)
    name = f"{route}-{slider}"
    values = walk(*(app.read(name, attr) for attr in ("start", "end", "step", "value")), 60)
    app.page.evaluate(DRAG_60HZ, [name, values, 1000 / 60, 300])
    app.settle(600)
    app.page.wait_for_function("(v) => location.search.includes(v)", arg=f"{slider}=", timeout=10_000)
    dragged = plot_image(app, f"{route}-{plot}")
    app.open(route, app.page.evaluate("() => location.search.slice(1)"))
    app.settle(600)
    assert differing_blocks(dragged, plot_image(app, f"{route}-{plot}")) < 0.002


#: The text of every plot title in the page.
TITLES = """() => Bokeh.documents.flatMap((d) => [...d.all_models])
  .filter((m) => m.type === "Title" && m.text).map((m) => m.text).sort()"""


def page_image(app) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(app.page.screenshot(full_page=True))).convert("RGB"), dtype=float)


@pytest.mark.parametrize(
    "route, slider, changes, retitled",
    [
        ("damping", "alpha", 40, True),
        ("regions", "kappa", 30, False),
        ("colorization", "pixels", 60, False),
        ("regression", "degree", -160, True),
        ("regression", "iteration", 150, True),
        ("stochastic", "alpha", 150, False),
    ],
)
def test_plots_whose_axes_move_are_drawn_whole(app, route, slider, changes, retitled):
    """/damping's α moves the axes of its twelve plots and retitles nine; /regions' κ recolours its map
    (an image) and moves its colour bar's scale; /colorization's pixels change the pixel rows' range and
    their 2n rects' colours: the layer draws those plots whole (fills, grids, axes,
    titles, colour bar, image, paths) on the held ranges, as BokehJS then paints them. /regression's
    degree shows and hides curves, moves the eigenfeatures' axes and retitles them; its iteration
    retitles them alone (the layer paints those titles alone). /stochastic's α moves its axes and shows
    and hides a run's noise floor, in a plot with a legend (one that does not grey hidden curves).
    BokehJS paints none of them again, and no state is handed to it, while the state is held. (In a
    window tall enough for every plot: one out of sight is not drawn while a state is held.)"""
    app.open(route)
    # Every plot in sight (one out of sight is not drawn while a state is held): a window as tall as the page.
    height = app.page.evaluate("() => document.documentElement.scrollHeight")
    app.page.set_viewport_size({"width": 1280, "height": height})
    hold(app, f"{route}-{slider}")
    before, titles = page_image(app), app.page.evaluate(TITLES)
    app.page.evaluate(COUNT_PAINTS)
    app.drag_slider(f"{route}-{slider}", changes)
    app.page.wait_for_timeout(300)
    # Once, where the layer takes a plot's changed glyphs (the β bar's critical marks); not per state.
    assert app.page.evaluate(PAINTS) <= 1, "BokehJS repainted a plot while the state was held"
    assert app.page.evaluate("() => [...window.__momentumQuick.byBokeh.keys()]") == []
    held = page_image(app)
    assert (app.page.evaluate(TITLES) != titles) == retitled, "the titles are held on their models"
    app.page.evaluate(COMMIT)
    app.page.wait_for_timeout(400)
    assert app.page.evaluate(QUICK_PIXELS) == 0
    painted = page_image(app)
    assert differing_blocks(before, painted) > 0.01
    # At most a few 6 px blocks of the page apart (a title drawn over the old one, not covering it: 22).
    moved = differing_blocks(held, painted) * blocks(held)[..., 0].size
    assert moved <= 10, "the layer drew a plot, an axis or a title elsewhere"


#: Count each axis's paints in the plot `name` (by the axis's model type): AXIS_PAINTS reads them.
COUNT_AXIS_PAINTS = """(name) => {
  const find = (name) => FIND_MODEL;
  window.__axisPaints = {};
  for (const view of Bokeh.index.find_one(find(name)).computed_renderer_views) {
    if (!view.model.type.endsWith("Axis")) continue;
    const paint = view._paint.bind(view), type = view.model.type;
    window.__axisPaints[type] = 0;
    view._paint = (ctx) => { window.__axisPaints[type]++; paint(ctx); };
  }
}""".replace("FIND_MODEL", FIND_MODEL)
AXIS_PAINTS = "() => window.__axisPaints"


def test_an_axis_a_drag_leaves_alone_is_drawn_from_its_picture(app):
    """/stochastic's steps move the x axis of its plot, drawn whole on the layer, and leave its log y axis
    as it was: the y axis (its ten superscripted labels) is painted twice in a drag — the state drawn,
    then the picture the later states copy — the x axis every state; and the held plot is what BokehJS
    then paints, the y axis where it was."""
    app.open("stochastic")
    before, held = drag_held(app, "stochastic-steps", "stochastic-plot", 120, COUNT_AXIS_PAINTS)
    paints = app.page.evaluate(AXIS_PAINTS)
    assert paints["LinearAxis"] >= 8, paints
    assert paints["LogAxis"] <= 2, paints
    assert_rests_as_held(app, "stochastic-plot", before, held)


#: A noisy 5 000-point line across 400 px drawn on two canvases, as Bokeh strokes a line: through every
#: point, and by the quick layer's traceLine; [points traceLine drew, each canvas's alpha, row by row].
THINNED_LINE = """() => {
  const draw = (trace) => {
    const canvas = document.createElement("canvas");
    canvas.width = 400;
    canvas.height = 200;
    const ctx = canvas.getContext("2d");
    let points = 0;
    const counted = {
      moveTo: (x, y) => { points++; ctx.moveTo(x, y); },
      lineTo: (x, y) => { points++; ctx.lineTo(x, y); },
    };
    ctx.beginPath();
    trace(counted);
    ctx.lineWidth = 1.5;
    ctx.lineJoin = "bevel";  // Bokeh's lines' default
    ctx.stroke();
    return [points, Array.from(ctx.getImageData(0, 0, 400, 200).data.filter((_, i) => i % 4 === 3))];
  };
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const n = 5000, sx = new Float64Array(n), sy = new Float64Array(n);
  let y = 100;
  for (let i = 0; i < n; i++) {
    y = Math.min(195, Math.max(5, y + 12 * (random() - 0.5)));
    sx[i] = 0.5 + (i * 399) / n;
    sy[i] = i === 2500 ? NaN : y;  // a gap: the path breaks there
  }
  const [, every] = draw((ctx) => {
    let open = false;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(sy[i])) open = false;
      else if (open) ctx.lineTo(sx[i], sy[i]);
      else { ctx.moveTo(sx[i], sy[i]); open = true; }
    }
  });
  const [points, thinned] = draw((ctx) => window.__momentumQuick.traceLine(ctx, sx, sy, n));
  return [points, every, thinned];
}"""


def test_a_long_line_is_drawn_through_at_most_four_points_a_pixel_with_the_same_ink(app):
    """While a slider moves, a line of thousands of points (/stochastic's 5 000-step runs) is drawn
    through the first, lowest, highest and last of its points in each pixel column: about four a pixel
    instead of twelve, and to the eye the same line — its ink within 5 %, every 4 × 4-pixel block as
    dark within a quarter (a line through each column's first and last points only: 29 %, 188/255)."""
    app.open("ravine")
    points, every, thinned = app.page.evaluate(THINNED_LINE)
    assert points <= 4 * 400 + 8, points
    full, thin = (
        np.asarray(alpha, dtype=float).reshape(50, 4, 100, 4).mean(axis=(1, 3)) for alpha in (every, thinned)
    )
    assert abs(thin.sum() - full.sum()) <= 0.05 * full.sum(), (thin.sum(), full.sum())
    assert np.abs(thin - full).max() <= 64, np.abs(thin - full).max()


#: The pieces of the path `traceLine` draws (each a list of [x, y]) for a few lines, beside the lines
#: given: at one canvas pixel a CSS pixel, and but for the spiral one point a pixel column (the column
#: thinning leaves them all; the spiral winds through columns many times).
TRACED_LINES = """() => {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const n = 900, lines = {};
  const make = (name, f) => { lines[name] = [Float64Array.from({length: n}, (_, i) => f(i)[0]),
                                             Float64Array.from({length: n}, (_, i) => f(i)[1])]; };
  const x = (i) => 20.5 + i;
  make("flat", (i) => [x(i), 123.4]);
  make("smooth", (i) => [x(i), 20 + 300 * Math.exp(-i / 200) + 10 * Math.sin(i / 25)]);
  let y = 200;
  make("noisy", (i) => [x(i), (y = Math.min(390, Math.max(10, y + 8 * (random() - 0.5))))]);
  // A spiral (x not monotonic), and a path that runs out along a line and back over it.
  make("spiral", (i) => [450 + (i / 5) * Math.cos(i / 20), 200 + (i / 5) * Math.sin(i / 20)]);
  make("back", (i) => [i < 600 ? x(i) : x(1200 - i), 200 + 0.01 * i]);
  const traced = {};
  for (const [name, [sx, sy]] of Object.entries(lines)) {
    const pieces = [];
    const ctx = { moveTo: (a, b) => pieces.push([[a, b]]), lineTo: (a, b) => pieces.at(-1).push([a, b]) };
    window.__momentumQuick.traceLine(ctx, sx, sy, n);
    traced[name] = {given: [Array.from(sx), Array.from(sy)], pieces};
  }
  return traced;
}"""


def distances(points: np.ndarray, polyline: np.ndarray) -> np.ndarray:
    """Each point's distance to the nearest point of the polyline (its segments, ends included)."""
    a, b = polyline[:-1], polyline[1:]
    ab = b - a
    length2 = np.maximum((ab**2).sum(axis=1), 1e-300)
    t = np.clip(((points[:, None, :] - a) * ab).sum(axis=2) / length2, 0, 1)
    nearest = a + t[..., None] * ab
    return np.sqrt(((points[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)


def test_a_line_is_drawn_through_the_points_that_turn_within_a_quarter_pixel_of_every_point(app):
    """A line's points that go on straight are left out of its path: a flat line of 900 points is one
    segment, a smooth curve a few dozen, a noisy one loses few. What is drawn stays within a quarter of a
    canvas pixel of the line given, both ways (every given point near the path, and the path — sampled
    along each segment — near the given line), on a path that turns back over itself too; on a spiral,
    whose points the column thinning also leaves out, within a pixel and a quarter."""
    app.open("ravine")
    traced = app.page.evaluate(TRACED_LINES)
    counts = {}
    for name, line in traced.items():
        given = np.column_stack(line["given"])
        assert len(line["pieces"]) == 1, name
        path = np.asarray(line["pieces"][0])
        counts[name] = len(path)
        assert (distances(path, given) < 1e-9).all(), f"{name}: the path's corners are given points"
        near = 1.25 if name == "spiral" else 0.25
        assert distances(given, path).max() <= near * 1.01, (name, distances(given, path).max())
        t = np.linspace(0, 1, 20)[None, :, None]
        along = (path[:-1, None] + t * (path[1:, None] - path[:-1, None])).reshape(-1, 2)
        assert distances(along, given).max() <= near * 1.5, (name, distances(along, given).max())
    assert counts["flat"] == 2, counts
    assert counts["smooth"] <= 100, counts
    assert counts["back"] <= 10, counts
    assert counts["noisy"] >= 300, counts


def test_the_layers_are_made_and_the_drawing_rehearsed_before_the_first_drag_showing_nothing(app):
    """Once the page is idle, the quick layer has made the canvases a drag of /damping draws on (its two
    portraits, six small multiples and the β bar) and rehearsed its drawing on a canvas never shown:
    nothing is on a layer, and the first drag draws on those layers."""
    app.open("damping")
    app.page.wait_for_function("() => window.__momentumQuick.warmUps >= 1", timeout=30_000)
    assert app.page.evaluate("() => window.__momentumQuick.canvases.size") == 9
    assert app.page.evaluate(QUICK_PIXELS) == 0
    assert app.page.evaluate("() => window.__momentumQuick.drawn") == 0
    app.page.evaluate(HOLD, 1e9)
    app.drag_slider("damping-alpha", 60)
    app.page.wait_for_timeout(300)
    assert app.page.evaluate("() => window.__momentumQuick.drawn") > 0
    assert app.page.evaluate("() => window.__momentumQuick.canvases.size") == 9, "the layers made before"
    assert app.page.evaluate(QUICK_PIXELS) > 500


#: Set a slider's value in a frame's animation callbacks (the page computes it at once); once that
#: frame's callbacks have run, before it is painted: the text each label of `plot` is painted with (its
#: view's text box) beside the label's text, and how many times the plot's overlays were painted.
LABELS_IN_ITS_FRAME = """async ([slider, value, plot]) => {
  AFTER_EACH_FRAME
  const find = (name) => FIND_MODEL;
  const plotView = Bokeh.index.find_one(find(plot));
  const labels = plotView.computed_renderer_views.filter((view) => view.model.type === "Label");
  let overlays = 0;
  const paintOverlays = plotView._paint_overlays.bind(plotView);
  plotView._paint_overlays = (...args) => { overlays++; return paintOverlays(...args); };
  const painted = await new Promise((resolve) => {
    let set = false;
    const stop = afterEachFrame(() => {
      if (!set) return;
      stop();
      resolve(labels.map((view) => [view._text_box?.text, view.model.text]));
    });
    requestAnimationFrame(() => { find(slider).value = value; set = true; });
  });
  delete plotView._paint_overlays;
  return {painted, overlays};
}""".replace("AFTER_EACH_FRAME", AFTER_EACH_FRAME).replace("FIND_MODEL", FIND_MODEL)


def test_a_labels_new_text_is_painted_in_the_frame_of_its_state_once(app):
    """/damping's β bar labels each critical β ("critical β = 0.6119"), moved and written anew by every
    α: the frame that shows a state shows its labels' new words (not the last state's, for a frame),
    and the bar's overlays are painted once for it."""
    app.open("damping")
    app.page.wait_for_function(WARMED, arg="damping.js")
    value, step = app.read("damping-alpha", "value"), app.read("damping-alpha", "step")
    for k in (1, 2, 3):
        result = app.page.evaluate(
            LABELS_IN_ITS_FRAME, ["damping-alpha", value + 10 * k * step, "damping-bar"]
        )
        assert len(result["painted"]) == 2 and all(
            text.startswith("critical β = ") for _, text in result["painted"]
        )
        assert all(shown == text for shown, text in result["painted"]), result
        assert result["overlays"] == 1, result


#: A plot's own quick canvas: its pixels that are not transparent (0 when it has none), and what its
#: title's view paints beside its title's text.
PLOT_DRAWN = """(name) => {
  PAINTED
  const plot = FIND_MODEL;
  const view = Bokeh.index.find_one(plot);
  const root = view.canvas_view.el.shadowRoot ?? view.canvas_view.el;
  const canvas = root.querySelector("canvas[data-momentum-quick]");
  const title = view.computed_renderer_views.find((v) => v.model === plot.title);
  return {
    painted: canvas !== null && canvas.width > 0 ? painted(canvas) : 0,
    shown: title._text_view.model.text,
    title: plot.title.text,
  };
}""".replace("PAINTED", PAINTED).replace("FIND_MODEL", FIND_MODEL)


def test_a_plot_out_of_sight_is_not_drawn_until_the_state_rests_or_it_comes_into_sight(app):
    """/damping in a desktop window 720 px tall: its small multiples' second row (λ = 100) is below the
    fold. While an α drag's state is held, the portraits in sight are drawn on their layers, the rows out
    of sight are not (their titles' views still paint the old words); scrolled into sight mid-hold, the
    state rests at once and BokehJS paints them, new titles and all."""
    app.page.set_viewport_size({"width": 1280, "height": 720})
    app.open("damping")
    app.page.wait_for_function("() => window.__momentumQuick.warmUps >= 1", timeout=30_000)
    hold(app, "damping-alpha")
    app.drag_slider("damping-alpha", 40)
    app.page.wait_for_timeout(300)
    assert app.page.evaluate(PLOT_DRAWN, "damping-portrait0")["painted"] > 500
    below = app.page.evaluate(PLOT_DRAWN, "damping-grid11")
    assert below["painted"] == 0 and below["shown"] != below["title"], below
    app.page.locator(".damping-grid11").scroll_into_view_if_needed()
    app.page.wait_for_function(
        f"(name) => {{ const drawn = ({PLOT_DRAWN})(name); return drawn.shown === drawn.title; }}",
        arg="damping-grid11",
        timeout=5_000,
    )
    app.page.wait_for_timeout(300)
    assert app.page.evaluate(QUICK_PIXELS) == 0, "the state rested: BokehJS paints every plot"


#: Count each plot's layouts from now on, by the plot's name (LAYOUTS reads them).
COUNT_LAYOUTS = """() => {
  window.__layouts = {};
  for (const doc of Bokeh.documents)
    for (const m of doc.all_models)
      if (m.type === "Figure") {
        const view = Bokeh.index.find_one(m), layout = view.compute_layout.bind(view);
        window.__layouts[m.name] = 0;
        view.compute_layout = () => { window.__layouts[m.name]++; layout(); };
      }
}"""
LAYOUTS = "() => Object.values(window.__layouts).reduce((a, b) => a + b, 0)"
FRAME_LEFT = "(name) => Bokeh.index.find_one(FIND_MODEL).frame.bbox.left".replace("FIND_MODEL", FIND_MODEL)
#: A plot painted by BokehJS as it is when a label or span over it is set (PlotView.repaint).
REPAINT = "(name) => Bokeh.index.find_one(FIND_MODEL).repaint()".replace("FIND_MODEL", FIND_MODEL)


def test_a_plot_drawn_whole_keeps_its_layout_until_the_state_rests(app):
    """/decomposition on its linear scale, α dragged from converging into diverging: the y axis goes
    from 1.6 to 10⁵, its labels from 1.4 to 250k. While the state is held, a BokehJS paint of the plot
    (its divergence marker set) would measure the labels on the held range and lay the page out again:
    the plot keeps its layout until the rest. Its frame stays where it was, held and at rest (the axis
    has room for its widest labels)."""
    app.open("decomposition")
    hold(app, "decomposition-alpha")
    left = app.page.evaluate(FRAME_LEFT, "decomposition-linear")
    app.page.evaluate(COUNT_LAYOUTS)
    app.drag_slider("decomposition-alpha", 200)
    app.page.wait_for_timeout(300)
    assert "diverges" in app.text("decomposition-readout")
    app.page.evaluate(REPAINT, "decomposition-linear")
    assert app.page.evaluate(LAYOUTS) == 0
    assert app.page.evaluate(FRAME_LEFT, "decomposition-linear") == left
    app.page.evaluate(COMMIT)
    app.page.wait_for_timeout(400)
    assert app.page.evaluate(FRAME_LEFT, "decomposition-linear") == left


#: Count how often BokehJS makes the strip of a colour bar in the plot `name` (STRIPS reads it).
COUNT_STRIPS = """(name) => {
  const find = (name) => FIND_MODEL;
  window.__strips = 0;
  for (const view of Bokeh.index.find_one(find(name)).computed_renderer_views)
    if (view.model.type === "ColorBar") {
      const make = view._set_canvas_image;
      Object.getPrototypeOf(view)._set_canvas_image = function (...args) {
        window.__strips++;
        return make.apply(this, args);
      };
    }
}""".replace("FIND_MODEL", FIND_MODEL)
STRIPS = "() => window.__strips"


def test_a_new_colour_scale_keeps_its_colour_bars_strip(app):
    """/regions' κ moves its map's colour scale each state: BokehJS made the colour bar's strip of the
    palette anew for each (a canvas and a colour mapper: ≈ 0.7 ms a state) though the palette stays.
    While the state is held the layer draws the bar, ticks on the new scale, with the strip it has; the
    held plot is what BokehJS paints at the rest."""
    app.open("regions")
    before, held = drag_held(app, "regions-kappa", "regions-map", 80, COUNT_STRIPS)
    assert app.page.evaluate(STRIPS) == 0
    assert_rests_as_held(app, "regions-map", before, held)
