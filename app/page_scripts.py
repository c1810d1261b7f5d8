"""Scripts a page runs once when its document is ready (served pages and static files alike)."""

from __future__ import annotations

from pathlib import Path

from bokeh.document import Document
from bokeh.model import Model
from bokeh.models import CustomJS, Plot

STATIC = Path(__file__).parent / "static"
#: BokehJS rebuilds a legend's entries on every repaint of the data it shows; it asks the page's CSS
#: for every visual's value on every paint; it rewrites style sheets between a paint's glyphs; it
#: compiles a page module's code while the reader's first drag runs it; and it sends the server every
#: value a slider passes through (see each script).
PAGE_SCRIPTS = tuple(
    (STATIC / name).read_text(encoding="utf-8")
    for name in (
        "legend_entries.js",
        "visuals_from_models.js",
        "styles_after_paint.js",
        "warm_modules.js",
        "send_latest.js",
    )
)


def run_page_scripts(doc: Document) -> None:
    """`doc`'s page runs PAGE_SCRIPTS once it is ready: legends keep their entries while nothing they
    show changes, plot visuals take their values from their models without a CSS lookup, a plot's
    style sheets are written once its glyphs are painted, each figure's page module, there now or
    added later, warms up (`page_module.LOADER`), and a served page sends its server a property's newest
    value at most every 100 ms while it keeps changing."""
    for code in PAGE_SCRIPTS:
        doc.js_on_event("document_ready", CustomJS(code=code))


#: A notebook output's warm-up (`warm_modules.js`), run once per document when one of its plots is first
#: laid out (BokehJS then sets the plot's inner_width): a notebook's document never reports itself ready,
#: since BokehJS waits for a view of every root and the output's comm manager (Panel's) has none.
WARM_ON_LAYOUT = """
const doc = cb_obj.document;
const started = (window.__momentumWarmStarted = window.__momentumWarmStarted || new WeakSet());
if (doc != null && !started.has(doc)) {
  started.add(doc);
  ((cb_obj) => {
    WARM_MODULES
  })(doc);
}
""".replace("WARM_MODULES", (STATIC / "warm_modules.js").read_text(encoding="utf-8"))


def warm_up_when_laid_out(root: Model) -> None:
    """Warm up the page modules of `root`'s document (and of figures added to it later) once a plot of
    `root` is laid out: for a notebook's output. Only the warm-up: the other page scripts change BokehJS
    for every plot on the page, and a notebook's page is the reader's, their own plots in it too."""
    callback = CustomJS(code=WARM_ON_LAYOUT)
    for plot in root.select({"type": Plot}):
        plot.js_on_change("inner_width", callback)
