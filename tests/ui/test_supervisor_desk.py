"""The supervisor's desk (issue #15 item 6): My work over the whole force sorts by every column,
filters by kind of item, team, assignee and case, counts by kind and by person, names a person or a
team for every item (never a bare role), and allocates several cases at once by picking a person by
name — through the service, so the case team changes and the decisions are recorded."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.domain.enums import DueItemKind, Role
from app.persistence.models import CaseMemberRow
from app.services.queue import work_queue
from app.ui.sections.my_work import UNASSIGNED, MyWorkSection
from tests.ui.conftest import OpenWindow
from tests.ui.sample_data import Sample

ROLE_WORDS = {"SUPERVISOR", "HEAD_OF_PSD", "IOPC_LIAISON", "INVESTIGATOR", "Supervisor", "Head of PSD",
              "IOPC liaison", "Investigator"}


def _desk(qtbot: QtBot, open_window: OpenWindow, sample: Sample) -> MyWorkSection:
    work = open_window(sample.sup).section(MyWorkSection)
    assert isinstance(work, MyWorkSection)
    qtbot.waitUntil(lambda: work._task is None, timeout=30_000)
    work.whole_force.setChecked(True)
    qtbot.waitUntil(lambda: work._task is None and work.model.rowCount() > 0, timeout=30_000)
    return work


def _column(work: MyWorkSection, title: str) -> list[str]:
    column = next(c for c in range(work.model.columnCount())
                  if work.model.headerData(c, Qt.Orientation.Horizontal) == title)
    return [work.model.index(r, column).data() for r in range(work.model.rowCount())]


def test_every_item_names_a_person_or_a_team_never_a_role(qtbot: QtBot, open_window: OpenWindow,
                                                          sample: Sample) -> None:
    work = _desk(qtbot, open_window, sample)
    shown = _column(work, "Assigned to")
    assert shown and not set(shown) & ROLE_WORDS, shown
    items = work_queue(sample.env.uow(), sample.sup, everyone=True)
    for i in items:  # the service says who, by name: the head of PSD is "head", the liaison "iopc"
        assert i.owner and i.owner not in ROLE_WORDS, i
        if i.falls_to == Role.IOPC_LIAISON:
            assert i.owner == "iopc"
        if i.falls_to == Role.HEAD_OF_PSD:
            assert i.owner == "head"
    unassigned = [i for i in items if i.assigned_to.startswith("unassigned")]
    assert unassigned and all("mgr" in i.owner and "sup" in i.owner for i in unassigned)  # who allocates, by name


def test_every_column_sorts_both_ways(qtbot: QtBot, open_window: OpenWindow, sample: Sample) -> None:
    work = _desk(qtbot, open_window, sample)
    states = _column(work, "State")  # until a header is clicked: the queue's order, overdue first
    assert "OVERDUE" in states and states == sorted(states, key=lambda s: s != "OVERDUE")
    header = work.table.horizontalHeader()
    for column in range(work.model.columnCount()):
        header.setSortIndicator(column, Qt.SortOrder.AscendingOrder)
        up = [work.model.row_at(r) for r in range(work.model.rowCount())]
        header.setSortIndicator(column, Qt.SortOrder.DescendingOrder)
        down = [work.model.row_at(r) for r in range(work.model.rowCount())]
        assert len(up) == len(down) == work.model.rowCount()
    header.setSortIndicator(1, Qt.SortOrder.AscendingOrder)  # Due: as dates, not as text ("01 Mar" < "28 Feb")
    dates = [work.model.row_at(r).due_date for r in range(work.model.rowCount())]
    assert dates == sorted(dates)
    header.setSortIndicator(3, Qt.SortOrder.DescendingOrder)
    refs = _column(work, "Case or notice")
    assert refs == sorted(refs, reverse=True)
    work.overdue_only.setChecked(True)  # a new filter keeps the order the header shows
    refs = _column(work, "Case or notice")
    assert refs == sorted(refs, reverse=True)


def test_filters_by_kind_assignee_and_case_and_the_combos_show_their_choice(
        qtbot: QtBot, open_window: OpenWindow, sample: Sample) -> None:
    work = _desk(qtbot, open_window, sample)
    total = work.model.rowCount()
    work.kind.setCurrentIndex(work.kind.findData(DueItemKind.VICTIM_UPDATE.name))
    assert work.kind.currentText() == "Victim update"
    assert set(_column(work, "Item")) == {"Victim update"} and work.model.rowCount() < total
    work.assignee.setCurrentIndex(work.assignee.findData(UNASSIGNED))
    assert work.assignee.currentText() == "Unassigned" and set(_column(work, "Assigned to")) == {"Unassigned"}
    qtbot.keyClicks(work.case_filter, "2023-000003")
    qtbot.keyClick(work.case_filter, Qt.Key.Key_Return)
    assert set(_column(work, "Case or notice")) == {"PSD-2023-000003"}
    assert work.count.text().startswith(f"{work.model.rowCount()} item")
    work.clear_filters.click()
    assert work.model.rowCount() == total and work.kind.currentText() == "Any kind of item"


def test_counts_by_kind_and_by_person(qtbot: QtBot, open_window: OpenWindow, sample: Sample) -> None:
    work = _desk(qtbot, open_window, sample)
    kinds = {work.by_kind.index(r, 0).data(): int(work.by_kind.index(r, 1).data())
             for r in range(work.by_kind.rowCount())}
    assert sum(kinds.values()) == work.model.rowCount()
    people = {work.by_person.index(r, 0).data(): [work.by_person.index(r, c).data() for c in range(1, 5)]
              for r in range(work.by_person.rowCount())}
    assert people["inv"][1] == "1"  # caseload: inv investigates one open case
    assert UNASSIGNED in people and int(people[UNASSIGNED][2]) > 0
    # Opening a group lists its items.
    row = next(r for r in range(work.by_person.rowCount()) if work.by_person.index(r, 0).data() == UNASSIGNED)
    work.person_table.doubleClicked.emit(work.by_person.index(row, 0))
    assert work.tabs.currentIndex() == 0 and set(_column(work, "Assigned to")) == {"Unassigned"}


def test_allocating_several_unassigned_cases_at_once_by_picking_a_name(
        qtbot: QtBot, open_window: OpenWindow, sample: Sample) -> None:
    work = _desk(qtbot, open_window, sample)
    work.assignee.setCurrentIndex(work.assignee.findData(UNASSIGNED))
    work.select_all_button.click()
    chosen = {i.case_id for i in work.selected_items()}
    assert len(chosen) >= 2 and work.allocate_button.text() == f"Allocate {len(chosen)} cases…"
    dialog = work.allocate()
    assert dialog is not None
    height = dialog.height()
    dialog.ok_button.click()  # no one picked: refused in words, the dialog grows to show it
    assert dialog.isVisible() and "Choose the person" in dialog.message.text() and dialog.height() >= height
    qtbot.keyClicks(dialog.picker.search, "inv")
    assert dialog.picker.chosen() == "inv" and not dialog.message.isVisible()  # the only match; message gone
    dialog.declared.setChecked(True)
    with qtbot.waitSignal(dialog.allocated, timeout=30_000) as done:
        dialog.ok_button.click()
    assert done.args[0].startswith(f"{len(chosen)} allocated to inv")
    with sample.env.uow() as uow:
        on = set(uow.session.scalars(select(CaseMemberRow.case_id).where(
            CaseMemberRow.user_id == sample.inv.id, CaseMemberRow.role == "INVESTIGATOR",
            CaseMemberRow.ended_at.is_(None))))
    assert chosen <= on
    qtbot.waitUntil(lambda: (work._task is None and "inv" in _column(work, "Assigned to")) or
                    not work.model.rowCount(), timeout=30_000)
    work.assignee.setCurrentIndex(0)
    items = [i for i in work._items if i.case_id in chosen and i.falls_to == Role.INVESTIGATOR]
    assert items and all(i.owner == "inv" for i in items)


def test_re_allocating_takes_the_other_investigator_off(qtbot: QtBot, open_window: OpenWindow, sample: Sample) -> None:
    work = _desk(qtbot, open_window, sample)
    case = sample.case_ids["PSD-2024-000001"]  # inv investigates it; mgr is a supervisor who may too
    rows = [r for r in range(work.model.rowCount()) if work.model.row_at(r).case_id == case]
    work.table.selectRow(rows[0])
    dialog = work.allocate()
    assert dialog is not None
    dialog.picker.choose("mgr")
    dialog.declared.setChecked(True)
    dialog.reason.setText("Balancing caseloads")
    with qtbot.waitSignal(dialog.worked, timeout=30_000):
        dialog.ok_button.click()  # in a worker: the window keeps answering
    if dialog.isVisible():  # refused (mgr is the subject's line manager): said, nothing changed
        assert "PSD-2024-000001" in dialog.message.text()
        expected = {sample.inv.id}
    else:
        expected = {sample.mgr.id}
    with sample.env.uow() as uow:
        active = set(uow.session.scalars(select(CaseMemberRow.user_id).where(
            CaseMemberRow.case_id == case, CaseMemberRow.role == "INVESTIGATOR", CaseMemberRow.ended_at.is_(None))))
    assert active == expected
