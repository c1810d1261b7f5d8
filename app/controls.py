"""Bokeh widgets bound two-way to bounded `param` parameters.

Bokeh's own widgets call back as soon as the server receives a change (Panel widgets wait a
fixed 50 ms debounce first), so every figure's controls are made here. A value from the browser
is clamped to the parameter's bounds; one that is not a finite number is refused with a notice.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import TypeVar

import param
from bokeh.models import Button, CustomJSTickFormatter, Div, RadioButtonGroup, Row, Slider, Switch, TextInput

from .theme import FOCUS_CSS

Notify = Callable[[str], None]
W = TypeVar("W")


def _names(owner: param.Parameterized, name: str) -> dict[str, object]:
    """Model name and CSS class "<figure>-<parameter>" (unique on a page), and a visible keyboard focus."""
    full = owner.model_name(name)
    return {"name": full, "css_classes": [full], "stylesheets": [FOCUS_CSS]}


def _registered(owner: param.Parameterized, widget: W) -> W:
    """`widget`, listed among the owner's controls (`Figure.widgets`: a page module runs on each)."""
    getattr(owner, "widgets", []).append(widget)
    return widget


def finite(value: object) -> float | None:
    """`value` as a finite float, or None (NaN, ±inf, an int too large for a float, a string, None…)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def apply_number(owner: param.Parameterized, name: str, value: object, notify: Notify) -> None:
    """Set owner.name from a widget value, clamped to its bounds (with a notice if it was outside);
    a value that is not a finite number is refused with a notice."""
    parameter = owner.param[name]
    number = finite(value)
    if number is None:
        notify(f"Ignored an invalid value for {parameter.label}: {str(value)[:40]!r}.")
        return
    low, high = parameter.bounds
    clamped = min(max(number, low), high)
    if abs(clamped - number) > 1e-9 * max(1.0, abs(number)):  # not a rounding at the track's ends
        notify(f"{parameter.label} = {number:.6g} is outside [{low:g}, {high:g}]: set to {clamped:g}.")
    setattr(owner, name, round(clamped) if isinstance(parameter, param.Integer) else clamped)


def _same(a: object, b: object) -> bool:
    """Equal to 12 significant digits (both finite numbers)."""
    a, b = finite(a), finite(b)
    return a is not None and b is not None and abs(a - b) <= 1e-12 * max(1.0, abs(b))


def slider(
    owner: param.Parameterized,
    name: str,
    notify: Notify,
    *,
    step: float,
    title: str | None = None,
    log: bool = False,
    digits: int = 4,
) -> Slider:
    """A Bokeh Slider over owner.param[name]'s bounds (a log₁₀ track if `log`), kept in sync both ways."""
    parameter = owner.param[name]
    low, high = parameter.bounds
    to_track = math.log10 if log else float
    from_track = (lambda v: 10.0**v) if log else float
    shown = "10 ** v" if log else "v"  # display only: the log track shows α, not log₁₀ α
    if isinstance(parameter, param.Integer):
        shown = f"Math.round({shown})"  # a whole number as the page reads it (kernel.js readSliders)
    fmt = CustomJSTickFormatter(
        code=f"const v = Number(tick); "
        f"return Number.isFinite(v) ? Number(({shown}).toPrecision({digits})).toString() : String(tick);"
    )
    widget = Slider(
        start=to_track(low),
        end=to_track(high),
        value=to_track(getattr(owner, name)),
        step=step,
        title=title or parameter.label,
        format=fmt,
        # The value is in the title ("Step-size α: 0.005"); noUiSlider's own tooltip over the handle
        # would cover it while the handle is hovered or dragged, and repaint with every move.
        tooltips=False,
        sizing_mode="stretch_width",
        # What the track holds, for a page module (kernel.js `readSliders`): log₁₀ of it; a whole number.
        tags=[*(["log"] if log else []), *(["whole"] if isinstance(parameter, param.Integer) else [])],
        **_names(owner, name),
    )

    def reads_as(position: float, state: object) -> bool:
        """Whether the page reads this track position as the state already (kernel.js `readSliders`:
        a whole number is Math.round of it): then the handle stays where the reader put it, and no
        second message and repaint come back while a whole-number log slider is dragged."""
        if not isinstance(parameter, param.Integer):
            return False
        try:
            value = from_track(position)
            return math.isfinite(value) and math.floor(value + 0.5) == state
        except (OverflowError, TypeError):  # a client's position past the floats, or not a number
            return False

    def from_widget(attr: str, old: float, new: float) -> None:
        try:
            current = to_track(getattr(owner, name))
        except ValueError:
            current = math.nan
        if _same(current, new):
            return  # the echo of a server-side change
        track = finite(new)
        try:
            value = new if track is None else from_track(track)
        except OverflowError:  # 10 ** v past the floats: refused by apply_number as not finite
            value = math.inf
        apply_number(owner, name, value, notify)
        state = to_track(getattr(owner, name))
        if _same(widget.value, state) or reads_as(new, getattr(owner, name)):
            return
        widget.value = state  # refused or clamped (even to the value it had): show the state

    def to_widget(event: param.parameterized.Event) -> None:
        track = to_track(event.new)
        # No echo of the browser's own value (log₁₀ 10^v ≠ v by an ulp), nor of a position that reads as it.
        if not (_same(widget.value, track) or reads_as(widget.value, event.new)):
            widget.value = track

    widget.on_change("value", from_widget)
    owner.param.watch(to_widget, name)
    return _registered(owner, widget)


def switch(owner: param.Parameterized, name: str) -> Row:
    """A labelled Bokeh Switch for a Boolean parameter, kept in sync both ways."""
    widget = Switch(active=bool(getattr(owner, name)), **_names(owner, name))

    def from_widget(attr: str, old: bool, new: bool) -> None:
        setattr(owner, name, bool(new))

    widget.on_change("active", from_widget)
    owner.param.watch(lambda event: setattr(widget, "active", bool(event.new)), name)
    return Row(_registered(owner, widget), Div(text=owner.param[name].label))


def choice(owner: param.Parameterized, name: str) -> RadioButtonGroup:
    """A Bokeh RadioButtonGroup for a Selector parameter, kept in sync both ways."""
    options = list(owner.param[name].objects)
    widget = RadioButtonGroup(
        labels=options, active=options.index(getattr(owner, name)), **_names(owner, name)
    )

    def from_widget(attr: str, old: int, new: int) -> None:
        if isinstance(new, int) and 0 <= new < len(options):
            setattr(owner, name, options[new])

    widget.on_change("active", from_widget)
    owner.param.watch(lambda event: setattr(widget, "active", options.index(event.new)), name)
    return _registered(owner, widget)


def button(owner: param.Parameterized, label: str, action: Callable[[], None], name: str) -> Button:
    """A Bokeh Button that runs `action` on click."""
    widget = Button(label=label, button_type="primary", **_names(owner, name))
    widget.on_click(lambda event: action())
    return widget


def text(
    owner: param.Parameterized,
    name: str,
    validate: Callable[[str], str],
    notify: Notify,
    placeholder: str = "",
) -> TextInput:
    """A Bokeh TextInput for a String parameter: a value `validate` refuses is reported and reverted."""
    label = owner.param[name].label
    value = getattr(owner, name)
    widget = TextInput(value=value, title=label, placeholder=placeholder, **_names(owner, name))

    def from_widget(attr: str, old: str, new: str) -> None:
        if new == getattr(owner, name):
            return
        try:
            setattr(owner, name, validate(str(new)))
        except ValueError as error:
            notify(f"{owner.param[name].label}: {error} Kept {getattr(owner, name)!r}.")
            widget.value = getattr(owner, name)

    widget.on_change("value", from_widget)
    owner.param.watch(lambda event: setattr(widget, "value", event.new), name)
    return widget
