"""Nothing is lost (DOMAIN.md §7, issue 7), on SQLite and PostgreSQL.

Crash safety: a real process running the command line (or the services) is killed with SIGKILL in
the middle of an import of a big file, a decision, a disposal and an export; the database is then
exactly as before (every table's rows, the access-log chain and its head) and the export's target
is still the previous complete file. The SQLite start-up backup is restored with one command.

Concurrency: two users saving the same case at the same moment from two sessions: exactly one
wins, the other is refused naming who changed what, and nothing is half-written; many writers in
threads lose no acknowledged decision and the access-log chain verifies.

Run as a script, this file is the helper the crash tests kill: it installs a hook that stops each
action just before its commit (once the action has written its access-log entry), tells the test
it has got there by creating the file named in PPDA_TEST_STALL_READY, and waits to be killed.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STALL_READY = "PPDA_TEST_STALL_READY"  # read only by this helper, never by the product
LIGHT_HASH: dict[str, Any] = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def _install_stall(ready: Path) -> None:
    """Stop the first transaction that writes the access log just before it commits."""
    from sqlalchemy import event
    from sqlalchemy.orm import ORMExecuteState, Session

    def note(state: ORMExecuteState) -> None:
        table = getattr(state.statement, "table", None)
        if table is not None and table.name == "access_log":
            state.session.info["logged"] = True

    def stall(session: Session) -> None:
        if session.info.get("logged"):
            session.flush()
            ready.write_text(str(os.getpid()))
            time.sleep(600)  # the test kills the process here, inside the transaction

    event.listen(Session, "do_orm_execute", note)
    event.listen(Session, "before_commit", stall)


def _helper(argv: list[str]) -> int:
    from argon2 import PasswordHasher

    from app.services import users

    users._hasher = PasswordHasher(**LIGHT_HASH)  # as the tests made the accounts: no rehash on sign-in
    _install_stall(Path(os.environ[STALL_READY]))
    if argv[0] == "decide":  # a decision through the services: decide URL USER CASE_ID ALLEGATION_ID
        from app.domain.enums import Severity
        from app.persistence.database import open_database
        from app.persistence.uow import UnitOfWork
        from app.services import casework

        db = open_database(argv[1])
        uow = UnitOfWork(db.session_factory)
        actor = users.authenticate(uow, argv[2], os.environ["PPDA_PASSWORD"])
        casework.record_severity(uow, actor, int(argv[3]), Severity.GROSS_MISCONDUCT, allegation_id=int(argv[4]))
        return 0
    from app.cli import main

    return main(argv)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    sys.exit(_helper(sys.argv[1:]))


# ---- the tests ------------------------------------------------------------------------------------

import pytest  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from app.cli import main  # noqa: E402
from app.domain.enums import Role, Severity  # noqa: E402
from app.domain.errors import ConflictError  # noqa: E402
from app.persistence import migrate  # noqa: E402
from app.persistence.database import open_database  # noqa: E402
from app.persistence.models import Base, CaseRow  # noqa: E402
from app.services import audit, case_summary, clock, users  # noqa: E402
from app.services import casework as cw  # noqa: E402
from app.services.access_log_export import export_access_log  # noqa: E402
from tests.helpers import PASSWORD, Env, force_env, write_csv  # noqa: E402
from tests.integration.test_casework_support import World, allegation_ids, new_case, world  # noqa: E402
from tests.integration.test_imports import CASE_HEADER, WF_HEADER, WF_ROWS  # noqa: E402

pytestmark = pytest.mark.slow  # real processes, killed mid-transaction or racing each other

__all__ = ["world"]
ROOT = Path(__file__).resolve().parents[2]
BIG = 5_000  # rows (cases) in the big import


def fingerprint(url: str) -> dict[str, str]:
    """Every table's rows (ordered by key), hashed: equal fingerprints mean nothing changed."""
    db = open_database(url)
    try:
        with db.engine.connect() as conn:
            out = {}
            for table in Base.metadata.sorted_tables:
                order = ", ".join(c.name for c in table.primary_key.columns)
                rows = conn.execute(text(f'SELECT * FROM "{table.name}" ORDER BY {order}')).all()
                out[table.name] = f"{len(rows)}:" + hashlib.sha256(repr(rows).encode()).hexdigest()
        with db.session_factory() as session:
            verified = audit.verify_chain(session)
        assert verified.ok, verified.message
        out["chain"] = verified.message
        return out
    finally:
        db.dispose()


def kill_midway(args: list[str], data_dir: Path, tmp: Path) -> None:
    """Run the helper with `args`, wait until it stands inside the transaction, SIGKILL it."""
    ready = tmp / f"ready-{time.monotonic_ns()}"
    env = {**os.environ, "PPDA_PASSWORD": PASSWORD, "PPDA_APPROVER_PASSWORD": PASSWORD,
           "PPDA_DATA_DIR": str(data_dir), STALL_READY: str(ready)}
    proc = subprocess.Popen([sys.executable, __file__, *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                out, err = proc.communicate(timeout=5) if proc.poll() is not None else (b"", b"")
                pytest.fail(f"the helper ended (or hung) before the commit: {proc.returncode}\n{out!r}\n{err!r}")
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        for stream in (proc.stdout, proc.stderr):
            assert stream is not None
            stream.close()
    assert proc.returncode == -signal.SIGKILL


@dataclass
class Crash:
    w: World
    url: str
    data_dir: Path
    tmp: Path

    def killed(self, *args: str) -> None:
        killed(self.w.env, self.url, list(args), self.data_dir, self.tmp)


def killed(env: Env, url: str, args: list[str], data_dir: Path, tmp: Path) -> None:
    """Kill the helper inside its transaction; the database must be exactly as before."""
    case_summary.ensure_current(env.uow())  # what a command does first, committed before the action
    env.db.dispose()  # no connection of ours holds a lock while the helper works
    before = fingerprint(url)
    kill_midway(args, data_dir, tmp)
    assert fingerprint(url) == before


@pytest.fixture
def crash(world: World, db_url: str, tmp_path: Path) -> Crash:
    return Crash(world, db_url, Path(os.environ["PPDA_DATA_DIR"]), tmp_path)


def _big_case_file(folder: Path) -> Path:
    rows = [[f"PSD-2024-{i:06d}", "2024-05-01", "VICTIM_DIRECT", "CONDUCT_MATTER", "S100", "V1", "FORMER_PARTNER",
             "PHYSICAL", "HIGH", "2024-05-02", "", "", "", "", "", "HOME"] for i in range(1, BIG + 1)]
    return write_csv(folder / "big-cases.csv", CASE_HEADER, rows)


def test_killed_in_the_middle_of_a_big_import(crash: Crash) -> None:
    new_case(crash.w)
    crash.killed("--db", crash.url, "--user", "head", "import", "cases", str(_big_case_file(crash.tmp)))
    with crash.w.uow() as uow:
        assert uow.session.scalar(select(CaseRow.id).where(CaseRow.reference == "PSD-2024-000001")) is None


def test_killed_in_the_middle_of_a_decision(crash: Crash) -> None:
    created = new_case(crash.w)
    aid = allegation_ids(crash.w, created.case_id)["S100"]
    crash.killed("decide", crash.url, "sup", str(created.case_id), str(aid))
    assert crash.w.case(created.case_id).version == created.version
    assert cw.record_severity(crash.w.uow(), crash.w.sup, created.case_id, Severity.MISCONDUCT, allegation_id=aid,
                              expected_version=created.version).case_version == created.version + 1


def test_killed_in_the_middle_of_an_export_leaves_the_previous_file(crash: Crash) -> None:
    auditor = crash.w.env.user("aud", Role.AUDITOR)
    out = crash.tmp / "log.csv"
    export_access_log(crash.w.uow(), auditor, out)
    previous = out.read_bytes()
    new_case(crash.w)  # more entries: a new export would differ
    crash.killed("--db", crash.url, "--user", "aud", "audit", "export", "--out", str(out))
    assert out.read_bytes() == previous
    crash.killed("--db", crash.url, "--user", "head", "export", "survey-return", "--year", "2025",
                 "--out", str(crash.tmp / "return.xlsx"))
    assert not (crash.tmp / "return.xlsx").exists()


def test_killed_in_the_middle_of_a_disposal(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    from tests.integration.test_retention import _build

    monkeypatch.setattr(users, "_hasher", PasswordHasher(**LIGHT_HASH))
    with force_env(db_url) as env:
        _build(env, tmp_path)  # closed cases of 2018 and 2019, past their review date
        clock.pin(None)
        killed(env, db_url, ["--db", db_url, "--user", "sup", "retention", "dispose", "PSD-2018-000001", "--reason",
                             "Retention review: no further purpose", "--approver", "head"],
               Path(os.environ["PPDA_DATA_DIR"]), tmp_path)
        with env.uow() as uow:
            assert uow.session.scalar(select(CaseRow.status).where(CaseRow.reference == "PSD-2018-000001")) == "CLOSED"


# ---- the SQLite start-up backup, restored with one command -----------------------------------------

def test_the_startup_backup_is_restored_with_one_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PPDA_NEW_PASSWORD", PASSWORD)
    monkeypatch.setenv("PPDA_PASSWORD", PASSWORD)
    url = f"sqlite:///{tmp_path / 'psd.db'}"
    cli = lambda *args: main(["--db", url, *args])  # noqa: E731
    assert cli("init", "--force", "kent", "--admin", "admin") == 0
    assert cli("--user", "admin", "import", "workforce", str(write_csv(tmp_path / "wf.csv", WF_HEADER, WF_ROWS))) == 0
    db = open_database(url)
    migrate.downgrade(db, "0003")  # the database as an older program left it
    db.dispose()
    assert cli("--user", "admin", "audit", "verify") == 0  # start-up: backed up, then upgraded
    capsys.readouterr()
    assert cli("db", "backups") == 1  # an administrator's command
    assert cli("--user", "admin", "db", "backups") == 0
    [backup] = capsys.readouterr().out.split()
    good = fingerprint_people(url)
    more = [["S9", "", "Doe", "Jan", "", "1990-01-01", "", "", "PCSO", "", "", "", "", "", "", ""]]
    assert cli("--user", "admin", "import", "workforce", str(write_csv(tmp_path / "more.csv", WF_HEADER, more))) == 0
    assert fingerprint_people(url) != good
    assert cli("--user", "admin", "db", "restore", backup) == 0
    assert "Restored" in capsys.readouterr().out
    assert cli("--user", "admin", "audit", "verify") == 0  # upgraded again at start-up; the chain is whole
    assert fingerprint_people(url) == good


def fingerprint_people(url: str) -> list[tuple[Any, ...]]:
    db = open_database(url)
    try:
        with db.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text("SELECT staff_number, surname FROM person ORDER BY id"))]
    finally:
        db.dispose()


# ---- concurrent writers ---------------------------------------------------------------------------

def test_two_users_save_the_same_case_at_once_and_exactly_one_wins(world: World) -> None:
    """Two sessions in two threads: both read version v; each holds its transaction open a moment
    before committing, so the second waits on the first's row lock (write lock on SQLite)."""
    created = new_case(world)
    aid = allegation_ids(world, created.case_id)["S100"]
    clock.pin(None)
    opened = world.case(created.case_id).version
    before = len(world.decisions(created.case_id))
    results = _race(world, [
        lambda: cw.record_severity(world.uow(), world.sup, created.case_id, Severity.MISCONDUCT,
                                   allegation_id=aid, expected_version=opened),
        lambda: cw.record_threshold(world.uow(), world.sup2, created.case_id, aid, expected_version=opened),
    ])
    won = [r for r in results if not isinstance(r, BaseException)]
    lost = [r for r in results if isinstance(r, BaseException)]
    assert len(won) == 1 and len(lost) == 1 and isinstance(lost[0], ConflictError), results
    winner, kind = ("sup", "SEVERITY") if isinstance(results[1], ConflictError) else ("sup2", "THRESHOLD")
    assert lost[0].message.startswith(f"{_reference(world, created.case_id)} was changed by {winner} at ")
    assert f"({kind}) after you opened it. Reload the case" in lost[0].message
    assert len(world.decisions(created.case_id)) == before + 1
    assert world.case(created.case_id).version == opened + 1
    with world.uow() as uow:
        assert audit.verify_chain(uow.session).ok


def _reference(w: World, case_id: int) -> str:
    return w.case(case_id).reference


def _race(w: World, calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls at the same moment in threads, each commit held back 0.3 s."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    gate = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def hold(_session: Session) -> None:
        time.sleep(0.3)

    def run(i: int) -> None:
        gate.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:  # noqa: BLE001 - the result under test
            results[i] = exc

    event.listen(Session, "before_commit", hold)
    try:
        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    finally:
        event.remove(Session, "before_commit", hold)
    return results


@pytest.mark.parametrize("same_subject", [False, True], ids=["two-subjects", "one-subject"])
def test_many_writers_lose_no_acknowledged_decision(world: World, same_subject: bool) -> None:
    """Eight threads record decisions on two cases for a while, each reloading after a refusal:
    every acknowledged write is there, every refused one left nothing, and the log chain holds.
    With one subject in both cases, each write also refreshes the other case's list row: the two
    writers must not deadlock."""
    second = new_case(world) if same_subject else new_case(world, _other_subject())
    cases = [new_case(world).case_id, second.case_id]
    clock.pin(None)
    aids = {c: next(iter(allegation_ids(world, c).values())) for c in cases}
    before = {c: len(world.decisions(c)) for c in cases}
    acknowledged = dict.fromkeys(cases, 0)
    refused = [0]
    lock = threading.Lock()

    def writer(n: int) -> None:
        user = world.sup if n % 2 else world.head
        case_id = cases[n % 2]
        for _ in range(6):
            seen = world.case(case_id).version
            try:
                cw.record_severity(world.uow(), user, case_id, Severity.MISCONDUCT, allegation_id=aids[case_id],
                                   expected_version=seen)
            except ConflictError:
                with lock:
                    refused[0] += 1
                continue
            with lock:
                acknowledged[case_id] += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    for c in cases:
        assert len(world.decisions(c)) == before[c] + acknowledged[c]
        assert world.case(c).version == 1 + acknowledged[c]
    assert sum(acknowledged.values()) + refused[0] == 8 * 6 and all(acknowledged.values())
    with world.uow() as uow:
        assert audit.verify_chain(uow.session).ok


def _other_subject() -> cw.AllegationInput:
    from tests.integration.test_casework_support import allegation

    return allegation("S600")
