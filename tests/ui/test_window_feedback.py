"""The window says what was just saved, and Ctrl+N starts a new case from anywhere."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import OpenWindow
from tests.ui.sample_data import Sample
from tests.ui.test_case_actions import action, case_one, click, kinds


def test_a_recorded_action_is_confirmed_in_the_status_bar(qtbot: QtBot, sample: Sample,
                                                           open_window: OpenWindow) -> None:
    cases = case_one(open_window, sample)
    dialog = action(qtbot, cases, "pcc_report")
    before = len(kinds(cases))
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: len(kinds(cases)) > before)
    message = cases.window().statusBar().currentMessage()
    assert message.endswith(f"recorded on {cases.view.title.text()}.") and message.startswith(dialog.windowTitle())


def test_ctrl_n_opens_the_intake_form_even_with_a_case_open(qtbot: QtBot, sample: Sample,
                                                            open_window: OpenWindow) -> None:
    cases = case_one(open_window, sample)
    window = cases.window()
    assert cases.view.isVisible() and not cases.new_button.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: cases.intake_dialog is not None and cases.intake_dialog.isVisible())
    assert cases.intake_dialog is not None
    cases.intake_dialog.reject()


def test_a_user_who_may_not_create_cases_has_no_ctrl_n(qtbot: QtBot, sample: Sample,
                                                                         open_window: OpenWindow) -> None:
    window = open_window(sample.iopc)
    assert not hasattr(window, "new_case_action")
