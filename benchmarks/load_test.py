"""Load test (issue 7): N concurrent clients on one PostgreSQL server doing a realistic mix for a
while, then proof that no acknowledged write was lost and that the access log chain verifies.

    python benchmarks/load_test.py                 # 20 clients, 60 s
    python benchmarks/load_test.py --seconds 10    # quick mode
    python benchmarks/load_test.py --doc docs/benchmarks-load.md

Creates a scratch database `ppda_load_<random>` on the server (default 127.0.0.1:5432, user
postgres), seeds a force (workforce, cases, one SUPERVISOR per client), runs each client in its own
process (no GIL between them) through the real services, and drops the database afterwards.

Each client repeats, until the time is up, one of:
- open    (40%)  open a random case (read model + a CONSULTATION entry in the access log);
- search  (30%)  the case list: a text search, one page, and its count;
- decide  (25%)  read a "hot" case's version, think 0-40 ms, record a severity decision with that
                 expected_version; a ConflictError (someone saved first) is counted as refused;
- import  (5%)   import a small cases file (5 new cases) through the case importer.

Afterwards: every acknowledged decision is in the table (and nothing else was added), each hot
case's version moved exactly once per acknowledged decision, every acknowledged imported row is
there, the access log holds exactly one entry per acknowledged logged action, and the chain
verifies. The access log is a single hash chain serialised by a lock on its head row
(app.services.audit.record): each client measures how long it waited for that lock and how long
its transaction held it, to show whether the chain is the bottleneck.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import os
import platform
import random
import statistics
import subprocess
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

PASSWORD = "Load-Test-Password-42"
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
WEIGHTS = {"open": 40, "search": 30, "decide": 25, "import": 5}
ABUSE = ["PHYSICAL", "COERCIVE_CONTROL", "ECONOMIC", "EMOTIONAL_PSYCHOLOGICAL", "STALKING_HARASSMENT", "THREATS"]
SURNAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright"]
CASE_HEADER = ["case_ref", "recorded_date", "reporting_route", "case_type", "subject_staff_number", "victim_ref",
               "victim_relationship", "abuse_types"]


# ---- set-up -----------------------------------------------------------------------------------------

def create_database(admin_url: str) -> str:
    from sqlalchemy import create_engine, make_url, text

    name = f"ppda_load_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    from sqlalchemy import create_engine, make_url, text

    name = make_url(url).database
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def seed(url: str, clients: int, cases: int, folder: Path) -> dict[str, Any]:
    """A force with a workforce, `cases` imported open cases and one supervisor per client."""
    from app.domain.enums import Role
    from app.persistence import migrate
    from app.persistence.database import open_database
    from app.persistence.uow import UnitOfWork
    from app.services import installation, users
    from app.services.imports.cases import import_cases
    from app.services.imports.workforce import import_workforce

    db = open_database(url)
    migrate.upgrade(db, backup=False)
    uow = lambda: UnitOfWork(db.session_factory)  # noqa: E731
    admin = installation.initialise(uow(), "west-midlands", "admin", PASSWORD)
    head = users.add_user(uow(), admin, "head", {Role.HEAD_OF_PSD}, PASSWORD)
    for i in range(clients):
        users.add_user(uow(), admin, f"client{i:02d}", {Role.SUPERVISOR}, PASSWORD)
    rng = random.Random(7)
    people = max(500, cases // 2)
    import_workforce(uow(), head, _write(folder / "wf.csv", ["staff_number", "surname", "forenames", "date_of_birth",
                                                             "workforce_type", "rank_or_grade"], [
        [f"L{i:06d}", f"{SURNAMES[i % 10]}{i % 97}", f"Name{i % 300}",
         (date(1965, 1, 1) + timedelta(days=rng.randrange(12000))).isoformat(), "POLICE_OFFICER", "PC"]
        for i in range(people)]))
    import_cases(uow(), head, _write(folder / "cases.csv", CASE_HEADER, [
        [f"PSD-2025-{i:06d}", (date(2025, 1, 1) + timedelta(days=i % 300)).isoformat(), "VICTIM_DIRECT",
         "CONDUCT_MATTER", f"L{rng.randrange(people):06d}", "V1", "FORMER_PARTNER", rng.choice(ABUSE)]
        for i in range(1, cases + 1)]))
    db.dispose()
    return {"people": people}


# ---- one client ---------------------------------------------------------------------------------------

@dataclass
class ClientResult:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    refused: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    decision_ids: list[int] = field(default_factory=list)
    decided: Counter[int] = field(default_factory=Counter)  # acknowledged decisions per case id
    imported_rows: int = 0
    logged: int = 0  # acknowledged actions that write one access-log entry
    head_waits: list[float] = field(default_factory=list)
    head_holds: list[float] = field(default_factory=list)


class HeadLockProbe:
    """Times the UPDATE of the access-log head row (waiting for its lock) and the time from getting
    the lock to the end of the commit (holding it)."""

    def __init__(self, engine: Any, result: ClientResult) -> None:
        from sqlalchemy import event
        from sqlalchemy.orm import Session

        self.result, self.started, self.locked = result, 0.0, 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        event.listen(Session, "after_commit", self._committed)
        event.listen(Session, "after_rollback", self._rolled_back)

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.started = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if self.locked == 0.0 and statement.lstrip().upper().startswith("UPDATE ACCESS_LOG_HEAD SET LAST_SEQ"):
            self.locked = time.perf_counter()
            self.result.head_waits.append(self.locked - self.started)

    def _committed(self, session: Any) -> None:
        if self.locked:
            self.result.head_holds.append(time.perf_counter() - self.locked)
        self.locked = 0.0

    def _rolled_back(self, session: Any) -> None:
        self.locked = 0.0


def _quiet() -> None:
    """No keyring on a server: the database has no password, so its warning is noise here."""
    import logging

    logging.getLogger("app.persistence.secrets").setLevel(logging.ERROR)


def client(index: int, url: str, case_ids: list[int], hot: list[int], start: Any, seconds: float,
           think: float, out: Any) -> None:
    from app.persistence.database import open_database

    _quiet()
    result = ClientResult()
    db = open_database(url)
    HeadLockProbe(db.engine, result)
    ctx = _ClientContext(index, db, result, case_ids, hot)
    start.wait()
    deadline = time.perf_counter() + seconds
    actions = {"open": ctx.open, "search": ctx.search, "decide": ctx.decide, "import": ctx.import_}
    ops, weights = list(WEIGHTS), list(WEIGHTS.values())
    while time.perf_counter() < deadline:
        op = ctx.rng.choices(ops, weights)[0]
        began = time.perf_counter()
        try:
            actions[op]()
        except Exception as exc:  # noqa: BLE001 - counted and reported: there must be none
            result.errors[f"{op}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}"] += 1
            continue
        result.latencies[op].append(time.perf_counter() - began)
        if think:
            time.sleep(ctx.rng.uniform(0, 2 * think))  # a user between two actions
    db.dispose()
    out.put((index, _plain(result)))


def _plain(r: ClientResult) -> dict[str, Any]:
    return {"latencies": dict(r.latencies), "refused": r.refused, "errors": dict(r.errors),
            "decision_ids": r.decision_ids, "decided": dict(r.decided), "imported_rows": r.imported_rows,
            "logged": r.logged, "head_waits": r.head_waits, "head_holds": r.head_holds}


class _ClientContext:
    def __init__(self, index: int, db: Any, result: ClientResult, case_ids: list[int], hot: list[int]) -> None:
        from app.persistence.uow import UnitOfWork
        from app.services import users

        self.index, self.db, self.result, self.case_ids, self.hot = index, db, result, case_ids, hot
        self.rng = random.Random(index)
        self.uow = lambda: UnitOfWork(db.session_factory)
        self.user = users.authenticate(self.uow(), f"client{index:02d}", PASSWORD)
        self.folder = Path(tempfile.mkdtemp(prefix=f"ppda-load-{index}-"))
        self.imports = 0

    def open(self) -> None:
        from app.services import case_queries

        case_queries.open_case(self.uow(), self.user, self.rng.choice(self.case_ids))
        self.result.logged += 1

    def search(self) -> None:
        from app.services import case_queries as cq

        text = self.rng.choice([self.rng.choice(SURNAMES).lower(), f"2025-00{self.rng.randrange(10, 99)}"])
        cq.list_cases(self.uow(), self.user, cq.CaseFilter(text=text))
        cq.count_cases(self.uow(), self.user, cq.CaseFilter(text=text))

    def decide(self) -> None:
        from sqlalchemy import select

        from app.domain.enums import Severity
        from app.domain.errors import ConflictError
        from app.persistence.models import AllegationRow, CaseRow
        from app.services import casework

        case_id = self.rng.choice(self.hot)
        with self.uow() as uow:
            version, allegation = uow.session.execute(
                select(CaseRow.version, AllegationRow.id).join(AllegationRow, AllegationRow.case_id == CaseRow.id)
                .where(CaseRow.id == case_id).limit(1)).one()
        time.sleep(self.rng.uniform(0, 0.04))  # the user reads the case and chooses
        severity = self.rng.choice([Severity.MISCONDUCT, Severity.GROSS_MISCONDUCT, Severity.NO_MISCONDUCT])
        try:
            done = casework.record_severity(self.uow(), self.user, case_id, severity, allegation_id=allegation,
                                            expected_version=version)
        except ConflictError:
            self.result.refused += 1
            return
        self.result.decision_ids.extend(done.decision_ids)
        self.result.decided[case_id] += 1
        self.result.logged += 1

    def import_(self) -> None:
        from app.services.imports.cases import import_cases

        self.imports += 1
        rows = [[f"LT-{self.index:02d}-{self.imports:05d}-{k}", "2025-06-02", "COLLEAGUE", "CONDUCT_MATTER",
                 f"L{self.rng.randrange(500):06d}", "V1", "CURRENT_PARTNER", self.rng.choice(ABUSE)] for k in range(5)]
        path = _write(self.folder / f"import-{self.imports}.csv", CASE_HEADER, rows)
        summary = import_cases(self.uow(), self.user, path)
        self.result.imported_rows += summary.added
        self.result.logged += 1


# ---- the run and its checks ---------------------------------------------------------------------------

def run(url: str, clients: int, seconds: float, hot_count: int, think: float = 0.0) -> dict[str, Any]:
    from sqlalchemy import select

    from app.persistence.database import open_database
    from app.persistence.models import CaseRow

    db = open_database(url)
    with db.session_factory() as s:
        case_ids = list(s.scalars(select(CaseRow.id).order_by(CaseRow.id)))
    db.dispose()
    hot = random.Random(1).sample(case_ids, hot_count)
    before = snapshot(url, hot)
    ctx = mp.get_context("spawn")
    start, out = ctx.Barrier(clients + 1), ctx.Queue()
    procs = [ctx.Process(target=client, args=(i, url, case_ids, hot, start, seconds, think, out))
             for i in range(clients)]
    for p in procs:
        p.start()
    start.wait()
    began = time.perf_counter()
    results = [out.get(timeout=seconds + 600)[1] for _ in procs]
    elapsed = time.perf_counter() - began
    load = os.getloadavg()[0]
    for p in procs:
        p.join()
    return {"results": results, "elapsed": elapsed, "before": before, "hot": hot,
            "after": snapshot(url, hot), "clients": clients, "load": load}


def snapshot(url: str, hot: list[int]) -> dict[str, Any]:
    from sqlalchemy import func, select

    from app.persistence.database import open_database
    from app.persistence.models import AccessLogRow, AllegationRow, CaseRow, DecisionRow
    from app.services import audit

    db = open_database(url)
    with db.session_factory() as s:
        snap = {
            "decisions": s.scalar(select(func.count()).select_from(DecisionRow)),
            "severity_ids": set(s.scalars(select(DecisionRow.id).where(DecisionRow.kind == "SEVERITY"))),
            "versions": dict(s.execute(select(CaseRow.id, CaseRow.version).where(CaseRow.id.in_(hot))).all()),
            "imported": s.scalar(select(func.count()).select_from(AllegationRow).join(CaseRow).where(
                CaseRow.reference.like("LT-%"))),
            "log": s.scalar(select(func.count()).select_from(AccessLogRow)),
            "chain": audit.verify_chain(s),
        }
    db.dispose()
    return snap


def verify(run_: dict[str, Any]) -> list[str]:
    """Every acknowledged write is there and nothing else; the chain verifies. Returns the problems."""
    before, after, results = run_["before"], run_["after"], run_["results"]
    ids = [i for r in results for i in r["decision_ids"]]
    decided: Counter[int] = Counter()
    for r in results:
        decided.update({int(k): v for k, v in r["decided"].items()})
    problems = []
    if set(ids) - after["severity_ids"]:
        problems.append(f"{len(set(ids) - after['severity_ids'])} acknowledged decisions are missing")
    if after["decisions"] - before["decisions"] != len(ids):
        problems.append(f"{after['decisions'] - before['decisions']} decisions added, {len(ids)} acknowledged")
    for case_id, v in after["versions"].items():
        if v != before["versions"][case_id] + decided[case_id]:
            problems.append(f"case {case_id}: version {v}, expected {before['versions'][case_id] + decided[case_id]}")
    rows = sum(r["imported_rows"] for r in results)
    if after["imported"] - before["imported"] != rows:
        problems.append(f"{after['imported'] - before['imported']} imported allegations, {rows} acknowledged")
    logged = sum(r["logged"] for r in results)
    if after["log"] - before["log"] != logged:
        problems.append(f"{after['log'] - before['log']} access-log entries, {logged} acknowledged logged actions")
    if not after["chain"].ok:
        problems.append(after["chain"].message)
    return problems


# ---- the report --------------------------------------------------------------------------------------

def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def report(run_: dict[str, Any], args: argparse.Namespace, problems: list[str]) -> str:
    results, elapsed = run_["results"], run_["elapsed"]
    lat: dict[str, list[float]] = defaultdict(list)
    for r in results:
        for op, values in r["latencies"].items():
            lat[op].extend(values)
    total = sum(len(v) for v in lat.values())
    refused = sum(r["refused"] for r in results)
    errors: Counter[str] = Counter()
    for r in results:
        errors.update(r["errors"])
    decided = len(lat["decide"]) - refused
    pace = f"a pause of 0-{2 * args.think:.1f} s between a client's actions" if args.think else "no pause (flat out)"
    lines = [f"Clients: {run_['clients']} processes for {elapsed:.1f} s against PostgreSQL, {pace}; "
             f"{args.cases} seeded cases, {args.hot} hot cases for decisions. Load average (1 min) at the end: "
             f"{run_['load']:.1f}.", "",
             f"Throughput: {total / elapsed:.1f} operations/s ({total} operations).", "",
             "| operation | count | per s | p50 ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|---:|"]
    for op in WEIGHTS:
        v = lat.get(op, [])
        lines.append(f"| {op} | {len(v)} | {len(v) / elapsed:.1f} | {pct(v, 50) * 1000:.0f} | {pct(v, 95) * 1000:.0f} "
                     f"| {pct(v, 99) * 1000:.0f} | {max(v, default=float('nan')) * 1000:.0f} |")
    lines += ["", f"Decisions: {len(lat['decide'])} attempted, {decided} saved, {refused} refused as conflicts "
                  f"({100 * refused / max(1, len(lat['decide'])):.1f}%: someone saved the case first).",
              f"Unexpected errors: {sum(errors.values())}" + "".join(f"\n- {k} x{n}" for k, n in errors.items()), "",
              _head_lock(results, elapsed), "", _verdict(run_, problems)]
    return "\n".join(lines)


def _head_lock(results: list[dict[str, Any]], elapsed: float) -> str:
    waits = [w for r in results for w in r["head_waits"]]
    holds = [h for r in results for h in r["head_holds"]]
    if not holds:
        return "Access-log head lock: no logged transaction."
    busy = sum(holds) / elapsed
    return (f"Access-log head lock: {len(holds)} logged transactions ({len(holds) / elapsed:.1f}/s). Waiting for the "
            f"lock: p50 {pct(waits, 50) * 1000:.1f} ms, p95 {pct(waits, 95) * 1000:.1f} ms, p99 "
            f"{pct(waits, 99) * 1000:.1f} ms. Held, from getting the lock until the client sees its commit (an upper "
            f"bound: it includes the client waiting for a CPU): mean {statistics.mean(holds) * 1000:.1f} ms, p95 "
            f"{pct(holds, 95) * 1000:.1f} ms; summed, {100 * busy:.0f}% of the run. At that hold time the chain "
            f"alone allows about {1 / statistics.mean(holds):.0f} logged transactions/s.")


def _verdict(run_: dict[str, Any], problems: list[str]) -> str:
    results, before, after = run_["results"], run_["before"], run_["after"]
    acknowledged = sum(len(r["decision_ids"]) for r in results)
    rows = sum(r["imported_rows"] for r in results)
    logged = sum(r["logged"] for r in results)
    head = (f"Afterwards: {acknowledged} acknowledged decisions, {after['decisions'] - before['decisions']} added; "
            f"{rows} acknowledged imported rows, {after['imported'] - before['imported']} added; {logged} acknowledged "
            f"logged actions, {after['log'] - before['log']} access-log entries added. {after['chain'].message}")
    return head + (" Writes lost: 0." if not problems else "\nPROBLEMS:\n- " + "\n- ".join(problems))


def machine() -> str:
    def sh(cmd: str) -> str:
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=10).stdout.rstrip()
        except (OSError, subprocess.SubprocessError):
            return "?"

    return (f"Machine: {platform.platform()}; nproc {sh('nproc')}; Python {platform.python_version()}; "
            f"{sh('psql --version') or 'psql ?'}; server: {sh(PG_VERSION)}.\n\n```\n{sh('free -h')}\n```")


PG_VERSION = "psql -h 127.0.0.1 -U postgres -tAc 'select version()'"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--cases", type=int, default=5000, help="open cases seeded before the run")
    p.add_argument("--hot", type=int, default=50, help="cases the decisions go to (fewer: more conflicts)")
    p.add_argument("--think", type=float, default=0.0,
                   help="mean seconds a client pauses between actions, as a user does (default 0: flat out)")
    p.add_argument("--admin-url", default=os.environ.get("PPDA_LOAD_ADMIN_URL", ADMIN_URL))
    p.add_argument("--keep", action="store_true", help="keep the scratch database")
    p.add_argument("--doc", type=Path, help="also write the report (markdown) to this file")
    args = p.parse_args()
    _quiet()
    url = create_database(args.admin_url)
    try:
        with tempfile.TemporaryDirectory() as folder:
            seeded = time.perf_counter()
            seed(url, args.clients, args.cases, Path(folder))
            print(f"Seeded {args.cases} cases in {time.perf_counter() - seeded:.1f} s; running {args.clients} clients "
                  f"for {args.seconds:.0f} s...", flush=True)
        result = run(url, args.clients, args.seconds, args.hot, args.think)
        problems = verify(result)
        text = report(result, args, problems)
    finally:
        if not args.keep:
            drop_database(args.admin_url, url)
    print(text)
    if args.doc:
        args.doc.write_text(_document(text, args), encoding="utf-8")
    return 1 if problems else 0


def _document(text: str, args: argparse.Namespace) -> str:
    pace = f" --think {args.think:g}" if args.think else ""
    return (f"# Load test: {args.clients} concurrent clients on PostgreSQL\n\n"
            f"`python benchmarks/load_test.py --seconds {args.seconds:.0f} --clients {args.clients}{pace}` "
            f"({date.today().isoformat()}).\n\n{machine()}\n\n{text}\n")


if __name__ == "__main__":
    raise SystemExit(main())
