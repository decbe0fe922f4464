"""`import cases` obeys DOMAIN.md §3 and §7 as the casework services do (issue 12, deliverable 1).

Each attack is tried through the real import service on SQLite and PostgreSQL; a refused file
changes nothing and names the line and the case.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.enums import DueItemKind, Role
from app.domain.enums import RestrictionOption as R
from app.domain.errors import ImportRejected, PermissionDenied
from app.persistence.models import DecisionRow
from app.services import case_queries, policies, queue, users
from app.services import casework as cw
from app.services.imports.cases import import_cases
from app.services.imports.notices import import_notices
from tests.adversarial.imports_support import CASE, Force, case_row, small_force

CLEAR_MYSELF = case_row(restrictions="NO_RESTRICTION", restriction_date="2026-03-04",
                        misconduct_outcomes="NO_CASE_TO_ANSWER", outcome_date="2026-03-05")


@pytest.fixture
def force(db_url: str, tmp_path: Path) -> Iterator[Force]:
    with small_force(db_url, tmp_path) as f:
        yield f


ADOPTED = "The force has followed this guidance since 2020"


def owed(force: Force) -> list[tuple[str, DueItemKind]]:
    return [(i.case_ref, i.item) for i in queue.work_queue(force.uow(), force.head, everyone=True)]


def refused(force: Force, user, name: str, *rows: list[str], approver=None) -> list[str]:  # type: ignore[no-untyped-def]
    before = force.counts()
    with pytest.raises(ImportRejected) as err:
        force.import_cases(user, name, *rows, approver=approver)
    assert force.counts() == before
    return [str(e) for e in err.value.errors]


def test_a_subject_who_is_a_supervisor_cannot_clear_themselves_by_import(force: Force) -> None:
    """The finding: refused when opening their case, yet 'NO_RESTRICTION; NO_CASE_TO_ANSWER' on
    their own allegation was accepted ('1 updated'), with no approver."""
    with pytest.raises(PermissionDenied):
        case_queries.open_case(force.uow(), force.subject, force.case_id())
    assert (CASE, DueItemKind.RESTRICTION_DECISION) in owed(force)
    problems = refused(force, force.subject, "clear.csv", CLEAR_MYSELF, approver=force.sup2)
    assert problems == [f"line 2, column case_ref: subject may not import onto case {CASE}: like opening it, this is "
                        "refused to anyone connected to a subject or victim of the case (a subject, a subject's line "
                        "manager, a victim or a declared associate) and, for a case restricted to named users, to "
                        "anyone not named on it"]
    assert (CASE, DueItemKind.RESTRICTION_DECISION) in owed(force)
    assert ("subject", "CONSULTATION", CASE, "refused: case import") in force.log()


def test_a_subject_cannot_create_a_case_about_themselves(force: Force) -> None:
    row = case_row(case_ref="PSD-2026-000900", restrictions="NO_RESTRICTION", restriction_date="2026-03-04")
    [problem] = refused(force, force.subject, "mine.csv", row, approver=force.sup2)
    assert problem.startswith("line 2, column case_ref: subject may not import onto case PSD-2026-000900")


@pytest.mark.parametrize("who", ["manager", "associate"])
def test_a_line_manager_or_a_declared_associate_of_the_subject_is_refused(force: Force, who: str) -> None:
    user = force.manager
    if who == "associate":
        user = force.sup
        cw.declare_association(force.uow(), user, associate_staff_number="S100", note="we share a house")
    row = case_row(misconduct_outcomes="NO_CASE_TO_ANSWER", outcome_date="2026-03-05")
    [problem] = refused(force, user, "mgr.csv", row)
    assert problem.startswith(f"line 2, column case_ref: {user.username} may not import onto case {CASE}")


def test_a_case_restricted_to_named_users_refuses_an_importer_not_named_on_it(force: Force) -> None:
    cw.restrict_case(force.uow(), force.head, force.case_id(), ["head"])
    row = case_row(misconduct_outcomes="NO_CASE_TO_ANSWER", outcome_date="2026-03-05")
    [problem] = refused(force, force.sup, "restricted.csv", row)
    assert problem.startswith(f"line 2, column case_ref: sup may not import onto case {CASE}")


def test_a_refused_case_reveals_nothing_of_what_is_held(force: Force) -> None:
    """A connected importer learns nothing from the refusal (no 'differs from what is held (PHYSICAL)')."""
    row = case_row(abuse_types="SEXUAL", dash_risk="HIGH", case_type="COMPLAINT")
    [problem] = refused(force, force.subject, "probe.csv", row)
    assert "PHYSICAL" not in problem and "STANDARD" not in problem and "CONDUCT_MATTER" not in problem


def test_no_restriction_needs_an_approver_other_than_the_importer(force: Force) -> None:
    row = case_row(restrictions="NO_RESTRICTION", restriction_date="2026-03-04")
    [alone] = refused(force, force.sup, "n1.csv", row)
    assert alone.startswith("line 2, column restrictions: A decision not to restrict needs approval by a HEAD_OF_PSD "
                            "or SUPERVISOR other than the person deciding.")
    assert "--approver NAME" in alone
    [himself] = refused(force, force.sup, "n2.csv", row, approver=force.sup)
    assert "cannot be approved by the person who made the decision" in himself
    investigator = force.env.user("inv", Role.INVESTIGATOR)
    [wrong_role] = refused(force, force.sup, "n3.csv", row, approver=investigator)
    assert "inv does not hold that role" in wrong_role or "does not hold that role" in wrong_role
    [connected] = refused(force, force.sup, "n4.csv", row, approver=force.manager)
    assert connected.startswith("line 2, column restrictions: manager cannot approve or co-sign a decision on case")
    summary = force.import_cases(force.sup, "n5.csv", row, approver=force.sup2)
    assert (summary.added, summary.updated) == (0, 1)
    with force.uow() as uow:
        made = uow.session.scalar(select(DecisionRow).where(DecisionRow.kind == "RESTRICTION"))
        assert made is not None
        assert (made.payload["options"], made.imported_from, made.imported_by, made.decided_by, made.approved_by) == (
            ["NO_RESTRICTION"], "n5.csv", force.sup.id, None, force.sup2.id)
    assert (CASE, DueItemKind.RESTRICTION_DECISION) not in owed(force)


def test_no_restriction_over_imported_measures_is_refused_as_in_the_application(force: Force) -> None:
    force.import_cases(force.sup, "r1.csv", case_row(restrictions="RESTRICTED_DUTIES", restriction_date="2026-03-04"))
    row = case_row(restrictions="NO_RESTRICTION", restriction_date="2026-03-06")
    [problem] = refused(force, force.sup, "r2.csv", row, approver=force.sup2)
    assert problem.startswith("line 2, column restrictions: Measures are in force for allegation")


def test_the_home_force_against_the_guidance_needs_the_head_of_psds_exception(force: Force) -> None:
    policies.set_policy(force.uow(), force.env.admin, "external-investigation-guidance", "ALL", date(2020, 1, 1),
                        reason=ADOPTED)
    row = case_row(case_ref="PSD-2026-000002", investigating_body="HOME")
    [alone] = refused(force, force.sup, "h1.csv", row)
    assert alone.startswith("line 2, column investigating_body: Force guidance requires an external investigation")
    [supervisor] = refused(force, force.sup, "h2.csv", row, approver=force.sup2)
    assert "needs approval by a HEAD_OF_PSD" in supervisor
    force.import_cases(force.sup, "h3.csv", row, approver=force.head)
    with force.uow() as uow:
        made = {d.kind: (d.approved_by, d.imported_by, d.imported_from) for d in uow.session.scalars(
            select(DecisionRow).where(DecisionRow.case_id == force.case_id("PSD-2026-000002")))}
    assert made["EXTERNAL_INVESTIGATION_EXCEPTION"] == (force.head.id, force.sup.id, "h3.csv")
    assert made["INVESTIGATING_BODY"] == (None, force.sup.id, "h3.csv")


def test_a_row_fine_alone_is_refused_with_the_row_that_brings_the_guidance_into_play(force: Force) -> None:
    """The first row alone (a STANDARD-risk victim, the home force investigating) is fine under SOME
    guidance for HIGH-risk victims; the second row adds a HIGH-risk victim to the same case."""
    policies.set_policy(force.uow(), force.env.admin, "external-investigation-guidance", "SOME", date(2020, 1, 1),
                        reason=ADOPTED)
    policies.set_policy(force.uow(), force.env.admin, "external-investigation-criteria", "HIGH_RISK_DASH",
                        date(2020, 1, 1),
                        reason=ADOPTED)
    first = case_row(case_ref="PSD-2026-000003", investigating_body="HOME")
    second = case_row(case_ref="PSD-2026-000003", subject_staff_number="S300", victim_ref="V2", dash_risk="HIGH")
    force.import_cases(force.sup, "alone.csv", case_row(case_ref="PSD-2026-000004", investigating_body="HOME"))
    [problem] = refused(force, force.sup, "pair.csv", first, second)
    assert problem.startswith("line 2, column investigating_body: Force guidance requires an external investigation "
                              "(victim V2 is assessed HIGH risk (DASH))")


def test_an_import_never_alters_a_case_with_decisions_recorded_in_the_application(force: Force) -> None:
    case_id = force.case_id()
    with force.uow() as uow:
        aid = uow.session.scalar(select(DecisionRow.allegation_id).where(DecisionRow.case_id == case_id))
    assert aid is not None
    cw.record_restriction(force.uow(), force.sup, case_id, aid, [R.RESTRICTED_DUTIES])
    assert force.import_cases(force.head, "base.csv", case_row()).unchanged == 1  # the same file: nothing to do
    row = case_row(misconduct_outcomes="NO_CASE_TO_ANSWER", outcome_date="2026-03-05")
    assert refused(force, force.head, "later.csv", row) == [
        f"line 2, column case_ref: {CASE} has decisions recorded in the application: an import never alters it; "
        "record the change in the application"]


def test_an_import_never_alters_a_case_created_in_the_application(force: Force) -> None:
    from datetime import date

    from app.domain.enums import AbuseType, ReportingRoute, VictimRelationship
    from app.services.casework import AllegationInput, CaseIntake, VictimInput

    created = cw.create_case(force.uow(), force.sup, CaseIntake(
        date(2026, 5, 1), ReportingRoute.VICTIM_DIRECT, (VictimInput("V1", VictimRelationship.FORMER_PARTNER),),
        (AllegationInput("S300", ("V1",), frozenset({AbuseType.PHYSICAL})),)))
    row = case_row(case_ref=created.reference, subject_staff_number="S500", recorded_date="2026-05-01",
                   threshold_met_date="")
    [problem] = refused(force, force.head, "onto-app.csv", row)
    assert problem == (f"line 2, column case_ref: {created.reference} was created in the application: an import never "
                       "alters it; record the change in the application")


def test_a_reimported_altered_file_never_rewrites_a_held_record(force: Force) -> None:
    problems = refused(force, force.head, "altered.csv", case_row(abuse_types="SEXUAL", dash_risk="HIGH"))
    assert problems == [
        "line 2, column abuse_types: differs from what is held for the allegation against S100 (PHYSICAL): an import "
        "does not rewrite a record; correct it in the application",
        "line 2, column dash_risk: differs from what is held for victim V1 (STANDARD): an import does not rewrite a "
        "record; correct it in the application"]


def test_a_closed_imported_case_is_not_altered(force: Force) -> None:
    force.import_cases(force.sup, "done.csv",
                       case_row(case_ref="PSD-2026-000005", misconduct_outcomes="NO_CASE_TO_ANSWER",
                                                        outcome_date="2026-04-01", threshold_met_date=""))
    row = case_row(case_ref="PSD-2026-000005", threshold_met_date="",
                   misconduct_outcomes="NO_CASE_TO_ANSWER;REFLECTIVE_PRACTICE",
                   outcome_date="2026-04-01")
    [problem] = refused(force, force.sup, "more.csv", row)
    assert problem == "line 2, column case_ref: PSD-2026-000005 is closed: an import never alters a closed case"


def test_imported_decisions_stay_marked_as_imported_by_whom_and_from_which_file(force: Force) -> None:
    force.import_cases(force.sup, "outcome.csv", case_row(misconduct_outcomes="CASE_TO_ANSWER_MISCONDUCT",
                                                           outcome_date="2026-04-01"))
    with force.uow() as uow:
        rows = {(d.kind, d.imported_from, d.imported_by, d.decided_by)
                for d in uow.session.scalars(select(DecisionRow))}
    assert rows == {("THRESHOLD", "base.csv", force.head.id, None),
                    ("MISCONDUCT_OUTCOME", "outcome.csv", force.sup.id, None)}
    timeline = case_queries.open_case(force.uow(), force.head, force.case_id()).timeline
    assert [t.decided_by for t in timeline] == ["imported from base.csv by head", "imported from outcome.csv by sup"]


def test_an_account_switched_off_since_sign_in_cannot_import(force: Force) -> None:
    users.set_active(force.uow(), force.env.admin, "sup", False)
    with pytest.raises(PermissionDenied, match="the account is not active"):
        import_cases(force.uow(), force.sup, force.cases_file("late.csv", case_row(case_ref="PSD-2026-000006")))
    notices = force.tmp / "late-notices.csv"
    notices.write_text("notice_id,issuing_force,notice_date,record_type,surname,forenames\n"
                       "P1,PND,2026-01-02,INTELLIGENCE,Brown,Tom\n", encoding="utf-8")
    with pytest.raises(PermissionDenied, match="the account is not active"):
        import_notices(force.uow(), force.sup, notices)
    assert force.counts()["prior_notice"] == 0
