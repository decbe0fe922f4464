"""Recording, severity, threshold, restrictions and their reviews, the criminal track, suspension
on charge and misconduct outcomes (DOMAIN.md §3.1, §3.2, §3.4) — each a user action wrapping the
domain rule of the same name.

Threshold, severity, restriction and outcome decisions need DECIDE (SUPERVISOR, HEAD_OF_PSD); an
INVESTIGATOR on the case team may propose one with a supervisor's co-signature (`approver`).
Recording and arrests are case edits (EDIT_CASE). A suspension in force makes the serving subject
SUSPENDED in the workforce register; lifting it makes them SERVING again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from app.domain import workflow as wf
from app.domain.enums import CaseType, CriminalOutcome, MisconductOutcome, RestrictionOption, ReviewOutcome, Severity
from app.domain.records import Decision, User
from app.domain.workflow import SuspensionConditions
from app.domain.workflow.common import allegation_of
from app.persistence.uow import UnitOfWork
from app.services.casework.common import After, CaseWrite, DecisionRecorded, permission_of, record
from app.services.casework.people import sync_employment

NO_CONDITIONS = SuspensionConditions()


def record_recording(uow: UnitOfWork, actor: User, case_id: int, *, recordable: bool = True,
                     case_type: CaseType | None = None, allegation_id: int | None = None,
                     rationale: str | None = None, approver: User | None = None, on: date | None = None,
                     expected_version: int | None = None) -> DecisionRecorded:
    """How the case (or one allegation) is recorded; "not recordable" needs a rationale and the
    approval of a supervisor who is not the decider."""
    return record(uow, actor, case_id, permission_of("recording"), lambda w: [wf.record_recording(
        w.snapshot, w.act, recordable=recordable, case_type=case_type, allegation_id=allegation_id,
        rationale=rationale, approver=w.approver, on=on)], expected_version=expected_version, approver=approver)


def record_severity(uow: UnitOfWork, actor: User, case_id: int, severity: Severity, *,
                    allegation_id: int | None = None, rationale: str | None = None, on: date | None = None,
                    approver: User | None = None, expected_version: int | None = None) -> DecisionRecorded:
    return record(uow, actor, case_id, permission_of("severity"), lambda w: [wf.record_severity(
        w.snapshot, w.act, severity, w.policies, allegation_id=allegation_id, rationale=rationale, on=on)],
        expected_version=expected_version, approver=approver)


def record_threshold(uow: UnitOfWork, actor: User, case_id: int, allegation_id: int, *, met: bool = True,
                     on: date | None = None, rationale: str | None = None, approver: User | None = None,
                     expected_version: int | None = None) -> DecisionRecorded:
    """The threshold for investigation; when met, a restriction decision becomes due."""
    return record(uow, actor, case_id, permission_of("threshold"), lambda w: [wf.record_threshold(
        w.snapshot, w.act, allegation_id, met=met, on=on, rationale=rationale)],
        expected_version=expected_version, approver=approver)


def _sync_subject(allegation_id: int) -> After:
    def after(w: CaseWrite, _decisions: Sequence[Decision]) -> None:
        subject = allegation_of(w.snapshot, allegation_id).subject_id
        sync_employment(w.session, w.actor, [subject])
    return after


def record_restriction(uow: UnitOfWork, actor: User, case_id: int, allegation_id: int,
                       options: Iterable[RestrictionOption], *, conditions: SuspensionConditions = NO_CONDITIONS,
                       rationale: str | None = None, approver: User | None = None,
                       options_considered: Iterable[str] = (), on: date | None = None,
                       expected_version: int | None = None) -> DecisionRecorded:
    """Measures for the subject of an allegation, or NO_RESTRICTION (rationale and approval)."""
    chosen, considered = tuple(options), tuple(options_considered)
    return record(uow, actor, case_id, permission_of("restriction"), lambda w: [wf.record_restriction(
        w.snapshot, w.act, allegation_id, chosen, conditions=conditions, rationale=rationale,
        approver=w.approver, options_considered=considered, on=on)],
        expected_version=expected_version, approver=approver, after=_sync_subject(allegation_id))


def record_restriction_review(uow: UnitOfWork, actor: User, case_id: int, allegation_id: int,
                              outcome: ReviewOutcome, *, options: Iterable[RestrictionOption] = (),
                              conditions: SuspensionConditions = NO_CONDITIONS, rationale: str | None = None,
                              approver: User | None = None, on: date | None = None,
                              expected_version: int | None = None) -> DecisionRecorded:
    """CONTINUE, VARY (to the complete new set `options`) or LIFT the measures in force."""
    chosen = tuple(options)
    return record(uow, actor, case_id, permission_of("restriction_review"), lambda w: [wf.record_restriction_review(
        w.snapshot, w.act, allegation_id, outcome, options=chosen, conditions=conditions,
        rationale=rationale, on=on)],
        expected_version=expected_version, approver=approver, after=_sync_subject(allegation_id))


def record_arrest(uow: UnitOfWork, actor: User, case_id: int, allegation_id: int, *, offence: str,
                  da_or_sexual_offence: bool = True, on: date | None = None,
                  expected_version: int | None = None) -> DecisionRecorded:
    """An arrest of the subject (a fact of the criminal track: a case edit)."""
    return record(uow, actor, case_id, permission_of("arrest"), lambda w: [wf.record_arrest(
        w.snapshot, w.act, allegation_id, offence=offence, da_or_sexual_offence=da_or_sexual_offence, on=on)],
        expected_version=expected_version)


def record_criminal_outcome(uow: UnitOfWork, actor: User, case_id: int, allegation_id: int,
                            outcome: CriminalOutcome, *, on: date | None = None, offence: str | None = None,
                            da_related: bool = True, indictable_only: bool = False, sentence: str | None = None,
                            approver: User | None = None, expected_version: int | None = None) -> DecisionRecorded:
    """CHARGED makes suspension due (policy); CONVICTED flags "dismissal expected"."""
    return record(uow, actor, case_id, permission_of("criminal_outcome"), lambda w: wf.record_criminal_outcome(
        w.snapshot, w.act, allegation_id, outcome, w.policies, on=on, offence=offence, da_related=da_related,
        indictable_only=indictable_only, sentence=sentence), expected_version=expected_version, approver=approver)


def record_suspension_exception(uow: UnitOfWork, actor: User, case_id: int, allegation_id: int, *,
                                rationale: str | None, approver: User | None, on: date | None = None,
                                expected_version: int | None = None) -> DecisionRecorded:
    """Not suspending after a charge or arrest: exceptional circumstances, decided by a supervisor
    and approved by the HEAD_OF_PSD (`approver`, never the decider)."""
    return record(uow, actor, case_id, permission_of("suspension_exception"), lambda w: [wf.record_suspension_exception(
        w.snapshot, w.act, allegation_id, w.policies, rationale=rationale, approver=w.approver, on=on)],
        expected_version=expected_version, approver=approver)


def record_misconduct_outcome(uow: UnitOfWork, actor: User, case_id: int, allegation_id: int,
                              outcome: MisconductOutcome, *, on: date | None = None,
                              final_written_warning_in_force: bool = False,
                              multiple_unconnected_incidents: bool = False, rationale: str | None = None,
                              approver: User | None = None, expected_version: int | None = None) -> DecisionRecorded:
    """The next misconduct-track value, checked against the outcome matrix."""
    return record(uow, actor, case_id, permission_of("misconduct_outcome"), lambda w: [wf.record_misconduct_outcome(
        w.snapshot, w.act, allegation_id, outcome, w.policies, on=on,
        final_written_warning_in_force=final_written_warning_in_force,
        multiple_unconnected_incidents=multiple_unconnected_incidents, rationale=rationale)],
        expected_version=expected_version, approver=approver)
