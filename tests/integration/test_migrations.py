"""Migrations: empty → head; Alembic finds nothing left to generate; downgrade and upgrade again;
a database from a newer program is refused."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from app.domain.errors import DatabaseVersionError
from app.persistence import migrate
from app.persistence.database import open_database
from app.persistence.models import Base

HEAD = migrate.ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()


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
