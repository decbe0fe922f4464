"""SQLite start-up: an old file is backed up and upgraded; the backup can be restored."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from app.persistence import migrate
from app.persistence.database import open_database


def test_startup_upgrades_after_backup_and_restore_works(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db = open_database(url)
    migrate.upgrade(db, backup=False)
    migrate.downgrade(db, "0001")  # an older program's database
    migrate.check_ready(db)
    assert migrate.schema_state(db).up_to_date
    backups = migrate.list_backups(db)
    assert len(backups) == 1
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM force"))
    migrate.restore_backup(db, backups[0])
    db2 = open_database(url)
    assert migrate.schema_state(db2).current == "0001"
    db2.dispose()


def test_a_new_database_needs_no_case_list_recomputation(db_url: str) -> None:
    """`init` (or the first-run screen) stamps the case-list derivation as current, so the first
    command or window start on a fresh database does not recompute anything."""
    from app.persistence.uow import UnitOfWork
    from app.services import case_summary, installation

    db = open_database(db_url)
    installation.initialise(UnitOfWork(db.session_factory), "west-midlands", "admin", "Correct-Horse-Battery-9")
    assert not case_summary.needs_refresh(UnitOfWork(db.session_factory))
    assert not case_summary.ensure_current(UnitOfWork(db.session_factory))
    db.dispose()
