"""Quitting while work runs in a worker: the work is cancelled (nothing is saved, no half-written
file is left) and the window, and the process, end without waiting for it to finish."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.domain.records import User
from app.persistence.models import SettingRow
from app.persistence.uow import UnitOfWork
from app.reports.files import atomic_path
from app.services.imports.workforce import ImportSummary
from app.ui import workers
from app.ui.sections.data import DataSection
from app.ui.workers import CancelToken, run_with_progress
from tests.ui.conftest import OpenWindow
from tests.ui.sample_data import Sample

ROOT = Path(__file__).resolve().parents[2]


def slow_import(started: list[int]):  # type: ignore[no-untyped-def]
    """An importer that writes a row every few milliseconds and never finishes by itself."""

    def run(uow: UnitOfWork, _user: User, _path: Path) -> ImportSummary:
        with uow:
            for i in range(1_000_000):
                uow.session.add(SettingRow(key=f"slow-{i}", value="x"))
                uow.session.flush()
                started.append(i)
                time.sleep(0.005)
            uow.commit()
        raise AssertionError("not reached")

    return run


def slow_rows(sample: Sample) -> int:
    with sample.env.uow() as uow:
        return uow.session.scalar(
            select(func.count()).select_from(SettingRow).where(SettingRow.key.like("slow-%"))) or 0


def test_closing_the_window_cancels_a_running_import_and_saves_nothing(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    window = open_window(sample.sup)
    section = window.section(DataSection)
    assert isinstance(section, DataSection)
    started: list[int] = []
    section.kinds["cases"] = dataclasses.replace(section.kinds["cases"], run=slow_import(started))
    section.import_file("cases", tmp_path / "cases.csv")
    qtbot.waitUntil(lambda: len(started) > 3, timeout=10_000)
    assert workers.running(window) >= 1
    window.close()  # Ctrl+Q
    assert workers.running(window) == 0  # stopped while the window closed (a bounded wait)
    assert slow_rows(sample) == 0  # all or nothing: the rows it had flushed were rolled back


def test_closing_the_window_interrupts_a_task_that_runs_no_sql_and_leaves_no_file(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    window = open_window(sample.sup)
    out = tmp_path / "out"
    out.mkdir()
    writing: list[int] = []

    def write(_token: CancelToken) -> None:  # pays no attention to its token, as a long computation would not
        with atomic_path(out / "report.csv") as temp, temp.open("w", encoding="utf-8") as fh:
            for i in range(1_000_000):
                fh.write(f"{i},row\n")
                writing.append(i)
                time.sleep(0.005)

    run_with_progress(window.sections[0], "Writing…", write)
    qtbot.waitUntil(lambda: len(writing) > 3, timeout=10_000)
    assert list(out.iterdir())  # the half-written temporary file
    window.close()
    assert workers.running(window) == 0
    assert list(out.iterdir()) == []  # neither the report nor the half-written file


def test_the_process_ends_even_when_a_task_cannot_be_interrupted(tmp_path: Path) -> None:
    script = tmp_path / "quit.py"
    script.write_text(textwrap.dedent("""
        import threading
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QWidget
        from app.ui import workers

        app = QApplication([])
        window = QWidget()
        window.show()
        blocked = threading.Event()  # waited on in C: no Python code runs to raise Cancelled in
        workers.Task(lambda _token: blocked.wait(), window).start()

        def close():
            assert not workers.stop_all(window, wait=0.3)
            app.quit()

        QTimer.singleShot(100, close)
        app.exec()
        print("closed", flush=True)
    """), encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert "closed" in result.stdout
