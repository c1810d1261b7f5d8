// Take every plot visual's values from its model, without asking the page's CSS (run once per page).
//
// BokehJS 3.9 lets CSS custom properties (--bk-line-color, --bk-text-font-size, …) override a plot's
// scalar visuals, and looks them up on every paint of every axis, title, label and legend:
// getComputedStyle(element).getPropertyValue(…) for each property, ≈ 3.4 ms of a /regions repaint on
// this machine, and most of a drag's time in JupyterLab, whose page is far larger. No page of this app
// sets one (tests/test_browser_ravine.py checks), so for the plots of this app's documents
// (our_documents.js) the lookup now answers "" — "not set" — at once, and every value comes from the
// model, as it did before; other plots on the page still ask the CSS.
const ours = (view) => window.__momentumDocuments?.has(view.model.document) === true;
// The class that holds the lookup: found from the first view with visuals (they all share it).
const cssLookupOwner = () => {
  for (const doc of Bokeh.documents)
    for (const model of doc.all_models) {
      const view = Bokeh.index.find_one(model);
      for (const visual of view?.visuals ?? []) {
        let proto = Object.getPrototypeOf(visual);
        while (proto != null && !Object.prototype.hasOwnProperty.call(proto, "_get_css_value"))
          proto = Object.getPrototypeOf(proto);
        if (proto != null) return proto;
      }
    }
  return null;
};
const owner = cssLookupOwner();
if (owner != null && !owner.__momentumFromModels) {
  const lookup = (owner.__momentumCssValue = owner._get_css_value);
  owner._get_css_value = function (name) {
    return ours(this.obj) ? "" : lookup.call(this, name);
  };
  owner.__momentumFromModels = true;
}
// A plot's base font size (for sizes in em) was read the same way, from the plot's computed style, on
// every layout of its axes: it is read once per plot now (a plot's font size is set by Bokeh's own
// stylesheet, 13px, and does not change with zoom or data).
const plotView = Bokeh.Models.get("Plot").prototype.default_view.prototype;
const fontSize = Object.getOwnPropertyDescriptor(plotView, "base_font_size");
if (fontSize != null && fontSize.get != null && !plotView.__momentumFontSizeOnce) {
  Object.defineProperty(plotView, "base_font_size", {
    configurable: true,
    get() {
      if (!ours(this)) return fontSize.get.call(this);
      if (this.__momentumFontSize == null) this.__momentumFontSize = fontSize.get.call(this);
      return this.__momentumFontSize;
    },
  });
  plotView.__momentumFontSizeOnce = true;
}
