"""What every casework write shares: who is who in a decision, who may write to the case, the
optimistic version check, and appending decisions with the access-log entry.

One write = one transaction: the acting user's role and need-to-know are checked, the case's
version is claimed with `UPDATE ... WHERE id = :id AND version = :seen` (so of two writers who
read the same version only one can succeed, on PostgreSQL as on SQLite), the domain rules build
the decisions, the decisions are appended, the case list's projection is refreshed and the
access log records the alteration (the decision kind only: no personal data).

Who is who (DOMAIN.md §7, app.domain.workflow.approvals): `sign` turns "who is at the keyboard"
and "who signed in beside them" into the decision's decider, proposer and approver (`Signing`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, or_, select, update
from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation, DecisionKind, Role
from app.domain.errors import ConflictError, NotFound, PermissionDenied
from app.domain.permissions import CASE_ACTIONS, Action, allowed, require
from app.domain.policy import PolicySet
from app.domain.records import CaseSnapshot, Decision, User
from app.domain.workflow import Act
from app.persistence.models import AccessLogRow, AllegationRow, CaseMemberRow, CaseRow, DecisionRow, UserRow
from app.persistence.uow import UnitOfWork
from app.services import audit, case_summary, clock
from app.services import policies as policy_service
from app.services.case_queries import visible_clause
from app.services.case_state import load_snapshots
from app.services.users import to_user

SUPERVISING = (Role.SUPERVISOR, Role.HEAD_OF_PSD)
CASE_RECORD = "case"


@dataclass(frozen=True)
class DecisionRecorded:
    """The decisions appended (ids, in order) and the case's version after the write."""

    decision_ids: tuple[int, ...]
    case_version: int


@dataclass(frozen=True)
class Signing:
    """Who is who in one decision (app.domain.workflow.approvals)."""

    actor: User  # at the keyboard: the access log names them
    decider: User  # by whose authority the decision is made (decided_by)
    proposer: User | None  # the investigator who put it forward for the decider (payload proposed_by)
    approver: User | None  # the second person: the rule's approval, or the approval of the proposal

    @classmethod
    def alone(cls, actor: User) -> Signing:
        return cls(actor, actor, None, None)

    def others(self) -> list[User]:
        """The people other than the actor, each once."""
        found: dict[int | None, User] = {}
        for u in (self.decider, self.approver):
            if u is not None and u.id != self.actor.id:
                found.setdefault(u.id, u)
        return list(found.values())


@dataclass(frozen=True)
class CaseWrite:
    """One write to one case in progress (the case's version is already claimed)."""

    session: Session
    signing: Signing
    case_id: int
    reference: str
    version: int  # after this write
    snapshot: CaseSnapshot
    policies: PolicySet
    at: datetime

    @property
    def actor(self) -> User:
        return self.signing.actor

    @property
    def approver(self) -> User | None:
        return self.signing.approver

    @property
    def act(self) -> Act:
        return Act(self.signing.decider, self.at, self.signing.proposer)


# ---- who may write, and who is who ---------------------------------------------------------------

def permission_of(name: str) -> Action:
    """Who may take case action `name` (app.domain.permissions.CASE_ACTIONS, which the registry of
    case actions in app.services.actions shows too), checked by every casework service."""
    permission = CASE_ACTIONS[name]
    assert permission is not None, name
    return permission


def current_user(session: Session, user: User, what: str) -> User:
    """`user` as the database knows them now (roles, lock), refused when unknown or inactive."""
    row = session.get(UserRow, user.id) if user.id is not None else None
    if row is None or not row.active:
        raise PermissionDenied(f"{user.username} cannot {what}: the account is not active.")
    return to_user(row)


_approving: ContextVar[User | None] = ContextVar("approving", default=None)


@contextmanager
def approving_proposal(proposer: User) -> Iterator[None]:
    """While a stored proposal of `proposer` is approved: the casework write called inside is
    done by its approver (the actor) on the proposer's proposal (app.services.casework.proposals)."""
    token = _approving.set(proposer)
    try:
        yield
    finally:
        _approving.reset(token)


def _cosigner(session: Session, actor: User, cosigner: User | None) -> User:
    if cosigner is None:
        raise PermissionDenied(
            f"{actor.username} (INVESTIGATOR) may only propose this decision: it must be co-signed by a "
            "SUPERVISOR or HEAD_OF_PSD. Ask a supervisor to sign in as co-signer, or propose it for approval.")
    now = current_user(session, cosigner, "co-sign a decision")
    if not allowed(now, Action.DECIDE):
        raise PermissionDenied(
            f"{now.username} cannot co-sign this decision: a co-signer must be a SUPERVISOR or HEAD_OF_PSD.")
    if now.locked:
        raise PermissionDenied(f"{now.username} cannot co-sign: the account is locked.")
    return now


def _on_proposal(session: Session, actor: User, action: Action, proposer: User) -> Signing:
    """The approval of a stored proposal: a decider's own proposal (awaiting the approval a rule
    needs) stays theirs, approved by the actor; an investigator's is decided by the actor."""
    row = session.get(UserRow, proposer.id) if proposer.id is not None else None
    then = to_user(row) if row is not None else proposer
    if row is not None and row.active and allowed(then, action):
        return Signing(actor, then, None, actor)
    require(actor, action)
    return Signing(actor, actor, then, actor)


def sign(session: Session, actor: User, action: Action, approver: User | None) -> Signing:
    """Who is who when `actor` does `action` with `approver` signed in beside them:
    - the actor may do it: they decide; `approver` is the approval a rule may need;
    - an investigator on a supervisor's decision: `approver` co-signs, and decides it (the
      investigator is its proposer; the co-signer's approval is also the one a rule needs);
    - inside `approving_proposal`: see `_on_proposal`."""
    proposer = _approving.get()
    if proposer is not None:
        return _on_proposal(session, actor, action, proposer)
    if allowed(actor, action):
        second = current_user(session, approver, "approve a decision") if approver is not None else None
        return Signing(actor, actor, None, second)
    if action == Action.DECIDE and allowed(actor, Action.PROPOSE_DECISION):
        cosigner = _cosigner(session, actor, approver)
        return Signing(actor, cosigner, actor, cosigner)
    require(actor, action)
    raise AssertionError("require() refuses what is not allowed")


def case_row(session: Session, case_id: int) -> CaseRow:
    row = session.get(CaseRow, case_id)
    if row is None:
        raise NotFound(f"There is no case with id {case_id}.")
    return row


def sees(session: Session, user: User, case_id: int, *, via_iopc: bool, referral: bool = False) -> bool:
    """Whether `user` may reach the case (need to know); `referral`: the IOPC liaison's reach to
    refer a case not yet referred (a supervisor's, for that one action)."""
    clause = visible_clause(user, via_iopc=via_iopc)
    if referral and user.has(Role.IOPC_LIAISON):
        # Still never a restricted case they are not named on, nor a case they are connected to.
        as_referrer = dataclasses.replace(user, roles=frozenset({Role.SUPERVISOR}))
        clause = visible_clause(as_referrer)
    return session.scalar(select(CaseRow.id).where(CaseRow.id == case_id, clause)) is not None


def _is_member(session: Session, user: User, case_id: int) -> bool:
    return session.scalar(select(CaseMemberRow.id).where(
        CaseMemberRow.case_id == case_id, CaseMemberRow.user_id == user.id,
        CaseMemberRow.ended_at.is_(None)).limit(1)) is not None


def access_refusal(session: Session, user: User, row: CaseRow) -> str:
    """Why `user` may not change the case (they do not reach it), in words."""
    reference = row.reference
    if not user.has(*SUPERVISING) and user.has(Role.INVESTIGATOR) and not _is_member(session, user, row.id):
        return (f"{user.username} is not on the case team of {reference}: an investigator may work only "
                "on the cases assigned to them. A supervisor can assign you.")
    referred = session.scalar(select(DecisionRow.id).where(
        DecisionRow.case_id == row.id, DecisionRow.kind == DecisionKind.IOPC_REFERRAL.name).limit(1))
    if not user.has(*SUPERVISING, Role.INVESTIGATOR) and user.has(Role.IOPC_LIAISON) and referred is None:
        return (f"Case {reference} has not been referred to the IOPC: the IOPC liaison records its referral, "
                "then the IOPC's decision.")
    return (f"{user.username} may not change case {reference}: only its case team and supervisors may "
            "(only the named users of a restricted case), and never someone connected to a subject or victim.")


def require_access(session: Session, user: User, row: CaseRow, action: Action, *, referral: bool = False) -> None:
    """Need to know (DOMAIN.md §7): the case team and supervisors; an investigator only on their
    own cases; the IOPC liaison on referred cases (and to refer); never a connected user."""
    via_iopc = action == Action.IOPC_RECORD
    if sees(session, user, row.id, via_iopc=via_iopc, referral=referral):
        return
    message = access_refusal(session, user, row)
    audit.record_refusal(session, user, AccessOperation.CONSULTATION, CASE_RECORD, row.reference, "case change")
    raise PermissionDenied(message)


def require_approver_access(session: Session, approver: User, row: CaseRow) -> None:
    if not sees(session, approver, row.id, via_iopc=False):
        raise PermissionDenied(
            f"{approver.username} cannot approve or co-sign a decision on case {row.reference}: they may not "
            "see it (restricted to named users, or they are connected to a subject or victim).")


# ---- the optimistic version check ---------------------------------------------------------------

def conflict_message(session: Session, reference: str) -> str:
    """Who changed the case last, when and what (from the access log), and what to do."""
    last = session.execute(
        select(AccessLogRow.username, AccessLogRow.at, AccessLogRow.detail)
        .where(AccessLogRow.record_type == CASE_RECORD, AccessLogRow.record_id == reference,
               AccessLogRow.operation.in_([AccessOperation.ALTERATION.name, AccessOperation.COLLECTION.name]))
        .order_by(AccessLogRow.seq.desc()).limit(1)).first()
    tail = "after you opened it. Reload the case to see the change; nothing was saved."
    if last is None:
        return f"{reference} was changed by someone else {tail}"
    at = clock.local(last.at)  # stored as UTC, told in the force's local time
    when = f"at {at:%H:%M}" if at.date() == clock.today() else f"on {at:%Y-%m-%d} at {at:%H:%M}"
    what = f" ({last.detail})" if last.detail else ""
    return f"{reference} was changed by {last.username} {when}{what} {tail}"


def claim_version(session: Session, case_id: int, seen: int, reference: str) -> int:
    """Bump the case's version from `seen`; refused when someone else changed it first.

    The conditional UPDATE takes the row lock on PostgreSQL: a concurrent writer who read the
    same version waits, then finds the version changed and is refused."""
    table = cast(Table, CaseRow.__table__)
    result = session.execute(update(table).where(table.c.id == case_id, table.c.version == seen)
                             .values(version=seen + 1))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(conflict_message(session, reference))
    return seen + 1


def lock_related(session: Session, case_id: int) -> None:
    """Row-lock the case and the other cases of its subjects, in id order (PostgreSQL; SQLite has
    one writer at a time). A write refreshes their list rows too (repeat and serial flags), and two
    writers on cases of one subject taking those locks in different orders would deadlock."""
    subjects = select(AllegationRow.subject_id).where(AllegationRow.case_id == case_id)
    related = select(AllegationRow.case_id).where(AllegationRow.subject_id.in_(subjects))
    session.execute(select(CaseRow.id).where(or_(CaseRow.id == case_id, CaseRow.id.in_(related)))
                    .order_by(CaseRow.id).with_for_update())


def check_and_claim(session: Session, row: CaseRow, expected_version: int | None) -> int:
    lock_related(session, row.id)
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(conflict_message(session, row.reference))
    version = claim_version(session, row.id, row.version, row.reference)
    session.expire(row)
    return version


def set_case_fields(session: Session, case_id: int, **values: object) -> None:
    """Change columns of a case whose version this write has claimed (never through the ORM
    object, which would bump the version a second time)."""
    table = cast(Table, CaseRow.__table__)
    session.execute(update(table).where(table.c.id == case_id).values(**values))


# ---- a write --------------------------------------------------------------------------------------

def begin(session: Session, actor: User, case_id: int, action: Action, expected_version: int | None,
          approver: User | None = None, *, referral: bool = False) -> CaseWrite:
    """Check the action and claim the case's version; the snapshot is read after the claim."""
    signing = sign(session, actor, action, approver)
    row = case_row(session, case_id)
    require_access(session, actor, row, action, referral=referral)
    for other in signing.others():
        require_approver_access(session, other, row)
    reference = row.reference
    version = check_and_claim(session, row, expected_version)
    snapshot = load_snapshots(session, [case_id])[case_id]
    return CaseWrite(session, signing, case_id, reference, version, snapshot, policy_service.load(session),
                     clock.now())


def _stamped(w: CaseWrite, d: Decision) -> Decision:
    """A decided proposal names its proposer, and is approved by its decider."""
    proposer, approver = w.signing.proposer, w.signing.approver
    if proposer is None or approver is None:
        return d
    return dataclasses.replace(d, payload={**d.payload, "proposed_by": proposer.id},
                               approved_by=approver.id, approved_at=w.at)


# A new decision of a kind supersedes the latest earlier one of these kinds for the same allegation.
SUPERSEDES: dict[DecisionKind, tuple[DecisionKind, ...]] = {
    DecisionKind.RECORDING: (DecisionKind.RECORDING,),
    DecisionKind.SEVERITY: (DecisionKind.SEVERITY,),
    DecisionKind.THRESHOLD: (DecisionKind.THRESHOLD,),
    DecisionKind.RESTRICTION_REVIEW: (DecisionKind.RESTRICTION, DecisionKind.RESTRICTION_REVIEW),
    DecisionKind.IOPC_DECISION: (DecisionKind.IOPC_DECISION,),
    DecisionKind.INVESTIGATING_BODY: (DecisionKind.INVESTIGATING_BODY,),
}


def _superseded(snapshot: CaseSnapshot, d: Decision) -> int | None:
    kinds = SUPERSEDES.get(d.kind, ())
    earlier = [e for e in snapshot.decisions if e.kind in kinds and e.allegation_id == d.allegation_id]
    return earlier[-1].id if earlier else None


def append(w: CaseWrite, decisions: Sequence[Decision]) -> list[int]:
    """Append the decisions as DecisionRows (JSON payload), in order; their ids."""
    ids = []
    for d in decisions:
        d = _stamped(w, d)
        row = DecisionRow(
            case_id=w.case_id, allegation_id=d.allegation_id, kind=d.kind.name, payload=dict(d.payload),
            options_considered=list(d.options_considered), rationale=d.rationale, decided_by=d.decided_by,
            decided_at=d.decided_at, effective_date=d.effective_date, approved_by=d.approved_by,
            approved_at=d.approved_at, imported_from=None,
            supersedes_id=d.supersedes_id or _superseded(w.snapshot, d))
        w.session.add(row)
        w.session.flush()
        ids.append(row.id)
        w = dataclasses.replace(w, snapshot=dataclasses.replace(
            w.snapshot, decisions=(*w.snapshot.decisions, dataclasses.replace(d, id=row.id))))
    return ids


def finish(w: CaseWrite, detail: str, operation: AccessOperation = AccessOperation.ALTERATION) -> None:
    """Refresh the case list's projection and log the alteration (no personal data in `detail`)."""
    case_summary.refresh(w.session, [w.case_id])
    audit.record(w.session, w.actor, operation, CASE_RECORD, w.reference, detail=detail)


def kinds_text(decisions: Sequence[Decision]) -> str:
    return ", ".join(dict.fromkeys(d.kind.name for d in decisions))


Build = Callable[[CaseWrite], Sequence[Decision]]
After = Callable[[CaseWrite, Sequence[Decision]], None]


def record(uow: UnitOfWork, actor: User, case_id: int, action: Action, build: Build, *,
           expected_version: int | None, approver: User | None = None, referral: bool = False,
           after: After | None = None) -> DecisionRecorded:
    """The whole of one decision-recording action, in one transaction."""
    with uow:
        w = begin(uow.session, actor, case_id, action, expected_version, approver, referral=referral)
        decisions = list(build(w))
        ids = append(w, decisions)
        if after is not None:
            after(w, decisions)
        finish(w, kinds_text(decisions))
        uow.commit()
    return DecisionRecorded(tuple(ids), w.version)
