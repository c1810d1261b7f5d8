"""The figures without a browser: any link value or (α, β) leaves a finite, labelled, consistent state."""

import math

import numpy as np
import param
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import momentum_core as mc
from app.figure import INLINE_MAX, shown_html
from app.figures import FIGURES
from app.figures.decomposition import Decomposition
from app.figures.ravine import Ravine
from app.figures.regions import Regions
from app.url_state import parse_query

NASTY = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "nan",
            "-inf",
            "1e999",
            "-0",
            "0x10",
            "1_000",
            "１",
            "٣",
            "None",
            "[1]",
            "1e-400",
            "-0.0",
            "-0e5",
        ]
    ),
    st.integers(-(10**30), 10**30).map(str),
)


#: every URL key of every figure
LINK_KEYS = sorted({field.name for cls in FIGURES.values() for field in cls().url.fields})


def html_text(div):
    return shown_html(div).lower()


def assert_consistent(figure):
    for name, values in figure.frame.data.items():
        assert np.isfinite(np.asarray(values, dtype=float)).all(), name
    text = html_text(figure.readout)
    assert "nan" not in text and "inf" not in text
    for field in figure.url.fields:
        value = getattr(figure, field.name)
        if field.kind is str:
            assert field.validate(value) == value  # a text field only ever holds valid, normalised text
        elif field.kind is not bool:
            assert field.low <= value <= field.high


@pytest.fixture(scope="module")
def figures():
    return {key: cls() for key, cls in FIGURES.items()}


@settings(max_examples=1000, deadline=None)
@given(
    st.sampled_from(sorted(FIGURES)),
    st.dictionaries(
        st.sampled_from(LINK_KEYS),
        NASTY,
        max_size=4,
    ),
)
def test_any_link_gives_a_clamped_consistent_state(figures, key, query):
    figure = figures[key]
    fields = figure.url.fields
    # A link opens a new session: start from the defaults, so each example is reproducible alone.
    defaults = {field.name: figure.param[field.name].default for field in fields}
    values, notices = parse_query(
        {k: [v.encode("utf-8", "surrogatepass")] for k, v in query.items()}, fields, defaults
    )
    figure.param.update(**{**defaults, **values})
    assert_consistent(figure)
    assert all(isinstance(n, str) and len(n) < 300 for n in notices)


@pytest.mark.parametrize("cls", [Ravine, Decomposition, Regions])
def test_every_alpha_beta_on_a_grid_draws_finite_and_labels_divergence(cls):
    figure = cls()
    low_a, high_a = figure.param.alpha.bounds
    low_b, high_b = figure.param.beta.bounds
    for alpha in np.geomspace(low_a, high_a, 9):
        for beta in np.linspace(low_b, high_b, 9):
            figure.param.update(alpha=float(alpha), beta=float(beta))
            assert_consistent(figure)
            eigenvalues = getattr(figure, "eigenvalues", None)
            if eigenvalues is None:
                eigenvalues = (
                    mc.Quadratic.ravine(0.1, 10.0)
                    if cls is Ravine
                    else mc.Quadratic.from_eigenvalues([0.01, 1.0])
                ).eigenvalues
            if mc.convergence_rate(alpha, beta, eigenvalues) >= 1:
                assert "diverges" in html_text(figure.readout), (cls.__name__, alpha, beta)


def test_refused_widget_value_keeps_the_state_and_says_so():
    figure = Ravine()
    before = figure.beta
    figure.beta_slider.value = float("nan")
    assert figure.beta == before and figure.beta_slider.value == pytest.approx(before)
    assert any("invalid value" in item for item in figure.notices.items)
    figure.beta_slider.value = 50.0  # beyond the slider's end: clamped
    assert figure.beta == figure.param.beta.bounds[1]


def test_a_change_sends_only_the_columns_it_changed_short_ones_as_lists():
    """β does not move gradient descent: only the momentum path's columns go to the browser."""
    import panel as pn
    from bokeh.document import Document
    from bokeh.document.events import ColumnDataChangedEvent, ModelChangedEvent

    ravine = Ravine()
    doc = Document()
    doc.add_root(pn.panel(ravine).get_root(doc))
    sent = []
    doc.on_change(lambda event: sent.append(event))
    ravine.beta = 0.9
    frame_events = [e for e in sent if getattr(e, "model", None) is ravine.frame]
    assert len(frame_events) == 1 and isinstance(frame_events[0], ColumnDataChangedEvent)
    assert sorted(frame_events[0].cols) == ["momentum_x", "momentum_y"]
    assert isinstance(ravine.frame.data["momentum_x"], np.ndarray)  # 1 001 values: an array

    decomposition = Decomposition()
    doc.add_root(pn.panel(decomposition).get_root(doc))
    sent.clear()
    decomposition.alpha = 0.5
    changed = [e for e in sent if getattr(e, "model", None) is decomposition.frame]
    assert changed and not any(isinstance(e, ModelChangedEvent) and e.attr != "data" for e in changed)
    for values in decomposition.frame.data.values():  # up to INLINE_MAX values: a JSON list
        assert isinstance(values, list) == (len(values) <= INLINE_MAX)


def test_memo_many_computes_only_what_it_does_not_remember_in_one_call():
    from app.figures.schedules import Schedules

    figure = Schedules()
    calls = []

    def compute(missing):
        calls.append(missing)
        return [f"value {i}" for i in missing]

    assert figure.memo_many([("a",), ("b",)], compute) == ["value 0", "value 1"]
    assert figure.memo_many([("a",), ("c",), ("b",)], compute) == ["value 0", "value 1", "value 1"]
    assert calls == [[0, 1], [1]]  # ("a",) and ("b",) remembered, ("c",) computed alone
    for i in range(figure.memo_size):
        figure.memo((i,), lambda: None)
    figure.memo_many([("a",)], compute)  # forgotten past memo_size keys: computed again
    assert calls[-1] == [0]


def test_a_schedules_change_step_reuses_the_constant_schedules_runs(monkeypatch):
    import momentum_core as mc
    from app.figures.schedules import Schedules

    figure = Schedules()
    solved = []
    original = mc.heavy_ball_and_primal_averaging_errors

    def counted(quad, start, alphas, *rest):
        solved.append(len(alphas))
        return original(quad, start, alphas, *rest)

    monkeypatch.setattr(mc, "heavy_ball_and_primal_averaging_errors", counted)
    figure.change = 700  # the constant schedule does not depend on it
    figure.factor = 0.5  # nor do the constant and warm-up schedules on the factor
    assert solved == [3, 2]


def test_a_lines_corners_draw_the_same_line():
    from app.figures.schedules import corners

    rng = np.random.default_rng(2)
    ramp = 0.2 / (1 - np.linspace(0, 0.9, 100))
    values = np.concatenate([np.full(300, 0.2), np.full(200, 0.02), ramp, [0.5]])
    values = np.concatenate([values, rng.choice([1.0, 2.0], 50)])  # short runs and single steps too
    k, kept = corners(values)
    assert len(k) < len(values) and k[0] == 0 and k[-1] == len(values) - 1
    np.testing.assert_array_equal(np.interp(np.arange(len(values)), k, kept), values)
    assert len(corners(np.full(1500, 0.2))[0]) == 2


@pytest.mark.skipif(np.finfo(np.longdouble).eps > 1e-18, reason="needs 80-bit long double")
def test_stochastic_losses_keep_their_digits_on_an_ill_conditioned_problem():
    """½wᵀAw from the iterates loses ≈ κ·10⁻¹⁶ of its relative precision to cancellation between A's
    entries (2·10⁻⁹ here); the figure's gaps, from the runs' errors in the eigenbasis, match the drawn
    iterates' gaps computed in long double to 10⁻¹¹."""
    from app.figures.stochastic import START, Stochastic
    from app.problems import problem_from_text

    text = "1, 0.9999999; 0.9999999, 1"  # eigenvalues 10⁻⁷ and 2: κ ≈ 2·10⁷
    quad = problem_from_text(text)
    for alpha, beta in ((0.5, 0.9), (0.05, 0.99)):
        figure = Stochastic(problem=text, noise=0.0, alpha=alpha, beta=beta, steps=1500)
        w = mc.heavy_ball(quad, START, alpha, beta, 1500).astype(np.longdouble)
        reference = 0.5 * np.einsum("ki,ij,kj->k", w, quad.A.astype(np.longdouble), w)
        np.testing.assert_allclose(figure.runs()["exact"], reference.astype(float), rtol=1e-11)


def test_on_log_axis_sends_float32_only_where_it_is_below_a_pixel():
    from app.figure import on_log_axis

    spanning = np.geomspace(1e-30, 1e30, 1001)
    sent = on_log_axis(spanning)
    assert sent.dtype == np.float32
    assert np.max(np.abs(sent / spanning - 1)) <= 2.0**-24  # rounded to the nearest float32
    for kept in ([0.0, 1.0], [1e-40, 1.0], [1.0, 1e39], [1.0, 1.0001], [np.inf, 1.0], [-1.0, 1.0]):
        assert on_log_axis(kept).dtype == np.float64, kept  # not a normal float32, or nearly flat


def random_states(cls, count, rng):
    """`count` states of a figure's numeric sliders drawn uniformly within their bounds."""
    numeric = {name: p for name, p in cls.param.objects().items() if isinstance(p, param.Number) and p.bounds}
    for _ in range(count):
        state = {}
        for name, p in numeric.items():
            low, high = p.bounds
            value = rng.uniform(low, high)
            state[name] = round(value) if isinstance(p, param.Integer) else float(value)
        yield state


def drawing_axes(figure):
    """{column: [(scale, range, height)]}: every axis on which a glyph of the figure's frame draws it."""
    from bokeh.models import GlyphRenderer, Plot

    axes = {}
    for plot in figure.layout().get_root().select({"type": Plot}):
        for renderer in plot.renderers:
            if not isinstance(renderer, GlyphRenderer) or renderer.data_source is not figure.frame:
                continue
            for field, scale, span in (("x", plot.x_scale, plot.x_range), ("y", plot.y_scale, plot.y_range)):
                column = getattr(renderer.glyph, field, None)
                if isinstance(column, str):
                    axes.setdefault(column, []).append((scale, span, plot.height))
    return axes


@pytest.mark.parametrize("key", sorted(FIGURES))
def test_float32_columns_are_drawn_on_log_axes_under_a_tenth_of_a_pixel_off(key, monkeypatch):
    """What `on_log_axis` sends as float32, against the same figure sending float64: every such column
    is drawn on log axes only, and off by under 0.1 px there (an axis ranged to its data spans at least
    the column; a fixed one its range), at the defaults and at random slider states."""
    from bokeh.models import LogScale, Range1d

    import app.figure

    cls = FIGURES[key]
    states = [{}, *random_states(cls, 4, np.random.default_rng(14))]
    sent = [dict(cls(**state).frame.data) for state in states]
    monkeypatch.setattr(app.figure, "LOG_AXIS_MIN_DECADES", np.inf)  # every column float64
    exact = [dict(cls(**state).frame.data) for state in states]
    axes = drawing_axes(cls())
    float32_columns = 0
    for drawn, reference in zip(sent, exact, strict=True):
        for column, values in drawn.items():
            if getattr(values, "dtype", None) != np.float32:
                continue
            float32_columns += 1
            assert axes.get(column), f"{key}: float32 column {column} is drawn by no glyph"
            true = np.asarray(reference[column], dtype=float)
            off = np.abs(np.log10(values.astype(float)) - np.log10(true)).max()  # decades
            for scale, span, height in axes[column]:
                assert isinstance(scale, LogScale), f"{key}: float32 column {column} on a linear axis"
                decades = (
                    abs(np.log10(span.end / span.start))
                    if isinstance(span, Range1d)
                    else np.log10(true.max() / true.min())
                )
                assert off / decades * height < 0.1, (key, column)
    if key in ("schedules", "stochastic", "limits", "custom", "hurts", "colorization", "physics"):
        assert float32_columns  # these figures draw losses or errors on log axes: sent as float32


@pytest.mark.parametrize("key", list(FIGURES))
def test_no_legend_covers_the_data_and_every_title_fits_a_phone(key):
    """Every legend is under its plot, outside the frame, in rows that fit a 400 px plot; every plot
    title is in lines that fit one (BokehJS neither wraps a title nor keeps a legend off a curve)."""
    from bokeh.models import Legend, Plot

    from app import theme

    with theme.plots_made() as plots:
        FIGURES[key]()
    assert plots
    for plot in plots:
        assert isinstance(plot, Plot)
        assert not [r for r in plot.center if isinstance(r, Legend)], (
            f"{plot.name}: a legend inside the frame"
        )
        panels = [*plot.above, *plot.left, *plot.right]
        assert not [r for r in panels if isinstance(r, Legend)], f"{plot.name}: a legend beside the plot"
        for legend in [r for r in plot.below if isinstance(r, Legend)]:
            assert legend.orientation == "horizontal"
            labels = [theme.label_text(item) for item in legend.items]
            assert (
                legend.ncols * (max(map(len, labels), default=0) + 5) <= theme.LEGEND_ROW_CHARS
                or legend.ncols == 1
            )
        lines = plot.title.text.split("\n") if plot.title else []
        assert all(len(line) <= theme.TITLE_CHARS for line in lines), plot.title.text


def test_long_titles_break_between_words_into_even_lines():
    from app.theme import title_lines

    assert title_lines("short title") == "short title"
    broken = title_lines("The colour after k iterations (pixel 0 is seeded with 1)")
    assert broken == "The colour after k iterations\n(pixel 0 is seeded with 1)"
    three = title_lines(" ".join(["word"] * 30), limit=44)
    assert all(len(line) <= 44 for line in three.split("\n")) and three.replace("\n", " ") == " ".join(
        ["word"] * 30
    )


def test_decomposition_starts_with_equal_shares_and_bars_end_when_each_is_done():
    """xᵢ⁰ = 1/√λᵢ gives every band ½ at k = 0; under gradient descent a share is ½(1 − αλᵢ)²ᵏ, done
    (≤ 1/100 of its start) from k = ⌈ln 0.01 / (2 ln|1 − αλᵢ|)⌉ on: the bars' steps and words."""
    from app.figures.decomposition import EIGENVALUES, equal_shares_start

    figure = Decomposition()
    alpha = figure.alpha
    shares = mc.loss_contributions(figure.quad(), equal_shares_start(figure.quad()), alpha, 0.0, 1)
    np.testing.assert_allclose(shares[0], 0.5, rtol=1e-12)
    expected = [math.ceil(math.log(0.01) / (2 * math.log(abs(1 - alpha * lam)))) for lam in EIGENVALUES]
    done = figure.done_source.data
    assert done["right"] == [float(k) for k in expected]
    assert done["text"] == [
        f"λ{i + 1} = {lam:g}: step {k}" for i, (lam, k) in enumerate(zip(EIGENVALUES, expected, strict=True))
    ]
    assert done["row"] == [2, 1, 0]  # λ₁ on top
    figure.param.update(steps=50)
    assert figure.done_source.data["text"][0] == "λ1 = 0.01: not within 50 steps"
    figure.param.update(alpha=2.5)  # |1 − 2.5| > 1: λ₃ diverges past the cut
    assert all(text.endswith("diverges") for text in figure.done_source.data["text"])


def test_colorization_pixels_have_their_colour_scale():
    """The pixel rows are read against a colour bar of the very mapper that colours them (0 to 1)."""
    from bokeh.models import ColorBar

    from app.figures.colorization import Colorization

    figure = Colorization()
    bars = [r for r in figure.pixels_plot.below if isinstance(r, ColorBar)]
    assert len(bars) == 1 and bars[0].color_mapper is figure.mapper
    fills = {
        r.glyph.fill_color["transform"]
        for r in figure.pixels_plot.renderers
        if hasattr(r.glyph, "fill_color")
    }
    assert fills == {figure.mapper} and (figure.mapper.low, figure.mapper.high) == (0.0, 1.0)


def test_colorization_draws_each_pixel_once():
    """The pixel rows' rects come from a source n rows long: in the frame, padded to the curves' 1 001
    steps by repeating the last value, the last pixel was drawn over itself 942 times (its edges darker,
    a diverged row's colour seeping past the grey over it)."""
    from bokeh.models import Rect

    from app.figures.colorization import Colorization

    for n in (2, 20, 200):
        figure = Colorization(pixels=n)
        rects = [r for r in figure.pixels_plot.renderers if isinstance(r.glyph, Rect)]
        assert len(rects) == 2
        for renderer in rects:
            data = renderer.data_source.data
            assert {len(values) for values in data.values()} == {n}, n
            np.testing.assert_array_equal(data["x"], np.arange(n))


def covering_a_marker(row: int, col: int, markers: list, reach: tuple[int, int]) -> bool:
    return any(abs(r - row) <= reach[0] and abs(c - col) <= reach[1] for r, c in markers)


def test_regime_labels_stay_clear_of_each_other_and_of_the_markers():
    """Over the κ slider's range, each regime's label (its box sized for a phone's map) is inside the
    map, clear of the other labels, centred on a cell of its regime wherever a box so centred fits
    the map (a strip narrower than its words, at the map's edge, cannot hold one), and clear of the
    numbered rings, the opening marker and the optimum's star wherever its regime has such a place.
    The labels had covered each other at κ = 3 and 10, and run off the map's top at κ = 1 000; with
    the regimes' full names for words, they covered a marker at 33 of these κs (at 1 here)."""
    from app.figures import regions

    alphas, betas = regions.ALPHAS[:: regions.LABEL_STRIDE], regions.BETAS[:: regions.LABEL_STRIDE]
    rows, cols = len(betas), len(alphas)
    across_m, up_m = regions.MARKER_CELLS
    covering = 0
    for kappa in np.geomspace(1.0, 1e4, 81):
        lam = [regions.LAM_MAX / kappa, regions.LAM_MAX]
        codes = mc.dominant_regime(alphas[None, :], betas[:, None], lam)
        markers = [*regions.fixed_markers(), regions.label_cell(*mc.optimal_parameters(*lam))]
        labels = regions.regime_label_positions(kappa)
        assert len(labels["text"]) >= 3, kappa
        boxes = []
        for x, y, text in zip(labels["x"], labels["y"], labels["text"], strict=True):
            (row, col), (across, up) = regions.label_cell(x, y), regions.label_box(text)
            regime = next(r for r in mc.Regime if regions.MAP_WORDS[r] == text)
            fits = (codes[up : rows - up, across : cols - across] == regime).any()
            assert not fits or codes[row, col] == regime, (kappa, text)
            box = (row - up, row + up, col - across, col + across)
            assert box[0] >= 0 and box[1] < rows and box[2] >= 0 and box[3] < cols, (kappa, text)
            for other in boxes:
                apart = box[1] < other[0] or other[1] < box[0] or box[3] < other[2] or other[3] < box[2]
                assert apart, (kappa, text)
            boxes.append(box)
            reach = (up + up_m, across + across_m)  # a marker this near a centre is under its box
            if covering_a_marker(row, col, markers, reach):
                covering += 1
                clear = [
                    (r, c)
                    for r in range(up, rows - up)
                    for c in range(across, cols - across)
                    if codes[r, c] == regime and not covering_a_marker(r, c, markers, reach)
                ]
                assert clear == [], (kappa, text, clear[:3])
    assert covering <= 1, covering


#: Glyphs that draw one item a row (as opposed to lines and areas through all the rows).
PER_ROW = {"Scatter", "Circle", "Rect", "VBar", "HBar", "Quad", "Block", "Text", "Segment", "Ray", "Ellipse",
           "Wedge", "AnnularWedge", "Annulus"}  # fmt: skip


@pytest.mark.parametrize("key", sorted(FIGURES))
def test_no_glyph_draws_an_item_a_row_of_a_padded_column(key, monkeypatch):
    """The frame's short columns are padded to its length by repeating their last value (`figure.pad`,
    the kernel's `pad`): a line ends there, but a glyph of an item a row would draw its last item again for
    every padded row (`/colorization`'s last pixel was drawn 942 times). Such a glyph draws from a source
    of its own, from columns as long as the frame, or through a view that leaves out repeated rows
    (theme.DOTS_ONCE) — at the defaults and at random states, the ends of the sliders included."""
    from bokeh.models import GlyphRenderer, Plot

    import app.figure
    from app.theme import DOTS_ONCE

    cls = FIGURES[key]
    padded: set[str] = set()  # frame columns sent shorter than the frame, in some state
    publish = app.figure.publish

    def recording(source, columns):
        if source.name == f"{key}-frame":
            length = max(len(values) for values in columns.values())
            padded.update(name for name, values in columns.items() if len(values) < length)
        publish(source, columns)

    monkeypatch.setattr(app.figure, "publish", recording)
    numeric = [name for name, p in cls.param.objects().items() if isinstance(p, param.Number) and p.bounds]
    ends = [{name: cls.param[name].bounds[i] for name in numeric} for i in (0, 1)]
    for state in [{}, *ends, *random_states(cls, 6, np.random.default_rng(27))]:
        figure = cls(**state)
    offending = [
        f"{type(renderer.glyph).__name__} on {plot.name}: {sorted(used & padded)}"  # the padded fields
        for plot in figure.layout().get_root().select({"type": Plot})
        for renderer in plot.renderers
        if isinstance(renderer, GlyphRenderer)
        and renderer.data_source is figure.frame
        and type(renderer.glyph).__name__ in PER_ROW
        and DOTS_ONCE not in getattr(renderer.view.filter, "tags", [])
        for used in [
            {
                f
                for v in renderer.glyph.properties_with_values().values()
                for f in [getattr(v, "field", v)]
                if isinstance(f, str)
            }
        ]
        if used & padded
    ]
    assert not offending, offending


def test_every_log_axis_and_its_grid_use_the_projects_log_ticker():
    from bokeh.models import Axis, CustomJSTicker, Grid, LogScale, Plot

    from app import theme

    for key, cls in FIGURES.items():
        for plot in cls().layout().get_root().select({"type": Plot}):
            for dim, scale in (("x", plot.x_scale), ("y", plot.y_scale)):
                if not isinstance(scale, LogScale):
                    continue
                guides = [g for g in plot.select({"type": Axis}) if g in getattr(plot, f"{dim}axis")]
                guides += [g for g in plot.select({"type": Grid}) if g.dimension == (0 if dim == "x" else 1)]
                assert guides, (key, plot.name, dim)
                for guide in guides:
                    assert isinstance(guide.ticker, CustomJSTicker), (key, plot.name, dim, guide)
                    assert guide.ticker.major_code == theme.LOG_MAJOR_JS


def test_a_line_across_a_plot_passes_under_every_boxed_label():
    """A span (a line across the plot: /limits' k, /model's edges) is painted before every label in a
    box on its plot: the box keeps the words legible where the line crosses them (BokehJS paints by
    level, then in the order added; most spans are on the "overlay" level, above a label's default)."""
    from bokeh.core.enums import RenderLevel
    from bokeh.models import Label, LabelSet, Plot, Span

    levels = list(RenderLevel)  # in the order BokehJS paints them
    crossings = 0
    for key, cls in FIGURES.items():
        for plot in cls().layout().get_root().select({"type": Plot}):
            order = {id(a): (levels.index(a.level), i) for i, a in enumerate(plot.center)}
            spans = [a for a in plot.center if isinstance(a, Span)]
            boxed = [a for a in plot.center if isinstance(a, Label | LabelSet) and a.background_fill_color]
            for span in spans:
                for label in boxed:
                    crossings += 1
                    assert order[id(span)] < order[id(label)], (key, plot.name, label.text)
    assert crossings >= 6


def test_a_served_network_run_is_computed_off_the_event_loop_and_stops_when_the_sliders_move(monkeypatch):
    """Served, `/model`'s network runs in `network_thread` (the event loop answers every reader's
    messages meanwhile); a move of the sliders stops the run for the state they left at its next step,
    and nothing of it is shown or kept; the run for the new state is shown through the document's
    next tick, equal to the runs computed directly."""
    import threading

    from app.figures import model

    calls: list[str] = []
    started, moved = threading.Event(), threading.Event()
    run = model.nets.network_run

    def watched(net, alpha, beta, steps, checkpoint=None, **kwargs):
        def counted() -> None:
            calls.append(threading.current_thread().name)
            if len(calls) == 10:
                started.set()
                moved.wait(30)
            checkpoint()

        return run(net, alpha, beta, steps, checkpoint=counted, **kwargs)

    class Document:  # what the figure uses of a served session's document
        def __init__(self) -> None:
            self.next_ticks: list = []

        def add_next_tick_callback(self, callback) -> None:
            self.next_ticks.append(callback)

        def add_timeout_callback(self, callback, ms) -> None:
            pass

    figure = model.Model(alpha=4.321, beta=0.5, steps=50)
    figure._doc = document = Document()
    monkeypatch.setattr(model.nets, "network_run", watched)
    idle = lambda: model.network_thread().submit(lambda: None).result(timeout=60)  # noqa: E731

    figure.update_network()  # returns at once: the run is the thread's
    assert started.wait(30)
    assert {name.startswith("network") for name in calls} == {True}
    figure.beta = 0.6  # the reader moves on: the run for β = 0.5 stops at its next step
    moved.set()
    idle()
    assert len(calls) == 10 and document.next_ticks == []  # no step after the move
    assert (4.321, 0.5, 50) not in model._network_kept
    figure.update_network()  # the sliders have rested at β = 0.6
    idle()
    assert len(document.next_ticks) == 1
    document.next_ticks[0]()
    assert "β = 0.6," in html_text(figure.network_readout)
    drawn = figure.network_frame.data  # columns padded to one length with their last value
    for key, result in model.network_results(4.321, 0.6, 50).items():
        run = result["run"]
        np.testing.assert_array_equal(drawn[f"measured_{key}"][: len(run.measured)], run.measured)
        np.testing.assert_allclose(drawn[f"loss_{key}"][: len(run.loss)], run.loss, rtol=2**-23)
