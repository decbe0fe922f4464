"""Issue 12, deliverable 2 on PostgreSQL: the application's role may add to the access log and read
it, never change, delete or truncate it (it could UPDATE and DELETE it). Tested with a second role,
set up by `db grants --role NAME --apply` as the DBA would, then used as the workstations use it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from app.cli import main
from app.domain.enums import AccessOperation, Role
from app.persistence.database import open_database
from app.persistence.uow import UnitOfWork
from app.services import audit, users
from tests.helpers import PASSWORD, force_env

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url(db_url: str) -> str:
    if not db_url.startswith("postgresql"):
        pytest.skip("roles and grants are PostgreSQL's")
    return db_url


@pytest.fixture
def app_role(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A login role of its own (cluster-wide: dropped afterwards, with its privileges)."""
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    role = f"ppda_app_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    try:
        yield role
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()


def _as(url: str, role: str) -> str:
    return make_url(url).set(username=role).render_as_string(hide_password=False)


def test_the_application_role_adds_and_reads_but_never_changes_the_log(
        pg_url: str, app_role: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PPDA_PASSWORD", PASSWORD)
    with force_env(pg_url) as env:
        env.user("aud", Role.AUDITOR)
        capsys.readouterr()
        assert main(["--db", pg_url, "db", "grants", "--role", app_role]) == 0
        printed = capsys.readouterr().out
        assert f"GRANT SELECT, INSERT ON access_log TO {app_role};" in printed
        assert main(["--db", pg_url, "--user", "aud", "db", "grants", "--role", app_role, "--apply"]) == 1
        assert main(["--db", pg_url, "--user", "admin", "db", "grants", "--role", app_role, "--apply"]) == 0

    workstation = open_database(_as(pg_url, app_role))
    try:
        uow = UnitOfWork(workstation.session_factory)
        admin = users.authenticate(uow, "admin", PASSWORD)  # reads and updates its account
        with uow:
            audit.record(uow.session, admin, AccessOperation.CONSULTATION, "case", 1)  # adds to the log
            uow.commit()
        assert audit.verify(UnitOfWork(workstation.session_factory), admin).entries >= 3
        for attack in ("UPDATE access_log SET reason = 'tidied' WHERE seq = 1", "DELETE FROM access_log",
                       "TRUNCATE access_log", "ALTER TABLE access_log DISABLE TRIGGER access_log_append_only",
                       "DROP TABLE access_log"):
            with pytest.raises(DBAPIError) as refused, workstation.engine.begin() as conn:
                conn.execute(text(attack))
            assert getattr(refused.value.orig, "sqlstate", None) == "42501", attack  # insufficient privilege
    finally:
        workstation.dispose()
    capsys.readouterr()
    assert main(["--db", _as(pg_url, app_role), "--user", "admin", "audit", "verify"]) == 0


def test_recovery_and_grants_are_refused_to_the_application_role(
        pg_url: str, app_role: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PPDA_PASSWORD", PASSWORD)
    monkeypatch.setenv("PPDA_NEW_PASSWORD", "Vellum-Orchard-Tinsel-47")
    with force_env(pg_url):
        assert main(["--db", pg_url, "--user", "admin", "db", "grants", "--role", app_role, "--apply"]) == 0
    capsys.readouterr()
    assert main(["--db", _as(pg_url, app_role), "admin", "recover", "admin"]) == 1
    assert "needs the database's owner" in capsys.readouterr().err
    assert main(["--db", pg_url, "admin", "recover", "admin"]) == 0  # the tables' owner (the DBA) may
    monkeypatch.setenv("PPDA_PASSWORD", "Vellum-Orchard-Tinsel-47")
    capsys.readouterr()
    assert main(["--db", pg_url, "--user", "admin", "db", "grants", "--role", "postgres", "--apply"]) == 1
    assert "is a superuser: no grant can stop it" in capsys.readouterr().err
