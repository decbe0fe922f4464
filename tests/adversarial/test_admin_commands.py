"""Issue 12, deliverable 3: the administration commands are no side door.

`db upgrade`, `db backups` and `db restore` ran for anyone, with no sign-in and no log entry; six
restores pruned the only genuine backup; a backup was copied over the database unchecked. And a
sole administrator locked out by five bad passwords had no way back."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from app.cli import main
from app.persistence import migrate
from app.persistence.database import open_database
from app.services import users
from tests.helpers import PASSWORD

NEW_PASSWORD = "Vellum-Orchard-Tinsel-47"


@dataclass
class Site:
    path: Path
    capsys: pytest.CaptureFixture[str]
    monkeypatch: pytest.MonkeyPatch

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def cli(self, *args: str, user: str | None = "admin", password: str = PASSWORD) -> tuple[int, str]:
        self.monkeypatch.setenv("PPDA_PASSWORD", password)
        self.capsys.readouterr()
        code = main(["--db", self.url, *(["--user", user] if user else []), *args])
        out, err = self.capsys.readouterr()
        return code, out + err

    def digest(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    def log_details(self) -> list[str]:
        db = open_database(self.url)
        try:
            with db.engine.connect() as conn:
                return [str(d) for (d,) in conn.execute(text("SELECT detail FROM access_log ORDER BY seq"))]
        finally:
            db.dispose()

    def schema(self) -> str | None:
        db = open_database(self.url)
        try:
            return migrate.stored_revision(db)
        finally:
            db.dispose()

    def genuine_backup(self) -> Path:
        """A backup made the usual way: the database at an older schema, upgraded by the administrator."""
        db = open_database(self.url)
        migrate.downgrade(db, "0005")
        db.dispose()
        code, said = self.cli("db", "upgrade")
        assert code == 0, said
        [backup] = sorted((self.path.parent / "backups").glob("psd-*.db"))
        return backup


def make_site(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """A SQLite database set up by `init`, with an administrator (admin) and a supervisor (sup)."""
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setenv("PPDA_NEW_PASSWORD", PASSWORD)
    s = Site(tmp_path / "psd.db", capsys, monkeypatch)
    assert s.cli("init", "--force", "kent", "--admin", "admin", user=None)[0] == 0
    assert s.cli("user", "add", "sup", "--role", "SUPERVISOR")[0] == 0
    yield s


@pytest.fixture
def site(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    yield from make_site(tmp_path, capsys, monkeypatch)


@pytest.mark.parametrize("command", [["db", "upgrade"], ["db", "backups"], ["db", "restore", "BACKUP"]])
def test_database_commands_need_an_administrator(site: Site, command: list[str]) -> None:
    backup = site.genuine_backup()
    command = [str(backup) if c == "BACKUP" else c for c in command]
    before = site.digest()
    code, said = site.cli(*command, user=None)
    assert code == 1 and "needs an administrator's sign-in" in said, said
    code, said = site.cli(*command, user="sup")
    assert code == 1 and "needs an administrator's sign-in; sup is not an administrator" in said, said
    assert site.digest() == before


def test_an_upgrade_by_someone_else_leaves_the_old_schema(site: Site) -> None:
    db = open_database(site.url)
    migrate.downgrade(db, "0005")
    db.dispose()
    assert site.cli("db", "upgrade", user="sup")[0] == 1
    assert site.schema() == "0005" and not list((site.path.parent / "backups").glob("*"))
    code, said = site.cli("db", "upgrade")
    assert code == 0 and "Upgraded from 0005" in said, said
    assert any("schema upgraded from 0005 to" in d for d in site.log_details())


def test_the_administration_commands_are_logged(site: Site) -> None:
    backup = site.genuine_backup()
    assert any(d.startswith("schema upgraded from 0005") for d in site.log_details())
    assert site.cli("db", "backups")[0] == 0
    assert site.log_details()[-1] == "backups listed (1)"
    assert site.cli("db", "restore", str(backup))[0] == 0
    assert site.log_details()[-1].startswith(f"restored from backup {backup.name}; the replaced database is kept as ")
    code, said = site.cli("audit", "verify")
    assert code == 0 and "before a restore" in said, said


def test_six_restores_keep_the_backup_restored_from(site: Site) -> None:
    backup = site.genuine_backup()
    for _ in range(6):
        code, said = site.cli("db", "restore", str(backup))
        assert code == 0, said
    assert backup.exists()
    code, said = site.cli("db", "backups")
    assert str(backup) in said


def test_a_restore_backs_up_the_database_it_replaces(site: Site) -> None:
    backup = site.genuine_backup()
    assert site.cli("user", "add", "late.arrival", "--role", "AUDITOR")[0] == 0
    code, said = site.cli("db", "restore", str(backup))
    assert code == 0, said
    replaced = Path(said.split("backed up first: ")[1].split(". ")[0])
    db = open_database(f"sqlite:///{replaced}")
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM user_account WHERE username = 'late.arrival'")).scalar() == 1
    db.dispose()
    assert site.cli("--user", "late.arrival", "queue", user=None)[0] == 1  # gone with the restore


def test_a_damaged_or_foreign_backup_is_refused_and_nothing_changes(site: Site, tmp_path: Path) -> None:
    backup = site.genuine_backup()
    damaged = tmp_path / "damaged.db"
    data = bytearray(backup.read_bytes())
    data[4096 * 3:4096 * 3 + 512] = os.urandom(512)
    damaged.write_bytes(bytes(data))
    foreign = tmp_path / "other-program.db"
    import sqlite3

    with sqlite3.connect(foreign) as other:
        other.execute("CREATE TABLE notes (body TEXT)")
    before = site.digest()
    for bad in (damaged, foreign, tmp_path / "missing.db"):
        code, said = site.cli("db", "restore", str(bad))
        assert code == 1 and ("Nothing was changed" in said or "No such backup" in said), said
        assert site.digest() == before
    assert not list(tmp_path.glob("*.restoring"))


def test_a_damaged_database_is_restored_by_an_administrator_of_the_backup(site: Site) -> None:
    backup = site.genuine_backup()
    site.path.write_bytes(site.path.read_bytes()[: 4096 * 2])  # cut short
    code, said = site.cli("queue")
    assert code == 1 and "truncated" in said
    code, said = site.cli("db", "backups", user=None)
    assert code == 0 and str(backup) in said and "damaged" in said
    code, said = site.cli("db", "restore", str(backup), user="sup")
    assert code == 1 and "not an administrator" in said
    code, said = site.cli("db", "restore", str(backup))
    assert code == 0, said
    assert list(site.path.parent.glob("backups/*.damaged"))  # the damaged file is kept, byte for byte
    code, said = site.cli("audit", "verify")
    assert code == 0 and "before a restore" in said, said
    assert site.cli("queue", user="sup")[0] == 0


def test_init_on_a_set_up_database_changes_nothing(site: Site) -> None:
    db = open_database(site.url)
    migrate.downgrade(db, "0005")
    db.dispose()
    before = site.digest()
    code, said = site.cli("init", "--force", "kent", "--admin", "admin2", user=None)
    assert code == 1 and "already set up" in said
    assert site.digest() == before and site.schema() == "0005"


def test_a_new_empty_database_is_upgraded_and_initialised_without_an_account(tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert main(["--db", url, "db", "upgrade"]) == 0
    os.environ["PPDA_NEW_PASSWORD"] = PASSWORD
    try:
        assert main(["--db", url, "init", "--force", "kent", "--admin", "admin"]) == 0
    finally:
        del os.environ["PPDA_NEW_PASSWORD"]


def _lock_out(site: Site, name: str = "admin") -> None:
    for _ in range(5):
        assert site.cli("user", "list", user=name, password="Not-The-Password-0")[0] == 1
    assert site.cli("user", "list", user=name)[0] == 1  # locked: the right password is refused too


def test_a_locked_out_sole_administrator_is_recovered_by_the_databases_owner(site: Site) -> None:
    _lock_out(site)
    site.monkeypatch.setenv("PPDA_NEW_PASSWORD", NEW_PASSWORD)
    code, said = site.cli("admin", "recover", "admin", user=None)
    assert code == 0 and "unlocked" in said, said
    assert site.cli("user", "list", password=NEW_PASSWORD)[0] == 0
    assert any("administrator account recovered by the OS account that owns psd.db" in d for d in site.log_details())


def test_recovery_is_refused_to_someone_who_does_not_own_the_file(site: Site) -> None:
    if os.name != "posix" or os.getuid() != 0:
        pytest.skip("changing the file's owner needs root")
    _lock_out(site)
    os.chown(site.path, 65534, 65534)  # another OS account's file (this process may still read it, as root)
    site.monkeypatch.setenv("PPDA_NEW_PASSWORD", NEW_PASSWORD)
    code, said = site.cli("admin", "recover", "admin", user=None)
    assert code == 1 and "needs the database's owner" in said, said
    os.chown(site.path, 0, 0)
    assert site.cli("user", "list", password=NEW_PASSWORD)[0] == 1


def test_recovery_is_for_administrators_and_keeps_the_password_rules(site: Site) -> None:
    site.monkeypatch.setenv("PPDA_NEW_PASSWORD", NEW_PASSWORD)
    code, said = site.cli("admin", "recover", "sup", user=None)
    assert code == 1 and "is not an administrator" in said
    site.monkeypatch.setenv("PPDA_NEW_PASSWORD", "Kent-Police-2025!")
    code, said = site.cli("admin", "recover", "admin", user=None)
    assert code == 1 and "too easy to guess" in said


def test_an_upgrade_needs_an_administrator_on_either_database(db_url: str, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setenv("PPDA_NEW_PASSWORD", PASSWORD)
    monkeypatch.setenv("PPDA_PASSWORD", PASSWORD)
    assert main(["--db", db_url, "init", "--force", "kent", "--admin", "admin"]) == 0
    assert main(["--db", db_url, "--user", "admin", "user", "add", "sup", "--role", "SUPERVISOR"]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "db", "upgrade"]) == 1
    assert main(["--db", db_url, "--user", "sup", "db", "upgrade"]) == 1
    assert capsys.readouterr().err.count("needs an administrator's sign-in") == 2
    assert main(["--db", db_url, "--user", "admin", "db", "upgrade"]) == 0
