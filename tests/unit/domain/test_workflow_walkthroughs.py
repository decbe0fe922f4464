"""Complete walk-throughs, intake to closure, at domain level (the services do the same calls)."""

import dataclasses
from datetime import date

import pytest

from app.domain.enums import (
    AbuseType,
    AggravatingFeature,
    AssignmentRole,
    CaseStatus,
    CriminalOutcome,
    DueItemKind,
    EmploymentStatus,
    GuidanceCoverage,
    IopcDecision,
    ListStatus,
    ReviewOutcome,
    RoleFlag,
)
from app.domain.enums import MisconductOutcome as O
from app.domain.enums import RestrictionOption as R
from app.domain.errors import RuleRefused
from app.domain.policy import ExternalCriterion, PolicyName, PolicyValue
from app.domain.records import CaseSnapshot
from app.domain.workflow import (
    ExternalEvent,
    InvestigationMode,
    SuspensionConditions,
    assign,
    assign_investigating_body,
    close_case,
    due_items,
    investigation_mode,
    record_criminal_outcome,
    record_external_progress,
    record_iopc_decision,
    record_iopc_referral,
    record_list_notification,
    record_misconduct_outcome,
    record_recording,
    record_restriction,
    record_restriction_review,
    record_threshold,
    record_vetting_review,
    record_victim_update,
)
from app.domain.workflow.outcomes import dismissal_expected
from tests.unit.domain.workflow_builders import (
    HEAD,
    INVESTIGATOR,
    LIAISON,
    SUPERVISOR,
    SUPERVISOR_2,
    act,
    allegation,
    apply,
    person,
    policies,
    snapshot,
)

RECEIVED = date(2025, 3, 3)  # a Monday
SUSPEND = SuspensionConditions(redeployment_considered_not_appropriate=True, public_interest_requires=True)
MANAGER = person(200, "Lane", unit="Response North", line_manager_id=300)
INDEPENDENT = person(500, "Okafor", unit="PSD")


def queue(s: CaseSnapshot, today: date) -> dict[DueItemKind, list]:  # type: ignore[type-arg]
    found: dict[DueItemKind, list] = {}  # type: ignore[type-arg]
    for item in due_items(s, policies(), today):
        found.setdefault(item.kind, []).append(item)
    return found


def outcomes(s: CaseSnapshot, day: date, *values: O) -> CaseSnapshot:
    for value in values:
        s = apply(s, record_misconduct_outcome(s, act(SUPERVISOR, day), 10, value, policies()))
    return s


def closed(s: CaseSnapshot, day: date) -> CaseSnapshot:
    s = apply(s, close_case(s, act(SUPERVISOR, day), policies()))
    s = dataclasses.replace(s, case=dataclasses.replace(s.case, status=CaseStatus.CLOSED))
    assert due_items(s, policies(), day) == []
    return s


def intake(s: CaseSnapshot, day: date = RECEIVED) -> CaseSnapshot:
    s = apply(s, record_recording(s, act(SUPERVISOR, day), allegation_id=10))
    s = apply(s, assign(s, act(SUPERVISOR, day), INVESTIGATOR, AssignmentRole.INVESTIGATOR,
                        candidate=INDEPENDENT, declared_no_prior_connection=True,
                        people={200: MANAGER, 500: INDEPENDENT}))
    return apply(s, record_threshold(s, act(SUPERVISOR, day), 10))


def test_external_investigation_required_and_home_force_refused() -> None:
    rules = policies(
        PolicyValue(PolicyName.EXTERNAL_INVESTIGATION_GUIDANCE, GuidanceCoverage.SOME, date(2024, 4, 1)),
        PolicyValue(PolicyName.EXTERNAL_INVESTIGATION_CRITERIA,
                    frozenset({ExternalCriterion.SUBJECT_IN_PSD_OR_DA_ROLE}), date(2024, 4, 1)))
    subject = person(unit="Safeguarding Hub", role_flags=frozenset({RoleFlag.DA_SAFEGUARDING}))
    s = intake(snapshot(subjects=[subject]))
    assert queue(s, RECEIVED)[DueItemKind.RESTRICTION_DECISION][0].due_date == date(2025, 3, 5)
    s = apply(s, record_restriction(s, act(SUPERVISOR, date(2025, 3, 4)), 10,
                                    [R.REMOVED_FROM_DA_OR_SAFEGUARDING_ROLE, R.NO_CONTACT_WITH_VICTIMS_OR_WITNESSES]))
    with pytest.raises(RuleRefused, match="domestic-abuse/safeguarding role\\)\\. Assign another force"):
        assign_investigating_body(s, act(SUPERVISOR, date(2025, 3, 4)), "HOME", rules)
    s = apply(s, assign_investigating_body(s, act(SUPERVISOR, date(2025, 3, 4)), "northumbria", rules))
    for event, day in ((ExternalEvent.REQUESTED, date(2025, 3, 4)), (ExternalEvent.ACCEPTED, date(2025, 3, 6)),
                       (ExternalEvent.HANDED_OVER, date(2025, 3, 7)), (ExternalEvent.RETURNED, date(2025, 7, 1))):
        s = apply(s, record_external_progress(s, act(SUPERVISOR, day), event, reference="NB/1"))
    s = apply(s, record_victim_update(s, act(INVESTIGATOR, date(2025, 3, 28)), "V1"))
    s = outcomes(s, date(2025, 7, 14), O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_MEETING, O.MISCONDUCT,
                 O.WRITTEN_WARNING)
    s = apply(s, record_restriction_review(s, act(SUPERVISOR, date(2025, 7, 14)), 10, ReviewOutcome.LIFT))
    with pytest.raises(RuleRefused, match="the vetting review for Alex Carter .* is not done"):
        close_case(s, act(SUPERVISOR, date(2025, 7, 14)), policies())
    s = apply(s, record_vetting_review(s, act(SUPERVISOR, date(2025, 7, 20)), 100, result="Retained"))
    closed(s, date(2025, 7, 21))


def test_charge_then_missed_suspension_deadline() -> None:
    s = intake(snapshot(allegations=[allegation(criminal=True, crime_ref="CR/25/1")]))
    s = apply(s, record_restriction(s, act(SUPERVISOR, date(2025, 3, 4)), 10, [R.RESTRICTED_DUTIES]))
    friday = date(2025, 3, 7)
    s = apply(s, record_criminal_outcome(s, act(SUPERVISOR, friday), 10, CriminalOutcome.CHARGED,
                                         policies(), offence="Assault by beating"))
    [due] = queue(s, date(2025, 3, 10))[DueItemKind.SUSPENSION_ON_CHARGE]
    assert (due.due_date, due.overdue) == (date(2025, 3, 10), False)
    [late] = queue(s, date(2025, 3, 11))[DueItemKind.SUSPENSION_ON_CHARGE]
    assert late.overdue and late.detail == "Alex Carter: charge 2025-03-07 (Assault by beating)"
    s = apply(s, record_restriction_review(s, act(SUPERVISOR, date(2025, 3, 12)), 10, ReviewOutcome.VARY,
                                           options=[R.SUSPENDED], conditions=SUSPEND))
    assert DueItemKind.SUSPENSION_ON_CHARGE not in queue(s, date(2025, 3, 12))
    s = apply(s, record_criminal_outcome(s, act(SUPERVISOR, date(2025, 6, 2)), 10,
                                         CriminalOutcome.CONVICTED, policies(), offence="Assault by beating"))
    assert dismissal_expected(s, policies())[0].accelerated_hearing_due == date(2025, 6, 23)
    s = outcomes(s, date(2025, 6, 20), O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.ACCELERATED_MISCONDUCT_HEARING,
                 O.GROSS_MISCONDUCT, O.DISMISSAL_WITHOUT_NOTICE)
    s = dataclasses.replace(s, subjects={100: person(employment_status=EmploymentStatus.DISMISSED,
                                                     end_date=date(2025, 6, 20))})
    s = apply(s, record_restriction_review(s, act(SUPERVISOR, date(2025, 6, 20)), 10, ReviewOutcome.LIFT))
    assert [i.detail for i in queue(s, date(2025, 6, 20))[DueItemKind.LIST_NOTIFICATION]] == [
        "Alex Carter: Barred List: dismissal without notice"]
    s = apply(s, record_list_notification(s, act(HEAD, date(2025, 6, 23)), 100, ListStatus.BARRED))
    assert closed(s, date(2025, 6, 23)).decisions[-1].payload["retention_review_date"] is None


def test_subject_resigns_under_investigation() -> None:
    s = intake(snapshot())
    s = apply(s, record_restriction(s, act(SUPERVISOR, date(2025, 3, 4)), 10, [R.RESTRICTED_DUTIES]))
    s = dataclasses.replace(s, subjects={100: person(employment_status=EmploymentStatus.RESIGNED,
                                                     end_date=date(2025, 4, 30))})
    [task] = queue(s, date(2025, 5, 1))[DueItemKind.LIST_NOTIFICATION]
    assert (task.detail, task.due_date) == ("Alex Carter: Advisory List: resigned while under investigation",
                                            date(2025, 5, 7))
    s = apply(s, record_list_notification(s, act(HEAD, date(2025, 5, 2)), 100, ListStatus.ADVISORY))
    s = apply(s, record_restriction_review(s, act(SUPERVISOR, date(2025, 5, 2)), 10, ReviewOutcome.LIFT))
    s = outcomes(s, date(2025, 9, 1), O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.MISCONDUCT_HEARING,
                 O.GROSS_MISCONDUCT, O.WOULD_HAVE_BEEN_DISMISSED)
    assert [i.detail for i in queue(s, date(2025, 9, 1))[DueItemKind.LIST_NOTIFICATION]] == [
        "Alex Carter: Barred List: would have been dismissed"]
    s = apply(s, record_list_notification(s, act(HEAD, date(2025, 9, 2)), 100, ListStatus.BARRED))
    closed(s, date(2025, 9, 2))


def test_mandatory_iopc_referral() -> None:
    s = snapshot(allegations=[allegation(abuse_types=frozenset({AbuseType.STALKING_HARASSMENT}),
                                         aggravating_features=frozenset({AggravatingFeature.MISUSE_OF_POLICE_SYSTEMS}))])
    s = intake(s)
    [referral] = queue(s, date(2025, 3, 5))[DueItemKind.IOPC_REFERRAL]
    assert (referral.due_date, referral.overdue, referral.detail) == (
        date(2025, 3, 4), True, "Alex Carter: serious corruption")
    s = apply(s, record_restriction(s, act(SUPERVISOR, date(2025, 3, 4)), 10, [R.SYSTEMS_ACCESS_RESTRICTED]))
    s = apply(s, record_iopc_referral(s, act(LIAISON, date(2025, 3, 5)), allegation_id=10,
                                      iopc_reference="2025/004321"))
    assert DueItemKind.IOPC_REFERRAL not in queue(s, date(2025, 3, 5))
    s = apply(s, record_iopc_decision(s, act(LIAISON, date(2025, 3, 20)), IopcDecision.DIRECTED_INVESTIGATION,
                                      allegation_id=10))
    assert investigation_mode(s, 10) == InvestigationMode.DIRECTED
    s = apply(s, assign_investigating_body(s, act(SUPERVISOR, date(2025, 3, 20)), "HOME", policies()))
    s = outcomes(s, date(2025, 8, 1), O.NO_CASE_TO_ANSWER, O.REFLECTIVE_PRACTICE)
    s = apply(s, record_restriction_review(s, act(SUPERVISOR, date(2025, 8, 1)), 10, ReviewOutcome.LIFT))
    assert closed(s, date(2025, 8, 1)).decisions[-1].payload["retention_review_date"] == "2031-08-01"


def test_investigator_who_is_the_subjects_line_manager_is_refused() -> None:
    s = snapshot(subjects=[person(line_manager_id=200)])
    people = {200: MANAGER, 500: INDEPENDENT}
    with pytest.raises(RuleRefused, match="Alex Lane cannot be the investigator: they are the line "
                                          "manager of the subject Alex Carter; they work in the same unit"):
        assign(s, act(SUPERVISOR, RECEIVED), INVESTIGATOR, AssignmentRole.INVESTIGATOR, candidate=MANAGER,
               declared_no_prior_connection=True, people=people)
    s = intake(s)
    s = apply(s, record_restriction(s, act(SUPERVISOR, date(2025, 3, 4)), 10, [R.NO_RESTRICTION],
                                    rationale="Allegation historic; no contact since 2019",
                                    approver=SUPERVISOR_2))
    assert set(queue(s, date(2025, 3, 4))) == {DueItemKind.VICTIM_UPDATE, DueItemKind.TWELVE_MONTH_REPORT}
    s = outcomes(s, date(2025, 5, 1), O.NO_CASE_TO_ANSWER)
    closed(s, date(2025, 5, 1))
