"""Time the case file (issue #15) through the real services: attaching, opening and exporting a large
document (streamed in 1 MiB chunks), and reading and searching a long case log.

    python benchmarks/case_file_bench.py [--mb 100] [--entries 2000] [--pg postgresql+psycopg://...]

Each run builds a fresh database (SQLite in a temporary folder; with --pg also a new database on
that server, dropped afterwards) with one case made through the services. Memory is the peak of
Python's own allocations (tracemalloc) during the operation: a file held whole would show its size.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, make_url, text

from app.domain.case_file import DocumentKind, EntryInput, EntryKind
from app.domain.enums import AbuseType, ReportingRoute, Role, VictimRelationship
from app.domain.records import User
from app.persistence import migrate
from app.persistence.database import open_database
from app.persistence.uow import UnitOfWork
from app.services import casework as cw
from app.services import installation, users
from app.services.casefile import documents, entries, export, timeline
from app.services.casefile.timeline import LogQuery
from app.services.imports.workforce import import_workforce

PASSWORD = "Bench-Password-2026-x"
WORDS = ("CCTV", "council", "statement", "interview", "bail", "phone", "IDVA", "solicitor", "disc", "audit")


def measured(label: str, fn: Callable[[], Any]) -> Any:
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = fn()
    finally:
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    print(f"  {label:<44} {seconds:8.2f} s   peak Python memory {peak / 1e6:7.1f} MB", flush=True)
    return result


def setup(url: str, folder: Path) -> tuple[UnitOfWork, User, int]:
    db = open_database(url)
    migrate.upgrade(db, backup=False)
    uow = lambda: UnitOfWork(db.session_factory)  # noqa: E731
    admin = installation.initialise(uow(), "west-midlands", "admin", PASSWORD)
    sup = users.add_user(uow(), admin, "sup", {Role.SUPERVISOR, Role.ADMINISTRATOR}, PASSWORD)
    wf = folder / "wf.csv"
    wf.write_text("staff_number,surname,forenames,date_of_birth,workforce_type\nB1,Bench,Subject,1980-01-01,"
                  "POLICE_OFFICER\n", encoding="utf-8")
    import_workforce(uow(), sup, wf)
    made = cw.create_case(uow(), sup, cw.CaseIntake(
        date.today(), ReportingRoute.VICTIM_DIRECT, (cw.VictimInput("V1", VictimRelationship.FORMER_PARTNER),),
        (cw.AllegationInput("B1", ("V1",), frozenset({AbuseType.COERCIVE_CONTROL})),), summary="Benchmark case."))
    return uow(), sup, made.case_id


def run(url: str, mb: int, n_entries: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _uow, sup, case_id = setup(url, folder)
        db = open_database(url)
        uow = lambda: UnitOfWork(db.session_factory)  # noqa: E731
        from app.services import policies

        policies.set_policy(uow(), sup, "document-max-megabytes", str(max(mb + 1, 100)), date(2000, 1, 1))
        big = folder / "bodycam.mp4"
        with big.open("wb") as fh:
            fh.write(b"\x00\x00\x00\x18ftypmp42")
            for _ in range(mb):
                fh.write(os.urandom(1_000_000))
        stored = measured(f"attach a {mb} MB file", lambda: documents.attach(
            uow(), sup, case_id, big, title="Body-worn video", kind=DocumentKind.EVIDENCE))
        measured(f"open a copy of it ({mb} MB)", lambda: documents.open_copy(uow(), sup, stored.version_id,
                                                                             folder / "open"))
        measured(f"save a copy for someone ({mb} MB)", lambda: documents.export_copy(
            uow(), sup, stored.version_id, folder / "copy.mp4", "Hearing panel"))
        big.unlink()
        started = time.perf_counter()
        for i in range(n_entries):
            words = " ".join(WORDS[(i * k) % len(WORDS)] for k in (1, 3, 7))
            entries.add_entry(uow(), sup, case_id, EntryInput(EntryKind.NOTE, f"Entry {i}: {words}. " * 4))
        print(f"  {'write ' + str(n_entries) + ' log entries (one transaction each)':<44} "
              f"{time.perf_counter() - started:8.2f} s", flush=True)
        measured(f"read the case log ({n_entries} entries, newest 500)",
                 lambda: timeline.read_log(uow(), sup, case_id))
        measured("search the case log for 'cctv council'",
                 lambda: timeline.read_log(uow(), sup, case_id, LogQuery("cctv council")))
        measured(f"export the case-file PDF ({n_entries} entries)", lambda: export.export_case_file(
            uow(), sup, case_id, "IOPC", folder / "file.pdf"))
        print(f"  case-file PDF: {(folder / 'file.pdf').stat().st_size / 1e6:.1f} MB", flush=True)
        db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--pg", default=None, help="a PostgreSQL server URL (a new database is made and dropped)")
    a = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"SQLite ({a.mb} MB document, {a.entries} entries):", flush=True)
        run(f"sqlite:///{tmp}/bench.db", a.mb, a.entries)
    if a.pg:
        name = f"ppda_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(a.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            print(f"PostgreSQL ({a.mb} MB document, {a.entries} entries):", flush=True)
            run(make_url(a.pg).set(database=name).render_as_string(hide_password=False), a.mb, a.entries)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
