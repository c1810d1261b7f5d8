"""Fuzz every widget and every link of every route on a live server, as a broken or hostile client could.

A browser's widgets only send values of the right type; a client speaking Bokeh's protocol directly
can send anything: NaN, ±inf, 1e308, integers too large for a float, strings, unicode digits, null,
lists, objects, unknown attributes, taps at absurd coordinates. For each route, random such values
(seeded; over 1 000 in all) go to every slider, text box, switch, choice and plot. Afterwards the
session still answers a valid change, every slider holds a finite value inside its range, no data
column and no readout holds NaN or infinity, a notice told the user what was ignored, and the server
log holds no error (Bokeh's own refusals of ill-typed values are logged as one-line warnings).
"""

from __future__ import annotations

import html
import random
import re
from urllib.parse import urlencode

import numpy as np
import pytest
from wire import WireSession, run

from app.figures import FIGURES
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


async def assert_clean_state(session: WireSession, url: str) -> list[str]:
    """Pull the session's document: sliders finite and in range, the app's data and readouts free of
    NaN and infinity. Returns the document's texts."""
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
    for text in map(html.unescape, texts):  # readouts carry their HTML escaped (app.figure.set_html)
        if "<table" in text:  # a readout
            assert not NAN_OR_INF.search(re.sub(r"<[^>]+>", " ", text)), text[:300]
    return texts


def assert_tells_nothing_of_the_server(reply) -> None:
    """An ERROR reply gives a one-line reason: no traceback, no file path of the server."""
    if reply.header["msgtype"] == "ERROR":
        assert reply.content.get("traceback") is None, reply.content
        assert 'File "' not in reply.content["text"] and "site-packages" not in reply.content["text"]


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
            changes = [str(e.get("new")) for p in patches for e in p.content["events"]]
            notice = any("Ignored an invalid value" in c for c in changes)
            assert notice or await session.until_changed("Ignored an invalid value"), (
                f"{url} {name}: no notice"
            )
            sent += 1
    while sent < PER_ROUTE and (widgets or plots):
        if plots and rng.random() < 0.15:
            msgid = await session.send_tap(rng.choice(plots), random_value(rng), random_value(rng))
        else:
            name, attr = rng.choice(widgets)
            msgid = await session.send_change(name, attr, random_value(rng))
        reply, _ = await session.reply(msgid)  # OK, or Bokeh's ERROR for an ill-typed value: an answer
        assert_tells_nothing_of_the_server(reply)
        sent += 1

    # The session still answers: a valid value on a slider brings new data.
    if sliders:
        model = session.models[sliders[0]]["attributes"]
        middle = (model["start"] + model["end"]) / 2
        reply, _ = await session.reply(await session.send_change(sliders[0], "value", middle))
        assert reply.header["msgtype"] == "OK", reply.content

    await assert_clean_state(session, url)
    return {"sent": sent}


@pytest.mark.parametrize("route", ROUTES)
def test_widget_values_from_a_raw_websocket_client_are_refused_or_clamped(server, route):
    rng = random.Random(f"fuzz-{route}")
    result = run(fuzz_route(f"{server.url}/{route}", rng))
    assert route == "embed" or result["sent"] >= PER_ROUTE
    assert server.errors() == [], "\n".join(server.errors()[:20])


LINK_VALUES = [
    "nan", "NaN", "inf", "-inf", "1e999", "-1e999", "1e308", "-1e308", "0", "-0", "-5", "1e-400",
    "", " ", "abc", "0x10", "1_000", "١٢٣", "１", "∞", "None", "[1]", "true", "no", "1,2;3,4",
    "2, 0.5; 0.5, 1", "1 4", "0.1, 1e9", "<b>x</b>", "😀", "a" * 300,
]  # fmt: skip


def link_keys(route: str) -> list[tuple[str, type]]:
    """(query key, kind) of every URL-synced field on a route's page."""
    if route == "explorer":
        return [(f.key, f.kind) for key, cls in FIGURES.items() for f in cls(url_prefix=f"{key}_").url.fields]
    return [(f.key, f.kind) for f in FIGURES[route]().url.fields]


def random_link_value(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return rng.choice(LINK_VALUES)
    return repr(rng.choice([-1, 1]) * 10 ** rng.uniform(-12, 12))


async def open_links(base: str, keys: list[tuple[str, type]], rng: random.Random, sessions: int) -> int:
    """Open `sessions` pages of `base` with random query values; check each. Returns the values sent."""
    sent = 0
    numeric = [key for key, kind in keys if kind is not str]
    for _ in range(sessions):
        chosen = rng.sample(keys, min(len(keys), rng.randint(3, 5)))
        query = {key: random_link_value(rng) for key, _ in chosen}
        not_a_number = rng.choice(numeric)  # always one value that must be refused with a notice
        query[not_a_number] = "nan"
        sent += len(query)
        url = f"{base}?{urlencode(query)}"
        session = WireSession(url)
        await session.open()  # the page was served (HTTP 200) and its session answers
        texts = await assert_clean_state(session, url)
        assert any(f"{not_a_number}=" in text for text in texts), f"{url}: no notice for {not_a_number}=nan"
    return sent


@pytest.mark.parametrize("route", ["explorer", *FIGURES])
def test_any_link_on_the_live_server_gives_a_clamped_state_and_a_notice(server, route):
    sessions = 6 if route == "explorer" else 12  # the whole explorable is 15 figures at once
    keys = link_keys(route)
    sent = run(open_links(f"{server.url}/{route}", keys, random.Random(f"link-{route}"), sessions))
    assert sent >= min(3, len(keys)) * sessions
    assert server.errors() == [], "\n".join(server.errors()[:20])
