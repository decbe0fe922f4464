"""Policies are dated data with a history (DOMAIN.md "policy"): set from a date, refused when
malformed, each change logged; a back-dated change is a correction that needs a reason, applies to
due dates already past while saying so, and what was recorded at any earlier time can be shown."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.enums import DueItemKind, GuidanceCoverage, Role
from app.domain.enums import RestrictionOption as R
from app.domain.errors import InvalidInput, PermissionDenied
from app.domain.policy import PolicyName
from app.persistence.models import AccessLogRow, PolicyRow
from app.services import casework as cw
from app.services import clock, policies
from tests.helpers import Env, force_env
from tests.integration.test_casework_support import RECEIVED, World, allegation_ids, new_case, pin, world

__all__ = ["world"]
TODAY = date(2025, 6, 2)  # a Monday; RECEIVED (3 March 2025) and the review dates below are past
REASON = "Force policy since 2020 is 14 days; 28 was entered in error"


@pytest.fixture
def env(db_url: str):
    with force_env(db_url) as e:
        clock.pin(datetime(2025, 6, 2, 9, 0))
        yield e
    clock.pin(None)


def policy_log(env: Env) -> list[tuple[str | None, str | None]]:
    with env.uow() as uow:
        return [(r.detail, r.reason) for r in uow.session.scalars(
            select(AccessLogRow).where(AccessLogRow.record_type == "policy").order_by(AccessLogRow.seq))]


def test_value_in_force_depends_on_the_date(env: Env) -> None:
    policies.set_policy(env.uow(), env.admin, "external-investigation-guidance", "some", date(2024, 1, 1),
                        reason="Guidance adopted on 1 January 2024")
    policies.set_policy(env.uow(), env.admin, "external-investigation-guidance", "ALL", date(2025, 7, 1))
    current = policies.current(env.uow())
    name = PolicyName.EXTERNAL_INVESTIGATION_GUIDANCE
    assert current.coverage_on(name, date(2023, 12, 31)) == GuidanceCoverage.NONE
    assert current.coverage_on(name, date(2025, 6, 30)) == GuidanceCoverage.SOME
    assert current.coverage_on(name, date(2025, 7, 1)) == GuidanceCoverage.ALL
    assert policy_log(env) == [
        ("correction: external-investigation-guidance = SOME from 2024-01-01 (was NONE)",
         "Guidance adopted on 1 January 2024"),
        ("external-investigation-guidance = ALL from 2025-07-01 (was SOME)", None)]


def test_bad_policy_input_is_refused(env: Env) -> None:
    with pytest.raises(InvalidInput, match="Unknown policy 'colour'"):
        policies.set_policy(env.uow(), env.admin, "colour", "red", TODAY)
    with pytest.raises(InvalidInput, match="needs NONE, SOME or ALL"):
        policies.set_policy(env.uow(), env.admin, "role-restriction-guidance", "MOSTLY", TODAY)
    policies.set_policy(env.uow(), env.admin, "restriction-review-days", "21", TODAY)
    with pytest.raises(InvalidInput,
                       match="restriction-review-days is already 21 from 2025-06-02; nothing was changed"):
        policies.set_policy(env.uow(), env.admin, "restriction-review-days", "21", TODAY)
    sup = env.user("sup", Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        policies.set_policy(env.uow(), sup, "restriction-review-days", "14", TODAY)
    with env.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(PolicyRow)) == 1


def test_matching_thresholds_cannot_be_set_upside_down(env: Env) -> None:
    with pytest.raises(InvalidInput, match="review threshold .* would be above the match threshold"):
        policies.set_policy(env.uow(), env.admin, "match-review-threshold", "0.95", TODAY)
    policies.set_policy(env.uow(), env.admin, "match-review-threshold", "0.6", TODAY)
    with pytest.raises(InvalidInput, match="would be above"):
        policies.set_policy(env.uow(), env.admin, "match-auto-threshold", "0.5", date(2023, 1, 1), reason="x")


def test_a_back_dated_change_without_a_reason_is_refused_and_changes_nothing(env: Env) -> None:
    for blank in (None, "", "   "):
        with pytest.raises(InvalidInput, match=r"2020-01-01 is before today \(2025-06-02\): setting "
                                               r"restriction-review-days from then corrects what applied on days "
                                               r"that have passed, so it needs a reason"):
            policies.set_policy(env.uow(), env.admin, "restriction-review-days", "14", date(2020, 1, 1), reason=blank)
    # the day before today is already the past; today and later are not corrections
    with pytest.raises(InvalidInput, match="needs a reason"):
        policies.set_policy(env.uow(), env.admin, "restriction-review-days", "14", TODAY - timedelta(days=1))
    assert not policies.set_policy(env.uow(), env.admin, "restriction-review-days", "14", TODAY).correction
    assert not policies.set_policy(env.uow(), env.admin, "victim-update-days", "21",
                                   TODAY + timedelta(days=1)).correction
    assert [d for d, _ in policy_log(env)] == ["restriction-review-days = 14 from 2025-06-02 (was 28)",
                                               "victim-update-days = 21 from 2025-06-03 (was 28)"]


def test_the_boundary_of_today_is_the_local_date_after_midnight_bst(env: Env) -> None:
    # 23:30 UTC on 13 July 2026 is 00:30 BST on 14 July: 13 July has passed in the force.
    clock.pin(datetime(2026, 7, 13, 23, 30))
    with pytest.raises(InvalidInput, match=r"2026-07-13 is before today \(2026-07-14\)"):
        policies.set_policy(env.uow(), env.admin, "victim-update-days", "21", date(2026, 7, 13))
    change = policies.set_policy(env.uow(), env.admin, "victim-update-days", "21", date(2026, 7, 14))
    assert not change.correction and not change.value.correction


def _review_case(w: World) -> tuple[int, int]:
    """A case whose restriction (imposed on RECEIVED) is reviewed every 28 days by default."""
    created = new_case(w)
    aid = allegation_ids(w, created.case_id)["S100"]
    cw.record_threshold(w.uow(), w.sup, created.case_id, aid, on=RECEIVED)
    cw.record_restriction(w.uow(), w.sup, created.case_id, aid, [R.RESTRICTED_DUTIES], on=RECEIVED)
    return created.case_id, aid


def test_a_correction_applies_to_past_due_dates_and_says_so(world: World) -> None:
    case_id, _ = _review_case(world)
    pin(date(2025, 3, 20), 9)
    review = world.due(world.sup, "PSD-2025-000001")[DueItemKind.RESTRICTION_REVIEW]
    assert (review.due_date, review.overdue) == (date(2025, 3, 31), False)
    assert world.case(case_id).next_due_date == date(2025, 3, 31)

    change = policies.set_policy(world.uow(), world.env.admin, "restriction-review-days", "14", date(2020, 1, 1),
                                 reason=REASON)
    assert (change.correction, change.previous, change.cases_with_new_due_dates) == (True, "28", 1)
    review = world.due(world.sup, "PSD-2025-000001")[DueItemKind.RESTRICTION_REVIEW]
    assert (review.due_date, review.overdue) == (date(2025, 3, 17), True)
    assert review.detail == (
        "Alex Carter: review restricted duties (due date set by a policy correction: restriction-review-days 14 "
        f"from 2020-01-01, recorded 2025-03-20 by admin: {REASON})")
    assert world.case(case_id).next_due_date == date(2025, 3, 17)
    other = world.due(world.sup, "PSD-2025-000001")[DueItemKind.VICTIM_UPDATE]
    assert "correction" not in other.detail  # the correction did not move it
    with world.uow() as uow:
        logged = uow.session.execute(select(AccessLogRow.username, AccessLogRow.reason, AccessLogRow.detail)
                                     .where(AccessLogRow.record_type == "policy")).one()
    assert tuple(logged) == ("admin", REASON, "correction: restriction-review-days = 14 from 2020-01-01 (was 28)")


def test_the_history_shows_corrections_and_what_was_recorded_earlier(world: World) -> None:
    admin = world.env.admin
    pin(date(2025, 3, 10), 9)
    policies.set_policy(world.uow(), admin, "restriction-review-days", "21", date(2025, 3, 10))
    pin(date(2025, 3, 20), 9)
    policies.set_policy(world.uow(), admin, "restriction-review-days", "14", date(2025, 3, 10), reason=REASON)
    line = policies.describe(world.uow(), admin, "restriction-review-days")
    assert line.value == "14"
    shipped, first, correction = line.entries
    assert (shipped.effective_from, shipped.value, shipped.recorded_by, shipped.superseded) == (None, "28", "shipped",
                                                                                                False)
    assert (first.value, first.recorded_by, first.correction, first.superseded, first.reason) == (
        "21", "admin", False, True, None)
    assert first.recorded_at == datetime(2025, 3, 10, 9, 0, tzinfo=clock.local(clock.now()).tzinfo)
    assert (correction.effective_from, correction.value, correction.correction, correction.superseded,
            correction.reason) == (date(2025, 3, 10), "14", True, False, REASON)

    # as recorded at the end of 15 March: the first value, not yet corrected
    earlier = policies.describe(world.uow(), admin, "restriction-review-days", as_recorded_on=date(2025, 3, 15))
    assert earlier.value == "21" and [e.value for e in earlier.entries] == ["28", "21"]
    assert not earlier.entries[1].superseded
    before_any = policies.describe_all(world.uow(), admin, as_recorded_on=date(2025, 3, 9))
    assert {ln.name: ln.value for ln in before_any}["restriction-review-days"] == "28"
    on_day = policies.describe_all(world.uow(), admin, on=date(2025, 3, 9))
    assert {ln.name: ln.value for ln in on_day}["restriction-review-days"] == "28"
    with pytest.raises(InvalidInput, match="--as-recorded-on 2025-03-21 is in the future"):
        policies.describe_all(world.uow(), admin, as_recorded_on=date(2025, 3, 21))
    # the set as recorded then gives the due dates as they were then
    current = policies.current(world.uow())
    then = current.as_recorded(datetime(2025, 3, 15))
    assert then.int_on(PolicyName.RESTRICTION_REVIEW_DAYS, date(2025, 4, 1)) == 21
    assert current.int_on(PolicyName.RESTRICTION_REVIEW_DAYS, date(2025, 4, 1)) == 14


def test_as_recorded_on_a_day_ends_at_local_midnight(world: World) -> None:
    # Recorded at 23:30 UTC on 14 July 2025, which is 00:30 BST on 15 July: not yet on the 14th.
    clock.pin(datetime(2025, 7, 14, 23, 30))
    policies.set_policy(world.uow(), world.env.admin, "victim-update-days", "21", date(2025, 7, 15))
    admin = world.env.admin
    assert policies.describe(world.uow(), admin, "victim-update-days", on=date(2025, 8, 1),
                             as_recorded_on=date(2025, 7, 14)).value == "28"
    assert policies.describe(world.uow(), admin, "victim-update-days", on=date(2025, 8, 1),
                             as_recorded_on=date(2025, 7, 15)).value == "21"
