"""Section: your own problem — type eigenvalues or a symmetric 2×2 matrix and a start point.

Input is parsed strictly (`state.parse_numbers`: numbers only, nothing evaluated); a problem that is not
symmetric, not positive definite, too big or too ill-conditioned is refused with a message and the last
valid problem stays in place. f(w) = ½wᵀAw (b = 0, so w* = 0 and f* = 0).
"""

from __future__ import annotations

from typing import ClassVar
from urllib.parse import urlencode

import numpy as np
import panel as pn
import param
from bokeh.models import CDSView, ColumnDataSource, IndexFilter, LabelSet, Range1d

import momentum_core as mc

from .. import controls, theme
from ..figure import (
    DIVERGES,
    VERDICTS,
    Figure,
    momentum,
    on_log_axis,
    readout,
    rows,
    side_by_side,
    step_size,
    verdict,
)
from ..page_module import page_action
from ..problems import (
    MAX_DIMENSION,
    check_problem,
    check_start,
    contour_renderer,
    contours,
    problem_from_text,
    problem_spec,
)
from ..url_state import format_number, format_rate, parse_numbers

PLANE_ROUTES = ("ravine", "nesterov", "formulations")  # figures that switch to a typed 2-D problem
MARK_LABELS = ["start w⁰", "optimum w*"]
CAP = 1e6  # a loss above CAP × the starting loss counts as diverging; the curves stop there
FLOOR = 1e-16


#: The caption in a static copy (its problem box is off: typing needs the live app).
STATIC_CAPTION = (
    "Try: press “Optimal α and β for this problem”, then move β either way — "
    "the momentum run converges more slowly."
)


class Custom(Figure):
    """Your quadratic and start; heavy ball at (α, β) against gradient descent at the same α."""

    problem = param.String("0.1, 10", label="Eigenvalues λ₁, …, λₙ or a 2×2 matrix a, b; c, d")
    start = param.String("-3, -1.4", label="Start w⁰")
    alpha = step_size(0.02, 1e-6, 100.0)
    beta = momentum(0.9)
    steps = param.Integer(300, bounds=(1, 3000), label="Steps")

    key = "custom"
    heading = "Your own problem"
    caption = "Try: type eigenvalues such as 1, 100 or a matrix such as 2, 0.5; 0.5, 1 and press Enter."
    url_fields = ("problem", "start", "alpha", "beta", "steps")
    linked = True  # the readout links to the served figures (not in a static copy: `static_copy`)
    validators: ClassVar[dict] = {"problem": check_problem, "start": check_start}
    page_module = "custom.js"
    drag_slider = "steps"

    def build(self) -> None:
        self.loss_plot = self.plot(
            "loss",
            "f(wᵏ) − f*",
            y_axis_type="log",
            y_range=(1e-12, 1e3),
            height=330,
            x_range=Range1d(0, self.steps),
            x_axis_label="iteration k",
        )
        self.parts_plot = self.plot(
            "parts",
            "Each eigencomponent's share ½λᵢ(xᵢᵏ)² (momentum)",
            y_axis_type="log",
            y_range=(1e-12, 1e3),
            height=330,
            x_range=self.loss_plot.x_range,
            x_axis_label="iteration k",
        )
        self.plane = self.plot(
            "plane",
            "The path (2-D problems)",
            height=330,
            match_aspect=True,
            x_range=Range1d(-1, 1),
            y_range=Range1d(-1, 1),
            x_axis_label="w₁",
            y_axis_label="w₂",
        )
        self.contours = contour_renderer(self.plane, problem_from_text("1, 1"), (-1, 1), (-1, 1))
        # The start and the optimum, marked and named on the plane (moved with a typed problem or start).
        self.marks = ColumnDataSource({"x": [0.0, 0.0], "y": [0.0, 0.0], "label": MARK_LABELS},
                                      name=self.model_name("marks"))  # fmt: skip
        start_view = CDSView(filter=IndexFilter([0]))
        optimum_view = CDSView(filter=IndexFilter([1]))
        self.plane.scatter("x", "y", source=self.marks, view=start_view, size=11, fill_color="white",
                           line_color=theme.START, line_width=2)  # fmt: skip
        self.plane.scatter("x", "y", source=self.marks, view=optimum_view, marker="star", size=18,
                           color=theme.OPTIMUM)  # fmt: skip
        self.plane.add_layout(LabelSet(x="x", y="y", text="label", source=self.marks, x_offset=8, y_offset=8,
                                       **theme.LABEL_STYLE))  # fmt: skip
        for key, label, color in (
            ("momentum", "momentum (α, β)", theme.MOMENTUM),
            ("gd", "gradient descent (β = 0)", theme.GRADIENT_DESCENT),
        ):
            theme.curve(self.loss_plot, self.frame, f"k_{key}", f"loss_{key}", color, label)
            theme.path(self.plane, self.frame, color, None, f"{key}_x", f"{key}_y", self.model_name(key))
        for i in range(MAX_DIMENSION):
            color = theme.COMPONENTS[i % len(theme.COMPONENTS)]
            theme.curve(self.parts_plot, self.frame, "k_momentum", f"part{i}", color)

        notify = self.notify
        self.inputs = [
            controls.text(self, "problem", check_problem, notify),
            controls.text(self, "start", check_start, notify),
        ]
        self.sliders = [
            controls.slider(self, "alpha", notify, step=0.01, log=True, digits=3),
            controls.slider(self, "beta", notify, step=0.001),
            controls.slider(self, "steps", notify, step=1),
        ]
        self.optimal_button = controls.button(
            self, "Optimal α and β for this problem", self.set_optimal, "optimal"
        )
        self.readout = readout(self.model_name("readout"))
        self._drawn = None

    def quadratic(self) -> mc.Quadratic:
        return problem_from_text(self.problem)

    def set_optimal(self) -> None:
        lam = self.quadratic().eigenvalues
        alpha, beta = mc.optimal_parameters(lam[0], lam[-1])
        self.param.update(alpha=float(np.clip(alpha, *self.param.alpha.bounds)), beta=beta)

    def page_spec(self) -> dict[str, object]:
        """The typed problem as momentum_core decomposed it, the typed start (or the note why not), their
        loss gap, the links, the button's (α*, β*) and the constants: all the page needs to run it."""
        quad = self.quadratic()
        start, note = self.start_point(quad.dim)
        lam = quad.eigenvalues
        alpha, beta = mc.optimal_parameters(lam[0], lam[-1])
        return {
            "problem": problem_spec(quad),
            "start": start.tolist(),
            "startLoss": max(float(quad.f(start) - quad.f_star), FLOOR),
            "note": note,
            "links": " · ".join(self.links(quad)),
            "optimal": [float(np.clip(alpha, *self.param.alpha.bounds)), beta],
            "cap": CAP,
            "floor": FLOOR,
            "maxDimension": MAX_DIMENSION,
            "texts": VERDICTS,
        }

    def page_models(self) -> dict[str, object]:
        return {
            "sliders": self.controls_by_name(),
            "frame": self.frame,
            "lossRange": self.loss_plot.x_range,
            "readout": self.readout,
        }

    def wire_page(self, update: object) -> None:
        """The button sets α and β in the page (the sliders then tell the server)."""
        sliders = {"sliders": self.page_models()["sliders"]}
        self.optimal_button.js_on_click(page_action(update, "optimal", models=sliders, spec=self.spec_model))

    def served_update(self, changed: set[str]) -> None:
        """A typed problem or start: the plane's contours and view, the parts shown, and the spec (the
        page then runs the new problem)."""
        if changed & {"problem", "start"}:
            quad = self.quadratic()
            self._draw_problem(quad, self.start_point(quad.dim)[0])
            spec = self.page_spec()
            if self.spec_model is not None and spec != self.spec_model.value:
                self.spec_model.value = spec

    def start_point(self, dim: int) -> tuple[np.ndarray, str]:
        """The typed start if it has `dim` coordinates, else (1, …, 1) with a note."""
        start = np.array(parse_numbers(self.start, "coordinate"))
        if start.size == dim:
            return start, ""
        return np.ones(dim), f"the start has {start.size} coordinates, the problem {dim}: using (1, …, 1)"

    def update(self) -> None:
        quad = self.quadratic()
        start, note = self.start_point(quad.dim)
        start_loss = max(float(quad.f(start) - quad.f_star), FLOOR)
        columns: dict[str, np.ndarray] = {}
        runs = {"momentum": self.beta, "gd": 0.0}
        cuts = {}
        for key, beta in runs.items():
            errors = mc.eigenbasis_errors(quad, start, self.alpha, beta, self.steps)
            loss = mc.eigenbasis_loss_gap(quad, errors)  # f(wᵏ) − f*, inf once the run overflowed
            cut = mc.divergence_step(loss, bound=CAP * start_loss)
            cuts[key] = cut
            keep = slice(0, None if cut is None else max(cut, 1))
            columns.update(
                {
                    f"k_{key}": np.arange(len(loss))[keep],
                    f"loss_{key}": on_log_axis(np.maximum(loss[keep], FLOOR)),
                }
            )
            shown = quad.from_eigenbasis(errors[keep]) if quad.dim == 2 else np.zeros((1, 2))  # the plane's
            columns[f"{key}_x"], columns[f"{key}_y"] = shown[:, 0], shown[:, 1]
            if key == "momentum":
                parts = mc.eigenbasis_loss_parts(quad, errors[keep])
                for i in range(MAX_DIMENSION):
                    columns[f"part{i}"] = (
                        on_log_axis(np.maximum(parts[:, i], FLOOR)) if i < quad.dim else [FLOOR]
                    )
        self.publish(**columns)
        self.loss_plot.x_range.update(start=0, end=self.steps)
        self._draw_problem(quad, start)
        self.show_readout(self.readout, rows(self._readout(quad, cuts, note)))

    def _draw_problem(self, quad: mc.Quadratic, start: np.ndarray) -> None:
        """Contours and view of the plane (2-D only), redrawn when the problem or start changes."""
        drawn = (self.problem, tuple(start))
        if drawn == self._drawn:
            return
        self._drawn = drawn
        self.plane.visible = quad.dim == 2
        for i, renderer in enumerate(self.parts_plot.renderers):
            renderer.visible = i < quad.dim
        if quad.dim != 2:
            return
        self.marks.data = {
            "x": [float(start[0]), float(quad.w_star[0])],
            "y": [float(start[1]), float(quad.w_star[1])],
            "label": MARK_LABELS,
        }
        extent = 1.3 * max(float(np.abs(start).max()), 1e-3)
        self.plane.x_range.update(start=-extent, end=extent)
        self.plane.y_range.update(start=-extent, end=extent)
        self.contours.set_data(contours(quad, (-extent, extent), (-extent, extent)))

    def _readout(self, quad: mc.Quadratic, cuts: dict, note: str) -> list[tuple[str, str]]:
        lam = quad.eigenvalues
        alpha_star, beta_star = mc.optimal_parameters(lam[0], lam[-1])
        lines = [
            ("eigenvalues of A", ", ".join(format_number(v) for v in lam)),
            ("κ = λₙ/λ₁", format_number(quad.condition_number)),
            ("optimal α*, β*", f"{format_number(alpha_star)}, {format_number(beta_star)}"),
        ]
        for key, beta, label in (("momentum", self.beta, "momentum"), ("gd", 0.0, "gradient descent")):
            rate = mc.convergence_rate(self.alpha, beta, lam)
            state = DIVERGES if cuts[key] is not None or rate >= 1 else verdict(True)
            lines.append((f"<b>{label}</b>", f"{state}, rate {format_rate(rate)}"))
        if note:
            lines.append(("note", note))
        if links := self.links(quad):
            lines.append(("open it in", " · ".join(links)))
        return lines

    def static_copy(self) -> None:
        """A static copy has no routes to link to (and its other figures read no problem from a link):
        no links; and its problem box is off, so the caption does not ask for typing."""
        self.linked = False
        self.caption = STATIC_CAPTION
        self.update()
        if self.spec_model is not None:
            self.spec_model.value = self.page_spec()

    def links(self, quad: mc.Quadratic) -> list[str]:
        """Links to the other figures with this problem (or, for the κ-based ones, its κ) filled in;
        none in a static copy (`static_copy`)."""
        if not self.linked:
            return []
        routes = [*(PLANE_ROUTES if quad.dim == 2 else ()), *(("decomposition",) if quad.dim <= 6 else ())]
        queries = {route: urlencode({"problem": self.problem}) for route in routes}
        kappa = format_number(quad.condition_number)
        queries.update({"regions": urlencode({"kappa": kappa}), "condition": urlencode({"kappa": kappa})})
        return [f'<a href="{route}?{query}" target="_blank">/{route}</a>' for route, query in queries.items()]

    def layout(self) -> pn.viewable.Viewable:
        plots = pn.Column(
            side_by_side(self.loss_plot, self.parts_plot),
            self.plane,
            sizing_mode="stretch_width",
        )
        return self.controls_beside([*self.inputs, *self.sliders, self.optimal_button, self.readout], plots)
