"""Doing something once a burst of activity stops: a drag's URL write, a class's memory release."""

from __future__ import annotations

import time
from collections.abc import Callable

#: `call_later(seconds, callback)`: the event loop's timer (a Bokeh document's, or Tornado's).
CallLater = Callable[[float, Callable[[], None]], object]


class WhenQuiet:
    """Runs `action` once, `delay_s` after the last `touch()`: a burst of touches runs it once, at its end."""

    def __init__(self, action: Callable[[], None], call_later: CallLater) -> None:
        self.action, self.call_later = action, call_later
        self.scheduled = False
        self._last = 0.0
        self._delay_s = 0.0

    def touch(self, delay_s: float) -> None:
        self._last, self._delay_s = time.monotonic(), delay_s
        if not self.scheduled:
            self.scheduled = True
            self.call_later(delay_s, self._fire)

    def _fire(self) -> None:
        quiet = time.monotonic() - self._last
        if quiet < self._delay_s:  # touched since: wait until it has been quiet for the whole delay
            self.call_later(self._delay_s - quiet, self._fire)
            return
        self.scheduled = False
        self.action()
