"""The registry of figures by route name, in article order."""

from .colorization import Colorization
from .condition import Condition
from .custom import Custom
from .decomposition import Decomposition
from .formulations import Formulations
from .hurts import Hurts
from .limits import Limits
from .nesterov import NesterovRavine
from .physics import Physics
from .ravine import Ravine
from .regions import Regions
from .regression import Regression
from .schedules import Schedules
from .stochastic import Stochastic

FIGURES = {
    "ravine": Ravine,
    "decomposition": Decomposition,
    "regions": Regions,
    "condition": Condition,
    "regression": Regression,
    "colorization": Colorization,
    "limits": Limits,
    "nesterov": NesterovRavine,
    "stochastic": Stochastic,
    "physics": Physics,
    "formulations": Formulations,
    "schedules": Schedules,
    "hurts": Hurts,
    "custom": Custom,
}
