"""The notebook runs headlessly (nbclient) and shows live figures: Panel/Bokeh output in its cells."""

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from app.notebook import figure

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "momentum_explorer.ipynb"


def test_the_notebook_runs_and_every_figure_cell_shows_a_live_bokeh_view():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent.parent)}},
    ).execute()
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(not any(o.output_type == "error" for o in cell.outputs) for cell in code)
    views = [
        cell
        for cell in code
        if any("application/vnd.holoviews_exec.v0+json" in o.get("data", {}) for o in cell.outputs)
    ]
    assert len(views) == 3  # ravine, regions, the explorable
    printed = "".join(o.get("text", "") for cell in code for o in cell.outputs if o.output_type == "stream")
    assert printed.startswith("rate 0.9487")
    bundle = json.dumps([o.get("data", {}) for o in views[0].outputs])
    assert "ravine-frame" in bundle  # the figure's own models, not a static picture


def test_figure_helper_clamps_and_names_what_is_valid():
    ravine = figure("ravine", alpha=50.0, beta=0.5)
    assert ravine.alpha == ravine.param.alpha.bounds[1] and ravine.beta == 0.5
    assert "outside" in ravine.notices.pane.object  # the same notice a slider gives
    refused = figure("ravine", beta=float("nan"), steps=5000)
    assert refused.beta == 0.99 and refused.steps == refused.param.steps.bounds[1]
    assert "Ignored an invalid value" in refused.notices.pane.object
    with pytest.raises(ValueError, match="choose one of ravine"):
        figure("nope")
    with pytest.raises(ValueError, match="has no parameter gamma"):
        figure("ravine", gamma=1)


def test_a_cell_swaps_its_style_sheets_with_one_walk_of_the_document(monkeypatch):
    """Each swap of a CDN style sheet for its text made the document walk all its models again (171
    walks, ≈ 30 s, for the explorable's cell); they are done in one pass, one walk."""
    from bokeh.document.models import DocumentModelManager

    from app.notebook import explorer

    walks = []
    recompute = DocumentModelManager.recompute
    monkeypatch.setattr(DocumentModelManager, "recompute", lambda self: walks.append(1) or recompute(self))
    bundle, _ = explorer()._repr_mimebundle_()
    assert "application/vnd.holoviews_exec.v0+json" in bundle
    assert "cdn.holoviz.org" not in json.dumps(bundle)
    assert len(walks) <= 10, f"{len(walks)} walks of the document's models (176 one swap at a time)"
