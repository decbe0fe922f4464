"""The work queue (DOMAIN.md §3.5, FORMATS.md "Work queue"): due items derived from the records and
policy each time it is asked for, never stored. The case projection's next_due_date (itself
derived on every write) only narrows which cases need deriving.

Beside them, the open tasks given on cases (issue #15) as item INVESTIGATION_ACTION, assigned to
the person they were given to by user name, the detail being the task's words; they count as
overdue the day after their due date like every item."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter
from typing import Any, NamedTuple, cast

from sqlalchemy import Row, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.domain.collector import collector_paused
from app.domain.enums import AssignmentRole, CaseStatus, DueItemKind, Role
from app.domain.errors import PermissionDenied
from app.domain.records import User
from app.domain.workflow import DueItem, due_items
from app.persistence.models import CaseMemberRow, CaseRow, UserRow
from app.persistence.uow import UnitOfWork
from app.services import case_summary, clock, matching, policies
from app.services.case_queries import visible_clause
from app.services.case_state import load_snapshots
from app.services.casefile import tasks

CHUNK = 900
QUEUE_ROLES = frozenset({Role.INVESTIGATOR, Role.SUPERVISOR, Role.HEAD_OF_PSD, Role.IOPC_LIAISON})


class QueueItem(NamedTuple):
    """One due item. A named tuple rather than a frozen dataclass: a force's queue is 10^5 of them,
    and a frozen dataclass takes several times as long to make (issue #15)."""

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
    # Who it falls to in words, for screens: people by name (or, when many may do it, how many and
    # of which team), never a bare role; "" for an item made outside `work_queue`.
    owner: str = ""

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
    with uow, collector_paused():
        placed = _derive(uow.session, today, within_days, _reach(actor), most_urgent_cases)
    if not everyone:
        placed = [p for p in placed if _is_own(p[1], actor)]
    if overdue_only:
        placed = [p for p in placed if p[1].overdue]
    if team:
        placed = [p for p in placed if (p[1].team or "").lower() == team.lower()]
    placed.sort(key=itemgetter(0))  # stable: ties keep the order derived
    return [i for _place, i in placed]


def _place(i: QueueItem) -> tuple[str, QueueItem]:
    """The item with its place in the queue's order, as one string (one comparison a pair when
    sorting 10^5 items): overdue first, then by due date, case (or notice) and kind of item.
    `_stored_items` writes the same string from the text it reads."""
    return f"{'0' if i.overdue else '1'}{i.due_date.isoformat()}{i.case_ref}\0{i.item.name}", i


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


@dataclass(frozen=True)
class Staff:
    """An active user who may hold work: their user name, name and team."""
    username: str
    name: str
    team: str | None
    roles: frozenset[Role]


class Owners:
    """Names for who an item falls to: the case's investigators or decision-maker, else the people
    holding the role (the supervisors of the investigator's team first)."""

    def __init__(self, session: Session) -> None:
        self.by_id: dict[int, Staff] = {}
        for uid, username, name, team, roles in session.execute(
                select(UserRow.id, UserRow.username, UserRow.display_name, UserRow.team, UserRow.roles)
                .where(UserRow.active.is_(True))):
            self.by_id[uid] = Staff(username, name or username, team,
                                    frozenset(Role[r] for r in (roles or "").split(";") if r in Role.__members__))
        self.by_username = {s.username: s for s in self.by_id.values()}
        self._texts: dict[tuple[Role, str | None], str] = {}

    def name(self, username: str) -> str:
        staff = self.by_username.get(username)
        return staff.name if staff else username

    def holders(self, role: Role, team: str | None = None) -> str:
        """The people who hold `role` (in `team` when some there do), in words."""
        key = (role, team)
        if key not in self._texts:
            people = sorted((s for s in self.by_id.values() if role in s.roles), key=lambda s: s.name)
            in_team = [s for s in people if team is not None and s.team == team]
            chosen = in_team or people
            what = {Role.SUPERVISOR: "supervisors", Role.HEAD_OF_PSD: "heads of PSD",
                    Role.IOPC_LIAISON: "IOPC liaison officers"}.get(role, "people")
            if not chosen:
                self._texts[key] = f"No {what[:-1] if what.endswith('s') else what} yet"
            elif len(chosen) <= 2:
                self._texts[key] = " or ".join(s.name for s in chosen)
            else:
                self._texts[key] = f"{team} {what}" if in_team else f"Any of the {len(chosen)} {what}"
        return self._texts[key]


def _derive(session: Session, today: date, within_days: int | None, reach: ColumnElement[bool],
            most_urgent: int | None = None) -> list[tuple[str, QueueItem]]:
    """Every item within reach, each with its place in the queue's order (`_place`)."""
    stmt = select(CaseRow.id).where(CaseRow.status == CaseStatus.OPEN.name, CaseRow.next_due_date.is_not(None), reach)
    if within_days is not None:
        stmt = stmt.where(CaseRow.next_due_date <= today + timedelta(days=within_days))
    if most_urgent is not None:
        stmt = stmt.order_by(CaseRow.next_due_date, CaseRow.id).limit(most_urgent)
    policy_set = policies.load(session)
    owners = Owners(session)
    out = [_place(_item(None, d, _Team(), owners)) for d in matching.notice_items(session, policy_set, today)
           if within_days is None or d.due_date <= today + timedelta(days=within_days)]
    horizon = today + timedelta(days=within_days) if within_days is not None else None
    if case_summary.is_current(session):
        # Each case's items as derived at its last change (the case projection, refreshed in the
        # same transaction as every write and after every policy change): read, not re-derived.
        rows = session.execute(stmt.with_only_columns(CaseRow.id, CaseRow.reference, CaseRow.list_due_items)).all()
        members = _members(session, [r[0] for r in rows], owners)
        out += _stored_items(rows, members, owners, today, horizon)
    else:  # an older database whose projection is being brought up to date: derive
        case_ids = list(session.scalars(stmt))
        members = _members(session, case_ids, owners)
        for i in range(0, len(case_ids), CHUNK):
            for cid, snapshot in load_snapshots(session, case_ids[i : i + CHUNK], light=True).items():
                team = members.get(cid) or _Team()
                for d in due_items(snapshot, policy_set, today, horizon_days=within_days):
                    out.append(_place(_item(cid, d, team, owners)))
    within = today + timedelta(days=within_days) if within_days is not None else None
    out += [_place(_task_item(t, today, owners)) for t in tasks.due_tasks(session, reach, within)]
    return out


def _stored_items(rows: Sequence[Row[int, str, str | None]], members: dict[int, _Team], owners: Owners,
                  today: date, horizon: date | None) -> list[tuple[str, QueueItem]]:
    """The cases' items as the projection keeps them (case_summary.encode_due_items), made into
    QueueItems with as little work an item as can be: 10^5 cases are read at once. Dates are
    compared as ISO text (the same order); who an item falls to is worked out once for each case
    team (`_members` shares one _Team between cases with the same people) and role."""
    # Members by name without Enum[...] (the metaclass) 10^5 times.
    kinds, roles = cast(dict[str, DueItemKind], DueItemKind._member_map_), cast(dict[str, Role], Role._member_map_)
    today_text, horizon_text = today.isoformat(), horizon.isoformat() if horizon is not None else None
    days: dict[str, date] = {}
    nobody = _Team()
    whose: dict[int, dict[str, tuple[Role, str, str, str | None]]] = {}  # by id(_Team), then role
    new, item = tuple.__new__, QueueItem  # QueueItem(...) less its Python-level __new__
    out: list[tuple[str, QueueItem]] = []
    add = out.append
    for (cid, ref, _text), stored in _decoded(rows):
        team = members.get(cid, nobody)
        known = whose.get(id(team))
        if known is None:
            known = whose[id(team)] = {}
        for kind, due, detail, falls_to, allegation_id, _person_id in stored:
            if horizon_text is not None and due > horizon_text:
                continue
            who = known.get(falls_to)
            if who is None:
                role = roles[falls_to]
                assigned, owner, team_name = _whose(team, role, owners)
                who = known[falls_to] = (role, assigned, owner, team_name)
            day = days.get(due)
            if day is None:
                day = days[due] = date.fromisoformat(due)
            overdue = today_text > due
            add((f"{'0' if overdue else '1'}{due}{ref}\0{kind}",  # as _place writes it
                 new(item, (ref, cid, kinds[kind], day, overdue, who[1], detail, who[0], who[3], allegation_id, None,
                            who[2]))))
    return out


def _decoded(rows: Sequence[Row[int, str, str | None]], cases_a_parse: int = 2000) \
        -> Iterator[tuple[Row[int, str, str | None], list[list[Any]]]]:
    """Each row with its case's stored items parsed, a parse for a few thousand cases at once (not
    all 10^5: the parsed lists of them all at once held a hundred megabytes)."""
    for start in range(0, len(rows), cases_a_parse):
        chunk = rows[start : start + cases_a_parse]
        yield from zip(chunk, case_summary.decode_many([r[2] for r in chunk]), strict=True)


def _task_item(t: tasks.DueTask, today: date, owners: Owners) -> QueueItem:
    """A task falls to the person it was given to, by name (whatever their role)."""
    return QueueItem(t.case_ref, t.case_id, DueItemKind.INVESTIGATION_ACTION, t.due_date, today > t.due_date,
                     t.assignee, t.what, Role.INVESTIGATOR, t.team, task_id=t.task_id, owner=owners.name(t.assignee))


@dataclass
class _Team:
    """A case's current investigators and decision-makers (active members)."""
    investigators: list[Staff] = dataclasses.field(default_factory=list)
    deciders: list[Staff] = dataclasses.field(default_factory=list)


def _members(session: Session, case_ids: list[int], owners: Owners) -> dict[int, _Team]:
    found: dict[int, _Team] = {}
    wanted = set(case_ids)
    roles = (AssignmentRole.INVESTIGATOR.name, AssignmentRole.DECISION_MAKER.name)
    stmt = (select(CaseMemberRow.case_id, CaseMemberRow.user_id, CaseMemberRow.role)
            .where(CaseMemberRow.role.in_(roles), CaseMemberRow.ended_at.is_(None)).order_by(CaseMemberRow.id))
    for cid, uid, role in session.execute(stmt):
        staff = owners.by_id.get(uid)
        if cid in wanted and staff is not None:
            team = found.setdefault(cid, _Team())
            (team.investigators if role == AssignmentRole.INVESTIGATOR.name else team.deciders).append(staff)
    shared: dict[tuple[tuple[str, ...], tuple[str, ...]], _Team] = {}  # one _Team for the same people
    return {cid: shared.setdefault((tuple(s.username for s in t.investigators), tuple(s.username for s in t.deciders)),
                                   t) for cid, t in found.items()}


def _item(case_id: int | None, d: DueItem, members: _Team, owners: Owners) -> QueueItem:
    assigned, owner, team = _whose(members, d.falls_to, owners)
    return QueueItem(d.case_ref, case_id, d.kind, d.due_date, d.overdue, assigned, d.detail, d.falls_to, team,
                     d.allegation_id, owner=owner)


def _whose(members: _Team, falls_to: Role, owners: Owners) -> tuple[str, str, str | None]:
    """Who a case's item falling to `falls_to` is assigned to (user names or the role), who that is
    in words, and the team: the case's investigators, else its decision-makers'."""
    investigators = members.investigators
    team = investigators[0].team if investigators else (members.deciders[0].team if members.deciders else None)
    if falls_to == Role.INVESTIGATOR:
        assigned = ", ".join(s.username for s in investigators) or "unassigned (SUPERVISOR to allocate)"
        owner = (", ".join(s.name for s in investigators) if investigators
                 else f"Unassigned: for {_lower_first(owners.holders(Role.SUPERVISOR, team))} to allocate")
    else:
        assigned = falls_to.name
        if falls_to == Role.SUPERVISOR and members.deciders:
            owner = ", ".join(s.name for s in members.deciders)
        else:
            owner = owners.holders(falls_to, team)
    return assigned, owner, team


def _lower_first(text: str) -> str:
    """"Any of the 3 supervisors" inside a sentence; names are left as they are."""
    return text[0].lower() + text[1:] if text.startswith("Any of") else text
