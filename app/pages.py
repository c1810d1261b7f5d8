"""Pages: each figure alone (its own route) and the whole explorable in article order (`/explorer`)."""

from __future__ import annotations

import panel as pn

from .prose import (
    COLORIZATION_TEXT,
    CONDITION_TEXT,
    DECOMPOSITION_TEXT,
    HEAVY_BALL,
    INTRO,
    ITERATION,
    OPTIMUM,
    QUADRATIC,
    QUADRATIC_TEXT,
    RAVINE_TEXT,
    REGIONS_AFTER,
    REGIONS_TEXT,
    REGRESSION_TEXT,
    STOCHASTIC_TEXT,
)
from .server import enable_tcp_nodelay
from .theme import CSS

ROUTES = (
    "explorer",
    "ravine",
    "decomposition",
    "regions",
    "condition",
    "regression",
    "colorization",
    "stochastic",
)


def _extension() -> None:
    enable_tcp_nodelay()
    pn.extension("katex", "mathjax", raw_css=[CSS], notifications=False)


def formula(tex: str) -> pn.pane.LaTeX:
    """A display formula, rendered by KaTeX served from this server."""
    return pn.pane.LaTeX(
        f"$\\displaystyle {tex}$", renderer="katex", styles={"font-size": "1.15em"}, margin=(0, 20)
    )


def prose(text: str) -> pn.pane.Markdown:
    return pn.pane.Markdown(text, sizing_mode="stretch_width", max_width=900, styles={"font-size": "16px"})


def figure_page(name: str) -> pn.viewable.Viewable:
    """One figure on its own, its state in the URL as ?alpha=…&beta=…"""
    _extension()
    from .figures import FIGURES

    figure = FIGURES[name]()
    return pn.Column(f"## {figure.heading}", figure, sizing_mode="stretch_width", max_width=1400)


def explorer_page() -> pn.viewable.Viewable:
    """The figures in article order with the maths between; URL keys are prefixed (ravine_alpha)."""
    _extension()
    from .figures import FIGURES

    ravine = FIGURES["ravine"](url_prefix="ravine_")
    decomposition = FIGURES["decomposition"](url_prefix="decomposition_")
    regions = FIGURES["regions"](url_prefix="regions_")
    condition = FIGURES["condition"](url_prefix="condition_")
    regression = FIGURES["regression"](url_prefix="regression_")
    colorization = FIGURES["colorization"](url_prefix="colorization_")
    stochastic = FIGURES["stochastic"](url_prefix="stochastic_")
    return pn.Column(
        prose(INTRO),
        formula(HEAVY_BALL),
        prose(RAVINE_TEXT),
        ravine,
        prose(QUADRATIC_TEXT),
        formula(QUADRATIC),
        prose(DECOMPOSITION_TEXT),
        decomposition,
        prose(REGIONS_TEXT),
        formula(ITERATION),
        prose(REGIONS_AFTER),
        formula(OPTIMUM),
        regions,
        prose(CONDITION_TEXT),
        condition,
        prose(REGRESSION_TEXT),
        regression,
        prose(COLORIZATION_TEXT),
        colorization,
        prose(STOCHASTIC_TEXT),
        stochastic,
        sizing_mode="stretch_width",
        max_width=1400,
    )
