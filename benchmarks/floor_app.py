"""The round-trip floor: a bare Bokeh server app whose slider writes one tiny data update (TCP_NODELAY on).

Served by benchmarks/latency.py with `bokeh serve`; nothing of Panel or of this project's maths is involved.
"""

from bokeh.io import curdoc
from bokeh.models import ColumnDataSource, Slider

from app.server import enable_tcp_nodelay

enable_tcp_nodelay()
source = ColumnDataSource({"x": [0.0]}, name="floor-source")
slider = Slider(start=0, end=10, value=0, step=0.001, name="floor-slider")
slider.on_change("value", lambda attr, old, new: setattr(source, "data", {"x": [new]}))
curdoc().add_root(slider)
curdoc().add_root(source)
