"""Start-up with an encrypted database: the key is asked for in a password dialog when the
keyring does not hold it, then kept in the keyring, or (with no keyring) in memory with a warning."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring
from pytestqt.qtbot import QtBot

from app.persistence import migrate
from app.persistence.database import key_name, open_database
from app.persistence.secrets import SecretStore, forget_session_secrets
from app.ui import launch
from tests.conftest import MemoryKeyring
from tests.ui.sample_data import Sample

KEY = "a-long-random-sqlcipher-key"


@pytest.fixture
def encrypted(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'secret.db'}"
    db = open_database(url, encrypt_key=KEY)
    migrate.upgrade(db, backup=False)
    db.dispose()
    forget_session_secrets()
    return url


def test_the_key_is_asked_for_and_kept_in_the_keyring(monkeypatch: pytest.MonkeyPatch, encrypted: str,
                                                       _isolated: MemoryKeyring, tmp_path: Path) -> None:
    asked: list[str] = []

    def ask(question: str) -> str:
        asked.append(question)
        return KEY

    monkeypatch.setattr(launch, "ask_secret", ask)
    monkeypatch.setattr(launch, "warn_memory_only", lambda: pytest.fail("the keyring works"))
    db = launch.open_checked(encrypted)
    assert db is not None and db.encrypted and asked == ["Encryption key for secret.db"]
    db.dispose()
    forget_session_secrets()
    assert SecretStore().get(key_name(tmp_path / "secret.db")) == KEY


def test_a_wrong_key_is_a_plain_refusal(monkeypatch: pytest.MonkeyPatch, encrypted: str) -> None:
    shown: list[str] = []
    monkeypatch.setattr(launch, "ask_secret", lambda q: "not the key")
    monkeypatch.setattr(launch, "startup_failure", lambda exc: shown.append(exc.message))
    assert launch.open_checked(encrypted) is None
    assert "encryption key is wrong" in shown[0]


def test_without_a_keyring_the_key_is_kept_in_memory_with_a_warning(monkeypatch: pytest.MonkeyPatch,
                                                                    encrypted: str) -> None:
    keyring.set_keyring(NoKeyring())
    warned: list[bool] = []
    monkeypatch.setattr(launch, "ask_secret", lambda q: KEY)
    monkeypatch.setattr(launch, "warn_memory_only", lambda: warned.append(True))
    db = launch.open_checked(encrypted)
    assert db is not None and warned == [True]
    db.dispose()


def _fresh_process(probe: str) -> str:
    import os
    import subprocess
    import sys

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow  # a new Python process imports the program
def test_the_window_s_services_are_imported_while_the_sign_in_dialog_waits() -> None:
    """A fresh start shows the sign-in dialog before the services the main window uses are imported,
    and imports them on a background thread meanwhile (start-up time hidden behind the typing)."""
    out = _fresh_process(
        "import sys, threading\n"
        "import app.cli, app.ui.launch, app.ui.session as s\n"
        "before = 'app.services.reporting' in sys.modules\n"
        "s.warm_up()\n"
        "for t in threading.enumerate():\n"
        "    if t.name == 'ppda-warm-up': t.join(60)\n"
        "print(before, 'app.services.reporting' in sys.modules, 'PySide6.QtCharts' in sys.modules)\n"
    )
    assert out.split() == ["False", "True", "False"]


@pytest.mark.slow  # a new Python process imports the program
def test_the_preload_list_covers_every_service_the_main_window_imports() -> None:
    """Everything outside app.ui that the main window imports is preloaded (the list is complete),
    and no Qt module is imported off the GUI thread (nothing preloaded imports PySide6)."""
    out = _fresh_process(
        "import sys, importlib\n"
        "import app.cli, app.ui.launch, app.ui.session as s\n"
        "qt = {m for m in sys.modules if m.startswith('PySide6')}\n"
        "for name in s.PRELOAD: importlib.import_module(name)\n"
        "print('qt:' + ','.join(sorted({m for m in sys.modules if m.startswith('PySide6')} - qt)))\n"
        "loaded = set(sys.modules)\n"
        "import app.ui.main_window\n"
        "print('missing:' + ','.join(sorted(m for m in set(sys.modules) - loaded\n"
        "      if m.startswith('app.') and not m.startswith('app.ui'))))\n"
    )
    assert out.split() == ["qt:", "missing:"]


def test_after_an_upgrade_the_case_list_is_recomputed_once_before_the_window(qtbot: QtBot, sample: Sample) -> None:
    """A new program whose case-list derivation changed recomputes every case's list columns at
    start-up (behind a progress dialog), as the command line does; an up-to-date database is not
    touched."""
    from sqlalchemy import text

    from app.services import case_summary

    db = sample.env.db
    with db.engine.begin() as conn:
        right = conn.execute(text("SELECT list_subjects FROM ppda_case ORDER BY id LIMIT 1")).scalar()
        conn.execute(text("UPDATE ppda_case SET list_subjects = 'stale'"))
        conn.execute(text("UPDATE setting SET value = 'old' WHERE key = :k"), {"k": case_summary.PROJECTION_SETTING})
    launch.refresh_case_list(db)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT list_subjects FROM ppda_case ORDER BY id LIMIT 1")).scalar() == right
        assert conn.execute(text("SELECT value FROM setting WHERE key = :k"),
                            {"k": case_summary.PROJECTION_SETTING}).scalar() == case_summary.PROJECTION_VERSION
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE ppda_case SET list_subjects = 'left alone'"))
    launch.refresh_case_list(db)  # current: nothing recomputed
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT list_subjects FROM ppda_case ORDER BY id LIMIT 1")).scalar() == "left alone"
