"""My work: the queue model passes qtmodeltester; an item from a notice asks the main window for
the Notices section, which tolerates its absence."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.enums import DueItemKind, Role
from app.services.queue import QueueItem
from app.ui.models.queue_table import QueueRoles, QueueTableModel
from app.ui.sections.my_work import MyWorkSection
from tests.ui.conftest import OpenWindow, message_boxes
from tests.ui.sample_data import Sample

ITEMS = [
    QueueItem("PSD-2024-000001", 1, DueItemKind.RESTRICTION_REVIEW, date(2024, 3, 2), True, "inv",
              "review of RESTRICTED_DUTIES", Role.SUPERVISOR, "North", 1),
    QueueItem("N-77", None, DueItemKind.NOTICE_TRIAGE, date(2030, 1, 2), False, "SUPERVISOR", "triage notice N-77",
              Role.SUPERVISOR),
]


def test_the_queue_model_passes_qtmodeltester(qtmodeltester: object) -> None:
    model = QueueTableModel()
    model.set_rows(ITEMS)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.index(0, 0).data() == "OVERDUE" and model.index(1, 0).data() == "Due"
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(0, 0).data(QueueRoles.CASE_ID) == 1 and model.index(1, 0).data(QueueRoles.CASE_ID) is None


def test_a_notice_item_asks_for_the_notices_section(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    window = open_window(sample.sup)
    work = window.section(MyWorkSection)
    assert isinstance(work, MyWorkSection)
    qtbot.waitUntil(lambda: work._task is None, timeout=20_000)
    work.model.set_rows(ITEMS[1:])
    with qtbot.waitSignal(work.notice_requested) as signal:
        work.table.setCurrentIndex(work.model.index(0, 0))
        qtbot.keyClick(work.table, Qt.Key.Key_Return)
    assert signal.args == ["N-77"]
    if not any(callable(getattr(s, "open_notice", None)) for s in window.sections):
        assert any("N-77" in b.text() for b in message_boxes(window))


def test_the_investigator_has_no_whole_force_switch(sample: Sample, open_window: OpenWindow) -> None:
    work = open_window(sample.inv).section(MyWorkSection)
    assert isinstance(work, MyWorkSection) and work.whole_force.isHidden() and work.team.isHidden()
