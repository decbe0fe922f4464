"""Generator 3 (benchmarks/matching_data3.py): the same seed writes the same files, and the files it writes
are accepted by ``import workforce`` and ``import notices --accept-unsigned`` and washed by ``match``."""

from __future__ import annotations

import csv
import importlib
import io
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from app.cli import main
from tests.helpers import PASSWORD

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
FILES = ("workforce.csv", "pnd-extract.csv", "truth.csv", "truth-classes.csv")


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, ModuleType]:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module("matching_data3"), importlib.import_module("matching_commands")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_same_seed_writes_the_same_files_and_another_seed_others(bench, tmp_path: Path) -> None:
    data3, commands = bench
    a = data3.write(tmp_path / "a", 300, 3000, 11)
    data3.write(tmp_path / "b", 300, 3000, 11)
    data3.write(tmp_path / "c", 300, 3000, 12)
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (tmp_path / "a" / "pnd-extract.csv").read_bytes() != (tmp_path / "c" / "pnd-extract.csv").read_bytes()
    _, _, answers = a
    notices = _rows(tmp_path / "a" / "pnd-extract.csv")
    register = {r["staff_number"] for r in _rows(tmp_path / "a" / "workforce.csv")}
    assert len(notices) == 3000 and len(register) == 300
    assert len(answers) == 30 and set(answers.values()) <= register  # 1 % true, each about a member
    assert {r["issuer_notice"]: r["staff_number"] for r in _rows(tmp_path / "a" / "truth.csv")} == answers
    classes = _rows(tmp_path / "a" / "truth-classes.csv")
    assert [r["issuer_notice"] for r in classes] == [f"PND|{n['notice_id']}" for n in notices]
    assert {r["issuer_notice"] for r in classes if r["kind"] == "TRUE"} == set(answers)
    # the columns matching_commands.write_files writes, and valid notices (FORMATS.md)
    with (tmp_path / "a" / "pnd-extract.csv").open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == ["notice_id", "issuing_force", "notice_date", "record_type", "surname", "forenames",
                      "date_of_birth", "staff_number", "warrant_number", "pnc_id", "employing_force"]
    forces = {"", commands.HOME_CODE, *commands.FORCE_CODES}
    for n in notices:
        assert n["issuing_force"] == "PND" and n["employing_force"] in forces
        assert n["surname"].strip() and n["forenames"].strip()
        born = n["date_of_birth"]
        if len(born) == 10:
            assert date.fromisoformat(born) <= date.fromisoformat(n["notice_date"]) <= date.today()
        else:
            assert born == "" or (len(born) == 4 and int(born) <= date.today().year)


def test_the_commands_accept_the_files_and_the_analysis_reads_the_report(
        bench, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    data3, commands = bench
    workforce, extract, _ = data3.write(tmp_path, 200, 2000, 5)
    monkeypatch.setenv("PPDA_NEW_PASSWORD", PASSWORD)
    monkeypatch.setenv("PPDA_PASSWORD", PASSWORD)

    def cli(*args: str) -> int:
        return main(["--db", db_url, *args])

    assert cli("init", "--force", commands.HOME_CODE, "--admin", "admin") == 0
    assert cli("--user", "admin", "user", "add", "head", "--role", "HEAD_OF_PSD") == 0
    capsys.readouterr()
    assert cli("--user", "head", "import", "workforce", str(workforce)) == 0
    assert cli("--user", "head", "import", "notices", str(extract), "--accept-unsigned") == 0
    assert "2000 added" in capsys.readouterr().out
    report = tmp_path / "match-report.csv"
    assert cli("--user", "head", "match", "--out", str(report)) == 0
    out = io.StringIO()
    result = data3.analyse(tmp_path, 1, out)
    assert out.getvalue().startswith("true notices 20;")
    assert result["missed"] <= 20
