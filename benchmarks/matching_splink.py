"""Splink, the Ministry of Justice's record-linkage library, on the same files as the engine, set up
as a government analyst would from Splink's own tutorials (never a dependency of the product):

    python benchmarks/matching_splink.py --folder FOLDER   # a folder written by matching_commands.py

The first run makes a virtual environment of its own (``--venv``, default ~/.cache/ppda-splink-venv)
and installs Splink into it with pip, then runs itself there. The model: forename and surname
(NameComparison, term-frequency adjusted) and date of birth (DateOfBirthComparison); predictions
blocked on forename and surname, surname and date of birth, forename and date of birth; the prior
from a deterministic rule (recall 0.7), u from random sampling, m by EM blocked on date of birth
and on surname. Pairs from 0.9 are counted as automatic, from 0.15 as review — the engine's
thresholds — and scored against the truth like the engine's report. Wall and CPU time and peak
RSS are measured in the same process.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

SPLINK = "splink>=4,<6"


def ensure_venv(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", SPLINK], check=True)
    return python


def load(con: object, folder: Path) -> None:
    con.execute(f"""create table register as select staff_number as unique_id,
        lower(split_part(forenames, ' ', 1)) as first_name, lower(surname) as surname,
        cast(date_of_birth as varchar) as dob from read_csv('{folder / "workforce.csv"}', all_varchar=true)""")  # type: ignore[attr-defined]
    con.execute(f"""create table extract as select issuing_force || '|' || notice_id as unique_id,
        lower(split_part(trim(forenames), ' ', 1)) as first_name, lower(trim(surname)) as surname,
        case when length(date_of_birth) = 10 then date_of_birth else null end as dob
        from read_csv('{folder / "pnd-extract.csv"}', all_varchar=true)""")  # type: ignore[attr-defined]


def link(folder: Path) -> list[tuple[str, str, float]]:
    import duckdb
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    con = duckdb.connect()
    load(con, folder)
    db = DuckDBAPI(con)
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
                     cl.NameComparison("surname").configure(term_frequency_adjustments=True),
                     cl.DateOfBirthComparison("dob", input_is_string=True)],
        blocking_rules_to_generate_predictions=[block_on("first_name", "surname"), block_on("surname", "dob"),
                                                block_on("first_name", "dob")],
    )
    linker = Linker([db.register("register"), db.register("extract")], settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    predictions = linker.inference.predict(threshold_match_probability=0.15)
    rows = predictions.as_duckdbpyrelation().fetchall()
    columns = [c.lower() for c in predictions.as_duckdbpyrelation().columns]
    left, right, score = columns.index("unique_id_l"), columns.index("unique_id_r"), columns.index("match_probability")
    out = []
    for row in rows:
        a, b = str(row[left]), str(row[right])
        staff, notice = (a, b) if "|" in b else (b, a)
        out.append((notice, staff, float(row[score])))
    return out


def score(pairs: list[tuple[str, str, float]], truth: dict[str, str]) -> dict[str, float]:
    auto = [(n, s) for n, s, p in pairs if p >= 0.9]
    review = [(n, s) for n, s, p in pairs if 0.15 <= p < 0.9]
    found_auto = {n for n, s in auto if truth.get(n) == s}
    found = found_auto | {n for n, s in review if truth.get(n) == s}
    return {"auto precision": sum(truth.get(n) == s for n, s in auto) / max(len(auto), 1),
            "auto recall": len(found_auto) / max(len(truth), 1),
            "recall (auto or review)": len(found) / max(len(truth), 1),
            "review rows": len(review), "true notices": len(truth)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", type=Path, required=True)
    ap.add_argument("--venv", type=Path, default=Path.home() / ".cache" / "ppda-splink-venv")
    ap.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if not args.inside:
        python = ensure_venv(args.venv)
        sys.exit(
            subprocess.run([str(python), __file__, "--folder", str(args.folder), "--inside"], check=False).returncode
        )
    with (args.folder / "truth.csv").open(encoding="utf-8") as fh:
        truth = {row["issuer_notice"]: row["staff_number"] for row in csv.DictReader(fh)}
    print(f"Splink: load average before {os.getloadavg()}")
    start, cpu = time.perf_counter(), time.process_time()
    pairs = link(args.folder)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Splink                       wall {wall:7.1f} s  CPU {cpu:7.1f} s  peak RSS {rss:7.0f} MB")
    for name, value in score(pairs, truth).items():
        print(f"{name:26} {value:.4f}" if isinstance(value, float) else f"{name:26} {value:,}")


if __name__ == "__main__":
    main()
