"""The case team and independence (DOMAIN.md §3.3, §7): assigning investigators, decision-makers
and DASH assessors (refused with the reason when not independent; each declares "no prior
connection"), ending an assignment, a user's own declaration of a connection (which locks them
out of the case), and restricting a case to named users.

Allocation is for SUPERVISOR and HEAD_OF_PSD. Assignments are ASSIGNMENT decisions plus a
CaseMemberRow; ending one is a further ASSIGNMENT decision (`"ended": true`) superseding it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import workflow as wf
from app.domain.enums import AssignmentRole, DecisionKind, Role
from app.domain.errors import ExpectedError, InvalidInput, NotFound, PermissionDenied, RuleRefused
from app.domain.permissions import Action, allowed, require
from app.domain.records import Decision, User
from app.domain.workflow.common import make_decision, require_open
from app.persistence.models import CaseMemberRow, CaseRow, UserRow
from app.persistence.uow import UnitOfWork
from app.services.casework.common import (
    CaseWrite,
    DecisionRecorded,
    begin,
    case_row,
    finish,
    permission_of,
    record,
    require_approver_access,
    set_case_fields,
)
from app.services.casework.connections import independence_inputs, require_independent, user_person
from app.services.users import to_user

NAMED_ACCESS = "NAMED_ACCESS"
FITS: dict[AssignmentRole, tuple[Role, ...]] = {
    AssignmentRole.INVESTIGATOR: (Role.INVESTIGATOR, Role.SUPERVISOR, Role.HEAD_OF_PSD),
    AssignmentRole.DECISION_MAKER: (Role.SUPERVISOR, Role.HEAD_OF_PSD),
    AssignmentRole.DASH_ASSESSOR: (Role.INVESTIGATOR, Role.SUPERVISOR, Role.HEAD_OF_PSD),
}


def require_allocator(actor: User, what: str, name: str) -> None:
    """Allocation of the case team (case action `name` of the registry: SUPERVISOR, HEAD_OF_PSD)."""
    if not allowed(actor, permission_of(name)):
        raise PermissionDenied(f"{actor.username} may not {what}: this needs a SUPERVISOR or HEAD_OF_PSD.")


def user_named(session: Session, username: str | None) -> User:
    if not username or not username.strip():
        raise InvalidInput("Choose the person first (pick them from the list by name).")
    row = session.scalar(select(UserRow).where(func.lower(UserRow.username) == username.strip().lower()))
    if row is None or not row.active:
        raise NotFound(f"There is no active user called '{username.strip()}'.")
    return to_user(row)


def member_row(session: Session, case_id: int, user_id: int | None, role: str) -> CaseMemberRow | None:
    return session.scalar(select(CaseMemberRow).where(
        CaseMemberRow.case_id == case_id, CaseMemberRow.user_id == user_id, CaseMemberRow.role == role))


def activate_member(session: Session, case_id: int, user_id: int | None, role: str, at: datetime,
                    declared: bool = True) -> None:
    row = member_row(session, case_id, user_id, role)
    if row is None:
        session.add(CaseMemberRow(case_id=case_id, user_id=user_id, role=role,
                                  declared_no_prior_connection=declared, assigned_at=at))
    else:
        row.ended_at, row.assigned_at, row.declared_no_prior_connection = None, at, declared


# ---- assignment ----------------------------------------------------------------------------------

def assign_member(uow: UnitOfWork, actor: User, case_id: int, username: str, role: AssignmentRole,
                  declared_no_prior_connection: bool, *, expected_version: int | None = None) -> DecisionRecorded:
    """Put a user on the case team, refused with the reason when they are not independent of the
    subjects and victims, or have not declared "no prior connection"."""
    require_allocator(actor, "assign the case team", "assign_member")

    def build(w: CaseWrite) -> list[Decision]:
        return [_assignment(w, user_named(w.session, username), role, declared_no_prior_connection)]

    return record(uow, actor, case_id, Action.EDIT_CASE, build, expected_version=expected_version,
                  after=_activate_assigned)


def _assignment(w: CaseWrite, target: User, role: AssignmentRole, declared_no_prior_connection: bool) -> Decision:
    """The ASSIGNMENT decision putting `target` on the case in `role`, with every rule checked: the
    role fits, not already on it, independent of the subjects and victims, "no prior connection"."""
    if not target.has(*FITS[role]):
        wanted = " or ".join(r.name for r in FITS[role])
        raise InvalidInput(f"{target.username} cannot be the {_label(role)}: this needs a {wanted}.")
    active = member_row(w.session, w.case_id, target.id, role.name)
    if active is not None and active.ended_at is None:
        raise InvalidInput(f"{target.username} is already the {_label(role)} of {w.reference}.")
    candidate = user_person(w.session, target.id)
    require_independent(w.session, w.snapshot, candidate, role)
    people, associations, victims = independence_inputs(w.session, w.snapshot, candidate)
    return wf.assign(w.snapshot, w.act, target, role, candidate=candidate,
                     declared_no_prior_connection=declared_no_prior_connection, people=people,
                     associations=associations, victim_person_ids=victims)


def _activate_assigned(w: CaseWrite, decisions: Iterable[Decision]) -> None:
    """The case team rows of the assignments just recorded (an ending has already ended its row)."""
    for d in decisions:
        if not d.payload.get("ended"):
            activate_member(w.session, w.case_id, int(d.payload["user_id"]), str(d.payload["role"]), w.at)


def _label(role: AssignmentRole) -> str:
    return role.name.lower().replace("_", " ")


def ending_decision(w: CaseWrite, row: CaseMemberRow, reason: str | None) -> Decision:
    """The ASSIGNMENT decision ending `row`, superseding the one that made it."""
    payload = {"user_id": row.user_id, "role": row.role, "declared_no_prior_connection":
               row.declared_no_prior_connection, "person_id": None, "ended": True}
    made = [d for d in w.snapshot.decisions if d.kind == DecisionKind.ASSIGNMENT
            and d.payload.get("user_id") == row.user_id and d.payload.get("role") == row.role]
    decision = make_decision(DecisionKind.ASSIGNMENT, w.act, payload, rationale=reason)
    row.ended_at = w.at
    return dataclasses.replace(decision, supersedes_id=made[-1].id if made else None)


def end_assignment(uow: UnitOfWork, actor: User, case_id: int, username: str, role: AssignmentRole, *,
                   reason: str | None = None, expected_version: int | None = None) -> DecisionRecorded:
    """Take a user off the case team (they keep no access unless otherwise entitled)."""
    require_allocator(actor, "change the case team", "end_assignment")

    def build(w: CaseWrite) -> list[Decision]:
        require_open(w.snapshot)
        target = user_named(w.session, username)
        row = member_row(w.session, w.case_id, target.id, role.name)
        if row is None or row.ended_at is not None:
            raise NotFound(f"{target.username} is not the {_label(role)} of {w.reference}.")
        return [ending_decision(w, row, reason)]

    return record(uow, actor, case_id, Action.EDIT_CASE, build, expected_version=expected_version)


# ---- restriction to named users --------------------------------------------------------------------

@dataclass(frozen=True)
class CaseRestricted:
    case_version: int
    named: tuple[str, ...]  # user names with NAMED_ACCESS (the actor included)


def _nameable(w: CaseWrite, username: str) -> User:
    user = user_named(w.session, username)
    if not allowed(user, Action.READ_CASE):
        raise InvalidInput(f"{user.username} cannot be named on a case: their role does not read case content.")
    as_reader = dataclasses.replace(user, roles=frozenset({Role.SUPERVISOR}))
    try:
        require_approver_access(w.session, as_reader, case_row(w.session, w.case_id))
    except PermissionDenied:
        raise RuleRefused(f"{user.username} cannot be named on {w.reference}: they are connected to a subject "
                          "or victim of the case.") from None
    return user


def restrict_case(uow: UnitOfWork, actor: User, case_id: int, usernames: Iterable[str], *,
                  expected_version: int | None = None) -> CaseRestricted:
    """Restrict the case to named users (the actor always stays named); the case team keeps access."""
    require_allocator(actor, "restrict a case to named users", "restrict_case")
    wanted = list(dict.fromkeys(u.strip().lower() for u in usernames if u.strip()))
    if not wanted:
        raise InvalidInput("usernames: name at least one user.")
    with uow:
        w = begin(uow.session, actor, case_id, Action.EDIT_CASE, expected_version)
        require_open(w.snapshot)
        named = {u.id: u for u in (_nameable(w, name) for name in wanted)}
        named[actor.id] = actor
        for row in w.session.scalars(select(CaseMemberRow).where(
                CaseMemberRow.case_id == w.case_id, CaseMemberRow.role == NAMED_ACCESS)):
            if row.user_id not in named:
                row.ended_at = w.at
        for uid in named:
            activate_member(w.session, w.case_id, uid, NAMED_ACCESS, w.at, declared=False)
        set_case_fields(w.session, w.case_id, restricted_to_named=True)
        finish(w, f"case restricted to named users ({len(named)})")
        uow.commit()
    return CaseRestricted(w.version, tuple(sorted(u.username for u in named.values())))


# ---- allocation from the supervisor's desk (issue #15) -------------------------------------------

@dataclass(frozen=True)
class Allocated:
    """One case's result of `allocate`: done, or refused with the service's reason (nothing changed)."""
    case_id: int
    reference: str
    done: bool
    message: str


def allocate(uow: UnitOfWork, actor: User, case_ids: Iterable[int], username: str, *,
             declared_no_prior_connection: bool, reason: str | None = None) -> list[Allocated]:
    """Make `username` the investigator of each case, several at once (a supervisor's desk). On a
    case that has other investigators this re-allocates: the new investigator's assignment (with
    every rule of `assign_member`: role, independence, declaration) and the endings of the others'
    (each a decision with the reason) are recorded together in one transaction, so a refusal of any
    of them leaves the case exactly as it was. Each case is its own transaction; one refused case
    does not stop the others."""
    require_allocator(actor, "allocate cases", "assign_member")
    require_allocator(actor, "change the case team", "end_assignment")
    with uow:
        target = user_named(uow.session, username)
    if not target.has(*FITS[AssignmentRole.INVESTIGATOR]):
        raise InvalidInput(f"{target.display_name} cannot investigate cases: this needs an INVESTIGATOR, "
                           "SUPERVISOR or HEAD_OF_PSD.")
    why = reason or f"Re-allocated to {target.display_name}"
    results: list[Allocated] = []
    for case_id in dict.fromkeys(case_ids):
        with uow:
            reference = uow.session.scalar(select(CaseRow.reference).where(CaseRow.id == case_id)) \
                or f"case {case_id}"
        others: list[int] = []  # the investigators taken off (filled in the transaction)
        build = partial(_reallocation, target=target, declared=declared_no_prior_connection, why=why, ended=others)
        try:
            record(uow, actor, case_id, Action.EDIT_CASE, build, expected_version=None, after=_activate_assigned)
        except _AlreadyWith:
            results.append(Allocated(case_id, reference, False, f"{reference}: already with {target.display_name}."))
            continue
        except ExpectedError as exc:
            results.append(Allocated(case_id, reference, False, f"{reference}: {exc.message}"))
            continue
        verb = "re-allocated" if others else "allocated"
        results.append(Allocated(case_id, reference, True, f"{reference}: {verb} to {target.display_name}."))
    return results


def _reallocation(w: CaseWrite, *, target: User, declared: bool, why: str, ended: list[int]) -> list[Decision]:
    """The decisions making `target` the case's investigator: their assignment (unless already on
    it), then the ending of every other investigator's (whose user ids go in `ended`)."""
    require_open(w.snapshot)
    active = list(w.session.scalars(select(CaseMemberRow).where(
        CaseMemberRow.case_id == w.case_id, CaseMemberRow.role == AssignmentRole.INVESTIGATOR.name,
        CaseMemberRow.ended_at.is_(None)).order_by(CaseMemberRow.id)))
    ending = [row for row in active if row.user_id != target.id]
    already = len(ending) < len(active)
    if already and not ending:
        raise _AlreadyWith
    ended[:] = [row.user_id for row in ending if row.user_id is not None]
    made = [] if already else [_assignment(w, target, AssignmentRole.INVESTIGATOR, declared)]
    return made + [ending_decision(w, row, why) for row in ending]


class _AlreadyWith(Exception):
    """The case's only investigator is already the person chosen: nothing to record (rolled back)."""


@dataclass(frozen=True)
class Allocatable:
    """Someone a case can be allocated to, with their load: open cases they investigate."""
    username: str
    name: str
    team: str | None
    open_cases: int

    @property
    def label(self) -> str:
        team = f", {self.team}" if self.team else ""
        return f"{self.name}{team} — {self.open_cases} open case{'s' if self.open_cases != 1 else ''}"


def allocatable(uow: UnitOfWork, actor: User, role: AssignmentRole = AssignmentRole.INVESTIGATOR) -> list[Allocatable]:
    """The active users who may take `role` on a case, by team then name, each with their caseload
    (open cases where they are an investigator): the people a supervisor picks from, by name."""
    require_allocator(actor, "allocate cases", "assign_member")
    with uow:
        return _people_for(uow.session, role)


def assessors(uow: UnitOfWork, actor: User) -> list[Allocatable]:
    """The people who may be a victim's DASH assessor (those `assign_member` would take as one), by
    team then name with their caseload: whoever records victims (EDIT_CASE) picks one by name. The
    assessor's independence of the case's subjects and victims is checked when the victim is saved."""
    require(actor, Action.EDIT_CASE)
    with uow:
        return _people_for(uow.session, AssignmentRole.DASH_ASSESSOR)


def _people_for(s: Session, role: AssignmentRole) -> list[Allocatable]:
    load = dict(s.execute(
        select(CaseMemberRow.user_id, func.count(CaseMemberRow.case_id.distinct()))
        .join(CaseRow, CaseRow.id == CaseMemberRow.case_id)
        .where(CaseMemberRow.role == AssignmentRole.INVESTIGATOR.name, CaseMemberRow.ended_at.is_(None),
               CaseRow.status == "OPEN").group_by(CaseMemberRow.user_id)).all())
    rows = list(s.scalars(select(UserRow).where(UserRow.active.is_(True), UserRow.locked.is_(False))))
    found = [Allocatable(r.username, r.display_name or r.username, r.team, int(load.get(r.id, 0)))
             for r in rows if to_user(r).has(*FITS[role])]
    return sorted(found, key=lambda a: (a.team is None, a.team or "", a.name.lower()))
