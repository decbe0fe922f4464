"""The life of the window: first run, sign-in, the main window, sign-out back to sign-in, quit."""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.domain.records import User
from app.services import installation, users
from app.services.unit_of_work import UnitOfWork, UnitOfWorkFactory
from app.ui.context import AppContext
from app.ui.dialogs.sign_in import FirstRunDialog, SignInDialog
from app.ui.signals import disconnect, emit

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)
# The non-Qt modules the main window's sections use (services, reports, the workflow rules): the
# larger part of its import time. A test keeps this list complete.
PRELOAD = (
    "app.domain.forces", "app.domain.workflow", "app.reports.charts", "app.reports.disclosure.model",
    "app.services.access_log_export", "app.services.actions", "app.services.audit", "app.services.case_facts",
    "app.services.case_queries", "app.services.casefile.documents", "app.services.casefile.entries",
    "app.services.casefile.export", "app.services.casefile.timeline", "app.services.casework",
    "app.services.imports.cases",
    "app.services.imports.workforce", "app.services.notice_files", "app.services.notice_review",
    "app.services.people_queries", "app.services.person_search", "app.services.policies",
    "app.services.queue", "app.services.referrals", "app.services.reporting", "app.services.retention",
)
_warming: list[threading.Thread] = []


def _preload() -> None:
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the import when the window opens reports it properly
            log.debug("Preloading a module failed; it is imported when needed")
            return


def warm_up() -> None:
    """Import the services, reports and rules the main window uses on a background thread while the
    sign-in dialog waits for the password (and while the password check, which releases the
    interpreter lock, runs). Only modules without Qt: PySide6 classes are created on the GUI thread,
    which imports the window's own modules when it opens it."""
    if not _warming and not all(name in sys.modules for name in PRELOAD):
        thread = threading.Thread(target=_preload, name="ppda-warm-up", daemon=True)
        _warming.append(thread)
        thread.start()


def _main_window_class() -> type[MainWindow]:
    """The class, once the background import (if any) has ended: two threads importing the same
    modules at once could each see the other's half-initialised modules."""
    while _warming:
        _warming.pop().join()
    from app.ui.main_window import MainWindow

    return MainWindow


class SessionController(QObject):
    """Shows the first-run or sign-in dialog, then the main window; `finished` when the user quits."""

    finished = Signal()

    def __init__(self, db: UnitOfWorkFactory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.first_run: FirstRunDialog | None = None
        self.sign_in: SignInDialog | None = None
        self.window: MainWindow | None = None

    def uow(self) -> UnitOfWork:
        return self.db.uow()

    def start(self) -> None:
        if not installation.is_initialised(self.uow()) or not users.any_users(self.uow()):
            self._show_first_run()
        else:
            self._show_sign_in()

    def _show_first_run(self) -> None:
        self.first_run = FirstRunDialog(self.uow())
        self.first_run.accepted.connect(self._first_run_done)
        self.first_run.rejected.connect(self.finished)
        self.first_run.show()

    def _first_run_done(self) -> None:
        assert self.first_run is not None
        admin = self.first_run.admin
        self.first_run.deleteLater()
        self.first_run = None
        log.info("First run completed: home force set and the first administrator created")
        self._show_sign_in(admin.username if admin else "")

    def _show_sign_in(self, username: str = "", *, after_sign_out: bool = False) -> None:
        force = installation.home_force(self.uow())
        self.sign_in = SignInDialog(self.uow(), force.name)
        if username:
            self.sign_in.username.setText(username)
            self.sign_in.password.setFocus()
        elif after_sign_out:  # the next person is often someone else: typing replaces the last name
            self.sign_in.username.selectAll()
            self.sign_in.username.setFocus()
        self.sign_in.accepted.connect(self._signed_in)
        self.sign_in.rejected.connect(self.finished)
        self.sign_in.show()
        warm_up()

    def _signed_in(self) -> None:
        assert self.sign_in is not None
        user = self.sign_in.user
        self.sign_in.deleteLater()
        self.sign_in = None
        if user is not None:
            self._open_window(user)

    def _open_window(self, user: User) -> None:
        ctx = AppContext(self.db, user, installation.home_force(self.uow()))
        self.window = _main_window_class()(ctx)
        ctx.setParent(self.window)
        self.window.sign_out_requested.connect(self.sign_out)
        self.window.closed.connect(self._window_closed)
        self.window.show()
        log.info("Signed in (user id %s)", user.id)

    def sign_out(self) -> None:
        window, self.window = self.window, None
        if window is not None:
            disconnect(window.closed, self._window_closed)
            window.close()
            window.deleteLater()
            log.info("Signed out")
        self._show_sign_in(after_sign_out=True)

    def _window_closed(self) -> None:
        self.window = None
        emit(self.finished)
