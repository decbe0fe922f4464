"""`ppda-tracker` with no subcommand: the desktop application.

Start-up order: Qt and the look; the database, opened by app.bootstrap as the command line opens
it (asking for the SQLCipher key in a dialog if the keyring does not hold it; the schema check:
SQLite is upgraded, after a backup, PostgreSQL only checked); then first run or sign-in. Nothing
slow happens before the first window shows.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QProgressDialog

from app import bootstrap
from app.config import Settings
from app.services import case_summary
from app.services.unit_of_work import Database
from app.ui.collector import GuiThreadCollector
from app.ui.dialogs.key_prompt import ask_secret, warn_memory_only
from app.ui.errors import expected, install_excepthook, startup_failure
from app.ui.session import SessionController
from app.ui.style import apply_look
from app.ui.workers import Task

log = logging.getLogger(__name__)


def run_application(settings: Settings) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    install_excepthook()
    collector = GuiThreadCollector(app)  # workers must never be the thread that frees Qt objects
    apply_look(app)
    app.setQuitOnLastWindowClosed(False)
    db = open_checked(settings.db_url)
    if db is None:
        return 1
    controller = SessionController(db)
    controller.finished.connect(app.quit)
    controller.start()
    try:
        return int(app.exec())
    finally:
        collector.stop()
        db.dispose()


def open_checked(url: str) -> Database | None:
    """Open the database and make its schema ready (app.bootstrap); None (after a message) if that
    cannot be done. A key typed in is stored in the keyring; with no keyring, say it is kept in
    memory only."""
    try:
        db = bootstrap.start(url, ask_secret, memory_only=warn_memory_only, long_step=_behind_progress)
    except Exception as exc:
        told = expected(exc)  # an expected failure (a damaged or busy database…) is told before quitting
        if told is None:
            raise  # a bug
        startup_failure(told)
        return None
    log.info("Database ready: %s", "SQLite" if db.is_sqlite else "PostgreSQL")
    return db


def refresh_case_list(db: Database) -> None:
    """Once after an upgrade that changed how the case list's columns are derived, recompute them
    (as the command line does), in a worker behind a progress dialog: a minute on 100,000 cases."""
    if case_summary.needs_refresh(db.uow()):
        _behind_progress(lambda: case_summary.ensure_current(db.uow()))


def _behind_progress(step: Callable[[], object]) -> None:
    """Run a slow start-up step in a worker behind a progress dialog that cannot be cancelled."""
    dialog = QProgressDialog("Updating the case list for this version of PPDA Tracker.\n"
                             "This happens once after an upgrade and can take a minute.", "", 0, 0)
    dialog.setWindowTitle("PPDA Tracker")
    dialog.setAccessibleName("Updating the case list")
    dialog.setCancelButton(None)  # all or nothing: it runs to the end (it is done again if stopped)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    failure: list[BaseException] = []
    task = Task(lambda _token: step())
    loop = QEventLoop()
    task.failed.connect(failure.append)
    task.done.connect(loop.quit)
    dialog.show()
    task.start()
    loop.exec()
    dialog.hide()
    dialog.deleteLater()
    if failure:
        raise failure[0]
