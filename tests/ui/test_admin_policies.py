"""Administration → Policies and Signing keys, and Retention, driven through the widgets."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from app.domain.enums import Role
from app.services import clock, installation, policies, users
from app.ui.context import AppContext
from app.ui.main_window import MainWindow
from app.ui.models.policy_tables import PolicyHistoryTableModel, PolicyTableModel
from app.ui.sections.admin import AdministrationSection
from app.ui.sections.retention import RetentionSection
from tests.helpers import PASSWORD, force_env
from tests.ui.conftest import OpenWindow, message_boxes, shown
from tests.ui.sample_data import Sample


def admin_section(window: MainWindow) -> AdministrationSection:
    return shown(window, AdministrationSection)


def test_a_policy_set_from_a_date_is_listed_with_its_history(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    tab = admin_section(open_window(sample.env.admin)).policies
    tab.select("victim-update-days")
    qtbot.mouseClick(tab.set_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.correction_note.isVisible()  # from today: no correction
    dialog.value.clear()
    qtbot.keyClicks(dialog.value, "21")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    line = tab.selected()
    assert line is not None and line.name == "victim-update-days" and line.value == "21"
    newest = tab.history.rows()[0]
    assert (newest.effective_from, newest.value, newest.recorded_by, newest.correction) == (
        clock.today(), "21", "admin", False)
    row = tab.table.currentIndex().row()
    assert tab.model.data(tab.model.index(row, 2)) == f"from {clock.today():%d %b %Y} by admin"
    assert tab.history.data(tab.history.index(1, 2)) == "shipped"  # the default, still listed


def test_a_back_dated_value_is_a_correction_that_needs_a_reason(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    tab = admin_section(open_window(sample.env.admin)).policies
    tab.select("restriction-review-days")
    dialog = tab.set_policy()
    assert dialog is not None
    dialog.value.setText("14")
    dialog.effective.setDate(QDate(2020, 1, 1))
    assert dialog.correction_note.isVisible() and "corrects what applied" in dialog.correction_note.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.message.isVisible()
    assert dialog.message.text().startswith("01 Jan 2020 is before today") and "needs a reason" in dialog.message.text()
    assert tab.selected() is not None and tab.selected().value == "28"  # nothing changed
    qtbot.keyClicks(dialog.reason, "Force policy since 2020 is 14 days")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    line = tab.selected()
    assert line is not None and line.value == "14"
    row = tab.table.currentIndex().row()
    assert tab.model.data(tab.model.index(row, 1)) == "14 (corrected)"
    assert tab.model.data(tab.model.index(row, 2)) == "from 01 Jan 2020 by admin (correction)"
    assert tab.history.data(tab.history.index(0, 0)) == "01 Jan 2020"
    assert tab.history.data(tab.history.index(0, 3)) == "Correction: Force policy since 2020 is 14 days"
    assert tab.history_notes.isVisibleTo(tab) and tab.history_notes.text().startswith(
        "Correction from 01 Jan 2020 (14), recorded ")
    assert tab.history_notes.text().endswith(", admin: Force policy since 2020 is 14 days")

    # the policies as recorded at the end of yesterday: before the correction, nothing to set
    yesterday = clock.today() - timedelta(days=1)
    tab.as_recorded.setChecked(True)
    tab.recorded_on.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    line = tab.selected()
    assert line is not None and line.name == "restriction-review-days" and line.value == "28"
    assert [e.value for e in tab.history.rows()] == ["28"]
    assert tab.history_title.text().startswith("History of restriction-review-days\nas recorded at the end of")
    assert not tab.history_notes.isVisibleTo(tab)
    assert not tab.set_button.isEnabled() and tab.set_policy() is None
    tab.as_recorded.setChecked(False)
    assert tab.selected() is not None and tab.selected().value == "14" and tab.set_button.isEnabled()


def test_a_refused_policy_value_is_shown_in_the_dialog(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    tab = admin_section(open_window(sample.env.admin)).policies
    tab.select("victim-update-days")
    dialog = tab.set_policy()
    assert dialog is not None
    dialog.value.setText("soon")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.message.isVisible() and "victim-update-days" in dialog.message.text()
    dialog.reject()


def test_retention_is_offered_to_the_head_of_psd_only(sample: Sample, open_window: OpenWindow) -> None:
    head = sample.env.user("head2", Role.HEAD_OF_PSD)
    window = open_window(head)
    section = window.section(RetentionSection)
    assert isinstance(section, RetentionSection)
    window.go_to(window.sections.index(section))
    assert section.count.text() == "0 due" and not section.dispose_button.isEnabled()
    assert open_window(sample.sup).section(RetentionSection) is None


def test_the_policy_models_pass_the_model_tester(qtmodeltester, sample: Sample) -> None:  # type: ignore[no-untyped-def]
    lines = policies.describe_all(sample.env.uow(), sample.env.admin)
    model = PolicyTableModel()
    model.set_rows(lines)
    qtmodeltester.check(model)
    history = PolicyHistoryTableModel()
    history.set_rows(list(next(ln for ln in lines if ln.name == "suspend-on-arrest").entries))
    qtmodeltester.check(history)


def test_a_head_of_psd_disposes_of_a_case_with_a_second_approver(
        qtbot: QtBot, empty_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.integration.test_retention import C1, _build, pin

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    try:
        with force_env(empty_url) as env:
            r = _build(env, tmp_path)
            pin(date(2025, 7, 1))
            force = installation.home_force(env.uow())
            window = MainWindow(AppContext(env.db, r.head, force))
            qtbot.addWidget(window)
            section = window.section(RetentionSection)
            assert isinstance(section, RetentionSection)
            window.go_to(window.sections.index(section))
            assert next(row.reference for row in section.model.rows()) == C1
            dialog = section.dispose()
            assert dialog is not None
            dialog.reason.setPlainText("Retention period passed; no open matters and no list entry.")
            qtbot.keyClicks(dialog.approver, "head")
            qtbot.keyClicks(dialog.password, PASSWORD)
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
            assert dialog.isVisible()
            assert dialog.message.text().startswith("A decision cannot be approved by the person")
            dialog.approver.clear()
            qtbot.keyClicks(dialog.approver, "head2")
            qtbot.keyClicks(dialog.password, PASSWORD)
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: not dialog.isVisible())
            assert C1 not in [row.reference for row in section.model.rows()]
            assert any(f"{C1} was disposed of" in b.text() for b in message_boxes(section))
    finally:
        clock.pin(None)
