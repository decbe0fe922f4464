"""Notifications (lists, vetting) and closing a case (DOMAIN.md §3.4, §7)."""

from datetime import date

import pytest

from app.domain.enums import DecisionKind, DueItemKind, EmploymentStatus, ListStatus, ReviewOutcome
from app.domain.enums import MisconductOutcome as O
from app.domain.enums import RestrictionOption as R
from app.domain.errors import RuleRefused
from app.domain.workflow.closure import close_case, closure_blockers
from app.domain.workflow.notifications import notification_tasks, record_list_notification, record_vetting_review
from app.domain.workflow.outcomes import record_misconduct_outcome
from app.domain.workflow.restriction import record_restriction, record_restriction_review
from tests.unit.domain.workflow_builders import (
    HEAD,
    SUPERVISOR,
    act,
    allegation,
    apply,
    imported,
    person,
    policies,
    snapshot,
)

DAY = date(2025, 9, 1)


def outcomes(s, *values):  # type: ignore[no-untyped-def]
    for o in values:
        s = apply(s, record_misconduct_outcome(s, act(SUPERVISOR, DAY), 10, o, policies()))
    return s


def test_dismissal_raises_a_barred_list_task() -> None:
    s = outcomes(snapshot(), O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.MISCONDUCT_HEARING,
                 O.GROSS_MISCONDUCT, O.DISMISSAL_WITHOUT_NOTICE)
    [task] = notification_tasks(s, policies())
    assert (task.kind, task.list_status, task.due_date, task.done) == (
        DueItemKind.LIST_NOTIFICATION, ListStatus.BARRED, date(2025, 9, 8), False)
    s = apply(s, record_list_notification(s, act(HEAD, DAY), 100, ListStatus.BARRED, reference="BL-1"))
    assert notification_tasks(s, policies())[0].done
    closing = close_case(s, act(SUPERVISOR, DAY), policies())
    assert closing.payload == {"closed_date": "2025-09-01", "retention_review_date": None,
                               "barred_list_matter": True}


def test_a_finding_without_dismissal_raises_a_vetting_review() -> None:
    s = outcomes(snapshot(), O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_MEETING, O.MISCONDUCT,
                 O.WRITTEN_WARNING)
    [task] = notification_tasks(s, policies())
    assert (task.kind, task.trigger, task.due_date) == (
        DueItemKind.VETTING_REVIEW, "misconduct finding without dismissal", date(2025, 9, 29))
    with pytest.raises(RuleRefused, match="A vetting review needs its result"):
        record_vetting_review(s, act(SUPERVISOR, DAY), 100, result=" ")
    s = apply(s, record_vetting_review(s, act(SUPERVISOR, DAY), 100, result="Clearance retained"))
    assert notification_tasks(s, policies())[0].done
    assert notification_tasks(outcomes(snapshot(), O.NO_CASE_TO_ANSWER), policies()) == []


def test_list_notifications_are_for_a_list_and_a_subject() -> None:
    with pytest.raises(RuleRefused, match="for the BARRED or the ADVISORY list"):
        record_list_notification(snapshot(), act(HEAD, DAY), 100, ListStatus.NONE)
    with pytest.raises(RuleRefused, match="Person 7 is not a subject of case PSD-2025-000001"):
        record_list_notification(snapshot(), act(HEAD, DAY), 7, ListStatus.ADVISORY)


def test_closure_is_refused_listing_what_remains() -> None:
    s = snapshot(allegations=[allegation(criminal=True)],
                 subjects=[person(employment_status=EmploymentStatus.RESIGNED, end_date=date(2025, 4, 1))])
    s = apply(s, imported(DecisionKind.RESTRICTION, {"options": ["RESTRICTED_DUTIES"]}, date(2025, 3, 10)))
    assert closure_blockers(s, policies()) == [
        "allegation 10 (Alex Carter) has no final misconduct outcome",
        "allegation 10 (Alex Carter) has no criminal outcome",
        "allegation 10 (Alex Carter) has restrictions in force (restricted duties): end them with a "
        "review that lifts them",
        "the Advisory List notification for Alex Carter (resigned while under investigation) is not done",
    ]
    with pytest.raises(RuleRefused, match="Case PSD-2025-000001 cannot be closed yet: allegation 10"):
        close_case(s, act(SUPERVISOR, DAY), policies())


def test_closure_sets_the_retention_review_date() -> None:
    s = outcomes(snapshot(), O.NO_CASE_TO_ANSWER)
    s = apply(s, record_restriction(s, act(SUPERVISOR, DAY), 10, [R.REDEPLOYED_LOCATION]))
    with pytest.raises(RuleRefused, match="end them with a review that lifts them"):
        close_case(s, act(SUPERVISOR, DAY), policies())
    s = apply(s, record_restriction_review(s, act(SUPERVISOR, DAY), 10, ReviewOutcome.LIFT))
    closing = close_case(s, act(SUPERVISOR, DAY), policies())
    assert closing.kind == DecisionKind.CLOSURE
    assert closing.payload["retention_review_date"] == "2031-09-01"
