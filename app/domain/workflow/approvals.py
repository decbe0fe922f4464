"""Approvals (DOMAIN.md §7): who is who in a decision, and the approvals the rules name.

The people in one decision:
- the **decider**: by whose authority it is made (`Act.user`, recorded as `decided_by`);
- the **proposer**: an investigator who put it forward for a supervisor to decide (`Act.proposer`;
  "an INVESTIGATOR may propose"); the supervisor or head of PSD who approves the proposal — at the
  desk as its co-signer, or later from the list of proposals — is its decider;
- the **approver**: the second person a rule needs (`approved_by`). "Approvals and overrides:
  SUPERVISOR, HEAD_OF_PSD — never the user who made the decision".

An approval needs two people and the authority the rule names:
- the approver holds SUPERVISOR or HEAD_OF_PSD and is not the person who put the decision
  forward: the decider, or — when the decider approves an investigator's proposal — the proposer
  (so an investigator's "no restriction" approved by a supervisor needs nobody else);
- the authority (`Approval.roles`: any supervisor, or the HEAD_OF_PSD for the head-of-PSD
  exceptions) is the approver's, or the decider's own when someone else approves: a head of PSD
  deciding an exception needs a second person, who may be a supervisor.
So the smallest PSD — one investigator, one supervisor, one head of PSD — can complete every
decision whoever starts it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Approval:
    """An approval a rule needs: what it is about, and whose authority (`roles`) it needs."""

    what: str
    roles: frozenset[Role] = SUPERVISORS

    def approver_roles(self, decider: User, proposer: User | None = None) -> frozenset[Role]:
        """Who may approve what `decider` decides: any supervisor when the decider holds the
        authority themselves (and is not merely deciding someone's proposal), else `roles`."""
        if proposer is None and decider.has(*self.roles):
            return SUPERVISORS
        return self.roles

    def wanted(self, decider: User, proposer: User | None = None) -> str:
        """The approver wanted, in words: "HEAD_OF_PSD", "HEAD_OF_PSD or SUPERVISOR"."""
        return _roles_text(self.approver_roles(decider, proposer))

    def require(self, act: Act, approver: User | None) -> User:
        """Check that `approver` may approve this decision of `act`; return the approver."""
        return require_approval(act, approver, self.what, self.roles)


NOT_RECORDABLE = Approval("Recording a PPDA allegation as not recordable")
NO_RESTRICTION = Approval("A decision not to restrict")
NO_SUSPENSION = Approval("Not suspending after a charge or arrest", HEAD_OF_PSD)
HOME_AGAINST_GUIDANCE = Approval("An in-force investigation against the external-investigation guidance",
                                 HEAD_OF_PSD)


def require_approval(
    act: Act, approver: User | None, what: str, roles: Collection[Role] = SUPERVISORS
) -> User:
    """Check that `approver` may approve `what` decided by `act.user` (proposed by
    `act.proposer`, if anyone); return the approver. `roles`: the authority the rule names."""
    wanted_roles = Approval(what, frozenset(roles)).approver_roles(act.user, act.proposer)
    wanted = _roles_text(wanted_roles)
    if approver is None:
        raise RuleRefused(f"{what} needs approval by a {wanted} other than the person deciding.")
    if act.proposer is not None and same_user(approver, act.proposer):
        raise RuleRefused(
            f"{what} cannot be approved by the person who proposed it; it needs approval by a {wanted}.")
    if act.proposer is None and same_user(approver, act.user):
        raise RuleRefused(
            f"{what} cannot be approved by the person who made the decision; "
            f"it needs approval by another {wanted}."
        )
    if not approver.has(*wanted_roles):
        raise RuleRefused(
            f"{what} needs approval by a {wanted}; {approver.display_name} does not hold that role."
        )
    if approver.locked:
        raise RuleRefused(f"{what} cannot be approved by {approver.display_name}: the account is locked.")
    return approver
