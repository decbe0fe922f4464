"""What made the walk-through stumble (issue #15 item 7), each checked where a user meets it: a
combo box's list shows its current choice (it was a blank row), messages read dates as "03 Dec
2026" and carry no internal ids, a recorded "no restriction" shows in the case list, and Enter in
the case search opens a single result."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.persistence.models import CaseRow
from app.services.case_state import NO_RESTRICTION
from app.ui.labels import human_text
from app.ui.sections.cases import CasesSection
from app.ui.style import apply_look
from tests.ui.conftest import OpenWindow, shown
from tests.ui.sample_data import Sample


@pytest.fixture
def styled(qapp: QApplication) -> Iterator[QApplication]:
    before = qapp.styleSheet()
    apply_look(qapp)
    yield qapp
    qapp.setStyleSheet(before)


def _dark_pixels(image: object, top: int, bottom: int) -> int:
    count = 0
    for y in range(top + 2, bottom - 2, 2):
        for x in range(4, image.width() - 4, 2):  # type: ignore[attr-defined]
            if QColor(image.pixel(x, y)).lightness() < 110:  # type: ignore[attr-defined]
                count += 1
    return count


def test_a_combo_box_list_shows_its_current_choice(qtbot: QtBot, styled: QApplication) -> None:
    combo = QComboBox()
    qtbot.addWidget(combo)
    for text in ("Any kind of item", "Restriction decision", "Restriction review", "Victim update"):
        combo.addItem(text)
    combo.setCurrentIndex(2)
    combo.resize(300, 30)
    combo.show()
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    rect = view.visualRect(view.model().index(2, 0))
    image = view.viewport().grab().toImage()
    assert _dark_pixels(image, rect.top(), rect.bottom()) > 20  # its text is drawn, not a blank row
    qtbot.keyClick(view, Qt.Key.Key_Down)  # the arrow keys move on from the current choice
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert combo.currentText() == "Victim update"


def test_messages_read_dates_one_way_and_carry_no_internal_ids() -> None:
    assert human_text("The threshold for investigation of allegation 3377 was already recorded as met on "
                      "2026-12-03.") == ("The threshold for investigation of the allegation was already recorded "
                                         "as met on 03 Dec 2026.")
    assert human_text("same incident as allegation 12") == "same incident as another allegation on the case"
    assert human_text("There is no case with id 7.") == "There is no case."
    assert human_text("PSD-2024-000001 and CR-2024-01-02 stay") == "PSD-2024-000001 and CR-2024-01-02 stay"


def test_no_restriction_reads_as_such_in_the_list(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    with sample.env.uow() as uow:
        uow.session.execute(update(CaseRow).where(CaseRow.reference == "PSD-2024-000002")
                            .values(list_restriction=NO_RESTRICTION))
        uow.commit()
    cases = shown(open_window(sample.sup), CasesSection)
    qtbot.waitUntil(lambda: cases.model.rowCount() > 0, timeout=20_000)
    column = next(c for c in range(cases.model.columnCount())
                  if cases.model.headerData(c, Qt.Orientation.Horizontal) == "Restriction")
    shown_text = {cases.model.index(r, 1).data(): cases.model.index(r, column).data()
                  for r in range(cases.model.rowCount())}
    assert "No restriction" in shown_text.values(), shown_text


def test_enter_in_the_search_box_opens_a_single_result(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases = shown(open_window(sample.sup), CasesSection)
    qtbot.keyClicks(cases.search, "PSD-2024-000002")
    qtbot.keyClick(cases.search, Qt.Key.Key_Return)
    assert cases.view.detail is not None and cases.view.detail.reference == "PSD-2024-000002"
    cases.show_list()
    cases.search.clear()
    qtbot.keyClicks(cases.search, "PSD-2024")  # two cases: Enter only searches
    qtbot.keyClick(cases.search, Qt.Key.Key_Return)
    assert cases.pages.currentIndex() == 0
