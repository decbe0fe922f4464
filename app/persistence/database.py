"""Engine set-up from settings: SQLite (optionally SQLCipher-encrypted) or PostgreSQL.

Built once at start-up, never at import time.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.errors import DatabaseVersionError, SecretUnavailable
from app.persistence.problems import DatabaseProblem, Problem
from app.persistence.secrets import SecretStore
from app.persistence.uow import UnitOfWork
from app.private_files import create_private_file

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
ENV_DB_KEY = "PPDA_DB_KEY"  # automation only: the SQLCipher key, never written anywhere
BUSY_TIMEOUT_MS = 30_000  # how long a writer waits for another's lock before "the database is busy"


@dataclass(frozen=True)
class Database:
    engine: Engine
    session_factory: sessionmaker[Session]
    url: URL
    encrypted: bool = False

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        if self.is_sqlite and self.url.database and self.url.database != ":memory:":
            return Path(self.url.database)
        return None

    def uow(self) -> UnitOfWork:
        """A fresh unit of work (one user action) on this database."""
        return UnitOfWork(self.session_factory)

    def describe(self) -> str:
        """A description safe to show and log (no password, no key)."""
        return self.url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()


def key_name(path: Path) -> str:
    return f"sqlcipher:{path.resolve()}"


def is_encrypted_file(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    with path.open("rb") as fh:
        return fh.read(16) != SQLITE_HEADER


def sqlcipher_key(path: Path, secrets: SecretStore) -> str:
    key = os.environ.get(ENV_DB_KEY) or secrets.get(
        key_name(path), question=f"Encryption key for {path.name}"
    )
    if not key:
        raise SecretUnavailable(
            f"The database {path.name} is not a plain SQLite file: it is encrypted and no key was given, or it "
            "is damaged. The key of an encrypted database is kept in the OS keyring on the workstation where it "
            "was created; enter it to continue. The file was not changed."
        )
    return key


def open_database(url: str, secrets: SecretStore | None = None, *, encrypt_key: str | None = None) -> Database:
    """Connect to the database named by `url`. `encrypt_key` creates a new SQLCipher file."""
    secrets = secrets or SecretStore()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _open_sqlite(parsed, secrets, encrypt_key)
    if parsed.get_backend_name() == "postgresql":
        return _open_postgres(parsed, secrets)
    raise DatabaseVersionError(
        f"Unsupported database '{parsed.get_backend_name()}': use sqlite:///FILE or postgresql+psycopg://…"
    )


def _open_sqlite(parsed: URL, secrets: SecretStore, encrypt_key: str | None) -> Database:
    path = Path(parsed.database) if parsed.database and parsed.database != ":memory:" else None
    encrypted = False
    url = parsed.set(drivername="sqlite+pysqlite")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        refuse_damaged_file(path)
        if not is_encrypted_file(path):
            refuse_unreadable_or_foreign(path)
        create_private_file(path)  # a new database is 0600 from its first byte (its -wal and -shm follow)
        if encrypt_key is not None or is_encrypted_file(path):
            key = encrypt_key if encrypt_key is not None else sqlcipher_key(path, secrets)
            url = URL.create("sqlite+pysqlcipher", password=key, database=str(path))
            encrypted = True
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, hide_parameters=True)
    event.listen(engine, "connect", _sqlite_pragmas)
    db = Database(engine, _session_factory(engine), url, encrypted)
    if encrypted:
        _check_key(db)
    return db


def refuse_damaged_file(path: Path) -> None:
    """An existing file that cannot be an intact SQLite database is refused, never recreated: a
    zero-length file, one shorter than its header says, or a header that is neither SQLite's nor
    an encrypted file's (checked when it is opened). Nothing is written to it."""
    if not path.exists():
        return
    if path.is_dir():
        raise DatabaseProblem(Problem.DAMAGED, f"{path} is a folder, not a database file.")
    size = path.stat().st_size
    wal = Path(f"{path}-wal")
    if size == 0 and not (wal.exists() and wal.stat().st_size > 0):
        raise DatabaseProblem(Problem.DAMAGED, (
            f"{path} is empty (0 bytes): it is not a PPDA Tracker database, or it was cut short. It was not "
            "changed, and no new database was made in its place. Restore a backup (`ppda-tracker db backups`, "
            "`ppda-tracker db restore FILE`), or give the name of a file that does not exist yet for a new database."))
    expected = _expected_size(path)
    if expected is not None and size < expected:
        raise DatabaseProblem(Problem.DAMAGED, (
            f"{path} is truncated: its header says {expected:,} bytes but the file has {size:,}. It was not "
            "changed. Restore a backup (`ppda-tracker db backups`, `ppda-tracker db restore FILE`)."))


def _expected_size(path: Path) -> int | None:
    """The size an SQLite file's header gives (page size × page count), when the header is valid."""
    with path.open("rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or header[:16] != SQLITE_HEADER:
        return None
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]  # the page count is valid only when these agree
    return page_size * pages if valid and pages else None


def refuse_unreadable_or_foreign(path: Path) -> None:
    """Read a plain SQLite file's schema once, read-only (before any connection could switch it to
    WAL): a damaged first page or schema, or another program's tables, are refused with a message
    and the file is left exactly as it was."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)) as conn:
            tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    except sqlite3.Error as exc:
        text_ = str(exc).lower()
        if "malformed" in text_ or "not a database" in text_:
            raise DatabaseProblem(Problem.DAMAGED, (
                f"{path} cannot be read as an SQLite database: it is damaged. It was not changed. Restore a backup "
                "(`ppda-tracker db backups`, `ppda-tracker db restore FILE`).")) from None
        return  # busy, or no right to read it read-only here: the connection that follows says so
    if tables and "alembic_version" not in tables:
        raise DatabaseVersionError(
            f"{path} is an SQLite database of another program ({', '.join(sorted(tables)[:3])}…), not a PPDA "
            "Tracker database. It was not changed; give another file.")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    cur.close()


def _check_key(db: Database) -> None:
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master"))
    except DatabaseError:
        db.dispose()
        raise SecretUnavailable(
            "The encryption key is wrong: this database cannot be opened with it. Nothing was changed."
        ) from None


def _open_postgres(parsed: URL, secrets: SecretStore) -> Database:
    url = parsed.set(drivername="postgresql+psycopg")
    if url.password is None and url.username:
        stored = secrets.get(f"postgres:{url.username}@{url.host}:{url.port or 5432}/{url.database}")
        if stored:
            url = url.set(password=stored)
    engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, hide_parameters=True)
    db = Database(engine, _session_factory(engine), url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        raise DatabaseVersionError(
            f"Cannot connect to the PostgreSQL server at {db.describe()}: {_first_line(exc)}"
        ) from None
    return db


def _first_line(exc: BaseException) -> str:
    msg = str(getattr(exc, "orig", exc)) or type(exc).__name__
    return msg.strip().splitlines()[0]


def _session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
