"""Fuzz every widget of every route over the websocket, as a broken or hostile client could.

A browser's widgets only send values of the right type; a client speaking Bokeh's protocol directly
can send anything: NaN, ±inf, 1e308, integers too large for a float, strings, unicode digits, null,
lists, objects, unknown attributes, taps at absurd coordinates. For each route, random such values
(seeded; over 1 000 in all) go to every slider, text box, switch, choice and plot. Afterwards the
session still answers a valid change, every slider holds a finite value inside its range, no data
column and no readout holds NaN or infinity, a notice told the user what was ignored, and the server
log holds no error (Bokeh's own refusals of ill-typed values are logged as one-line warnings).
"""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
from wire import WireSession, run

from app.pages import ROUTES

PER_ROUTE = 70  # × 16 routes > 1 000 values
NAN, INF = {"type": "number", "value": "nan"}, {"type": "number", "value": "+inf"}
NASTY = [
    NAN, INF, {"type": "number", "value": "-inf"}, {"type": "number", "value": "bogus"},
    1e308, -1e308, 5e-324, 0, -0.0, 10**400, -(10**400), 2**63, -5, 123456789.5,
    "", " ", "abc", "NaN", "inf", "1e3", "١٢٣", "∞", "0x10", "1,2;3,4", "2, 0.5; 0.5, 1", "1 4",
    "-1, 2", "0.1, 1e9", "1;2", "a" * 5000, "<script>alert(1)</script>", "\u0000", "😀",
    None, True, False, [], [1, 2], {}, {"a": 1},
]  # fmt: skip
ATTRIBUTE = {"Slider": "value", "TextInput": "value", "Switch": "active", "RadioButtonGroup": "active"}
NAN_OR_INF = re.compile(r"\b(nan|inf|-inf|infinity)\b", re.IGNORECASE)


def random_value(rng: random.Random) -> object:
    roll = rng.random()
    if roll < 0.55:
        return rng.choice(NASTY)
    if roll < 0.75:
        return rng.choice([-1, 1]) * 10 ** rng.uniform(-12, 12)  # any magnitude, either sign
    if roll < 0.85:
        return rng.randint(-(10**6), 10**6)
    return "".join(
        chr(rng.choice([rng.randint(32, 126), rng.randint(0x80, 0x2FFF)])) for _ in range(rng.randint(0, 12))
    )


def finite_numbers(value: object) -> bool:
    """True if every number in a decoded data column is finite."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f":
            return bool(np.isfinite(value).all())
        return all(finite_numbers(item) for item in value.ravel().tolist())
    if isinstance(value, list):
        return all(finite_numbers(item) for item in value)
    if isinstance(value, float):
        return np.isfinite(value)
    return True


async def fuzz_route(url: str, rng: random.Random) -> dict[str, int]:
    session = WireSession(url)
    await session.open()
    widgets = [(name, ATTRIBUTE[m["name"]]) for name, m in session.models.items() if m["name"] in ATTRIBUTE]
    plots = [name for name, m in session.models.items() if m["name"] == "Figure"]
    sliders = [name for name, m in session.models.items() if m["name"] == "Slider"]
    sent = 0
    for name in sliders:  # every slider gets NaN and +inf at least once: a notice must follow each
        for value in (NAN, INF):
            _, patches = await session.reply(await session.send_change(name, "value", value))
            patches += await session.drain(0.05)
            changes = [e.get("new") for p in patches for e in p.content["events"]]
            assert any("Ignored an invalid value" in str(c) for c in changes), f"{url} {name}: no notice"
            sent += 1
    while sent < PER_ROUTE and (widgets or plots):
        if plots and rng.random() < 0.15:
            msgid = await session.send_tap(rng.choice(plots), random_value(rng), random_value(rng))
        else:
            name, attr = rng.choice(widgets)
            msgid = await session.send_change(name, attr, random_value(rng))
        await session.reply(msgid)  # OK, or Bokeh's ERROR for an ill-typed value; either way an answer
        sent += 1

    # The session still answers: a valid value on a slider brings new data.
    if sliders:
        model = session.models[sliders[0]]["attributes"]
        middle = (model["start"] + model["end"]) / 2
        reply, _ = await session.reply(await session.send_change(sliders[0], "value", middle))
        assert reply.header["msgtype"] == "OK", reply.content

    models = await session.pull_models()
    session.close()
    texts = []
    for model in models:
        kind, attributes = model["name"], model.get("attributes", {})
        label = f"{url} {kind} {attributes.get('name')}"
        if kind == "Slider":
            value = attributes["value"]
            assert isinstance(value, int | float) and np.isfinite(value), label
            assert attributes["start"] - 1e-9 <= value <= attributes["end"] + 1e-9, (label, value)
        if kind == "ColumnDataSource" and attributes.get("name"):  # the app's data (Bokeh's own contour
            # sources, unnamed, separate polygon pieces with NaN by design)
            data = attributes.get("data", {})
            entries = data.get("entries", []) if isinstance(data, dict) else []
            for column, values in entries:
                assert finite_numbers(values), f"{label}: column {column} holds NaN or infinity"
        for attr in ("text", "object"):
            if isinstance(attributes.get(attr), str):
                texts.append(attributes[attr])
    readouts = [t for t in texts if "momentum-readout" in t or "<table" in t]
    for text in readouts:
        assert not NAN_OR_INF.search(re.sub(r"<[^>]+>", " ", text)), text[:300]
    return {"sent": sent}


@pytest.mark.parametrize("route", ROUTES)
def test_widget_values_from_a_raw_websocket_client_are_refused_or_clamped(server, route):
    rng = random.Random(f"fuzz-{route}")
    result = run(fuzz_route(f"{server.url}/{route}", rng))
    assert route == "embed" or result["sent"] >= PER_ROUTE
    assert server.errors() == [], "\n".join(server.errors()[:20])
