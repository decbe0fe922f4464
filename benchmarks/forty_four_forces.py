"""44 forces made by the demo generator (each force code, its own seed and size), each one's annual
report and survey return through the command line as its force lead, then `aggregate` over the 44
returns with the national PDF. Checks what a reader could do with the printed pages: every report's
disclosure check passed, and the pencil-and-paper reader of tests/unit/reports/attacker.py narrows
no `<5` in the national report's per-force tables.

    python benchmarks/forty_four_forces.py /tmp/fig44 [--year 2026] [--jobs 2]

Results: docs/benchmarks.md, "44 generated forces: annual reports and the national report"."""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.forces import FORCES
from app.services.demo.build import DEMO_PASSWORD

PY = [sys.executable, "-m", "app"]


def size(i: int) -> int:
    """Cases in the demo: a few tiny forces, most tens, a few hundreds (log-normal)."""
    return max(4, min(400, int(random.Random(1000 + i).lognormvariate(3.7, 0.9))))


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PPDA_PASSWORD": DEMO_PASSWORD, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([*PY, *args], capture_output=True, text=True, env=env, check=False)


def one_force(folder: Path, i: int, code: str, year: int) -> tuple[str, int, str, str, float]:
    started = time.perf_counter()
    db = f"sqlite:///{folder / code}.db"
    if not (folder / f"{code}.db").exists():
        made = run(["--db", db, "demo", "--cases", str(size(i)), "--seed", str(i), "--force", code])
        if made.returncode:
            return code, size(i), "demo failed", made.stderr[-400:], time.perf_counter() - started
    report = run(["--db", db, "--user", "force.lead", "report", "annual", "--year", str(year),
                  "--out", str(folder / f"{code}-annual-{year}.pdf")])
    ret = run(["--db", db, "--user", "force.lead", "export", "survey-return", "--year", str(year),
               "--out", str(folder / "returns" / f"{code}-{year}.xlsx")])
    status = "ok" if report.returncode == 0 and ret.returncode == 0 else "FAILED"
    detail = (report.stdout + report.stderr + ret.stdout + ret.stderr).strip().replace("\n", " | ")
    return code, size(i), status, detail, time.perf_counter() - started


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--check-only", action="store_true",
                        help="make nothing: check the reports and aggregate the returns already in FOLDER")
    a = parser.parse_args()
    (a.folder / "returns").mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    failed = 0
    if not a.check_only:
        with ThreadPoolExecutor(a.jobs) as pool:
            results = list(pool.map(lambda pair: one_force(a.folder, pair[0], pair[1], a.year), enumerate(FORCES)))
        for code, n, status, detail, seconds in results:
            failed += status != "ok"
            print(f"{code:28} {n:4} cases  {status:6} {seconds:5.1f}s  {detail[:160]}")
    reports = sorted(a.folder.glob(f"*-annual-{a.year}.pdf"))
    passed = sum("Disclosure check: Passed." in pdf_text(p) for p in reports)
    print(f"annual reports whose method page says 'Disclosure check: Passed.': {passed} of {len(reports)} written "
          f"({len(FORCES)} forces)")
    national = run(["aggregate", *map(str, sorted((a.folder / "returns").glob("*.xlsx"))),
                    "--out", str(a.folder / "national.xlsx"), "--pdf", str(a.folder / "national.pdf")])
    print("aggregate:", national.returncode, (national.stdout + national.stderr).strip()[-300:])
    if national.returncode:
        return 1
    from tests.unit.reports.attacker import attack
    from tests.unit.reports.test_report_national import _force_rows

    text = pdf_text(a.folder / "national.pdf")
    print("national PDF disclosure check:", re.search(r"Disclosure check: (\w+)", text).group(1))  # type: ignore[union-attr]
    found = []
    for half, width in ((1, 6), (2, 5)):
        rows = _force_rows(text, f"Part {half} of 2", width)
        found += attack(rows[:-1], rows[-1], None, [], adding_columns=range(width), strict=3)
        print(f"national per-force outcomes part {half}: {len(rows) - 1} force rows, "
              f"{sum(r.count('<5') for r in rows)} shown as <5, {sum(r.count('[c]') for r in rows)} withheld as [c]")
    print("counts under 5 the pencil-and-paper reader narrowed:", found or "none")
    print(f"wall {time.perf_counter() - started:.0f} s; {failed} force(s) failed")
    return 1 if failed or found else 0


if __name__ == "__main__":
    raise SystemExit(main())
