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
    lead = env.user("lead", Role.FORCE_LEAD)
    out = tmp_path / "r.xlsx"
    count = reporting.survey_return(env.uow(), lead, 2025, out)
    assert (count.figures.allegations, count.figures.individuals) == (3, 2)
    answers = _answers(out)
    assert answers["Force"] and answers["PPDA allegations recorded"] == 3
    assert answers["Individuals with PPDA allegations"] == 2 and answers["Workforce headcount"] == 4000
    assert answers["Guidance restricting roles"] == "SOME" and answers["Guidance requiring external investigation"] == "NONE"
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
