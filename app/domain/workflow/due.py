"""The work queue: every due item, derived from the records and policy, never stored (§3.5).

`due_items(snapshot, policies, today)` reads only the snapshot (case, allegations, victims,
subjects, decisions) — imported decisions count like any other:
- RESTRICTION_DECISION: threshold met (THRESHOLD decision), no RESTRICTION decision at all and no
  misconduct outcome yet; due RESTRICTION_DECISION_DEADLINE_WORKING_DAYS after the threshold.
- RESTRICTION_REVIEW: measures in force; due per measures.review_due.
- SUSPENSION_ON_CHARGE: a DA-related charge (CHARGE, or an imported CRIMINAL_OUTCOME CHARGED) or,
  from 13 July 2026, a DA/sexual arrest, not met by a suspension or an approved exception, and
  no misconduct outcome yet; due SUSPENSION_ON_CHARGE_DEADLINE_WORKING_DAYS after it.
- IOPC_REFERRAL: mandatory grounds and no referral; due iopc.referral_due_date.
- VICTIM_UPDATE: one per victim; TWELVE_MONTH_REPORT while the investigation is open;
- LIST_NOTIFICATION, VETTING_REVIEW: the undone notification tasks.
A closed case owes nothing. `notice_due_items` adds the person-level items of prior notices.

Items use the policies as now recorded, corrections included. An item whose due date a
correction (a back-dated policy value) moved, or which only a correction made due, names it at the
end of its detail (what was set, when it was recorded, by whom and why) and in `corrected_by`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.calendar import add_working_days, local_date
from app.domain.enums import CaseStatus, DueItemKind, Role
from app.domain.policy import PolicyName, PolicySet, PolicyValue
from app.domain.records import Allegation, CaseSnapshot
from app.domain.workflow.charge import suspensions_due
from app.domain.workflow.common import subject_name
from app.domain.workflow.iopc import referral, referral_due_date, referral_grounds
from app.domain.workflow.measures import describe, measures, review_due
from app.domain.workflow.notifications import notification_tasks
from app.domain.workflow.outcomes import outcome_decisions
from app.domain.workflow.recording import threshold_met_date
from app.domain.workflow.timeliness import next_pcc_report, victim_updates_due

FALLS_TO: dict[DueItemKind, Role] = {
    DueItemKind.RESTRICTION_DECISION: Role.SUPERVISOR,
    DueItemKind.RESTRICTION_REVIEW: Role.SUPERVISOR,
    DueItemKind.SUSPENSION_ON_CHARGE: Role.SUPERVISOR,
    DueItemKind.IOPC_REFERRAL: Role.IOPC_LIAISON,
    DueItemKind.VICTIM_UPDATE: Role.INVESTIGATOR,
    DueItemKind.TWELVE_MONTH_REPORT: Role.HEAD_OF_PSD,
    DueItemKind.LIST_NOTIFICATION: Role.HEAD_OF_PSD,
    DueItemKind.VETTING_REVIEW: Role.SUPERVISOR,
    DueItemKind.NOTICE_TRIAGE: Role.SUPERVISOR,
    DueItemKind.INVESTIGATION_ACTION: Role.INVESTIGATOR,  # its assignee, by name
}


@dataclass(frozen=True)
class DueItem:
    kind: DueItemKind
    due_date: date
    overdue: bool
    case_ref: str  # for NOTICE_TRIAGE and match vetting reviews: the notice id
    detail: str
    falls_to: Role  # INVESTIGATOR: the case's investigator; others: anyone holding the role
    allegation_id: int | None = None
    person_id: int | None = None
    corrected_by: PolicyValue | None = None  # the policy correction that set this due date


def _item(kind: DueItemKind, due: date, today: date, ref: str, detail: str,
          allegation_id: int | None = None, person_id: int | None = None) -> DueItem:
    return DueItem(kind, due, today > due, ref, detail, FALLS_TO[kind], allegation_id, person_id)


def _allegation_items(s: CaseSnapshot, a: Allegation, p: PolicySet, today: date) -> list[DueItem]:
    assert a.id is not None
    ref, who, items = s.case.reference, subject_name(s, a), []
    no_outcome = not outcome_decisions(s, a.id)
    met = threshold_met_date(s, a.id)
    if met is not None and no_outcome and not measures(s, a.id).decided:
        days = p.int_on(PolicyName.RESTRICTION_DECISION_DEADLINE_WORKING_DAYS, met)
        items.append(_item(DueItemKind.RESTRICTION_DECISION, add_working_days(met, days), today, ref,
                           f"{who}: threshold met {met.isoformat()}", a.id, a.subject_id))
    review = review_due(s, a.id, p)
    if review is not None:
        detail = f"{who}: review {describe(measures(s, a.id).in_force)}"
        items.append(_item(DueItemKind.RESTRICTION_REVIEW, review, today, ref, detail, a.id, a.subject_id))
    for due in suspensions_due(s, a.id, p) if no_outcome else []:
        if not due.met:
            detail = f"{who}: {due.trigger.lower()} {due.trigger_date.isoformat()}" + (
                f" ({due.offence})" if due.offence else "")
            items.append(_item(DueItemKind.SUSPENSION_ON_CHARGE, due.due_date, today, ref, detail,
                               a.id, a.subject_id))
    grounds = referral_grounds(s, a.id)
    if grounds and referral(s, a.id) is None:
        detail = f"{who}: " + ", ".join(sorted({g.ground.name.replace("_", " ").lower() for g in grounds}))
        items.append(_item(DueItemKind.IOPC_REFERRAL, referral_due_date(s, a.id, p), today, ref,
                           detail, a.id, a.subject_id))
    return items


def _case_items(s: CaseSnapshot, p: PolicySet, today: date) -> list[DueItem]:
    ref = s.case.reference
    items = [_item(DueItemKind.VICTIM_UPDATE, v.due_date, today, ref,
                   f"victim {v.victim_ref}" + (": next contact agreed" if v.agreed else ""))
             for v in victim_updates_due(s, p)]
    report = next_pcc_report(s, p)
    if report is not None:
        number, due = report
        detail = "12-month report to the PCC" if number == 1 else f"report {number} to the PCC"
        items.append(_item(DueItemKind.TWELVE_MONTH_REPORT, due, today, ref, detail))
    for task in notification_tasks(s, p):
        if not task.done:
            who = s.subjects[task.person_id].full_name  # a task is only raised for a known subject
            what = f"{task.list_status.name.capitalize()} List: " if task.list_status else ""  # the College lists
            items.append(_item(task.kind, task.due_date, today, ref, f"{who}: {what}{task.trigger}",
                               task.allegation_id, task.person_id))
    return items


def due_items(snapshot: CaseSnapshot, policies: PolicySet, today: date, *,
              horizon_days: int | None = None, explain_corrections: bool = True) -> list[DueItem]:
    """Every item the case owes, by due date; `horizon_days` drops those due later than that.
    `explain_corrections` False skips naming corrections (for callers that read due dates only)."""
    if snapshot.case.status != CaseStatus.OPEN:
        return []

    def derive(p: PolicySet) -> list[DueItem]:
        found: list[DueItem] = []
        for allegation in snapshot.allegations:
            if allegation.id is not None:
                found += _allegation_items(snapshot, allegation, p, today)
        return found + _case_items(snapshot, p, today)

    items = _explained(derive, policies) if explain_corrections else derive(policies)
    if horizon_days is not None:
        items = [i for i in items if i.due_date <= today + timedelta(days=horizon_days)]
    return sorted(items, key=lambda i: (i.due_date, i.kind.name, i.allegation_id or 0))


def _key(item: DueItem) -> tuple[object, ...]:
    return item.kind, item.case_ref, item.allegation_id, item.person_id, item.detail


def _explained(derive: Callable[[PolicySet], list[DueItem]], policies: PolicySet) -> list[DueItem]:
    """The items under `policies`, each one whose due date a correction set naming the latest such
    correction (its due date differs from the one derived just before it was recorded)."""
    items = derive(policies)
    by: dict[tuple[object, ...], PolicyValue] = {}
    for correction in policies.corrections():
        assert correction.recorded_at is not None
        before = {_key(i): i.due_date for i in derive(policies.recorded_before(correction.recorded_at))}
        for item in derive(policies.as_recorded(correction.recorded_at)):
            if before.get(_key(item)) != item.due_date:
                by[_key(item)] = correction
    return [_corrected(i, by[_key(i)]) if _key(i) in by else i for i in items]


def _corrected(item: DueItem, c: PolicyValue) -> DueItem:
    assert c.recorded_at is not None
    note = (f" (due date set by a policy correction: {c.name.cli_name} {c.text or 'not set'} from "
            f"{c.effective_from.isoformat()}, recorded {local_date(c.recorded_at).isoformat()} by "
            f"{c.recorded_by or 'unknown'}: {c.reason or 'no reason recorded'})")
    return dataclasses.replace(item, detail=item.detail + note, corrected_by=c)


@dataclass(frozen=True)
class PendingNotice:
    """A prior notice with a proposed or review match not yet triaged."""

    notice_id: str
    received_on: date
    summary: str = ""


@dataclass(frozen=True)
class ConfirmedMatch:
    notice_id: str
    person_id: int
    person_name: str
    confirmed_on: date
    vetting_review_done_on: date | None = None


def notice_due_items(pending: Iterable[PendingNotice], confirmed: Iterable[ConfirmedMatch],
                     policies: PolicySet, today: date) -> list[DueItem]:
    """NOTICE_TRIAGE for untriaged notices; VETTING_REVIEW for each confirmed match not reviewed."""

    def derive(p: PolicySet) -> list[DueItem]:
        items = []
        for n in pending:
            days = p.int_on(PolicyName.NOTICE_TRIAGE_WORKING_DAYS, n.received_on)
            detail = f"triage notice {n.notice_id}" + (f": {n.summary}" if n.summary else "")
            items.append(_item(DueItemKind.NOTICE_TRIAGE, add_working_days(n.received_on, days), today,
                               n.notice_id, detail))
        for m in confirmed:
            if m.vetting_review_done_on is None or m.vetting_review_done_on < m.confirmed_on:
                days = p.int_on(PolicyName.VETTING_REVIEW_DAYS, m.confirmed_on)
                items.append(_item(DueItemKind.VETTING_REVIEW, m.confirmed_on + timedelta(days=days), today,
                                   m.notice_id, f"{m.person_name}: confirmed prior-notice match",
                                   person_id=m.person_id))
        return items

    pending, confirmed = list(pending), list(confirmed)
    return sorted(_explained(derive, policies), key=lambda i: (i.due_date, i.kind.name))
