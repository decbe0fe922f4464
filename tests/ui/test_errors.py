"""The one place exceptions become dialogs: expected errors as plain messages, bugs logged with
their traceback and shown in the crash dialog (without the values a database error quotes)."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.domain.errors import InvalidInput, RuleRefused
from app.ui import errors
from tests.ui.conftest import message_boxes


def _raise(exc: BaseException) -> None:
    raise exc


def test_attempt_shows_an_expected_error_as_a_message(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    assert errors.attempt(parent, _raise, RuleRefused("The restriction decision needs a rationale.")) is None
    [box] = message_boxes(parent)
    assert box.text() == "The restriction decision needs a rationale."
    assert errors.attempt(parent, lambda: 42) == 42
    assert not errors.succeeded(parent, _raise, InvalidInput("no"))


def test_attempt_inline_writes_in_the_label(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    assert errors.attempt_inline(label, _raise, InvalidInput("Wrong.")) is None
    assert label.text() == "Wrong."
    assert errors.attempt_inline(label, lambda: "ok") == "ok" and label.text() == ""


def test_a_bug_is_logged_and_shown_once_in_the_crash_dialog(qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    class FakeDbError(Exception):
        statement = "INSERT INTO victim (contact_details) VALUES (?)"
        orig = ValueError("constraint failed")

    quoted = "07700 " + "900123"  # not on the raising line: the traceback quotes source lines
    try:
        raise FakeDbError(f"(sqlite3.IntegrityError) ... [parameters: ('{quoted}',)]")
    except FakeDbError as exc:
        info = (type(exc), exc, exc.__traceback__)
    with caplog.at_level(logging.CRITICAL, logger="app.ui.errors"):
        errors.report_exception(*info)
        errors.report_exception(*info)
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, errors.CrashDialog) and w.isVisible()]
    assert len(dialogs) == 1
    assert "ValueError while running: INSERT INTO victim" in dialogs[0].details.toPlainText()
    assert "07700 900123" not in dialogs[0].details.toPlainText()
    assert "07700 900123" not in caplog.text and "test_errors.py" in caplog.text
    dialogs[0].close()


def test_an_expected_error_reaching_the_hook_is_a_plain_message(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    errors.report_exception(RuleRefused, RuleRefused("Refused, and why."), None)
    assert [b.text() for b in message_boxes(window)] == ["Refused, and why."]


def test_the_hook_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    errors.install_excepthook()
    assert sys.excepthook is errors.report_exception
