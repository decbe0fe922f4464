"""What may this person do next on this case, and why not: `available_actions(user, case_id)` —
for every case action of the registry, whether the user may do it now and, if not, the reason in
plain words; whether they may propose it for approval instead; and who else must sign in beside
them (a co-signer, an approver). The window's action panels and dialogs, `ppda-tracker case
actions` and the tests read it; the services still decide every write with the same checks:
the permission table (app.domain.permissions), need to know (app.services.casework.common.sees)
and the domain rules (app.services.actions.state asks app.domain.workflow).

Reading it writes nothing to the access log (opening the case already did); a user who may not
reach the case at all is refused as opening it would be, and that refusal is logged.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation, CaseStatus, Role
from app.domain.errors import PermissionDenied
from app.domain.permissions import TABLE, Action, allowed
from app.domain.records import User
from app.persistence.models import CaseRow
from app.persistence.uow import UnitOfWork
from app.services import audit, clock
from app.services import policies as policy_service
from app.services.actions.catalogue import ACTIONS, CaseAction
from app.services.actions.proposals import may_propose
from app.services.actions.state import CaseState
from app.services.case_state import load_snapshots
from app.services.casework.common import CASE_RECORD, access_refusal, case_row, current_user, sees

ROLE_REFUSAL: dict[Action, str] = {
    Action.DECIDE: "Your role cannot record or propose this decision.",
    Action.EDIT_CASE: "Your role cannot edit cases.",
    Action.IOPC_RECORD: "Your role cannot record IOPC referrals and decisions.",
    Action.ALLOCATE: "Only supervisors and the head of PSD allocate the case team and restrict access.",
}


@dataclass(frozen=True)
class Availability:
    name: str
    title: str
    may: bool  # may do it now: as its decider, or with the co-signer `second` names
    why_not: str | None  # the reason, in words, when not `may`
    may_propose: bool  # may propose it for approval later instead
    decides: bool  # records it as its decider (False: the co-signer who signs in decides it)
    second: str | None  # who else signs in beside them: "a co-signer: …" or "… needs approval by …"


@dataclass(frozen=True)
class _Reach:
    full: bool  # the case team, supervisors
    iopc: bool  # ... or the IOPC liaison on a referred case
    referral: bool  # ... or the IOPC liaison about to refer it


def _reach(s: Session, user: User, case_id: int) -> _Reach:
    full = sees(s, user, case_id, via_iopc=False)
    iopc = full or sees(s, user, case_id, via_iopc=True)
    return _Reach(full, iopc, iopc or sees(s, user, case_id, via_iopc=True, referral=True))


def _words(roles: frozenset[Role]) -> str:
    return " or ".join(sorted(r.value for r in roles))


def _second(spec: CaseAction, user: User, decides: bool) -> str | None:
    """Who else the rules need beside `user`, in words."""
    if not decides:
        roles = spec.approval.roles if spec.approval else TABLE[Action.DECIDE]
        return f"a co-signer: a {_words(roles)} signs in here and decides it with you"
    if spec.approval is None:
        return None
    return f"{spec.approval.what} needs approval by a {spec.approval.wanted(user)} other than you"


def _reaches(spec: CaseAction, user: User, reach: _Reach) -> bool:
    if spec.referral and user.has(Role.IOPC_LIAISON):
        return reach.referral
    return reach.iopc if spec.permission == Action.IOPC_RECORD else reach.full


def _one(s: Session, spec: CaseAction, user: User, row: CaseRow, reach: _Reach, st: CaseState) -> Availability:
    permission = spec.permission
    decides = permission is None or allowed(user, permission)
    cosigns = not decides and permission == Action.DECIDE and allowed(user, Action.PROPOSE_DECISION)
    why: str | None = None
    if row.status != CaseStatus.OPEN.name and spec.name != "declare_association":
        why = f"The case is {row.status.lower()}."
    elif not decides and not cosigns:
        why = ROLE_REFUSAL[permission] if permission is not None else None
    elif not _reaches(spec, user, reach):
        why = access_refusal(s, user, row)
    elif spec.ready is not None:
        why = spec.ready(st)
    proposing = why is None and may_propose(user, spec) is None
    return Availability(spec.name, spec.title, why is None, why, proposing, decides,
                        _second(spec, user, decides) if why is None else None)


def available_actions(uow: UnitOfWork, user: User, case_id: int) -> list[Availability]:
    """Every case action (registry order) as `user` may take it on the case now."""
    with uow:
        s = uow.session
        me = current_user(s, user, "work on a case")
        row = case_row(s, case_id)
        reach = _reach(s, me, case_id)
        if not reach.referral:
            audit.record_refusal(s, me, AccessOperation.CONSULTATION, CASE_RECORD, row.reference, "case actions")
            uow.commit()
            raise PermissionDenied(access_refusal(s, me, row))
        snapshot = load_snapshots(s, [case_id])[case_id]
        st = CaseState(snapshot, policy_service.load(s), clock.today(), me)
        return [_one(s, spec, me, row, reach, st) for spec in ACTIONS.values()]


def by_name(found: list[Availability]) -> dict[str, Availability]:
    return {a.name: a for a in found}
