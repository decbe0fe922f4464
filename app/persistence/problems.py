"""Database errors at run time, told as plain messages: what happened, what to do, nothing changed.

A database that is busy past the timeout, a full disk, a damaged file, a lost server connection or
a refused privilege is an expected situation, not a bug: the window and the command line show the
message from `explain` (and no traceback). Nothing changed is true because every action is one
transaction that is rolled back when it fails (app.persistence.uow), and files are written under a
temporary name first (app.reports.files).

Messages never quote the database's own error text: it can hold the values of the row concerned
(a name, a date of birth). `safe_text` gives what may be logged about any other error.
"""

from __future__ import annotations

from enum import Enum

from sqlalchemy.exc import DBAPIError

from app.domain.errors import ExpectedError

NOTHING_CHANGED = "Nothing was changed."


class Problem(Enum):
    BUSY = "busy"
    FULL = "full"
    DAMAGED = "damaged"
    READ_ONLY = "read-only"
    DISK = "disk"
    CONNECTION = "connection"
    CONFLICT = "conflict"
    PRIVILEGE = "privilege"


MESSAGES = {
    Problem.BUSY: "The database is busy: another user or program held it for longer than the waiting time. "
                  f"{NOTHING_CHANGED} Try again in a moment; if it keeps happening, close other copies of "
                  "PPDA Tracker that use this database.",
    Problem.FULL: f"The disk that holds the database is full. {NOTHING_CHANGED} Free some space (or ask IT "
                  "to), then try again.",
    Problem.DAMAGED: f"The database file is damaged. {NOTHING_CHANGED} Stop using it and ask an administrator "
                     "to restore the latest backup (`ppda-tracker db backups`, then `ppda-tracker db restore "
                     "FILE`); `ppda-tracker db check` shows the damage.",
    Problem.READ_ONLY: f"The database cannot be written: the file or its folder is read-only. {NOTHING_CHANGED} "
                       "Ask IT to check the file's permissions.",
    Problem.DISK: f"The database file could not be read or written (a disk or network-drive error). "
                  f"{NOTHING_CHANGED} Check the drive and try again.",
    Problem.CONNECTION: "The connection to the database server was lost. Nothing was changed by the unfinished "
                        "step. Check the network, then try again: the next action reconnects.",
    Problem.CONFLICT: f"Another user changed the same records at the same moment. {NOTHING_CHANGED} Try again.",
    Problem.PRIVILEGE: f"The database refused the change: this database account may not do it (for example, "
                       f"alter or remove access-log entries). {NOTHING_CHANGED}",
}


class DatabaseProblem(ExpectedError):
    """A database failure the user can act on; `kind` says which."""

    def __init__(self, kind: Problem, message: str | None = None) -> None:
        super().__init__(message or MESSAGES[kind])
        self.kind = kind


_SQLITE = (  # (words in SQLite's message, problem) — SQLite's messages are fixed English texts
    ("database is locked", Problem.BUSY), ("database table is locked", Problem.BUSY),
    ("database or disk is full", Problem.FULL), ("disk is full", Problem.FULL),
    ("malformed", Problem.DAMAGED), ("file is not a database", Problem.DAMAGED),
    ("file is encrypted or is not a database", Problem.DAMAGED),
    ("readonly database", Problem.READ_ONLY), ("read-only", Problem.READ_ONLY),
    ("disk i/o error", Problem.DISK), ("unable to open database file", Problem.DISK),
)
_SQLSTATE = {  # PostgreSQL error classes and codes
    "53100": Problem.FULL, "XX001": Problem.DAMAGED, "XX002": Problem.DAMAGED, "58030": Problem.DISK,
    "40001": Problem.CONFLICT, "40P01": Problem.CONFLICT, "55P03": Problem.BUSY, "57014": Problem.BUSY,
    "25006": Problem.READ_ONLY, "42501": Problem.PRIVILEGE,
    "57P01": Problem.CONNECTION, "57P02": Problem.CONNECTION, "57P03": Problem.CONNECTION,
}


def classify(exc: BaseException) -> Problem | None:
    """Which expected database problem `exc` is, or None (a bug, or not a database error)."""
    if isinstance(exc, DatabaseProblem):
        return exc.kind
    if isinstance(exc, OSError) and getattr(exc, "errno", None) == 28:  # ENOSPC outside the database
        return Problem.FULL
    if not isinstance(exc, DBAPIError):
        return None
    if exc.connection_invalidated:
        return Problem.CONNECTION
    orig = exc.orig
    state = getattr(orig, "sqlstate", None)
    if state:
        return _SQLSTATE.get(state) or (Problem.CONNECTION if state.startswith("08") else None)
    text = str(orig).lower()
    for words, problem in _SQLITE:
        if words in text:
            return problem
    if type(orig).__module__.startswith("psycopg") and type(orig).__name__ == "OperationalError":
        return Problem.CONNECTION  # a lost or refused connection has no SQLSTATE
    return None


def explain(exc: BaseException) -> DatabaseProblem | None:
    """The plain message for an expected database failure, or None."""
    kind = classify(exc)
    return None if kind is None else (exc if isinstance(exc, DatabaseProblem) else DatabaseProblem(kind))


def safe_text(exc: BaseException) -> str:
    """What may be logged or shown about an unexpected error: a database error's kind and statement,
    never the values bound to it nor the server's message (they may be personal data)."""
    statement = getattr(exc, "statement", None)  # a StatementError, or anything shaped like one
    if statement is not None:
        orig = getattr(exc, "orig", None)
        kind = type(orig).__name__ if orig is not None else "database error"
        return f"{kind} while running: {str(statement)[:300]}"
    return str(exc)[:500]
