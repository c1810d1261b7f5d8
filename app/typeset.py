"""Text and maths as a reader sees them: Markdown paragraphs whose maths Markdown cannot touch, and
display formulas, all typeset by one renderer (MathJax, the copy Bokeh bundles, drawing SVG).

Maths in prose is written between `$$ … $$`. Markdown would read `_` and `*` inside it as emphasis and
`\\|`, `\\,` as escapes (‖w‖ became |w|, a thin space a comma); here a Markdown plugin
(`mdit_py_plugins.dollarmath`) takes each `$$ … $$` span out before any other rule runs and writes it
back unchanged, and the page's MathJax typesets it in place. SVG output needs no font files: the glyph
outlines travel with the script, so formulas look the same offline, in a static export and in a notebook.
"""

from __future__ import annotations

import panel as pn
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

#: The article's column: a serif text face at 19 px, about 65 characters a line (COLUMN px), centred
#: where the page is wider. System faces only (no font file to download, nothing leaves the page).
SERIF = "Charter, 'Bitstream Charter', 'Sitka Text', Cambria, Georgia, 'DejaVu Serif', serif"
COLUMN = 680
CENTRED = {"margin-left": "auto", "margin-right": "auto"}
TEXT_CSS = f"""
:host, p, li, td, th, blockquote, .markdown {{ font-family: {SERIF}; font-size: 19px; line-height: 1.6; }}
h1, h2, h3 {{ font-family: {SERIF}; font-weight: 600; line-height: 1.25; }}
h1 {{ font-size: 2.1em; margin: 0.6em 0 0.4em; }}
h2 {{ font-size: 1.45em; margin: 1.6em 0 0.5em; }}
code {{ font-size: 0.85em; }}
mjx-container[display="true"] {{ max-width: 100%; overflow-x: auto; overflow-y: hidden; }}
@media (max-width: 600px) {{
  :host, p, li, td, th, blockquote, .markdown {{ font-size: 18px; }}
  h1 {{ font-size: 1.6em; }}
  h2 {{ font-size: 1.3em; }}
}}
/* A heading's link to itself shows only under a pointer that hovers; the hidden mark wrapped to a line of
   its own under a phone's headings (a blank line between heading and text). */
@media (max-width: 600px), (hover: none) {{
  a.header-anchor {{ display: none; }}
}}
"""


def _inline(self: object, tokens: list, idx: int, options: object, env: object) -> str:
    return f"\\({tokens[idx].content}\\)"


def _display(self: object, tokens: list, idx: int, options: object, env: object) -> str:
    return f"$${tokens[idx].content}$$"


def maths_untouched(md: MarkdownIt) -> None:
    """A markdown-it plugin: `$$ … $$` reaches the page as written — inside a paragraph as MathJax's
    inline maths `\\( … \\)` (at the text's size: a fraction or a sum does not open the line),
    on its own line as display maths."""
    dollarmath_plugin(md, double_inline=True, allow_labels=False)
    for token in ("math_inline", "math_inline_double"):
        md.add_render_rule(token, _inline)
    md.add_render_rule("math_block", _display)


def prose(text: str, centred: bool = True) -> pn.pane.Markdown:
    """A paragraph block of the article: Markdown in the article's serif column (`centred` in a wider
    page, or at its left), its `$$ … $$` maths typeset by MathJax. A wide display formula scrolls in
    its own box on a narrow screen."""
    return pn.pane.Markdown(
        text,
        plugins=[maths_untouched],
        sizing_mode="stretch_width",
        max_width=COLUMN if centred else 2 * COLUMN,
        styles=(CENTRED if centred else {}) | {"overflow-x": "auto"},
        stylesheets=[TEXT_CSS],
    )


def formula(tex: str) -> pn.pane.LaTeX:
    """A display formula on its own line, typeset by the same MathJax as the text."""
    return pn.pane.LaTeX(
        f"$\\displaystyle {tex}$",
        renderer="mathjax",
        # At the text's size and a little more; a wide one scrolls in its own box on a phone.
        styles=CENTRED | {"font-size": "21px", "overflow-x": "auto", "max-width": "100%"},
        sizing_mode="stretch_width",
        max_width=COLUMN,
    )
