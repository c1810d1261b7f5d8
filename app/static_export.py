"""Static export: self-contained HTML files that stay interactive with no server (`momentum-explorer export`).

Each file holds one figure's Bokeh models, all JavaScript and CSS inlined. Every figure computes in the
page from its page module (`Figure.page_module`), as served: every control live at the exact value set;
only a typed problem or start (Python parses and decomposes it) needs the server, and its box is off.
The page's scripts are stored gzipped as one base64 text that the browser inflates with its own
DecompressionStream.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from pathlib import Path

import panel as pn
from bokeh.core.json_encoder import serialize_json
from bokeh.document import Document
from bokeh.embed.util import standalone_docs_json_and_render_items
from bokeh.models import (
    Column,
    Div,
    InlineStyleSheet,
    TextInput,
)
from bokeh.models.text import MathText
from bokeh.resources import Resources
from panel.io.resources import set_resource_mode

from .figure import Figure, figure_widgets
from .figures import FIGURES
from .offline_assets import replace_panel_cdn_sheets
from .page_scripts import STATIC, run_page_scripts
from .pages import article_blocks
from .sections import MARGIN_PX, PLACEHOLDER_HEIGHT

#: `inflate(text)`: the Response of a `gzip_base64` text, inflated by the browser's DecompressionStream.
INFLATE = """
const inflate = (text) => {
  const bytes = Uint8Array.fromBase64
    ? Uint8Array.fromBase64(text)
    : Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")));
};
"""


def gzip_base64(raw: bytes) -> str:
    """`raw` gzipped and in base64, as text a page can hold (its `inflate` undoes it)."""
    return base64.b64encode(gzip.compress(raw, 9)).decode()


PROBLEM_NEEDS_SERVER = " Typing another problem needs the live app (<code>panel serve</code>)."
IN_PAGE_NOTE = (
    "<p class='static-note'>Static copy, computed in this page: every control moves the plots, at the "
    "exact value set.{server}</p>"
)


def wire_in_page(doc: Document, figure: Figure, note: Div) -> dict[str, object]:
    """A figure with a page module, as served: every control live, computed in the page at the exact
    value set; only a problem box (it needs Python to parse and decompose) is off. A summary."""
    boxes = [widget for widget in figure_widgets(doc, figure) if isinstance(widget, TextInput)]
    for box in boxes:
        box.disabled = True
    note.text = IN_PAGE_NOTE.format(server=PROBLEM_NEEDS_SERVER if boxes else "")
    live = [widget.name.removeprefix(figure.model_name("")) for widget in figure.widgets]
    return {"figure": figure.key, "live": live}


def static_blocks(keys: list[str], explorer: bool) -> tuple[list[Document], dict[str, object], list[dict]]:
    """The figures as documents, each computing in the page: with `explorer`, the article's blocks (the
    opening and first section, then one document per other section, `pages.article_blocks`); else one
    document per figure.

    Returns the documents, each figure's section model (its note and the figure) and summaries.
    """
    with set_resource_mode("inline"):  # Panel's style sheets inlined too, not linked from its CDN
        figures = {key: FIGURES[key]() for key in keys}
        for figure in figures.values():
            figure.static_copy()  # before it is laid out: what a copy with no server shows differently
        notes = {
            key: Div(
                sizing_mode="stretch_width", name=f"{key}-static_note", css_classes=[f"{key}-static_note"]
            )
            for key in keys
        }
        sections = {
            key: pn.Column(notes[key], figure, sizing_mode="stretch_width") for key, figure in figures.items()
        }
        if explorer:
            blocks = article_blocks(sections)
        else:
            blocks = [pn.Column(section, sizing_mode="stretch_width") for section in sections.values()]
        docs, parts, summaries = [], {}, []
        for key, block in zip(keys, blocks, strict=True):
            doc = Document()
            root = block.get_root(doc)
            doc.add_root(root)
            summaries.append(wire_in_page(doc, figures[key], notes[key]))
            inline_style_sheets(doc)
            run_page_scripts(doc)
            parts[key] = sections[key]._models[root.ref["id"]][0]
            docs.append(doc)
    return docs, parts, summaries


PANEL_DIST = Path(pn.__file__).parent / "dist"


def _css_from_dist(relative: str) -> str:
    """A Panel style sheet's text, its relative url(...) assets inlined as data: URIs."""
    path = PANEL_DIST / relative
    css = path.read_text(encoding="utf-8")

    def data_uri(match: re.Match) -> str:
        asset = (path.parent / match.group(1)).resolve()
        if not asset.is_file():
            return "none"
        mime = "image/svg+xml" if asset.suffix == ".svg" else "application/octet-stream"
        return f"url('data:{mime};base64,{base64.b64encode(asset.read_bytes()).decode()}')"

    return re.sub(r"url\(['\"]?((?!data:)[^'\")]+)['\"]?\)", data_uri, css)


def inline_style_sheets(doc: Document) -> None:
    """Replace style sheets Panel links from its CDN by their text (holoviz/panel#6759, #7073)."""
    replace_panel_cdn_sheets(doc, lambda path: InlineStyleSheet(css=_css_from_dist(path)))


def bundles_for(docs: list[Document], maths: bool = False) -> Resources:
    """Bokeh's bundles inlined, without those no model of `docs` uses: the WebGL one only with a WebGL
    plot, the TeX one only with TeX in a Bokeh model or typeset text (`maths`: the article's formulas).
    (The tables bundle stays: Panel's bundle needs it to load.)"""
    models = [model for doc in docs for model in doc.models]
    components = ["bokeh", "bokeh-widgets", "bokeh-tables"]
    if any(getattr(m, "output_backend", "canvas") == "webgl" for m in models):
        components.append("bokeh-gl")
    if maths or any(isinstance(m, MathText) for m in models):
        components.append("bokeh-mathjax")
    return Resources(mode="inline", components=components)


SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<text>.*?)</script>", re.S)

#: Inflates the packed scripts and runs them in their order (an inline script added to the page runs
#: at once); the document's JSON goes back where BokehJS looks for it, under its id. In a block:
#: nothing of it stays global.
UNPACK = (
    "{"
    + INFLATE
    + """
(async () => {
  const packed = inflate(document.getElementById("momentum-packed").textContent);
  for (const {type, id, text} of JSON.parse(await packed.text())) {
    const script = document.createElement("script");
    if (type !== "text/javascript") script.type = type;
    if (id) script.id = id;
    script.text = text;
    document.body.appendChild(script);
  }
})();
}
"""
)


def pack_scripts(html: str) -> str:
    """The page's scripts (BokehJS, Panel, the document's JSON and the call that renders it) gzipped
    into one base64 text and a few lines that inflate and run them in order with the browser's own
    DecompressionStream: about a third of the bytes (minified JavaScript compresses to ≈ 28 %).

    es-module-shims' options stay in place: it reads them from the page when it starts.
    """
    scripts = []

    def take(match: re.Match) -> str:
        kind = re.search(r'type="([^"]+)"', match["attrs"])
        kind = kind.group(1) if kind else "text/javascript"
        if kind not in ("text/javascript", "application/json"):
            return match[0]
        ident = re.search(r'id="([^"]+)"', match["attrs"])
        scripts.append({"type": kind, "id": ident.group(1) if ident else None, "text": match["text"]})
        return ""

    rest = SCRIPT.sub(take, html)
    packed = gzip_base64(json.dumps(scripts).encode())
    loader = (
        f'<script type="application/octet-stream" id="momentum-packed">{packed}</script>\n'
        f"<script>{UNPACK}</script>\n</body>"
    )
    return rest.replace("</body>", loader, 1)


#: Builds each block of the article past the first when the reader comes near it (app/static/later_blocks.js).
LATER_BLOCKS = (STATIC / "later_blocks.js").read_text(encoding="utf-8").replace("MARGIN_PX", str(MARGIN_PX))


#: A long string that several later blocks' JSON hold (style sheets, page modules) is written once, in
#: a shared table, and in each block as this mark and its index: every block carries Panel's style
#: sheets and the kernel, and gzip, whose window is 32 kB, would not see the copies.
SHARED_MARK = "\u0001"
SHARED_MIN = 200  # characters: shorter strings are left where they are


def share_strings(blocks: list[object]) -> tuple[list[object], list[str]]:
    """`blocks` (JSON values) with every string of ≥ SHARED_MIN characters that occurs more than once
    among them replaced by SHARED_MARK and its index in the returned table."""
    counts: dict[str, int] = {}

    def count(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                count(item)
        elif isinstance(value, list):
            for item in value:
                count(item)
        elif isinstance(value, str) and len(value) >= SHARED_MIN:
            counts[value] = counts.get(value, 0) + 1

    for block in blocks:
        count(block)
    table = [text for text, n in counts.items() if n > 1]
    index = {text: i for i, text in enumerate(table)}

    def swap(value: object) -> object:
        if isinstance(value, dict):
            return {key: swap(item) for key, item in value.items()}
        if isinstance(value, list):
            return [swap(item) for item in value]
        if isinstance(value, str) and value in index:
            return f"{SHARED_MARK}{index[value]}"
        return value

    return [swap(block) for block in blocks], table


def script_json(ident: str, value: object) -> str:
    """`value` as a JSON script the page reads by its id (`</` escaped: it cannot end the script)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/json" id="{ident}">{text}</script>'


def later_blocks(docs: list[Document], keys: list[str]) -> tuple[str, str]:
    """Blocks of the article built when the reader nears them: their slots (each with its section's
    anchor, `#key`) where they will be drawn, and the scripts holding their documents' JSON, their
    shared strings and the code that draws them."""
    slots, blocks = [], []
    for doc, key in zip(docs, keys, strict=True):
        docs_json, items = standalone_docs_json_and_render_items(doc, suppress_callback_warning=True)
        item = items[0].to_json()
        ((root, element),) = item["roots"].items()
        slots.append(
            f'<div class="momentum-later" id="{key}" data-block="momentum-block-{key}" '
            f'style="min-height: {PLACEHOLDER_HEIGHT}px">'
            f'<div id="{element}" data-root-id="{root}" style="display: contents;"></div></div>'
        )
        blocks.append(json.loads(serialize_json({"docs": docs_json, "items": [item]})))
    blocks, table = share_strings(blocks)
    scripts = [script_json(f"momentum-block-{key}", block) for key, block in zip(keys, blocks, strict=True)]
    scripts += [script_json("momentum-strings", table), f"<script>{LATER_BLOCKS}</script>"]
    return "".join(slots), "".join(scripts)


def save(docs: list[Document], path: Path, title: str, maths: bool = False, keys: list[str] = ()) -> int:
    """Write `docs[0]` with every resource `docs` use inlined (its scripts packed), and after it each
    other document (`keys`: their anchors) built when the reader comes near it; the file's size in bytes."""
    pn.io.save.save(docs[0], str(path), title=title, resources=bundles_for(docs, maths))
    html = Path(path).read_text(encoding="utf-8")
    html = re.sub(r'<link rel="(?:apple-touch-icon|icon)"[^>]*>', "", html)  # Panel's point to its CDN
    html = html.replace("<head>", '<head>\n<link rel="icon" href="data:,">', 1)
    if len(docs) > 1:
        slots, scripts = later_blocks(docs[1:], keys[1:])
        head, body = html.split("<body>", 1)
        first = re.search(r'<div id="[^"]+" data-root-id="[^"]+" style="display: contents;"></div>', body)
        body, end, rest = (body[: first.end()] + slots + body[first.end() :]).rpartition("</body>")
        html = f"{head}<body>{body}{scripts}\n{end}{rest}"
    Path(path).write_text(pack_scripts(html), encoding="utf-8")
    return Path(path).stat().st_size


def export_all(out: Path, keys: list[str] | None = None, explorer: bool = True) -> list[dict[str, object]]:
    """out/<figure>.html for each figure, and (`explorer`) out/index.html with every figure and the text.

    The figures are built once: the per-figure files reuse the explorable's sections.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    keys = list(FIGURES) if explorer or not keys else keys
    pn.extension(notifications=False)  # no formula renderer in the figure files: none is needed there
    docs, parts, summaries = static_blocks(keys, explorer)
    blocks = [doc.roots[0] for doc in docs]
    for doc, block in zip(docs, blocks, strict=True):
        doc.remove_root(block)
    results = []
    for key, summary in zip(keys, summaries, strict=True):
        page = Document()
        heading = Div(text=f"<h2>{FIGURES[key].heading}</h2>", sizing_mode="stretch_width")
        page.add_root(Column(heading, parts[key], sizing_mode="stretch_width", max_width=1400))
        run_page_scripts(page)
        path = out / f"{key}.html"
        size = save([page], path, f"Momentum Explorer · {FIGURES[key].heading}")
        results.append({"file": str(path), "bytes": size, "figures": [summary]})
        page.remove_root(page.roots[0])
    if explorer:
        pn.extension("mathjax", notifications=False)  # the text's formulas, inlined too
        for doc, block in zip(docs, blocks, strict=True):
            doc.add_root(block)
        size = save(docs, out / "index.html", "Momentum Explorer", maths=True, keys=keys)
        results.append({"file": str(out / "index.html"), "bytes": size, "figures": summaries})
    return results
