"""`ppda-tracker` with no subcommand: the desktop application.

Start-up order: Qt and the look; the database (asking for the SQLCipher key if the keyring does
not hold it); the schema check (SQLite is upgraded, after a backup; PostgreSQL only checked);
then first run or sign-in. Nothing slow happens before the first window shows.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QProgressDialog

from app.config import Settings
from app.persistence import migrate
from app.persistence.database import Database, key_name, open_database
from app.persistence.secrets import SecretStore
from app.persistence.uow import UnitOfWork
from app.services import case_summary
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


class _PromptRecorder:
    """SecretStore's prompt that remembers whether it was asked (to store the key afterwards)."""

    def __init__(self) -> None:
        self.asked: str | None = None

    def __call__(self, question: str) -> str:
        answer = ask_secret(question)
        self.asked = answer or None
        return answer


def open_checked(url: str) -> Database | None:
    """Open the database and make its schema ready; None (after a message) if that cannot be done."""
    prompt = _PromptRecorder()
    store = SecretStore(prompt)
    try:
        db = open_database(url, store)
    except Exception as exc:
        _refused_start(exc)
        return None
    try:
        migrate.check_ready(db)
        _keep_entered_key(db, store, prompt)
        refresh_case_list(db)
    except Exception as exc:
        db.dispose()
        _refused_start(exc)
        return None
    log.info("Database ready: %s", "SQLite" if db.is_sqlite else "PostgreSQL")
    return db


def _refused_start(exc: Exception) -> None:
    """An expected failure (a damaged or busy database…) is told before quitting; a bug is raised."""
    told = expected(exc)
    if told is None:
        raise exc
    startup_failure(told)


def refresh_case_list(db: Database) -> None:
    """Once after an upgrade that changed how the case list's columns are derived, recompute them
    (as the command line does), in a worker behind a progress dialog: a minute on 100,000 cases."""
    if not case_summary.needs_refresh(UnitOfWork(db.session_factory)):
        return
    dialog = QProgressDialog("Updating the case list for this version of PPDA Tracker.\n"
                             "This happens once after an upgrade and can take a minute.", "", 0, 0)
    dialog.setWindowTitle("PPDA Tracker")
    dialog.setAccessibleName("Updating the case list")
    dialog.setCancelButton(None)  # all or nothing: it runs to the end (it is done again if stopped)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    failure: list[BaseException] = []
    task = Task(lambda _token: case_summary.ensure_current(UnitOfWork(db.session_factory)))
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


def _keep_entered_key(db: Database, store: SecretStore, prompt: _PromptRecorder) -> None:
    """A key typed in is stored in the keyring; with no keyring, say it is kept in memory only."""
    path: Path | None = db.sqlite_path
    if prompt.asked is None or path is None or not db.encrypted:
        return
    if not store.put(key_name(path), prompt.asked):
        warn_memory_only()
