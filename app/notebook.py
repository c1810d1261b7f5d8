"""Momentum Explorer in Jupyter: `from app.notebook import figure; figure("ravine", beta=0.9)`.

The figures are the same classes the server uses; in a notebook their Bokeh controls call back
through Panel's Jupyter comms, and a change repaints at once (there is no session to coalesce in).
"""

from __future__ import annotations

import panel as pn
import param

from .controls import apply_number
from .figure import Figure
from .figures import FIGURES
from .page_scripts import run_page_scripts_when_laid_out

_loaded = False


def _extension() -> None:
    global _loaded
    if not _loaded:
        # inline: BokehJS and Panel's scripts go into the output; by default Panel links them from its CDN.
        pn.extension("mathjax", notifications=False, inline=True)
        _render_hooks()
        _loaded = True


def _render_hooks() -> None:
    """What a cell's output gets beyond Panel's rendering of it:

    - Its style sheets inlined in one pass: a cell's output shows in seconds, not a minute. Inline,
      Panel swaps each model's CDN style sheets for their text after rendering
      (`panel.io.notebook.patch_inline_stylesheets`), one model at a time, and every swap makes the
      document walk all its models again (the whole explorable: 171 walks, ≈ 30 s). Done here first, in
      one pass with the document's model index recomputed once (`doc.models.freeze()`), Panel's own pass
      then finds nothing left to swap.
    - The page scripts a served page runs once it is ready, run once the output is laid out
      (`page_scripts.run_page_scripts_when_laid_out`): its figures' page modules warm up, so the reader's
      first drag finds their code compiled, and its plots paint without asking the page's CSS for every
      visual — in JupyterLab's large page, most of a drag's time.
    """
    from bokeh.models import UIElement
    from panel.io.notebook import patch_inline_stylesheets
    from panel.viewable import Viewable

    if getattr(Viewable, "_momentum_render_hooks", False):
        return
    render_model = Viewable._render_model

    def rendered(self: Viewable, doc: object = None, comm: object = None) -> object:
        model = render_model(self, doc, comm)
        if model.document is not None:
            with model.document.models.freeze():
                if pn.config.inline:
                    for submodel in model.select({"type": UIElement}):
                        patch_inline_stylesheets(submodel)
                run_page_scripts_when_laid_out(model)
        return model

    Viewable._render_model = rendered
    Viewable._momentum_render_hooks = True


def figure(name: str, **params: object) -> Figure:
    """A live figure by route name ("ravine", "regions", …) with optional parameters (alpha=0.05).

    Numbers are clamped to the parameter's bounds (or refused if not finite) like the sliders do,
    with the same notice on the figure; an unknown name or parameter raises ValueError listing the
    valid ones.
    """
    if name not in FIGURES:
        raise ValueError(f"unknown figure {name!r}; choose one of {', '.join(FIGURES)}.")
    cls = FIGURES[name]
    unknown = sorted(set(params) - set(cls.param))
    if unknown:
        raise ValueError(f"{name} has no parameter {', '.join(unknown)}; it has {', '.join(cls.url_fields)}.")
    _extension()
    made = cls()
    for key, value in params.items():
        if isinstance(made.param[key], param.Number):  # as a slider does: clamped, or refused, with a notice
            apply_number(made, key, value, made.notify)
        else:
            setattr(made, key, value)
    return made


def explorer() -> pn.viewable.Viewable:
    """The whole explorable (text, formulas and every figure) in one cell."""
    _extension()
    from .pages import explorer_layout

    return explorer_layout({key: cls(url_prefix=f"{key}_") for key, cls in FIGURES.items()})
