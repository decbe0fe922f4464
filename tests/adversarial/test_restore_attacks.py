"""`db restore` of a crafted backup (an outsider's second look at issue 12, deliverable 2 and 3).

A restore signs a "restore" checkpoint, and `audit verify` releases the earlier checkpoints that
the restored log no longer reaches. Unless the restore first checks that the backup's log agrees
with those checkpoints, the program itself vouches for any log an administrator (or anyone who can
put a file on the disk and damage the database) hands it: a log rewritten from its first entry,
re-hashed, restored, and verified as intact."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from app.persistence.database import open_database
from tests.adversarial.log_tampering import entries, rechain, rewrite, tampering
from tests.adversarial.test_admin_commands import Site, make_site


@pytest.fixture
def site(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    yield from make_site(tmp_path, capsys, monkeypatch)


def _busy(site: Site) -> None:
    """Some work, each command a checkpoint in the database's checkpoint file."""
    for name in ("inv1", "inv2", "inv3"):
        assert site.cli("user", "add", name, "--role", "INVESTIGATOR")[0] == 0
    assert site.cli("user", "list")[0] == 0


def _crafted(site: Site, tamper: str) -> Path:
    """A copy of the database whose access log was rewritten and re-hashed with sqlite3's help."""
    crafted = site.path.parent / "elsewhere" / "psd-crafted.db"
    crafted.parent.mkdir()
    shutil.copy(site.path, crafted)
    db = open_database(f"sqlite:///{crafted}")
    try:
        with tampering(db) as conn:
            rows = entries(conn)
            if tamper == "first entry changed":
                rows[0]["detail"] = "nothing to see"
                rewrite(conn, rows)
            elif tamper == "an entry removed":
                rewrite(conn, rows[:2] + rows[3:])
            elif tamper == "chain broken":
                conn.execute(text("UPDATE access_log SET detail = 'edited' WHERE seq = 2"))
            else:
                rechain(conn)
    finally:
        db.dispose()
    return crafted


def test_a_backup_whose_log_was_rewritten_from_its_first_entry_is_refused(site: Site) -> None:
    _busy(site)
    crafted = _crafted(site, "first entry changed")
    before = site.digest()
    code, said = site.cli("db", "restore", str(crafted))
    assert code == 1 and "does not agree with the signed checkpoints" in said and "Nothing was changed" in said, said
    assert site.digest() == before
    code, said = site.cli("audit", "verify")
    assert code == 0 and "before a restore" not in said, said


def test_a_backup_with_an_entry_removed_and_re_hashed_is_refused(site: Site) -> None:
    _busy(site)
    crafted = _crafted(site, "an entry removed")
    before = site.digest()
    code, said = site.cli("db", "restore", str(crafted))
    assert code == 1 and "does not agree with the signed checkpoints" in said, said
    assert site.digest() == before


def test_a_backup_with_a_broken_chain_is_refused(site: Site) -> None:
    _busy(site)
    crafted = _crafted(site, "chain broken")
    code, said = site.cli("db", "restore", str(crafted))
    assert code == 1 and "access log" in said and "Nothing was changed" in said, said


def test_a_rewritten_backup_cannot_replace_a_damaged_database_either(site: Site) -> None:
    """The attacker damages the database, so that the administrator signs in to the backup (their own)."""
    _busy(site)
    crafted = _crafted(site, "first entry changed")
    site.path.write_bytes(site.path.read_bytes()[: 4096 * 2])
    damaged = site.digest()
    code, said = site.cli("db", "restore", str(crafted))
    assert code == 1 and "does not agree with the signed checkpoints" in said, said
    assert site.digest() == damaged


def test_a_genuine_older_backup_is_still_restored_and_verified(site: Site) -> None:
    _busy(site)
    older = site.path.parent / "older.db"
    shutil.copy(site.path, older)
    assert site.cli("user", "add", "inv4", "--role", "INVESTIGATOR")[0] == 0
    code, said = site.cli("db", "restore", str(older))
    assert code == 0, said
    code, said = site.cli("audit", "verify")
    assert code == 0 and "before a restore" in said, said
