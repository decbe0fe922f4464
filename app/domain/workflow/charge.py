"""Suspension on charge, and from 13 July 2026 on arrest (DOMAIN.md §3.2).

A charge for a domestic-abuse-related offence, when SUSPEND_ON_CHARGE is on at the charge date,
makes suspension due within SUSPENSION_ON_CHARGE_DEADLINE_WORKING_DAYS; an arrest for a
domestic-abuse or sexual offence does the same when SUSPEND_ON_ARREST is on at the arrest date.
The obligation is met when the subject is suspended at any time on or after the trigger date,
or by an exception decision dated on or after it.

Payload SUSPENSION_ON_CHARGE_EXCEPTION `{"trigger": "CHARGE" | "ARREST", "trigger_date": ISO}`
— allegation_id set; an "exceptional circumstances" rationale approved by the HEAD_OF_PSD
(never the decider).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.calendar import add_working_days
from app.domain.enums import CriminalOutcome, DecisionKind
from app.domain.errors import RuleRefused
from app.domain.policy import PolicyName, PolicySet
from app.domain.records import CaseSnapshot, Decision, User
from app.domain.workflow.approvals import NO_SUSPENSION
from app.domain.workflow.common import (
    Act,
    allegation_ids,
    allegation_of,
    iso,
    make_decision,
    own_history,
    require_open,
    require_rationale,
)
from app.domain.workflow.criminal import arrests, events, is_da_related
from app.domain.workflow.measures import measures


@dataclass(frozen=True)
class SuspensionDue:
    allegation_id: int
    trigger: str  # "CHARGE" | "ARREST"
    trigger_date: date
    offence: str | None
    due_date: date
    met: bool


def _triggers(snapshot: CaseSnapshot, allegation_id: int, policies: PolicySet) -> list[tuple[str, Decision]]:
    found: list[tuple[str, Decision]] = []
    for charge in events(snapshot, allegation_id, CriminalOutcome.CHARGED):
        on_charge = policies.bool_on(PolicyName.SUSPEND_ON_CHARGE, charge.effective_date)
        if on_charge and is_da_related(charge):
            found.append(("CHARGE", charge))
    for arrest in arrests(snapshot, allegation_id):
        on_arrest = policies.bool_on(PolicyName.SUSPEND_ON_ARREST, arrest.effective_date)
        if on_arrest and arrest.payload.get("da_or_sexual_offence", True):
            found.append(("ARREST", arrest))
    return found


def _exception_dates(snapshot: CaseSnapshot, allegation_id: int) -> list[date]:
    return [
        d.effective_date
        for d in own_history(snapshot, [DecisionKind.SUSPENSION_ON_CHARGE_EXCEPTION], allegation_id)
        if d.approved_by is not None or d.imported
    ]


def suspensions_due(
    snapshot: CaseSnapshot, allegation_id: int, policies: PolicySet
) -> list[SuspensionDue]:
    """Every suspension obligation raised by a charge or arrest of the allegation, met or not."""
    state = measures(snapshot, allegation_id)
    exceptions = _exception_dates(snapshot, allegation_id)
    result = []
    for trigger, event in _triggers(snapshot, allegation_id, policies):
        on = event.effective_date
        days = policies.int_on(PolicyName.SUSPENSION_ON_CHARGE_DEADLINE_WORKING_DAYS, on)
        met = state.suspended_on_or_after(on) or any(e >= on for e in exceptions)
        offence = event.payload.get("offence")
        result.append(SuspensionDue(allegation_id, trigger, on, offence, add_working_days(on, days), met))
    return result


def outstanding_suspensions(snapshot: CaseSnapshot, policies: PolicySet) -> list[SuspensionDue]:
    return [
        s for aid in allegation_ids(snapshot) for s in suspensions_due(snapshot, aid, policies)
        if not s.met
    ]


def record_suspension_exception(
    snapshot: CaseSnapshot,
    act: Act,
    allegation_id: int,
    policies: PolicySet,
    *,
    rationale: str | None,
    approver: User | None,
    on: date | None = None,
) -> Decision:
    """Not suspending after a charge or arrest: exceptional circumstances, approved by the
    head of PSD."""
    require_open(snapshot)
    allegation_of(snapshot, allegation_id)
    pending = [s for s in suspensions_due(snapshot, allegation_id, policies) if not s.met]
    if not pending:
        raise RuleRefused(
            f"No suspension is due on charge or arrest for allegation {allegation_id}, so no "
            "exception is needed."
        )
    require_rationale(rationale, f"{NO_SUSPENSION.what} (exceptional circumstances)")
    NO_SUSPENSION.require(act, approver)
    latest = max(pending, key=lambda s: s.trigger_date)
    payload = {"trigger": latest.trigger, "trigger_date": iso(latest.trigger_date)}
    decision = make_decision(
        DecisionKind.SUSPENSION_ON_CHARGE_EXCEPTION, act, payload, on=on,
        allegation_id=allegation_id, rationale=rationale, approver=approver,
    )
    if decision.effective_date < latest.trigger_date:
        raise RuleRefused(
            f"The exception cannot be dated before the {latest.trigger.lower()} it answers "
            f"({latest.trigger_date.isoformat()})."
        )
    return decision
