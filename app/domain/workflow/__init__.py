"""The workflow rules of DOMAIN.md §3 as pure functions over a CaseSnapshot and a PolicySet.

Each `record_*` / `assign*` / `close_case` function validates an action and returns the new
Decision(s) for the service to append (ids None), or raises RuleRefused with a plain message
that names the rule and what would satisfy it. Nothing here stores anything: the measures in
force, due items, tasks and flags are all derived from the decision history.

Modules: recording (recording, severity, threshold), restriction + measures, criminal
(arrest, charge, conviction, criminal outcomes), charge (suspension on charge/arrest), iopc,
investigation (investigating body, external investigation), independence, outcomes (matrix),
notifications (lists, vetting), timeliness (PCC reports, victim updates), closure, due (work
queue), flags, ranking (RFGV), imported (the matrix for imported rows), approvals, common.
"""

from app.domain.workflow.approvals import (
    HEAD_OF_PSD,
    HOME_AGAINST_GUIDANCE,
    NO_RESTRICTION,
    NO_SUSPENSION,
    NOT_RECORDABLE,
    SUPERVISORS,
    Approval,
    require_approval,
)
from app.domain.workflow.charge import SuspensionDue, record_suspension_exception, suspensions_due
from app.domain.workflow.closure import close_case, closure_blockers
from app.domain.workflow.common import Act, with_decisions
from app.domain.workflow.criminal import current_criminal_outcome, record_arrest, record_criminal_outcome
from app.domain.workflow.due import ConfirmedMatch, DueItem, PendingNotice, due_items, notice_due_items
from app.domain.workflow.flags import AllegationSummary, PersonFlags, person_flags
from app.domain.workflow.imported import ImportedRowProblem, check_imported_outcomes
from app.domain.workflow.independence import Association, assign, check_independence
from app.domain.workflow.investigation import (
    ExternalEvent,
    assign_investigating_body,
    external_investigation,
    external_investigation_reasons,
    record_external_investigation_exception,
    record_external_progress,
)
from app.domain.workflow.iopc import (
    InvestigationMode,
    investigation_mode,
    record_iopc_decision,
    record_iopc_referral,
    referral_grounds,
)
from app.domain.workflow.measures import Measures, measures, review_due
from app.domain.workflow.notifications import notification_tasks, record_list_notification, record_vetting_review
from app.domain.workflow.outcomes import dismissal_expected, final_outcome, record_misconduct_outcome
from app.domain.workflow.ranking import HarmScore, harm_ranking
from app.domain.workflow.recording import (
    current_severity,
    record_recording,
    record_severity,
    record_threshold,
    recording_approval,
)
from app.domain.workflow.restriction import (
    SuspensionConditions,
    record_restriction,
    record_restriction_review,
    restriction_approval,
)
from app.domain.workflow.timeliness import record_pcc_report, record_victim_update

__all__ = [
    "HEAD_OF_PSD",
    "HOME_AGAINST_GUIDANCE",
    "NOT_RECORDABLE",
    "NO_RESTRICTION",
    "NO_SUSPENSION",
    "SUPERVISORS",
    "Act",
    "AllegationSummary",
    "Approval",
    "Association",
    "ConfirmedMatch",
    "DueItem",
    "ExternalEvent",
    "HarmScore",
    "ImportedRowProblem",
    "InvestigationMode",
    "Measures",
    "PendingNotice",
    "PersonFlags",
    "SuspensionConditions",
    "SuspensionDue",
    "assign",
    "assign_investigating_body",
    "check_imported_outcomes",
    "check_independence",
    "close_case",
    "closure_blockers",
    "current_criminal_outcome",
    "current_severity",
    "dismissal_expected",
    "due_items",
    "external_investigation",
    "external_investigation_reasons",
    "final_outcome",
    "harm_ranking",
    "investigation_mode",
    "measures",
    "notice_due_items",
    "notification_tasks",
    "person_flags",
    "record_arrest",
    "record_criminal_outcome",
    "record_external_investigation_exception",
    "record_external_progress",
    "record_iopc_decision",
    "record_iopc_referral",
    "record_list_notification",
    "record_misconduct_outcome",
    "record_pcc_report",
    "record_recording",
    "record_restriction",
    "record_restriction_review",
    "record_severity",
    "record_suspension_exception",
    "record_threshold",
    "record_vetting_review",
    "record_victim_update",
    "recording_approval",
    "referral_grounds",
    "require_approval",
    "restriction_approval",
    "review_due",
    "suspensions_due",
    "with_decisions",
]
