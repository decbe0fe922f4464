"""What every workflow rule shares: who acts and when, building decisions, reading history.

Payload conventions (every `Decision.payload` built by this package): values are JSON-ready —
str, int, bool, None or lists of str. Dates are ISO strings (`"2025-03-14"`); enumerated values
are their names (`"SUSPENDED"`). Readers use `payload_date`, so stored payloads read back as
built. Decisions are ordered by `effective_date`, then by their position in the snapshot
(the order the service appended them in); `decided_at` is never compared.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from app.domain.calendar import local_date
from app.domain.enums import CaseStatus, DecisionKind
from app.domain.errors import NotFound, RuleRefused
from app.domain.records import Allegation, CaseSnapshot, Decision, Person, User


@dataclass(frozen=True)
class Act:
    """The deciding user and the moment of the action; every recorded decision carries both.

    `at` is naive UTC (as stored); `today` is the force's local date at that moment, the date a
    decision made then is given by default and the latest date it may carry. `proposer`: the
    investigator whose proposal `user` (a supervisor or the head of PSD) is deciding by approving
    it; None when the decider put the decision forward themselves.
    """

    user: User
    at: datetime
    proposer: User | None = None

    @property
    def today(self) -> date:
        return local_date(self.at)


def iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def payload_date(payload: dict[str, Any], key: str) -> date | None:
    value = payload.get(key)
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def names(values: Iterable[Enum]) -> list[str]:
    return sorted(v.name for v in values)


def label(kind: DecisionKind) -> str:
    return kind.name.lower().replace("_", " ")


def make_decision(
    kind: DecisionKind,
    act: Act,
    payload: dict[str, Any],
    *,
    on: date | None = None,
    allegation_id: int | None = None,
    rationale: str | None = None,
    options_considered: Sequence[str] = (),
    approver: User | None = None,
) -> Decision:
    """A new decision by `act.user`, effective on `on` (default: the day of the act).

    Refused if dated after the day of the act: a decision records what has happened.
    """
    effective = on or act.today
    if effective > act.today:
        raise RuleRefused(
            f"A {label(kind)} decision cannot be dated in the future ({effective.isoformat()}); "
            f"give a date on or before {act.today.isoformat()}."
        )
    return Decision(
        id=None,
        kind=kind,
        payload=payload,
        decided_by=act.user.id,
        decided_at=act.at,
        effective_date=effective,
        allegation_id=allegation_id,
        rationale=(rationale or "").strip() or None,  # a blank rationale is none
        options_considered=tuple(options_considered),
        approved_by=approver.id if approver else None,
        approved_at=act.at if approver else None,
    )


def require_rationale(rationale: str | None, what: str) -> str:
    if not rationale or not rationale.strip():
        raise RuleRefused(f"{what} needs a written rationale.")
    return rationale.strip()


# The decisions the PSD itself makes on a case: none can take effect before the case was received.
# (An arrest, a charge, a conviction, the IOPC's decision are events it records; they may come first.)
PSD_DECISIONS = frozenset({
    DecisionKind.SEVERITY, DecisionKind.THRESHOLD, DecisionKind.RESTRICTION, DecisionKind.RESTRICTION_REVIEW,
    DecisionKind.SUSPENSION_ON_CHARGE_EXCEPTION, DecisionKind.IOPC_REFERRAL, DecisionKind.INVESTIGATING_BODY,
    DecisionKind.EXTERNAL_INVESTIGATION_EXCEPTION, DecisionKind.MISCONDUCT_OUTCOME, DecisionKind.LIST_NOTIFICATION,
    DecisionKind.VETTING_REVIEW, DecisionKind.TWELVE_MONTH_REPORT, DecisionKind.VICTIM_UPDATE, DecisionKind.CLOSURE,
})


def require_after_receipt(snapshot: CaseSnapshot, decision: Decision) -> None:
    """A decision of the PSD's own is not dated before the case was received."""
    received = snapshot.case.received_date
    if decision.kind in PSD_DECISIONS and decision.effective_date < received:
        raise RuleRefused(
            f"A {label(decision.kind)} decision cannot be dated before the case was received "
            f"({received.isoformat()}); give a date from then to today."
        )


def require_open(snapshot: CaseSnapshot) -> None:
    if snapshot.case.status != CaseStatus.OPEN:
        raise RuleRefused(
            f"Case {snapshot.case.reference} is {snapshot.case.status.value.lower()}; "
            "decisions can only be recorded on an open case."
        )


def allegation_of(snapshot: CaseSnapshot, allegation_id: int) -> Allegation:
    for allegation in snapshot.allegations:
        if allegation.id == allegation_id:
            return allegation
    raise NotFound(f"Allegation {allegation_id} is not part of case {snapshot.case.reference}.")


def subject_of(snapshot: CaseSnapshot, allegation: Allegation) -> Person | None:
    return snapshot.subjects.get(allegation.subject_id)


def subject_name(snapshot: CaseSnapshot, allegation: Allegation) -> str:
    person = subject_of(snapshot, allegation)
    return person.full_name if person else f"subject {allegation.subject_id}"


def _effective_date(d: Decision) -> date:
    return d.effective_date


def ordered(decisions: Iterable[Decision]) -> list[Decision]:
    """Decisions by effective date, keeping their given order on the same date (the sort is stable)."""
    return sorted(decisions, key=_effective_date)


def history(
    snapshot: CaseSnapshot, kinds: Iterable[DecisionKind], allegation_id: int | None = None
) -> list[Decision]:
    """Decisions of `kinds` about the allegation, or made for the whole case (allegation_id None).

    With `allegation_id` None, every decision of those kinds in the case.
    """
    wanted = frozenset(kinds)
    return ordered(
        d
        for d in snapshot.decisions
        if d.kind in wanted
        and (allegation_id is None or d.allegation_id in (allegation_id, None))
    )


def own_history(snapshot: CaseSnapshot, kinds: Iterable[DecisionKind], allegation_id: int) -> list[Decision]:
    """Decisions of `kinds` recorded on the allegation itself (not the whole case's), in order."""
    wanted = frozenset(kinds)
    return ordered(d for d in snapshot.decisions if d.kind in wanted and d.allegation_id == allegation_id)


def latest(
    snapshot: CaseSnapshot, kinds: Iterable[DecisionKind], allegation_id: int | None = None
) -> Decision | None:
    found = history(snapshot, kinds, allegation_id)
    return found[-1] if found else None


def with_decisions(snapshot: CaseSnapshot, decisions: Iterable[Decision]) -> CaseSnapshot:
    """The snapshot as it would be once `decisions` are appended (to preview their effect)."""
    return dataclasses.replace(snapshot, decisions=tuple(snapshot.decisions) + tuple(decisions))


def allegation_ids(snapshot: CaseSnapshot) -> list[int]:
    return [a.id for a in snapshot.allegations if a.id is not None]
