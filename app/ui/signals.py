"""Emitting signals from Python without losing a reference to True.

PySide6 6.12.0 on Python 3.11 drops one reference to `True` each time `SignalInstance.emit()` or
`.disconnect()` is called from Python (the bool they return is not increfed). After a few
thousand emissions `True` is freed and the interpreter aborts ("Fatal Python error: bool_dealloc").
Every emission and disconnection in app.ui goes through this module, which gives the reference
back when the installed PySide6 has the fault (measured once, at import). On a fixed PySide6, or
on Python 3.12+ where `True` is immortal, it measures no loss and does nothing extra.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 16


class _Probe(QObject):
    fired = Signal()


def _lost_per_call(call: Callable[[], object]) -> int:
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        call()
    lost = before - sys.getrefcount(True)
    return max(0, round(lost / _PROBES))


def _measure() -> tuple[int, int]:
    probe = _Probe()
    emit_loss = _lost_per_call(probe.fired.emit)
    slot = probe.deleteLater  # any bound method: connect, then disconnect it
    disconnect_loss = _lost_per_call(lambda: (probe.fired.connect(slot), probe.fired.disconnect(slot)))
    return emit_loss, disconnect_loss


def _give_back(count: int) -> None:
    for _ in range(count):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))


EMIT_LOSS, DISCONNECT_LOSS = _measure()
_give_back(_PROBES * EMIT_LOSS + _PROBES * DISCONNECT_LOSS)  # what the measurement itself lost


def emit(signal: SignalInstance, *args: Any) -> None:
    signal.emit(*args)
    _give_back(EMIT_LOSS)


def disconnect(signal: SignalInstance, slot: Callable[..., Any]) -> None:
    signal.disconnect(slot)
    _give_back(DISCONNECT_LOSS)
