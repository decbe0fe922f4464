"""The survey-return workbook, read back with openpyxl (and LibreOffice when it is installed)."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from app.domain.enums import CriminalOutcome, EmploymentStatus, MisconductOutcome, RestrictionOption
from app.domain.errors import InvalidInput
from app.reports import survey_return
from app.reports.counting import BUCKETS, Bucket
from app.reports.marking import MARKING
from app.reports.read_models import AllegationFact
from app.reports.survey_return import write_survey_return
from tests.unit.reports.report_factories import FactFactory, make_context

M = MisconductOutcome

RETURN_LABELS = [
    "Force",
    "Period start",
    "Period end",
    "Systems used to record misconduct allegations",
    "PPDA allegations recorded",
    "Individuals with PPDA allegations",
    "Workforce headcount",
    "Individuals as % of workforce",
    "Guidance restricting roles",
    "Guidance requiring external investigation",
    "Unable to provide",
]
OUTCOME_LABELS = [
    "NO_CASE_TO_ANSWER",
    "LEARNING_OUTCOME",
    "SUSPENSION",
    "RESTRICTED_DUTIES",
    "WRITTEN_WARNING",
    "FINAL_WRITTEN_WARNING",
    "REDUCTION_IN_RANK",
    "DISMISSED",
    "RESIGNED_OR_RETIRED",
    "CRIMINAL_CONVICTION",
    "ONGOING",
]


@pytest.fixture
def facts(fact: FactFactory) -> list[AllegationFact]:
    """Three people, four counted allegations and one outside the period."""
    return [
        fact(subject=1, recorded=date(2023, 4, 1), misconduct_outcomes=frozenset({M.NO_CASE_TO_ANSWER}),
             restrictions_imposed=frozenset({RestrictionOption.SUSPENDED}), outcome_date=date(2023, 9, 1)),
        fact(subject=1, recorded=date(2023, 11, 5), misconduct_outcomes=frozenset({M.REFLECTIVE_PRACTICE}),
             outcome_date=date(2024, 2, 1)),
        fact(subject=2, recorded=date(2024, 1, 10), subject_employment_status=EmploymentStatus.RESIGNED,
             subject_end_date=date(2024, 2, 1), criminal_outcome=CriminalOutcome.CONVICTED),
        fact(subject=3, recorded=date(2024, 3, 31), misconduct_outcomes=frozenset({M.DISMISSAL_WITHOUT_NOTICE}),
             restrictions_imposed=frozenset({RestrictionOption.RESTRICTED_DUTIES}), outcome_date=date(2024, 3, 31)),
        fact(subject=4, recorded=date(2024, 4, 1)),
    ]  # fmt: skip


EXPECTED_OUTCOMES = {
    "NO_CASE_TO_ANSWER": (1, 33.3),
    "LEARNING_OUTCOME": (1, 33.3),
    "SUSPENSION": (1, 33.3),
    "RESTRICTED_DUTIES": (1, 33.3),
    "WRITTEN_WARNING": (0, 0.0),
    "FINAL_WRITTEN_WARNING": (0, 0.0),
    "REDUCTION_IN_RANK": (0, 0.0),
    "DISMISSED": (1, 33.3),
    "RESIGNED_OR_RETIRED": (1, 33.3),
    "CRIMINAL_CONVICTION": (1, 33.3),
    "ONGOING": (1, 33.3),
}


def rows(ws: object) -> list[tuple[object, ...]]:
    return list(ws.iter_rows(values_only=True))  # type: ignore[attr-defined]


def test_return_sheet_has_the_exact_labels_order_and_answers(
    tmp_path: Path, facts: list[AllegationFact]
) -> None:
    out = tmp_path / "return.xlsx"
    write_survey_return(out, facts, make_context(headcount=2000))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Return", "Outcomes", "Allegations", "Notes"]
    ws = wb["Return"]
    got = rows(ws)
    assert got[0] == ("Question", "Answer")
    assert [r[0] for r in got[1:]] == RETURN_LABELS
    answers = dict(got[1:])
    assert answers["Force"] == "kent"
    assert answers["Period start"] == datetime(2023, 4, 1)
    assert answers["Period end"] == datetime(2024, 3, 31)
    assert answers["Systems used to record misconduct allegations"] == "Centurion"
    assert answers["PPDA allegations recorded"] == 4
    assert answers["Individuals with PPDA allegations"] == 3
    assert answers["Workforce headcount"] == 2000
    assert answers["Individuals as % of workforce"] == 0.15
    assert answers["Guidance restricting roles"] == "SOME"
    assert answers["Guidance requiring external investigation"] == "NONE"
    assert answers["Unable to provide"] is None
    assert ws["B3"].number_format == "yyyy-mm-dd"
    assert ws["B9"].number_format == "0.00"


def test_outcomes_sheet_has_every_bucket_in_order_with_one_decimal(
    tmp_path: Path, facts: list[AllegationFact]
) -> None:
    out = tmp_path / "return.xlsx"
    write_survey_return(out, facts, make_context())
    ws = openpyxl.load_workbook(out)["Outcomes"]
    got = rows(ws)
    assert got[0] == ("Outcome", "Individuals", "% of individuals")
    assert [r[0] for r in got[1:]] == OUTCOME_LABELS
    assert {r[0]: (r[1], r[2]) for r in got[1:]} == EXPECTED_OUTCOMES
    assert all(ws.cell(row=r, column=3).number_format == "0.0" for r in range(2, 13))


def test_allegations_sheet_traces_every_figure(tmp_path: Path, facts: list[AllegationFact]) -> None:
    out = tmp_path / "return.xlsx"
    write_survey_return(out, facts, make_context())
    ws = openpyxl.load_workbook(out)["Allegations"]
    header, *data = rows(ws)
    assert header[:3] == ("case_ref", "subject_staff_number", "recorded_date")
    assert list(header[3:14]) == OUTCOME_LABELS
    assert len(data) == 4
    assert [(r[1], r[2]) for r in data] == [
        ("S00001", datetime(2023, 4, 1)),
        ("S00001", datetime(2023, 11, 5)),
        ("S00002", datetime(2024, 1, 10)),
        ("S00003", datetime(2024, 3, 31)),
    ]
    for column, bucket in enumerate(BUCKETS, start=3):
        traced = {r[1] for r in data if r[column] == 1}
        assert len(traced) == EXPECTED_OUTCOMES[bucket.value][0], bucket
    first = dict(zip(header, data[0], strict=True))
    assert first["misconduct_outcomes"] == "No case to answer"  # the values in words, the labels fixed
    assert first["restrictions"] == "Suspended"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws["A1"].alignment.text_rotation == 90 and ws.row_dimensions[1].height >= 150
    assert first["outcome_date"] == datetime(2023, 9, 1)
    assert ws["C2"].number_format == "yyyy-mm-dd"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:T5"


def test_every_sheet_is_marked_and_notes_say_who_and_when(
    tmp_path: Path, facts: list[AllegationFact]
) -> None:
    out = tmp_path / "return.xlsx"
    write_survey_return(out, facts, make_context())
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        assert ws.oddHeader.center.text == MARKING, ws.title
        assert ws.oddFooter.center.text == MARKING, ws.title
        assert ws.oddFooter.right.text == "Page &P of &N"
    notes = dict(rows(wb["Notes"])[1:])
    assert notes["Marking"] == MARKING
    assert notes["Exported at"] == "2024-05-02T14:30:05"
    assert notes["Exported by"] == "jsmith"
    assert any(
        str(k).startswith("Counting rule") and "RESIGNED_OR_RETIRED" in str(v) for k, v in notes.items()
    )


def test_no_headcount_leaves_cells_blank_and_explains(tmp_path: Path, facts: list[AllegationFact]) -> None:
    out = tmp_path / "return.xlsx"
    write_survey_return(out, facts, make_context(headcount=None))
    answers = dict(rows(openpyxl.load_workbook(out)["Return"])[1:])
    assert answers["Workforce headcount"] is None
    assert answers["Individuals as % of workforce"] is None
    assert "no headcount is recorded" in str(answers["Unable to provide"])


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path, fact: FactFactory) -> None:
    out = tmp_path / "return.xlsx"
    write_survey_return(out, [fact(case_ref='=HYPERLINK("http://x")')], make_context(systems_used="=1+1"))
    wb = openpyxl.load_workbook(out)
    assert wb["Return"]["B5"].data_type == "s" and wb["Return"]["B5"].value == "=1+1"
    assert wb["Allegations"]["A2"].data_type == "s"


def test_an_empty_period_writes_headers_only(tmp_path: Path) -> None:
    out = tmp_path / "return.xlsx"
    write_survey_return(out, [], make_context())
    wb = openpyxl.load_workbook(out)
    assert len(rows(wb["Allegations"])) == 1
    assert dict(rows(wb["Return"])[1:])["PPDA allegations recorded"] == 0


def test_an_inconsistent_return_is_refused_and_nothing_is_written(tmp_path: Path, fact: FactFactory) -> None:
    out = tmp_path / "return.xlsx"
    with pytest.raises(InvalidInput, match=r"exceeds the workforce headcount \(1\)"):
        write_survey_return(out, [fact(subject=1), fact(subject=2)], make_context(headcount=1))
    assert not out.exists()


def test_a_failure_while_writing_leaves_the_previous_file_and_no_temporary_files(
    tmp_path: Path, facts: list[AllegationFact], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "return.xlsx"
    out.write_bytes(b"previous export")

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(survey_return, "replace_rows", crash)
    with pytest.raises(OSError, match="disk full"):
        write_survey_return(out, facts, make_context())
    assert out.read_bytes() == b"previous export"
    assert os.listdir(tmp_path) == ["return.xlsx"]


@pytest.mark.slow  # LibreOffice starts in about 10 s
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_the_same_figures(tmp_path: Path, facts: list[AllegationFact]) -> None:
    out = tmp_path / "return.xlsx"
    write_survey_return(out, facts, make_context(headcount=2000))
    csv_dir = tmp_path / "csv"
    # All sheets, UTF-8, values as displayed (so the number formats are checked too).
    options = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
         "--convert-to", options, "--outdir", str(csv_dir), str(out)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip

    def sheet(name: str) -> list[list[str]]:
        with open(csv_dir / f"return-{name}.csv", encoding="utf-8", newline="") as f:
            return list(csv.reader(f))

    answers = dict(sheet("Return")[1:])
    assert [r[0] for r in sheet("Return")[1:]] == RETURN_LABELS
    assert answers["Period start"] == "2023-04-01"
    assert answers["Period end"] == "2024-03-31"
    assert answers["PPDA allegations recorded"] == "4"
    assert answers["Individuals with PPDA allegations"] == "3"
    assert answers["Individuals as % of workforce"] == "0.15"
    outcomes = {r[0]: (int(r[1]), r[2]) for r in sheet("Outcomes")[1:]}
    assert outcomes == {k: (n, f"{p:.1f}") for k, (n, p) in EXPECTED_OUTCOMES.items()}
    header, *data = sheet("Allegations")
    for bucket in Bucket:
        column = header.index(bucket.value)
        assert len({r[1] for r in data if r[column] == "1"}) == outcomes[bucket.value][0]
    assert [r[2] for r in data] == ["2023-04-01", "2023-11-05", "2024-01-10", "2024-03-31"]
