"""Proposed decisions (DOMAIN.md §7: "an INVESTIGATOR may propose"): an investigator with no
supervisor at the desk proposes a supervisor's decision, and a supervisor or the head of PSD
approves it later — deciding it by their authority, the investigator recorded as its proposer —
or rejects it with a reason; the proposer may withdraw it. A supervisor or head of PSD whose own
decision needs an approval nobody at the desk can give (e.g. "no restriction", a head-of-PSD
exception) submits it the same way: it stays their decision, approved later by the second person.

What may be proposed, and how its arguments are read and stored, is the registry of case actions
(app.services.actions.catalogue): approval performs the proposal's action through the same
service, in the approval's transaction, so every rule applies at approval time; a refusal reaches
the approver unchanged and the proposal stays PENDING. Each step is an alteration in the access
log naming the action and the proposal's number only (no personal data).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation, Role
from app.domain.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from app.domain.permissions import TABLE, Action, allowed, require
from app.domain.records import User
from app.persistence.models import AllegationRow, CaseRow, PersonRow, ProposedDecisionRow, UserRow
from app.persistence.uow import UnitOfWork
from app.services import audit, clock
from app.services.actions.arguments import plain
from app.services.actions.catalogue import ACTIONS, CaseAction
from app.services.case_queries import visible_clause
from app.services.casework.common import (
    CASE_RECORD,
    DecisionRecorded,
    approving_proposal,
    case_row,
    conflict_message,
    current_user,
    require_access,
)
from app.services.users import to_user

RECENT_REFUSALS = timedelta(days=30)  # how long a rejection stays in the proposer's list


class ProposalStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


PROPOSABLE: tuple[str, ...] = tuple(name for name, a in ACTIONS.items() if a.proposable)


def proposable(name: str) -> CaseAction:
    spec = ACTIONS.get(name)
    if spec is None or not spec.proposable:
        raise InvalidInput(f"\"{name}\" cannot be proposed: only decisions that need a supervisor or an approval can "
                           f"be ({', '.join(PROPOSABLE)}).")
    return spec


def _words(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, list):
        return ", ".join(_words(x) for x in v) or "none"
    text = str(v)
    return text.replace("_", " ").capitalize() if text.isupper() else text


SHOWN = ("met", "recordable", "severity", "options", "outcome", "body", "list_status", "result", "decision")


def describe(action: str, arguments: Mapping[str, Any]) -> str:
    """What is proposed, in words: "Threshold for investigation: met", "Restriction decision: Restricted duties"."""
    spec = ACTIONS.get(action)
    title = spec.title if spec else action
    when = f" on {date.fromisoformat(str(arguments['on'])):%d %b %Y}" if arguments.get("on") else ""
    if action == "threshold":
        return f"{title}: {'met' if arguments.get('met', True) else 'not met'}{when}"
    if action == "recording":
        return f"{title}: {'recordable' if arguments.get('recordable', True) else 'not recordable'}{when}"
    parts = [_words(arguments[k]) for k in SHOWN if arguments.get(k) not in (None, [])]
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
    awaiting: str = ""  # whose approval it awaits, in words: "a HEAD_OF_PSD or SUPERVISOR"
    yours_to_approve: bool = False  # the reader may approve it
    yours_to_reject: bool = False  # the reader may reject it (any supervisor or head of PSD but the proposer)
    proposer_decides: bool = False  # a decider's own decision awaiting approval (else an investigator's proposal)


@dataclass(frozen=True)
class Proposed:
    proposal_id: int


def _approver_roles(spec: CaseAction, arguments: Mapping[str, Any], proposer: User | None) -> frozenset[Role]:
    """Who may approve: for a decider's own submission, the second person the approval needs; for
    an investigator's proposal, a supervisor — the head of PSD where the rule names them."""
    try:
        need = spec.needs_approval(spec.read(arguments))
    except InvalidInput:
        need = spec.approval
    permission = spec.permission or Action.DECIDE
    if proposer is not None and allowed(proposer, permission):
        return need.approver_roles(proposer) if need else TABLE[Action.APPROVE]
    return need.roles if need else TABLE[permission] & TABLE[Action.APPROVE]


def _roles_words(roles: frozenset[Role]) -> str:
    return "a " + " or ".join(sorted(r.value for r in roles))


def _views(s: Session, reader: User, rows: list[ProposedDecisionRow]) -> list[ProposalView]:
    user_ids = {r.proposed_by for r in rows} | {r.decided_by for r in rows if r.decided_by}
    people = {u.id: u for u in s.scalars(select(UserRow).where(UserRow.id.in_(user_ids)))}
    names = {i: f"{u.display_name} ({u.username})" for i, u in people.items()}
    refs = dict(s.execute(select(CaseRow.id, CaseRow.reference).where(CaseRow.id.in_({r.case_id for r in rows}))).all())
    aids = {r.arguments.get("allegation_id") for r in rows} - {None}
    subjects = dict(s.execute(select(AllegationRow.id, PersonRow.surname + ", " + PersonRow.forenames)
                              .join(PersonRow, PersonRow.id == AllegationRow.subject_id)
                              .where(AllegationRow.id.in_(aids))).all()) if aids else {}
    views = []
    for r in rows:
        proposer = to_user(people[r.proposed_by]) if r.proposed_by in people else None
        spec = ACTIONS.get(r.action)
        roles: frozenset[Role] = _approver_roles(spec, r.arguments, proposer) if spec else frozenset()
        theirs = r.status == ProposalStatus.PENDING.value and r.proposed_by != reader.id and allowed(reader,
                                                                                                     Action.APPROVE)
        decides = bool(spec and proposer and allowed(proposer, spec.permission or Action.DECIDE))
        views.append(ProposalView(
            r.id, r.case_id, refs.get(r.case_id, ""), r.action, describe(r.action, r.arguments),
            subjects.get(int(r.arguments.get("allegation_id") or 0)), r.proposed_by, names.get(r.proposed_by, ""),
            r.proposed_at, r.status, names.get(r.decided_by) if r.decided_by else None, r.decided_at, r.reason,
            _roles_words(roles) if roles else "", theirs and reader.has(*roles), theirs, decides))
    return views


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
        clause: ColumnElement[bool] = mine
        if allowed(actor, Action.APPROVE):
            theirs = (ProposedDecisionRow.status == ProposalStatus.PENDING.value) & (
                ProposedDecisionRow.proposed_by != actor.id)
            clause = or_(mine, theirs)
        # Only cases the user may still see (an investigator taken off a case no longer sees its proposals).
        clause = clause & ProposedDecisionRow.case_id.in_(select(CaseRow.id).where(visible_clause(actor)))
        rows = list(s.scalars(select(ProposedDecisionRow).where(clause).order_by(ProposedDecisionRow.proposed_at,
                                                                                ProposedDecisionRow.id)))
        return _views(s, actor, rows)


def pending_on_case(uow: UnitOfWork, actor: User, case_id: int) -> list[ProposalView]:
    """The pending proposals on one case the user may see (the case view's "awaiting approval")."""
    with uow:
        s = uow.session
        visible = select(CaseRow.id).where(CaseRow.id == case_id, visible_clause(actor))
        rows = list(s.scalars(select(ProposedDecisionRow).where(
            ProposedDecisionRow.case_id.in_(visible), ProposedDecisionRow.status == ProposalStatus.PENDING.value)
            .order_by(ProposedDecisionRow.id)))
        return _views(s, actor, rows)


# ---- the actions ----------------------------------------------------------------------------------

def _log(s: Session, actor: User, reference: str, what: str, proposal: ProposedDecisionRow,
         reason: str | None = None) -> None:
    audit.record(s, actor, AccessOperation.ALTERATION, CASE_RECORD, reference, reason=reason,
                 detail=f"{what} {proposal.id} ({proposal.action})")


def may_propose(user: User, spec: CaseAction, arguments: Mapping[str, Any] | None = None) -> str | None:
    """Why `user` may not propose `spec` (None: they may). A supervisor's decision is proposed by
    an investigator; a decision needing an approval, by whoever may make it (given `arguments`,
    only when these arguments need the approval)."""
    if not spec.proposable or not allowed(user, Action.PROPOSE_DECISION):
        return f"{user.username} may not propose a {spec.title.lower()}."
    permission = spec.permission or Action.DECIDE
    if not allowed(user, permission):
        return None if permission == Action.DECIDE else f"{user.username} may not propose a {spec.title.lower()}."
    need = spec.approval if arguments is None else spec.needs_approval(arguments)
    if need is None:
        return f"{user.username} may record this decision: there is nothing to propose."
    return None


def propose(uow: UnitOfWork, actor: User, case_id: int, action: str, arguments: Mapping[str, Any],
            expected_version: int | None = None) -> Proposed:
    """Propose a decision for approval: an investigator on the case team a supervisor's decision,
    a supervisor or the head of PSD their own decision that needs an approval."""
    spec = proposable(action)
    read = spec.read(arguments)
    with uow:
        s = uow.session
        me = current_user(s, actor, "propose a decision")
        require(me, Action.PROPOSE_DECISION)
        why_not = may_propose(me, spec, read)
        if why_not is not None:
            raise PermissionDenied(why_not)
        row = case_row(s, case_id)
        require_access(s, me, row, spec.permission or Action.DECIDE)
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(conflict_message(s, row.reference))
        aid = read.get("allegation_id")
        if aid is not None and s.scalar(select(AllegationRow.id).where(
                AllegationRow.id == aid, AllegationRow.case_id == case_id)) is None:
            raise InvalidInput(f"Allegation {aid} is not part of case {row.reference}.")
        proposal = ProposedDecisionRow(case_id=case_id, action=action, proposed_by=me.id, proposed_at=clock.now(),
                                       status=ProposalStatus.PENDING.value,
                                       arguments={n: plain(v) for n, v in read.items()})
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

    def __enter__(self) -> _Joined:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def commit(self) -> None:
        self._joined.flush()


def approve(uow: UnitOfWork, actor: User, proposal_id: int) -> DecisionRecorded:
    """Record the proposed decision through its action's service, the approver acting: an
    investigator's proposal is decided by the approver, a decider's own is approved by them. Every
    rule applies now; a refusal leaves the proposal pending."""
    with uow:
        s = uow.session
        proposal = _pending(s, proposal_id)
        me, case = _may_decide(s, actor, proposal, "approve")
        proposer = s.get(UserRow, proposal.proposed_by)
        assert proposer is not None
        spec = proposable(proposal.action)
        read = spec.read(proposal.arguments)
        with approving_proposal(to_user(proposer)):
            done: DecisionRecorded = spec.call(_Joined(s), me, proposal.case_id, read, me, None)
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
        raise InvalidInput("Give the reason for rejecting the proposal: the person who proposed it will see it.")
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
            raise PermissionDenied("Only the person who proposed it may withdraw a proposal.")
        proposal.status = ProposalStatus.WITHDRAWN.value
        proposal.decided_by, proposal.decided_at = actor.id, clock.now()
        _log(s, actor, case_row(s, proposal.case_id).reference, "withdrew proposal", proposal)
        uow.commit()
