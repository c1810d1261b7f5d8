"""Your own problem: typed eigenvalues or a 2×2 matrix, strict parsing, messages, last valid problem kept."""

import numpy as np
import pytest
from browser import padded, ravine_state

import momentum_core as mc

pytestmark = pytest.mark.browser


def typed(app, name):
    return app.read(f"custom-{name}", "value")


def enter(app, name, text):
    enter_into(app, f"custom-{name}", text)


def enter_into(app, control, text):
    """Type into a text box as a person does: select all, type, press Enter."""
    box = app.page.locator(f".{control} input").first
    box.click()
    box.press("Control+a")
    box.type(text)
    box.press("Enter")


def assert_matches_core(app, A, start):
    alpha, beta = 10 ** app.read("custom-alpha", "value"), app.read("custom-beta", "value")
    steps = int(app.read("custom-steps", "value"))
    problem = mc.Quadratic(np.array(A, dtype=float), np.zeros(len(A)))
    run = mc.heavy_ball(problem, start, alpha, beta, steps)
    frame = app.frame("custom")
    loss = np.maximum(problem.f(run), 1e-16)
    np.testing.assert_allclose(frame["loss_momentum"], padded(loss, frame), rtol=1e-7, atol=1e-15)
    text = app.text("custom-readout")
    assert f"κ = λₙ/λ₁\t{problem.condition_number:.4g}" in text
    return text


def test_default_problem_and_a_typed_matrix(app):
    app.open("custom")
    assert_matches_core(app, np.diag([0.1, 10.0]), [-3, -1.4])
    app.act_and_wait("custom-frame", lambda: enter(app, "problem", "2, 0.5; 0.5, 1"))
    assert typed(app, "problem") == "2, 0.5; 0.5, 1"
    text = assert_matches_core(app, [[2, 0.5], [0.5, 1]], [-3, -1.4])
    lam = np.linalg.eigvalsh([[2, 0.5], [0.5, 1]])
    assert f"{lam[0]:.4g}, {lam[1]:.4g}" in text
    assert app.read("custom-plane", "visible") is True
    frame = app.frame("custom")
    assert (frame["momentum_x"][0], frame["momentum_y"][0]) == pytest.approx((-3, -1.4))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1, 2; 3, 4", "not symmetric"),
        ("1, 2; 2, 1", "positive definite"),
        ("__import__('os')", "is not a number"),
        ("1e-9, 1", "too ill-conditioned"),
        ("1, nan", "'nan' is not a number"),
    ],
)
def test_invalid_input_is_refused_and_the_last_problem_stays(app, text, message):
    app.open("custom", "problem=1,4")
    before = app.frame("custom")["loss_momentum"].copy()
    enter(app, "problem", text)
    for _ in range(100):  # the notice and the box's reset come within a round trip (apart, on a busy machine)
        if message in app.notices() and typed(app, "problem") == "1,4":
            break
        app.settle(100)
    assert message in app.notices()
    assert typed(app, "problem") == "1,4"  # the box shows the kept problem again
    np.testing.assert_array_equal(app.frame("custom")["loss_momentum"], before)


def test_many_eigenvalues_hide_the_plane_and_the_optimum_button_works(app):
    app.open("custom", "problem=0.5 1 2 4 8&start=1,1,1,1,1")
    assert app.read("custom-plane", "visible") is False
    app.act_and_wait("custom-frame", lambda: app.page.locator(".custom-optimal button").click())
    alpha, beta = mc.optimal_parameters(0.5, 8.0)
    assert 10 ** app.read("custom-alpha", "value") == pytest.approx(alpha)
    assert app.read("custom-beta", "value") == pytest.approx(beta)
    assert_matches_core(app, np.diag([0.5, 1, 2, 4, 8]), np.ones(5))


def test_bad_link_keeps_the_default_with_a_notice(app):
    app.open("custom", "problem=1,-2&start=a,b")
    notices = app.notices()
    assert "positive definite" in notices and "'a' is not a number" in notices
    assert typed(app, "problem") == "0.1, 10"
    assert_matches_core(app, np.diag([0.1, 10.0]), [-3, -1.4])


def test_a_slow_rate_reads_as_its_distance_from_one(app):
    """α = 10⁻⁶ on λ₁ = 0.1: gradient descent converges at 1 − 10⁻⁷ a step, which four digits call "1"."""
    app.open("custom", "alpha=0.000001")
    text = app.text("custom-readout")
    assert "converges, rate 1 − 1e-07" in text and "converges, rate 1 − 1e-06" in text, text


def test_a_typed_problem_opens_in_the_plane_figures(app):
    app.open("custom", "problem=2, 0.5; 0.5, 1")
    link = app.page.locator(".custom-readout a", has_text="/ravine").first
    href = link.get_attribute("href")
    assert href.startswith("ravine?problem=")
    app.open(href, ready="ravine-readout")
    assert app.read("ravine-problem", "value") == "2, 0.5; 0.5, 1"
    alpha, beta, steps, start = ravine_state(app)
    problem = mc.Quadratic(np.array([[2, 0.5], [0.5, 1]]), np.zeros(2))
    expected = mc.heavy_ball(problem, start, alpha, beta, steps)
    frame = app.frame("ravine")
    np.testing.assert_allclose(frame["momentum_x"], padded(expected[:, 0], frame), rtol=1e-9, atol=1e-12)
    rate = mc.convergence_rate(alpha, beta, problem.eigenvalues)
    assert f"rate max|σ(R)|\t{rate:.4g}" in app.text("ravine-readout")


def test_plane_figures_refuse_a_problem_that_is_not_2d(app):
    app.open("formulations", "problem=1,2,3")
    assert "needs 2 eigenvalues or a 2×2 matrix" in app.notices()
    assert app.read("formulations-problem", "value") == ""
    app.act_and_wait("formulations-frame", lambda: enter_into(app, "formulations-problem", "0.5, 4"))
    assert app.read("formulations-problem", "value") == "0.5, 4"
    text = app.text("formulations-readout")
    assert f"rate {mc.convergence_rate(0.02, 0.9, [0.5, 4.0]):.4g}" in text


def test_links_carry_the_problem_or_its_kappa(app):
    app.open("custom", "problem=1 2 3")
    hrefs = app.page.locator(".custom-readout a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert hrefs == ["decomposition?problem=1+2+3", "regions?kappa=3", "condition?kappa=3"]
    app.open(hrefs[1], ready="regions-readout")
    assert 10 ** app.read("regions-kappa", "value") == pytest.approx(3)


#: The dots a path's scatter draws (row indices), and the plane's pixels per unit across and up.
DOTS_DRAWN = """(name) => {
  const doc = Bokeh.documents.find((d) => d.get_model_by_name(name) !== null);
  const dots = doc.get_model_by_name(name);
  const plot = [...doc.all_models].find((m) => m.type === "Figure" && m.renderers.includes(dots));
  return [Array.from(dots.view.indices.ones()),
          plot.inner_width / (plot.x_range.end - plot.x_range.start),
          plot.inner_height / (plot.y_range.end - plot.y_range.start)];
}"""


def assert_every_iterate_is_within_half_a_pixel_of_a_dot(app, name, x, y):
    """Returns how many dots are drawn; every iterate lies within 0.5 px, across and up, of one of them."""
    drawn, sx, sy = app.page.evaluate(DOTS_DRAWN, name)
    px, py = np.asarray(x) * sx, np.asarray(y) * sy
    assert drawn[0] == 0 and drawn == sorted(drawn)
    nearest = np.asarray(drawn)[np.searchsorted(drawn, np.arange(len(px)), side="right") - 1]
    assert np.all(np.abs(px - px[nearest]) < 0.5) and np.all(np.abs(py - py[nearest]) < 0.5)
    return len(drawn)


def test_a_long_path_draws_its_dots_half_a_pixel_apart_at_any_zoom(app):
    """3 000 steps: the iterates that pile up at the optimum are drawn as a few dots (each left out lies
    within half a pixel of one drawn); zoomed in on the optimum, the page spreads them out again."""
    app.open("custom", "steps=3000")
    frame = app.frame("custom")
    x, y = frame["momentum_x"], frame["momentum_y"]
    assert len(x) == 3001
    drawn = assert_every_iterate_is_within_half_a_pixel_of_a_dot(app, "custom-momentum-dots", x, y)
    assert drawn < 300
    app.page.evaluate(
        """() => { const doc = Bokeh.documents.find((d) => d.get_model_by_name("custom-plane") !== null);
        const plot = doc.get_model_by_name("custom-plane");
        plot.x_range.setv({start: -0.002, end: 0.002}); plot.y_range.setv({start: -0.002, end: 0.002}); }"""
    )
    app.page.wait_for_timeout(300)  # the filters run again on the next frame
    zoomed = assert_every_iterate_is_within_half_a_pixel_of_a_dot(app, "custom-momentum-dots", x, y)
    assert zoomed > drawn


def test_the_plane_marks_the_start_and_the_optimum(app):
    """The typed start and the problem's w* are marked and named on the path plot, and move with them."""
    app.open("custom", "problem=2, 0.5; 0.5, 1&start=1.5, 2")
    problem = mc.Quadratic(np.array([[2.0, 0.5], [0.5, 1.0]]), np.zeros(2))
    marks = app.read("custom-marks", "data")
    assert marks["label"] == ["start w⁰", "optimum w*"]
    np.testing.assert_allclose([marks["x"], marks["y"]], [[1.5, problem.w_star[0]], [2.0, problem.w_star[1]]])
    frame = app.frame("custom")
    assert (frame["momentum_x"][0], frame["momentum_y"][0]) == pytest.approx(
        (1.5, 2.0)
    )  # the path starts there
