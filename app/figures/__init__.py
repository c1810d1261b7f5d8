"""The registry of figures by route name, in article order.

The registry drives everything that lists figures: `ROUTES` and the pages (`app/pages.py`), the order of
`/` (with each figure's section text, `app/prose.py` `SECTIONS`), the embed cards, the static export
(`momentum-explorer export`), the notebook's `figure(name)` and the
README screenshots. `tests/test_layout.py` checks that every registered figure has all of them.
"""

from .colorization import Colorization
from .condition import Condition
from .custom import Custom
from .damping import Damping
from .decomposition import Decomposition
from .formulations import Formulations
from .hurts import Hurts
from .limits import Limits
from .model import Model
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
    "damping": Damping,
    "condition": Condition,
    "regression": Regression,
    "colorization": Colorization,
    "limits": Limits,
    "nesterov": NesterovRavine,
    "stochastic": Stochastic,
    "model": Model,
    "physics": Physics,
    "formulations": Formulations,
    "schedules": Schedules,
    "hurts": Hurts,
    "custom": Custom,
}
