"""The case file driven through its widgets: the summary typed at intake heads the Case log tab; an
entry and a contact with the victim are added with the dialog (the victim update the rules track
moves in My work), a refused entry shows the service's message and keeps the dialog open, an entry
is corrected; the log is searched and filtered; a document is attached, given a new version, opened
and saved for someone; a task is given by picking a person, found in the assignee's My work, opened
there onto the Tasks tab and completed; the case file is exported as a PDF; the IOPC liaison sees
no writing buttons and no contacts with the victim. Every table model passes qtmodeltester."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.domain.case_file import DocumentKind, EntryInput, EntryKind
from app.domain.enums import DecisionKind, IopcDecision
from app.persistence.models import AccessLogRow, DecisionRow
from app.services import casework as cw
from app.services import clock
from app.services.casefile import documents, entries, tasks, timeline
from app.ui.dialogs.case_documents import AttachDialog, ExportCaseFileDialog, NewVersionDialog, SaveCopyDialog
from app.ui.dialogs.case_entry import CorrectionDialog, EntryDialog
from app.ui.dialogs.case_tasks import CloseTaskDialog, TaskDialog
from app.ui.models.case_file_tables import CaseLogTableModel, DocumentTableModel, TaskTableModel, VersionTableModel
from app.ui.sections.case_view import CaseView
from app.ui.sections.cases import CasesSection
from app.ui.sections.my_work import MyWorkSection
from tests.ui.conftest import OpenWindow, shown
from tests.ui.sample_data import Sample
from tests.ui.test_case_actions import C1, case_one, click
from tests.ui.test_intake import open_intake, pick

PDF = b"%PDF-1.4\n" + b"statement of V1 " * 200


def log_tab(view: CaseView, qtbot: QtBot) -> None:
    view.tabs.setCurrentWidget(view.case_log)
    qtbot.waitUntil(lambda: view.case_log.log is not None)


def column(model: CaseLogTableModel | TaskTableModel | DocumentTableModel, title: str) -> list[str]:
    c = next(i for i, col in enumerate(model.COLUMNS) if col.title == title)
    return [model.index(r, c).data() for r in range(model.rowCount())]


def written(qtbot: QtBot, dialog: object) -> None:
    click(qtbot, dialog.ok_button)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dialog.isVisible())  # type: ignore[attr-defined]


def test_the_summary_typed_at_intake_heads_the_case_log(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases = shown(open_window(sample.sup), CasesSection)
    intake = open_intake(qtbot, cases)
    intake.summary.setPlainText("Ex-partner reports threats by text after the split.")
    pick(qtbot, intake.subject, "black")
    intake.abuse.boxes["THREATS"].setChecked(True)
    written(qtbot, intake)
    qtbot.waitUntil(cases.view.isVisible)
    log_tab(cases.view, qtbot)
    assert cases.view.case_log.summary.text() == "Ex-partner reports threats by text after the split."
    assert column(cases.view.case_log.model, "Kind")[-1] == "Summary"


def test_entries_are_added_refused_and_corrected_through_the_dialogs(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases = case_one(open_window, sample, sample.inv)
    panel = cases.view.case_log
    log_tab(cases.view, qtbot)
    before = panel.model.rowCount()
    click(qtbot, panel.victim_button)
    dialog = panel.dialog
    assert isinstance(dialog, EntryDialog) and dialog.victim.isVisible() and not dialog.subject.isVisible()
    written_before = dialog.isVisible()
    click(qtbot, dialog.ok_button)  # nothing written yet: refused with the service's words, the dialog stays
    assert written_before and dialog.isVisible() and dialog.message.text() == "text: write something: it is the record."
    dialog.text.setPlainText("Told her the subject is on restricted duties; she asked for calls after 6 pm.")
    assert not dialog.message.isVisible()  # cleared once the input changes
    dialog.method.setCurrentIndex(dialog.method.findData("telephone call"))
    dialog.next_contact_agreed.setChecked(True)
    dialog.next_contact.setDate(dialog.next_contact.date().addDays(-4))  # in 10 days
    written(qtbot, dialog)
    qtbot.waitUntil(lambda: panel.model.rowCount() == before + 1)
    assert column(panel.model, "Kind")[0] == "Contact with the victim"
    assert "added to the case log of PSD-2024-000001" in cases.window().statusBar().currentMessage()
    with sample.env.uow() as uow:  # one record of the update, the one the rules count
        kinds = list(uow.session.scalars(select(DecisionRow.kind).where(DecisionRow.case_id == sample.case_ids[C1])))
    assert kinds.count(DecisionKind.VICTIM_UPDATE.name) == 1

    click(qtbot, panel.add_button)
    note = panel.dialog
    assert isinstance(note, EntryDialog) and not note.victim.isVisible()
    note.text.setPlainText("Met the subject's inspector at 10:00.")
    written(qtbot, note)
    qtbot.waitUntil(lambda: column(panel.model, "What")[0] == "Met the subject's inspector at 10:00.")
    panel.table.selectRow(0)
    click(qtbot, panel.correct_button)
    fix = panel.dialog
    assert isinstance(fix, CorrectionDialog)
    fix.text.setPlainText("Met the subject's inspector at 14:00.")
    fix.reason.setText("The diary says 14:00.")
    written(qtbot, fix)
    qtbot.waitUntil(lambda: column(panel.model, "Correction")[:2] == [
        f"Corrects entry {_entry_ids(sample)[-2]}", f"Corrected by entry {_entry_ids(sample)[-1]}"])
    panel.table.selectRow(1)
    assert not panel.correct_button.isEnabled()  # correct the correction instead
    assert "Corrected by entry" in panel.reading.text() and "10:00" in panel.reading.text()


def _entry_ids(sample: Sample) -> list[int]:
    from app.persistence.case_file_models import CaseLogEntryRow

    with sample.env.uow() as uow:
        return list(uow.session.scalars(select(CaseLogEntryRow.id).order_by(CaseLogEntryRow.id)))


def test_a_victim_contact_moves_the_victim_update_in_my_work(qtbot: QtBot, sample: Sample,
                                                              open_window: OpenWindow) -> None:
    window = open_window(sample.inv)
    work = shown(window, MyWorkSection)
    qtbot.waitUntil(lambda: work.model.rowCount() > 0)
    due = lambda: [work.model.index(r, 1).data() for r in range(work.model.rowCount())  # noqa: E731
                   if work.model.index(r, 2).data() == "Victim update" and work.model.index(r, 3).data() == C1]
    assert due() and due()[0] != (clock.today() + timedelta(days=7)).strftime("%d %b %Y")
    entries.add_entry(sample.env.uow(), sample.inv, sample.case_ids[C1], EntryInput(
        EntryKind.VICTIM_CONTACT, "Called her.", victim_ref="V1", next_contact=clock.today() + timedelta(days=7)))
    work.refresh()
    qtbot.waitUntil(lambda: due() == [(clock.today() + timedelta(days=7)).strftime("%d %b %Y")])


def test_the_log_is_searched_and_filtered_by_kind(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    for text, kind in (("CCTV asked of the council.", EntryKind.ACTION_TAKEN),
                       ("Council replied: CCTV on a disc.", EntryKind.CORRESPONDENCE)):
        entries.add_entry(sample.env.uow(), sample.sup, sample.case_ids[C1], EntryInput(kind, text))
    cases = case_one(open_window, sample)
    panel = cases.view.case_log
    log_tab(cases.view, qtbot)
    qtbot.keyClicks(panel.search, "cctv")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    panel.kind.setCurrentIndex(panel.kind.findText("Correspondence"))
    qtbot.waitUntil(lambda: column(panel.model, "What") == ["Council replied: CCTV on a disc."])
    assert panel.count.text() == "1 item"
    panel.search.clear()
    panel.kind.setCurrentIndex(panel.kind.findText("Decisions"))
    qtbot.waitUntil(lambda: set(column(panel.model, "Kind")) <= {"Decision: restriction", "Decision: threshold",
                                                                  "Decision: recording"} and panel.model.rowCount() > 0)


def test_a_document_is_attached_versioned_opened_and_saved_for_someone(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cases = case_one(open_window, sample, sample.inv)
    view = cases.view
    view.tabs.setCurrentWidget(view.documents)
    panel = view.documents
    qtbot.waitUntil(lambda: not panel.stale)
    (tmp_path / "run.exe").write_bytes(b"MZ\x90\x00")
    click(qtbot, panel.attach_button)
    attach = panel.dialog
    assert isinstance(attach, AttachDialog)
    attach.file.setText(str(tmp_path / "run.exe"))
    click(qtbot, attach.ok_button)
    qtbot.waitUntil(lambda: attach.message.isVisible())
    assert attach.message.text().startswith("run.exe: '.exe' files cannot be attached.") and attach.isVisible()
    (tmp_path / "Statement V1.pdf").write_bytes(PDF)
    attach.file.setText(str(tmp_path / "Statement V1.pdf"))
    assert attach.title.text() == "Statement V1"
    attach.kind.setCurrentIndex(attach.kind.findData(DocumentKind.STATEMENT))
    written(qtbot, attach)
    qtbot.waitUntil(lambda: panel.documents.rowCount() == 1)
    assert column(panel.documents, "Kind") == ["Statement"]

    (tmp_path / "signed.pdf").write_bytes(PDF + b"signed")
    click(qtbot, panel.version_button)
    again = panel.dialog
    assert isinstance(again, NewVersionDialog)
    again.file.setText(str(tmp_path / "signed.pdf"))
    again.note.setText("Signed copy")
    written(qtbot, again)
    qtbot.waitUntil(lambda: panel.versions.rowCount() == 2)
    assert [panel.versions.index(r, 4).data() for r in range(2)] == ["Signed copy", "First version"]

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(QUrl(url).toLocalFile()) or True)
    panel.version_table.selectRow(1)
    click(qtbot, panel.open_button)
    qtbot.waitUntil(lambda: bool(opened))
    assert Path(opened[0]).read_bytes() == PDF  # the first version, as attached
    assert Path(opened[0]).parent.parent.stat().st_mode & 0o077 == 0  # in a folder only this user can read

    click(qtbot, panel.save_button)
    copy = panel.dialog
    assert isinstance(copy, SaveCopyDialog) and "OFFICIAL-SENSITIVE" in copy.out.text()
    copy.recipient.setCurrentText("Misconduct hearing panel")
    copy.out.setText(str(tmp_path / "for-panel.pdf"))
    written(qtbot, copy)
    assert hashlib.sha256((tmp_path / "for-panel.pdf").read_bytes()).hexdigest() == hashlib.sha256(PDF).hexdigest()
    with sample.env.uow() as uow:
        recipient = uow.session.scalar(select(AccessLogRow.recipient).where(AccessLogRow.operation == "DISCLOSURE"))
    assert recipient == "Misconduct hearing panel"


def test_a_task_is_given_found_in_my_work_and_completed(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases = case_one(open_window, sample)  # the supervisor gives it
    view = cases.view
    view.tabs.setCurrentWidget(view.tasks)
    qtbot.waitUntil(lambda: not view.tasks.stale)
    click(qtbot, view.tasks.give_button)
    dialog = view.tasks.dialog
    assert isinstance(dialog, TaskDialog)
    names = [dialog.assignee.itemText(i) for i in range(dialog.assignee.count())]
    assert names[0].startswith("inv (investigator")  # the case team first, picked by name: no user name to type
    assert not any(n.startswith(("mgr", "iopc", "lead")) for n in names)
    dialog.assignee.setCurrentIndex(0)
    dialog.what.setPlainText("Obtain the council's CCTV")
    written(qtbot, dialog)
    qtbot.waitUntil(lambda: view.tasks.model.rowCount() == 1)
    assert column(view.tasks.model, "Given to") == ["inv"]

    window = open_window(sample.inv)
    work = shown(window, MyWorkSection)
    qtbot.waitUntil(lambda: any(work.model.index(r, 2).data() == "Investigation action"
                                for r in range(work.model.rowCount())))
    row = next(r for r in range(work.model.rowCount()) if work.model.index(r, 2).data() == "Investigation action")
    assert work.model.index(row, 6).data() == "Obtain the council's CCTV"
    work.table.setCurrentIndex(work.model.index(row, 0))
    work.table.activated.emit(work.model.index(row, 0))
    inv_view = window.section(CasesSection).view  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: inv_view.tabs.currentWidget() is inv_view.tasks and inv_view.tasks.selected() is not None)
    click(qtbot, inv_view.tasks.complete_button)
    done = inv_view.tasks.dialog
    assert isinstance(done, CloseTaskDialog)
    done.text.setPlainText("Disc received; two hours of footage.")
    written(qtbot, done)
    qtbot.waitUntil(lambda: column(inv_view.tasks.model, "State")[0].startswith("Done"))
    work.refresh()
    qtbot.waitUntil(lambda: work._task is None)
    assert all(work.model.index(r, 2).data() != "Investigation action" for r in range(work.model.rowCount()))
    log = timeline.read_log(sample.env.uow(), sample.inv, sample.case_ids[C1])
    assert log.items[0].kind == "ACTION_TAKEN" and log.items[0].text.startswith("Disc received")


def test_the_case_file_is_exported_from_the_window(qtbot: QtBot, sample: Sample, open_window: OpenWindow,
                                                  tmp_path: Path) -> None:
    cases = case_one(open_window, sample)
    log_tab(cases.view, qtbot)
    click(qtbot, cases.view.case_log.export_button)
    dialog = cases.view.case_log.dialog
    assert isinstance(dialog, ExportCaseFileDialog)
    assert dialog.out.text().endswith("PSD-2024-000001 case file (OFFICIAL-SENSITIVE).pdf")
    dialog.recipient.setCurrentText("IOPC West Midlands")
    dialog.out.setText(str(tmp_path / "bundle.pdf"))
    written(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.result_dialog is not None and dialog.result_dialog.isVisible())
    assert "for IOPC West Midlands" in dialog.result_dialog.text()  # type: ignore[union-attr]
    assert (tmp_path / "bundle.pdf").read_bytes().startswith(b"%PDF-")
    dialog.result_dialog.close()  # type: ignore[union-attr]


def test_the_iopc_liaison_reads_without_writing_or_victim_contacts(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cid = sample.case_ids[C1]
    aid = _allegation(sample)
    cw.record_iopc_referral(sample.env.uow(), sample.iopc, cid, allegation_id=aid)
    cw.record_iopc_decision(sample.env.uow(), sample.iopc, cid, IopcDecision.LOCAL_INVESTIGATION, allegation_id=aid)
    entries.add_entry(sample.env.uow(), sample.sup, cid, EntryInput(EntryKind.VICTIM_CONTACT, "Visited her.",
                                                                    victim_ref="V1"))
    entries.add_entry(sample.env.uow(), sample.sup, cid, EntryInput(EntryKind.NOTE, "IOPC asked for the file."))
    cases = case_one(open_window, sample, sample.iopc)
    panel = cases.view.case_log
    log_tab(cases.view, qtbot)
    assert "Contact with the victim" not in column(panel.model, "Kind")
    assert "Note" in column(panel.model, "Kind")
    assert not any(b.isVisible() for b in (panel.add_button, panel.victim_button, panel.correct_button,
                                           panel.summary_button))
    assert panel.export_button.isVisible()


def _allegation(sample: Sample) -> int:
    from app.services import case_queries

    return case_queries.open_case(sample.env.uow(), sample.sup, sample.case_ids[C1]).allegations[0].id


def test_the_case_file_models_pass_the_model_tester(qtmodeltester, sample: Sample, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cid = sample.case_ids[C1]
    entries.add_entry(sample.env.uow(), sample.sup, cid, EntryInput(EntryKind.NOTE, "A note."))
    (tmp_path / "s.pdf").write_bytes(PDF)
    documents.attach(sample.env.uow(), sample.sup, cid, tmp_path / "s.pdf", title="S", kind=DocumentKind.STATEMENT)
    tasks.give_task(sample.env.uow(), sample.sup, cid, "Do it", "inv", clock.today())
    log = CaseLogTableModel()
    log.set_rows(timeline.read_log(sample.env.uow(), sample.sup, cid).items)
    docs = DocumentTableModel()
    docs.set_rows(documents.list_documents(sample.env.uow(), sample.sup, cid))
    versions = VersionTableModel()
    versions.set_rows(docs.row_at(0).versions)
    task_model = TaskTableModel()
    task_model.set_rows(tasks.case_tasks(sample.env.uow(), sample.sup, cid))
    for model in (log, docs, versions, task_model):
        assert model.rowCount() >= 1
        qtmodeltester.check(model, force_py=True)

