// Keep a legend's entries while nothing they show has changed (run once per page, on document_ready).
//
// BokehJS 3.9 rebuilds every entry of a legend — a new canvas per icon, new elements and, through the
// legend's ResizeObserver, a new layout of its plot — on any change of any model its items reach: a
// figure's frame source, on every repaint. Entries are now rebuilt only when the items, their labels,
// or the visibility of an item or of its renderers change; the icons are still repainted with the plot
// (LegendView._paint_glyphs), and a change of the legend itself still renders it anew. Legends of this
// app's documents only (our_documents.js).
//
// A kept icon is cleared whole before it is painted again: BokehJS clears an icon's canvas after moving
// its origin half a pixel (CanvasLayer.prepare), so the edge pixels of its first column and row keep
// half their ink, and a kept icon darkened there at every repaint (a fresh canvas per render hid it).
const ours = (view) => window.__momentumDocuments?.has(view.model.document) === true;
const view = Bokeh.Models.get("Legend").prototype.default_view.prototype;
const shown = (legend) =>
  legend.model.items
    .map((item) =>
      [
        item.id,
        item.visible,
        item.renderers.map((renderer) => `${renderer.id}:${renderer.visible}`).join(),
        item.get_labels_list_from_label_prop().join("\u0000"),
      ].join("\u0001"),
    )
    .join("\u0002");
if (!view.__momentumKeepsEntries) {
  const renderItems = view._render_items;
  const render = view.render;
  view.render = function () {
    this.__momentumRendering = true;
    try {
      render.call(this);
    } finally {
      this.__momentumRendering = false;
    }
  };
  view._render_items = function () {
    const signature = shown(this);
    const kept = !this.__momentumRendering && this.entries.length > 0 && signature === this.__momentumShown;
    if (kept && ours(this)) return;
    this.__momentumShown = signature;
    renderItems.call(this);
  };
  const paintGlyphs = view._paint_glyphs;
  view._paint_glyphs = function () {
    if (ours(this))
      for (const { glyph } of this.entries) {
        const { ctx } = glyph;
        ctx.save();
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
        ctx.restore();
      }
    paintGlyphs.call(this);
  };
  view.__momentumKeepsEntries = true;
}
// The legends drawn before this ran show what their items say now.
for (const doc of Bokeh.documents)
  for (const model of doc.all_models)
    if (model.type === "Legend") {
      const legend = Bokeh.index.find_one(model);
      if (legend != null) legend.__momentumShown = shown(legend);
    }
