"""The report commands as automation runs them: `aggregate` on files alone (no database is opened
or created, no account asked for), `export referrals` with its roles."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.reports.survey_return import write_survey_return
from tests.unit.reports.generated_forces import force_context, force_facts


def test_aggregate_reads_files_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("PPDA_USER", raising=False)
    monkeypatch.delenv("PPDA_PASSWORD", raising=False)
    monkeypatch.setenv("PPDA_DATA_DIR", str(tmp_path / "nowhere"))
    files = []
    for i, code in enumerate(("kent", "essex", "no-such-force")):
        files.append(tmp_path / f"{code}.xlsx")
        write_survey_return(files[-1], force_facts(i, 30), force_context(code, seed=i))
    out, pdf = tmp_path / "national.xlsx", tmp_path / "national.pdf"
    database = tmp_path / "never.db"
    code = main(["--db", f"sqlite:///{database}", "aggregate", *map(str, files), "--out", str(out), "--pdf", str(pdf)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "2 return(s) counted" in captured.out
    assert "NOT COUNTED no-such-force.xlsx: names force 'no-such-force', which is not a force code" in captured.err
    assert not database.exists() and not list((tmp_path / "nowhere").rglob("*.db"))  # only the program's log
    assert openpyxl.load_workbook(out)["National"]["B4"].value == 2
    assert pdf.read_bytes().startswith(b"%PDF")
    assert main(["aggregate", str(tmp_path / "missing.xlsx"), "--out", str(out)]) == 1
    assert "No such file" in capsys.readouterr().err
