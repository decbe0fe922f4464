"""Recording, severity assessment and the threshold for investigation (DOMAIN.md §3.1, §3.2).

Payloads:
- RECORDING  `{"recordable": bool, "case_type": CaseType name | None}` — allegation_id, or None
  for the whole case. `recordable` False ("not recordable") carries a rationale and a
  SUPERVISOR/HEAD_OF_PSD approval by another user.
- SEVERITY   `{"severity": Severity name}` — allegation_id or None (the whole case). History is
  kept: the latest applicable decision is the current assessment.
- THRESHOLD  `{"met": bool}` — allegation_id required; effective_date is the date the
  threshold was met, from which the restriction decision deadline runs.
"""

from __future__ import annotations

from datetime import date

from app.domain.enums import CaseType, DecisionKind, Severity
from app.domain.errors import RuleRefused
from app.domain.policy import PolicySet
from app.domain.records import CaseSnapshot, Decision, User
from app.domain.workflow.approvals import NOT_RECORDABLE, Approval
from app.domain.workflow.common import (
    Act,
    allegation_of,
    history,
    latest,
    make_decision,
    own_history,
    require_open,
    require_rationale,
)
from app.domain.workflow.criminal import has_indictable_only_conviction


def record_recording(
    snapshot: CaseSnapshot,
    act: Act,
    *,
    recordable: bool = True,
    case_type: CaseType | None = None,
    allegation_id: int | None = None,
    rationale: str | None = None,
    approver: User | None = None,
    on: date | None = None,
) -> Decision:
    """Record how an allegation (or the case) is recorded; default: recordable as `case_type`.

    "Not recordable" needs a rationale and a supervisor's approval by another user.
    """
    require_open(snapshot)
    if allegation_id is not None:
        allegation_of(snapshot, allegation_id)
    need = recording_approval(recordable)
    if need is not None:
        require_rationale(rationale, need.what)
        need.require(act, approver)
    kind = case_type or snapshot.case.case_type
    payload = {"recordable": recordable, "case_type": kind.name if recordable else None}
    return make_decision(
        DecisionKind.RECORDING, act, payload, on=on, allegation_id=allegation_id,
        rationale=rationale, approver=approver if not recordable else None,
    )


def recording_approval(recordable: bool) -> Approval | None:
    """"Not recordable" needs a supervisor's approval; recording as a conduct matter or complaint does not."""
    return None if recordable else NOT_RECORDABLE


def record_severity(
    snapshot: CaseSnapshot,
    act: Act,
    severity: Severity,
    policies: PolicySet,
    *,
    allegation_id: int | None = None,
    rationale: str | None = None,
    on: date | None = None,
) -> Decision:
    """A (re)assessment of severity; kept as history, the latest is current.

    Refused below gross misconduct when the allegation has a conviction for an
    indictable-only offence (from 28 May 2025 such a conviction is always gross misconduct).
    """
    require_open(snapshot)
    if allegation_id is not None:
        allegation_of(snapshot, allegation_id)
        if severity != Severity.GROSS_MISCONDUCT and has_indictable_only_conviction(
            snapshot, allegation_id, policies
        ):
            raise RuleRefused(
                "A conviction for an indictable-only offence is always gross misconduct: "
                "the severity can only be assessed as GROSS_MISCONDUCT."
            )
    return make_decision(
        DecisionKind.SEVERITY, act, {"severity": severity.name}, on=on,
        allegation_id=allegation_id, rationale=rationale,
    )


def current_severity(snapshot: CaseSnapshot, allegation_id: int | None = None) -> Severity | None:
    found = latest(snapshot, [DecisionKind.SEVERITY], allegation_id)
    return Severity[found.payload["severity"]] if found else None


def severity_history(
    snapshot: CaseSnapshot, allegation_id: int | None = None
) -> list[tuple[date, Severity]]:
    return [
        (d.effective_date, Severity[d.payload["severity"]])
        for d in history(snapshot, [DecisionKind.SEVERITY], allegation_id)
    ]


def record_threshold(
    snapshot: CaseSnapshot,
    act: Act,
    allegation_id: int,
    *,
    met: bool = True,
    on: date | None = None,
    rationale: str | None = None,
) -> Decision:
    """Record whether the threshold for investigation is met; when met, a restriction decision
    becomes due (RESTRICTION_DECISION_DEADLINE_WORKING_DAYS after `on`)."""
    require_open(snapshot)
    allegation_of(snapshot, allegation_id)
    already = threshold_met_date(snapshot, allegation_id)
    if met and already is not None:
        raise RuleRefused(
            f"The threshold for investigation of allegation {allegation_id} was already recorded "
            f"as met on {already.isoformat()}; the restriction decision runs from that date."
        )
    return make_decision(
        DecisionKind.THRESHOLD, act, {"met": met}, on=on, allegation_id=allegation_id,
        rationale=rationale,
    )


def threshold_met_date(snapshot: CaseSnapshot, allegation_id: int) -> date | None:
    """The date the threshold was met, if the latest threshold decision says it is met."""
    decisions = own_history(snapshot, [DecisionKind.THRESHOLD], allegation_id)
    if not decisions or not decisions[-1].payload.get("met", True):
        return None
    return decisions[-1].effective_date
