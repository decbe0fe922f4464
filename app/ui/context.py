"""What every screen of a signed-in session shares: the database, the signed-in user, the home
force, and the one "what changed" signal that views refresh themselves from after a write."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QObject, Signal

from app.domain.permissions import Action, allowed
from app.domain.records import Force, User
from app.persistence.database import Database
from app.persistence.uow import UnitOfWork
from app.ui.signals import emit


class Change(StrEnum):
    CASES = "cases"
    PEOPLE = "people"
    USERS = "users"
    SETTINGS = "settings"
    NOTICES = "notices"
    ACCESS_LOG = "access log"


class AppContext(QObject):
    changed = Signal(str)  # a Change: emitted once after each successful write

    def __init__(self, db: Database, user: User, force: Force, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.user = user
        self.force = force

    def uow(self) -> UnitOfWork:
        """A fresh unit of work for one user action."""
        return UnitOfWork(self.db.session_factory)

    def may(self, action: Action) -> bool:
        return allowed(self.user, action)

    def notify(self, change: Change) -> None:
        emit(self.changed, change.value)
