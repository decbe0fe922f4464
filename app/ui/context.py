"""What every screen of a signed-in session shares: the database (as the source of a unit of work
for each user action, opened by app.bootstrap), the signed-in user, the home
force, and the one "what changed" signal that views refresh themselves from after a write."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QObject, Signal

from app.domain.permissions import Action, allowed
from app.domain.records import Force, User
from app.services import installation
from app.services.unit_of_work import UnitOfWork, UnitOfWorkFactory
from app.ui.labels import human
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

    def __init__(self, db: UnitOfWorkFactory, user: User, force: Force, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.user = user
        self.force = force
        self._force_names: dict[str, str] | None = None

    def uow(self) -> UnitOfWork:
        """A fresh unit of work for one user action."""
        return self.db.uow()

    def may(self, action: Action) -> bool:
        return allowed(self.user, action)

    def force_name(self, code: str | None) -> str:
        """A force (or the PND, a College list) by its name, as a notice names its issuer by code."""
        if not code:
            return ""
        if self._force_names is None:
            self._force_names = {f.code.lower(): f.name for f in installation.list_forces(self.uow())}
        return self._force_names.get(code.lower()) or human(code)

    def notify(self, change: Change) -> None:
        emit(self.changed, change.value)
