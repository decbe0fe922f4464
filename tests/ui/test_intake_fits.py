"""The New case dialog fits a 1024×768 screen (issue #15: it was 1341 px wide)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.ui.sections.cases import CasesSection
from tests.ui.conftest import OpenWindow, shown
from tests.ui.sample_data import Sample


def test_the_new_case_dialog_fits_a_1024_by_768_screen(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases = shown(open_window(sample.sup), CasesSection)
    dialog = cases.new_case()
    qtbot.waitUntil(dialog.isVisible)
    frame = dialog.frameGeometry()
    least = dialog.minimumSizeHint()
    assert least.width() <= 1000 and least.height() <= 735, least  # room for a title bar within 768
    assert frame.width() <= 1024 and frame.height() <= 768, frame
    dialog.reject()
