"""What the reader reads: every route's text and formulas typeset, no raw markup anywhere.

Two views of each page are checked: the text a reader sees (every text node, through every shadow
root, maths excepted) and the text the server sent (each model's HTML/Markdown `text`). Markdown must
not reach into maths (no emphasis tags inside `$$ … $$`), no TeX may show as TeX, MathJax must report no
error, and no "undefined", "NaN" or "Infinity" may appear.
"""

import html
import re

import pytest
from browser import DEEP_QUERY

from app.figures import FIGURES
from app.pages import ROUTES

pytestmark = pytest.mark.browser

#: Every text node the reader can see, through shadow roots; typeset maths and code blocks left out.
VISIBLE_TEXT = """() => {
  const skip = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "MJX-CONTAINER", "PRE", "CODE"]);
  const texts = [];
  const walk = (root) => {
    for (const node of root.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) texts.push(node.textContent);
      else if (node.nodeType === Node.ELEMENT_NODE && !skip.has(node.tagName.toUpperCase())) {
        if (node.shadowRoot) walk(node.shadowRoot);
        walk(node);
      }
    }
  };
  walk(document.body);
  return texts.join(" ");
}"""

#: Elements matching a selector, through shadow roots.
COUNT = "(selector) => (DEEP_QUERY)(document, selector).length".replace("DEEP_QUERY", DEEP_QUERY)

#: The text of every model that holds HTML or Markdown text (display formulas, pure TeX, left out).
MODEL_TEXTS = """() => {
  const out = [];
  for (const doc of Bokeh.documents)
    for (const model of doc.all_models)
      if (typeof model.text === "string" && !/MathJax|KaTeX|LaTeX/.test(model.type)) out.push(model.text);
  return out;
}"""

TEX_COMMAND = re.compile(r"\\[A-Za-z]{2,}")
RAW_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?>")
FORBIDDEN_WORDS = re.compile(r"\b(undefined|NaN|Infinity|ParseError)\b")
#: Maths as the page's MathJax reads it: display `$$ … $$`, inline `\( … \)` (app/typeset.py).
MATHS = re.compile(r"\$\$.+?\$\$|\\\(.+?\\\)", re.S)
CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)


def wait_until_typeset(page) -> None:
    """Until the number of typeset formulas has stopped changing (MathJax loads, then typesets)."""
    page.wait_for_function(
        f"""() => {{
          const n = ({COUNT})("mjx-container");
          const done = window.__mjx === n && performance.now() - window.__mjxAt > 800;
          if (window.__mjx !== n) {{ window.__mjx = n; window.__mjxAt = performance.now(); }}
          return done;
        }}""",
        polling=200,
        timeout=60_000,
    )


@pytest.mark.parametrize("route", ROUTES)
def test_text_and_formulas_reach_the_reader_typeset_with_no_raw_markup(app, route):
    app.open("" if route == "explorer" else route, ready="ravine-embed" if route == "embed" else None)
    if route == "explorer":  # read the whole article: scroll to its end, building every section
        app.scroll_until_built(list(FIGURES)[-1])
    wait_until_typeset(app.page)

    seen = app.page.evaluate(VISIBLE_TEXT)
    assert "$$" not in seen
    assert TEX_COMMAND.findall(seen) == [], "TeX shown as text"
    assert RAW_TAG.findall(seen) == [], "HTML tags shown as text"
    assert FORBIDDEN_WORDS.findall(seen) == []
    assert app.page.evaluate(COUNT, "[data-mjx-error], mjx-merror") == 0, "MathJax could not typeset"

    for sent in app.page.evaluate(MODEL_TEXTS):
        text = CODE.sub("", html.unescape(sent))
        for maths in MATHS.findall(text):
            assert not re.search(r"</?(em|strong|i|b)>", maths), f"Markdown reached into maths: {maths!r}"
        outside = MATHS.sub("", text)
        assert TEX_COMMAND.findall(outside) == [], f"TeX outside maths: {outside[:200]!r}"
        assert FORBIDDEN_WORDS.findall(outside) == []

    if route == "explorer":  # the article's maths: every span and display formula typeset
        spans = sum(len(MATHS.findall(html.unescape(t))) for t in app.page.evaluate(MODEL_TEXTS))
        assert spans >= 60
        assert app.page.evaluate(COUNT, "mjx-container svg") >= spans + 4
