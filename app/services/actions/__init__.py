"""Case actions: the one registry of what can be done on a case (catalogue), what a person may do
next and why not (available), and decisions proposed for approval (proposals).

    available_actions(uow, user, case_id)      -> every action: may / why not / may propose / who else signs
    perform(uow, user, case_id, name, args, approver=..., expected_version=...)   -> through its casework service
    propose / approve / reject / withdraw / pending_for / pending_on_case          -> the proposal store
"""

from app.services.actions.arguments import Arg
from app.services.actions.available import Availability, available_actions, by_name
from app.services.actions.catalogue import ACTIONS, CaseAction, action, case_id, perform, role_may
from app.services.actions.proposals import (
    PROPOSABLE,
    ProposalStatus,
    ProposalView,
    Proposed,
    approve,
    may_propose,
    pending_for,
    pending_on_case,
    propose,
    reject,
    withdraw,
)

__all__ = [
    "ACTIONS", "PROPOSABLE", "Arg", "Availability", "CaseAction", "ProposalStatus", "ProposalView", "Proposed",
    "action", "approve", "available_actions", "by_name", "case_id", "may_propose", "pending_for", "pending_on_case",
    "perform",
    "propose", "reject", "role_may", "withdraw",
]
