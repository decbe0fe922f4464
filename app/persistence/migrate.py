"""Schema upgrades from code (Alembic on a shared connection) and the start-up version check.

SQLite: back the file up, then upgrade to head before the window opens.
PostgreSQL: clients only check; `ppda-tracker db upgrade` (an administrator) upgrades.
A database from a newer program is refused.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, create_engine, event, inspect, text
from sqlalchemy.pool import NullPool

from app.domain.errors import DatabaseVersionError
from app.persistence.database import Database
from app.resources import migrations_path

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
BACKUP_KEEP = 5
# The newest migration in migrations/versions (a test keeps the two equal). A start on a database
# already at this revision needs no Alembic at all: importing it costs a third of a second.
SCHEMA_HEAD = "0008"


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    @property
    def empty(self) -> bool:
        return self.current is None


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_path()))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def stored_revision(db: Database) -> str | None:
    """The revision recorded in the database (None when it has no schema yet)."""
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def schema_state(db: Database) -> SchemaState:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    current = stored_revision(db)
    if current is not None and current not in {r.revision for r in script.walk_revisions()}:
        raise DatabaseVersionError(
            f"This database was made by a newer version of PPDA Tracker (schema {current}); "
            "this program knows schema versions up to "
            f"{head}. Install the newer version; the database was not changed."
        )
    return SchemaState(current, head)


def upgrade(db: Database, *, backup: bool = True) -> Path | None:
    """Upgrade to head. On SQLite a backup copy is made first; returns its path."""
    state = schema_state(db)
    if state.up_to_date:
        return None
    backup_file = backup_sqlite(db) if backup and not state.empty else None
    _run_alembic(db, "upgrade", "head")
    log.info("Database schema upgraded from %s to %s", state.current, state.head)
    return backup_file


def downgrade(db: Database, revision: str) -> None:
    _run_alembic(db, "downgrade", revision)


def _run_alembic(db: Database, direction: str, revision: str) -> None:
    """Run the migrations in ONE transaction: a failed or killed upgrade leaves the schema as it was.

    PostgreSQL has transactional DDL as it is. Python's sqlite3 module does not: it commits before
    each CREATE/ALTER/DROP, so a batch migration stopped half-way would leave `_alembic_tmp_*` tables.
    For SQLite the migration therefore runs on its own connection with the driver's transaction
    handling switched off and an explicit BEGIN (SQLAlchemy's documented pysqlite recipe); foreign
    keys are off while tables are re-created (Alembic's batch-mode advice) and checked before COMMIT.
    """
    from alembic import command

    cfg = alembic_config()
    run = command.upgrade if direction == "upgrade" else command.downgrade
    if not db.is_sqlite or db.sqlite_path is None:  # an in-memory database lives in its one connection
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            run(cfg, revision)
        return
    engine = create_engine(db.engine.url, poolclass=NullPool, connect_args={"timeout": 30})
    event.listen(engine, "connect", _sqlite_migration_connection)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            run(cfg, revision)
            _check_foreign_keys(conn)
    finally:
        engine.dispose()


def _sqlite_migration_connection(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # no implicit COMMIT before DDL; the "begin" event opens one
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=OFF")
    cur.close()


def _check_foreign_keys(conn: Connection) -> None:
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise DatabaseVersionError(
            f"The upgrade would leave rows in {', '.join(tables)} pointing at missing records; it was "
            "rolled back and the database is unchanged."
        )


def check_ready(db: Database) -> None:
    """Start-up check: upgrade SQLite (with a backup), only verify PostgreSQL."""
    if stored_revision(db) == SCHEMA_HEAD:
        return  # the usual start
    state = schema_state(db)
    if state.up_to_date:
        return
    if db.is_sqlite:
        upgrade(db)
        return
    if state.empty:
        raise DatabaseVersionError(
            "The PostgreSQL database has not been set up. An administrator runs "
            "`ppda-tracker --db URL init --force CODE --admin NAME` first."
        )
    raise DatabaseVersionError(
        f"The PostgreSQL database is at schema {state.current} but this program needs {state.head}. "
        "An administrator runs `ppda-tracker --db URL db upgrade` (after the server's own backup)."
    )


def backup_sqlite(db: Database) -> Path | None:
    """Copy the SQLite file (consistently, via the backup API) next to it; keep the last few."""
    path = db.sqlite_path
    if path is None or not path.exists():
        return None
    folder = path.parent / "backups"
    folder.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{path.stem}-{stamp}{path.suffix}"
    if db.encrypted:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
        shutil.copy2(path, target)
    else:
        with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
    _prune(folder, path)
    log.info("Backed up the database before upgrading: %s", target.name)
    return target


def _prune(folder: Path, path: Path) -> None:
    backups = sorted(folder.glob(f"{path.stem}-*{path.suffix}"))
    for old in backups[:-BACKUP_KEEP]:
        old.unlink(missing_ok=True)


def list_backups(db: Database) -> list[Path]:
    path = db.sqlite_path
    if path is None:
        return []
    return sorted((path.parent / "backups").glob(f"{path.stem}-*{path.suffix}"))


def restore_backup(db: Database, backup: Path) -> None:
    """Replace the database file with a backup copy (the current file is itself backed up first)."""
    path = db.sqlite_path
    if path is None:
        raise DatabaseVersionError("Only an SQLite database file can be restored from a backup.")
    if not backup.exists():
        raise DatabaseVersionError(f"No such backup: {backup}")
    backup_sqlite(db)
    db.dispose()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.copy2(backup, path)
