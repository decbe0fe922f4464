"""The investigator's case file walked as an investigator would, with a screenshot of each screen:
intake with a summary → log entries (a contact with the victim, a note corrected) → a document
attached, a new version, opened → a task given, found in My work, completed → the case-file PDF
exported (its pages as PNG too). On a copy of a demonstration database:

    xvfb-run -a -s "-screen 0 1366x768x24" python -m tests.ui.screenshots_casefile --db demo.db --out docs/screenshots
    xvfb-run -a -s "-screen 0 1024x768x24" python -m tests.ui.screenshots_casefile --db demo.db \\
        --out docs/screenshots --size 1024x768

A development tool like tests/ui/screenshots.py (whose helpers it uses), not a test. At 1024×768
the names end in "-1024".
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import text

from app.domain.case_file import EntryKind
from app.persistence.database import Database, open_database
from app.ui.dialogs.case_documents import AttachDialog, ExportCaseFileDialog, NewVersionDialog, SaveCopyDialog
from app.ui.dialogs.case_entry import CorrectionDialog, EntryDialog
from app.ui.dialogs.case_tasks import CloseTaskDialog, TaskDialog
from app.ui.sections.cases import CasesSection
from app.ui.sections.my_work import MyWorkSection
from app.ui.signals import emit
from app.ui.style import apply_look
from tests.ui import screenshots as base
from tests.ui.screenshots import Shooter, settle, wait, window_for

INVESTIGATOR = "investigator1"


def until(done: Callable[[], bool], seconds: float = 30) -> None:
    for _ in range(int(seconds * 10)):
        if done():
            return
        settle(100)
    raise TimeoutError("the window did not get there in time")


def statement(path: Path, title: str, lines: list[str]) -> Path:
    """A small PDF standing in for a scanned statement (synthetic words only)."""
    c = Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 770, title)
    c.setFont("Helvetica", 11)
    for i, line in enumerate(lines):
        c.drawString(72, 740 - 16 * i, line)
    c.save()
    return path


class Walk:
    def __init__(self, shots: Shooter, db: Database, folder: Path, suffix: str) -> None:
        self.shots, self.db, self.folder, self.suffix = shots, db, folder, suffix
        self.window = window_for(db, INVESTIGATOR)
        cases = self.window.section(CasesSection)
        assert isinstance(cases, CasesSection)
        self.cases = cases

    def shot(self, name: str, whole_screen: bool = False) -> None:
        if whole_screen:
            self.shots.screen(name + self.suffix)
        else:
            self.shots.widget(name + self.suffix, self.window)

    def intake(self) -> None:
        self.window.go_to(self.window.sections.index(self.cases))
        dialog = self.cases.new_case()
        with self.db.engine.connect() as conn:
            surname = conn.execute(text("SELECT surname FROM person WHERE NOT anonymised AND employment_status = "
                                        "'SERVING' ORDER BY id LIMIT 1 OFFSET 40")).scalar()
        dialog.summary.setPlainText("Former partner reports that the subject tracked her car with an AirTag and "
                                    "sent threatening messages after she left in March.")
        dialog.subject.search.setText(str(surname))
        dialog.subject.find_people(str(surname))
        settle(300)
        dialog.subject.results.setCurrentRow(0)
        dialog.abuse.boxes["STALKING_HARASSMENT"].setChecked(True)
        dialog.abuse.boxes["TECHNOLOGY_FACILITATED"].setChecked(True)
        dialog.declare.setChecked(True)
        self.shot("cf01-new-case-summary", True)
        dialog.accept()
        until(lambda: self.cases.view.isVisible() and self.cases.view.detail is not None)

    def case_log(self) -> None:
        view = self.cases.view
        view.tabs.setCurrentWidget(view.case_log)
        log = view.case_log
        until(lambda: log.log is not None)
        contact = log.add_entry(EntryKind.VICTIM_CONTACT)
        assert isinstance(contact, EntryDialog)
        contact.method.setCurrentIndex(contact.method.findData("telephone call"))
        contact.next_contact_agreed.setChecked(True)
        contact.text.setPlainText("Explained the restriction and the IOPC referral. She is staying with her sister "
                                  "and wants updates by phone after 6 pm; the IDVA will join the next call.")
        self.shot("cf02-contact-with-the-victim", True)
        contact.accept()
        until(lambda: not contact.isVisible())
        note = log.add_entry()
        assert isinstance(note, EntryDialog)
        note.text.setPlainText("Requested the PNC audit of the subject's searches for the last 12 months.")
        note.accept()
        until(lambda: log.model.rowCount() >= 4)
        log.table.selectRow(0)
        fix = log.correct()
        assert isinstance(fix, CorrectionDialog)
        fix.text.setPlainText("Requested the PNC and PND audits of the subject's searches for the last 12 months.")
        fix.reason.setText("The PND audit was requested too.")
        self.shot("cf03-correction", True)
        fix.accept()
        until(lambda: not fix.isVisible())
        until(lambda: log.model.rowCount() >= 5)
        log.table.selectRow(1)
        self.shot("cf04-case-log")

    def documents(self) -> None:
        view = self.cases.view
        view.tabs.setCurrentWidget(view.documents)
        docs = view.documents
        until(lambda: not docs.stale)
        first = statement(self.folder / "Statement V1.pdf", "Witness statement (synthetic)",
                          ["Statement of V1, taken at home.", "Signature: pending."])
        attach = docs.attach()
        assert isinstance(attach, AttachDialog)
        attach.file.setText(str(first))
        attach.title.setText("Statement of V1")
        attach.kind.setCurrentIndex(attach.kind.findText("Statement"))
        self.shot("cf05-attach-document", True)
        attach.accept()
        until(lambda: not attach.isVisible())
        until(lambda: docs.documents.rowCount() == 1)
        signed = statement(self.folder / "Statement V1 signed.pdf", "Witness statement (synthetic)",
                           ["Statement of V1, taken at home.", "Signature: signed 05 Dec."])
        again = docs.new_version()
        assert isinstance(again, NewVersionDialog)
        again.file.setText(str(signed))
        again.note.setText("Signed copy")
        again.accept()
        until(lambda: not again.isVisible())
        until(lambda: docs.versions.rowCount() == 2)
        self.shot("cf06-documents")
        docs.open_selected()
        settle(1500)
        self.shot("cf07-document-opened", True)
        for w in docs.findChildren(QDialog):
            if w.isVisible():
                w.close()
        copy = docs.save_copy()
        assert isinstance(copy, SaveCopyDialog)
        copy.recipient.setCurrentText("Misconduct hearing panel")
        copy.out.setText(str(self.folder / "statement-for-panel.pdf"))
        self.shot("cf08-save-a-copy", True)
        copy.accept()
        until(lambda: not copy.isVisible())

    def task(self) -> None:
        view = self.cases.view
        view.tabs.setCurrentWidget(view.tasks)
        tasks = view.tasks
        until(lambda: not tasks.stale)
        give = tasks.give()
        assert isinstance(give, TaskDialog)
        give.what.setPlainText("Obtain the Apple AirTag registration records via the force's digital team")
        self.shot("cf09-give-task", True)
        give.accept()
        until(lambda: tasks.model.rowCount() == 1)
        work = self.window.section(MyWorkSection)
        assert isinstance(work, MyWorkSection)
        self.window.go_to(self.window.sections.index(work))
        wait(work.loaded)
        row = next(r for r in range(work.model.rowCount()) if work.model.index(r, 2).data() == "Investigation action")
        work.table.selectRow(row)
        self.shot("cf10-my-work-task")
        emit(work.table.activated, work.model.index(row, 0))
        until(lambda: view.tabs.currentWidget() is tasks and tasks.selected() is not None)
        done = tasks.complete()
        assert isinstance(done, CloseTaskDialog)
        done.text.setPlainText("Records received from the digital team: the tag was registered to the subject.")
        self.shot("cf11-complete-task", True)
        done.accept()
        until(lambda: not done.isVisible())
        self.shot("cf12-tasks")

    def export(self) -> Path:
        view = self.cases.view
        view.tabs.setCurrentWidget(view.case_log)
        dialog = view.case_log.export()
        assert isinstance(dialog, ExportCaseFileDialog)
        out = self.folder / "case-file.pdf"
        dialog.out.setText(str(out))
        self.shot("cf13-export-case-file", True)
        dialog.accept()
        until(lambda: dialog.result_dialog is not None and dialog.result_dialog.isVisible())
        self.shot("cf14-case-file-written", True)
        dialog.result_dialog.close()  # type: ignore[union-attr]
        return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--size", default="1366x768")
    args = parser.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    base.SIZE = (width, height)
    suffix = "" if (width, height) == (1366, 768) else f"-{width}"
    app = QApplication(sys.argv)
    apply_look(app)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        copy = folder / "demo.db"
        shutil.copy(args.db, copy)
        db = open_database(f"sqlite:///{copy}")
        walk = Walk(Shooter(args.out), db, folder, suffix)
        walk.intake()
        walk.case_log()
        walk.documents()
        walk.task()
        pdf = walk.export()
        if not suffix:  # the same PDF whatever the screen
            subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(args.out / "cf15-case-file-page")],
                           check=True)
        walk.window.close()
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
