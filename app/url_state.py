"""The one place where a figure's state meets the URL query (?alpha=0.02&beta=0.99).

Reading: every value from the link is parsed strictly (numbers only), clamped to the parameter's
bounds, and each correction becomes a notice for the page. Writing: after the user stops moving a
control for a moment, the query is updated (one history entry per gesture, not per drag tick).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import param

from .when_quiet import WhenQuiet

URL_WRITE_DELAY_MS = 300


@dataclass(frozen=True)
class Field:
    """One URL-synced parameter: its query key, kind and valid range."""

    name: str
    key: str
    kind: type
    low: float
    high: float
    why_low: str = ""
    #: For text fields: returns the normalised text or raises ValueError with a message for the page.
    validate: Callable[[str], str] | None = None

    def describe(self, value: object) -> str:
        if self.kind is str:
            return str(value)
        return str(value).lower() if self.kind is bool else format_number(value)


NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
MAX_TEXT = 400


def parse_numbers(text: str, what: str = "value") -> list[float]:
    """Numbers separated by commas or spaces, parsed strictly (no eval, no NaN or infinity)."""
    if len(text) > MAX_TEXT:
        raise ValueError(f"the {what} list is too long (at most {MAX_TEXT} characters).")
    items = [item for item in re.split(r"[,\s]+", text.strip()) if item]
    if not items:
        raise ValueError(f"enter at least one {what}.")
    numbers = []
    for item in items:
        if not NUMBER.fullmatch(item):
            shown = item if len(item) <= 20 else item[:17] + "…"
            raise ValueError(f"{shown!r} is not a number.")
        value = float(item)
        if not math.isfinite(value):
            raise ValueError(f"{item!r} is too large.")
        numbers.append(value)
    return numbers


def format_number(value: float) -> str:
    """Short, exact-enough display of a number (4 significant digits)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    return f"{value:.4g}"


#: A rate within this of 1 is 1 as far as floating point can tell (reads "1", not "1 − 2.2e-16").
RATE_ROUND_OFF = 1e-12


def format_rate(rate: float) -> str:
    """A rate max|σ| for a readout: past 10⁶ (or overflowed) it reads "> 10⁶", never "inf".

    Where four digits would read "1" but the rate is not 1, it reads as its distance from 1: "1 − 1e-07"
    (converging, if slowly: gradient descent with α = 10⁻⁶ on λ₁ = 0.1) or "1 + 3e-07" (diverging,
    slowly); a bare "1" would say neither. Within RATE_ROUND_OFF of 1 it reads "1".
    """
    rate = float(rate)
    if not (math.isfinite(rate) and rate <= 1e6):
        return "> 10⁶"
    shown = format_number(rate)
    gap = 1.0 - rate
    if shown == "1" and abs(gap) > RATE_ROUND_OFF:
        return f"1 {'−' if gap > 0 else '+'} {abs(gap):.2g}"
    return shown


def fields_of(owner: param.Parameterized, names: Iterable[str], prefix: str = "") -> list[Field]:
    """Fields for `names` from the param declarations of `owner` (bounds become the valid range)."""
    fields = []
    for name in names:
        parameter = owner.param[name]
        if isinstance(parameter, param.Boolean):
            fields.append(Field(name, prefix + name, bool, 0, 1))
            continue
        if isinstance(parameter, param.String):
            validate = getattr(owner, "validators", {})[name]
            fields.append(Field(name, prefix + name, str, 0, 0, validate=validate))
            continue
        kind = int if isinstance(parameter, param.Integer) else float
        low, high = parameter.bounds
        why = getattr(owner, "why_low", {}).get(name, "")
        fields.append(Field(name, prefix + name, kind, low, high, why))
    return fields


def parse_value(field: Field, raw: str, default: object) -> tuple[object, str | None]:
    """(value, notice) for one query value; the notice is None when the value is used as given."""
    text = raw.strip()
    shown = text if len(text) <= 40 else text[:37] + "…"
    if field.kind is str:
        try:
            return field.validate(text), None
        except ValueError as error:
            return default, f"{field.key}={shown!r}: {error} Using {default!r}."
    if field.kind is bool:
        lowered = text.lower()
        if lowered in ("true", "1", "yes", "on"):
            return True, None
        if lowered in ("false", "0", "no", "off"):
            return False, None
        return default, f"{field.key}={shown!r} is not true or false; using {field.describe(default)}."
    if not NUMBER.fullmatch(text):  # float() would also take '1_000', '٣' and 'nan'
        lowered = text.lower().lstrip("+-")
        what = "is not a finite number" if lowered in ("nan", "inf", "infinity") else "is not a number"
        return default, f"{field.key}={shown!r} {what}; using {field.describe(default)}."
    number = float(text) + 0.0  # + 0.0 turns -0 into 0
    if not math.isfinite(number):
        return default, f"{field.key}={shown!r} is not a finite number; using {field.describe(default)}."
    clamped = min(max(number, field.low), field.high)
    if clamped == number and field.kind is int and clamped != round(clamped):
        return round(clamped), f"{field.key}={shown} is not a whole number; rounded to {round(clamped)}."
    if field.kind is int:
        clamped = round(clamped)
    if clamped == number:
        return clamped, None
    reason = field.why_low if number <= field.low and field.why_low else "outside the valid range"
    return clamped, (
        f"{field.key}={shown} is {reason} [{format_number(field.low)}, {format_number(field.high)}]; "
        f"clamped to {field.describe(clamped)}."
    )


def parse_query(
    args: Mapping[str, list[bytes] | list[str]], fields: list[Field], defaults: Mapping[str, object]
) -> tuple[dict[str, object], list[str]]:
    """Values to apply and notices to show, from a session's query arguments."""
    values: dict[str, object] = {}
    notices: list[str] = []
    for field in fields:
        if field.key not in args or not args[field.key]:
            continue
        raw = args[field.key][-1]
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", errors="replace")
        value, notice = parse_value(field, raw, defaults[field.name])
        values[field.name] = value
        if notice:
            notices.append(notice)
    return values, notices


def query_of(owner: param.Parameterized, fields: list[Field]) -> dict[str, str]:
    """The query keys and values that describe `owner`'s current state."""
    return {field.key: field.describe(getattr(owner, field.name)) for field in fields}


class UrlSync:
    """Reads the session's query once, then writes the state back after each gesture."""

    def __init__(self, owner: param.Parameterized, fields: list[Field], doc: object) -> None:
        import panel as pn

        from .server import is_embedded

        self.owner, self.fields, self.doc = owner, fields, doc
        self._shown: dict[str, str] | None = None  # the query the address bar holds (set by `read`)
        # Embedded with server_document, the address bar is the host page's: leave it alone.
        self.location = pn.state.location if doc is not None and not is_embedded(doc) else None
        self._writer = (
            WhenQuiet(self._write, lambda s, f: doc.add_timeout_callback(f, int(s * 1000) + 1))
            if doc is not None
            else None
        )

    def read(self, on_notices: Callable[[list[str]], None]) -> None:
        import panel as pn

        args = pn.state.session_args if self.doc is not None else {}
        defaults = {field.name: getattr(self.owner, field.name) for field in self.fields}
        values, notices = parse_query(args or {}, self.fields, defaults)
        if values:
            self.owner.param.update(**values)
        if notices:
            on_notices(notices)
        self._shown = query_of(self.owner, self.fields)  # the state the page opened on

    def schedule_write(self) -> None:
        """Write the query once changes stop for URL_WRITE_DELAY_MS (a drag writes it once, at its end)."""
        if self._writer is not None:
            self._writer.touch(URL_WRITE_DELAY_MS / 1000)

    def _write(self) -> None:
        """The state into the address bar, unless it is the one the page opened on or last wrote (a
        section of `/` built as the reader scrolls to it has changed nothing: its fields stay out)."""
        query = query_of(self.owner, self.fields)
        if self.location is not None and query != self._shown:
            self._shown = query
            self.location.update_query(**query)
