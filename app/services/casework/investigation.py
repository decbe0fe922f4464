"""IOPC referral and decision, investigating body and external investigation (DOMAIN.md §3.3).

IOPC records need IOPC_RECORD (IOPC_LIAISON, SUPERVISOR, HEAD_OF_PSD); the liaison may refer any
case they are not restricted from or connected to, and record the IOPC's decision on referred
cases. Assigning the investigating body is a decision (DECIDE); an in-force investigation
against the external-investigation guidance needs an exception approved by the HEAD_OF_PSD.
External investigation dates are case edits (EDIT_CASE).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from app.domain import workflow as wf
from app.domain.enums import IopcDecision, MandatoryGround
from app.domain.records import User
from app.domain.workflow import ExternalEvent
from app.persistence.uow import UnitOfWork
from app.services.casework.common import DecisionRecorded, permission_of, record


def record_iopc_referral(uow: UnitOfWork, actor: User, case_id: int, *, allegation_id: int | None = None,
                         on: date | None = None, iopc_reference: str | None = None,
                         extra_grounds: Iterable[MandatoryGround] = (), rationale: str | None = None,
                         expected_version: int | None = None) -> DecisionRecorded:
    """The referral sent on `on`: mandatory when grounds apply (derived, plus `extra_grounds`)."""
    extra = tuple(extra_grounds)
    return record(uow, actor, case_id, permission_of("iopc_referral"), lambda w: [wf.record_iopc_referral(
        w.snapshot, w.act, allegation_id=allegation_id, on=on, iopc_reference=iopc_reference,
        extra_grounds=extra, rationale=rationale)], expected_version=expected_version, referral=True)


def record_iopc_decision(uow: UnitOfWork, actor: User, case_id: int, decision: IopcDecision, *,
                         allegation_id: int | None = None, on: date | None = None,
                         iopc_reference: str | None = None, expected_version: int | None = None) -> DecisionRecorded:
    """The IOPC's decision; INDEPENDENT_INVESTIGATION also makes the IOPC the investigating body."""
    return record(uow, actor, case_id, permission_of("iopc_decision"), lambda w: wf.record_iopc_decision(
        w.snapshot, w.act, decision, allegation_id=allegation_id, on=on, iopc_reference=iopc_reference),
        expected_version=expected_version)


def assign_investigating_body(uow: UnitOfWork, actor: User, case_id: int, body: str, *,
                              allegation_id: int | None = None, on: date | None = None,
                              approver: User | None = None, expected_version: int | None = None) -> DecisionRecorded:
    """HOME, IOPC or another force's code; HOME is refused where force guidance requires an
    external investigation, unless an approved exception is recorded."""
    return record(uow, actor, case_id, permission_of("investigating_body"), lambda w: [wf.assign_investigating_body(
        w.snapshot, w.act, body, w.policies, allegation_id=allegation_id, on=on)],
        expected_version=expected_version, approver=approver)


def record_external_investigation_exception(uow: UnitOfWork, actor: User, case_id: int, *,
                                            rationale: str | None, approver: User | None,
                                            on: date | None = None,
                                            expected_version: int | None = None) -> DecisionRecorded:
    """Let the home force investigate against the guidance: a rationale, decided by a supervisor
    and approved by the HEAD_OF_PSD (`approver`, never the decider)."""
    return record(uow, actor, case_id, permission_of("external_exception"),
                  lambda w: [wf.record_external_investigation_exception(
        w.snapshot, w.act, w.policies, rationale=rationale, approver=w.approver, on=on)],
        expected_version=expected_version, approver=approver)


def record_external_progress(uow: UnitOfWork, actor: User, case_id: int, event: ExternalEvent, *,
                             on: date | None = None, reference: str | None = None,
                             allegation_id: int | None = None,
                             expected_version: int | None = None) -> DecisionRecorded:
    """REQUESTED, ACCEPTED (with the other body's reference), HANDED_OVER, RETURNED, in order."""
    return record(uow, actor, case_id, permission_of("external_progress"), lambda w: [wf.record_external_progress(
        w.snapshot, w.act, event, on=on, reference=reference, allegation_id=allegation_id)],
        expected_version=expected_version)
