"""Shared fixtures. Persistence tests run on SQLite and on the PostgreSQL server (the `postgres`
marker); CI sets PPDA_REQUIRE_POSTGRES=1 so an unreachable server fails the run instead of skipping."""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy.pool import NullPool

if TYPE_CHECKING:
    from sqlalchemy import Engine

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


# ---- password hashing -------------------------------------------------------------------------

QUICK_HASH = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


@pytest.fixture(autouse=True)
def _quick_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at the product's cost takes about 0.4 s to hash and as long to check a password, and most
    tests create users and sign them in: they hash at the lowest cost instead. Tests marked
    `product_hashing` (and every test that runs the program in a subprocess) keep the real cost."""
    if request.node.get_closest_marker("product_hashing"):
        return
    from argon2 import PasswordHasher

    from app.services import users

    monkeypatch.setattr(users, "_hasher", PasswordHasher(**QUICK_HASH))


# ---- databases ------------------------------------------------------------------------------
# Each test process (the only one, or each pytest-xdist worker) makes one PostgreSQL database,
# named ppda_test_<host>_<pid of the run>_<worker>, and drops it at the end. A run that was killed
# cannot drop its own: the next run on the same host drops every such database whose run's process
# is gone (at session start, before any test).

_pg_state: dict[str, object] = {}
_NAME_PREFIX = "ppda_test_"
_HOST_TAG = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]
_RUN_PID = "PPDA_TEST_RUN_PID"  # the pid of the process that started the run (xdist workers inherit it)


def _admin_engine() -> Engine:
    from sqlalchemy import create_engine

    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _database_name() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"{_NAME_PREFIX}{_HOST_TAG}_{os.environ.get(_RUN_PID, os.getpid())}_{worker}"


def _pg_available() -> str | None:
    """Create (once) a fresh database on the server for this test process; None when unreachable."""
    if "url" in _pg_state:
        return _pg_state["url"]  # type: ignore[return-value]
    from sqlalchemy import make_url, text

    name = _database_name()
    try:
        admin = _admin_engine()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))  # this run's pid, reused
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


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def stale_databases(names: list[str]) -> list[str]:
    """This host's test databases whose run has ended without dropping them (killed)."""
    stale = []
    for name in names:
        parts = name.removeprefix(_NAME_PREFIX).split("_")
        if name.startswith(_NAME_PREFIX) and len(parts) == 3 and parts[0] == _HOST_TAG and parts[1].isdigit() \
                and _process_gone(int(parts[1])):
            stale.append(name)
    return stale


def _drop_stale_databases() -> list[str]:
    from sqlalchemy import text

    try:
        admin = _admin_engine()
        with admin.connect() as conn:
            names = list(conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE 'ppda\\_test\\_%'"))
                         .scalars())
            stale = stale_databases(names)
            for name in stale:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    except Exception:  # noqa: BLE001 - no server: the tests that need one say so
        return []
    return stale


_dropped_key = pytest.StashKey[list[str]]()


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    os.environ[_RUN_PID] = str(os.getpid())  # before xdist starts its workers, which inherit it
    config.stash[_dropped_key] = _drop_stale_databases()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    name = _pg_state.get("name")
    if not name:
        return
    from sqlalchemy import text

    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    _cpu_summary(terminalreporter)
    dropped = terminalreporter.config.stash.get(_dropped_key, [])
    if dropped:
        terminalreporter.write_line(f"Dropped {len(dropped)} test database(s) left by killed runs: "
                                    f"{', '.join(dropped)}")
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
    return empty_postgres()


def empty_postgres() -> str:
    """The test PostgreSQL database, emptied (forces loaded, no users): fails the test when
    PostgreSQL is required (PPDA_REQUIRE_POSTGRES=1) and unreachable, else skips it."""
    url = _pg_available()
    if url is None:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required (PPDA_REQUIRE_POSTGRES=1) but unreachable: {_pg_state.get('why')}")
        pytest.skip(f"no PostgreSQL server: {_pg_state.get('why')}")
    _reset_postgres(url)
    return url


# ---- CPU time per test ----------------------------------------------------------------------
# `--cpu-durations=N` lists the N tests that used the most CPU (this process and the programs it ran
# and waited for; not the database server's), set-up and tear-down included. Unlike --durations it
# does not grow when other work shares the machine: it is what decides which tests are marked slow.

_CPU_START = pytest.StashKey[float]()
_cpu_totals: dict[str, float] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--cpu-durations", type=int, default=0, metavar="N",
                     help="list the N tests that used the most CPU time (0: none)")


def _cpu_now() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[_CPU_START] = _cpu_now()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> None:
    if call.when == "teardown" and _CPU_START in item.stash:
        item.user_properties.append(("cpu_seconds", _cpu_now() - item.stash[_CPU_START]))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for key, value in report.user_properties:
        if key == "cpu_seconds" and report.when == "teardown":
            _cpu_totals[report.nodeid] = float(value)  # type: ignore[arg-type]


def _cpu_summary(terminalreporter: pytest.TerminalReporter) -> None:
    count = terminalreporter.config.getoption("--cpu-durations")
    if not count or not _cpu_totals:
        return
    terminalreporter.write_sep("=", f"{count} tests using the most CPU time")
    for nodeid, seconds in sorted(_cpu_totals.items(), key=lambda kv: -kv[1])[:count]:
        terminalreporter.write_line(f"{seconds:7.2f}s cpu  {nodeid}")
    terminalreporter.write_line(f"{sum(_cpu_totals.values()):7.1f}s cpu in {len(_cpu_totals)} tests")
