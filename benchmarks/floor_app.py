"""The round-trip floor: a bare Bokeh server app whose slider writes one data update (TCP_NODELAY on).

Served by benchmarks/latency.py with `bokeh serve`; nothing of Panel or of this project's maths is
involved. `?payload=path` sends what a ravine repaint sends instead of one number: two new 1 001-point
float64 columns (a path's x and y), to show what the data's size alone costs.
"""

import numpy as np
from bokeh.io import curdoc
from bokeh.models import ColumnDataSource, Slider

from app.server import enable_tcp_nodelay

enable_tcp_nodelay()
arguments = curdoc().session_context.request.arguments if curdoc().session_context else {}
path_payload = arguments.get("payload", [b""])[0] == b"path"
source = ColumnDataSource({"x": [0.0]}, name="floor-source")
slider = Slider(start=0, end=10, value=0, step=0.001, name="floor-slider")
steps = np.arange(1001)


def update(attr: str, old: float, new: float) -> None:
    if path_payload:
        source.data = {"x": np.cos(new * steps), "y": np.sin(new * steps)}
    else:
        source.data = {"x": [new]}


slider.on_change("value", update)
curdoc().add_root(slider)
curdoc().add_root(source)
