"""Notifications, reports, victim updates and closing the case (DOMAIN.md §2, §3.4, §7).

List notifications, vetting reviews, PCC reports and closure are decisions (DECIDE); a victim
update is a case edit (EDIT_CASE). Closing sets the case CLOSED with its closed date and the
retention review date of the CLOSURE decision (none for a barred-list matter).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from app.domain import workflow as wf
from app.domain.enums import CaseStatus, ListStatus
from app.domain.records import Decision, User
from app.domain.workflow.common import payload_date
from app.persistence.uow import UnitOfWork
from app.services.casework.common import CaseWrite, DecisionRecorded, permission_of, record, set_case_fields
from app.services.casework.people import note_list


def record_list_notification(uow: UnitOfWork, actor: User, case_id: int, person_id: int, list_status: ListStatus,
                             *, on: date | None = None, reference: str | None = None, approver: User | None = None,
                             expected_version: int | None = None) -> DecisionRecorded:
    """The College of Policing was notified for the Barred or Advisory List; the person's list
    status follows."""
    def after(w: CaseWrite, _decisions: Sequence[Decision]) -> None:
        note_list(w.session, w.actor, person_id, list_status)

    return record(uow, actor, case_id, permission_of("list_notification"), lambda w: [wf.record_list_notification(
        w.snapshot, w.act, person_id, list_status, on=on, reference=reference)],
        expected_version=expected_version, approver=approver, after=after)


def record_vetting_review(uow: UnitOfWork, actor: User, case_id: int, person_id: int, *, result: str,
                          on: date | None = None, approver: User | None = None,
                          expected_version: int | None = None) -> DecisionRecorded:
    return record(uow, actor, case_id, permission_of("vetting_review"), lambda w: [wf.record_vetting_review(
        w.snapshot, w.act, person_id, result=result, on=on)], expected_version=expected_version, approver=approver)


def record_pcc_report(uow: UnitOfWork, actor: User, case_id: int, *, on: date | None = None,
                      approver: User | None = None, expected_version: int | None = None) -> DecisionRecorded:
    """The 12-month (or further 6-month) report to the local policing body was sent."""
    return record(uow, actor, case_id, permission_of("pcc_report"), lambda w: [wf.record_pcc_report(
        w.snapshot, w.act, w.policies, on=on)], expected_version=expected_version, approver=approver)


def record_victim_update(uow: UnitOfWork, actor: User, case_id: int, victim_ref: str, *, on: date | None = None,
                         method: str | None = None, expected_version: int | None = None) -> DecisionRecorded:
    """An update given to a victim (visit, call, letter...)."""
    return record(uow, actor, case_id, permission_of("victim_update"), lambda w: [wf.record_victim_update(
        w.snapshot, w.act, victim_ref, on=on, method=method)], expected_version=expected_version)


def _closed(w: CaseWrite, decisions: Sequence[Decision]) -> None:
    payload = decisions[0].payload
    set_case_fields(w.session, w.case_id, status=CaseStatus.CLOSED.name,
                    closed_date=payload_date(payload, "closed_date"),
                    retention_review_date=payload_date(payload, "retention_review_date"))


def close_case(uow: UnitOfWork, actor: User, case_id: int, *, on: date | None = None, approver: User | None = None,
               expected_version: int | None = None) -> DecisionRecorded:
    """Close the case, or refuse listing everything that remains to be done."""
    return record(uow, actor, case_id, permission_of("close_case"),
                  lambda w: [wf.close_case(w.snapshot, w.act, w.policies, on=on)],
                  expected_version=expected_version, approver=approver, after=_closed)
