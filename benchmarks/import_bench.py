"""Benchmark: import a 100,000-row cases file on SQLite (issue 2: target under 60 s).

    python benchmarks/import_bench.py [--rows 100000] [--db sqlite:////tmp/bench-import.db]

Generates a workforce register and a cases file (one row per allegation, ~1.2 allegations per
case), imports both through the real services, and prints the timings. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from app.domain.enums import Role
from app.persistence import migrate
from app.persistence.database import open_database
from app.persistence.uow import UnitOfWork
from app.services import installation, users
from app.services.imports.cases import import_cases
from app.services.imports.workforce import import_workforce

PASSWORD = "Benchmark-Password-1"
ABUSE = ["PHYSICAL", "SEXUAL", "COERCIVE_CONTROL", "ECONOMIC", "EMOTIONAL_PSYCHOLOGICAL", "STALKING_HARASSMENT",
         "THREATS"]


def write_workforce(path: Path, people: int, rng: random.Random) -> None:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["staff_number", "surname", "forenames", "date_of_birth", "workforce_type", "rank_or_grade", "unit"])
        for i in range(people):
            dob = date(1960, 1, 1) + timedelta(days=rng.randrange(15000))
            w.writerow([f"S{i:06d}", f"Surname{i % 5000}", f"Forename{i % 700}", dob.isoformat(), "POLICE_OFFICER",
                        "PC", f"Unit {i % 40}"])


def write_cases(path: Path, rows: int, people: int, rng: random.Random) -> None:
    header = ["case_ref", "recorded_date", "reporting_route", "case_type", "subject_staff_number", "victim_ref",
              "victim_relationship", "abuse_types", "dash_risk", "threshold_met_date", "restrictions",
              "restriction_date", "misconduct_outcomes", "outcome_date"]
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        case_no = 0
        written = 0
        while written < rows:
            case_no += 1
            recorded = date(2019, 1, 1) + timedelta(days=rng.randrange(2400))
            risk = rng.choice(["STANDARD", "MEDIUM", "HIGH"])
            subjects = rng.sample(range(people), k=min(rows - written, 1 if rng.random() < 0.85 else 2))
            for s in subjects:
                restricted = rng.random() < 0.5
                done = rng.random() < 0.7
                w.writerow([f"PSD-{recorded.year}-{case_no:06d}", recorded.isoformat(), "VICTIM_DIRECT",
                            "CONDUCT_MATTER", f"S{s:06d}", f"V{case_no}", "FORMER_PARTNER",
                            ";".join(rng.sample(ABUSE, 2)), risk, (recorded + timedelta(days=1)).isoformat(),
                            "RESTRICTED_DUTIES" if restricted else "",
                            (recorded + timedelta(days=2)).isoformat() if restricted else "",
                            "NO_CASE_TO_ANSWER" if done else "",
                            (recorded + timedelta(days=200)).isoformat() if done else ""])
                written += 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--people", type=int, default=50_000)
    ap.add_argument("--db", default=None)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ppda-bench-"))
    url = args.db or f"sqlite:///{tmp / 'bench.db'}"
    rng = random.Random(7)
    wf, cases = tmp / "workforce.csv", tmp / "cases.csv"
    write_workforce(wf, args.people, rng)
    write_cases(cases, args.rows, args.people, rng)
    db = open_database(url)
    migrate.upgrade(db, backup=False)
    uow = lambda: UnitOfWork(db.session_factory)  # noqa: E731
    admin = installation.initialise(uow(), "west-midlands", "admin", PASSWORD)
    head = users.add_user(uow(), admin, "head", {Role.HEAD_OF_PSD}, PASSWORD)
    t0 = time.perf_counter()
    print(import_workforce(uow(), admin, wf), f"in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    print(import_cases(uow(), head, cases), f"in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    print(import_cases(uow(), head, cases), f"(re-import, idempotent) in {time.perf_counter() - t0:.1f} s")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; database {db.describe()}")


if __name__ == "__main__":
    main()
