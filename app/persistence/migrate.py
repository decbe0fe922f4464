"""Schema upgrades from code (Alembic on a shared connection) and the start-up version check.

SQLite: back the file up, then upgrade to head before the window opens.
PostgreSQL: clients only check; `ppda-tracker db upgrade` (an administrator) upgrades.
A database from a newer program is refused.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Collection
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Connection, create_engine, event, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from app.domain.errors import DatabaseVersionError
from app.persistence.database import Database, refuse_damaged_file
from app.persistence.problems import DatabaseProblem, Problem
from app.private_files import create_private_file, private_dir, restrict
from app.resources import migrations_path

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
BACKUP_KEEP = 5
# The newest migration in migrations/versions (a test keeps the two equal). A start on a database
# already at this revision needs no Alembic at all: importing it costs a third of a second.
SCHEMA_HEAD = "0011"


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
    if current is None:
        _refuse_foreign(db)
    return SchemaState(current, head)


def _refuse_foreign(db: Database) -> None:
    """A database with tables but no schema version is another program's: never add ours to it."""
    with db.engine.connect() as conn:
        tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
    if tables:
        raise DatabaseVersionError(
            f"{db.describe()} holds tables ({', '.join(sorted(tables)[:3])}…) but is not a PPDA Tracker database "
            "(it has no schema version). It was not changed; give another database."
        )


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


def backup_folder(path: Path) -> Path:
    return path.parent / "backups"


def backup_sqlite(db: Database, *, protect: Collection[Path] = ()) -> Path | None:
    """Copy the SQLite file (consistently, via the backup API) into `backups/` next to it (0700,
    each copy 0600); keep the last few, never one named in `protect` (the one being restored)."""
    path = db.sqlite_path
    if path is None or not path.exists():
        return None
    folder = private_dir(backup_folder(path))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{path.stem}-{stamp}{path.suffix}"
    create_private_file(target)
    if db.encrypted:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
        shutil.copyfile(path, target)
    else:
        with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
    _prune(folder, path, protect)
    log.info("Backed up the database: %s", target.name)
    return target


def _prune(folder: Path, path: Path, protect: Collection[Path] = ()) -> None:
    kept = {p.resolve() for p in protect}
    backups = [b for b in sorted(folder.glob(f"{path.stem}-*{path.suffix}")) if b.resolve() not in kept]
    for old in backups[:-BACKUP_KEEP]:
        old.unlink(missing_ok=True)


def list_backups(db: Database) -> list[Path]:
    return backups_of(db.sqlite_path)


def backups_of(path: Path | None) -> list[Path]:
    """The backups of the database file at `path`, oldest first."""
    if path is None:
        return []
    return sorted(backup_folder(path).glob(f"{path.stem}-*{path.suffix}"))


def integrity_problems(db: Database) -> str | None:
    """SQLite's quick check of every page of the file (None when intact, or for PostgreSQL)."""
    if not db.is_sqlite:
        return None
    try:
        with db.engine.connect() as conn:
            found = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check(5)")]
    except DBAPIError:
        return "it cannot be read"
    return None if found == ["ok"] else "; ".join(found)[:300]


STAGED_SUFFIX = ".restoring"


def stage_backup(path: Path, backup: Path, key: str | None) -> Path:
    """Copy `backup` next to the database as `<name>.restoring` (0600) and check the copy: an
    intact SQLite database (opened with the database's key when it is encrypted), made by PPDA
    Tracker, at a schema this program knows. Returns the copy; the backup itself is never opened
    for writing. A refused backup leaves no copy."""
    if not backup.is_file():
        raise DatabaseVersionError(f"No such backup: {backup}")
    refuse_damaged_file(backup)
    staged = path.with_name(path.name + STAGED_SUFFIX)
    remove_staged(staged)
    create_private_file(staged)
    try:
        shutil.copyfile(backup, staged)
        _check_staged(staged, key, backup.name)
    except BaseException:
        remove_staged(staged)
        raise
    return staged


def _check_staged(staged: Path, key: str | None, name: str) -> None:
    url = (URL.create("sqlite+pysqlcipher", password=key, database=str(staged)) if key
           else URL.create("sqlite+pysqlite", database=str(staged)))
    engine = create_engine(url, poolclass=NullPool, hide_parameters=True)
    try:
        with engine.connect() as conn:
            verdict = conn.exec_driver_sql("PRAGMA quick_check").scalar()
            tables = inspect(conn).get_table_names()
            revision = (conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                        if "alembic_version" in tables else None)
    except DBAPIError:
        raise DatabaseProblem(Problem.DAMAGED,
                              f"{name} cannot be read as a database{' with this database’s key' if key else ''}: "
                              "it is damaged or is not a backup of this database. Nothing was changed.") from None
    finally:
        engine.dispose()
    if verdict != "ok":
        raise DatabaseProblem(Problem.DAMAGED,
                              f"{name} is damaged (SQLite's check found problems). Nothing was changed; "
                              "choose another backup.")
    if revision is None or "access_log" not in tables:
        raise DatabaseVersionError(f"{name} is not a PPDA Tracker database. Nothing was changed.")


def keep_replaced(db: Database | None, path: Path, protect: Collection[Path]) -> Path:
    """Before a restore: back up the database about to be replaced. One that opens is copied with
    the backup API; a damaged file is kept byte for byte as `…<suffix>.damaged` (never pruned)."""
    if db is not None:
        kept = backup_sqlite(db, protect=protect)
        assert kept is not None
        return kept
    folder = private_dir(backup_folder(path))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    kept = folder / f"{path.stem}-{stamp}{path.suffix}.damaged"
    create_private_file(kept)
    shutil.copyfile(path, kept)
    wal = Path(f"{path}-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{kept}-wal"))
        restrict(Path(f"{kept}-wal"))
    return kept


def put_in_place(staged: Path, path: Path) -> None:
    """Replace the database file with the checked copy in one rename (its old -wal/-shm removed)."""
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.replace(staged, path)
    remove_staged(staged)


def remove_staged(staged: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(staged) + suffix).unlink(missing_ok=True)
