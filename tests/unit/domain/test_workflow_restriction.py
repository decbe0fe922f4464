"""Restriction decisions, reviews and the measures in force (DOMAIN.md §3.2)."""

from datetime import date, timedelta

import pytest

from app.domain.enums import EmploymentStatus, ReviewOutcome
from app.domain.enums import RestrictionOption as R
from app.domain.errors import RuleRefused
from app.domain.workflow.measures import measures, review_due
from app.domain.workflow.restriction import (
    SuspensionConditions,
    record_restriction,
    record_restriction_review,
)
from tests.unit.domain.workflow_builders import (
    INVESTIGATOR,
    SUPERVISOR,
    SUPERVISOR_2,
    act,
    allegation,
    apply,
    person,
    policies,
    snapshot,
)

DAY = date(2025, 3, 5)
MET = SuspensionConditions(redeployment_considered_not_appropriate=True,
                           public_interest_requires=True)
SUSPENSION_MESSAGE = (
    "Suspension needs the statutory conditions recorded: temporary redeployment was considered "
    "and judged not appropriate, and either the investigation may be prejudiced or the public "
    "interest requires it."
)


def restrict(s, options, **kw):  # type: ignore[no-untyped-def]
    return apply(s, record_restriction(s, act(SUPERVISOR, kw.pop("day", DAY)), 10, options, **kw))


def test_options_may_combine_and_are_in_force() -> None:
    s = restrict(snapshot(), [R.RESTRICTED_DUTIES, R.SYSTEMS_ACCESS_RESTRICTED])
    assert measures(s, 10).in_force == {R.RESTRICTED_DUTIES, R.SYSTEMS_ACCESS_RESTRICTED}
    assert s.decisions[-1].payload["options"] == ["RESTRICTED_DUTIES", "SYSTEMS_ACCESS_RESTRICTED"]


def test_a_decision_needs_an_option() -> None:
    with pytest.raises(RuleRefused, match="needs at least one option; choose NO_RESTRICTION"):
        record_restriction(snapshot(), act(SUPERVISOR, DAY), 10, [])


def test_no_restriction_cannot_combine_with_other_options() -> None:
    with pytest.raises(RuleRefused, match="NO_RESTRICTION cannot be combined with other options"):
        record_restriction(snapshot(), act(SUPERVISOR, DAY), 10,
                           [R.NO_RESTRICTION, R.RESTRICTED_DUTIES], rationale="x",
                           approver=SUPERVISOR_2)


def test_no_restriction_needs_a_rationale() -> None:
    with pytest.raises(RuleRefused, match="A decision not to restrict needs a written rationale"):
        record_restriction(snapshot(), act(SUPERVISOR, DAY), 10, [R.NO_RESTRICTION],
                           approver=SUPERVISOR_2)


def test_no_restriction_needs_approval_by_another_supervisor() -> None:
    with pytest.raises(RuleRefused, match="A decision not to restrict needs approval by a "
                                          "HEAD_OF_PSD or SUPERVISOR"):
        record_restriction(snapshot(), act(SUPERVISOR, DAY), 10, [R.NO_RESTRICTION], rationale="x")
    with pytest.raises(RuleRefused, match="cannot be approved by the person who made the decision"):
        record_restriction(snapshot(), act(SUPERVISOR, DAY), 10, [R.NO_RESTRICTION], rationale="x",
                           approver=SUPERVISOR)
    with pytest.raises(RuleRefused, match="does not hold that role"):
        record_restriction(snapshot(), act(SUPERVISOR, DAY), 10, [R.NO_RESTRICTION], rationale="x",
                           approver=INVESTIGATOR)


def test_no_restriction_with_rationale_and_approval() -> None:
    d = record_restriction(snapshot(), act(SUPERVISOR, DAY), 10, [R.NO_RESTRICTION],
                           rationale="Subject works remotely, no contact", approver=SUPERVISOR_2)
    assert d.approved_by == SUPERVISOR_2.id
    s = apply(snapshot(), d)
    assert measures(s, 10).decided and not measures(s, 10).in_force
    assert review_due(s, 10, policies()) is None


@pytest.mark.parametrize("conditions", [
    SuspensionConditions(),
    SuspensionConditions(redeployment_considered_not_appropriate=True),
    SuspensionConditions(investigation_may_be_prejudiced=True, public_interest_requires=True),
])
def test_suspension_needs_the_statutory_conditions(conditions: SuspensionConditions) -> None:
    with pytest.raises(RuleRefused) as refused:
        record_restriction(snapshot(), act(SUPERVISOR, DAY), 10, [R.SUSPENDED], conditions=conditions)
    assert refused.value.message == SUSPENSION_MESSAGE


def test_suspension_with_the_conditions_records_them() -> None:
    d = record_restriction(snapshot(), act(SUPERVISOR, DAY), 10, [R.SUSPENDED], conditions=MET)
    assert d.payload["redeployment_considered_not_appropriate"] is True
    assert d.payload["public_interest_requires"] is True


def test_restrictions_cannot_be_imposed_on_someone_who_left() -> None:
    s = snapshot(subjects=[person(employment_status=EmploymentStatus.RESIGNED)])
    with pytest.raises(RuleRefused, match="Alex Carter has left the force \\(RESIGNED\\)"):
        record_restriction(s, act(SUPERVISOR, DAY), 10, [R.RESTRICTED_DUTIES])


def test_measures_already_in_force_are_reviewed_not_reimposed() -> None:
    s = restrict(snapshot(), [R.RESTRICTED_DUTIES])
    with pytest.raises(RuleRefused, match="restricted duties already in force for allegation 10; "
                                          "record a review"):
        record_restriction(s, act(SUPERVISOR, DAY), 10, [R.RESTRICTED_DUTIES])
    with pytest.raises(RuleRefused, match="to end them record a review that lifts them"):
        record_restriction(s, act(SUPERVISOR, DAY), 10, [R.NO_RESTRICTION], rationale="x",
                           approver=SUPERVISOR_2)


def test_review_date_is_28_days_by_policy() -> None:
    s = restrict(snapshot(), [R.RESTRICTED_DUTIES])
    assert review_due(s, 10, policies()) == DAY + timedelta(days=28)


def test_suspension_for_conduct_from_13_july_2026_is_reviewed_every_12_weeks() -> None:
    day = date(2026, 8, 3)
    new = snapshot(allegations=[allegation(conduct_from=date(2026, 7, 13))], received=day)
    old = snapshot(allegations=[allegation(conduct_from=date(2026, 7, 12))], received=day)
    for s, expected in ((new, day + timedelta(weeks=12)), (old, day + timedelta(days=28))):
        s = restrict(s, [R.SUSPENDED], conditions=MET, day=day)
        assert review_due(s, 10, policies()) == expected


def test_reviews_continue_vary_and_lift() -> None:
    s = restrict(snapshot(), [R.RESTRICTED_DUTIES, R.NO_CONTACT_WITH_VICTIMS_OR_WITNESSES])
    later = DAY + timedelta(days=27)
    s = apply(s, record_restriction_review(s, act(SUPERVISOR, later), 10, ReviewOutcome.CONTINUE))
    assert review_due(s, 10, policies()) == later + timedelta(days=28)
    s = apply(s, record_restriction_review(s, act(SUPERVISOR, later), 10, ReviewOutcome.VARY,
                                           options=[R.NO_CONTACT_WITH_VICTIMS_OR_WITNESSES]))
    assert measures(s, 10).in_force == {R.NO_CONTACT_WITH_VICTIMS_OR_WITNESSES}
    s = apply(s, record_restriction_review(s, act(SUPERVISOR, later), 10, ReviewOutcome.LIFT))
    assert measures(s, 10).in_force == frozenset()
    assert review_due(s, 10, policies()) is None


def test_a_review_needs_a_restriction_in_force() -> None:
    with pytest.raises(RuleRefused, match="There is no restriction in force for allegation 10 to review"):
        record_restriction_review(snapshot(), act(SUPERVISOR, DAY), 10, ReviewOutcome.CONTINUE)


def test_a_variation_needs_a_different_complete_set() -> None:
    s = restrict(snapshot(), [R.RESTRICTED_DUTIES])
    with pytest.raises(RuleRefused, match="needs the complete new set of measures; to end them all, LIFT"):
        record_restriction_review(s, act(SUPERVISOR, DAY), 10, ReviewOutcome.VARY)
    with pytest.raises(RuleRefused, match="same as those in force; CONTINUE them instead"):
        record_restriction_review(s, act(SUPERVISOR, DAY), 10, ReviewOutcome.VARY,
                                  options=[R.RESTRICTED_DUTIES])
    with pytest.raises(RuleRefused, match="Options are given only when a review varies"):
        record_restriction_review(s, act(SUPERVISOR, DAY), 10, ReviewOutcome.CONTINUE,
                                  options=[R.SUSPENDED])


def test_varying_to_suspension_needs_the_statutory_conditions() -> None:
    s = restrict(snapshot(), [R.RESTRICTED_DUTIES])
    with pytest.raises(RuleRefused) as refused:
        record_restriction_review(s, act(SUPERVISOR, DAY), 10, ReviewOutcome.VARY, options=[R.SUSPENDED])
    assert refused.value.message == SUSPENSION_MESSAGE
    d = record_restriction_review(s, act(SUPERVISOR, DAY), 10, ReviewOutcome.VARY,
                                  options=[R.SUSPENDED], conditions=MET)
    assert measures(apply(s, d), 10).suspended
