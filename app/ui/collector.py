"""Cyclic garbage collection on the GUI thread only.

Python runs its cyclic collector in whichever thread happens to allocate when a threshold is
crossed. With worker threads (app.ui.workers) that can be a worker, and a cycle that holds a Qt
wrapper (a dialog, a model, a signal connection's closure) is then destroyed off the GUI thread,
which Qt does not allow and which can crash the process. So the automatic collector is switched
off while the window runs and the same generational thresholds are checked from a timer on the GUI
thread instead (reference counting still frees everything that is not in a cycle at once).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Owns the collector while it lives: `gc.disable()` on creation, collections on a GUI-thread
    timer, and the previous state back on `stop()`."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> int | None:
        """Collect the oldest generation whose count is over its threshold, as Python would have;
        returns the generation collected (None if none was due)."""
        counts = gc.get_count()
        due = [g for g in range(3) if counts[g] > self._thresholds[g]]
        if not due:
            return None
        generation = max(due)
        gc.collect(generation)
        return generation

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
