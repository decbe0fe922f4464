"""The work queue (DOMAIN.md §3.5, FORMATS.md "Work queue"): due items derived from the records and
policy each time it is asked for, never stored. The case projection's next_due_date (itself
derived on every write) only narrows which cases need deriving.

Beside them, the open tasks given on cases (issue #15) as item INVESTIGATION_ACTION, assigned to
the person they were given to by user name, the detail being the task's words; they count as
overdue the day after their due date like every item."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.domain.enums import AssignmentRole, CaseStatus, DueItemKind, Role
from app.domain.errors import PermissionDenied
from app.domain.records import User
from app.domain.workflow import DueItem, due_items
from app.persistence.models import CaseMemberRow, CaseRow, UserRow
from app.persistence.uow import UnitOfWork
from app.services import clock, matching, policies
from app.services.case_queries import visible_clause
from app.services.case_state import load_snapshots
from app.services.casefile import tasks

CHUNK = 900
QUEUE_ROLES = frozenset({Role.INVESTIGATOR, Role.SUPERVISOR, Role.HEAD_OF_PSD, Role.IOPC_LIAISON})


@dataclass(frozen=True)
class QueueItem:
    case_ref: str
    case_id: int | None
    item: DueItemKind
    due_date: date
    overdue: bool
    assigned_to: str
    detail: str
    falls_to: Role
    team: str | None = None
    allegation_id: int | None = None
    task_id: int | None = None  # an INVESTIGATION_ACTION: the task (app.services.casefile.tasks)

    def csv_row(self) -> list[str]:
        return [self.case_ref, self.item.name, self.due_date.isoformat(), "Y" if self.overdue else "N",
                self.assigned_to, self.detail]


CSV_HEADER = ["case_ref", "item", "due_date", "overdue", "assigned_to", "detail"]


def work_queue(uow: UnitOfWork, actor: User, *, everyone: bool = False, overdue_only: bool = False,
               within_days: int | None = None, team: str | None = None,
               most_urgent_cases: int | None = None) -> list[QueueItem]:
    """The actor's own items, or (supervisors, head of PSD) the whole force's; overdue first.

    `most_urgent_cases` derives only that many cases, those with the earliest next due date (the
    window's My work uses it so a force with 100,000 open cases still opens at once; the command
    line lists everything)."""
    if not actor.roles & QUEUE_ROLES:
        raise PermissionDenied(f"{actor.username} has no work queue: it is for investigators, supervisors, "
                               "the head of PSD and the IOPC liaison.")
    if everyone and not actor.has(Role.SUPERVISOR, Role.HEAD_OF_PSD):
        raise PermissionDenied("Only supervisors and the head of PSD see the whole force's work queue.")
    today = clock.today()
    with uow:
        items = _derive(uow.session, today, within_days, _reach(actor), most_urgent_cases)
    if not everyone:
        items = [i for i in items if _is_own(i, actor)]
    if overdue_only:
        items = [i for i in items if i.overdue]
    if team:
        items = [i for i in items if (i.team or "").lower() == team.lower()]
    return sorted(items, key=lambda i: (not i.overdue, i.due_date, i.case_ref, i.item.name))


def _reach(actor: User) -> ColumnElement[bool]:
    """The cases whose items the actor may see (need to know): those they may read; for the IOPC
    liaison every case they may refer. Never a case they are connected to."""
    if actor.has(Role.IOPC_LIAISON):
        actor = dataclasses.replace(actor, roles=actor.roles | {Role.SUPERVISOR})
    return visible_clause(actor)


def _is_own(item: QueueItem, actor: User) -> bool:
    if item.falls_to == Role.INVESTIGATOR:
        if item.assigned_to.startswith("unassigned"):
            return actor.has(Role.SUPERVISOR, Role.HEAD_OF_PSD)
        return actor.username in item.assigned_to.split(", ")
    return item.falls_to in actor.roles or (item.falls_to == Role.SUPERVISOR and Role.HEAD_OF_PSD in actor.roles)


def _derive(session: Session, today: date, within_days: int | None, reach: ColumnElement[bool],
            most_urgent: int | None = None) -> list[QueueItem]:
    stmt = select(CaseRow.id).where(CaseRow.status == CaseStatus.OPEN.name, CaseRow.next_due_date.is_not(None), reach)
    if within_days is not None:
        stmt = stmt.where(CaseRow.next_due_date <= today + timedelta(days=within_days))
    if most_urgent is not None:
        stmt = stmt.order_by(CaseRow.next_due_date, CaseRow.id).limit(most_urgent)
    case_ids = list(session.scalars(stmt))
    policy_set = policies.load(session)
    investigators = _investigators(session, case_ids)
    out = [_item(None, d, []) for d in matching.notice_items(session, policy_set, today)
           if within_days is None or d.due_date <= today + timedelta(days=within_days)]
    for i in range(0, len(case_ids), CHUNK):
        for cid, snapshot in load_snapshots(session, case_ids[i : i + CHUNK]).items():
            for d in due_items(snapshot, policy_set, today, horizon_days=within_days):
                out.append(_item(cid, d, investigators.get(cid, [])))
    within = today + timedelta(days=within_days) if within_days is not None else None
    out += [_task_item(t, today) for t in tasks.due_tasks(session, reach, within)]
    return out


def _task_item(t: tasks.DueTask, today: date) -> QueueItem:
    """A task falls to the person it was given to, by name (whatever their role)."""
    return QueueItem(t.case_ref, t.case_id, DueItemKind.INVESTIGATION_ACTION, t.due_date, today > t.due_date,
                     t.assignee, t.what, Role.INVESTIGATOR, t.team, task_id=t.task_id)


def _investigators(session: Session, case_ids: list[int]) -> dict[int, list[tuple[str, str | None]]]:
    found: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    stmt = (select(CaseMemberRow.case_id, UserRow.username, UserRow.team).join(UserRow, UserRow.id == CaseMemberRow.user_id)
            .where(CaseMemberRow.role == AssignmentRole.INVESTIGATOR.name, CaseMemberRow.ended_at.is_(None)))
    wanted = set(case_ids)
    for cid, username, team in session.execute(stmt):
        if cid in wanted:
            found[cid].append((username, team))
    return found


def _item(case_id: int | None, d: DueItem, investigators: list[tuple[str, str | None]]) -> QueueItem:
    team = investigators[0][1] if investigators else None
    if d.falls_to == Role.INVESTIGATOR:
        assigned = ", ".join(u for u, _ in investigators) or "unassigned (SUPERVISOR to allocate)"
    else:
        assigned = d.falls_to.name
    return QueueItem(d.case_ref, case_id, d.kind, d.due_date, d.overdue, assigned, d.detail, d.falls_to, team,
                     d.allegation_id)
