"""The static article's later blocks: long strings they share are held once and restored exactly."""

import json

from app.static_export import SHARED_MARK, SHARED_MIN, share_strings

SHEET = "x" * SHARED_MIN  # as long as a shared string may be short
KERNEL = "const kernel = 1;" * 40


def restored(value, table):
    """What the page's JSON.parse reviver (app/static/later_blocks.js) gives back."""
    if isinstance(value, dict):
        return {key: restored(item, table) for key, item in value.items()}
    if isinstance(value, list):
        return [restored(item, table) for item in value]
    if isinstance(value, str) and value.startswith(SHARED_MARK):
        return table[int(value[1:])]
    return value


def test_shared_strings_are_held_once_and_come_back_exactly():
    blocks = [
        {"docs": {"a": {"css": [SHEET, "short"], "code": KERNEL, "own": "y" * 500}}},
        {"docs": {"b": {"css": [SHEET], "nested": [{"code": KERNEL}], "n": 3, "none": None}}},
        {"docs": {"c": {"css": [SHEET, SHEET[:-1]]}}},
    ]
    shared, table = share_strings(json.loads(json.dumps(blocks)))
    assert sorted(table) == sorted([SHEET, KERNEL])  # in more than one block, and long enough
    text = json.dumps(shared)
    assert SHEET not in text and KERNEL not in text and "y" * 500 in text and SHEET[:-1] in text
    assert [restored(block, table) for block in shared] == blocks
