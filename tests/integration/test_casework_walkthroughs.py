"""Complete cases from intake to closure through the services only (DOMAIN.md §3), on SQLite and
PostgreSQL, with the clock pinned: what each user sees in the work queue, each refusal on the way,
and the records left behind."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.enums import (
    AbuseType,
    AssignmentRole,
    CriminalOutcome,
    DueItemKind,
    EmploymentStatus,
    IopcDecision,
    ListStatus,
    ReviewOutcome,
)
from app.domain.enums import MisconductOutcome as O
from app.domain.enums import RestrictionOption as R
from app.domain.errors import PermissionDenied, RuleRefused
from app.domain.workflow import ExternalEvent, SuspensionConditions
from app.services import audit, policies, users
from app.services import case_queries as cq
from app.services import casework as cw
from tests.helpers import PASSWORD
from tests.integration.test_casework_support import (
    RECEIVED,
    World,
    allegation,
    allegation_ids,
    new_case,
    pin,
    world,
)

__all__ = ["world"]
REF = "PSD-2025-000001"
SUSPEND = SuspensionConditions(redeployment_considered_not_appropriate=True, public_interest_requires=True)


def opened(w: World, *allegations: cw.AllegationInput) -> tuple[int, dict[str, int]]:
    """Intake by a supervisor, inv assigned, threshold met on the received date."""
    created = new_case(w, *allegations)
    cw.assign_member(w.uow(), w.sup, created.case_id, "inv", AssignmentRole.INVESTIGATOR, True)
    ids = allegation_ids(w, created.case_id)
    for aid in ids.values():
        cw.record_threshold(w.uow(), w.sup, created.case_id, aid, on=RECEIVED)
    return created.case_id, ids


def outcomes(w: World, case_id: int, aid: int, day: date, *values: O) -> None:
    pin(day)
    for value in values:
        cw.record_misconduct_outcome(w.uow(), w.sup, case_id, aid, value, on=day)


def closed(w: World, case_id: int, day: date) -> None:
    pin(day, 16)
    done = cw.close_case(w.uow(), w.sup, case_id)
    row = w.case(case_id)
    assert (row.status, row.closed_date, row.version) == ("CLOSED", day, done.case_version)
    assert w.due(w.sup, REF) == {}
    with w.uow() as uow:
        assert audit.verify_chain(uow.session).ok
    assert w.personal_data_logged() == []


def refused_closure(w: World, case_id: int) -> str:
    with pytest.raises(RuleRefused) as refused:
        cw.close_case(w.uow(), w.sup, case_id)
    return refused.value.message


def test_a_case_policy_requires_to_be_investigated_by_another_force(world: World) -> None:
    policies.set_policy(world.uow(), world.env.admin, "external-investigation-guidance", "ALL", date(2024, 4, 1),
                        reason="Guidance in force since 1 April 2024")
    case_id, ids = opened(world)
    aid = ids["S100"]
    assert world.due(world.sup, REF)[DueItemKind.RESTRICTION_DECISION].due_date == date(2025, 3, 5)
    pin(date(2025, 3, 4))
    cw.record_restriction(world.uow(), world.sup, case_id, aid,
                          [R.RESTRICTED_DUTIES, R.NO_CONTACT_WITH_VICTIMS_OR_WITNESSES])
    assert DueItemKind.RESTRICTION_DECISION not in world.due(world.sup, REF)
    with pytest.raises(RuleRefused) as refused:
        cw.assign_investigating_body(world.uow(), world.sup, case_id, "HOME")
    assert refused.value.message == (
        "Force guidance requires an external investigation (force guidance requires external investigation of "
        "every PPDA allegation). Assign another force or the IOPC, or record an exception with a rationale "
        "approved by the HEAD_OF_PSD before assigning the home force.")
    cw.assign_investigating_body(world.uow(), world.sup, case_id, "northumbria")
    for event, day in ((ExternalEvent.REQUESTED, date(2025, 3, 4)), (ExternalEvent.ACCEPTED, date(2025, 3, 6)),
                       (ExternalEvent.HANDED_OVER, date(2025, 3, 7)), (ExternalEvent.RETURNED, date(2025, 7, 1))):
        pin(day)
        cw.record_external_progress(world.uow(), world.inv, case_id, event, reference="NB/25/001")
    assert world.case(case_id).list_body == "northumbria" and world.case(case_id).list_external
    outcomes(world, case_id, aid, date(2025, 7, 14), O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_MEETING,
             O.MISCONDUCT, O.WRITTEN_WARNING)
    cw.record_restriction_review(world.uow(), world.sup, case_id, aid, ReviewOutcome.LIFT)
    assert "the vetting review for Alex Carter (misconduct finding without dismissal) is not done" in \
        refused_closure(world, case_id)
    assert world.due(world.sup, REF)[DueItemKind.VETTING_REVIEW].due_date == date(2025, 8, 11)
    cw.record_vetting_review(world.uow(), world.sup, case_id, world.person("S100"), result="Vetting retained")
    closed(world, case_id, date(2025, 7, 14))
    assert world.case(case_id).retention_review_date == date(2031, 7, 14)


def test_the_home_force_investigates_under_an_approved_exception(world: World) -> None:
    policies.set_policy(world.uow(), world.env.admin, "external-investigation-guidance", "ALL", date(2024, 4, 1),
                        reason="Guidance in force since 1 April 2024")
    case_id, ids = opened(world)
    approver = users.authenticate(world.uow(), "head", PASSWORD)
    cw.record_external_investigation_exception(world.uow(), world.sup, case_id, approver=approver,
                                               rationale="No force can take it before the hearing date")
    cw.assign_investigating_body(world.uow(), world.sup, case_id, "HOME")
    exception = next(d for d in world.decisions(case_id) if d.kind == "EXTERNAL_INVESTIGATION_EXCEPTION")
    assert (exception.decided_by, exception.approved_by) == (world.sup.id, world.head.id)
    cw.record_restriction(world.uow(), world.sup, case_id, ids["S100"], [R.NO_RESTRICTION], approver=world.sup2,
                          rationale="Desk role, no victim contact")
    outcomes(world, case_id, ids["S100"], date(2025, 5, 2), O.NO_CASE_TO_ANSWER)
    closed(world, case_id, date(2025, 5, 2))


def test_a_charge_followed_by_a_missed_suspension_deadline(world: World) -> None:
    crime = allegation("S100", AbuseType.COERCIVE_CONTROL, criminal=True, crime_ref="CR/25/100")
    case_id, ids = opened(world, crime)
    aid = ids["S100"]
    pin(date(2025, 3, 4))
    cw.record_restriction(world.uow(), world.sup, case_id, aid, [R.RESTRICTED_DUTIES])
    pin(date(2025, 3, 10))
    cw.record_criminal_outcome(world.uow(), world.sup, case_id, aid, CriminalOutcome.CHARGED,
                               offence="Controlling or coercive behaviour")
    pin(date(2025, 3, 13))
    item = world.due(world.sup2, REF)[DueItemKind.SUSPENSION_ON_CHARGE]
    assert item.csv_row() == [REF, "SUSPENSION_ON_CHARGE", "2025-03-11", "Y", "SUPERVISOR",
                              "Alex Carter: charge 2025-03-10 (Controlling or coercive behaviour)"]
    assert item in [i for i in world.queue(world.sup2) if i.overdue]
    with pytest.raises(RuleRefused, match="^Suspension needs the statutory conditions recorded"):
        cw.record_restriction_review(world.uow(), world.sup, case_id, aid, ReviewOutcome.VARY, options=[R.SUSPENDED])
    cw.record_restriction_review(world.uow(), world.sup, case_id, aid, ReviewOutcome.VARY, options=[R.SUSPENDED],
                                 conditions=SUSPEND, rationale="Risk to the victim")
    assert DueItemKind.SUSPENSION_ON_CHARGE not in world.due(world.sup2, REF)
    assert world.status_of("S100") == ("SUSPENDED", "NONE")
    pin(date(2025, 6, 2))
    cw.record_criminal_outcome(world.uow(), world.sup, case_id, aid, CriminalOutcome.CONVICTED,
                               offence="Controlling or coercive behaviour", sentence="18 months")
    assert "DISMISSAL_EXPECTED" in world.case(case_id).list_flags
    outcomes(world, case_id, aid, date(2025, 6, 20), O.CASE_TO_ANSWER_GROSS_MISCONDUCT,
             O.ACCELERATED_MISCONDUCT_HEARING, O.GROSS_MISCONDUCT, O.DISMISSAL_WITHOUT_NOTICE)
    cw.record_leaving(world.uow(), world.head, "S100", EmploymentStatus.DISMISSED, date(2025, 6, 20))
    cw.record_restriction_review(world.uow(), world.sup, case_id, aid, ReviewOutcome.LIFT)
    assert world.status_of("S100") == ("DISMISSED", "NONE")  # lifting does not reinstate a dismissed officer
    assert refused_closure(world, case_id) == (
        f"Case {REF} cannot be closed yet: the Barred List notification for Alex Carter (dismissal without "
        "notice) is not done.")
    cw.record_list_notification(world.uow(), world.head, case_id, world.person("S100"), ListStatus.BARRED,
                                reference="COP-BL-77")
    assert world.status_of("S100") == ("DISMISSED", "BARRED")
    closed(world, case_id, date(2025, 6, 20))
    assert world.case(case_id).retention_review_date is None  # a barred-list matter is kept


def test_a_subject_who_resigns_under_investigation(world: World) -> None:
    case_id, ids = opened(world, allegation("S600", AbuseType.STALKING_HARASSMENT))
    aid = ids["S600"]
    pin(date(2025, 3, 4))
    cw.record_restriction(world.uow(), world.sup, case_id, aid, [R.REMOVED_FROM_DA_OR_SAFEGUARDING_ROLE])
    pin(date(2025, 4, 1))
    left = cw.record_leaving(world.uow(), world.head, "S600", EmploymentStatus.RESIGNED, date(2025, 3, 31))
    assert left.open_cases == 1
    item = world.due(world.head, REF, everyone=False)[DueItemKind.LIST_NOTIFICATION]
    assert (item.due_date, item.assigned_to, item.detail) == (
        date(2025, 4, 7), "HEAD_OF_PSD", "Ria Shah: Advisory List: resigned while under investigation")
    with pytest.raises(RuleRefused, match="restrictions cannot be imposed on someone who is no longer serving"):
        cw.record_restriction(world.uow(), world.sup, case_id, aid, [R.SUSPENDED], conditions=SUSPEND)
    cw.record_restriction_review(world.uow(), world.sup, case_id, aid, ReviewOutcome.LIFT)
    outcomes(world, case_id, aid, date(2025, 5, 6), O.NO_CASE_TO_ANSWER)
    assert refused_closure(world, case_id) == (
        f"Case {REF} cannot be closed yet: the Advisory List notification for Ria Shah (resigned while under "
        "investigation) is not done.")
    cw.record_list_notification(world.uow(), world.head, case_id, world.person("S600"), ListStatus.ADVISORY)
    assert world.status_of("S600") == ("RESIGNED", "ADVISORY")
    closed(world, case_id, date(2025, 5, 6))


def test_a_mandatory_iopc_referral(world: World) -> None:
    strangled = allegation("S100", AbuseType.NON_FATAL_STRANGULATION, AbuseType.PHYSICAL)
    case_id, ids = opened(world, strangled)
    item = world.due(world.iopc, REF, everyone=False)[DueItemKind.IOPC_REFERRAL]
    assert (item.due_date, item.detail) == (date(2025, 3, 4), "Alex Carter: serious assault")
    with pytest.raises(PermissionDenied):
        cq.open_case(world.uow(), world.iopc, case_id)  # not referred yet: not the liaison's to read
    pin(date(2025, 3, 4), 15)
    cw.record_iopc_referral(world.uow(), world.iopc, case_id, iopc_reference="2025/012345")
    referral = world.decisions(case_id)[-1]
    assert referral.payload == {"mandatory": True, "grounds": ["SERIOUS_ASSAULT"], "iopc_reference": "2025/012345"}
    assert DueItemKind.IOPC_REFERRAL not in world.due(world.sup, REF)
    detail = cq.open_case(world.uow(), world.iopc, case_id)
    assert detail.victims == () and detail.victim_details_withheld
    pin(date(2025, 3, 10))
    cw.record_iopc_decision(world.uow(), world.iopc, case_id, IopcDecision.LOCAL_INVESTIGATION)
    with pytest.raises(PermissionDenied, match="^iopc \\(IOPC_LIAISON\\) may not create and edit cases"):
        cw.record_victim_update(world.uow(), world.iopc, case_id, "V1")
    cw.record_victim_update(world.uow(), world.inv, case_id, "V1", method="Home visit")
    cw.record_restriction(world.uow(), world.sup, case_id, ids["S100"], [R.NO_CONTACT_WITH_VICTIMS_OR_WITNESSES])
    outcomes(world, case_id, ids["S100"], date(2025, 6, 2), O.NO_CASE_TO_ANSWER)
    cw.record_restriction_review(world.uow(), world.sup, case_id, ids["S100"], ReviewOutcome.LIFT)
    closed(world, case_id, date(2025, 6, 2))


def test_an_investigator_who_is_the_subjects_line_manager(world: World) -> None:
    created = new_case(world)
    with pytest.raises(RuleRefused) as refused:
        cw.assign_member(world.uow(), world.sup, created.case_id, "mgrinv", AssignmentRole.INVESTIGATOR, True)
    assert refused.value.message == (
        "Jo Lane cannot be the investigator: they are the line manager of the subject Alex Carter; they work in "
        "the same unit (Response North) as the subject Alex Carter. An investigator, decision-maker or DASH "
        "assessor must have no connection to the subject or victim; choose someone independent.")
    assert world.due(world.sup, REF)[DueItemKind.VICTIM_UPDATE].assigned_to == "unassigned (SUPERVISOR to allocate)"
    cw.assign_member(world.uow(), world.sup, created.case_id, "inv", AssignmentRole.INVESTIGATOR, True)
    assert world.due(world.inv, REF, everyone=False)[DueItemKind.VICTIM_UPDATE].assigned_to == "inv"
    aid = allegation_ids(world, created.case_id)["S100"]
    cosigner = users.authenticate(world.uow(), "sup2", PASSWORD)
    cw.record_threshold(world.uow(), world.inv, created.case_id, aid, approver=cosigner)
    cw.record_restriction(world.uow(), world.inv, created.case_id, aid, [R.RESTRICTED_DUTIES], approver=cosigner)
    pin(date(2025, 4, 14))
    cw.record_misconduct_outcome(world.uow(), world.inv, created.case_id, aid, O.NO_CASE_TO_ANSWER,
                                 approver=cosigner, rationale="Account not corroborated")
    cw.record_restriction_review(world.uow(), world.inv, created.case_id, aid, ReviewOutcome.LIFT, approver=cosigner)
    proposed = [d for d in world.decisions(created.case_id) if "proposed_by" in d.payload]
    assert [d.kind for d in proposed] == ["THRESHOLD", "RESTRICTION", "MISCONDUCT_OUTCOME", "RESTRICTION_REVIEW"]
    assert {(d.decided_by, d.approved_by, d.payload["proposed_by"]) for d in proposed} == {
        (world.sup2.id, world.sup2.id, world.inv.id)}
    with pytest.raises(PermissionDenied):
        cq.open_case(world.uow(), world.mgr_inv, created.case_id)
    closed(world, created.case_id, date(2025, 4, 14))
