"""The registry of figures by route name, in article order."""

from .decomposition import Decomposition
from .ravine import Ravine
from .regions import Regions

FIGURES = {"ravine": Ravine, "decomposition": Decomposition, "regions": Regions}
