"""Exports through the services on both databases: figures traced to the records, roles checked,
each file logged as a disclosure."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.domain.enums import Role
from app.domain.errors import InvalidInput, PermissionDenied
from app.persistence.models import AccessLogRow
from app.services import installation, policies, reporting
from app.services.imports.cases import import_cases
from app.services.imports.workforce import import_workforce
from tests.helpers import Env, force_env, write_csv
from tests.integration.test_imports import CASE_HEADER, CASE_ROWS, WF_HEADER, WF_ROWS


@pytest.fixture
def env(db_url: str, tmp_path: Path):
    with force_env(db_url) as e:
        import_workforce(e.uow(), e.admin, write_csv(tmp_path / "wf.csv", WF_HEADER, WF_ROWS))
        rows = [r[:] for r in CASE_ROWS]
        rows[2][13], rows[2][14] = "NO_CASE_TO_ANSWER", "2024-09-01"  # Mark Jones, case 2: an outcome
        import_cases(e.uow(), e.user("head", Role.HEAD_OF_PSD), write_csv(tmp_path / "c.csv", CASE_HEADER, rows))
        installation.set_headcount(e.uow(), e.admin, 2025, 4000)
        from datetime import date

        policies.set_policy(e.uow(), e.admin, "role-restriction-guidance", "SOME", date(2024, 1, 1),
                            reason="Guidance in force since 1 January 2024")
        yield e


def _answers(path: Path) -> dict[str, object]:
    wb = openpyxl.load_workbook(path)
    return {row[0]: row[1] for row in wb["Return"].iter_rows(min_row=1, values_only=True) if row[0]}


def test_survey_return_figures_and_disclosure(env: Env, tmp_path: Path) -> None:
    lead = env.user("lead", Role.IOPC_LIAISON)  # reads referred cases: gets the Allegations sheet (FORMATS.md)
    out = tmp_path / "r.xlsx"
    count = reporting.survey_return(env.uow(), lead, 2025, out)
    assert (count.figures.allegations, count.figures.individuals) == (3, 2)
    answers = _answers(out)
    assert answers["Force"] and answers["PPDA allegations recorded"] == 3
    assert answers["Individuals with PPDA allegations"] == 2 and answers["Workforce headcount"] == 4000
    assert answers["Guidance restricting roles"] == "SOME"
    assert answers["Guidance requiring external investigation"] == "NONE"
    wb = openpyxl.load_workbook(out)
    outcomes = {r[0]: r[1] for r in wb["Outcomes"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert outcomes["NO_CASE_TO_ANSWER"] == 1 and outcomes["ONGOING"] == 2 and outcomes["RESTRICTED_DUTIES"] == 1
    traced = [r for r in wb["Allegations"].iter_rows(min_row=2, values_only=True) if r and r[0]]
    assert {r[1] for r in traced if str(r[0]).startswith("PSD-")} == {"S001", "S002"}
    with env.uow() as uow:
        log = uow.session.scalar(select(AccessLogRow).where(AccessLogRow.record_type == "survey_return"))
        assert log is not None and log.operation == "DISCLOSURE" and log.username == "lead"


def test_exports_check_roles_and_input(env: Env, tmp_path: Path) -> None:
    inv = env.user("inv", Role.INVESTIGATOR)
    with pytest.raises(PermissionDenied):
        reporting.survey_return(env.uow(), inv, 2025, tmp_path / "x.xlsx")
    liaison = env.user("iopc", Role.IOPC_LIAISON)
    with pytest.raises(PermissionDenied, match="annual report"):
        reporting.annual_report(env.uow(), liaison, 2025, tmp_path / "x.pdf")
    with pytest.raises(InvalidInput, match="not a survey year"):
        reporting.survey_return(env.uow(), liaison, 1999, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_outcomes_and_annual_report_are_written(env: Env, tmp_path: Path) -> None:
    head = env.user("head2", Role.HEAD_OF_PSD)
    from datetime import date

    reporting.outcome_breakdowns(env.uow(), head, date(2024, 4, 1), date(2025, 3, 31), tmp_path / "o.xlsx")
    assert "Summary" in openpyxl.load_workbook(tmp_path / "o.xlsx").sheetnames
    reporting.annual_report(env.uow(), head, 2025, tmp_path / "a.pdf")
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")


def test_a_force_lead_gets_no_case_level_sheet_and_protected_outcomes(env: Env, tmp_path: Path) -> None:
    lead = env.user("lead2", Role.FORCE_LEAD)
    out = tmp_path / "r.xlsx"
    reporting.survey_return(env.uow(), lead, 2025, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Return", "Outcomes", "Notes"]
    notes = {r[0]: r[1] for r in wb["Notes"].iter_rows(values_only=True) if r[0]}
    assert "aggregate-only access" in notes["Allegations"]
    assert "S001" not in str([c for ws in wb for row in ws.iter_rows(values_only=True) for c in row])
    supervisor = env.user("sup", Role.SUPERVISOR)
    reporting.survey_return(env.uow(), supervisor, 2025, tmp_path / "full.xlsx")
    assert "Allegations" in openpyxl.load_workbook(tmp_path / "full.xlsx").sheetnames

    from datetime import date

    reporting.outcome_breakdowns(env.uow(), lead, date(2024, 4, 1), date(2025, 3, 31), tmp_path / "o.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "o.xlsx")
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(min_row=6, values_only=True) if r[0]}
    assert summary["PPDA allegations recorded"] == "<5"  # 3 allegations: never printed to aggregate-only readers
    notes = [r[1] for r in wb["Notes"].iter_rows(values_only=True) if r[0] == "Disclosure check"]
    assert notes and notes[0].startswith("Passed.")
    with env.uow() as uow:
        details = list(uow.session.scalars(select(AccessLogRow.detail).where(AccessLogRow.username == "lead2")))
    assert any("(aggregate sheets only)" in (d or "") for d in details)
    assert any("(protected figures)" in (d or "") for d in details)


def test_the_window_aggregation_logs_both_files(env: Env, tmp_path: Path) -> None:
    head = env.user("head3", Role.HEAD_OF_PSD)
    ret = tmp_path / "west-midlands.xlsx"
    reporting.survey_return(env.uow(), head, 2025, ret)
    result = reporting.aggregate(env.uow(), head, [ret], tmp_path / "n.xlsx", tmp_path / "n.pdf")
    assert len(result.counted) == 1 and (tmp_path / "n.pdf").read_bytes().startswith(b"%PDF")
    with env.uow() as uow:
        kinds = set(uow.session.scalars(select(AccessLogRow.record_type).where(AccessLogRow.username == "head3")))
    assert {"national_aggregation", "national_report"} <= kinds
    investigator = env.user("inv3", Role.INVESTIGATOR)
    with pytest.raises(PermissionDenied):
        reporting.aggregate(env.uow(), investigator, [ret], tmp_path / "x.xlsx")
