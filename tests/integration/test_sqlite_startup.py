"""SQLite start-up: an old file is backed up and upgraded; the backup can be restored."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from app.persistence import migrate
from app.persistence.database import open_database
from app.persistence.uow import UnitOfWork
from app.services import database_admin, installation, users
from tests.helpers import PASSWORD


def test_startup_upgrades_after_backup_and_restore_works(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = open_database(f"sqlite:///{path}")
    migrate.upgrade(db, backup=False)
    installation.initialise(UnitOfWork(db.session_factory), "kent", "admin", PASSWORD)
    migrate.downgrade(db, "0001")  # an older program's database
    migrate.check_ready(db)
    assert migrate.schema_state(db).up_to_date
    backups = migrate.list_backups(db)
    assert len(backups) == 1
    with db.engine.connect() as conn:  # the upgrade loaded the forces (reference data of 0002)
        assert conn.execute(text("SELECT count(*) FROM force")).scalar() > 40
    done = database_admin.restore(path, None, db, backups[0],
                                  lambda uow: users.authenticate(uow, "admin", PASSWORD))
    assert done.schema == "0001" and done.replaced in migrate.list_backups(db)
    assert backups[0].exists()  # the backup restored from is kept
    db2 = open_database(f"sqlite:///{path}")
    assert migrate.schema_state(db2).current == "0001"
    with db2.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM force")).scalar() == 0  # as the backup had it
        assert "restored from backup" in conn.execute(text("SELECT detail FROM access_log ORDER BY seq DESC")).scalar()
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
