"""Closing a case (DOMAIN.md §3.4, §7 retention).

A case closes only when every allegation has a final misconduct outcome (and, when it is
criminal or has been charged, a final criminal outcome), every restriction has been ended by a
decision, and the notifications it raised (Barred/Advisory List, vetting reviews) are done.

Payload CLOSURE `{"closed_date": ISO, "retention_review_date": ISO | None,
"barred_list_matter": bool}` — case-level; a barred-list matter is kept indefinitely (None).
"""

from __future__ import annotations

from datetime import date

from app.domain.calendar import add_years
from app.domain.enums import CriminalOutcome, DecisionKind, ListStatus
from app.domain.errors import RuleRefused
from app.domain.policy import PolicyName, PolicySet
from app.domain.records import Allegation, CaseSnapshot, Decision
from app.domain.workflow.common import Act, iso, make_decision, require_open, subject_name
from app.domain.workflow.criminal import FINAL_CRIMINAL_OUTCOMES, current_criminal_outcome
from app.domain.workflow.measures import describe, measures
from app.domain.workflow.notifications import notification_tasks
from app.domain.workflow.outcomes import final_outcome


def _allegation_blockers(snapshot: CaseSnapshot, a: Allegation) -> list[str]:
    assert a.id is not None
    who = f"allegation {a.id} ({subject_name(snapshot, a)})"
    found = []
    if final_outcome(snapshot, a.id) is None:
        found.append(f"{who} has no final misconduct outcome")
    criminal = current_criminal_outcome(snapshot, a.id)
    if (a.criminal or criminal is not None) and criminal not in FINAL_CRIMINAL_OUTCOMES:
        state = "is awaiting trial after charge" if criminal == CriminalOutcome.CHARGED else \
            "has no criminal outcome"
        found.append(f"{who} {state}")
    in_force = measures(snapshot, a.id).in_force
    if in_force:
        found.append(f"{who} has restrictions in force ({describe(in_force)}): end them with a "
                     "review that lifts them")
    return found


def closure_blockers(snapshot: CaseSnapshot, policies: PolicySet) -> list[str]:
    """What must still happen before the case can close (empty: it can close)."""
    found: list[str] = []
    for a in snapshot.allegations:
        if a.id is not None:
            found += _allegation_blockers(snapshot, a)
    for task in notification_tasks(snapshot, policies):
        if not task.done:
            name = snapshot.subjects[task.person_id].full_name  # a task is only raised for a known subject
            what = (f"the {task.list_status.name.title()} List notification" if task.list_status
                    else "the vetting review")
            found.append(f"{what} for {name} ({task.trigger}) is not done")
    return found


def barred_list_matter(snapshot: CaseSnapshot, policies: PolicySet) -> bool:
    return any(t.list_status == ListStatus.BARRED for t in notification_tasks(snapshot, policies))


def close_case(snapshot: CaseSnapshot, act: Act, policies: PolicySet, *, on: date | None = None) -> Decision:
    """Close the case, or refuse listing everything that remains."""
    require_open(snapshot)
    blockers = closure_blockers(snapshot, policies)
    if blockers:
        raise RuleRefused(
            f"Case {snapshot.case.reference} cannot be closed yet: " + "; ".join(blockers) + "."
        )
    closed = on or act.today
    barred = barred_list_matter(snapshot, policies)
    review = None if barred else add_years(closed, policies.int_on(PolicyName.RETENTION_YEARS, closed))
    payload = {"closed_date": iso(closed), "retention_review_date": iso(review),
               "barred_list_matter": barred}
    return make_decision(DecisionKind.CLOSURE, act, payload, on=closed)
