"""Investigating body and external investigation (DOMAIN.md §3.3).

EXTERNAL_INVESTIGATION_GUIDANCE (policy in force on the day of the decision) applies to a case
when it is ALL, or SOME and one of EXTERNAL_INVESTIGATION_CRITERIA holds. Then assigning the
home force is refused unless an exception with a rationale was approved by the HEAD_OF_PSD.
An IOPC decision of INDEPENDENT_INVESTIGATION makes the IOPC the only possible body.

Payloads (allegation_id, or None for the whole case):
- INVESTIGATING_BODY `{"body": "HOME" | "IOPC" | force code, "external": bool}`
- EXTERNAL_INVESTIGATION_EXCEPTION `{"reasons": [why guidance applies]}` — rationale, approved
  by the HEAD_OF_PSD (never the decider); case-level.
- EXTERNAL_INVESTIGATION_PROGRESS `{"event": ExternalEvent name, "reference": str | None,
  "body": the external body}` — effective_date is the date of the event; events in the order
  REQUESTED, ACCEPTED (with the other body's reference), HANDED_OVER, RETURNED.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.enums import (
    AggravatingFeature,
    DashRisk,
    DecisionKind,
    GuidanceCoverage,
    IopcDecision,
    RoleFlag,
    VictimWorkforce,
)
from app.domain.errors import RuleRefused
from app.domain.policy import ExternalCriterion, PolicyName, PolicySet
from app.domain.ranks import rank_level
from app.domain.records import CaseSnapshot, Decision, User
from app.domain.workflow.approvals import HOME_AGAINST_GUIDANCE
from app.domain.workflow.common import Act, history, latest, make_decision, require_open, require_rationale
from app.domain.workflow.iopc import iopc_decision

HOME = "HOME"
_PSD_UNIT_WORDS = ("PSD", "PROFESSIONAL STANDARDS", "ANTI-CORRUPTION", "COUNTER CORRUPTION")


class ExternalEvent(StrEnum):
    REQUESTED = "REQUESTED"
    ACCEPTED = "ACCEPTED"
    HANDED_OVER = "HANDED_OVER"
    RETURNED = "RETURNED"


EVENT_ORDER = list(ExternalEvent)


def normalise_body(body: str) -> str:
    """`HOME`, `IOPC` or a force code (lower case, as in FORMATS.md)."""
    text = body.strip()
    if text.upper() in (HOME, "IOPC"):
        return text.upper()
    if not text:
        raise RuleRefused("The investigating body is needed: HOME, IOPC or another force's code.")
    return text.lower()


def _criterion_reasons(snapshot: CaseSnapshot, criterion: ExternalCriterion, min_rank: str | None) -> list[str]:
    subjects = list(snapshot.subjects.values())
    if criterion == ExternalCriterion.SUBJECT_AT_OR_ABOVE_RANK:
        floor = rank_level(min_rank)
        return [f"the subject {p.full_name} is {p.rank_or_grade}, at or above {min_rank}"
                for p in subjects if floor and (rank_level(p.rank_or_grade) or 0) >= floor]
    if criterion == ExternalCriterion.SUBJECT_IN_PSD_OR_DA_ROLE:
        return [f"the subject {p.full_name} works in the PSD or a domestic-abuse/safeguarding role"
                for p in subjects if RoleFlag.DA_SAFEGUARDING in p.role_flags
                or any(w in (p.unit or "").upper() for w in _PSD_UNIT_WORDS)]
    if criterion == ExternalCriterion.VICTIM_IS_POLICE_WORKFORCE:
        workforce = any(v.police_workforce != VictimWorkforce.NO for v in snapshot.victims) or any(
            AggravatingFeature.VICTIM_IS_POLICE_EMPLOYEE in a.aggravating_features
            for a in snapshot.allegations)
        return ["a victim is police workforce"] if workforce else []
    if criterion == ExternalCriterion.HIGH_RISK_DASH:
        return [f"victim {v.reference} is assessed HIGH risk (DASH)"
                for v in snapshot.victims if v.dash_risk == DashRisk.HIGH]
    return ["the allegation is criminal"] if any(a.criminal for a in snapshot.allegations) else []


def external_investigation_reasons(snapshot: CaseSnapshot, policies: PolicySet, on: date) -> list[str]:
    """Why force guidance requires an external investigation of the case (empty: it does not)."""
    coverage = policies.coverage_on(PolicyName.EXTERNAL_INVESTIGATION_GUIDANCE, on)
    if coverage == GuidanceCoverage.ALL:
        return ["force guidance requires external investigation of every PPDA allegation"]
    if coverage == GuidanceCoverage.NONE:
        return []
    min_rank = policies.text_on(PolicyName.EXTERNAL_INVESTIGATION_MIN_RANK, on)
    reasons: list[str] = []
    for criterion in sorted(policies.criteria_on(on)):
        reasons += _criterion_reasons(snapshot, criterion, min_rank)
    return reasons


def has_approved_exception(snapshot: CaseSnapshot) -> bool:
    return any(d.approved_by is not None or d.imported
               for d in history(snapshot, [DecisionKind.EXTERNAL_INVESTIGATION_EXCEPTION]))


def record_external_investigation_exception(
    snapshot: CaseSnapshot, act: Act, policies: PolicySet, *, rationale: str | None,
    approver: User | None, on: date | None = None,
) -> Decision:
    """An exception allowing the home force to investigate against force guidance."""
    require_open(snapshot)
    reasons = external_investigation_reasons(snapshot, policies, on or act.today)
    if not reasons:
        raise RuleRefused("Force guidance does not require an external investigation of this "
                          "case, so no exception is needed.")
    require_rationale(rationale, HOME_AGAINST_GUIDANCE.what)
    HOME_AGAINST_GUIDANCE.require(act, approver)
    return make_decision(DecisionKind.EXTERNAL_INVESTIGATION_EXCEPTION, act, {"reasons": reasons},
                         on=on, rationale=rationale, approver=approver)


def assign_investigating_body(
    snapshot: CaseSnapshot, act: Act, body: str, policies: PolicySet, *,
    allegation_id: int | None = None, on: date | None = None,
) -> Decision:
    """Assign the home force, another force (its code) or the IOPC as investigating body."""
    require_open(snapshot)
    chosen = normalise_body(body)
    if iopc_decision(snapshot, allegation_id) == IopcDecision.INDEPENDENT_INVESTIGATION and chosen != "IOPC":
        raise RuleRefused("The IOPC decided on an independent investigation: the IOPC is the "
                          "investigating body.")
    if chosen == HOME:
        reasons = external_investigation_reasons(snapshot, policies, on or act.today)
        if reasons and not has_approved_exception(snapshot):
            raise RuleRefused(
                "Force guidance requires an external investigation (" + "; ".join(reasons) + "). "
                "Assign another force or the IOPC, or record an exception with a rationale "
                "approved by the HEAD_OF_PSD before assigning the home force."
            )
    payload = {"body": chosen, "external": chosen != HOME}
    return make_decision(DecisionKind.INVESTIGATING_BODY, act, payload, on=on, allegation_id=allegation_id)


def investigating_body(snapshot: CaseSnapshot, allegation_id: int | None = None) -> str | None:
    found = latest(snapshot, [DecisionKind.INVESTIGATING_BODY], allegation_id)
    body = found.payload.get("body") if found else None
    return normalise_body(str(body)) if body else None


@dataclass(frozen=True)
class ExternalInvestigation:
    body: str
    requested: date | None = None
    accepted: date | None = None
    other_reference: str | None = None
    handed_over: date | None = None
    returned: date | None = None


def external_investigation(snapshot: CaseSnapshot, allegation_id: int | None = None) -> ExternalInvestigation | None:
    """The external investigation's dates, or None when the body is the home force (or unset)."""
    body = investigating_body(snapshot, allegation_id)
    if body is None or body == HOME:
        return None
    dates: dict[str, date] = {}
    reference = None
    for d in history(snapshot, [DecisionKind.EXTERNAL_INVESTIGATION_PROGRESS], allegation_id):
        if normalise_body(str(d.payload.get("body") or body)) == body:
            dates[d.payload["event"]] = d.effective_date
            reference = d.payload.get("reference") or reference
    return ExternalInvestigation(
        body, dates.get("REQUESTED"), dates.get("ACCEPTED"), reference,
        dates.get("HANDED_OVER"), dates.get("RETURNED"))


def record_external_progress(
    snapshot: CaseSnapshot, act: Act, event: ExternalEvent, *, on: date | None = None,
    reference: str | None = None, allegation_id: int | None = None,
) -> Decision:
    """Request, acceptance (with the other body's reference), handover or return."""
    require_open(snapshot)
    current = external_investigation(snapshot, allegation_id)
    if current is None:
        raise RuleRefused("External investigation dates need another force or the IOPC assigned "
                          "as investigating body first.")
    done = {
        ExternalEvent.REQUESTED: current.requested,
        ExternalEvent.ACCEPTED: current.accepted,
        ExternalEvent.HANDED_OVER: current.handed_over,
        ExternalEvent.RETURNED: current.returned,
    }
    _check_order(event, done)
    payload = {"event": event.name, "reference": reference.strip() if reference else None,
               "body": current.body}
    made = make_decision(DecisionKind.EXTERNAL_INVESTIGATION_PROGRESS, act, payload, on=on,
                         allegation_id=allegation_id)
    previous = [d for d in done.values() if d is not None]
    if previous and made.effective_date < max(previous):
        raise RuleRefused(f"{event.name} cannot be dated before the previous step "
                          f"({max(previous).isoformat()}).")
    return made


def _check_order(event: ExternalEvent, done: dict[ExternalEvent, date | None]) -> None:
    if done[event] is not None:
        raise RuleRefused(f"{event.name} is already recorded ({done[event]}).")
    index = EVENT_ORDER.index(event)
    missing = [e.name for e in EVENT_ORDER[:index] if done[e] is None]
    if missing:
        raise RuleRefused(f"{event.name} needs {', '.join(missing)} recorded first.")
