"""First run, sign-in, sign-out, the idle lock and start-up refusals, driven through the widgets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.config import Settings
from app.domain.errors import ExpectedError
from app.persistence.database import Database, open_database
from app.ui import launch, settings
from app.ui.session import SessionController
from app.ui.signals import emit
from tests.helpers import PASSWORD
from tests.ui.conftest import OpenWindow
from tests.ui.sample_data import Sample


@pytest.fixture
def controller(qtbot: QtBot, empty_url: str) -> Iterator[SessionController]:
    db = open_database(empty_url)
    ctl = SessionController(db)
    yield ctl
    for widget in (ctl.first_run, ctl.sign_in, ctl.window):
        if widget is not None:
            widget.close()
    db.dispose()


def _sign_in(qtbot: QtBot, ctl: SessionController, username: str, password: str) -> None:
    dialog = ctl.sign_in
    assert dialog is not None
    dialog.username.setText(username)
    qtbot.keyClicks(dialog.password, password)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_first_run_creates_the_administrator_then_signs_in(qtbot: QtBot, controller: SessionController) -> None:
    controller.start()
    dialog = controller.first_run
    assert dialog is not None and dialog.isVisible()
    dialog.force.setCurrentIndex(dialog.force.findData("west-yorkshire"))
    qtbot.keyClicks(dialog.username, "chief.admin")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.repeat, "something else")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "differ" in dialog.message.text()
    dialog.repeat.setText(PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.sign_in is not None and controller.sign_in.isVisible())
    assert controller.sign_in is not None and controller.sign_in.username.text() == "chief.admin"
    _sign_in(qtbot, controller, "chief.admin", PASSWORD)
    qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible())
    window = controller.window
    assert window is not None
    assert "chief.admin" in window.user_label.text() and "Administrator" in window.user_label.text()
    assert "West Yorkshire Police" in window.windowTitle() and "OFFICIAL-SENSITIVE" in window.windowTitle()


def test_a_weak_first_password_changes_nothing(qtbot: QtBot, controller: SessionController) -> None:
    controller.start()
    dialog = controller.first_run
    assert dialog is not None
    dialog.force.setCurrentIndex(dialog.force.findData("kent"))
    dialog.username.setText("admin")
    dialog.password.setText("short")
    dialog.repeat.setText("short")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "at least 12 characters" in dialog.message.text()
    assert dialog.force.isEnabled()  # the force was not set either


def test_wrong_password_shows_the_message_then_the_lockout(qtbot: QtBot, sample: Sample) -> None:
    ctl = SessionController(sample.env.db)
    ctl.start()
    assert ctl.sign_in is not None
    qtbot.addWidget(ctl.sign_in)
    _sign_in(qtbot, ctl, "sup", "not the password")
    assert ctl.sign_in.isVisible()
    assert ctl.sign_in.message.isVisible()
    assert ctl.sign_in.message.text() == ("Unknown user name or wrong password. After 5 wrong passwords in a "
                                          "row an account is locked until an administrator unlocks it.")
    for _ in range(4):
        _sign_in(qtbot, ctl, "sup", "not the password")
    _sign_in(qtbot, ctl, "sup", PASSWORD)  # locked: the same message (it never tells a stranger a name exists)
    assert ctl.sign_in.message.text().startswith("Unknown user name or wrong password. After 5 wrong passwords")
    assert ctl.window is None


def test_sign_out_returns_to_sign_in(qtbot: QtBot, sample: Sample) -> None:
    ctl = SessionController(sample.env.db)
    ctl.start()
    _sign_in(qtbot, ctl, "sup", PASSWORD)
    qtbot.waitUntil(lambda: ctl.window is not None and ctl.window.isVisible())
    window = ctl.window
    assert window is not None
    emit(window.sign_out_requested)
    qtbot.waitUntil(lambda: ctl.sign_in is not None and ctl.sign_in.isVisible())
    assert ctl.window is None and not window.isVisible()
    dialog = ctl.sign_in
    assert dialog is not None
    # The last user name is offered, selected, so that the next person types their own over it
    # rather than a password against the previous user's account.
    assert dialog.username.text() == "sup" and dialog.username.selectedText() == "sup"
    assert dialog.focusWidget() is dialog.username
    dialog.close()


def test_lock_hides_case_content_until_the_password_is_given(qtbot: QtBot, sample: Sample,
                                                               open_window: OpenWindow) -> None:
    window = open_window(sample.sup)
    cases = window.sections[0]
    assert cases.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked and not cases.isVisible() and window.lock_screen.isVisible()
    window.go_to(1)
    assert window.locked
    qtbot.keyClicks(window.lock_screen.password, "wrong password!")
    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    assert window.locked and "wrong password" in window.lock_screen.message.text()
    qtbot.keyClicks(window.lock_screen.password, PASSWORD)
    qtbot.keyClick(window.lock_screen.password, Qt.Key.Key_Return)
    assert not window.locked and cases.isVisible()


def test_the_window_locks_when_idle(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    assert settings.read(settings.IDLE_LOCK_MINUTES) == 15
    window = open_window(sample.sup)
    assert window.idle.minutes == 15
    window.idle.set_interval_ms(50)
    qtbot.waitUntil(lambda: window.locked, timeout=3000)
    assert "idle" in window.lock_screen.reason.text()


def test_window_geometry_is_remembered(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    window = open_window(sample.sup)
    window.resize(1100, 640)
    window.close()
    assert not settings.read(settings.WINDOW_GEOMETRY).isEmpty()
    again = open_window(sample.sup)
    assert (again.width(), again.height()) == (1100, 640)


def test_a_database_from_a_newer_program_is_refused(monkeypatch: pytest.MonkeyPatch, empty_url: str) -> None:
    db = open_database(empty_url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    db.dispose()
    shown: list[str] = []
    monkeypatch.setattr(launch, "startup_failure", lambda exc: shown.append(exc.message))
    assert launch.run_application(Settings(empty_url)) == 1
    assert "newer version of PPDA Tracker" in shown[0]


def test_an_old_sqlite_database_is_upgraded_before_the_window(empty_url: str, tmp_path: Path) -> None:
    db = open_database(empty_url)
    from app.persistence import migrate

    migrate.downgrade(db, "0001")
    db.dispose()
    ready = launch.open_checked(empty_url)
    assert isinstance(ready, Database)
    assert migrate.schema_state(ready).up_to_date
    assert migrate.list_backups(ready)  # backed up first
    ready.dispose()


def test_expected_errors_at_start_are_messages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    shown: list[ExpectedError] = []
    monkeypatch.setattr(launch, "startup_failure", shown.append)
    assert launch.open_checked("mysql://nowhere/db") is None
    assert "Unsupported database" in shown[0].message
