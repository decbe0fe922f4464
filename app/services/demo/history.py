"""Finishing the demo's history the way a PSD would have: for each case whose allegations all
have a final outcome, the restrictions are lifted, the list notifications and vetting reviews
recorded, and the case closed — each through the casework services, so the work queue shows only
what a real force would still owe."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from app.domain.enums import DueItemKind, ReviewOutcome
from app.domain.errors import ExpectedError
from app.domain.policy import PolicySet
from app.domain.records import CaseSnapshot, User
from app.domain.workflow import measures, notification_tasks
from app.domain.workflow.outcomes import final_outcome, outcome_decisions
from app.persistence.models import CaseRow
from app.persistence.uow import UnitOfWork
from app.services import casework, policies
from app.services.case_state import load_snapshots

log = logging.getLogger(__name__)
CLOSE_AT_MOST = 1500  # each closure is several service calls: bounded for very large demos


def close_finished_cases(uow: Callable[[], UnitOfWork], head: User) -> int:
    with uow() as u:
        ids = list(u.session.scalars(select(CaseRow.id).where(CaseRow.status == "OPEN")))
        snapshots = [s for cid in range(0, len(ids), 900)
                     for s in load_snapshots(u.session, ids[cid:cid + 900]).values()]
        policy_set = policies.load(u.session)
    finished = [s for s in snapshots if _finished(s)][:CLOSE_AT_MOST]
    closed = 0
    for snap in finished:
        try:
            _complete(uow, head, snap, policy_set)
            closed += 1
        except ExpectedError as refused:  # the rules say something is still owed: leave it open
            log.info("Demo case left open: %s", type(refused).__name__)
    return closed


def _finished(s: CaseSnapshot) -> bool:
    return bool(s.allegations) and all(a.id is not None and final_outcome(s, a.id) is not None for a in s.allegations)


def _last_outcome(s: CaseSnapshot) -> date:
    return max(d.effective_date for a in s.allegations if a.id is not None for d in outcome_decisions(s, a.id))


def _complete(uow: Callable[[], UnitOfWork], head: User, s: CaseSnapshot, policy_set: PolicySet) -> None:
    cid, done_on = s.case.id, _last_outcome(s)
    assert cid is not None
    for a in s.allegations:
        assert a.id is not None
        if measures(s, a.id).in_force:
            casework.record_restriction_review(uow(), head, cid, a.id, ReviewOutcome.LIFT, on=done_on,
                                               rationale="Final outcome reached; restrictions lifted")
    for task in notification_tasks(s, policy_set):
        if task.done:
            continue
        on = max(task.triggered_on, done_on)
        if task.kind == DueItemKind.LIST_NOTIFICATION and task.list_status is not None:
            casework.record_list_notification(uow(), head, cid, task.person_id, task.list_status, on=on,
                                              reference=f"COLLEGE-{task.list_status.name[:1]}L-{cid:06d}")
        elif task.kind == DueItemKind.VETTING_REVIEW:
            casework.record_vetting_review(uow(), head, cid, task.person_id, result="Clearance reviewed; maintained",
                                           on=on)
    casework.close_case(uow(), head, cid, on=done_on)
