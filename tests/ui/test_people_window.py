"""A person's page driven through its widgets: whoever keeps the workforce register records that a
person left the force (the leaving statuses the service accepts, the date), sees the new status on
the page, and gets the service's message, with nothing changed, when it refuses."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDateEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.domain.enums import EmploymentStatus
from app.persistence.models import PersonRow
from app.services import clock
from app.ui import labels
from app.ui.dialogs.decision_form import DecisionDialog
from app.ui.main_window import MainWindow
from app.ui.sections.people import PeopleSection
from tests.ui.conftest import OpenWindow
from tests.ui.sample_data import Sample
from tests.ui.test_case_actions import shown


def people_of(window: MainWindow) -> PeopleSection:
    return shown(window, PeopleSection)


def person(sample: Sample, staff_number: str) -> PersonRow:
    with sample.env.uow() as uow:
        row = uow.session.scalar(select(PersonRow).where(PersonRow.staff_number == staff_number))
        assert row is not None
        uow.session.expunge(row)
    return row


def open_leaving(qtbot: QtBot, people: PeopleSection, staff_number: str, sample: Sample) -> DecisionDialog:
    assert people.open_person(person(sample, staff_number).id)
    button = people.view.leaving_button
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = people.view.leaving_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def record(qtbot: QtBot, dialog: DecisionDialog, status: str = "Resigned", on: date | None = None) -> None:
    """Choose how and when they left, and press Record leaving."""
    combo, left_on = dialog.widgets["status"], dialog.widgets["end_date"]
    assert isinstance(combo, QComboBox) and isinstance(left_on, QDateEdit)
    combo.setCurrentIndex(combo.findText(status))
    day = on or clock.today()
    left_on.setDate(QDate(day.year, day.month, day.day))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_recording_that_a_subject_resigned_shows_on_their_page(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    people = people_of(open_window(sample.env.admin))
    dialog = open_leaving(qtbot, people, "P001", sample)
    status = dialog.widgets["status"]
    assert isinstance(status, QComboBox)
    assert [status.itemText(i) for i in range(status.count())] == [
        "Resigned", "Retired", "Dismissed", "Transferred out"]
    assert "Smith, John (P001) — now serving." in [label.text() for label in dialog.findChildren(type(dialog.message))]
    tomorrow = clock.today() + timedelta(days=1)
    record(qtbot, dialog, on=tomorrow)
    assert dialog.isVisible() and dialog.message.text() == (
        f"end_date: {labels.day(tomorrow)} is in the future; record the leaving once it has happened.")
    assert person(sample, "P001").employment_status == "SERVING"

    last_day = clock.today() - timedelta(days=3)
    record(qtbot, dialog, on=last_day)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: people.view.status.text() == "Resigned")
    assert people.view.isVisible() and people.view.title.text() == "Smith, John (P001)"
    assert person(sample, "P001").end_date == last_day


def test_a_second_leaving_is_refused_with_the_services_message(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    people = people_of(open_window(sample.env.admin))
    record(qtbot, open_leaving(qtbot, people, "P005", sample), "Retired")
    qtbot.waitUntil(lambda: people.view.status.text() == "Retired")
    today = clock.today()
    dialog = open_leaving(qtbot, people, "P005", sample)
    record(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.message.text() == f"P005 is already recorded as Retired from {labels.day(today)}."
    assert person(sample, "P005").employment_status == EmploymentStatus.RETIRED.name


def test_only_those_who_keep_the_register_are_offered_it(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    people = people_of(open_window(sample.sup))
    assert people.open_person(person(sample, "P002").id)
    assert people.view.leaving_button.isHidden()
