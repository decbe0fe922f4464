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
