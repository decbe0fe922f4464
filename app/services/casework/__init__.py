"""The write side of case work (DOMAIN.md §3, §7): one function per user action, so the window,
the command line and the importers obey the same rules.

Every function takes a unit of work, the acting user and plain arguments; checks the role
(app.domain.permissions) and need to know (app.services.case_queries.visible_clause: an
investigator only on their own cases); applies the domain rules (app.domain.workflow); appends
the decisions; refreshes the case list's projection; writes the access log; and returns plain
data (`DecisionRecorded`, `CaseCreated`, `CaseEdited`...).

Case writes take `expected_version` (the version the user opened): when the case has changed
since, ConflictError names who changed what and when, and nothing is saved. Every case write
moves the version on with a conditional UPDATE, so two concurrent writers cannot both succeed.

Approvals: pass the approving user (authenticated by the caller with users.authenticate) as
`approver`. A decision needing approval (not recordable, NO_RESTRICTION, head-of-PSD
exceptions) is recorded with approved_by/approved_at. An INVESTIGATOR may propose a DECIDE-level
decision only with a SUPERVISOR/HEAD_OF_PSD co-signer as `approver`: it is recorded as decided
by the co-signer, approved by them, with `proposed_by` (the investigator's user id) in the
payload.

Who is who in a decision (app.domain.workflow.approvals, `common.sign`): the decider, the
investigator who proposed it, the approver a rule needs. The registry of case actions, what a
person may do next, and proposals for approval later are in app.services.actions.
"""

from app.services.casework.closure import (
    close_case,
    record_list_notification,
    record_pcc_report,
    record_vetting_review,
    record_victim_update,
)
from app.services.casework.common import DecisionRecorded
from app.services.casework.decisions import (
    record_arrest,
    record_criminal_outcome,
    record_misconduct_outcome,
    record_recording,
    record_restriction,
    record_restriction_review,
    record_severity,
    record_suspension_exception,
    record_threshold,
)
from app.services.casework.declarations import AssociationDeclared, declare_association
from app.services.casework.editing import (
    CaseEdited,
    add_allegation,
    add_victim,
    update_allegation,
    update_case_details,
    update_victim,
)
from app.services.casework.inputs import (
    AllegationInput,
    AllegationUpdate,
    CaseDetailsUpdate,
    CaseIntake,
    VictimInput,
    VictimUpdate,
)
from app.services.casework.intake import CaseCreated, create_case
from app.services.casework.investigation import (
    assign_investigating_body,
    record_external_investigation_exception,
    record_external_progress,
    record_iopc_decision,
    record_iopc_referral,
)
from app.services.casework.people import LeavingRecorded, record_leaving
from app.services.casework.team import CaseRestricted, assign_member, end_assignment, restrict_case

__all__ = [
    "AllegationInput", "AllegationUpdate", "AssociationDeclared", "CaseCreated", "CaseDetailsUpdate",
    "CaseEdited", "CaseIntake", "CaseRestricted", "DecisionRecorded", "LeavingRecorded", "VictimInput",
    "VictimUpdate", "add_allegation", "add_victim", "assign_investigating_body", "assign_member",
    "close_case", "create_case", "declare_association", "end_assignment", "record_arrest",
    "record_criminal_outcome", "record_external_investigation_exception", "record_external_progress",
    "record_iopc_decision", "record_iopc_referral", "record_leaving", "record_list_notification",
    "record_misconduct_outcome", "record_pcc_report", "record_recording", "record_restriction",
    "record_restriction_review", "record_severity", "record_suspension_exception", "record_threshold",
    "record_vetting_review", "record_victim_update", "restrict_case", "update_allegation",
    "update_case_details", "update_victim",
]
