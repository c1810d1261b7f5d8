"""URL query parsing: strict numbers, clamping with a notice, no exception for any input."""

import math
from typing import ClassVar

import param
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.url_state import (
    Field,
    fields_of,
    format_number,
    format_rate,
    parse_numbers,
    parse_query,
    parse_value,
    query_of,
)


class Example(param.Parameterized):
    alpha = param.Number(0.02, bounds=(1e-4, 1.0))
    steps = param.Integer(100, bounds=(1, 3000))
    show = param.Boolean(True)
    why_low: ClassVar[dict[str, str]] = {"alpha": "not a valid step-size (α must be > 0)"}


FIELDS = fields_of(Example(), ["alpha", "steps", "show"], prefix="r_")
DEFAULTS = {"alpha": 0.02, "steps": 100, "show": True}


def test_fields_take_bounds_and_prefix_from_param():
    alpha = FIELDS[0]
    assert (alpha.key, alpha.kind, alpha.low, alpha.high) == ("r_alpha", float, 1e-4, 1.0)
    assert FIELDS[1].kind is int and FIELDS[2].kind is bool


@pytest.mark.parametrize(
    ("raw", "value", "notice"),
    [
        ("0.5", 0.5, None),
        (" 0.5 ", 0.5, None),
        ("abc", 0.02, "is not a number"),
        ("", 0.02, "is not a number"),
        ("nan", 0.02, "is not a finite number"),
        ("-inf", 0.02, "is not a finite number"),
        ("1e999", 0.02, "is not a finite number"),
        ("5", 1.0, "outside the valid range"),
        ("-1", 1e-4, "α must be > 0"),
        ("0", 1e-4, "α must be > 0"),
        ("__import__('os')", 0.02, "is not a number"),
        ("1_000", 0.02, "is not a number"),  # float() would take these three
        ("٣", 0.02, "is not a number"),
        ("NaN", 0.02, "is not a finite number"),
        ("-0", 1e-4, "α must be > 0"),
    ],
)
def test_parse_float(raw, value, notice):
    got, message = parse_value(FIELDS[0], raw, 0.02)
    assert got == pytest.approx(value)
    assert (message is None) == (notice is None)
    if notice:
        assert notice in message and "r_alpha=" in message


def test_parse_integer_and_boolean():
    assert parse_value(FIELDS[1], "250.4", 100) == (
        250,
        "r_steps=250.4 is not a whole number; rounded to 250.",
    )
    assert parse_value(FIELDS[1], "250", 100) == (250, None)
    assert parse_value(FIELDS[1], "99999", 100)[0] == 3000
    assert parse_value(FIELDS[2], "false", True) == (False, None)
    assert parse_value(FIELDS[2], "maybe", True)[0] is True


def test_parse_query_uses_the_last_value_and_ignores_unknown_keys():
    values, notices = parse_query(
        {"r_alpha": [b"0.1", b"0.3"], "other": [b"x"], "r_steps": [b"zz"]}, FIELDS, DEFAULTS
    )
    assert values == {"alpha": 0.3, "steps": 100}
    assert len(notices) == 1 and "r_steps='zz'" in notices[0]


def test_long_values_are_shortened_in_notices():
    _, message = parse_value(FIELDS[0], "x" * 500, 0.02)
    assert len(message) < 200


def test_query_round_trip():
    example = Example(alpha=0.05, steps=7, show=False)
    query = query_of(example, FIELDS)
    assert query == {"r_alpha": "0.05", "r_steps": "7", "r_show": "false"}
    values, notices = parse_query({k: [v] for k, v in query.items()}, FIELDS, DEFAULTS)
    assert values == {"alpha": 0.05, "steps": 7, "show": False} and notices == []


@given(st.text(max_size=60))
def test_any_text_gives_a_valid_value(raw):
    for field in FIELDS:
        value, _ = parse_value(field, raw, DEFAULTS[field.name])
        if field.kind is bool:
            assert isinstance(value, bool)
        else:
            assert math.isfinite(value) and field.low <= value <= field.high


@pytest.mark.parametrize(
    ("rate", "shown"),
    [
        (0.5, "0.5"),
        (0.9999, "0.9999"),
        (0.99994, "0.9999"),
        (1 - 1e-7, "1 − 1e-07"),  # gradient descent, α = 10⁻⁶ on λ₁ = 0.1: converging, not "1"
        (0.99999998, "1 − 2e-08"),
        (1.0, "1"),
        (1 + 1e-13, "1"),  # round-off
        (1 + 3e-7, "1 + 3e-07"),  # diverging, slowly
        (2.0, "2"),
        (1e7, "> 10⁶"),
        (math.inf, "> 10⁶"),
    ],
)
def test_a_rate_near_one_reads_as_its_distance_from_one(rate, shown):
    assert format_rate(rate) == shown


def test_format_number():
    assert format_number(0.020000000001) == "0.02"
    assert format_number(3) == "3"
    assert format_number(True) == "true"
    assert Field("a", "a", float, 0, 1).describe(0.123456) == "0.1235"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.1, 10", [0.1, 10.0]), ("1 2\t3", [1.0, 2.0, 3.0]), ("-1e-3,+.5", [-0.001, 0.5]), ("7,", [7.0])],
)
def test_parse_numbers_reads_plain_numbers(text, expected):
    assert parse_numbers(text) == expected


@pytest.mark.parametrize(
    "text", ["", "abc", "1, nan", "inf", "1e999", "__import__('os')", "0x10", "٣", "1;2", "1" * 500]
)
def test_parse_numbers_refuses_everything_else(text):
    with pytest.raises(ValueError):
        parse_numbers(text)


def test_minus_zero_becomes_plain_zero():
    """numpy rejects -0.0 as a noise scale ("scale < 0"); the link parser never hands it on."""
    noise = Field("noise", "noise", float, 0.0, 2.0)
    value, notice = parse_value(noise, "-0", 0.3)
    assert (value, notice) == (0.0, None) and math.copysign(1.0, value) == 1.0
