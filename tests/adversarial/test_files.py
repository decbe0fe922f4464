"""Issue 12, deliverable 5 (files): what the program creates is readable by its owner only, and a
database file that is empty, cut short, damaged or another program's is refused, never recreated.

The database, its backups and the logs were created world-readable (0644 under the usual umask);
a zero-length file was silently recreated as an empty schema, and `init` then made a new
administrator on it. Run as a user would: the command line in its own process, umask 022."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import PASSWORD, write_csv

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes (Windows: the folder's ACL, docs/security.md)")


def run(tmp: Path, *args: str, user: str | None = "admin") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PPDA_DATA_DIR": str(tmp / "home" / "data"), "PPDA_PASSWORD": PASSWORD,
           "PPDA_NEW_PASSWORD": PASSWORD, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    command = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))", "--db",
               f"sqlite:///{tmp / 'psd.db'}",
               *(["--user", user] if user else []), *args]
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          preexec_fn=lambda: os.umask(0o022))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.slow
def test_database_backups_logs_checkpoints_and_exports_are_the_owners_only(tmp_path: Path) -> None:
    assert run(tmp_path, "init", "--force", "kent", "--admin", "admin", user=None).returncode == 0
    assert run(tmp_path, "user", "add", "head", "--role", "HEAD_OF_PSD", "--role", "AUDITOR").returncode == 0
    from app.persistence import migrate
    from app.persistence.database import open_database

    db = open_database(f"sqlite:///{tmp_path / 'psd.db'}")
    migrate.downgrade(db, "0005")
    db.dispose()
    assert run(tmp_path, "db", "upgrade").returncode == 0  # backed up first
    outs = {"return.xlsx": ["export", "survey-return", "--year", "2025"],
            "outcomes.xlsx": ["export", "outcomes", "--from", "2024-04-01", "--to", "2025-03-31"],
            "annual.pdf": ["report", "annual", "--year", "2025"], "wash.csv": ["match"],
            "log.csv": ["audit", "export"]}
    for name, args in outs.items():
        done = run(tmp_path, *args, "--out", str(tmp_path / name), user="head")
        assert done.returncode == 0, done.stderr
    data = tmp_path / "home" / "data"
    folders = [tmp_path / "home" / "data", data / "logs", tmp_path / "backups"]
    files = [tmp_path / "psd.db", tmp_path / "psd.db.checkpoints", *data.glob("logs/*"),
             *tmp_path.glob("backups/*"), *(tmp_path / n for n in outs)]
    assert len(files) >= 9 and all(p.exists() for p in files + folders)
    assert {str(p.relative_to(tmp_path)): oct(mode(p)) for p in folders if mode(p) != 0o700} == {}
    assert {str(p.relative_to(tmp_path)): oct(mode(p)) for p in files if mode(p) != 0o600} == {}


def test_the_wal_and_shared_memory_files_are_the_owners_only(tmp_path: Path) -> None:
    from app.persistence.database import open_database
    from app.persistence.migrate import upgrade

    old = os.umask(0o022)
    try:
        db = open_database(f"sqlite:///{tmp_path / 'psd.db'}")
        upgrade(db, backup=False)
        with db.engine.connect() as conn:  # an open connection keeps -wal and -shm
            conn.exec_driver_sql("SELECT count(*) FROM force").scalar()
            side = [tmp_path / "psd.db-wal", tmp_path / "psd.db-shm"]
            assert [oct(mode(p)) for p in side] == ["0o600", "0o600"]
        db.dispose()
    finally:
        os.umask(old)


@pytest.mark.parametrize("damage", ["empty", "cut short", "not a database", "another program's"])
def test_a_damaged_file_is_refused_and_left_as_it_was(tmp_path: Path, damage: str) -> None:
    db_file = tmp_path / "psd.db"
    if damage == "empty":
        db_file.touch()
    elif damage == "another program's":
        with sqlite3.connect(db_file) as other:
            other.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    else:
        assert run(tmp_path, "init", "--force", "kent", "--admin", "admin", user=None).returncode == 0
        whole = db_file.read_bytes()
        db_file.write_bytes(whole[: len(whole) // 3] if damage == "cut short" else b"Minutes of the meeting\n" * 400)
        for side in tmp_path.glob("psd.db-*"):
            side.unlink()
    before = db_file.read_bytes()
    expected = {"empty": "is empty (0 bytes)", "cut short": "is truncated", "not a database": "damaged",
                "another program's": "not a PPDA Tracker database"}[damage]
    for args, user in ((["init", "--force", "kent", "--admin", "intruder"], None), (["audit", "verify"], "admin")):
        done = run(tmp_path, *args, user=user)
        assert done.returncode == 1, (done.stdout, done.stderr)
        assert expected in done.stderr and "was not changed" in done.stderr and "Traceback" not in done.stderr
        assert db_file.read_bytes() == before


def test_a_damaged_file_is_not_replaced_at_start_by_a_new_database(tmp_path: Path) -> None:
    """Neighbour: the window and every command open the file the same way (the start-up check)."""
    from app.domain.errors import ExpectedError
    from app.persistence.database import open_database

    (tmp_path / "psd.db").touch()
    with pytest.raises(ExpectedError, match="is empty"):
        open_database(f"sqlite:///{tmp_path / 'psd.db'}")
    assert (tmp_path / "psd.db").stat().st_size == 0


def test_a_restore_source_on_a_shared_folder_keeps_its_own_mode(tmp_path: Path) -> None:
    """Neighbour: restoring copies the backup; the copy put in place is 0600 whatever the source's mode."""
    assert run(tmp_path, "init", "--force", "kent", "--admin", "admin", user=None).returncode == 0
    shared = tmp_path / "shared" / "copy.db"
    shared.parent.mkdir()
    shutil.copyfile(tmp_path / "psd.db", shared)
    os.chmod(shared, 0o644)
    done = run(tmp_path, "db", "restore", str(shared))
    assert done.returncode == 0, done.stderr
    assert oct(mode(tmp_path / "psd.db")) == "0o600" and oct(mode(shared)) == "0o644"


def test_an_import_file_is_read_but_never_widened(tmp_path: Path) -> None:
    """Neighbour: files the user gives are read, and the program changes nothing about them."""
    assert run(tmp_path, "init", "--force", "kent", "--admin", "admin", user=None).returncode == 0
    wf = write_csv(tmp_path / "wf.csv", ["staff_number", "surname", "forenames", "date_of_birth", "workforce_type"],
                   [["K1", "Doe", "Jan", "1980-01-02", "PCSO"]])
    os.chmod(wf, 0o640)
    assert run(tmp_path, "import", "workforce", str(wf)).returncode == 0
    assert oct(mode(wf)) == "0o640"
