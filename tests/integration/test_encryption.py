"""Encrypted SQLite (SQLCipher): the key lives in the keyring, the file is unreadable without it,
a wrong key is refused, and the key never reaches a settings file or the log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.domain.errors import SecretUnavailable
from app.persistence.database import is_encrypted_file, open_database
from app.persistence.secrets import forget_session_secrets
from tests.conftest import MemoryKeyring
from tests.helpers import PASSWORD


def test_encrypted_database_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       _isolated: MemoryKeyring) -> None:
    monkeypatch.setenv("PPDA_NEW_PASSWORD", PASSWORD)
    monkeypatch.setenv("PPDA_PASSWORD", PASSWORD)
    path = tmp_path / "secret.db"
    url = f"sqlite:///{path}"
    assert main(["--db", url, "init", "--force", "kent", "--admin", "admin", "--encrypt"]) == 0
    assert is_encrypted_file(path)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchall()
    (key,) = [v for (svc, name), v in _isolated.store.items() if name.startswith("sqlcipher:")]
    forget_session_secrets()
    assert main(["--db", url, "--user", "admin", "audit", "verify"]) == 0

    data_dir = Path(str(tmp_path))
    for f in list(data_dir.rglob("*")) + list(Path(__import__("os").environ["PPDA_DATA_DIR"]).rglob("*")):
        if f.is_file() and f != path and f.suffix not in (".db", "-wal"):
            assert key not in f.read_text(errors="ignore"), f

    _isolated.store.clear()
    forget_session_secrets()
    monkeypatch.setenv("PPDA_DB_KEY", "a-wrong-key")
    with pytest.raises(SecretUnavailable, match="encryption key is wrong"):
        open_database(url)
    monkeypatch.delenv("PPDA_DB_KEY")
    with pytest.raises(SecretUnavailable, match="is encrypted and no key was given"):
        open_database(url)
