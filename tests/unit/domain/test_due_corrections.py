"""A correction (a policy value recorded after its effective date) applies to due dates already
past, and each due item whose date it set names it: what, when recorded, by whom and why."""

from __future__ import annotations

from datetime import date, datetime

from app.domain.enums import CriminalOutcome, DueItemKind
from app.domain.enums import RestrictionOption as R
from app.domain.policy import PolicyName, PolicySet, PolicyValue
from app.domain.records import CaseSnapshot
from app.domain.workflow.criminal import record_criminal_outcome
from app.domain.workflow.due import ConfirmedMatch, DueItem, due_items, notice_due_items
from app.domain.workflow.restriction import record_restriction
from tests.unit.domain.workflow_builders import SUPERVISOR, act, allegation, apply, policies, snapshot

RECORDED = datetime(2025, 3, 20, 9, 0)
TODAY = date(2025, 3, 20)
REASON = "Force policy since 2020 is 14 days"
NOTE = (" (due date set by a policy correction: restriction-review-days 14 from 2020-01-01, recorded 2025-03-20 "
        f"by admin: {REASON})")


def restricted() -> CaseSnapshot:
    s = snapshot(received=date(2025, 3, 3))
    return apply(s, record_restriction(s, act(SUPERVISOR, date(2025, 3, 3)), 10, [R.RESTRICTED_DUTIES]))


def review_days(value: int, effective: date, at: datetime = RECORDED, reason: str | None = REASON,
                by: str | None = "admin") -> PolicyValue:
    return PolicyValue(PolicyName.RESTRICTION_REVIEW_DAYS, value, effective, at, by, reason)


def items(s: CaseSnapshot, p: PolicySet, **kw: bool) -> dict[DueItemKind, DueItem]:
    return {i.kind: i for i in due_items(s, p, TODAY, **kw)}


def test_a_correction_moves_a_past_due_date_and_the_item_names_it() -> None:
    correction = review_days(14, date(2020, 1, 1))
    found = items(restricted(), policies(correction))
    review = found[DueItemKind.RESTRICTION_REVIEW]
    assert (review.due_date, review.overdue, review.corrected_by) == (date(2025, 3, 17), True, correction)
    assert review.detail == "Alex Carter: review restricted duties" + NOTE
    victim = found[DueItemKind.VICTIM_UPDATE]  # not moved by it
    assert (victim.detail, victim.corrected_by) == ("victim V1", None)


def test_without_explanations_the_due_dates_are_the_same_and_unannotated() -> None:
    review = items(restricted(), policies(review_days(14, date(2020, 1, 1))),
                   explain_corrections=False)[DueItemKind.RESTRICTION_REVIEW]
    assert (review.due_date, review.detail, review.corrected_by) == (
        date(2025, 3, 17), "Alex Carter: review restricted duties", None)


def test_a_value_set_from_today_or_later_is_no_correction_and_names_nothing() -> None:
    for effective in (TODAY, date(2025, 4, 1)):
        review = items(restricted(), policies(review_days(14, effective)))[DueItemKind.RESTRICTION_REVIEW]
        assert (review.due_date, review.corrected_by) == (date(2025, 3, 31), None)


def test_a_correction_that_leaves_the_due_date_as_it_was_names_nothing() -> None:
    unchanged = review_days(28, date(2020, 1, 1))
    later_only = review_days(14, date(2025, 3, 4))  # applies after the restriction was imposed
    review = items(restricted(), policies(unchanged, later_only))[DueItemKind.RESTRICTION_REVIEW]
    assert (review.due_date, review.corrected_by) == (date(2025, 3, 31), None)


def test_the_latest_correction_that_moved_the_date_is_named() -> None:
    first = review_days(21, date(2020, 1, 1), datetime(2025, 3, 18, 9), "first correction")
    second = review_days(14, date(2020, 1, 1), datetime(2025, 3, 19, 9), "second correction")
    third = PolicyValue(PolicyName.VICTIM_UPDATE_DAYS, 21, date(2020, 1, 1), datetime(2025, 3, 19, 10), "admin", "v")
    found = items(restricted(), policies(first, second, third))
    review = found[DueItemKind.RESTRICTION_REVIEW]
    assert (review.due_date, review.corrected_by) == (date(2025, 3, 17), second)
    assert review.detail.endswith("recorded 2025-03-19 by admin: second correction)")
    assert found[DueItemKind.VICTIM_UPDATE].corrected_by == third


def test_an_item_only_a_correction_made_due_names_it() -> None:
    s = snapshot(allegations=[allegation(criminal=True, crime_ref="CR/1")])
    off = PolicyValue(PolicyName.SUSPEND_ON_CHARGE, False, date(2020, 1, 1), datetime(2025, 3, 1), "admin")
    s = apply(s, record_criminal_outcome(s, act(SUPERVISOR, date(2025, 3, 7)), 10, CriminalOutcome.CHARGED,
                                         policies(off), offence="Assault"))
    on_again = PolicyValue(PolicyName.SUSPEND_ON_CHARGE, True, date(2020, 1, 1), RECORDED, None, None)
    found = items(s, policies(off, on_again))
    assert DueItemKind.SUSPENSION_ON_CHARGE not in items(s, policies(off))
    item = found[DueItemKind.SUSPENSION_ON_CHARGE]
    assert item.corrected_by == on_again
    assert item.detail.endswith("(due date set by a policy correction: suspend-on-charge ON from 2020-01-01, "
                                "recorded 2025-03-20 by unknown: no reason recorded)")


def test_a_corrected_vetting_review_period_is_named_on_a_confirmed_match() -> None:
    correction = PolicyValue(PolicyName.VETTING_REVIEW_DAYS, 14, date(2020, 1, 1), RECORDED, "admin", "SLA")
    match = ConfirmedMatch("N1", 7, "Alex Carter", date(2025, 3, 3))
    [item] = notice_due_items([], [match], policies(correction), TODAY)
    assert (item.due_date, item.overdue, item.corrected_by) == (date(2025, 3, 17), True, correction)
    assert item.detail.startswith("Alex Carter: confirmed prior-notice match (due date set by a policy correction")


def test_a_correction_that_takes_a_policy_out_of_force_says_not_set() -> None:
    from app.domain.workflow.restriction import SuspensionConditions

    s = snapshot(received=date(2026, 7, 20), allegations=[allegation(conduct_from=date(2026, 7, 14))])
    s = apply(s, record_restriction(s, act(SUPERVISOR, date(2026, 8, 3)), 10, [R.SUSPENDED],
                                    conditions=SuspensionConditions(True, True, False)))
    none = PolicyValue(PolicyName.SUSPENSION_REVIEW_WEEKS, None, date(2026, 7, 13), datetime(2026, 8, 4, 9), "admin",
                       "Not adopted")
    [review] = [i for i in due_items(s, policies(none), date(2026, 8, 4)) if i.kind == DueItemKind.RESTRICTION_REVIEW]
    assert review.due_date == date(2026, 8, 31)  # 28 days, not 12 weeks
    assert "suspension-review-weeks not set from 2026-07-13, recorded 2026-08-04 by admin: Not adopted" in review.detail
