"""Engine set-up from settings: SQLite (optionally SQLCipher-encrypted) or PostgreSQL.

Built once at start-up, never at import time.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.errors import DatabaseVersionError, SecretUnavailable
from app.persistence.secrets import SecretStore

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
ENV_DB_KEY = "PPDA_DB_KEY"  # automation only: the SQLCipher key, never written anywhere


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
            f"The database {path.name} is encrypted and no key was given. The key is kept in the "
            "OS keyring on the workstation where the database was created; enter it to continue."
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
        if encrypt_key is not None or is_encrypted_file(path):
            key = encrypt_key if encrypt_key is not None else sqlcipher_key(path, secrets)
            url = URL.create("sqlite+pysqlcipher", password=key, database=str(path))
            encrypted = True
    engine = create_engine(url, connect_args={"timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    db = Database(engine, _session_factory(engine), url, encrypted)
    if encrypted:
        _check_key(db)
    return db


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
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
    engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
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
