"""The Cases and People sections, driven as a user would: the list, search, opening a case
(masked victims), revealing contact details with a reason, and what each role is shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services import audit
from app.ui.main_window import MainWindow
from app.ui.models.case_parts import MASK, VictimTableModel
from app.ui.sections.cases import CasesSection
from app.ui.sections.people import PeopleSection
from tests.ui.conftest import OpenWindow, message_boxes, shown
from tests.ui.sample_data import CONTACT, Sample

C1, C2, C3 = "PSD-2024-000001", "PSD-2024-000002", "PSD-2023-000003"


def cases_of(window: MainWindow) -> CasesSection:
    return shown(window, CasesSection)


def listed(section: CasesSection) -> list[str]:
    return [section.model.index(r, 0).data() for r in range(section.model.rowCount())]


def open_row(qtbot: QtBot, section: CasesSection, reference: str) -> None:
    row = listed(section).index(reference)
    section.table.setCurrentIndex(section.model.index(row, 0))
    qtbot.keyClick(section.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: section.view.isVisible())


def test_sections_follow_the_roles(sample: Sample, open_window: OpenWindow) -> None:
    titles = lambda w: [s.title for s in w.sections]  # noqa: E731
    assert titles(open_window(sample.sup)) == ["My work", "Cases", "People", "Notices", "Reports", "Data"]
    assert titles(open_window(sample.inv)) == ["My work", "Cases", "People", "Notices"]
    assert titles(open_window(sample.iopc)) == ["My work", "Cases", "Reports"]
    assert titles(open_window(sample.env.admin)) == ["People", "Administration", "Access log", "Data"]
    assert titles(open_window(sample.aud)) == ["Access log"]
    assert titles(open_window(sample.lead)) == ["Reports"]


def test_the_case_list_shows_imported_cases_and_search_filters_them(qtbot: QtBot, sample: Sample,
                                                                    open_window: OpenWindow) -> None:
    section = cases_of(open_window(sample.sup))
    assert listed(section) == [C2, C1, C3]
    assert section.count.text() == "3 cases"
    row = listed(section).index(C1)
    assert section.model.index(row, 2).data() == "Smith, John"
    assert section.model.index(row, 3).data() == "Coercive control, Physical"
    assert section.model.index(row, 4).data() == "High"
    assert section.model.index(listed(section).index(C3), 6).data() == "Greater Manchester Police"
    qtbot.keyClick(section.window(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert section.search.hasFocus()
    qtbot.keyClicks(section.search, "smith")
    qtbot.waitUntil(lambda: listed(section) == [C1, C3])
    assert section.count.text() == "2 cases"
    section.external.setChecked(True)
    assert listed(section) == [C3]
    section.clear_filters()
    section.risk.setCurrentIndex(section.risk.findText("Medium"))
    assert listed(section) == [C2]
    section.status.setCurrentIndex(section.status.findText("Closed"))
    assert listed(section) == [] and section.count.text() == "0 cases"
    section.year.setCurrentIndex(section.year.findData(2023))
    section.clear_filters()
    assert listed(section) == [C2, C1, C3] and section.search.text() == ""


def test_sorting_a_column_sorts_in_the_query(sample: Sample, open_window: OpenWindow) -> None:
    section = cases_of(open_window(sample.sup))
    section.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert listed(section) == [C3, C1, C2]
    section.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    assert [section.model.index(r, 4).data() for r in range(3)] == ["High", "Medium", "Standard"]


def test_an_investigator_sees_only_their_case(sample: Sample, open_window: OpenWindow) -> None:
    assert listed(cases_of(open_window(sample.inv))) == [C1]


def test_opening_a_case_shows_it_masked_and_revealing_asks_a_reason_and_logs(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    section = cases_of(open_window(sample.inv))
    open_row(qtbot, section, C1)
    view = section.view
    assert view.title.text() == C1
    assert view.tabs.tabText(2) == "Victims (1)"
    contact = view.victims.index(0, VictimTableModel.CONTACT_COLUMN)
    assert contact.data() == MASK
    assert view.timeline.rowCount() == 2 and view.timeline.index(1, 4).data() == "imported from cases.csv by head"
    view.tabs.setCurrentIndex(2)
    qtbot.mouseClick(view.reveal_button, Qt.MouseButton.LeftButton)
    dialog = view.reveal_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Say why" in dialog.message.text()
    assert contact.data() == MASK
    qtbot.keyClicks(dialog.reason, "Arranging a safety visit")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert contact.data() == CONTACT and not view.reveal_button.isEnabled()
    entries = audit.search(sample.env.uow(), sample.aud, username="inv")
    assert [(e.record_type, e.reason) for e in entries[:2]] == [
        ("victim_contact", "Arranging a safety visit"), ("case", None)]
    view.window().activateWindow()
    qtbot.waitUntil(view.window().isActiveWindow)
    view.victim_table.setFocus()
    qtbot.keyClick(view.victim_table, Qt.Key.Key_Escape)
    assert section.table.isVisible()


def test_locking_masks_revealed_details_again(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    window = open_window(sample.sup)
    section = cases_of(window)
    assert section.open_case(sample.case_ids[C1])
    section.view.victims.reveal(sample.victim_id(C1), CONTACT)
    window.lock("Test.")
    assert section.view.victims.index(0, VictimTableModel.CONTACT_COLUMN).data() == MASK


def test_iopc_liaison_sees_the_referred_case_without_victims(qtbot: QtBot, sample: Sample,
                                                             open_window: OpenWindow) -> None:
    section = cases_of(open_window(sample.iopc))
    assert listed(section) == [C2]
    open_row(qtbot, section, C2)
    assert section.view.tabs.tabText(2) == "Victims (withheld)"
    assert section.view.victims.rowCount() == 0 and not section.view.reveal_button.isVisible()


def test_a_refused_case_shows_the_message(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    window = open_window(sample.inv)
    section = cases_of(window)
    assert not section.open_case(sample.case_ids[C2])
    [box] = message_boxes(section)
    assert "You may not open case PSD-2024-000002" in box.text()
    box.close()


def test_people_search_person_page_and_links_between_cases_and_people(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    window = open_window(sample.sup)
    people = window.section(PeopleSection)
    assert isinstance(people, PeopleSection)
    window.go_to(window.sections.index(people))
    assert people.model.rowCount() == 6 and people.count.text() == "6 people"
    qtbot.keyClicks(people.search, "grey")
    qtbot.waitUntil(lambda: people.model.rowCount() == 1)
    assert people.model.index(0, 1).data() == "Black, Lee"
    cases = cases_of(window)
    cases.open_case(sample.case_ids[C1])
    window.go_to(window.sections.index(cases))
    cases.view.allegation_table.setCurrentIndex(cases.view.allegations.index(0, 0))
    qtbot.keyClick(cases.view.allegation_table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: people.view.isVisible())
    assert people.view.title.text() == "Smith, John (P001)"
    assert [people.view.cases.index(r, 0).data() for r in range(2)] == [C1, C3]
    people.view.case_table.setCurrentIndex(people.view.cases.index(1, 0))
    qtbot.keyClick(people.view.case_table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cases.view.isVisible())
    assert cases.view.title.text() == C3


def test_the_administrator_sees_a_person_without_cases(sample: Sample, open_window: OpenWindow) -> None:
    window = open_window(sample.env.admin)
    people = window.section(PeopleSection)
    assert isinstance(people, PeopleSection)
    assert people.open_person(1)
    assert not people.view.case_table.isVisible()
    assert "not shown to your role" in people.view.cases_note.text()
