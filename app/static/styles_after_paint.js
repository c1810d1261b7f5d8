// Write a plot's style sheets once its glyphs are painted, not between them (run once per page).
//
// BokehJS 3.9 repositions every renderer's element on every paint (RendererView.update_position):
// it rewrites that element's <style> text, the same text nearly always. Each rewrite marks the page's
// styles stale, and the next label the paint draws sets the canvas font, which makes Chromium bring
// every style up to date first (a canvas in the page resolves its font against the page's styles):
// 12 style recalculations, 5 ms, in a /custom steps repaint (a Chrome trace), 10 in a /ravine one. While a plot paints its layers,
// the new text of its style sheets is now held and written when the layer is done (the same text,
// within the same task, before the frame is shown), and text equal to what a sheet already holds is
// not written again. A legend is the exception: it reads its items' places from the page as it
// paints, so what is held is written before it paints, and its own sheets at once. Plots of this app's
// documents only (our_documents.js): others paint as BokehJS paints them.
const sheet = Bokeh.require("core/dom").InlineStyleSheet.prototype;
const plotView = Bokeh.Models.get("Plot").prototype.default_view.prototype;
const legendView = Bokeh.Models.get("Legend").prototype.default_view.prototype;
if (!sheet.__momentumAfterPaint) {
  let held = null; // Map: sheet → its newest text, while a plot paints a layer
  const write = sheet._update;
  const writeNow = (style, css) => {
    if (style.el.textContent !== css) write.call(style, css);
  };
  const apply = (writes) => writes.forEach((css, style) => writeNow(style, css));
  sheet._update = function (css) {
    if (held !== null) held.set(this, css);
    else writeNow(this, css);
  };
  const text = Object.getOwnPropertyDescriptor(sheet, "css");
  Object.defineProperty(sheet, "css", {
    configurable: true,
    get() {
      return held !== null && held.has(this) ? held.get(this) : text.get.call(this);
    },
  });
  const ours = (view) => window.__momentumDocuments?.has(view.model.document) === true;
  const holding = (paint) =>
    function (...args) {
      if (held !== null || !ours(this)) return paint.apply(this, args); // within a layer already: that one writes
      held = new Map();
      try {
        return paint.apply(this, args);
      } finally {
        const writes = held;
        held = null;
        apply(writes);
      }
    };
  const atOnce = (paint) =>
    function (...args) {
      if (held === null) return paint.apply(this, args);
      apply(held);
      held = null;
      try {
        return paint.apply(this, args);
      } finally {
        held = new Map();
      }
    };
  plotView._paint_primary = holding(plotView._paint_primary);
  plotView._paint_overlays = holding(plotView._paint_overlays);
  legendView.paint = atOnce(legendView.paint);
  sheet.__momentumAfterPaint = true;
}
