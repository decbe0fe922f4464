"""Shared fixtures. Persistence tests run on SQLite and on the PostgreSQL server (the `postgres`
marker); CI sets PPDA_REQUIRE_POSTGRES=1 so an unreachable server fails the run instead of skipping."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_ADMIN_URL = os.environ.get("PPDA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("PPDA_REQUIRE_POSTGRES") == "1"
PASSWORD = "Correct-Horse-Battery-9"


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring for tests (a headless box has none)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("PPDA_DATA_DIR", str(data))
    for var in ("PPDA_DB_URL", "PPDA_USER", "PPDA_PASSWORD", "PPDA_NEW_PASSWORD", "PPDA_DB_KEY"):
        monkeypatch.delenv(var, raising=False)
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    from app.persistence.secrets import forget_session_secrets
    from app.services import clock

    forget_session_secrets()
    yield backend
    clock.pin(None)
    forget_session_secrets()
    keyring.set_keyring(previous)


# ---- databases ------------------------------------------------------------------------------

_pg_state: dict[str, object] = {}


def _pg_available() -> str | None:
    """Create (once) a fresh database on the server for this test run; None when unreachable."""
    if "url" in _pg_state:
        return _pg_state["url"]  # type: ignore[return-value]
    from sqlalchemy import create_engine, make_url, text

    name = f"ppda_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "no server here"
        _pg_state["url"] = None
        _pg_state["why"] = str(exc).splitlines()[0]
        return None
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    _pg_state["url"] = url
    _pg_state["name"] = name
    return url


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    name = _pg_state.get("name")
    if not name:
        return
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _pg_state.get("url", "") is None:
        terminalreporter.write_line(
            f"NOTICE: PostgreSQL tests were SKIPPED: no server reachable at {PG_ADMIN_URL} "
            f"({_pg_state.get('why')}).", yellow=True, bold=True)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from app.persistence import migrate
    from app.persistence.database import open_database

    path = tmp_path_factory.mktemp("template") / "template.db"
    db = open_database(f"sqlite:///{path}")
    migrate.upgrade(db, backup=False)
    db.dispose()
    return path


_pg_migrated: dict[str, list[str]] = {}


def _reset_postgres(url: str) -> None:
    from sqlalchemy import text

    from app.persistence import migrate
    from app.persistence.database import open_database
    from app.persistence.models import Base

    db = open_database(url)
    if url not in _pg_migrated:
        migrate.upgrade(db, backup=False)
        with db.engine.connect() as conn:
            _pg_migrated[url] = [c for (c,) in conn.execute(text("SELECT code FROM force"))]
    else:
        tables = [t.name for t in Base.metadata.sorted_tables if t.name != "force"]
        with db.engine.begin() as conn:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
            conn.execute(text("DELETE FROM force WHERE NOT (code = ANY(:codes))"), {"codes": _pg_migrated[url]})
            conn.execute(text("UPDATE force SET public_key = NULL"))
    db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, _sqlite_template: Path) -> str:
    """An empty database at the current schema (forces loaded, no users), on each backend."""
    if request.param == "sqlite":
        target = tmp_path / "psd.db"
        shutil.copy(_sqlite_template, target)
        return f"sqlite:///{target}"
    url = _pg_available()
    if url is None:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required (PPDA_REQUIRE_POSTGRES=1) but unreachable: {_pg_state.get('why')}")
        pytest.skip(f"no PostgreSQL server: {_pg_state.get('why')}")
    _reset_postgres(url)
    return url
