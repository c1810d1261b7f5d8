"""Keyboard operation with a visible focus, a narrow (phone) screen, and the light/dark theme."""

import pytest
from browser import DEEP_QUERY, FIND_MODEL, HANDLE_AND_TRACK, INK_AT_RIGHT_EDGE, MODEL_EXISTS

from app.figures import FIGURES

pytestmark = pytest.mark.browser

#: The focused element, followed through shadow roots: its figure control (class of the Bokeh
#: widget's host element, e.g. "ravine-beta") and its computed outline.
FOCUSED = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  let hosts = [];
  for (let node = el.getRootNode(); node && node.host; node = node.host.getRootNode())
    hosts.push(...node.host.classList);
  return {hosts, outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""

#: Names of the page's Bokeh controls (sliders, buttons, switches, text boxes, button groups).
CONTROLS = """() => {
  const kinds = new Set(["Slider", "Button", "Switch", "TextInput", "RadioButtonGroup"]);
  const names = [];
  for (const doc of Bokeh.documents)
    for (const model of doc.all_models)
      if (kinds.has(model.type) && model.name) names.push(model.name);
  return names;
}"""

FIGURE_ROUTES = list(FIGURES)


def tab_through(page, limit: int = 80) -> list[dict]:
    """Press Tab until focus leaves the page; what was focused, in order."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            break
        seen.append(focused)
    return seen


@pytest.mark.parametrize("route", FIGURE_ROUTES)
def test_every_control_is_reached_by_tab_and_shows_a_visible_focus(app, route):
    app.open(route)
    controls = set(app.page.evaluate(CONTROLS))
    assert "theme-switch" in controls and any(name.startswith(route) for name in controls)
    seen = tab_through(app.page)
    reached = {name for item in seen for name in item["hosts"] if name in controls}
    assert reached == controls, controls - reached
    for item in seen:
        if controls & set(item["hosts"]):
            assert item["outline"] == "solid" and item["width"] >= 2, item
    # At a desktop width (Playwright's 1280 px) no legend covers the data (at 400 px: the narrow test).
    assert app.page.evaluate(LEGENDS_OVER_DATA, route) == []


def test_keyboard_alone_operates_sliders_switches_and_buttons(app):
    app.open("ravine")
    app.act_and_wait("ravine-frame", lambda: app.press_on_slider("ravine-beta", "ArrowLeft", times=2))
    assert app.read("ravine-beta", "value") == pytest.approx(0.988)
    app.page.locator(".ravine-show_gd .bk-knob").first.focus()
    app.page.keyboard.press("Space")
    app.page.wait_for_function(
        "() => Bokeh.documents[0].get_model_by_name('ravine-gd-line').visible === false", timeout=10_000
    )
    app.open("decomposition")
    app.page.locator(".decomposition-optimal_momentum button").first.focus()
    app.act_and_wait("decomposition-frame", lambda: app.page.keyboard.press("Enter"))
    assert app.read("decomposition-beta", "value") > 0


#: A slider's value as its title shows it, whether that text is what is on top where it is drawn
#: (nothing over it: no tooltip on the handle), and the x of its middle.
SHOWN_VALUE = """(name) => {
  const view = Bokeh.index.find_one(FIND_MODEL);
  const span = view.shadow_el.querySelector(".bk-slider-value");
  const box = span.getBoundingClientRect();
  const top = view.shadow_el.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return [span.textContent, top === span || span.contains(top), box.left + box.width / 2];
}""".replace("FIND_MODEL", FIND_MODEL)


def test_a_slider_is_named_by_its_title_and_read_as_its_title_shows_its_value(app):
    """A screen reader hears the slider's title and the value the title shows — α itself on its log₁₀
    track, β as 0.6 — before and after a change; while a reader holds the handle, nothing covers the
    value in the title."""
    app.open("damping")
    alpha = app.page.get_by_role("slider", name="Step-size α")
    beta = app.page.get_by_role("slider", name="Momentum β")
    assert alpha.get_attribute("aria-valuetext") == "0.005"
    assert beta.get_attribute("aria-valuetext") == "0.6"
    app.act_and_wait("damping-frame", lambda: app.press_on_slider("damping-alpha", "ArrowRight", times=3))
    shown, _, _ = app.page.evaluate(SHOWN_VALUE, "damping-alpha")
    assert shown != "0.005" and alpha.get_attribute("aria-valuetext") == shown
    # β's handle held right under the value in its title.
    x, y, _, _ = app.page.evaluate(HANDLE_AND_TRACK, "damping-beta")
    app.page.mouse.move(x, y)
    app.page.mouse.down()
    app.page.mouse.move(app.page.evaluate(SHOWN_VALUE, "damping-beta")[2], y, steps=8)
    shown, uncovered, _ = app.page.evaluate(SHOWN_VALUE, "damping-beta")
    app.page.mouse.up()
    assert uncovered and shown != "0.6"
    assert beta.get_attribute("aria-valuetext") == app.page.evaluate(SHOWN_VALUE, "damping-beta")[0]


#: Each plot of a figure by name: the bottom edge on the page, the width of its drawing area, whether
#: it has a legend, and its top edge.
PLOT_BOTTOMS = """(key) => {
  const bottoms = {};
  for (const doc of Bokeh.documents)
    for (const model of doc.all_models)
      if (model.type === "Figure" && model.visible && (model.name || "").startsWith(key + "-")) {
        const view = Bokeh.index.find_one(model);
        const box = view && view.el.getBoundingClientRect();
        const legend = [...model.center, ...model.below].some((r) => r.type === "Legend");
        if (view) bottoms[model.name] = [box.bottom, view.frame.bbox.width, legend, box.top];
      }
  return bottoms;
}"""


#: Every legend of a figure's visible plots whose box, as drawn, overlaps the plot's frame — where every
#: glyph is drawn (clipped to it) — with the overlap in px: none, or a legend covers data.
LEGENDS_OVER_DATA = """(key) => {
  const over = [];
  for (const doc of Bokeh.documents)
    for (const model of doc.all_models)
      if (model.type === "Figure" && model.visible && (model.name || "").startsWith(key + "-")) {
        const view = Bokeh.index.find_one(model);
        if (!view) continue;
        const frame = view.frame.bbox;
        for (const legend of [...model.center, ...model.below, ...model.above, ...model.left, ...model.right])
          if (legend.type === "Legend" && legend.visible) {
            const box = Bokeh.index.find_one(legend).bbox;
            const x = Math.min(box.right, frame.right) - Math.max(box.left, frame.left);
            const y = Math.min(box.bottom, frame.bottom) - Math.max(box.top, frame.top);
            if (x > 0 && y > 0 && box.width > 0) over.push([model.name, x, y]);
          }
      }
  return over;
}"""


#: The page's headings (in Markdown panes' shadow roots) whose box reaches more than half a line below
#: their words: a line holding nothing the reader sees (Panel's hidden link mark "¶", wrapped).
HEADINGS_WITH_A_BLANK_LINE = """() => {
  const blank = [];
  for (const heading of (DEEP_QUERY)(document, "h1, h2, h3")) {
    const texts = [...heading.childNodes].filter(
      (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim(),
    );
    if (texts.length === 0) continue;
    const words = document.createRange();
    words.setStartBefore(texts[0]);
    words.setEndAfter(texts[texts.length - 1]);
    const style = getComputedStyle(heading);
    const bottom = heading.getBoundingClientRect().bottom - parseFloat(style.paddingBottom);
    if (bottom - words.getBoundingClientRect().bottom > parseFloat(style.lineHeight) / 2)
      blank.push(heading.textContent.trim());
  }
  return blank;
}""".replace("DEEP_QUERY", DEEP_QUERY)


@pytest.mark.parametrize("route", [*FIGURES, "explorer"])
def test_a_narrow_screen_wraps_plots_below_the_controls(browser, server, route, tmp_path):
    from browser import AppPage

    page = browser.new_page(viewport={"width": 400, "height": 800})
    app = AppPage(page, server)
    ready = "ravine-readout" if route == "explorer" else f"{route}-readout"
    app.open(route, ready=ready)
    app.settle(600)
    key = "ravine" if route == "explorer" else route
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # no sideways scrolling: titles in lines that fit, legends in rows that fit
    first = page.locator(f".{key}-readout").first.bounding_box()
    assert first["x"] + first["width"] <= 401
    bottoms = page.evaluate(PLOT_BOTTOMS, key)
    top = min(plot[3] for plot in bottoms.values())
    sliders = page.locator(f".bk-Slider[class*='{key}-']")
    last_slider = max(sliders.nth(i).bounding_box()["y"] + 37 for i in range(sliders.count()))
    # The plot right under the sliders (only the figure's buttons and switches between), the readout after.
    assert last_slider <= top < last_slider + 200 and top < first["y"], (last_slider, top, first)
    # Every plot of the figure ends above its caption (nothing drawn over the text below it).
    caption = page.locator(f".{key}-caption").first.bounding_box()
    assert bottoms and max(plot[0] for plot in bottoms.values()) <= caption["y"] + 1, (bottoms, caption)
    assert min(plot[1] for plot in bottoms.values() if plot[2]) >= 200, bottoms  # no legend squeezes a plot
    assert page.evaluate(LEGENDS_OVER_DATA, key) == []
    assert page.evaluate(INK_AT_RIGHT_EDGE, key) == []
    assert page.evaluate(HEADINGS_WITH_A_BLANK_LINE) == []
    page.screenshot(path=str(tmp_path / f"narrow-{route}.png"), full_page=True)
    assert (tmp_path / f"narrow-{route}.png").stat().st_size > 20_000
    app.assert_clean()
    page.close()


#: The words drawn on the page's plots (Labels and LabelSets) in a box, as [text, box luminance 0–1].
LABEL_BOXES = """() => {
  const { color2rgba } = Bokeh.require("core/util/color");
  const boxes = [];
  for (const doc of Bokeh.documents)
    for (const model of doc.all_models)
      if (model.type === "Label" || model.type === "LabelSet") {
        const fill = model.background_fill_color;  // a LabelSet's is a value spec
        const color = fill != null && typeof fill === "object" ? fill.value : fill;
        if (color == null) continue;
        const [r, g, b] = color2rgba(color);
        boxes.push([String(model.text ?? model.type), (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255]);
      }
  return boxes;
}"""


def test_dark_theme_switch_keeps_the_state_and_darkens_page_and_plots(app):
    app.open("ravine", "beta=0.9")
    assert app.read("ravine-plot", "background_fill_color") == "#ffffff"
    light = app.page.evaluate(LABEL_BOXES)
    assert light and min(luminance for _, luminance in light) > 0.9  # light boxes on white plots
    app.page.locator(".theme-switch button").first.click()
    app.page.wait_for_url("**theme=dark**", timeout=10_000)
    app.page.wait_for_function(MODEL_EXISTS, arg="ravine-readout", timeout=30_000)
    assert app.read("ravine-beta", "value") == pytest.approx(0.9)
    assert app.read("ravine-plot", "background_fill_color") != "#ffffff"
    background = app.page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(v) for v in background[background.index("(") + 1 : -1].split(",")[:3])
    assert red + green + blue < 3 * 80, background  # a dark page
    assert "Light theme" in app.page.locator(".theme-switch button").first.inner_text()
    dark = app.page.evaluate(LABEL_BOXES)
    assert len(dark) == len(light) and max(luminance for _, luminance in dark) < 0.2, dark  # no glare


#: `theme.LOG_MAJOR_JS` on ranges of 0.3 to 16 decades anywhere from 10⁻¹⁴ to 10⁶: per range, its
#: ticks and the largest stretch of the axis without one, as a fraction of the axis (in decades).
LOG_TICKS = """([code, seed]) => {
  const major = new Function("cb_data", code);
  let s = seed;
  const random = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const out = [];
  for (let i = 0; i < 600; i++) {
    const span = 0.3 + 15.7 * random() ** 2, low = 10 ** (-14 + 20 * random()), high = low * 10 ** span;
    const ticks = random() < 0.5 ? major({ start: low, end: high }) : major({ start: high, end: low });
    const marks = [Math.log10(low), ...ticks.map(Math.log10), Math.log10(high)];
    const stretch = Math.max(...marks.slice(1).map((m, j) => m - marks[j])) / span;
    out.push({ low, high, span, ticks, stretch });
  }
  return out;
}"""


def test_a_log_axis_is_ticked_along_its_whole_length_at_every_span(page):
    """BokehJS's LogTicker puts linear ticks on a log axis under 2 decades (0.5, 1, 1.5 over 0.06–1.6:
    the lower two thirds unlabelled); the project's ticker leaves no stretch of more than half the axis
    without a tick, with 2 to 10 of them, inside the range and increasing, at any span and place."""
    from app import theme

    for case in page.evaluate(LOG_TICKS, [theme.LOG_MAJOR_JS, 7]):
        ticks = case["ticks"]
        assert 2 <= len(ticks) <= 10, case
        assert all(case["low"] * (1 - 1e-12) <= t <= case["high"] * (1 + 1e-12) for t in ticks), case
        assert ticks == sorted(set(ticks)), case
        assert case["stretch"] <= 0.5, case
