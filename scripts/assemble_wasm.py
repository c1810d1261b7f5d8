"""Assemble each figure's WebAssembly text (app/figures/*.wat) to the binary shipped beside it (*.wasm).

Needs wabt's `wat2wasm` (Debian: `apt-get install wabt`); only who edits a .wat file runs this. The test
suite assembles the text again and compares it with the shipped binary.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

FIGURES = Path(__file__).resolve().parent.parent / "app" / "figures"


def assemble(text: Path, binary: Path) -> None:
    """wat2wasm `text` → `binary` (no debug names: the same bytes for the same text)."""
    tool = shutil.which("wat2wasm")
    if tool is None:
        sys.exit("wat2wasm not found: apt-get install wabt")
    subprocess.run([tool, str(text), "-o", str(binary)], check=True)


def main() -> None:
    for text in sorted(FIGURES.glob("*.wat")):
        binary = text.with_suffix(".wasm")
        assemble(text, binary)
        print(f"{binary.relative_to(FIGURES.parent.parent)}: {binary.stat().st_size} bytes")


if __name__ == "__main__":
    main()
