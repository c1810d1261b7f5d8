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

#: A wide display formula in the text scrolls in its own box on a narrow screen, not the page.
WIDE_MATH_CSS = "mjx-container { max-width: 100%; overflow-x: auto; overflow-y: hidden; }"


def _as_written(self: object, tokens: list, idx: int, options: object, env: object) -> str:
    return f"$${tokens[idx].content}$$"


def maths_untouched(md: MarkdownIt) -> None:
    """A markdown-it plugin: `$$ … $$` (in a paragraph or on its own) reaches the page as written."""
    dollarmath_plugin(md, double_inline=True, allow_labels=False)
    for token in ("math_inline", "math_inline_double", "math_block"):
        md.add_render_rule(token, _as_written)


def prose(text: str) -> pn.pane.Markdown:
    """A paragraph block of the article: Markdown, with its `$$ … $$` maths typeset by MathJax."""
    return pn.pane.Markdown(
        text,
        plugins=[maths_untouched],
        sizing_mode="stretch_width",
        max_width=900,
        styles={"font-size": "16px", "overflow-x": "auto"},
        stylesheets=[WIDE_MATH_CSS],
    )


def formula(tex: str) -> pn.pane.LaTeX:
    """A display formula on its own line, typeset by the same MathJax as the text."""
    return pn.pane.LaTeX(
        f"$\\displaystyle {tex}$",
        renderer="mathjax",
        styles={"font-size": "1.1em", "overflow-x": "auto", "max-width": "100%"},  # scrolls on a phone
        sizing_mode="stretch_width",
        margin=(0, 20),
    )
