"""The restriction measures in force, derived from the decision history (DOMAIN.md §3.2).

For each allegation, RESTRICTION and RESTRICTION_REVIEW decisions are replayed in order:
- RESTRICTION adds its options to the measures in force (NO_RESTRICTION adds none);
- a review CONTINUEs them, VARYs them to exactly its `options`, or LIFTs them all.
Restrictions end only by a decision. Each decision that imposes, continues or varies measures
restarts the review clock: the next review is due RESTRICTION_REVIEW_DAYS later (policy on the
decision date), or, while SUSPENDED is in force for conduct that began on or after the date the
SUSPENSION_REVIEW_WEEKS policy takes effect (13 July 2026), that many weeks later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.enums import DecisionKind, RestrictionOption, ReviewOutcome
from app.domain.policy import PolicyName, PolicySet
from app.domain.records import CaseSnapshot, Decision
from app.domain.workflow.common import allegation_of, own_history

NO_MEASURES: frozenset[RestrictionOption] = frozenset()
RESTRICTION_KINDS = (DecisionKind.RESTRICTION, DecisionKind.RESTRICTION_REVIEW)


@dataclass(frozen=True)
class Measures:
    """The restriction state of one allegation."""

    allegation_id: int
    in_force: frozenset[RestrictionOption]
    decided: bool  # any restriction decision at all, NO_RESTRICTION included
    clock_from: date | None  # last decision that imposed, continued or varied measures
    timeline: tuple[tuple[date, frozenset[RestrictionOption]], ...]  # measures after each decision

    @property
    def suspended(self) -> bool:
        return RestrictionOption.SUSPENDED in self.in_force

    def on(self, day: date) -> frozenset[RestrictionOption]:
        """The measures in force at the end of `day`."""
        current = NO_MEASURES
        for when, options in self.timeline:
            if when > day:
                break
            current = options
        return current

    def suspended_on_or_after(self, day: date) -> bool:
        """Whether the subject was suspended at any time on or after `day`."""
        if RestrictionOption.SUSPENDED in self.on(day):
            return True
        return any(
            RestrictionOption.SUSPENDED in options for when, options in self.timeline if when >= day
        )


def options_of(decision: Decision) -> frozenset[RestrictionOption]:
    return frozenset(RestrictionOption[n] for n in decision.payload.get("options", []))


def _apply(current: frozenset[RestrictionOption], d: Decision) -> frozenset[RestrictionOption]:
    if d.kind == DecisionKind.RESTRICTION:
        return current | (options_of(d) - {RestrictionOption.NO_RESTRICTION})
    outcome = ReviewOutcome[d.payload["outcome"]]
    if outcome == ReviewOutcome.LIFT:
        return NO_MEASURES
    if outcome == ReviewOutcome.VARY:
        return options_of(d) - {RestrictionOption.NO_RESTRICTION}
    return current


def measures(snapshot: CaseSnapshot, allegation_id: int) -> Measures:
    current = NO_MEASURES
    clock: date | None = None
    timeline: list[tuple[date, frozenset[RestrictionOption]]] = []
    decisions = own_history(snapshot, RESTRICTION_KINDS, allegation_id)
    for d in decisions:
        current = _apply(current, d)
        clock = d.effective_date if current else None
        timeline.append((d.effective_date, current))
    return Measures(allegation_id, current, bool(decisions), clock, tuple(timeline))


def conduct_start(snapshot: CaseSnapshot, allegation_id: int) -> date:
    allegation = allegation_of(snapshot, allegation_id)
    return allegation.conduct_from or allegation.conduct_to or snapshot.case.received_date


def review_period(
    snapshot: CaseSnapshot, allegation_id: int, state: Measures, policies: PolicySet
) -> timedelta:
    assert state.clock_from is not None
    if state.suspended:
        weeks = policies.optional_int_on(
            PolicyName.SUSPENSION_REVIEW_WEEKS, conduct_start(snapshot, allegation_id)
        )
        if weeks is not None:
            return timedelta(weeks=weeks)
    return timedelta(days=policies.int_on(PolicyName.RESTRICTION_REVIEW_DAYS, state.clock_from))


def review_due(snapshot: CaseSnapshot, allegation_id: int, policies: PolicySet) -> date | None:
    """When the measures in force must next be reviewed (None when none are in force)."""
    state = measures(snapshot, allegation_id)
    if not state.in_force or state.clock_from is None:
        return None
    return state.clock_from + review_period(snapshot, allegation_id, state, policies)


_LABELS = {
    RestrictionOption.NO_RESTRICTION: "no restriction",
    RestrictionOption.RESTRICTED_DUTIES: "restricted duties",
    RestrictionOption.REMOVED_FROM_DA_OR_SAFEGUARDING_ROLE: "removed from domestic abuse or safeguarding role",
    RestrictionOption.NO_CONTACT_WITH_VICTIMS_OR_WITNESSES: "no contact with victims or witnesses",
    RestrictionOption.SYSTEMS_ACCESS_RESTRICTED: "systems access restricted",
    RestrictionOption.FIREARMS_TASER_AUTHORITY_WITHDRAWN: "firearms and Taser authority withdrawn",
    RestrictionOption.REDEPLOYED_LOCATION: "redeployed to another location",
    RestrictionOption.SUSPENDED: "suspended",
}


def describe(options: frozenset[RestrictionOption]) -> str:
    """The measures in words, for messages and due-item details: 'restricted duties, suspended'."""
    return ", ".join(sorted(_LABELS[o] for o in options)) or "none"
