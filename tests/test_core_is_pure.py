import subprocess
import sys


def test_momentum_core_imports_without_any_ui_library():
    code = (
        "import sys, momentum_core\n"
        "ui = [m for m in ('panel', 'bokeh', 'param', 'tornado') if m in sys.modules]\n"
        "assert not ui, ui\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
