"""The permission table of DOMAIN.md §7, as data. The service layer checks it for every action,
so the window, the command line and the importers obey the same rules."""

from __future__ import annotations

from enum import StrEnum

from app.domain.enums import Role
from app.domain.errors import PermissionDenied
from app.domain.records import User

R = Role


class Action(StrEnum):
    EDIT_CASE = "create and edit cases, allegations and victims"
    TRIAGE_NOTICE = "triage prior notices"
    DECIDE = "record threshold, severity, restriction and outcome decisions"
    PROPOSE_DECISION = "propose a decision"
    APPROVE = "approve decisions and overrides"
    ALLOCATE = "allocate the case team and restrict a case to named users"
    HEAD_EXCEPTION = "grant a head-of-PSD exception"
    IOPC_RECORD = "record IOPC referrals and decisions"
    READ_CASE = "read case content"
    IMPORT_WORKFORCE = "import the workforce register"
    IMPORT_CASES = "import cases"
    IMPORT_NOTICES = "import prior notices"
    DATA_WASH = "run a data wash"
    EXPORT_RETURN = "export the survey return and outcome breakdowns"
    ANNUAL_REPORT = "produce the annual report"
    AGGREGATE = "aggregate returns"
    ADMINISTER = "manage users, policies, headcount and reference data"
    READ_ACCESS_LOG = "read the access log"
    VERIFY_ACCESS_LOG = "verify the access log"
    READ_PEOPLE = "read the workforce register"
    EXPORT_NOTICES = "export outbound notice files"
    DISPOSE = "approve retention disposal"
    EXPORT_REFERRALS = "export the IOPC referral register"


TABLE: dict[Action, frozenset[Role]] = {
    Action.EDIT_CASE: frozenset({R.INVESTIGATOR, R.SUPERVISOR, R.HEAD_OF_PSD}),
    Action.TRIAGE_NOTICE: frozenset({R.INVESTIGATOR, R.SUPERVISOR, R.HEAD_OF_PSD}),
    Action.DECIDE: frozenset({R.SUPERVISOR, R.HEAD_OF_PSD}),
    Action.PROPOSE_DECISION: frozenset({R.INVESTIGATOR, R.SUPERVISOR, R.HEAD_OF_PSD}),
    Action.APPROVE: frozenset({R.SUPERVISOR, R.HEAD_OF_PSD}),
    Action.ALLOCATE: frozenset({R.SUPERVISOR, R.HEAD_OF_PSD}),
    Action.HEAD_EXCEPTION: frozenset({R.HEAD_OF_PSD}),
    Action.IOPC_RECORD: frozenset({R.IOPC_LIAISON, R.SUPERVISOR, R.HEAD_OF_PSD}),
    Action.READ_CASE: frozenset({R.INVESTIGATOR, R.SUPERVISOR, R.HEAD_OF_PSD, R.IOPC_LIAISON}),
    Action.IMPORT_WORKFORCE: frozenset({R.ADMINISTRATOR, R.HEAD_OF_PSD}),
    Action.IMPORT_CASES: frozenset({R.SUPERVISOR, R.HEAD_OF_PSD}),
    Action.IMPORT_NOTICES: frozenset({R.SUPERVISOR, R.HEAD_OF_PSD}),
    Action.DATA_WASH: frozenset({R.SUPERVISOR, R.HEAD_OF_PSD}),
    Action.EXPORT_RETURN: frozenset({R.FORCE_LEAD, R.IOPC_LIAISON, R.SUPERVISOR, R.HEAD_OF_PSD}),
    Action.ANNUAL_REPORT: frozenset({R.FORCE_LEAD, R.HEAD_OF_PSD}),
    Action.AGGREGATE: frozenset({R.FORCE_LEAD, R.IOPC_LIAISON, R.SUPERVISOR, R.HEAD_OF_PSD}),
    Action.ADMINISTER: frozenset({R.ADMINISTRATOR}),
    Action.READ_ACCESS_LOG: frozenset({R.AUDITOR}),
    Action.VERIFY_ACCESS_LOG: frozenset({R.AUDITOR, R.ADMINISTRATOR}),
    Action.READ_PEOPLE: frozenset({R.INVESTIGATOR, R.SUPERVISOR, R.HEAD_OF_PSD, R.ADMINISTRATOR}),
    Action.EXPORT_NOTICES: frozenset({R.SUPERVISOR, R.HEAD_OF_PSD}),
    Action.DISPOSE: frozenset({R.HEAD_OF_PSD}),
    Action.EXPORT_REFERRALS: frozenset({R.IOPC_LIAISON, R.SUPERVISOR, R.HEAD_OF_PSD}),
}


# Each case action of the registry (app.services.actions.catalogue), by name, and who may take it:
# the services check this, the registry shows it. None: anyone who may see the case (a user's own
# declaration of association).
CASE_ACTIONS: dict[str, Action | None] = {
    "recording": Action.EDIT_CASE,
    "threshold": Action.DECIDE,
    "severity": Action.DECIDE,
    "restriction": Action.DECIDE,
    "restriction_review": Action.DECIDE,
    "suspension_exception": Action.DECIDE,
    "arrest": Action.EDIT_CASE,
    "criminal_outcome": Action.DECIDE,
    "iopc_referral": Action.IOPC_RECORD,
    "iopc_decision": Action.IOPC_RECORD,
    "investigating_body": Action.DECIDE,
    "external_exception": Action.DECIDE,
    "external_progress": Action.EDIT_CASE,
    "misconduct_outcome": Action.DECIDE,
    "list_notification": Action.DECIDE,
    "vetting_review": Action.DECIDE,
    "pcc_report": Action.DECIDE,
    "victim_update": Action.EDIT_CASE,
    "close_case": Action.DECIDE,
    "add_victim": Action.EDIT_CASE,
    "edit_victim": Action.EDIT_CASE,
    "add_allegation": Action.EDIT_CASE,
    "assign_member": Action.ALLOCATE,
    "end_assignment": Action.ALLOCATE,
    "restrict_case": Action.ALLOCATE,
    "declare_association": None,
}


def allowed(user: User, action: Action) -> bool:
    return bool(user.roles & TABLE[action])


def require(user: User, action: Action) -> None:
    if not allowed(user, action):
        who = ", ".join(sorted(r.name for r in TABLE[action]))
        mine = ", ".join(sorted(r.name for r in user.roles)) or "no role"
        raise PermissionDenied(
            f"{user.username} ({mine}) may not {action.value}: this needs one of {who}."
        )


def require_different_user(decider_id: int | None, approver: User) -> None:
    if decider_id is not None and decider_id == approver.id:
        raise PermissionDenied(
            "A decision cannot be approved by the person who made it: another supervisor or the "
            "head of PSD must approve it."
        )
