"""Every date rule of the workflow on the day before, the day of and the day after its boundary
(DOMAIN.md §3): a due date is inclusive (overdue from the day after), a rule that starts on a date
applies from that date, and working days skip weekends and England & Wales bank holidays."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.domain.enums import AbuseType, CriminalOutcome, DueItemKind, EmploymentStatus, ListStatus, Severity
from app.domain.enums import MisconductOutcome as O
from app.domain.enums import RestrictionOption as R
from app.domain.errors import RuleRefused
from app.domain.policy import PolicyName, PolicySet, PolicyValue
from app.domain.records import CaseSnapshot
from app.domain.workflow.charge import record_suspension_exception, suspensions_due
from app.domain.workflow.closure import close_case
from app.domain.workflow.common import Act
from app.domain.workflow.criminal import record_arrest, record_criminal_outcome
from app.domain.workflow.due import ConfirmedMatch, PendingNotice, due_items, notice_due_items
from app.domain.workflow.iopc import referral_due_date
from app.domain.workflow.measures import review_due
from app.domain.workflow.notifications import (
    notification_tasks,
    record_list_notification,
    record_vetting_review,
)
from app.domain.workflow.outcomes import dismissal_expected, record_misconduct_outcome
from app.domain.workflow.recording import record_recording, record_severity, record_threshold
from app.domain.workflow.restriction import SuspensionConditions, record_restriction, record_restriction_review
from app.domain.workflow.timeliness import next_pcc_report, record_pcc_report, record_victim_update
from tests.unit.domain.workflow_builders import (
    HEAD,
    SUPERVISOR,
    SUPERVISOR_2,
    act,
    allegation,
    apply,
    person,
    policies,
    snapshot,
)

ONE_DAY = timedelta(days=1)
SUSPEND = SuspensionConditions(True, False, True)
CRIMINAL = [allegation(criminal=True, crime_ref="CR/1")]


def around(day: date) -> tuple[date, date, date]:
    return day - ONE_DAY, day, day + ONE_DAY


def assert_due_on(snap: CaseSnapshot, kind: DueItemKind, due: date, p: PolicySet | None = None) -> None:
    """Due on `due`: listed and not overdue the day before and on the day, overdue the day after."""
    for today, overdue in zip(around(due), (False, False, True), strict=True):
        items = [i for i in due_items(snap, p or policies(), today) if i.kind == kind]
        assert [(i.due_date, i.overdue) for i in items] == [(due, overdue)], today


def kinds_due(snap: CaseSnapshot, today: date, p: PolicySet | None = None) -> set[DueItemKind]:
    return {i.kind for i in due_items(snap, p or policies(), today)}


# ---- the force's local date ----------------------------------------------------------------------

@pytest.mark.parametrize(("utc", "local"), [
    (datetime(2026, 7, 13, 22, 59), date(2026, 7, 13)),  # 23:59 BST
    (datetime(2026, 7, 13, 23, 0), date(2026, 7, 14)),  # 00:00 BST: the next day begins
    (datetime(2026, 7, 13, 23, 30), date(2026, 7, 14)),  # 00:30 BST, still 13 July in UTC
    (datetime(2026, 1, 13, 23, 30), date(2026, 1, 13)),  # 23:30 GMT: winter, UTC is local
    (datetime(2026, 1, 14, 0, 0), date(2026, 1, 14)),
    (datetime(2026, 3, 29, 0, 30), date(2026, 3, 29)),  # the clocks go forward at 01:00 UTC
    (datetime(2026, 3, 28, 23, 30), date(2026, 3, 28)),
    (datetime(2026, 10, 24, 23, 30), date(2026, 10, 25)),  # last BST night
    (datetime(2026, 10, 25, 23, 30), date(2026, 10, 25)),  # back to GMT
])
def test_an_act_is_dated_by_the_forces_local_date(utc: datetime, local: date) -> None:
    assert Act(SUPERVISOR, utc).today == local


def test_a_decision_at_half_past_midnight_bst_is_dated_that_day_and_may_not_be_dated_later() -> None:
    at = Act(SUPERVISOR, datetime(2026, 7, 13, 23, 30))  # 00:30 BST on Tuesday 14 July 2026
    s = snapshot(received=date(2026, 7, 13))
    made = record_threshold(s, at, 10)
    assert made.effective_date == date(2026, 7, 14) and made.decided_at == at.at
    record_threshold(s, at, 10, on=date(2026, 7, 14))  # today is allowed
    with pytest.raises(RuleRefused, match=r"cannot be dated in the future \(2026-07-15\); give a date on or "
                                          r"before 2026-07-14"):
        record_threshold(s, at, 10, on=date(2026, 7, 15))
    # the restriction decision then falls due two working days after the local date: Thursday
    assert_due_on(apply(s, made), DueItemKind.RESTRICTION_DECISION, date(2026, 7, 16))


# ---- restriction decision: 2 working days after the threshold ----------------------------------

@pytest.mark.parametrize(("met", "due"), [
    (date(2025, 3, 6), date(2025, 3, 10)),  # Thursday -> Monday over the weekend
    (date(2025, 3, 7), date(2025, 3, 11)),  # Friday -> Tuesday
    (date(2025, 3, 10), date(2025, 3, 12)),  # Monday -> Wednesday
    (date(2025, 4, 17), date(2025, 4, 23)),  # before Good Friday and Easter Monday
    (date(2025, 12, 24), date(2025, 12, 30)),  # Christmas Day and Boxing Day
])
def test_the_restriction_decision_is_due_two_working_days_after_the_threshold(met: date, due: date) -> None:
    s = snapshot()
    s = apply(s, record_threshold(s, act(SUPERVISOR, met), 10, on=met))
    assert_due_on(s, DueItemKind.RESTRICTION_DECISION, due)


def test_the_restriction_decision_deadline_is_the_policy_on_the_threshold_date() -> None:
    p = policies(PolicyValue(PolicyName.RESTRICTION_DECISION_DEADLINE_WORKING_DAYS, 5, date(2025, 3, 11)))
    for met, due in ((date(2025, 3, 10), date(2025, 3, 12)), (date(2025, 3, 11), date(2025, 3, 18)),
                     (date(2025, 3, 12), date(2025, 3, 19))):
        s = snapshot()
        s = apply(s, record_threshold(s, act(SUPERVISOR, met), 10, on=met))
        assert_due_on(s, DueItemKind.RESTRICTION_DECISION, due, p)


def test_a_restriction_decision_on_its_due_date_ends_the_item() -> None:
    s = snapshot()
    s = apply(s, record_threshold(s, act(SUPERVISOR, date(2025, 3, 7)), 10, on=date(2025, 3, 7)))
    s = apply(s, record_restriction(s, act(SUPERVISOR, date(2025, 3, 11)), 10, [R.RESTRICTED_DUTIES]))
    assert DueItemKind.RESTRICTION_DECISION not in kinds_due(s, date(2025, 3, 12))


# ---- restriction reviews: every 28 days; 12 weeks for suspensions from 13 July 2026 --------------

def restricted(day: date, options: tuple[R, ...] = (R.RESTRICTED_DUTIES,), **kw: object) -> CaseSnapshot:
    s = snapshot(**kw)  # type: ignore[arg-type]
    return apply(s, record_restriction(s, act(SUPERVISOR, day), 10, list(options), conditions=SUSPEND, on=day))


def test_a_restriction_is_reviewed_28_days_after_it_was_imposed() -> None:
    s = restricted(date(2025, 3, 3))
    assert review_due(s, 10, policies()) == date(2025, 3, 31)
    assert_due_on(s, DueItemKind.RESTRICTION_REVIEW, date(2025, 3, 31))


def test_a_review_on_its_due_date_restarts_the_28_days_from_the_review() -> None:
    s = restricted(date(2025, 3, 3))
    s = apply(s, record_restriction_review(s, act(SUPERVISOR, date(2025, 3, 31)), 10, _continue()))
    assert_due_on(s, DueItemKind.RESTRICTION_REVIEW, date(2025, 4, 28))


def _continue():  # type: ignore[no-untyped-def]
    from app.domain.enums import ReviewOutcome

    return ReviewOutcome.CONTINUE


@pytest.mark.parametrize(("imposed", "due"), [
    (date(2025, 3, 9), date(2025, 4, 6)),  # the day before the policy: 28 days
    (date(2025, 3, 10), date(2025, 3, 24)),  # from the policy's date: 14 days
    (date(2025, 3, 11), date(2025, 3, 25)),
])
def test_the_review_period_is_the_policy_on_the_day_the_measures_were_imposed(imposed: date, due: date) -> None:
    p = policies(PolicyValue(PolicyName.RESTRICTION_REVIEW_DAYS, 14, date(2025, 3, 10)))
    assert review_due(restricted(imposed), 10, p) == due


@pytest.mark.parametrize(("conduct", "due"), [
    (date(2026, 7, 12), date(2026, 8, 31)),  # conduct before 13 July 2026: 28 days
    (date(2026, 7, 13), date(2026, 10, 26)),  # from 13 July 2026: 12 weeks
    (date(2026, 7, 14), date(2026, 10, 26)),
])
def test_a_suspension_for_conduct_from_13_july_2026_is_reviewed_every_12_weeks(conduct: date, due: date) -> None:
    s = restricted(date(2026, 8, 3), (R.SUSPENDED,), allegations=[allegation(conduct_from=conduct)],
                   received=date(2026, 7, 20))
    assert review_due(s, 10, policies()) == due
    assert_due_on(s, DueItemKind.RESTRICTION_REVIEW, due)


def test_other_measures_stay_at_28_days_after_13_july_2026() -> None:
    s = restricted(date(2026, 8, 3), allegations=[allegation(conduct_from=date(2026, 7, 14))],
                   received=date(2026, 7, 20))
    assert review_due(s, 10, policies()) == date(2026, 8, 31)


def test_without_a_conduct_date_the_suspension_review_follows_the_received_date() -> None:
    for received, due in ((date(2026, 7, 12), date(2026, 8, 31)), (date(2026, 7, 13), date(2026, 10, 26))):
        s = restricted(date(2026, 8, 3), (R.SUSPENDED,), allegations=[allegation(conduct_from=None)],
                       received=received)
        assert review_due(s, 10, policies()) == due


# ---- suspension on charge (1 working day) and its exception ---------------------------------------

FRIDAY = date(2025, 3, 7)
MONDAY = date(2025, 3, 10)


def charged(day: date = FRIDAY, p: PolicySet | None = None) -> CaseSnapshot:
    s = snapshot(allegations=CRIMINAL)
    return apply(s, record_criminal_outcome(s, act(SUPERVISOR, day), 10, CriminalOutcome.CHARGED,
                                            p or policies(), on=day, offence="Controlling behaviour"))


def test_suspension_is_due_one_working_day_after_the_charge() -> None:
    assert_due_on(charged(), DueItemKind.SUSPENSION_ON_CHARGE, MONDAY)  # Friday -> Monday
    assert_due_on(charged(date(2025, 4, 17)), DueItemKind.SUSPENSION_ON_CHARGE, date(2025, 4, 22))  # Easter
    assert_due_on(charged(date(2025, 3, 11)), DueItemKind.SUSPENSION_ON_CHARGE, date(2025, 3, 12))


@pytest.mark.parametrize(("dated", "met"), [(FRIDAY + ONE_DAY, True), (FRIDAY, True)])
def test_an_exception_approved_on_or_after_the_day_of_the_charge_meets_it(dated: date, met: bool) -> None:
    s = charged()
    d = record_suspension_exception(s, act(SUPERVISOR, MONDAY), 10, policies(),
                                    rationale="Sole carer of a disabled child", approver=HEAD, on=dated)
    assert (d.effective_date, d.approved_by) == (dated, HEAD.id)
    after = apply(s, d)
    assert [x.met for x in suspensions_due(after, 10, policies())] == [met]
    assert DueItemKind.SUSPENSION_ON_CHARGE not in kinds_due(after, MONDAY + ONE_DAY)


def test_an_exception_cannot_be_dated_before_the_charge() -> None:
    with pytest.raises(RuleRefused, match=r"The exception cannot be dated before the charge it answers "
                                          r"\(2025-03-07\)"):
        record_suspension_exception(charged(), act(SUPERVISOR, MONDAY), 10, policies(),
                                    rationale="Sole carer", approver=HEAD, on=FRIDAY - ONE_DAY)


def test_an_exception_recorded_before_a_later_charge_does_not_meet_the_later_one() -> None:
    s = charged()
    s = apply(s, record_suspension_exception(s, act(SUPERVISOR, FRIDAY), 10, policies(),
                                             rationale="Sole carer", approver=HEAD))
    later = date(2025, 6, 2)
    s = apply(s, record_criminal_outcome(s, act(SUPERVISOR, later), 10, CriminalOutcome.CHARGED, policies(),
                                         on=later, offence="Assault by beating"))
    assert [(x.trigger_date, x.met) for x in suspensions_due(s, 10, policies())] == [
        (FRIDAY, True), (later, False)]


@pytest.mark.parametrize(("suspended", "met"), [
    (FRIDAY - ONE_DAY, True),  # suspended the day before the charge and still suspended
    (FRIDAY, True),  # on the day of the charge
    (MONDAY, True),  # on the due date
])
def test_a_suspension_on_or_around_the_charge_meets_it(suspended: date, met: bool) -> None:
    s = charged()
    s = apply(s, record_restriction(s, act(SUPERVISOR, MONDAY), 10, [R.SUSPENDED], conditions=SUSPEND,
                                    on=suspended))
    assert [x.met for x in suspensions_due(s, 10, policies())] == [met]


def test_a_suspension_lifted_before_the_charge_does_not_meet_it() -> None:
    from app.domain.enums import ReviewOutcome

    s = snapshot(allegations=CRIMINAL)
    s = apply(s, record_restriction(s, act(SUPERVISOR, date(2025, 3, 3)), 10, [R.SUSPENDED], conditions=SUSPEND))
    s = apply(s, record_restriction_review(s, act(SUPERVISOR, FRIDAY - ONE_DAY), 10, ReviewOutcome.LIFT))
    s = apply(s, record_criminal_outcome(s, act(SUPERVISOR, FRIDAY), 10, CriminalOutcome.CHARGED, policies(),
                                         offence="Controlling behaviour"))
    assert [x.met for x in suspensions_due(s, 10, policies())] == [False]


@pytest.mark.parametrize(("policy_from", "due"), [
    (FRIDAY - ONE_DAY, False), (FRIDAY, False), (FRIDAY + ONE_DAY, True),
])
def test_suspend_on_charge_is_the_policy_on_the_charge_date(policy_from: date, due: bool) -> None:
    off = policies(PolicyValue(PolicyName.SUSPEND_ON_CHARGE, False, policy_from))
    assert bool(suspensions_due(charged(p=off), 10, off)) is due


@pytest.mark.parametrize(("arrested", "due"), [
    (date(2026, 7, 12), None),  # before 13 July 2026 an arrest makes nothing due
    (date(2026, 7, 13), date(2026, 7, 14)),
    (date(2026, 7, 14), date(2026, 7, 15)),
])
def test_the_arrest_presumption_applies_from_13_july_2026(arrested: date, due: date | None) -> None:
    s = snapshot(allegations=CRIMINAL, received=date(2026, 7, 1))
    s = apply(s, record_arrest(s, act(SUPERVISOR, arrested), 10, offence="Rape", on=arrested))
    found = suspensions_due(s, 10, policies())
    assert [x.due_date for x in found] == ([due] if due else [])
    if due:
        assert_due_on(s, DueItemKind.SUSPENSION_ON_CHARGE, due)


def test_an_arrest_for_an_offence_that_is_neither_da_nor_sexual_makes_nothing_due() -> None:
    s = snapshot(allegations=CRIMINAL, received=date(2026, 7, 1))
    day = date(2026, 7, 14)
    s = apply(s, record_arrest(s, act(SUPERVISOR, day), 10, offence="Theft", da_or_sexual_offence=False, on=day))
    assert suspensions_due(s, 10, policies()) == []


# ---- IOPC referral: by the end of the next working day -------------------------------------------

SEXUAL = [allegation(abuse_types=frozenset({AbuseType.SEXUAL}))]


@pytest.mark.parametrize(("recorded", "due"), [
    (date(2025, 3, 6), date(2025, 3, 7)),  # Thursday -> Friday
    (date(2025, 3, 7), date(2025, 3, 10)),  # Friday -> Monday
    (date(2025, 8, 22), date(2025, 8, 26)),  # Friday before the summer bank holiday -> Tuesday
])
def test_the_iopc_referral_is_due_by_the_end_of_the_next_working_day(recorded: date, due: date) -> None:
    s = snapshot(allegations=SEXUAL, received=recorded - timedelta(days=3))
    s = apply(s, record_recording(s, act(SUPERVISOR, recorded), allegation_id=10, on=recorded))
    assert referral_due_date(s, 10, policies()) == due
    assert_due_on(s, DueItemKind.IOPC_REFERRAL, due)


def test_without_a_recording_decision_the_referral_runs_from_the_received_date() -> None:
    s = snapshot(allegations=SEXUAL, received=date(2025, 3, 7))
    assert_due_on(s, DueItemKind.IOPC_REFERRAL, date(2025, 3, 10))


# ---- victim updates: every 28 days while the case is open ----------------------------------------

def test_a_victim_is_updated_28_days_after_receipt_then_28_days_after_each_update() -> None:
    s = snapshot(received=date(2025, 3, 3))
    assert_due_on(s, DueItemKind.VICTIM_UPDATE, date(2025, 3, 31))
    s = apply(s, record_victim_update(s, act(SUPERVISOR, date(2025, 3, 31)), "V1", method="Phone call"))
    assert_due_on(s, DueItemKind.VICTIM_UPDATE, date(2025, 4, 28))


@pytest.mark.parametrize(("updated", "due"), [
    (date(2025, 3, 30), date(2025, 4, 27)), (date(2025, 3, 31), date(2025, 4, 14)),
])
def test_the_update_interval_is_the_policy_on_the_last_update(updated: date, due: date) -> None:
    p = policies(PolicyValue(PolicyName.VICTIM_UPDATE_DAYS, 14, date(2025, 3, 31)))
    s = snapshot(received=date(2025, 3, 3))
    s = apply(s, record_victim_update(s, act(SUPERVISOR, updated), "V1"))
    assert_due_on(s, DueItemKind.VICTIM_UPDATE, due, p)


# ---- reports to the PCC: 12 months after receipt, then every 6 months ----------------------------

@pytest.mark.parametrize(("received", "dues"), [
    (date(2025, 3, 3), (date(2026, 3, 3), date(2026, 9, 3), date(2027, 3, 3))),
    (date(2024, 8, 31), (date(2025, 8, 31), date(2026, 2, 28), date(2026, 8, 31))),  # month ends clamp
    (date(2024, 2, 29), (date(2025, 2, 28), date(2025, 8, 29), date(2026, 2, 28))),
])
def test_the_pcc_reports_fall_due_12_months_after_receipt_and_every_6_months_after(
        received: date, dues: tuple[date, ...]) -> None:
    s = snapshot(received=received)
    for number, due in enumerate(dues, start=1):
        assert next_pcc_report(s, policies()) == (number, due)
        assert_due_on(s, DueItemKind.TWELVE_MONTH_REPORT, due)
        made = record_pcc_report(s, act(SUPERVISOR, due), policies())
        assert made.payload == {"report_number": number, "due_date": due.isoformat()}
        s = apply(s, made)


def test_no_pcc_report_is_due_once_the_investigation_has_finished() -> None:
    s = snapshot(received=date(2025, 3, 3))
    s = apply(s, record_misconduct_outcome(s, act(SUPERVISOR, date(2025, 9, 1)), 10, O.NO_CASE_TO_ANSWER, policies()))
    assert next_pcc_report(s, policies()) is None
    assert DueItemKind.TWELVE_MONTH_REPORT not in kinds_due(s, date(2026, 3, 4))


# ---- list notifications and vetting reviews ------------------------------------------------------

def dismissed(day: date) -> CaseSnapshot:
    s = snapshot()
    for value in (O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.MISCONDUCT_HEARING, O.GROSS_MISCONDUCT,
                  O.DISMISSAL_WITHOUT_NOTICE):
        s = apply(s, record_misconduct_outcome(s, act(SUPERVISOR, day), 10, value, policies()))
    return s


def test_a_barred_list_notification_is_due_7_days_after_the_dismissal() -> None:
    day = date(2025, 6, 2)
    s = dismissed(day)
    assert_due_on(s, DueItemKind.LIST_NOTIFICATION, date(2025, 6, 9))
    [task] = [t for t in notification_tasks(s, policies()) if t.kind == DueItemKind.LIST_NOTIFICATION]
    assert (task.list_status, task.triggered_on) == (ListStatus.BARRED, day)


@pytest.mark.parametrize(("notified", "done"), [
    (date(2025, 6, 1), False), (date(2025, 6, 2), True), (date(2025, 6, 3), True),
])
def test_a_notification_counts_from_the_day_of_the_dismissal(notified: date, done: bool) -> None:
    s = dismissed(date(2025, 6, 2))
    s = apply(s, record_list_notification(s, act(SUPERVISOR, date(2025, 6, 3)), 100, ListStatus.BARRED,
                                          on=notified, reference="CoP/1"))
    [task] = [t for t in notification_tasks(s, policies()) if t.kind == DueItemKind.LIST_NOTIFICATION]
    assert task.done is done


def test_a_notification_for_the_other_list_does_not_count() -> None:
    s = dismissed(date(2025, 6, 2))
    s = apply(s, record_list_notification(s, act(SUPERVISOR, date(2025, 6, 3)), 100, ListStatus.ADVISORY))
    assert DueItemKind.LIST_NOTIFICATION in kinds_due(s, date(2025, 6, 3))


@pytest.mark.parametrize(("left", "advisory"), [
    (date(2025, 3, 2), False),  # left before the case was received: not under investigation
    (date(2025, 3, 3), True),  # on the day it was received
    (date(2025, 3, 4), True),
])
def test_leaving_on_or_after_receipt_makes_an_advisory_list_notification_due(left: date, advisory: bool) -> None:
    s = snapshot(received=date(2025, 3, 3),
                 subjects=[person(employment_status=EmploymentStatus.RESIGNED, end_date=left)])
    tasks = [t for t in notification_tasks(s, policies()) if t.list_status == ListStatus.ADVISORY]
    assert [(t.triggered_on, t.due_date) for t in tasks] == ([(left, left + timedelta(days=7))] if advisory else [])


@pytest.mark.parametrize(("final", "advisory"), [
    (date(2025, 4, 30), False), (date(2025, 5, 1), False), (date(2025, 5, 2), True),
])
def test_a_final_outcome_on_or_before_the_leaving_date_means_no_advisory_notification(
        final: date, advisory: bool) -> None:
    s = snapshot(received=date(2025, 3, 3),
                 subjects=[person(employment_status=EmploymentStatus.RETIRED, end_date=date(2025, 5, 1))])
    s = apply(s, record_misconduct_outcome(s, act(SUPERVISOR, final), 10, O.NO_CASE_TO_ANSWER, policies(), on=final))
    tasks = [t for t in notification_tasks(s, policies()) if t.list_status == ListStatus.ADVISORY]
    assert bool(tasks) is advisory


def convicted(day: date, **kw: object) -> CaseSnapshot:
    s = snapshot(allegations=CRIMINAL)
    return apply(s, record_criminal_outcome(s, act(SUPERVISOR, day), 10, CriminalOutcome.CONVICTED, policies(),
                                            on=day, offence="Assault by beating", **kw))  # type: ignore[arg-type]


def test_a_conviction_makes_a_vetting_review_due_28_days_later() -> None:
    s = convicted(date(2025, 6, 2))
    assert_due_on(s, DueItemKind.VETTING_REVIEW, date(2025, 6, 30))


@pytest.mark.parametrize(("reviewed", "done"), [
    (date(2025, 6, 1), False), (date(2025, 6, 2), True), (date(2025, 6, 3), True),
])
def test_a_vetting_review_counts_from_the_day_of_its_trigger(reviewed: date, done: bool) -> None:
    s = convicted(date(2025, 6, 2))
    s = apply(s, record_vetting_review(s, act(SUPERVISOR, date(2025, 6, 3)), 100, result="Vetting withdrawn",
                                       on=reviewed))
    [task] = [t for t in notification_tasks(s, policies()) if t.kind == DueItemKind.VETTING_REVIEW]
    assert task.done is done


def test_a_misconduct_finding_without_dismissal_makes_a_vetting_review_due_from_the_final_outcome() -> None:
    s = snapshot()
    day = date(2025, 6, 2)
    for value in (O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_MEETING, O.MISCONDUCT, O.WRITTEN_WARNING):
        s = apply(s, record_misconduct_outcome(s, act(SUPERVISOR, day), 10, value, policies()))
    assert_due_on(s, DueItemKind.VETTING_REVIEW, date(2025, 6, 30))


def test_notice_triage_is_due_5_working_days_after_receipt_and_a_confirmed_match_needs_a_vetting_review() -> None:
    pending = [PendingNotice("N1", date(2025, 4, 17), "crime")]  # Easter: 22, 23, 24, 25, 28 April
    confirmed = [ConfirmedMatch("N2", 7, "Alex Carter", date(2025, 6, 2))]
    for today, overdue in zip(around(date(2025, 4, 28)), (False, False, True), strict=True):
        [triage] = list(notice_due_items(pending, [], policies(), today))
        assert (triage.due_date, triage.overdue, triage.detail) == (date(2025, 4, 28), overdue,
                                                                    "triage notice N1: crime")
    for today, overdue in zip(around(date(2025, 6, 30)), (False, False, True), strict=True):
        [review] = notice_due_items([], confirmed, policies(), today)
        assert (review.kind, review.due_date, review.overdue) == (DueItemKind.VETTING_REVIEW, date(2025, 6, 30),
                                                                  overdue)


@pytest.mark.parametrize(("done_on", "due"), [(date(2025, 6, 1), True), (date(2025, 6, 2), False),
                                              (date(2025, 6, 3), False)])
def test_a_confirmed_matchs_vetting_review_counts_from_the_confirmation(done_on: date, due: bool) -> None:
    match = ConfirmedMatch("N2", 7, "Alex Carter", date(2025, 6, 2), done_on)
    assert bool(notice_due_items([], [match], policies(), date(2025, 6, 3))) is due


# ---- conviction: accelerated hearing; indictable-only from 28 May 2025 ---------------------------

def test_an_accelerated_hearing_is_expected_15_working_days_after_a_conviction() -> None:
    [expected] = dismissal_expected(convicted(date(2025, 5, 30)), policies())
    assert (expected.convicted_on, expected.accelerated_hearing_due) == (date(2025, 5, 30), date(2025, 6, 20))


@pytest.mark.parametrize(("day", "gross"), [
    (date(2025, 5, 27), False), (date(2025, 5, 28), True), (date(2025, 5, 29), True),
])
def test_an_indictable_only_conviction_is_gross_misconduct_from_28_may_2025(day: date, gross: bool) -> None:
    s = snapshot(allegations=CRIMINAL)
    made = record_criminal_outcome(s, act(SUPERVISOR, day), 10, CriminalOutcome.CONVICTED, policies(), on=day,
                                   offence="Rape", indictable_only=True)
    assert [d.payload.get("severity") for d in made] == ([None, "GROSS_MISCONDUCT"] if gross else [None])
    after = apply(s, made)
    if gross:
        with pytest.raises(RuleRefused, match="always gross misconduct"):
            record_severity(after, act(SUPERVISOR, day), Severity.MISCONDUCT, policies(), allegation_id=10)
    else:
        record_severity(after, act(SUPERVISOR, day), Severity.MISCONDUCT, policies(), allegation_id=10)


# ---- closure and retention review dates ----------------------------------------------------------

def closable(day: date) -> CaseSnapshot:
    s = snapshot()
    return apply(s, record_misconduct_outcome(s, act(SUPERVISOR, day), 10, O.NO_CASE_TO_ANSWER, policies()))


@pytest.mark.parametrize(("closed", "review"), [
    (date(2025, 6, 2), date(2031, 6, 2)),
    (date(2024, 2, 29), date(2030, 2, 28)),  # 29 February: the review is on 28 February
])
def test_a_closed_case_is_reviewed_for_retention_6_years_after_closure(closed: date, review: date) -> None:
    d = close_case(closable(closed), act(SUPERVISOR, closed), policies())
    assert d.payload == {"closed_date": closed.isoformat(), "retention_review_date": review.isoformat(),
                         "barred_list_matter": False}


@pytest.mark.parametrize(("closed", "years"), [
    (date(2025, 6, 1), 6), (date(2025, 6, 2), 10), (date(2025, 6, 3), 10),
])
def test_the_retention_period_is_the_policy_on_the_closure_date(closed: date, years: int) -> None:
    p = policies(PolicyValue(PolicyName.RETENTION_YEARS, 10, date(2025, 6, 2)))
    d = close_case(closable(closed), act(SUPERVISOR, closed), p)
    assert d.payload["retention_review_date"] == closed.replace(year=closed.year + years).isoformat()


def test_a_barred_list_matter_has_no_retention_review_date() -> None:
    s = dismissed(date(2025, 6, 2))
    s = apply(s, record_list_notification(s, act(SUPERVISOR, date(2025, 6, 3)), 100, ListStatus.BARRED))
    d = close_case(s, act(SUPERVISOR, date(2025, 6, 3)), policies())
    assert (d.payload["retention_review_date"], d.payload["barred_list_matter"]) == (None, True)


def test_a_case_closes_on_the_day_it_is_closed_not_later() -> None:
    day = date(2025, 6, 2)
    with pytest.raises(RuleRefused, match="cannot be dated in the future"):
        close_case(closable(day), act(SUPERVISOR, day), policies(), on=day + ONE_DAY)
    assert close_case(closable(day), act(SUPERVISOR_2, day), policies(), on=day).effective_date == day
