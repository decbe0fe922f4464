"""What a case's state says about an action before anyone fills in its arguments: "nothing to
review", "no suspension is due", "cannot close yet: …". Each check asks the domain rules
(app.domain.workflow) and returns the reason in words, or None when the action can be tried."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain import workflow as wf
from app.domain.enums import AssignmentRole, DecisionKind
from app.domain.policy import PolicySet
from app.domain.records import CaseSnapshot, User
from app.domain.workflow.charge import outstanding_suspensions


@dataclass(frozen=True)
class CaseState:
    snapshot: CaseSnapshot
    policies: PolicySet
    today: date
    user: User


def measures_in_force(st: CaseState) -> str | None:
    if any(wf.measures(st.snapshot, a.id).in_force for a in st.snapshot.allegations if a.id is not None):
        return None
    return "There is no restriction in force to review: record a restriction decision instead."


def suspension_outstanding(st: CaseState) -> str | None:
    if outstanding_suspensions(st.snapshot, st.policies):
        return None
    return "No suspension is due on charge or arrest, so no exception is needed."


def criminal(st: CaseState) -> str | None:
    if any(a.criminal for a in st.snapshot.allegations):
        return None
    return "No allegation is recorded as criminal: record it as criminal (with the crime reference) first."


def referred(st: CaseState) -> str | None:
    if st.snapshot.decisions_of(DecisionKind.IOPC_REFERRAL):
        return None
    return "The IOPC's decision can only be recorded after the referral: record the referral first."


def guidance_applies(st: CaseState) -> str | None:
    if wf.external_investigation_reasons(st.snapshot, st.policies, st.today):
        return None
    return "Force guidance does not require an external investigation of this case, so no exception is needed."


def external_body(st: CaseState) -> str | None:
    ids: list[int | None] = [None, *(a.id for a in st.snapshot.allegations)]
    if any(wf.external_investigation(st.snapshot, aid) is not None for aid in ids):
        return None
    return "External investigation dates need another force or the IOPC assigned as investigating body first."


def closable(st: CaseState) -> str | None:
    blockers = wf.closure_blockers(st.snapshot, st.policies)
    return "Cannot close yet: " + "; ".join(blockers) + "." if blockers else None


def someone_assigned(st: CaseState) -> str | None:
    if any(m.role in AssignmentRole.__members__ for m in st.snapshot.assignments):
        return None
    return "No one is assigned to this case."


def linked_to_register(st: CaseState) -> str | None:
    if st.user.person_id is not None:
        return None
    return ("Your account is not linked to the workforce register, so a connection cannot be recorded "
            "against you: ask an administrator to link it to your staff number.")
