"""Restriction decisions and reviews (DOMAIN.md §3.2).

Payloads (allegation_id always set; effective_date is the date the decision takes effect):
- RESTRICTION `{"options": [RestrictionOption names], "redeployment_considered_not_appropriate":
  bool, "investigation_may_be_prejudiced": bool, "public_interest_requires": bool}`
  — NO_RESTRICTION alone carries a rationale and a SUPERVISOR/HEAD_OF_PSD approval by another
  user; SUSPENDED carries the statutory conditions (reg 11).
- RESTRICTION_REVIEW `{"outcome": ReviewOutcome name, "options": [names in force after the
  review], ...the three condition keys}` — VARY gives the complete new set of measures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.domain.enums import DecisionKind, RestrictionOption, ReviewOutcome
from app.domain.errors import RuleRefused
from app.domain.records import CaseSnapshot, Decision, User
from app.domain.workflow.approvals import NO_RESTRICTION, Approval
from app.domain.workflow.common import (
    Act,
    allegation_of,
    make_decision,
    names,
    require_open,
    require_rationale,
    subject_of,
)
from app.domain.workflow.measures import describe, measures

SUSPENSION_CONDITIONS_MESSAGE = (
    "Suspension needs the statutory conditions recorded: temporary redeployment was considered "
    "and judged not appropriate, and either the investigation may be prejudiced or the public "
    "interest requires it."
)


@dataclass(frozen=True)
class SuspensionConditions:
    """Police (Conduct) Regulations 2020 reg 11: (a) and ((b)(i) or (b)(ii))."""

    redeployment_considered_not_appropriate: bool = False
    investigation_may_be_prejudiced: bool = False
    public_interest_requires: bool = False

    @property
    def satisfied(self) -> bool:
        return self.redeployment_considered_not_appropriate and (
            self.investigation_may_be_prejudiced or self.public_interest_requires
        )

    def payload(self) -> dict[str, bool]:
        return {
            "redeployment_considered_not_appropriate": self.redeployment_considered_not_appropriate,
            "investigation_may_be_prejudiced": self.investigation_may_be_prejudiced,
            "public_interest_requires": self.public_interest_requires,
        }


def _check_options(chosen: frozenset[RestrictionOption], conditions: SuspensionConditions) -> None:
    if not chosen:
        raise RuleRefused(
            "A restriction decision needs at least one option; choose NO_RESTRICTION if no "
            "measure is imposed."
        )
    if RestrictionOption.NO_RESTRICTION in chosen and len(chosen) > 1:
        raise RuleRefused(
            "NO_RESTRICTION cannot be combined with other options; choose either no restriction "
            "or the measures to impose."
        )
    if RestrictionOption.SUSPENDED in chosen and not conditions.satisfied:
        raise RuleRefused(SUSPENSION_CONDITIONS_MESSAGE)


def _check_subject_serving(snapshot: CaseSnapshot, allegation_id: int) -> None:
    subject = subject_of(snapshot, allegation_of(snapshot, allegation_id))
    if subject is not None and subject.employment_status.has_left:
        raise RuleRefused(
            f"{subject.full_name} has left the force ({subject.employment_status.name}); "
            "restrictions cannot be imposed on someone who is no longer serving."
        )


def record_restriction(
    snapshot: CaseSnapshot,
    act: Act,
    allegation_id: int,
    options: Iterable[RestrictionOption],
    *,
    conditions: SuspensionConditions = SuspensionConditions(),
    rationale: str | None = None,
    approver: User | None = None,
    options_considered: Iterable[str] = (),
    on: date | None = None,
) -> Decision:
    """A restriction decision: one or more measures, or NO_RESTRICTION (rationale + approval)."""
    require_open(snapshot)
    chosen = frozenset(options)
    _check_options(chosen, conditions)
    state = measures(snapshot, allegation_id)
    if RestrictionOption.NO_RESTRICTION in chosen:
        if state.in_force:
            raise RuleRefused(
                f"Measures are in force for allegation {allegation_id} ({describe(state.in_force)}); "
                "to end them record a review that lifts them."
            )
        require_rationale(rationale, NO_RESTRICTION.what)
        NO_RESTRICTION.require(act, approver)
    else:
        _check_subject_serving(snapshot, allegation_id)
        if chosen <= state.in_force:
            raise RuleRefused(
                f"{describe(chosen)} already in force for allegation {allegation_id}; record a "
                "review to continue or vary them."
            )
    payload = {"options": names(chosen), **conditions.payload()}
    return make_decision(
        DecisionKind.RESTRICTION, act, payload, on=on, allegation_id=allegation_id,
        rationale=rationale, options_considered=tuple(options_considered),
        approver=approver if restriction_approval(chosen) else None,
    )


def restriction_approval(options: Iterable[RestrictionOption]) -> Approval | None:
    """NO_RESTRICTION needs a supervisor's approval; measures do not."""
    return NO_RESTRICTION if RestrictionOption.NO_RESTRICTION in frozenset(options) else None


def record_restriction_review(
    snapshot: CaseSnapshot,
    act: Act,
    allegation_id: int,
    outcome: ReviewOutcome,
    *,
    options: Iterable[RestrictionOption] = (),
    conditions: SuspensionConditions = SuspensionConditions(),
    rationale: str | None = None,
    on: date | None = None,
) -> Decision:
    """Review the measures in force: CONTINUE them, VARY them to `options`, or LIFT them all."""
    require_open(snapshot)
    allegation_of(snapshot, allegation_id)
    state = measures(snapshot, allegation_id)
    if not state.in_force:
        raise RuleRefused(
            f"There is no restriction in force for allegation {allegation_id} to review; "
            "record a restriction decision instead."
        )
    new = frozenset(options)
    if outcome == ReviewOutcome.VARY:
        _check_variation(state.in_force, new, conditions)
    elif new:
        raise RuleRefused("Options are given only when a review varies the measures (VARY).")
    after = {ReviewOutcome.CONTINUE: state.in_force, ReviewOutcome.VARY: new}.get(outcome, new)
    payload = {"outcome": outcome.name, "options": names(after), **conditions.payload()}
    return make_decision(
        DecisionKind.RESTRICTION_REVIEW, act, payload, on=on, allegation_id=allegation_id,
        rationale=rationale,
    )


def _check_variation(
    current: frozenset[RestrictionOption],
    new: frozenset[RestrictionOption],
    conditions: SuspensionConditions,
) -> None:
    if not new or RestrictionOption.NO_RESTRICTION in new:
        raise RuleRefused(
            "A review that varies the measures needs the complete new set of measures; "
            "to end them all, LIFT them."
        )
    if new == current:
        raise RuleRefused("The new measures are the same as those in force; CONTINUE them instead.")
    if RestrictionOption.SUSPENDED in new - current and not conditions.satisfied:
        raise RuleRefused(SUSPENSION_CONDITIONS_MESSAGE)
