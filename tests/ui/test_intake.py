"""The intake form driven through its widgets: each victim's police workforce (a colleague picked
from the register), sex, age band, MARAC referral and IDVA/ISVA support reach the new case; a value
the service refuses is shown as it wrote it and nothing is created; the subject is chosen by
keyboard from the register's matches without Enter submitting the form."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.persistence.models import CaseRow, PersonRow, VictimRow
from app.ui.dialogs.case_intake import CaseIntakeDialog
from app.ui.dialogs.person_picker import PersonPicker
from app.ui.models.case_parts import VictimRoles
from app.ui.sections.cases import CasesSection
from tests.ui.conftest import OpenWindow
from tests.ui.sample_data import Sample
from tests.ui.test_case_actions import cases_of, click


def open_intake(qtbot: QtBot, cases: CasesSection) -> CaseIntakeDialog:
    click(qtbot, cases.new_button)
    intake = cases.intake_dialog
    assert intake is not None
    qtbot.waitUntil(intake.isVisible)
    intake.activateWindow()
    qtbot.waitUntil(intake.isActiveWindow)
    return intake


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def pick(qtbot: QtBot, picker: PersonPicker, text: str) -> None:
    """Type a search that matches one person and take it with Enter."""
    qtbot.keyClicks(picker.search, text)
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.staff_number(), picker.chosen.text()


def case_count(sample: Sample) -> int:
    with sample.env.uow() as uow:
        return int(uow.session.scalar(select(func.count(CaseRow.id))) or 0)


def test_victim_details_reach_the_new_case(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases = cases_of(open_window(sample.sup))
    intake = open_intake(qtbot, cases)
    assert not intake.colleague.isEnabled()
    choose(intake.workforce, "Same force")
    assert intake.colleague.isEnabled()
    pick(qtbot, intake.colleague, "jones")
    assert intake.colleague.chosen.text() == "Chosen: Jones, Mary — P002 — Band D, Control Room."
    choose(intake.sex, "Female")
    choose(intake.age_band, "25–34")
    for box in (intake.marac, intake.idva_offered, intake.idva_accepted):
        box.setChecked(True)
    pick(qtbot, intake.subject, "black")
    intake.abuse.boxes["PHYSICAL"].setChecked(True)
    click(qtbot, intake.ok_button)
    qtbot.waitUntil(lambda: not intake.isVisible())
    qtbot.waitUntil(cases.view.isVisible)

    victims = cases.view.victims
    row = [victims.index(0, c).data() for c in range(victims.columnCount())]
    assert row[:8] == ["V1", "Current partner", "Same force (colleague P002)", "Female", "25–34", "Not assessed",
                       "Referred", "Offered, accepted"]
    with sample.env.uow() as uow:
        linked = uow.session.scalar(select(PersonRow.staff_number).join(VictimRow, VictimRow.person_id == PersonRow.id)
                                    .where(VictimRow.id == victims.data(victims.index(0, 0), VictimRoles.VICTIM_ID)))
    assert linked == "P002"


def test_a_refused_victim_shows_the_services_message_and_creates_nothing(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases = cases_of(open_window(sample.sup))
    before = case_count(sample)
    intake = open_intake(qtbot, cases)
    intake.idva_accepted.setChecked(True)
    pick(qtbot, intake.subject, "black")
    intake.abuse.boxes["THREATS"].setChecked(True)
    click(qtbot, intake.ok_button)
    assert intake.isVisible() and intake.message.isVisible()
    assert intake.message.text() == "victims[1].advocate_accepted: IDVA/ISVA support can be accepted only once offered."
    assert case_count(sample) == before
    intake.idva_offered.setChecked(True)
    click(qtbot, intake.ok_button)
    qtbot.waitUntil(lambda: not intake.isVisible())
    assert case_count(sample) == before + 1


def test_a_victim_added_then_removed_is_not_recorded(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    intake = open_intake(qtbot, cases_of(open_window(sample.sup)))
    choose(intake.sex, "Male")
    click(qtbot, next(b for b in intake.findChildren(type(intake.ok_button)) if b.text() == "Add victim"))
    assert [intake.victim_list.item(i).text() for i in range(intake.victim_list.count())] == \
        ["V1 — Current partner, Male"]
    assert intake.victim_ref.text() == "V2"
    intake.victim_list.setCurrentRow(0)
    click(qtbot, next(b for b in intake.findChildren(type(intake.ok_button)) if b.text() == "Remove selected victim"))
    assert intake.victim_list.count() == 0 and intake.victims == []


def test_the_subject_is_chosen_by_keyboard_and_enter_does_not_submit(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases = cases_of(open_window(sample.sup))
    before = case_count(sample)
    intake = open_intake(qtbot, cases)
    picker = intake.subject
    picker.search.setFocus()
    qtbot.keyClicks(picker.search, "p00")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)  # six matches: into the list, the first chosen
    assert picker.results.count() == 6 and picker.results.hasFocus()
    assert picker.results.item(0).text() == "Black, Lee — P006 — SC, Specials"
    assert picker.staff_number() == "P006"
    qtbot.keyClick(picker.results, Qt.Key.Key_Down)
    assert picker.staff_number() == "P003" and picker.chosen.text() == "Chosen: Brown, Ali — P003 — DS, PSD."
    qtbot.keyClick(picker.results, Qt.Key.Key_Return)
    assert intake.isVisible() and case_count(sample) == before
    qtbot.keyClick(picker.results, Qt.Key.Key_Up)
    qtbot.keyClick(picker.results, Qt.Key.Key_Up)  # from the first match back to the search
    assert picker.search.hasFocus() and picker.staff_number() == "P006"
    picker.search.clear()
    qtbot.keyClicks(picker.search, "nobody")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.results.count() == 0
    assert picker.chosen.text() == 'Chosen: Black, Lee — P006 — SC, Specials. No one in the workforce register ' \
        'matches "nobody".'
    assert picker.search.accessibleName() == "Subject: search the workforce register"
    assert picker.results.accessibleName() == "Subject: matches"
