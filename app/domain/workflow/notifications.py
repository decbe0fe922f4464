"""Barred/Advisory List notifications and vetting reviews (DOMAIN.md §3.4, §4).

Tasks are derived, never stored; recording the matching decision marks one done:
- ADVISORY list: a subject who resigned or retired (end_date on or after the case was received)
  while an allegation against them had no final outcome at the end date;
- BARRED list: DISMISSAL_WITHOUT_NOTICE or WOULD_HAVE_BEEN_DISMISSED;
- VETTING_REVIEW (serving subjects only): a misconduct finding without dismissal (a finding of
  MISCONDUCT/GROSS_MISCONDUCT or a warning or reduction in rank, once the final outcome is not a
  dismissal), or a conviction. Confirmed prior-notice matches are person-level, see due.py.
Due LIST_NOTIFICATION_DAYS / VETTING_REVIEW_DAYS (policy on the trigger date) after the trigger.

Payloads (allegation_id None: the task is about a person):
- LIST_NOTIFICATION `{"person_id": int, "list": "ADVISORY" | "BARRED", "reference": str | None}`
- VETTING_REVIEW    `{"person_id": int, "result": str}`
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.enums import CriminalOutcome, DecisionKind, DueItemKind, EmploymentStatus, ListStatus
from app.domain.enums import MisconductOutcome as O
from app.domain.errors import RuleRefused
from app.domain.policy import PolicyName, PolicySet
from app.domain.records import Allegation, CaseSnapshot, Decision
from app.domain.workflow.common import Act, history, make_decision, require_open
from app.domain.workflow.criminal import events
from app.domain.workflow.outcomes import DISMISSALS, final_outcome, outcome_decisions

_LEFT_UNDER_INVESTIGATION = (EmploymentStatus.RESIGNED, EmploymentStatus.RETIRED)
_FINDINGS = frozenset({O.MISCONDUCT, O.GROSS_MISCONDUCT, O.WRITTEN_WARNING,
                       O.FINAL_WRITTEN_WARNING, O.REDUCTION_IN_RANK})


@dataclass(frozen=True)
class Task:
    kind: DueItemKind  # LIST_NOTIFICATION or VETTING_REVIEW
    person_id: int
    allegation_id: int | None
    trigger: str
    triggered_on: date
    due_date: date
    done: bool
    list_status: ListStatus | None = None


def _left_under_investigation(snapshot: CaseSnapshot, a: Allegation) -> date | None:
    person = snapshot.subjects.get(a.subject_id)
    if person is None or person.employment_status not in _LEFT_UNDER_INVESTIGATION:
        return None
    left = person.end_date or snapshot.case.received_date
    final = final_outcome(snapshot, a.id) if a.id is not None else None
    open_then = final is None or final.effective_date > left
    return left if left >= snapshot.case.received_date and open_then else None


def _list_triggers(snapshot: CaseSnapshot, a: Allegation) -> list[tuple[ListStatus, str, date]]:
    found = []
    left = _left_under_investigation(snapshot, a)
    if left is not None:
        status = snapshot.subjects[a.subject_id].employment_status.name.lower()
        found.append((ListStatus.ADVISORY, f"{status} while under investigation", left))
    final = final_outcome(snapshot, a.id) if a.id is not None else None
    if final is not None and O[final.payload["outcome"]] in DISMISSALS:
        found.append((ListStatus.BARRED, final.payload["outcome"].lower().replace("_", " "),
                      final.effective_date))
    return found


def _vetting_triggers(snapshot: CaseSnapshot, a: Allegation) -> list[tuple[str, date]]:
    person = snapshot.subjects.get(a.subject_id)
    if a.id is None or person is None or person.employment_status.has_left:
        return []
    found = [(f"conviction ({c.payload.get('offence') or 'offence not given'})", c.effective_date)
             for c in events(snapshot, a.id, CriminalOutcome.CONVICTED)]
    final = final_outcome(snapshot, a.id)
    if final is not None and O[final.payload["outcome"]] not in DISMISSALS:
        findings = [d for d in outcome_decisions(snapshot, a.id) if O[d.payload["outcome"]] in _FINDINGS]
        if findings:
            found.append(("misconduct finding without dismissal", final.effective_date))
    return found


def _done(snapshot: CaseSnapshot, kind: DecisionKind, person_id: int, since: date, lst: str | None = None) -> bool:
    return any(
        d.payload.get("person_id") == person_id and d.effective_date >= since
        and (lst is None or d.payload.get("list") == lst)
        for d in history(snapshot, [kind])
    )


def notification_tasks(snapshot: CaseSnapshot, policies: PolicySet) -> list[Task]:
    """Every list-notification and vetting-review task the case has raised, done or not."""
    tasks: list[Task] = []
    for a in snapshot.allegations:
        pid = a.subject_id
        for status, trigger, on in _list_triggers(snapshot, a):
            due = on + timedelta(days=policies.int_on(PolicyName.LIST_NOTIFICATION_DAYS, on))
            done = _done(snapshot, DecisionKind.LIST_NOTIFICATION, pid, on, status.name)
            tasks.append(Task(DueItemKind.LIST_NOTIFICATION, pid, a.id, trigger, on, due, done, status))
        for trigger, on in _vetting_triggers(snapshot, a):
            due = on + timedelta(days=policies.int_on(PolicyName.VETTING_REVIEW_DAYS, on))
            done = _done(snapshot, DecisionKind.VETTING_REVIEW, pid, on)
            tasks.append(Task(DueItemKind.VETTING_REVIEW, pid, a.id, trigger, on, due, done))
    return _unique(tasks)


def _unique(tasks: list[Task]) -> list[Task]:
    """One task per person, kind and list (the earliest trigger) across allegations."""
    seen: dict[tuple[DueItemKind, int, ListStatus | None], Task] = {}
    for task in sorted(tasks, key=lambda t: t.triggered_on):
        seen.setdefault((task.kind, task.person_id, task.list_status), task)
    return list(seen.values())


def record_list_notification(
    snapshot: CaseSnapshot, act: Act, person_id: int, list_status: ListStatus, *,
    on: date | None = None, reference: str | None = None,
) -> Decision:
    """Record that the College of Policing was notified for the Barred or Advisory List."""
    require_open(snapshot)
    if list_status == ListStatus.NONE:
        raise RuleRefused("A list notification is for the BARRED or the ADVISORY list.")
    if person_id not in snapshot.subjects:
        raise RuleRefused(f"Person {person_id} is not a subject of case {snapshot.case.reference}.")
    payload = {"person_id": person_id, "list": list_status.name,
               "reference": reference.strip() if reference else None}
    return make_decision(DecisionKind.LIST_NOTIFICATION, act, payload, on=on)


def record_vetting_review(
    snapshot: CaseSnapshot, act: Act, person_id: int, *, result: str, on: date | None = None,
) -> Decision:
    """Record a completed vetting review of a subject."""
    require_open(snapshot)
    if person_id not in snapshot.subjects:
        raise RuleRefused(f"Person {person_id} is not a subject of case {snapshot.case.reference}.")
    if not result.strip():
        raise RuleRefused("A vetting review needs its result.")
    return make_decision(DecisionKind.VETTING_REVIEW, act,
                         {"person_id": person_id, "result": result.strip()}, on=on)
