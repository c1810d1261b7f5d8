"""The (α, β) convergence-region map in a real Chromium against a live `panel serve`."""

import numpy as np
import pytest
from browser import padded

import momentum_core as mc
from app.figures.regions import MAP_WORDS, TRACE_CAP, TRACE_STEPS, rate_grid

pytestmark = pytest.mark.browser


def state(app):
    return (
        app.read("regions-alpha", "value"),
        app.read("regions-beta", "value"),
        10 ** app.read("regions-kappa", "value"),
    )


def assert_plot_matches_core(app):
    alpha, beta, kappa = state(app)
    lam = (1 / kappa, 1.0)
    point = app.data("regions-current_point")
    assert (point["x"][0], point["y"][0]) == pytest.approx((alpha, beta))
    codes = np.asarray(app.read("regions-rate_grid", "data")["rate"]).reshape(rate_grid(kappa).shape)
    # Each cell's colour is the one the colour bar (rates from low to 1) gives its float64 rate: palette
    # bin ⌊256·(rate − low)/(1 − low)⌋, the last bin up to 1 inclusive, grey (257) above 1.
    exact = rate_grid(kappa)
    low, high = app.read("regions-colors", "low"), app.read("regions-colors", "high")
    assert (low, high) == pytest.approx((mc.momentum_optimal_rate(kappa) * 0.98, 1.0))
    position = 256 * (exact - low) / (high - low)
    expected = np.where(exact > high, 257, np.clip(np.floor(position), 0, 255))
    near_an_edge = np.abs(position - np.round(position)) < 1e-9  # float order may differ there only
    assert np.array_equal(codes[~near_an_edge], expected[~near_an_edge])
    assert (codes == 257).any() and (codes < 256).any()
    optimum = app.data("regions-optimum")
    assert (optimum["x"][0], optimum["y"][0]) == pytest.approx(mc.optimal_parameters(*lam))
    frame = app.frame("regions")
    for i, value in enumerate(lam):
        roots = frame[f"root{i}_re"] + 1j * frame[f"root{i}_im"]
        expected = mc.iteration_eigenvalues(alpha, beta, value)
        np.testing.assert_allclose(
            roots, padded(expected.real, frame) + 1j * padded(expected.imag, frame), atol=1e-12
        )
    component = app.read("regions-component", "active")
    full = mc.eigenbasis_errors(
        mc.Quadratic.from_eigenvalues([lam[component]]), [1.0], alpha, beta, TRACE_STEPS
    )[:, 0]
    cut = mc.divergence_step(full, bound=TRACE_CAP)
    expected_trace = full if cut is None else full[:cut]
    np.testing.assert_allclose(frame["trace"], padded(expected_trace, frame), rtol=1e-9, atol=1e-14)
    rate = mc.convergence_rate(alpha, beta, lam)
    readout = app.text("regions-readout")
    assert f"rate max|σ(R)|\t{rate:.4g}" in readout
    assert ("diverges" in readout) == (rate >= 1)


def test_loads_and_matches_core(app):
    app.open("regions")
    assert state(app) == pytest.approx((0.5, 0.6, 100.0))
    assert_plot_matches_core(app)
    labels = app.read("regions-regime_labels", "data")
    assert set(labels["text"]) == {"ripples", "monotone", "alternating", "diverges"}
    for x, y, text in zip(labels["x"], labels["y"], labels["text"], strict=True):
        regime = mc.Regime(int(mc.dominant_regime(x, y, [0.01, 1.0])))
        assert MAP_WORDS[regime] == text  # each label sits in its regime


@pytest.mark.parametrize(
    ("gesture", "target"),
    [("click", (2.0, 0.8)), ("drag the marker", (3.0, 0.2))],
)
def test_clicking_or_dragging_on_the_map_moves_alpha_beta(app, gesture, target):
    app.open("regions")
    if gesture == "click":
        action = lambda: app.click_data("regions-map", *target)  # noqa: E731
    else:
        action = lambda: app.drag_data("regions-map", (0.5, 0.6), target)  # noqa: E731
    app.act_and_wait("regions-current_point", action, settle_ms=600)
    alpha, beta, _ = state(app)
    assert alpha == pytest.approx(target[0], abs=0.05) and beta == pytest.approx(target[1], abs=0.03)
    assert_plot_matches_core(app)


def test_kappa_slider_recomputes_the_map(app):
    app.open("regions")
    # log₁₀ κ from 2 down to 1.5 in steps of 0.01
    app.act_and_wait(
        "regions-optimum", lambda: app.press_on_slider("regions-kappa", "ArrowLeft", times=50), settle_ms=600
    )
    assert state(app)[2] == pytest.approx(10**1.5, rel=1e-6)
    assert_plot_matches_core(app)


def test_component_choice_switches_the_trace(app):
    app.open("regions", "alpha=1.2&beta=0.3")
    app.act_and_wait("regions-frame", lambda: app.page.locator(".regions-component button").nth(1).click())
    assert app.read("regions-component", "active") == 1
    assert_plot_matches_core(app)


def test_shared_link_and_bad_values(app):
    app.open("regions", "alpha=3.9&beta=0.1&kappa=0.5")
    assert "kappa=0.5 is not a valid condition number (κ ≥ 1)" in app.notices()
    assert state(app) == pytest.approx((3.9, 0.1, 1.0))
    assert "diverges" in app.text("regions-readout")  # αλₙ = 3.9 > 2 + 2β = 2.2
    assert_plot_matches_core(app)


def test_an_address_with_a_second_question_mark_opens_with_a_notice(app):
    """A link pasted onto another (Panel's Location failed on a second "?": a blank page)."""
    app.open("regions", "alpha=1.5&kappa=4?kappa=5")
    assert "kappa='4?kappa=5' is not a number; using 100." in app.notices()
    assert state(app) == pytest.approx((1.5, 0.6, 100.0))  # the valid value kept, the odd one refused
    assert_plot_matches_core(app)


def test_the_five_examples_sit_on_the_map_and_a_click_goes_there(app):
    """The small multiples: each ring on the map is its example's (α, β); each plot draws λₙ = 1's run
    there, titled by its regime; a click on example 4 moves (α, β) there and shows λₙ's trace."""
    app.open("regions")
    rings = app.data("regions-examples")
    assert list(zip(rings["x"], rings["y"], strict=True)) == [(a, b) for _, a, b, _ in mc.REGIME_EXAMPLES]
    titles = [app.title(f"regions-example{i}") for i in range(1, 6)]
    assert [t.split(". ", 1)[1] for t in titles] == [name for name, *_ in mc.REGIME_EXAMPLES]
    app.page.locator(".regions-example4").scroll_into_view_if_needed()
    box = app.page.locator(".regions-example4").bounding_box()
    _, alpha, beta, _ = mc.REGIME_EXAMPLES[3]
    app.act_and_wait(
        "regions-frame",
        lambda: app.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2),
        settle_ms=600,
    )
    assert state(app)[:2] == pytest.approx((alpha, beta), abs=1e-3)  # the sliders' steps
    assert app.read("regions-component", "active") == 1
    assert "λ₁ = 0.01" in app.text("regions-readout")
    assert_plot_matches_core(app)
    trace = app.frame("regions")["trace"]
    assert (np.sign(trace[1:20]) == -np.sign(trace[:19])).all()  # alternating sign, as its title says
