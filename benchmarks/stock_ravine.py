"""The ravine figure built the stock way: a Panel FloatSlider and a param watcher, default server (Nagle on).

Served by benchmarks/latency.py as the reference for what the app's widget path and set-up save.
"""

import panel as pn

from app.figures.ravine import Ravine

figure = Ravine()
slider = pn.widgets.FloatSlider(name="stock-beta", start=-0.9, end=1.02, step=0.001, value=figure.beta)
slider.param.watch(lambda event: setattr(figure, "beta", event.new), "value")
pn.Column(slider, figure.plot, figure.readout).servable()
