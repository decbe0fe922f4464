"""The whole data wash through the real commands, as a force would run it (issue 14):

    python benchmarks/matching_commands.py --generator 2 --people 20000 --notices 200000 --seed 3
    python benchmarks/matching_commands.py --generator 1 --people 50000 --notices 1000000 --seed 7 \
        --db postgresql+psycopg://postgres@127.0.0.1:5432/bench_h8

Writes a workforce register and a PND-style notice file (CSV, FORMATS.md) from generator 1, 2 or 3
(benchmarks/matching_data3.py, written blind to the engine and the other two) with the truth kept aside,
then runs ``ppda-tracker init``, ``user add``, ``import workforce``,
``import notices FILE --accept-unsigned`` and ``match --out report.csv`` as separate processes, each
timed by /usr/bin/time (wall, CPU, peak RSS), and scores the match report against the truth:
auto precision, auto recall, recall of auto or review, review rows, NO_DOB rows. The load average
of the machine is printed before and after (the machine is shared). ``--splink`` then links the
same two files with Splink in its own environment, side by side (benchmarks/matching_splink.py).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import matching_data2
import matching_data3
from matching_data import NamePool, make_notices, make_register

from app.domain.matching import NoticeEntry, RegisterEntry

HOME_CODE = "north-yorkshire"
PASSWORD = "Benchmark-Password-1"
FORCE_CODES = ["avon-and-somerset", "bedfordshire", "cambridgeshire", "cheshire", "cleveland", "cumbria",
               "derbyshire", "devon-and-cornwall", "dorset", "durham", "essex", "gloucestershire",
               "greater-manchester", "hampshire-and-isle-of-wight", "hertfordshire", "humberside", "kent",
               "lancashire", "leicestershire", "lincolnshire", "merseyside", "metropolitan", "norfolk",
               "northamptonshire", "nottinghamshire", "south-yorkshire", "staffordshire", "suffolk", "surrey",
               "sussex", "thames-valley", "warwickshire", "west-midlands", "west-yorkshire", "wiltshire", "dyfed-powys"]
LISTS = {"PND": "PND", "COLLEGE_BARRED_LIST": "COLLEGE_BARRED_LIST", "COLLEGE_ADVISORY_LIST": "COLLEGE_ADVISORY_LIST"}


def force_code(code: str | None, home: str) -> str:
    """The generators' short codes as the force codes of FORMATS.md (one fixed code per short code)."""
    if not code:
        return ""
    if code == home:
        return HOME_CODE
    if code in LISTS:
        return LISTS[code]
    return FORCE_CODES[sum(map(ord, code)) % len(FORCE_CODES)]


def generate(args: argparse.Namespace) -> tuple[list[RegisterEntry], list[NoticeEntry], list[int], str]:
    if args.generator == 2:
        made = matching_data2.generate(args.seed, args.people, args.notices)
        return made.register, made.notices, made.truth, matching_data2.HOME
    rng = random.Random(args.seed)
    pool = NamePool(rng)
    members = make_register(rng, pool, args.people)
    data = make_notices(rng, pool, members, args.notices)
    return [m.entry for m in members], data.notices, data.truth, "NYP"


def write_files(folder: Path, register: list[RegisterEntry], notices: list[NoticeEntry], truth: list[int],
                home: str) -> tuple[Path, Path, dict[str, str]]:
    workforce, extract = folder / "workforce.csv", folder / "pnd-extract.csv"
    staff = {r.person_id: r.staff_number for r in register}
    with workforce.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["staff_number", "warrant_number", "surname", "forenames", "previous_names", "date_of_birth",
                    "workforce_type"])
        for r in register:
            w.writerow([r.staff_number, r.warrant_number or "", r.surname, r.forenames, ";".join(r.previous_names),
                        r.date_of_birth.isoformat() if r.date_of_birth else "", "POLICE_OFFICER"])
    answers: dict[str, str] = {}
    with extract.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["notice_id", "issuing_force", "notice_date", "record_type", "surname", "forenames", "date_of_birth",
                    "staff_number", "warrant_number", "pnc_id", "employing_force"])
        for n, person in zip(notices, truth, strict=True):
            born = "" if n.date_of_birth is None else (
                str(n.date_of_birth.year) if n.dob_year_only else n.date_of_birth.isoformat())
            if n.date_of_birth is not None and n.date_of_birth > date.today():
                born = ""  # generator 2 can make a son born in the future (or shift a date past today); refused
            issuer = "PND"  # an extract from the Police National Database: an unsigned file is accepted
            w.writerow([n.notice_id, issuer, "2026-10-01", "INTELLIGENCE", n.surname.strip() or "Unknown",
                        n.forenames.strip() or "Unknown", born, n.staff_number or "", n.warrant_number or "",
                        n.pnc_id or "",
                        force_code(n.employing_force, home)])
            if person:
                answers[f"{issuer}|{n.notice_id}"] = staff[person]
    return workforce, extract, answers


@dataclass
class Run:
    label: str
    wall: float
    cpu: float
    rss_mb: float
    code: int
    out: str


def run(label: str, args: list[str], env: dict[str, str]) -> Run:
    """One command under /usr/bin/time -v: wall, user+system CPU, peak RSS."""
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "app", *args]
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    stats = done.stderr
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", stats))
    rss = float(re.search(r"Maximum resident set size \(kbytes\): (\d+)", stats).group(1)) / 1024  # type: ignore[union-attr]
    result = Run(label, wall, cpu, rss, done.returncode,
                 (done.stdout + done.stderr.split("\tCommand being timed")[0]).strip())
    print(f"{label:28} exit {done.returncode}  wall {wall:7.1f} s  CPU {cpu:7.1f} s  peak RSS {rss:7.0f} MB")
    if done.returncode:
        print(result.out[-3000:])
    return result


def score(report: Path, answers: dict[str, str]) -> dict[str, float]:
    auto, review, undated = [], [], 0
    with report.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = f"{row['issuing_force']}|{row['notice_id']}"
            right = answers.get(key) == row["staff_number"]
            if row["decision"] == "MATCH":
                auto.append((key, right))
            elif row["decision"] == "REVIEW":
                review.append((key, right))
            else:
                undated += 1
    found_auto = {k for k, ok in auto if ok}
    found_any = found_auto | {k for k, ok in review if ok}
    return {"auto precision": sum(ok for _, ok in auto) / max(len(auto), 1),
            "auto recall": len(found_auto) / max(len(answers), 1),
            "recall (auto or review)": len(found_any) / max(len(answers), 1),
            "review rows": len(review), "true notices": len(answers), "NO_DOB rows": undated}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--generator", type=int, choices=(1, 2, 3), default=2,
                    help="3: benchmarks/matching_data3.py, written blind (it also writes truth-classes.csv)")
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--notices", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--db", help="database URL (default: an SQLite file in the work folder)")
    ap.add_argument("--folder", type=Path, help="work folder (default: a new temporary one)")
    ap.add_argument("--splink", action="store_true",
                    help="then run Splink on the same files (benchmarks/matching_splink.py)")
    args = ap.parse_args(argv)
    folder = args.folder or Path(tempfile.mkdtemp(prefix="ppda-h8-wash-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"load average before: {os.getloadavg()}; folder {folder}")
    if args.generator == 3:  # writes its own files (same columns as write_files) and truth.csv
        workforce, extract, answers = matching_data3.write(folder, args.people, args.notices, args.seed)
    else:
        register, notices, truth, home = generate(args)
        workforce, extract, answers = write_files(folder, register, notices, truth, home)
        with (folder / "truth.csv").open("w", newline="", encoding="utf-8") as fh:  # for matching_splink.py
            csv.writer(fh).writerows([["issuer_notice", "staff_number"], *answers.items()])
        del register, notices, truth
    url = args.db or f"sqlite:///{folder / 'psd.db'}"
    env = {**os.environ, "PPDA_DATA_DIR": str(folder / "data"), "PPDA_NEW_PASSWORD": PASSWORD,
           "PPDA_PASSWORD": PASSWORD}
    env.pop("PPDA_DB_URL", None)
    base = ["--db", url]
    run("init", [*base, "init", "--force", HOME_CODE, "--admin", "admin"], env)
    run("user add head", [*base, "--user", "admin", "user", "add", "head", "--role", "HEAD_OF_PSD"], env)
    run("import workforce", [*base, "--user", "head", "import", "workforce", str(workforce)], env)
    imported = run("import notices",
                   [*base, "--user", "head", "import", "notices", str(extract), "--accept-unsigned"], env)
    report = folder / "match-report.csv"
    washed = run("match --out", [*base, "--user", "head", "match", "--out", str(report)], env)
    print(imported.out.splitlines()[-1] if imported.out else "")
    print(washed.out.splitlines()[-1] if washed.out else "")
    if report.exists():
        for name, value in score(report, answers).items():
            print(f"{name:26} {value:.4f}" if isinstance(value, float) else f"{name:26} {value:,}")
    print(f"load average after: {os.getloadavg()}")
    if args.splink:
        subprocess.run([sys.executable, str(Path(__file__).with_name("matching_splink.py")), "--folder", str(folder)],
                       check=False)


if __name__ == "__main__":
    main()
