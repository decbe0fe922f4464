"""Migrations: empty → head; Alembic finds nothing left to generate; downgrade and upgrade again;
a database from a newer program is refused."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from app.domain.errors import DatabaseVersionError
from app.persistence import migrate
from app.persistence.database import open_database
from app.persistence.models import Base

HEAD = migrate.head_revision()


def _fresh(db_url: str):
    db = open_database(db_url)
    migrate.downgrade(db, "base")
    return db


def test_empty_to_head_then_nothing_to_generate(db_url: str) -> None:
    db = _fresh(db_url)
    assert migrate.schema_state(db).empty
    migrate.upgrade(db, backup=False)
    state = migrate.schema_state(db)
    assert state.up_to_date
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        forces = conn.execute(text("SELECT count(*) FROM force WHERE territorial")).scalar()
    assert diff == []
    assert forces == 44
    db.dispose()


def test_downgrade_and_upgrade_again(db_url: str) -> None:
    db = open_database(db_url)
    migrate.downgrade(db, "base")
    migrate.upgrade(db, backup=False)
    migrate.downgrade(db, "0001")
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM force")).scalar() == 0
    migrate.upgrade(db, backup=False)
    assert migrate.schema_state(db).up_to_date
    db.dispose()


def test_newer_database_is_refused(db_url: str) -> None:
    db = open_database(db_url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(DatabaseVersionError, match="newer version of PPDA Tracker"):
        migrate.check_ready(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": HEAD})
    db.dispose()


def test_the_start_up_fast_path_knows_the_newest_migration() -> None:
    # check_ready skips Alembic when the database is at SCHEMA_HEAD: a new migration must move it.
    assert migrate.SCHEMA_HEAD == HEAD


def _failing_copy_of_migrations(tmp_path: Path) -> Path:
    """The real migrations, with the newest one failing at its very end (as if the start was killed)."""
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.migrations_path(), copy)
    newest = next(p for p in (copy / "versions").glob("*.py")
                  if re.search(rf"^revision: str = ['\"]{HEAD}['\"]", p.read_text(), re.M))
    text_ = newest.read_text()
    body_end = text_.index("\n\ndef downgrade")
    newest.write_text(text_[:body_end] + "\n    raise RuntimeError('interrupted')" + text_[body_end:])
    return copy


def test_a_failed_upgrade_leaves_the_database_as_it_was(db_url: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    db = open_database(db_url)
    migrate.downgrade(db, "0004")
    with db.engine.connect() as conn:
        before = sorted(conn.dialect.get_table_names(conn))
        indexes_before = {i["name"] for i in conn.dialect.get_indexes(conn, "person")}
    failing = _failing_copy_of_migrations(tmp_path)
    monkeypatch.setattr(migrate, "migrations_path", lambda: failing)
    with pytest.raises(RuntimeError, match="interrupted"):
        migrate.upgrade(db, backup=False)
    monkeypatch.undo()
    with db.engine.connect() as conn:
        assert sorted(conn.dialect.get_table_names(conn)) == before  # no _alembic_tmp_* left behind
        assert {i["name"] for i in conn.dialect.get_indexes(conn, "person")} == indexes_before
    assert migrate.schema_state(db).current == "0004"
    migrate.upgrade(db, backup=False)
    assert migrate.schema_state(db).up_to_date
    db.dispose()
