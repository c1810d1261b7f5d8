"""The WebAssembly shipped with the figures is its text assembled: no binary drifts from the source."""

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from assemble_wasm import FIGURES, assemble  # noqa: E402

TEXTS = sorted(FIGURES.glob("*.wat"))


def test_every_binary_has_its_text():
    assert TEXTS, "no .wat files found"
    assert {p.stem for p in FIGURES.glob("*.wasm")} == {p.stem for p in TEXTS}


@pytest.mark.parametrize("text", TEXTS, ids=lambda p: p.name)
def test_the_shipped_binary_is_the_text_assembled(text, tmp_path):
    assert shutil.which("wat2wasm"), "wat2wasm (Debian's wabt) is needed: scripts/test.sh installs it"
    assembled = tmp_path / "assembled.wasm"
    assemble(text, assembled)
    assert assembled.read_bytes() == text.with_suffix(".wasm").read_bytes(), (
        f"{text.name} changed: run python scripts/assemble_wasm.py"
    )
