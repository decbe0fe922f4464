"""The composition root: the one place that opens the program's database, used by the window
(app.ui.launch) and by the command line (app.cli.session).

Start-up, in order: connect to the database named by the settings (creating a new SQLite file, or
a new encrypted one for `init --encrypt`; asking for an SQLCipher key or a PostgreSQL password the
OS keyring does not hold); make its schema ready (SQLite is upgraded to this program's schema after
a backup, PostgreSQL only checked, a database newer than the program refused); once after an
upgrade that changed how the case list's columns are derived, recompute them. The caller gets the
opened `Database`, which is its unit-of-work factory (`db.uow()`, typed for the window and the
command line as app.services.unit_of_work.UnitOfWorkFactory), and classifies failures with
`explain` and `safe_text` (app.persistence.problems). So app.ui and app.cli never import
app.persistence, SQLAlchemy or Alembic; what they do with the data goes through app.services.

The heavier modules (Alembic, the keyring) are imported when a database is opened, not when the
command line starts (`ppda-tracker --help` stays quick).
"""

from __future__ import annotations

import os
import secrets as pysecrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.errors import ExpectedError, InvalidInput, NotFound, RuleRefused
from app.persistence.problems import DatabaseProblem, Problem, explain, safe_text

if TYPE_CHECKING:
    from app.persistence.database import Database
    from app.persistence.secrets import SecretStore

__all__ = [
    "NewKey", "explain", "is_damaged", "new_encryption_key", "open_database", "safe_text", "sqlite_file", "start",
]

Ask = Callable[[str], str]  # asks the user for a secret (the question in, the answer out; "" for none)
LongStep = Callable[[Callable[[], object]], None]  # runs a slow start-up step (the window: behind a progress dialog)


def open_database(url: str, ask: Ask | None = None, *, encrypt_key: str | None = None) -> Database:
    """Connect to the database named by `url` without touching its schema (administration commands
    upgrade, check, back up or restore it themselves). `encrypt_key` creates a new SQLCipher file."""
    from app.persistence import database
    from app.persistence.secrets import SecretStore

    return database.open_database(url, SecretStore(ask), encrypt_key=encrypt_key)


def start(url: str, ask: Ask | None = None, *, memory_only: Callable[[], None] | None = None,
          long_step: LongStep | None = None) -> Database:
    """Open the database and make it ready for use: the schema checked (SQLite upgraded after a
    backup), the case list's columns current. Raises the failure (an ExpectedError or a database
    error for `explain`) with nothing left open.

    `memory_only`: given, an SQLCipher key the user typed is stored in the OS keyring, and
    `memory_only` is called when there is no keyring (the key is then kept for this session only).
    `long_step` runs the case-list refresh when one is needed; by default it runs here."""
    from app.persistence import database, migrate
    from app.persistence.secrets import SecretStore
    from app.services import case_summary

    typed = _Typed(ask)
    store = SecretStore(typed)
    db = database.open_database(url, store)
    try:
        migrate.check_ready(db)
        if memory_only is not None:
            _keep_typed_key(db, store, typed.answer, memory_only)
        if long_step is None:
            case_summary.ensure_current(db.uow())
        elif case_summary.needs_refresh(db.uow()):
            long_step(lambda: case_summary.ensure_current(db.uow()))
    except BaseException:
        db.dispose()
        raise
    return db


class _Typed:
    """The secret prompt, remembering what the user typed (to store it in the keyring afterwards)."""

    def __init__(self, ask: Ask | None) -> None:
        self._ask = ask
        self.answer: str | None = None

    def __call__(self, question: str) -> str:
        answer = self._ask(question) if self._ask is not None else ""
        self.answer = answer or None
        return answer


def _keep_typed_key(db: Database, store: SecretStore, typed: str | None, memory_only: Callable[[], None]) -> None:
    from app.persistence.database import key_name

    path = db.sqlite_path
    if typed is None or path is None or not db.encrypted:
        return
    if not store.put(key_name(path), typed):
        memory_only()


def is_damaged(exc: BaseException) -> bool:
    """Whether `exc` says the database file is too damaged to open."""
    return isinstance(exc, DatabaseProblem) and exc.kind is Problem.DAMAGED


def _sqlite_file_path(url: str, refusal: ExpectedError) -> Path:
    from sqlalchemy import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise refusal
    return Path(parsed.database)


def sqlite_file(url: str, ask: Ask | None = None) -> tuple[Path, str | None]:
    """The SQLite file named by `url` and its encryption key (None if plain), without opening it
    (backups and restores)."""
    from app.persistence.database import is_encrypted_file, sqlcipher_key
    from app.persistence.secrets import SecretStore

    path = _sqlite_file_path(url, RuleRefused(
        "Only an SQLite database file is backed up and restored by PPDA Tracker; a PostgreSQL database is backed "
        "up and restored by its DBA (pg_dump, pg_restore)."))
    if not path.exists():
        raise NotFound(f"There is no database file {path}.")
    key = sqlcipher_key(path, SecretStore(ask)) if is_encrypted_file(path) else None
    return path, key


@dataclass(frozen=True)
class NewKey:
    key: str
    stored: bool  # in the OS keyring (or given by PPDA_DB_KEY); False: the user must keep it


def new_encryption_key(url: str) -> NewKey:
    """`init --encrypt`: a new SQLCipher key for the SQLite file named by `url`, which must not hold a
    database yet; stored in the OS keyring (PPDA_DB_KEY, for automation, gives the key instead)."""
    from app.persistence.database import ENV_DB_KEY, is_encrypted_file, key_name
    from app.persistence.secrets import SecretStore

    path = _sqlite_file_path(url, InvalidInput("--encrypt applies to an SQLite database file only."))
    if path.exists() and path.stat().st_size > 0:
        what = "already encrypted" if is_encrypted_file(path) else "not encrypted"
        raise RuleRefused(f"{path} already exists and is {what}; --encrypt creates a new database file.")
    given = os.environ.get(ENV_DB_KEY)
    key = given or pysecrets.token_urlsafe(32)
    stored = SecretStore().put(key_name(path), key)
    return NewKey(key, stored or bool(given))
