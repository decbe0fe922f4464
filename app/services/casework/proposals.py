"""Proposed decisions (DOMAIN.md §7: "an INVESTIGATOR may propose"): an investigator with no
supervisor at the desk proposes a DECIDE-level decision; a supervisor or the head of PSD approves
it later (or rejects it with a reason); the proposer may withdraw it.

Approval calls the same casework service the co-signing path calls, as the proposer with the
approver as co-signer, in the approval's transaction: every rule applies at approval time, a
refusal reaches the approver unchanged and the proposal stays PENDING. The proposal's arguments
are kept as JSON (enumerations by name, dates in ISO form). Each step is an alteration in the
access log naming the action and the proposal's number only (no personal data).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum, StrEnum
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.domain.enums import (
    AccessOperation, CriminalOutcome, ListStatus, MisconductOutcome, RestrictionOption, ReviewOutcome, Severity,
)
from app.domain.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from app.domain.permissions import Action, allowed, require
from app.domain.records import User
from app.domain.workflow import SuspensionConditions
from app.persistence.models import AllegationRow, CaseRow, PersonRow, ProposedDecisionRow, UserRow
from app.persistence.uow import UnitOfWork
from app.services import audit, clock
from app.services.case_queries import visible_clause
from app.services.casework import closure, decisions, investigation
from app.services.casework.common import (
    CASE_RECORD, DecisionRecorded, case_row, conflict_message, current_user, require_access,
)
from app.services.users import to_user

RECENT_REFUSALS = timedelta(days=30)  # how long a rejection stays in the proposer's list


class ProposalStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


# ---- what may be proposed, and how its arguments are read ----------------------------------------

Read = Callable[[str, Any], Any]  # (argument name, given or stored value) -> the service's argument


def _int(name: str, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise InvalidInput(f"The proposal's {name.replace('_', ' ')} must be a number.")
    return v


def _opt_int(name: str, v: Any) -> int | None:
    return None if v is None else _int(name, v)


def _bool(name: str, v: Any) -> bool:
    if not isinstance(v, bool):
        raise InvalidInput(f"The proposal's {name.replace('_', ' ')} must be yes or no.")
    return v


def _text(name: str, v: Any) -> str | None:
    if v is not None and not isinstance(v, str):
        raise InvalidInput(f"The proposal's {name.replace('_', ' ')} must be text.")
    return v.strip() or None if isinstance(v, str) else None


def _date(name: str, v: Any) -> date | None:
    if v is None or (isinstance(v, date) and not isinstance(v, datetime)):
        return v
    try:
        return date.fromisoformat(v)
    except (TypeError, ValueError):
        raise InvalidInput(f"The proposal's {name.replace('_', ' ')} must be a date (YYYY-MM-DD).") from None


def _enum(kind: type[Enum]) -> Read:
    def read(name: str, v: Any) -> Any:
        if isinstance(v, kind):
            return v
        if isinstance(v, str) and v in kind.__members__:
            return kind[v]
        raise InvalidInput(f"The proposal's {name.replace('_', ' ')} must be one of: {', '.join(kind.__members__)}.")
    return read


def _enums(kind: type[Enum]) -> Read:
    one = _enum(kind)

    def read(name: str, v: Any) -> tuple[Any, ...]:
        if isinstance(v, (str, bytes)) or not hasattr(v, "__iter__"):
            raise InvalidInput(f"The proposal's {name.replace('_', ' ')} must be a list.")
        return tuple(one(name, x) for x in v)
    return read


def _conditions(name: str, v: Any) -> SuspensionConditions:
    if isinstance(v, SuspensionConditions):
        return v
    fields = {f.name for f in dataclasses.fields(SuspensionConditions)}
    if not isinstance(v, dict) or not set(v) <= fields or not all(isinstance(x, bool) for x in v.values()):
        raise InvalidInput("The proposal's suspension conditions must be yes or no for: " + ", ".join(sorted(fields)) + ".")
    return SuspensionConditions(**v)


@dataclass(frozen=True)
class Proposable:
    title: str
    service: Callable[..., DecisionRecorded]
    required: tuple[str, ...]  # passed in this order, positionally
    optional: dict[str, Read]
    reads: dict[str, Read]  # of the required ones


_ON = {"on": _date}
_ALLEGATION = {"allegation_id": _int}
PROPOSABLE: dict[str, Proposable] = {
    "threshold": Proposable("Threshold for investigation", decisions.record_threshold, ("allegation_id",),
                            {"met": _bool, "rationale": _text, **_ON}, _ALLEGATION),
    "severity": Proposable("Severity assessment", decisions.record_severity, ("severity",),
                           {"allegation_id": _opt_int, "rationale": _text, **_ON}, {"severity": _enum(Severity)}),
    "restriction": Proposable("Restriction decision", decisions.record_restriction, ("allegation_id", "options"),
                              {"conditions": _conditions, "rationale": _text, "options_considered": _enums(RestrictionOption),
                               **_ON}, {**_ALLEGATION, "options": _enums(RestrictionOption)}),
    "restriction_review": Proposable("Restriction review", decisions.record_restriction_review,
                                     ("allegation_id", "outcome"),
                                     {"options": _enums(RestrictionOption), "conditions": _conditions,
                                      "rationale": _text, **_ON}, {**_ALLEGATION, "outcome": _enum(ReviewOutcome)}),
    "criminal_outcome": Proposable("Criminal outcome", decisions.record_criminal_outcome, ("allegation_id", "outcome"),
                                   {"offence": _text, "da_related": _bool, "indictable_only": _bool, "sentence": _text,
                                    **_ON}, {**_ALLEGATION, "outcome": _enum(CriminalOutcome)}),
    "misconduct_outcome": Proposable("Misconduct outcome", decisions.record_misconduct_outcome,
                                     ("allegation_id", "outcome"),
                                     {"final_written_warning_in_force": _bool, "multiple_unconnected_incidents": _bool,
                                      "rationale": _text, **_ON}, {**_ALLEGATION, "outcome": _enum(MisconductOutcome)}),
    "investigating_body": Proposable("Investigating body", investigation.assign_investigating_body, ("body",),
                                     {"allegation_id": _opt_int, **_ON}, {"body": lambda n, v: _text(n, v) or ""}),
    "list_notification": Proposable("Barred or Advisory List notification", closure.record_list_notification,
                                    ("person_id", "list_status"), {"reference": _text, **_ON},
                                    {"person_id": _int, "list_status": _enum(ListStatus)}),
    "vetting_review": Proposable("Vetting review", closure.record_vetting_review, ("person_id",),
                                 {"result": lambda n, v: _text(n, v) or "", **_ON}, {"person_id": _int}),
    "pcc_report": Proposable("Report to the local policing body", closure.record_pcc_report, (), dict(_ON), {}),
    "close_case": Proposable("Close the case", closure.close_case, (), dict(_ON), {}),
}


def _read(action: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """The service's arguments from `arguments` (given or stored), or InvalidInput saying what is wrong."""
    spec = PROPOSABLE.get(action)
    if spec is None:
        raise InvalidInput(f"\"{action}\" cannot be proposed: only decisions that need a supervisor can be "
                           f"({', '.join(PROPOSABLE)}).")
    unknown = sorted(set(arguments) - set(spec.required) - set(spec.optional))
    if unknown:
        raise InvalidInput(f"A {spec.title.lower()} proposal does not take: {', '.join(unknown)}.")
    missing = [n for n in spec.required if arguments.get(n) is None]
    if missing:
        raise InvalidInput(f"A {spec.title.lower()} proposal needs: {', '.join(n.replace('_', ' ') for n in missing)}.")
    reads = {**spec.reads, **spec.optional}
    return {n: reads[n](n, v) for n, v in arguments.items() if v is not None or n in spec.required}


def _plain(v: Any) -> Any:
    if isinstance(v, Enum):
        return v.name
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, SuspensionConditions):
        return dataclasses.asdict(v)
    if isinstance(v, (tuple, list, frozenset, set)):
        return [_plain(x) for x in v]
    return v


def _words(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, list):
        return ", ".join(_words(x) for x in v) or "none"
    text = str(v)
    return text.replace("_", " ").capitalize() if text.isupper() else text


SHOWN = ("met", "severity", "options", "outcome", "body", "list_status", "result")


def describe(action: str, arguments: dict[str, Any]) -> str:
    """What is proposed, in words: "Threshold for investigation: met", "Restriction decision: Restricted duties"."""
    spec = PROPOSABLE.get(action)
    title = spec.title if spec else action
    if action == "threshold":
        return f"{title}: {'met' if arguments.get('met', True) else 'not met'}"
    parts = [_words(arguments[k]) for k in SHOWN if arguments.get(k) not in (None, [])]
    when = f" on {arguments['on']}" if arguments.get("on") else ""
    return f"{title}: {'; '.join(parts)}{when}" if parts else f"{title}{when}"


# ---- views ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProposalView:
    id: int
    case_id: int
    case_ref: str
    action: str
    what: str  # in words
    subject: str | None  # the allegation's subject (name), when the proposal is about one
    proposed_by_id: int
    proposed_by: str  # display name (user name)
    proposed_at: datetime
    status: str
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None


@dataclass(frozen=True)
class Proposed:
    proposal_id: int


def _views(s: Session, rows: list[ProposedDecisionRow]) -> list[ProposalView]:
    user_ids = {r.proposed_by for r in rows} | {r.decided_by for r in rows if r.decided_by}
    names = {u.id: f"{u.display_name} ({u.username})" for u in s.scalars(select(UserRow).where(UserRow.id.in_(user_ids)))}
    refs = dict(s.execute(select(CaseRow.id, CaseRow.reference).where(CaseRow.id.in_({r.case_id for r in rows}))).all())
    aids = {r.arguments.get("allegation_id") for r in rows} - {None}
    subjects = dict(s.execute(select(AllegationRow.id, PersonRow.surname + ", " + PersonRow.forenames)
                              .join(PersonRow, PersonRow.id == AllegationRow.subject_id)
                              .where(AllegationRow.id.in_(aids))).all()) if aids else {}
    return [ProposalView(r.id, r.case_id, refs.get(r.case_id, ""), r.action, describe(r.action, r.arguments),
                         subjects.get(r.arguments.get("allegation_id")), r.proposed_by, names.get(r.proposed_by, ""),
                         r.proposed_at, r.status, names.get(r.decided_by) if r.decided_by else None, r.decided_at,
                         r.reason) for r in rows]


def pending_for(uow: UnitOfWork, actor: User) -> list[ProposalView]:
    """Supervisors and the head of PSD: the pending proposals on the cases they may see, never
    their own. Everyone who may propose: their own pending proposals, and the ones rejected in the
    last 30 days (with the reason). Oldest first."""
    with uow:
        s = uow.session
        mine = (ProposedDecisionRow.proposed_by == actor.id) & or_(
            ProposedDecisionRow.status == ProposalStatus.PENDING.value,
            (ProposedDecisionRow.status == ProposalStatus.REJECTED.value)
            & (ProposedDecisionRow.decided_at >= clock.now() - RECENT_REFUSALS))
        clause = mine
        if allowed(actor, Action.APPROVE):
            theirs = (ProposedDecisionRow.status == ProposalStatus.PENDING.value) & (
                ProposedDecisionRow.proposed_by != actor.id)
            clause = or_(mine, theirs)
        # Only cases the user may still see (an investigator taken off a case no longer sees its proposals).
        clause = clause & ProposedDecisionRow.case_id.in_(select(CaseRow.id).where(visible_clause(actor)))
        rows = list(s.scalars(select(ProposedDecisionRow).where(clause).order_by(ProposedDecisionRow.proposed_at,
                                                                                ProposedDecisionRow.id)))
        return _views(s, rows)


def pending_on_case(uow: UnitOfWork, actor: User, case_id: int) -> list[ProposalView]:
    """The pending proposals on one case the user may see (the case view's "awaiting approval")."""
    with uow:
        s = uow.session
        visible = select(CaseRow.id).where(CaseRow.id == case_id, visible_clause(actor))
        rows = list(s.scalars(select(ProposedDecisionRow).where(
            ProposedDecisionRow.case_id.in_(visible), ProposedDecisionRow.status == ProposalStatus.PENDING.value)
            .order_by(ProposedDecisionRow.id)))
        return _views(s, rows)


# ---- the actions ----------------------------------------------------------------------------------

def _log(s: Session, actor: User, reference: str, what: str, proposal: ProposedDecisionRow, reason: str | None = None) -> None:
    audit.record(s, actor, AccessOperation.ALTERATION, CASE_RECORD, reference, reason=reason,
                 detail=f"{what} {proposal.id} ({proposal.action})")


def propose(uow: UnitOfWork, actor: User, case_id: int, action: str, arguments: dict[str, Any],
            expected_version: int | None = None) -> Proposed:
    """An investigator on the case team proposes a decision that needs a supervisor."""
    read = _read(action, arguments)
    with uow:
        s = uow.session
        me = current_user(s, actor, "propose a decision")
        require(me, Action.PROPOSE_DECISION)
        if allowed(me, Action.DECIDE):
            raise PermissionDenied(f"{me.username} may record this decision: there is nothing to propose.")
        row = case_row(s, case_id)
        require_access(s, me, row, Action.DECIDE)
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(conflict_message(s, row.reference))
        aid = read.get("allegation_id")
        if aid is not None and s.scalar(select(AllegationRow.id).where(
                AllegationRow.id == aid, AllegationRow.case_id == case_id)) is None:
            raise InvalidInput(f"Allegation {aid} is not part of case {row.reference}.")
        proposal = ProposedDecisionRow(case_id=case_id, action=action, proposed_by=me.id, proposed_at=clock.now(),
                                       status=ProposalStatus.PENDING.value,
                                       arguments={n: _plain(v) for n, v in read.items()})
        s.add(proposal)
        s.flush()
        _log(s, me, row.reference, "proposed", proposal)
        uow.commit()
        return Proposed(proposal.id)


def _pending(s: Session, proposal_id: int) -> ProposedDecisionRow:
    row = s.scalar(select(ProposedDecisionRow).where(ProposedDecisionRow.id == proposal_id).with_for_update())
    if row is None:
        raise NotFound(f"There is no proposal {proposal_id}.")
    if row.status != ProposalStatus.PENDING.value:
        raise ConflictError(f"Proposal {proposal_id} is no longer awaiting approval: it was "
                            f"{row.status.lower()}.")
    return row


def _may_decide(s: Session, actor: User, proposal: ProposedDecisionRow, what: str) -> tuple[User, CaseRow]:
    me = current_user(s, actor, f"{what} a proposal")
    require(me, Action.APPROVE)
    if proposal.proposed_by == me.id:
        raise PermissionDenied("A decision cannot be approved by the person who proposed it: another supervisor or "
                               "the head of PSD must approve it.")
    case = case_row(s, proposal.case_id)
    if s.scalar(select(CaseRow.id).where(CaseRow.id == case.id, visible_clause(me))) is None:
        raise PermissionDenied(f"{me.username} cannot {what} a proposal on case {case.reference}: they may not see it.")
    return me, case


class _Joined(UnitOfWork):
    """The approval's own transaction, handed to the casework service: its `with` and commit()
    join the approval, which commits (or rolls back) the decision and the proposal together."""

    def __init__(self, session: Session) -> None:
        self._joined = session

    @property
    def session(self) -> Session:
        return self._joined

    def __enter__(self) -> "_Joined":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def commit(self) -> None:
        self._joined.flush()


def approve(uow: UnitOfWork, actor: User, proposal_id: int) -> DecisionRecorded:
    """Record the proposed decision through its casework service (the proposer deciding, `actor`
    co-signing), so every rule applies now; a refusal leaves the proposal pending."""
    with uow:
        s = uow.session
        proposal = _pending(s, proposal_id)
        me, case = _may_decide(s, actor, proposal, "approve")
        proposer = s.get(UserRow, proposal.proposed_by)
        assert proposer is not None
        spec = PROPOSABLE[proposal.action]
        read = _read(proposal.action, proposal.arguments)
        positional = [read.pop(n) for n in spec.required]
        done = spec.service(_Joined(s), to_user(proposer), proposal.case_id, *positional, approver=me,
                            expected_version=None, **read)
        s.execute(update(ProposedDecisionRow).where(ProposedDecisionRow.id == proposal.id).values(
            status=ProposalStatus.APPROVED.value, decided_by=me.id, decided_at=clock.now(),
            decision_id=done.decision_ids[0] if done.decision_ids else None))
        _log(s, me, case.reference, "approved proposal", proposal)
        uow.commit()
        return done


def reject(uow: UnitOfWork, actor: User, proposal_id: int, reason: str | None) -> None:
    """Not approved; the reason is shown to the proposer."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Give the reason for rejecting the proposal: the investigator will see it.")
    with uow:
        s = uow.session
        proposal = _pending(s, proposal_id)
        me, case = _may_decide(s, actor, proposal, "reject")
        proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.REJECTED.value, me.id, clock.now()
        proposal.reason = reason
        _log(s, me, case.reference, "rejected proposal", proposal)
        uow.commit()


def withdraw(uow: UnitOfWork, actor: User, proposal_id: int) -> None:
    """The proposer takes their pending proposal back."""
    with uow:
        s = uow.session
        proposal = _pending(s, proposal_id)
        if proposal.proposed_by != actor.id:
            raise PermissionDenied("Only the investigator who proposed it may withdraw a proposal.")
        proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.WITHDRAWN.value, actor.id, clock.now()
        _log(s, actor, case_row(s, proposal.case_id).reference, "withdrew proposal", proposal)
        uow.commit()
