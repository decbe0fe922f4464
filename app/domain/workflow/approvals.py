"""Approvals (DOMAIN.md §7): the approver holds the right role and is never the decider.

Approval is given in the same action as the decision (the service asks the approver to
authenticate, or turns an investigator's proposal into a decision once approved); the decision
is then recorded with `approved_by` and `approved_at` set.
"""

from __future__ import annotations

from collections.abc import Collection

from app.domain.enums import Role
from app.domain.errors import RuleRefused
from app.domain.records import User
from app.domain.workflow.common import Act

SUPERVISORS: frozenset[Role] = frozenset({Role.SUPERVISOR, Role.HEAD_OF_PSD})
HEAD_OF_PSD: frozenset[Role] = frozenset({Role.HEAD_OF_PSD})


def _roles_text(roles: Collection[Role]) -> str:
    return " or ".join(sorted(r.value for r in roles))


def same_user(a: User, b: User) -> bool:
    if a.id is not None and b.id is not None:
        return a.id == b.id
    return a.username == b.username


def require_approval(
    act: Act, approver: User | None, what: str, roles: Collection[Role] = SUPERVISORS
) -> User:
    """Check that `approver` may approve `what` decided by `act.user`; return the approver.

    Refused when there is no approver, when the approver is the decider, or when the approver
    does not hold one of `roles`.
    """
    wanted = _roles_text(roles)
    if approver is None:
        raise RuleRefused(f"{what} needs approval by a {wanted} other than the person deciding.")
    if same_user(approver, act.user):
        raise RuleRefused(
            f"{what} cannot be approved by the person who made the decision; "
            f"it needs approval by another {wanted}."
        )
    if not approver.has(*roles):
        raise RuleRefused(
            f"{what} needs approval by a {wanted}; {approver.display_name} does not hold that role."
        )
    if approver.locked:
        raise RuleRefused(f"{what} cannot be approved by {approver.display_name}: the account is locked.")
    return approver
