"""Imported historical cases (FORMATS.md "Cases") owe the same work-queue items as cases made in
the application, the same services continue them, and imported outcomes obey the outcome matrix."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.enums import DueItemKind, Role
from app.domain.enums import RestrictionOption as R
from app.domain.errors import ImportRejected
from app.domain.workflow import SuspensionConditions
from app.persistence.models import AllegationRow, CaseRow, PersonRow
from app.services import casework as cw
from app.services import clock, queue
from app.services.imports.cases import import_cases
from app.services.imports.workforce import import_workforce
from tests.helpers import Env, force_env, write_csv
from tests.integration.test_imports import CASE_HEADER, CASE_ROWS, WF_HEADER, WF_ROWS

SUSPEND = SuspensionConditions(redeployment_considered_not_appropriate=True, investigation_may_be_prejudiced=True)


@pytest.fixture
def env(db_url: str, tmp_path: Path) -> Iterator[Env]:
    clock.pin(datetime(2024, 7, 10, 9, 0))
    with force_env(db_url) as e:
        head = e.user("head", Role.HEAD_OF_PSD)
        import_workforce(e.uow(), head, write_csv(tmp_path / "wf.csv", WF_HEADER, WF_ROWS))
        yield e
    clock.pin(None)


def ids(env: Env, reference: str, staff_number: str) -> tuple[int, int]:
    with env.uow() as uow:
        case_id, aid = uow.session.execute(
            select(CaseRow.id, AllegationRow.id).join(AllegationRow, AllegationRow.case_id == CaseRow.id)
            .join(PersonRow, PersonRow.id == AllegationRow.subject_id)
            .where(CaseRow.reference == reference, PersonRow.staff_number == staff_number)).one()
        return case_id, aid


def owed(env: Env, user: object, *kinds: DueItemKind) -> list[list[str]]:
    items = queue.work_queue(env.uow(), user, everyone=True)  # type: ignore[arg-type]
    return [i.csv_row() for i in items if i.item in kinds]


def test_imported_open_cases_owe_the_formats_queue_items_and_the_services_continue_them(
        env: Env, tmp_path: Path) -> None:
    sup = env.user("sup", Role.SUPERVISOR)
    import_cases(env.uow(), sup, write_csv(tmp_path / "cases.csv", CASE_HEADER, CASE_ROWS))
    kinds = (DueItemKind.RESTRICTION_DECISION, DueItemKind.SUSPENSION_ON_CHARGE)
    assert owed(env, sup, *kinds) == [
        # threshold met, no restrictions, no outcome: a restriction decision (2 working days; 6 May 2024 was a
        # bank holiday)
        ["PSD-2024-000001", "RESTRICTION_DECISION", "2024-05-07", "Y", "SUPERVISOR",
         "Jane Smith: threshold met 2024-05-02"],
        # charged, no suspension, no outcome: suspension on charge (1 working day)
        ["PSD-2024-000002", "SUSPENSION_ON_CHARGE", "2024-07-02", "Y", "SUPERVISOR", "Mark Jones: charge 2024-07-01"],
    ]
    first, jane = ids(env, "PSD-2024-000001", "S001")
    second, mark = ids(env, "PSD-2024-000002", "S002")
    cw.record_restriction(env.uow(), sup, first, jane, [R.NO_CONTACT_WITH_VICTIMS_OR_WITNESSES])
    cw.record_restriction(env.uow(), sup, second, mark, [R.SUSPENDED], conditions=SUSPEND)
    assert owed(env, sup, *kinds) == []
    with env.uow() as uow:
        status = uow.session.scalar(select(PersonRow.employment_status).where(PersonRow.staff_number == "S002"))
    assert status == "SUSPENDED"


def test_imported_outcomes_are_checked_against_the_outcome_matrix(env: Env, tmp_path: Path) -> None:
    sup = env.user("sup", Role.SUPERVISOR)
    header = CASE_HEADER
    col = header.index("misconduct_outcomes")
    rows = [r[:] for r in CASE_ROWS]
    rows[0][col], rows[0][col + 1] = "MISCONDUCT_MEETING;DISMISSAL_WITHOUT_NOTICE", "2024-06-30"
    rows[1][col], rows[1][col + 1] = "NO_CASE_TO_ANSWER", "2024-06-30"
    rows[2][col] = "management_action"
    with pytest.raises(ImportRejected) as refused:
        import_cases(env.uow(), sup, write_csv(tmp_path / "bad.csv", header, rows))
    problems = [str(e) for e in refused.value.errors]
    assert problems == [
        "line 2, column misconduct_outcomes: A misconduct meeting cannot impose DISMISSAL_WITHOUT_NOTICE; its "
        "outcomes are WRITTEN_WARNING or FINAL_WRITTEN_WARNING.",
        "line 4, column misconduct_outcomes: MANAGEMENT_ACTION is only for police staff, PCSOs and volunteers "
        "under the force's staff process, where force policy allows it.",
    ]
    rows[0][col], rows[2][col] = "MISCONDUCT_HEARING;GROSS_MISCONDUCT;DISMISSAL_WITHOUT_NOTICE", ""
    assert import_cases(env.uow(), sup, write_csv(tmp_path / "good.csv", header, rows)).added == 3


def test_a_finished_historical_case_is_closed_on_import_and_owes_nothing(db_url: str, tmp_path: Path) -> None:
    """Every allegation has a final outcome and nothing would block closure: the case was closed in
    the system it came from, so the import records an imported closure dated the last outcome."""
    from sqlalchemy import select

    from app.persistence.models import CaseRow, DecisionRow
    from app.services.imports.cases import import_cases
    from app.services.imports.workforce import import_workforce
    from tests.helpers import force_env, write_csv
    from tests.integration.test_imports import WF_HEADER, WF_ROWS

    header = ["case_ref", "recorded_date", "reporting_route", "case_type", "subject_staff_number", "victim_ref",
              "victim_relationship", "abuse_types", "misconduct_outcomes", "outcome_date", "restrictions",
              "restriction_date"]
    rows = [["PSD-2021-000001", "2021-01-04", "VICTIM_DIRECT", "CONDUCT_MATTER", "S001", "V1", "FORMER_PARTNER",
             "EMOTIONAL_PSYCHOLOGICAL", "NO_CASE_TO_ANSWER", "2021-06-01", "", ""],
            ["PSD-2021-000002", "2021-02-04", "VICTIM_DIRECT", "CONDUCT_MATTER", "S002", "V1", "FORMER_PARTNER",
             "PHYSICAL", "NO_CASE_TO_ANSWER", "2021-07-01", "RESTRICTED_DUTIES", "2021-02-05"]]
    with force_env(db_url) as env:
        import_workforce(env.uow(), env.admin, write_csv(tmp_path / "wf.csv", WF_HEADER, WF_ROWS))
        import_cases(env.uow(), env.user("head", Role.HEAD_OF_PSD), write_csv(tmp_path / "c.csv", header, rows))
        with env.uow() as uow:
            cases = {c.reference: (c.status, str(c.closed_date), str(c.retention_review_date))
                     for c in uow.session.scalars(select(CaseRow))}
            closure = uow.session.scalar(select(DecisionRow.imported_from).where(DecisionRow.kind == "CLOSURE"))
        assert cases["PSD-2021-000001"] == ("CLOSED", "2021-06-01", "2027-06-01")
        assert closure == "c.csv"
        assert cases["PSD-2021-000002"][0] == "OPEN"  # its restriction was never lifted: a review is still owed
