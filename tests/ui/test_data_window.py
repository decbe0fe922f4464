"""Imports from the Data section: in a worker with a progress dialog, a summary on success, every
bad row listed when refused, and nothing saved when cancelled."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow
from app.ui.sections.cases import CasesSection
from app.ui.sections.data import DataSection
from app.ui.workers import CancelToken, run_with_progress
from tests.helpers import write_csv
from tests.ui.conftest import OpenWindow, message_boxes, shown
from tests.ui.sample_data import CASES_HEADER, Sample


def data_section(window: MainWindow) -> DataSection:
    return shown(window, DataSection)


def case_row(ref: str, staff: str = "P006", **changes: str) -> list[str]:
    values = dict(zip(CASES_HEADER, [ref, "2024-05-01", "VICTIM_DIRECT", "CONDUCT_MATTER", staff, "V1",
                                     "CURRENT_PARTNER", "MEDIUM", "STALKING_HARASSMENT", "", "", "", "", "", ""],
                      strict=True))
    values.update(changes)
    return [values[c] for c in CASES_HEADER]


def test_the_sections_offer_only_the_imports_the_role_may_run(sample: Sample, open_window: OpenWindow) -> None:
    assert list(data_section(open_window(sample.sup)).cards) == ["cases", "notices"]
    assert list(data_section(open_window(sample.env.admin)).cards) == ["workforce"]


def test_a_good_file_is_imported_and_the_case_list_refreshes(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    window = open_window(sample.sup)
    cases = window.section(CasesSection)
    assert isinstance(cases, CasesSection)
    window.go_to(window.sections.index(cases))
    assert cases.model.rowCount() == 3
    section = data_section(window)
    path = write_csv(tmp_path / "more.csv", CASES_HEADER, [case_row("PSD-2024-000010")])
    with qtbot.waitSignal(section.import_file("cases", path).succeeded, timeout=20_000):
        pass
    assert "1 added" in section.cards["cases"].result.text()
    assert any("more.csv: 1 rows read; 1 added" in b.text() for b in message_boxes(section))
    assert cases.model.rowCount() == 4 and cases.count.text() == "4 cases"


def test_a_bad_file_lists_every_bad_row(qtbot: QtBot, sample: Sample, open_window: OpenWindow,
                                        tmp_path: Path) -> None:
    section = data_section(open_window(sample.sup))
    rows = [case_row("PSD-2024-000011"), case_row("PSD-2024-000012", staff="NOBODY"),
            case_row("PSD-2024-000013", recorded_date="2024-13-01"),
            case_row("PSD-2024-000014", abuse_types="PHYSICAL;SHOUTING", dash_risk="EXTREME")]
    path = write_csv(tmp_path / "bad.csv", CASES_HEADER, rows)
    with qtbot.waitSignal(section.import_file("cases", path).failed, timeout=20_000):
        pass
    dialog = section.problems
    assert dialog is not None and dialog.isVisible()
    problems = [(p.line, p.column) for p in dialog.model.rows()]
    assert sorted(problems) == [(3, "subject_staff_number"), (4, "recorded_date"), (5, "abuse_types"),
                                (5, "dash_risk")]
    summary = dialog.findChild(QLabel)
    assert summary is not None and "nothing was imported" in summary.text()
    assert "refused (4 problems)" in section.cards["cases"].result.text()


def test_cancelling_saves_nothing(qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    window = open_window(sample.sup)
    section = data_section(window)
    path = write_csv(tmp_path / "more.csv", CASES_HEADER, [case_row("PSD-2024-000020")])
    task = section.import_file("cases", path)
    task.token.cancel()
    with qtbot.waitSignal(task.done, timeout=20_000):
        pass
    assert any("Cancelled: nothing was saved." in b.text() for b in message_boxes(section))
    cases = window.section(CasesSection)
    assert isinstance(cases, CasesSection)
    window.go_to(window.sections.index(cases))
    cases.refresh()
    assert cases.model.rowCount() == 3


def test_the_progress_dialog_cancel_button_cancels(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    window = open_window(sample.sup)
    started: list[CancelToken] = []

    def work(token: CancelToken) -> int:
        started.append(token)
        while not token.cancelled:
            token._event.wait(0.01)
        return 1

    task = run_with_progress(window, "Waiting…", work)
    dialog = task.progress_dialog  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(started) and dialog.isVisible())
    [cancel] = dialog.findChildren(QPushButton)
    with qtbot.waitSignal(task.failed, timeout=5_000) as failed:
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert str(failed.args[0]) == "Cancelled: nothing was saved."


def test_only_the_unsigned_file_refusal_asks_to_accept_the_file(sample: Sample, open_window: OpenWindow,
                                                                 tmp_path: Path) -> None:
    from app.domain.errors import RuleRefused, UnsignedNoticeFile

    section = data_section(open_window(sample.sup))
    notices, pnd = section.kinds["notices"], tmp_path / "pnd.csv"
    section._failed(notices, RuleRefused("pnd.csv is not signed. Some other refusal that reads alike."), pnd)
    assert section.question is None  # recognised by its type, not its wording
    assert any("Some other refusal" in b.text() for b in message_boxes(section))
    section._failed(notices, UnsignedNoticeFile("pnd.csv", ["PND"]), pnd)
    question = section.question
    assert question is not None and question.isVisible()
    assert question.text().startswith("pnd.csv is not signed. It comes from PND.")
    assert "--accept-unsigned" not in question.text()  # the command line's wording is not the window's
    question.reject()


def test_cancelling_stops_a_long_import_at_its_next_statement(qtbot: QtBot, sample: Sample,
                                                               open_window: OpenWindow, tmp_path: Path) -> None:
    import dataclasses

    from tests.ui.test_quitting import slow_import, slow_rows

    section = data_section(open_window(sample.sup))
    started: list[int] = []
    section.kinds["cases"] = dataclasses.replace(section.kinds["cases"], run=slow_import(started))
    task = section.import_file("cases", tmp_path / "cases.csv")
    qtbot.waitUntil(lambda: len(started) > 3, timeout=10_000)
    with qtbot.waitSignal(task.failed, timeout=5_000) as failed:  # not after its million rows
        task.token.cancel()
    assert str(failed.args[0]) == "Cancelled: nothing was saved."
    assert slow_rows(sample) == 0


def test_a_decision_that_needs_an_approval_is_imported_only_with_an_approver_who_signs_in(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    from sqlalchemy import select

    from app.persistence.models import DecisionRow
    from tests.helpers import PASSWORD

    section = data_section(open_window(sample.sup))
    row = case_row("PSD-2024-000030", threshold_met_date="2024-05-02", restrictions="NO_RESTRICTION",
                   restriction_date="2024-05-03")
    path = write_csv(tmp_path / "norestriction.csv", CASES_HEADER, [row])
    with qtbot.waitSignal(section.import_file("cases", path).failed, timeout=20_000):
        pass
    assert section.problems is not None
    [problem] = section.problems.model.rows()
    assert (problem.line, problem.column) == (2, "restrictions") and "'Approver signs in'" in problem.reason
    section.problems.close()
    field = section.cards["cases"].approver
    assert field is not None
    dialog = field.ask()
    qtbot.keyClicks(dialog.username, "mgr")
    qtbot.keyClicks(dialog.password, PASSWORD)
    dialog.accept()
    assert field.label.text() == "mgr (mgr)"
    with qtbot.waitSignal(section.import_file("cases", path).succeeded, timeout=20_000):
        pass
    assert field.user is None and field.label.text() == "Nobody yet"  # an approval is for one import
    with sample.env.uow() as uow:
        made = uow.session.scalar(select(DecisionRow).where(DecisionRow.kind == "RESTRICTION",
                                                            DecisionRow.imported_from == "norestriction.csv"))
        assert made is not None and (made.approved_by, made.imported_by) == (sample.mgr.id, sample.sup.id)
