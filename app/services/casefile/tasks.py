"""Investigation actions (issue #15): a task on a case — what, who (a person who works on the case,
picked from a list: the case team and the supervisors who may open it), by when. It appears in the
assignee's My work (app.services.queue, as INVESTIGATION_ACTION) until it is completed or cancelled,
each with a log entry saying what was done or why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.domain.case_file import EntryInput, EntryKind, TaskStatus, check_reason, check_task, check_text
from app.domain.enums import AccessOperation, AssignmentRole, CaseStatus, Role
from app.domain.errors import InvalidInput, NotFound, PermissionDenied, RuleRefused
from app.domain.permissions import Action, allowed, require
from app.domain.records import User
from app.persistence.case_file_models import CaseTaskRow, insert_entry
from app.persistence.models import CaseMemberRow, CaseRow, UserRow
from app.persistence.uow import UnitOfWork
from app.services import audit, clock
from app.services.case_queries import visible_clause
from app.services.casefile.access import CASE_RECORD, readable, supervises, writable
from app.services.users import to_user


@dataclass(frozen=True)
class Assignee:
    username: str
    name: str
    team: str | None
    on_case_as: str | None  # the role on the case team (INVESTIGATOR...), None for a supervisor

    @property
    def label(self) -> str:
        role = self.on_case_as.replace("_", " ").lower() if self.on_case_as else "supervisor"
        return f"{self.name} ({role}{', ' + self.team if self.team else ''})"


@dataclass(frozen=True)
class TaskView:
    id: int
    what: str
    assignee: str  # display name
    assignee_username: str
    due_date: date
    status: str
    created_by: str
    created_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    overdue: bool


@dataclass(frozen=True)
class TaskGiven:
    task_id: int
    reference: str


def _works_on(s: Session, row: UserRow, case_id: int) -> bool:
    """May write to the case: an active account in a role that edits cases, with need to know
    (an investigator on the case team; never someone connected to a subject or victim)."""
    candidate = to_user(row)
    if not row.active or row.locked or not allowed(candidate, Action.EDIT_CASE):
        return False
    return s.scalar(select(CaseRow.id).where(CaseRow.id == case_id,
                                             visible_clause(candidate, via_iopc=False))) is not None


def assignees(uow: UnitOfWork, actor: User, case_id: int) -> list[Assignee]:
    """Who a task on the case can be given to: its case team and the supervisors who may open it."""
    with uow:
        s = uow.session
        writable(s, actor, case_id)
        roles = dict(s.execute(select(CaseMemberRow.user_id, CaseMemberRow.role).where(
            CaseMemberRow.case_id == case_id, CaseMemberRow.ended_at.is_(None),
            CaseMemberRow.role.in_([r.name for r in AssignmentRole]))).all())
        rows = s.scalars(select(UserRow).where(UserRow.active.is_(True)).order_by(UserRow.display_name))
        found = [Assignee(u.username, u.display_name, u.team, roles.get(u.id)) for u in rows
                 if (u.id in roles or to_user(u).has(Role.SUPERVISOR, Role.HEAD_OF_PSD)) and _works_on(s, u, case_id)]
    return sorted(found, key=lambda a: (a.on_case_as is None, a.name))


def give_task(uow: UnitOfWork, actor: User, case_id: int, what: str, assignee: str, due: date) -> TaskGiven:
    """A task for `assignee` (a user name); refused when they may not work on the case."""
    require(actor, Action.EDIT_CASE)
    what = check_task(what, due, clock.today())
    with uow:
        s = uow.session
        row = writable(s, actor, case_id)
        if row.status != CaseStatus.OPEN.name:
            raise RuleRefused(f"Case {row.reference} is closed: no task can be given on it.")
        target = _assignable(s, assignee, case_id, row.reference)
        task = CaseTaskRow(case_id=case_id, what=what, assignee_id=target.id, due_date=due, status=TaskStatus.OPEN.name,
                           created_by=actor.id, created_at=clock.now())
        s.add(task)
        s.flush()
        audit.record(s, actor, AccessOperation.COLLECTION, CASE_RECORD, row.reference,
                     detail=f"task {task.id} given (due {due.isoformat()})")
        given = TaskGiven(task.id, row.reference)
        uow.commit()
    return given


def reassign_task(uow: UnitOfWork, actor: User, task_id: int, assignee: str) -> int:
    """Give an open task to someone else on the list (its giver or a supervisor), e.g. when its
    assignee has left the case team; the task's id."""
    require(actor, Action.EDIT_CASE)
    with uow:
        s = uow.session
        task = _task(s, task_id)
        row = writable(s, actor, task.case_id)
        if task.status != TaskStatus.OPEN.name:
            raise RuleRefused(f"Task {task.id} is already {task.status.lower()}.")
        if actor.id != task.created_by and not supervises(actor):
            raise PermissionDenied(f"Only the person who gave task {task.id}, or a supervisor, may give it to someone "
                                   "else.")
        target = _assignable(s, assignee, task.case_id, row.reference)
        task.assignee_id = target.id
        audit.record(s, actor, AccessOperation.ALTERATION, CASE_RECORD, row.reference,
                     detail=f"task {task.id} given to another person")
        uow.commit()
    return task_id


def _task(s: Session, task_id: int) -> CaseTaskRow:
    task = s.get(CaseTaskRow, task_id)
    if task is None:
        raise NotFound(f"There is no task {task_id}.")
    return task


def _assignable(s: Session, assignee: str, case_id: int, reference: str) -> UserRow:
    target = s.scalar(select(UserRow).where(UserRow.username == (assignee or "").strip()))
    if target is None:
        raise InvalidInput("assignee: choose who does it from the list of people on the case.")
    if not _works_on(s, target, case_id):
        raise PermissionDenied(f"{target.display_name} may not work on case {reference} (not on its case team, "
                               "or connected to a subject or victim): give the task to someone on the list.")
    return target


def complete_task(uow: UnitOfWork, actor: User, task_id: int, what_was_done: str, *, on: date | None = None) -> int:
    """Done, with an "action taken" entry saying what was done; the entry's id."""
    return _close(uow, actor, task_id, TaskStatus.DONE,
                  EntryInput(EntryKind.ACTION_TAKEN, check_text("what_was_done", what_was_done), occurred_on=on))


def cancel_task(uow: UnitOfWork, actor: User, task_id: int, reason: str) -> int:
    """No longer needed, with a note saying why; the entry's id."""
    return _close(uow, actor, task_id, TaskStatus.CANCELLED,
                  EntryInput(EntryKind.NOTE, "Task cancelled: " + check_reason("reason", reason)))


def _close(uow: UnitOfWork, actor: User, task_id: int, status: TaskStatus, entry: EntryInput) -> int:
    require(actor, Action.EDIT_CASE)
    today = clock.today()
    on = entry.occurred_on or today
    if on > today:
        raise InvalidInput(f"occurred_on: {on.isoformat()} is in the future: record what has happened.")
    with uow:
        s = uow.session
        task = _task(s, task_id)
        row = writable(s, actor, task.case_id)
        _may_close(actor, task, status)
        now = clock.now()
        text = f"{entry.text}\n(Task: {task.what})"
        e = insert_entry(s, task.case_id, entry.kind, text, on, actor.id or 0, now, task_id=task.id)
        task.status, task.closed_by, task.closed_at = status.name, actor.id, now
        audit.record(s, actor, AccessOperation.ALTERATION, CASE_RECORD, row.reference,
                     detail=f"task {task.id} {status.name.lower()}; case log entry {e.id} added ({entry.kind.name})")
        entry_id = e.id
        uow.commit()
    return entry_id


def _may_close(actor: User, task: CaseTaskRow, status: TaskStatus) -> None:
    if task.status != TaskStatus.OPEN.name:
        raise RuleRefused(f"Task {task.id} is already {task.status.lower()}.")
    mine = actor.id in (task.assignee_id, task.created_by)
    if not mine and not supervises(actor):
        verb = "complete" if status == TaskStatus.DONE else "cancel"
        raise PermissionDenied(f"Only the person the task was given to, the person who gave it, or a supervisor may "
                               f"{verb} task {task.id}.")


def case_tasks(uow: UnitOfWork, actor: User, case_id: int) -> tuple[TaskView, ...]:
    """The case's tasks, open ones first (by due date), then the closed ones (newest first)."""
    with uow:
        s = uow.session
        row, _full = readable(s, actor, case_id, "case tasks")
        views = tasks_in(s, case_id)
        audit.record(s, actor, AccessOperation.CONSULTATION, CASE_RECORD, row.reference,
                     detail=f"case tasks listed ({len(views)})")
        uow.commit()
    return views


def tasks_in(s: Session, case_id: int) -> tuple[TaskView, ...]:
    """As `case_tasks`, unlogged (the caller logs its reading)."""
    today = clock.today()
    names = dict(s.execute(select(UserRow.id, UserRow.display_name)).all())
    usernames = dict(s.execute(select(UserRow.id, UserRow.username)).all())
    views = [TaskView(t.id, t.what, names.get(t.assignee_id, "—"), usernames.get(t.assignee_id, ""), t.due_date,
                      t.status, names.get(t.created_by, "—"), t.created_at,
                      names.get(t.closed_by) if t.closed_by else None, t.closed_at,
                      t.status == TaskStatus.OPEN.name and t.due_date < today)
             for t in s.scalars(select(CaseTaskRow).where(CaseTaskRow.case_id == case_id))]
    open_first = sorted((v for v in views if v.status == TaskStatus.OPEN.name), key=lambda v: (v.due_date, v.id))
    closed = sorted((v for v in views if v.status != TaskStatus.OPEN.name),
                    key=lambda v: (v.closed_at or v.created_at, v.id), reverse=True)
    return tuple(open_first + closed)


# ---- the work queue ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class DueTask:
    """An open task as the work queue lists it (no text of the case beyond the task's own words)."""

    task_id: int
    case_id: int
    case_ref: str
    what: str
    due_date: date
    assignee: str  # user name
    team: str | None


def due_tasks(session: Session, reach: ColumnElement[bool], within: date | None = None) -> list[DueTask]:
    """Open tasks on open cases within `reach` (the queue's need-to-know clause on CaseRow), due by
    `within` when given."""
    t = CaseTaskRow
    stmt = (select(t.id, t.case_id, CaseRow.reference, t.what, t.due_date, UserRow.username, UserRow.team)
            .join(CaseRow, CaseRow.id == t.case_id).join(UserRow, UserRow.id == t.assignee_id)
            .where(t.status == TaskStatus.OPEN.name, CaseRow.status == CaseStatus.OPEN.name, reach))
    if within is not None:
        stmt = stmt.where(t.due_date <= within)
    return [DueTask(*r) for r in session.execute(stmt)]


__all__ = [
    "Assignee",
    "DueTask",
    "TaskGiven",
    "TaskView",
    "assignees",
    "cancel_task",
    "case_tasks",
    "complete_task",
    "due_tasks",
    "give_task",
    "reassign_task",
    "tasks_in",
]
