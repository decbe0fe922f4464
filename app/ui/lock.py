"""The idle lock: after a period with no keyboard or mouse input (or on Ctrl+L) the window hides
its content behind a lock screen that needs the user's password again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ExpectedError
from app.domain.policy import PolicyName
from app.domain.records import User
from app.services import clock, policies, users
from app.services.unit_of_work import UnitOfWork
from app.ui import settings
from app.ui.errors import attempt_inline
from app.ui.signals import emit
from app.ui.style import icon

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
})


def idle_minutes(uow: UnitOfWork) -> int:
    """The force policy IDLE_LOCK_MINUTES in effect today; the local setting if it cannot be read."""
    try:
        value = policies.current(uow).optional_int_on(PolicyName.IDLE_LOCK_MINUTES, clock.today())
    except ExpectedError:
        value = None
    return value if value is not None else int(settings.read(settings.IDLE_LOCK_MINUTES))


class IdleMonitor(QObject):
    """Emits `idle` after `minutes` without user input anywhere in the application."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None, minutes: int | None = None) -> None:
        super().__init__(parent)
        self.minutes = minutes if minutes is not None else settings.read(settings.IDLE_LOCK_MINUTES)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, self.minutes) * 60_000)
        self._timer.timeout.connect(self.idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_interval_ms(self, ms: int) -> None:
        self._timer.setInterval(ms)
        self.restart()

    def restart(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def detach(self) -> None:
        self.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and self._timer.isActive():
            self._timer.start()
        return False


class LockScreen(QWidget):
    """Replaces the window's content while locked; the password unlocks it."""

    unlocked = Signal()
    sign_out_requested = Signal()

    def __init__(self, uow_factory: Callable[[], UnitOfWork], user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self._uow_factory = uow_factory
        self._user = user
        self.reason = _centred(QLabel())
        self.reason.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(f"Password for {user.username}")
        self.password.setAccessibleName("Password to unlock")
        self.password.returnPressed.connect(self.try_unlock)
        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self._card())
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def _card(self) -> QFrame:
        card = QFrame()
        card.setObjectName("lockCard")
        card.setFixedWidth(420)
        badge = _centred(QLabel())
        badge.setPixmap(icon("lock").pixmap(48, 48))
        title = _centred(QLabel("PPDA Tracker is locked"))
        title.setObjectName("pageTitle")
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setObjectName("primary")
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.clicked.connect(self.try_unlock)
        sign_out = QPushButton("Sign out")
        sign_out.setAccessibleName("Sign out")
        sign_out.clicked.connect(self.sign_out_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(sign_out)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        inner = QVBoxLayout(card)
        for widget in (badge, title, self.reason, self.password, self.message):
            inner.addWidget(widget)
        inner.addLayout(buttons)
        return card

    def prepare(self, reason: str) -> None:
        self.reason.setText(reason)
        self.message.setVisible(False)
        self.password.clear()
        self.password.setFocus()

    def try_unlock(self) -> None:
        done = attempt_inline(self.message, _confirm, self._uow_factory(), self._user, self.password.text())
        self.password.clear()
        if done:
            emit(self.unlocked)


def _centred(label: QLabel) -> QLabel:
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def _confirm(uow: UnitOfWork, user: User, password: str) -> bool:
    users.confirm_password(uow, user, password)
    return True
