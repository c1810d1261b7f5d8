"""Scripts a page runs once when its document is ready (served pages and static files alike; a notebook's
output once it is laid out)."""

from __future__ import annotations

from pathlib import Path

from bokeh.document import Document
from bokeh.model import Model
from bokeh.models import CustomJS, Plot

STATIC = Path(__file__).parent / "static"
#: The document is marked as this app's (the other scripts change BokehJS for its plots only); BokehJS
#: rebuilds a legend's entries on every repaint of the data it shows; it asks the page's CSS for every
#: visual's value on every paint; it rewrites style sheets between a paint's glyphs; it lays the page
#: out again for each repaint of a hidden plot (/decomposition's other scale); it compiles a page
#: module's code while the reader's first drag runs it; noUiSlider names no slider's handle and reads
#: out the track's number (log₁₀ α); and BokehJS sends the server every value a slider passes through
#: (see each script). By name, in the order they run.
SCRIPTS = {
    name: (STATIC / name).read_text(encoding="utf-8")
    for name in (
        "our_documents.js",
        "legend_entries.js",
        "visuals_from_models.js",
        "styles_after_paint.js",
        "hidden_plots.js",
        "warm_modules.js",
        "slider_names.js",
        "send_latest.js",
    )
}
PAGE_SCRIPTS = tuple(SCRIPTS.values())
#: A notebook's output has no session to send values through: all but send_latest.js.
NOTEBOOK_SCRIPTS = tuple(code for name, code in SCRIPTS.items() if name != "send_latest.js")


def run_page_scripts(doc: Document) -> None:
    """`doc`'s page runs PAGE_SCRIPTS once it is ready: the document is marked as this app's (what
    follows changes BokehJS for its plots only), legends keep their entries while nothing they show
    changes, plot visuals take their values from their models without a CSS lookup, a plot's style
    sheets are written once its glyphs are painted, a hidden plot is not laid out, each figure's page
    module, there now or added later, warms up (`page_module.LOADER`), a slider's handle is named by
    its title and read as its shown value, and a served page sends its server a property's newest value
    at most every 100 ms while it keeps changing."""
    for code in PAGE_SCRIPTS:
        doc.js_on_event("document_ready", CustomJS(code=code))


#: NOTEBOOK_SCRIPTS, each with the document as cb_obj, once per document, run from a plot's first layout
#: (BokehJS then sets its inner_width): a notebook output's document never reports itself ready, since
#: BokehJS waits for a view of every root and the output's comm manager (Panel's) has none.
ON_LAYOUT = """
const doc = cb_obj.document;
const started = (window.__momentumScriptsRun = window.__momentumScriptsRun || new WeakSet());
if (doc != null && !started.has(doc)) {
  started.add(doc);
  SCRIPTS
}
""".replace("SCRIPTS", "\n".join(f"((cb_obj) => {{\n{code}\n}})(doc);" for code in NOTEBOOK_SCRIPTS))


def run_page_scripts_when_laid_out(root: Model) -> None:
    """For a notebook's output: its document runs NOTEBOOK_SCRIPTS once a plot of `root` is laid out
    (its figures' page modules warm up, and its plots paint as a served page's do; the reader's own
    plots on the page are left as BokehJS paints them)."""
    callback = CustomJS(code=ON_LAYOUT)
    for plot in root.select({"type": Plot}):
        plot.js_on_change("inner_width", callback)
