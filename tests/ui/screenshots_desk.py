"""Screenshots of the supervisor's desk (issue #15 item 6) at 1024×768 and 1920×1080, taken from the
running window on a demonstration database, and the time the walk takes: a supervisor lists the
whole force's items, narrows them to the overdue unassigned ones of a kind, selects them, picks an
investigator by name and allocates them all at once.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshots_desk --db demo.db --out docs/screenshots

A development tool, not a test and not part of the product; it works on a copy of the database.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from app.persistence.database import open_database
from app.ui.sections.cases import CasesSection
from app.ui.sections.my_work import UNASSIGNED, MyWorkSection
from tests.ui.screenshots import Shooter, settle, wait, window_for

SIZES = {"1024": (1024, 768), "1920": (1920, 1080)}


def walk(shots: Shooter, db_url: str, size: str, allocate: bool) -> float:
    db = open_database(db_url)
    window = window_for(db, "supervisor1")
    window.setGeometry(0, 0, *SIZES[size])
    settle(300)
    work = window.section(MyWorkSection)
    assert isinstance(work, MyWorkSection)
    if work._task is not None:
        wait(work.loaded)
    started = time.monotonic()
    work.whole_force.setChecked(True)
    wait(work.loaded)
    loaded = time.monotonic() - started
    shots.widget(f"d01-my-work-whole-force-{size}", window)
    work.tabs.setCurrentIndex(2)
    shots.widget(f"d02-my-work-by-person-{size}", window)
    work.tabs.setCurrentIndex(1)
    shots.widget(f"d03-my-work-by-kind-{size}", window)
    work.tabs.setCurrentIndex(0)
    work.overdue_only.setChecked(True)
    work.assignee.setCurrentIndex(work.assignee.findData(UNASSIGNED))
    work.kind.setCurrentIndex(work.kind.findData("VICTIM_UPDATE"))
    batch = work.model.row_at(0).case_ref[:-2] if work.model.rowCount() else ""  # a hundred cases
    work.case_filter.setText(batch)
    work.case_filter.search.emit(batch)
    work.select_all_button.click()
    shots.widget(f"d04-my-work-overdue-unassigned-selected-{size}", window)
    dialog = work.allocate()
    assert dialog is not None
    dialog.ok_button.click()  # nobody picked: the dialog says so, grown to show it
    shots.widget(f"d05-allocate-refused-{size}", dialog)
    dialog.picker.search.setText("team 3")  # by name or team: the team's investigators, with their caseloads
    dialog.picker.search.returnPressed.emit()  # Enter takes the first match
    dialog.declared.setChecked(True)
    shots.widget(f"d06-allocate-{size}", dialog)
    took = 0.0
    if allocate:
        done = time.monotonic()
        dialog.ok_button.click()
        wait(dialog.worked)
        took = time.monotonic() - done
        if dialog.isVisible():
            shots.widget(f"d07-allocate-partly-refused-{size}", dialog)
            dialog.reject()
        wait(work.loaded)
        work.assignee.setCurrentIndex(0)
        shots.widget(f"d08-after-allocating-{size}", window)
    else:
        dialog.reject()
    print(f"{size}: whole force loaded in {loaded:.1f} s ({work.model.rowCount()} rows shown); allocation {took:.1f} s")
    cases = window.section(CasesSection)
    if size == "1024" and isinstance(cases, CasesSection):
        window.go_to(window.sections.index(cases))
        intake = cases.new_case()
        settle(300)
        shots.widget("d09-new-case-1024", intake)
        intake.reject()
    window.close()
    QCoreApplication.processEvents()
    db.dispose()
    return loaded


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True, help="a demonstration SQLite database (ppda-tracker demo)")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    app = QApplication(sys.argv)
    from app.ui.style import apply_look

    apply_look(app)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "demo.db"
        shutil.copy(args.db, copy)
        shots = Shooter(args.out)
        walk(shots, f"sqlite:///{copy}", "1920", allocate=False)
        walk(shots, f"sqlite:///{copy}", "1024", allocate=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
