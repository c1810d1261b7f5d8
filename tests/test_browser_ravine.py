"""The ravine figure in a real Chromium against a live `panel serve`."""

import itertools

import numpy as np
import pytest
from browser import padded, ravine_state

import momentum_core as mc
from app.figures.ravine import CUT, PROBLEM

pytestmark = pytest.mark.browser


def expected_path(alpha, beta, steps, start):
    run = mc.heavy_ball(PROBLEM, start, alpha, beta, steps)
    return cut_where_it_leaves(run)


def cut_where_it_leaves(run):
    cut = mc.divergence_step(run - PROBLEM.w_star, bound=CUT)
    return run if cut is None else run[:cut]


def assert_plot_matches_core(app):
    alpha, beta, steps, start = ravine_state(app)
    frame = app.frame("ravine")
    expected = expected_path(alpha, beta, steps, start)
    path = np.column_stack([frame["momentum_x"], frame["momentum_y"]])
    np.testing.assert_allclose(path, padded(expected, frame), rtol=1e-9, atol=1e-12)
    expected_gd = cut_where_it_leaves(mc.gradient_descent(PROBLEM, start, alpha, steps))
    gd = np.column_stack([frame["gd_x"], frame["gd_y"]])
    np.testing.assert_allclose(gd, padded(expected_gd, frame), rtol=1e-9, atol=1e-12)
    shown = app.read("ravine-show_gd", "active")
    assert app.read("ravine-gd-line", "visible") is shown and app.read("ravine-gd-dots", "visible") is shown
    rate = mc.convergence_rate(alpha, beta, PROBLEM.eigenvalues)
    assert f"{rate:.4g}" in app.text("ravine-readout")


def test_loads_with_the_article_defaults(app):
    app.open("ravine")
    assert app.notices() == "" and not app.page.locator(".alert").first.is_visible()
    alpha, beta, steps, _ = ravine_state(app)
    assert alpha == pytest.approx(0.02) and beta == pytest.approx(0.99) and steps == 1000
    assert_plot_matches_core(app)
    readout = app.text("ravine-readout")
    assert "converges" in readout and "diverges" not in readout
    # The momentum run ends far closer to the optimum than gradient descent does.
    frame = app.frame("ravine")
    end_momentum = np.hypot(frame["momentum_x"][-1], frame["momentum_y"][-1])
    assert end_momentum < 0.1 * np.hypot(frame["gd_x"][-1], frame["gd_y"][-1])


def test_keyboard_moves_a_slider_and_the_path_follows(app):
    app.open("ravine")
    app.act_and_wait("ravine-frame", lambda: app.press_on_slider("ravine-beta", "ArrowLeft", times=5))
    assert app.read("ravine-beta", "value") == pytest.approx(0.985)
    assert_plot_matches_core(app)


def test_mouse_drag_updates_while_dragging_and_ends_exact(app):
    app.open("ravine")
    app.page.evaluate(
        """() => { window.__changes = 0; for (const d of Bokeh.documents) {
             const s = d.get_model_by_name("ravine-frame");
             if (s) s.properties.data.change.connect(() => window.__changes++); } }"""
    )
    app.drag_slider("ravine-alpha", 60)
    app.settle(800)
    # Repainted during the drag, not only at the end: states drawn by the quick layer (their data set on
    # the models once the drag rests, app/static/quick_layer.js) or by BokehJS.
    shown = app.page.evaluate("() => window.__changes + (window.__momentumQuick?.drawn ?? 0)")
    assert shown >= 3
    assert 10 ** app.read("ravine-alpha", "value") > 0.02
    assert_plot_matches_core(app)


def test_a_burst_of_queued_changes_folds_into_few_repaints_and_ends_exact(app):
    """100 β changes sent at once (faster than any drag): the server must not draw each in turn."""
    app.open("ravine")
    app.page.evaluate(
        """() => {
             let slider, source;
             for (const d of Bokeh.documents) {
               slider = slider || d.get_model_by_name("ravine-beta");
               source = source || d.get_model_by_name("ravine-frame");
             }
             window.__repaints = 0;
             source.properties.data.change.connect(() => window.__repaints++);
             for (let i = 0; i < 100; i++) slider.value = Math.round((0.80 + 0.001 * i) * 1000) / 1000; }"""
    )
    app.settle(800)
    repaints = app.page.evaluate("() => window.__repaints")
    assert 1 <= repaints < 60, f"{repaints} repaints for 100 queued changes: they were not folded"
    assert app.read("ravine-beta", "value") == pytest.approx(0.899)
    assert_plot_matches_core(app)  # the last value's exact path


def test_clicking_the_plot_moves_the_start(app):
    app.open("ravine")
    app.act_and_wait("ravine-start_point", lambda: app.click_plot("ravine-plot", 0.75, 0.3))
    _, _, _, start = ravine_state(app)
    assert start[0] > 0 and start[1] > 0  # right of and above the centre
    assert_plot_matches_core(app)
    frame = app.frame("ravine")
    assert (frame["momentum_x"][0], frame["momentum_y"][0]) == pytest.approx(start)


def test_moving_a_control_writes_the_url(app):
    app.open("ravine")
    app.press_on_slider("ravine-beta", "ArrowLeft", times=10)
    app.page.wait_for_url("**beta=0.98**", timeout=5000)
    assert "alpha=0.02" in app.page.url


def test_a_shared_link_restores_the_ravine_state(app):
    app.open("ravine", "alpha=0.05&beta=0.5&steps=200&x0=1.5&y0=-1&show_gd=false")
    alpha, beta, steps, start = ravine_state(app)
    assert (alpha, beta, steps, *start) == pytest.approx((0.05, 0.5, 200, 1.5, -1.0))
    assert app.read("ravine-show_gd", "active") is False
    assert app.read("ravine-gd-line", "visible") is False
    assert_plot_matches_core(app)


def test_bad_link_values_are_clamped_with_a_notice(app):
    app.open("ravine", "alpha=abc&beta=5&steps=-3&x0=nan&y0=1e999&show_gd=maybe")
    assert app.page.locator(".alert").first.is_visible()
    text = app.notices()
    for expected in (
        "alpha='abc' is not a number",
        "beta=5 is outside",
        "clamped to 1.02",
        "steps=-3",
        "x0='nan' is not a finite number",
        "y0='1e999'",
        "show_gd='maybe'",
    ):
        assert expected in text, (expected, text)
    alpha, beta, steps, _ = ravine_state(app)
    assert (alpha, beta, steps) == pytest.approx((0.02, 1.02, 1))
    assert "diverges" in app.text("ravine-readout")
    assert_plot_matches_core(app)


def test_non_positive_step_size_is_explained(app):
    app.open("ravine", "alpha=-1")
    assert "α must be > 0" in app.notices()
    assert 10 ** app.read("ravine-alpha", "value") == pytest.approx(1e-4)


def test_divergent_setting_is_labelled_and_drawn_finite(app):
    app.open("ravine", "alpha=0.8&beta=0.99")
    readout = app.text("ravine-readout")
    assert "diverges" in readout and "leaves the view at step" in readout
    frame = app.frame("ravine")
    for column in ("momentum_x", "momentum_y", "gd_x", "gd_y"):
        assert np.isfinite(frame[column]).all() and np.abs(frame[column]).max(initial=0) <= CUT
    assert_plot_matches_core(app)


def test_a_non_finite_value_from_the_browser_is_refused_with_a_notice(app):
    app.open("ravine")
    app.page.evaluate(
        """() => { for (const d of Bokeh.documents) {
             const s = d.get_model_by_name("ravine-beta"); if (s) s.value = NaN; } }"""
    )
    app.page.locator(".alert li").first.wait_for(timeout=5000)
    app.settle(500)
    assert "Ignored an invalid value for Momentum β" in app.notices()
    assert app.read("ravine-beta", "value") == pytest.approx(0.99)
    assert_plot_matches_core(app)


#: Marks the legend's entry elements (through shadow roots); a rebuilt legend has unmarked ones.
MARK_LEGEND = """(mark) => {
  const legend = Bokeh.documents[0].get_model_by_name("ravine-plot").below.find((m) => m.type === "Legend");
  const view = Bokeh.index.find_one(legend);
  if (mark) for (const entry of view.entries) entry.el.dataset.mark = "1";
  return view.entries.map((entry) => entry.el.dataset.mark === "1");
}"""


def test_a_repaint_keeps_the_legend_and_a_hidden_path_updates_it(app):
    """BokehJS rebuilt a legend's entries on every repaint of its data (app/static/legend_entries.js):
    now only when what it shows changes — here the gradient-descent path hidden by its switch."""
    app.open("ravine")
    assert app.page.evaluate(MARK_LEGEND, True) == [True, True]
    app.act_and_wait("ravine-frame", lambda: app.press_on_slider("ravine-beta", "ArrowLeft", times=3))
    assert app.page.evaluate(MARK_LEGEND, False) == [True, True]  # the same entries
    assert app.blank_legend_icons("ravine") == []
    app.page.locator(".ravine-show_gd .bk-knob").first.click()
    app.page.wait_for_function(
        "() => Bokeh.documents[0].get_model_by_name('ravine-gd-line').visible === false", timeout=10_000
    )
    app.page.wait_for_timeout(300)
    assert app.page.evaluate(MARK_LEGEND, False) == [False, False]  # rebuilt: a renderer was hidden
    assert app.blank_legend_icons("ravine") == []


#: The pixels of each icon of the legend under the plot `name`: after `repaints` repaints of the legend
#: (its entries kept), and after it is built anew.
LEGEND_ICONS = """async ([name, repaints]) => {
  const plot = Bokeh.documents.map((d) => d.get_model_by_name(name)).find((m) => m);
  const plotView = Bokeh.index.find_one(plot);
  const legend = Bokeh.index.find_one(plot.below.find((m) => m.type === "Legend"));
  const pixels = () => legend.entries.map(({ glyph }) =>
    Array.from(glyph.ctx.getImageData(0, 0, glyph.canvas.width, glyph.canvas.height).data));
  const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 20)));
  const entries = legend.entries;
  for (let i = 0; i < repaints; i++) {
    plotView.request_paint(legend);
    await painted();
  }
  const kept = pixels(), same = legend.entries.every((entry, i) => entry === entries[i]);
  legend.render();
  plotView.request_paint(legend);
  await painted();
  return { kept, fresh: pixels(), same };
}"""


@pytest.mark.parametrize(("route", "plot"), [("ravine", "ravine-plot"), ("damping", "damping-portrait0")])
def test_a_kept_legend_icon_repainted_is_the_icon_drawn_anew(app, route, plot):
    """A legend's entries are kept while nothing they show changes (app/static/legend_entries.js), and
    their icons repainted with the plot: ten repaints later each icon is pixel for pixel the one a
    legend built anew draws (BokehJS half-clears a kept icon's first column and row of pixels, which
    darkened at every repaint — a solid line's ends, a dashed line's first dash)."""
    app.open(route)
    icons = app.page.evaluate(LEGEND_ICONS, [plot, 10])
    assert icons["same"] and len(icons["kept"]) >= 2
    for kept, fresh in zip(icons["kept"], icons["fresh"], strict=True):
        assert any(fresh), "an icon with no ink"
        assert kept == fresh


CSS_LOOKUPS = """() => {
  const seen = [];
  const walk = (doc) => { for (const model of doc.all_models) { const view = Bokeh.index.find_one(model);
    if (view != null && view.visuals != null) seen.push(view); } };
  Bokeh.documents.forEach(walk);
  const set = [];
  for (const view of seen)
    for (const visual of view.visuals)
      for (const attr of visual.attrs ?? []) {
        const lookup = visual.__momentumCssValue ?? visual._get_css_value;  // what BokehJS would read
        if (lookup == null) continue;  // vectorised visuals have none
        const value = lookup.call(visual, attr.replaceAll("_", "-"));
        if (value !== "") set.push(visual.css_prefix + attr);
      }
  const patched = seen.some((view) => [...view.visuals].some((visual) => visual.__momentumFromModels));
  return {visuals: seen.length, set, patched};
}"""

COUNT_STYLE_READS = """() => {
  window.__styleReads = 0;
  const original = window.getComputedStyle;
  window.getComputedStyle = function (...args) { window.__styleReads++; return original.apply(this, args); };
}"""


def test_plot_visuals_come_from_their_models_without_css_lookups(app):
    """BokehJS 3.9 asked the page's CSS (getComputedStyle) for every axis, title and legend property on
    every paint, for custom properties no page here sets (app/static/visuals_from_models.js)."""
    app.open("ravine")
    found = app.page.evaluate(CSS_LOOKUPS)
    assert found["visuals"] > 10 and found["set"] == [] and found["patched"]
    app.page.evaluate(COUNT_STYLE_READS)
    app.act_and_wait("ravine-frame", lambda: app.press_on_slider("ravine-beta", "ArrowLeft", times=3))
    app.page.wait_for_timeout(300)  # painted
    assert app.page.evaluate("() => window.__styleReads") < 30  # ≈ 550 a repaint without the script
    assert app.blank_legend_icons("ravine") == []


#: A plot's axis asked for a CSS custom property set on its element: as one of this app's documents, then
#: as a document not marked as this app's (a reader's own plot in a notebook, beside a figure).
CSS_VALUE_OF_OTHERS = """() => {
  const doc = Bokeh.documents.find((d) => d.get_model_by_name("ravine-plot") !== null);
  const plot = Bokeh.index.find_one(doc.get_model_by_name("ravine-plot"));
  const axis = [...plot.renderer_views.values()].find((view) => view.model.type.endsWith("Axis"));
  axis.el.style.setProperty("--bk-axis-line-color", "red");
  const ask = () => axis.visuals.axis_line._get_css_value("line-color");
  const ours = ask();
  window.__momentumDocuments.delete(doc);
  const others = ask();
  window.__momentumDocuments.add(doc);
  axis.el.style.removeProperty("--bk-axis-line-color");
  return [ours, others];
}"""


def test_plots_of_other_documents_still_take_their_visuals_from_the_css(app):
    """The page scripts change BokehJS for this app's plots only: in a notebook, or a course page that
    embeds a figure, the reader's own Bokeh plots may be styled by CSS custom properties."""
    app.open("ravine")
    assert app.page.evaluate(CSS_VALUE_OF_OTHERS) == ["", "red"]


WATCH_STYLES_IN_PAINT = """() => {
  const events = (window.__paintEvents = []);
  const plot = Bokeh.Models.get("Plot").prototype.default_view.prototype;
  const paint = plot._actual_paint;
  plot._actual_paint = function (...args) {
    events.push("start");
    try { return paint.apply(this, args); } finally { events.push("end"); }
  };
  const text = Object.getOwnPropertyDescriptor(Node.prototype, "textContent");
  Object.defineProperty(Node.prototype, "textContent", { configurable: true, get: text.get,
    set(value) { if (this.nodeName === "STYLE") events.push("style"); text.set.call(this, value); } });
  const font = Object.getOwnPropertyDescriptor(CanvasRenderingContext2D.prototype, "font");
  Object.defineProperty(CanvasRenderingContext2D.prototype, "font", { configurable: true, get: font.get,
    set(value) { if (this.canvas.isConnected) events.push("font"); font.set.call(this, value); } });
}"""

POSITIONS = """() => {
  // every renderer's position sheet holds its present box (or hides it): the held writes landed
  const views = [];
  const walk = (view) => { if (view == null || views.includes(view)) return; views.push(view);
    for (const child of view.child_views ?? []) walk(child);
    for (const child of view.renderer_views?.values() ?? []) walk(child); };
  Object.values(Bokeh.index).forEach(walk);
  const placed = views.filter((view) => view.bbox?.is_valid && /width:/.test(view.position?.el.textContent));
  const wrong = placed.filter((view) =>
    !view.position.el.textContent.includes(`width:    ${view.bbox.width}px`));
  return {placed: placed.length, wrong: wrong.map((view) => view.model.type)};
}"""


def test_a_paint_sets_no_canvas_font_after_rewriting_a_style_sheet(app):
    """BokehJS rewrote each renderer's position sheet between a paint's glyphs, and each label's canvas
    font then made Chromium recompute the page's styles (app/static/styles_after_paint.js): the sheets
    are now written when the paint ends, with the boxes the paint computed."""
    app.open("ravine")
    app.page.evaluate(WATCH_STYLES_IN_PAINT)
    app.act_and_wait("ravine-frame", lambda: app.press_on_slider("ravine-alpha", "ArrowRight", times=3))
    app.page.wait_for_timeout(300)  # painted
    app.page.set_viewport_size({"width": 900, "height": 800})  # and laid out anew: every box moves
    app.page.wait_for_timeout(600)
    events = app.page.evaluate("() => window.__paintEvents")
    paints, recomputed = 0, []
    for segment in " ".join(events).split("start")[1:]:
        inside = segment.split("end")[0].split()
        paints += "font" in inside
        # a canvas font set after a style write: Chromium recomputes the page's styles there
        recomputed.append(sum(1 for a, b in itertools.pairwise(inside) if (a, b) == ("style", "font")))
    assert paints >= 3 and max(recomputed) <= 2, (paints, recomputed)  # 7 a paint without the script
    positions = app.page.evaluate(POSITIONS)
    assert positions["placed"] >= 5 and positions["wrong"] == [], positions


def test_a_typed_problem_is_drawn_by_the_page_from_the_servers_new_spec(app):
    """The problem box needs Python (parsing, the eigendecomposition): the server answers a typed matrix
    with the page module's new spec and contours, and the page draws the paths from it; a slider moved
    after that still draws the typed problem."""
    from test_browser_custom import enter_into

    app.open("ravine")
    app.act_and_wait("ravine-frame", lambda: enter_into(app, "ravine-problem", "2, 0.5; 0.5, 1"))
    problem = mc.Quadratic(np.array([[2.0, 0.5], [0.5, 1.0]]), np.zeros(2))
    for _ in range(2):
        alpha, beta, steps, start = ravine_state(app)
        run = mc.heavy_ball(problem, start, alpha, beta, steps)
        cut = mc.divergence_step(run, bound=CUT)
        expected = run if cut is None else run[:cut]
        frame = app.frame("ravine")
        path = np.column_stack([frame["momentum_x"], frame["momentum_y"]])
        np.testing.assert_allclose(path, padded(expected, frame), rtol=1e-9, atol=1e-12)
        rate = mc.convergence_rate(alpha, beta, problem.eigenvalues)
        assert f"rate max|σ(R)|\t{rate:.4g}" in app.text("ravine-readout")
        app.act_and_wait("ravine-frame", lambda: app.press_on_slider("ravine-beta", "ArrowLeft", times=40))
