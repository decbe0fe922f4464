"""Emitting and disconnecting signals through app.ui.signals keeps `True` alive (PySide6 6.12.0
on Python 3.11 loses a reference to it on every SignalInstance.emit() and .disconnect())."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from app.ui.signals import disconnect, emit


class _Source(QObject):
    changed = Signal(str)


def test_ten_thousand_emissions_leave_true_as_it_was() -> None:
    source, seen = _Source(), list[str]()
    source.changed.connect(seen.append)
    before = sys.getrefcount(True)
    for _ in range(10_000):
        emit(source.changed, "cases")
    assert len(seen) == 10_000
    assert sys.getrefcount(True) >= before


def test_disconnecting_leaves_true_as_it_was() -> None:
    source = _Source()

    def slot(_text: str) -> None:
        pass

    before = sys.getrefcount(True)
    for _ in range(1_000):
        source.changed.connect(slot)
        disconnect(source.changed, slot)
    assert sys.getrefcount(True) >= before
