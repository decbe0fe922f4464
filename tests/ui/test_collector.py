"""Cyclic garbage is collected on the GUI thread only (a worker must never destroy Qt objects)."""

from __future__ import annotations

import gc
import threading

from pytestqt.qtbot import QtBot

from app.ui.collector import GuiThreadCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_cycles_made_in_a_worker_are_collected_on_the_gui_thread(qtbot: QtBot,
                                                                  _collector: GuiThreadCollector) -> None:
    assert not gc.isenabled()
    collected_in: list[str] = []

    def note(phase: str, _info: dict[str, int]) -> None:
        if phase == "stop":
            collected_in.append(threading.current_thread().name)

    gc.callbacks.append(note)
    try:
        worker = threading.Thread(target=lambda: [_Cycle() for _ in range(50_000)], name="worker")
        worker.start()
        worker.join()
        assert gc.get_count()[0] > gc.get_threshold()[0]  # due, yet not collected by the worker
        qtbot.waitUntil(lambda: bool(collected_in), timeout=5000)
    finally:
        gc.callbacks.remove(note)
    assert set(collected_in) == {threading.main_thread().name}
