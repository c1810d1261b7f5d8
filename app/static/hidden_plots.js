// A hidden plot is not laid out again each time BokehJS repaints it (run once per page).
//
// /decomposition keeps a plot per scale and hides the other (visible = false): it shares the figure's
// frame source and k axis, so each state that rests has BokehJS repaint it too. A plot out of the
// layout measures its axes against a box of no size, finds them "changed" every time, and lays out the
// whole page again (PlotView._invalidate_layout_if_needed → compute_layout from the root): a layout of
// every plot on the page for a plot no one sees, at every rest — and mid-drag on a loaded machine,
// where the frame of the plot in sight moved with it. A plot of this app's documents (our_documents.js)
// that is not displayed skips that check; shown again, BokehJS lays it out as it does any element that
// comes into the layout.
const plotView = Bokeh.Models.get("Plot").prototype.default_view.prototype;
if (!plotView.__momentumHiddenUnlaid) {
  const ours = (view) => window.__momentumDocuments?.has(view.model.document) === true;
  const invalidate = plotView._invalidate_layout_if_needed;
  plotView._invalidate_layout_if_needed = function () {
    if (!this.is_displayed && ours(this)) return;
    return invalidate.call(this);
  };
  plotView.__momentumHiddenUnlaid = true;
}
