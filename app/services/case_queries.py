"""Read-side services for the case screens: who may see which case, the case list (searched,
filtered, sorted and paged in SQL over the projection columns of `ppda_case`, so 100,000 cases
never load at once) and the read-only case view, whose opening and victim-contact reveals are
written to the access log.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Select, and_, case, false, func, null, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from app.domain.enums import AccessOperation, CaseStatus, DashRisk, DecisionKind, Role
from app.domain.errors import InvalidInput, NotFound, PermissionDenied
from app.domain.permissions import Action, require
from app.domain.records import CaseSnapshot, Decision, User
from app.persistence.models import (
    AllegationRow,
    AssociateRow,
    CaseMemberRow,
    CaseRow,
    DecisionRow,
    PersonRow,
    UserRow,
    VictimRow,
)
from app.persistence.uow import UnitOfWork
from app.services import audit, clock
from app.services.case_state import load_snapshots

PAGE_SIZE = 200
MIN_REASON = 5
SelectT = TypeVar("SelectT", bound="Select[*tuple[Any, ...]]")


# ---- who may see a case ---------------------------------------------------------------------

def _member_cases(actor: User) -> Select[int]:
    return select(CaseMemberRow.case_id).where(CaseMemberRow.user_id == actor.id, CaseMemberRow.ended_at.is_(None))


def _conflicted_cases(person_id: int) -> Select[int]:
    """Cases where the user is a subject, a subject's line manager, a victim or a declared associate."""
    associated = select(AssociateRow.associate_person_id).where(
        AssociateRow.person_id == person_id, AssociateRow.associate_person_id.is_not(None))
    people = select(PersonRow.id).where(or_(PersonRow.id == person_id, PersonRow.line_manager_id == person_id))
    as_subject = select(AllegationRow.case_id).where(AllegationRow.subject_id.in_(people.union(associated)))
    as_victim = select(VictimRow.case_id).where(VictimRow.person_id == person_id)
    declared = select(AssociateRow.case_id).where(AssociateRow.person_id == person_id,
                                                  AssociateRow.case_id.is_not(None))
    return as_subject.union(as_victim, declared)  # type: ignore[return-value]


def visible_clause(actor: User, *, via_iopc: bool = True) -> ColumnElement[bool]:
    """SQL condition on `CaseRow` for the cases `actor` may read (DOMAIN.md §7 need to know).

    Supervisors and the head of PSD see every case, investigators the cases whose team they are on,
    the IOPC liaison (when `via_iopc`) the cases referred to the IOPC. A case restricted to named
    users is seen only by its members, and a user who is a subject, a subject's line manager, a
    victim or a declared associate in a case never sees it. Other roles see no case.

    The conditions are uncorrelated `IN` subqueries: the database works each set out once per
    query (a user's team and conflicts are small), not once per case, so counting 100,000 cases
    stays fast.
    """
    if actor.has(Role.SUPERVISOR, Role.HEAD_OF_PSD):
        base: ColumnElement[bool] = true()
    else:
        parts = []
        if actor.has(Role.INVESTIGATOR):
            parts.append(CaseRow.id.in_(_member_cases(actor)))
        if via_iopc and actor.has(Role.IOPC_LIAISON):
            parts.append(CaseRow.id.in_(select(DecisionRow.case_id).where(
                DecisionRow.kind == DecisionKind.IOPC_REFERRAL.name)))
        if not parts:
            return false()
        base = or_(*parts)
    clause = and_(base, or_(CaseRow.restricted_to_named.is_(False), CaseRow.id.in_(_member_cases(actor))))
    if actor.person_id is not None:
        clause = and_(clause, CaseRow.id.not_in(_conflicted_cases(actor.person_id)))
    return clause


# ---- the case list --------------------------------------------------------------------------

class CaseSortKey(StrEnum):
    REFERENCE = "reference"
    RECEIVED = "received"
    SUBJECTS = "subjects"
    ABUSE_TYPES = "abuse types"
    RISK = "risk"
    RESTRICTION = "restriction"
    BODY = "investigating body"
    STATUS = "status"
    FLAGS = "flags"
    NEXT_DUE = "next due"


_SORT_COLUMNS: dict[CaseSortKey, Any] = {
    CaseSortKey.REFERENCE: CaseRow.reference, CaseSortKey.RECEIVED: CaseRow.received_date,
    CaseSortKey.SUBJECTS: CaseRow.list_subjects, CaseSortKey.ABUSE_TYPES: CaseRow.list_abuse_types,
    CaseSortKey.RESTRICTION: CaseRow.list_restriction, CaseSortKey.BODY: CaseRow.list_body,
    CaseSortKey.STATUS: CaseRow.status, CaseSortKey.FLAGS: CaseRow.list_flags,
    CaseSortKey.NEXT_DUE: CaseRow.next_due_date}


@dataclass(frozen=True)
class CaseFilter:
    text: str = ""
    status: CaseStatus | None = None
    overdue: bool = False
    external: bool = False
    risk: DashRisk | None = None
    year: int | None = None  # calendar year of receipt


@dataclass(frozen=True)
class CaseSort:
    key: CaseSortKey = CaseSortKey.RECEIVED
    descending: bool = True


@dataclass(frozen=True)
class CaseListRow:
    id: int
    reference: str
    received_date: date
    subjects: str
    abuse_types: tuple[str, ...]
    risk: str | None
    restriction: str
    investigating_body: str
    external: bool
    status: str
    flags: tuple[str, ...]
    next_due_date: date | None
    overdue: bool


def risk_column(actor: User) -> ColumnElement[str | None] | InstrumentedAttribute[str | None]:
    """The victims' highest DASH risk; NULL (a victim detail) where the actor reads a case only as IOPC liaison."""
    if actor.has(Role.IOPC_LIAISON) and not actor.has(Role.SUPERVISOR, Role.HEAD_OF_PSD):
        return case((visible_clause(actor, via_iopc=False), CaseRow.list_risk), else_=null())
    return CaseRow.list_risk


def _sort_column(actor: User, key: CaseSortKey) -> Any:
    if key == CaseSortKey.RISK:
        return case({r.name: i for i, r in enumerate(DashRisk, start=1)}, value=risk_column(actor), else_=0)
    return _SORT_COLUMNS[key]


def like_pattern(term: str) -> str:  # `term` anywhere, its LIKE wildcards escaped (ESCAPE '\\')
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filtered(stmt: SelectT, actor: User, f: CaseFilter) -> SelectT:
    stmt = stmt.where(visible_clause(actor))
    for term in f.text.lower().split():
        stmt = stmt.where(CaseRow.search_text.like(like_pattern(term), escape="\\"))
    if f.status is not None:
        stmt = stmt.where(CaseRow.status == f.status.name)
    if f.overdue:
        stmt = stmt.where(CaseRow.next_due_date < clock.today())
    if f.external:
        stmt = stmt.where(CaseRow.list_external.is_(True))
    if f.risk is not None:
        stmt = stmt.where(risk_column(actor) == f.risk.name)
    if f.year is not None:
        stmt = stmt.where(CaseRow.received_date >= date(f.year, 1, 1), CaseRow.received_date < date(f.year + 1, 1, 1))
    return stmt


def _list_columns(actor: User) -> tuple[Any, ...]:
    return (CaseRow.id, CaseRow.reference, CaseRow.received_date, CaseRow.list_subjects,
            CaseRow.list_abuse_types, risk_column(actor).label("list_risk"), CaseRow.list_restriction,
            CaseRow.list_body, CaseRow.list_external, CaseRow.status, CaseRow.list_flags, CaseRow.next_due_date)


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(t for t in (text or "").split(";") if t)


def list_cases(uow: UnitOfWork, actor: User, filt: CaseFilter = CaseFilter(), sort: CaseSort = CaseSort(),
               *, offset: int = 0, limit: int = PAGE_SIZE) -> list[CaseListRow]:
    """One page of the cases `actor` may see, filtered and sorted in the database."""
    require(actor, Action.READ_CASE)
    column = _sort_column(actor, sort.key)
    order = [column.desc().nulls_last(), CaseRow.id.desc()] if sort.descending else \
        [column.asc().nulls_last(), CaseRow.id.asc()]
    stmt = _filtered(select(*_list_columns(actor)), actor, filt).order_by(*order).offset(offset).limit(limit)
    today = clock.today()
    with uow:
        return [
            CaseListRow(r.id, r.reference, r.received_date, r.list_subjects, _split(r.list_abuse_types),
                        r.list_risk, r.list_restriction, r.list_body, r.list_external, r.status,
                        _split(r.list_flags), r.next_due_date,
                        r.next_due_date is not None and r.next_due_date < today)
            for r in uow.session.execute(stmt)
        ]


def count_cases(uow: UnitOfWork, actor: User, filt: CaseFilter = CaseFilter()) -> int:
    require(actor, Action.READ_CASE)
    with uow:
        return int(uow.session.scalar(_filtered(select(func.count(CaseRow.id)), actor, filt)) or 0)


def case_years(uow: UnitOfWork, actor: User) -> list[int]:
    """The calendar years of receipt the year filter offers, newest first."""
    require(actor, Action.READ_CASE)
    stmt = select(func.min(CaseRow.received_date), func.max(CaseRow.received_date)).where(visible_clause(actor))
    with uow:
        first, last = uow.session.execute(stmt).one()
    return list(range(last.year, first.year - 1, -1)) if first and last else []


# ---- the case view --------------------------------------------------------------------------

@dataclass(frozen=True)
class AllegationView:
    id: int
    subject_person_id: int
    subject: str
    subject_staff_number: str
    abuse_types: tuple[str, ...]
    aggravating_features: tuple[str, ...]
    breaches: tuple[str, ...]
    conduct_from: date | None
    conduct_to: date | None
    criminal: bool
    crime_ref: str | None
    victim_refs: tuple[str, ...]


@dataclass(frozen=True)
class VictimView:
    """A victim without contact details: those come only from `reveal_victim_contact`."""

    id: int
    reference: str
    relationship: str
    police_workforce: str
    colleague_staff_number: str | None  # the same-force colleague the victim is linked to
    sex: str | None
    age_band: str | None
    dash_risk: str | None
    dash_date: date | None
    dash_assessor: str | None  # the assessor's user name
    marac_referred: bool
    advocate_offered: bool
    advocate_accepted: bool
    has_contact_details: bool


@dataclass(frozen=True)
class TimelineEntry:
    id: int
    kind: str
    effective_date: date
    subject: str | None
    decided_by: str
    rationale: str | None
    approved_by: str | None
    details: tuple[tuple[str, str], ...]
    proposed_by: str | None = None  # the investigator whose proposal the decider approved


@dataclass(frozen=True)
class TeamMember:
    name: str
    role: str
    declared_no_prior_connection: bool


@dataclass(frozen=True)
class CaseDetail:
    id: int
    reference: str
    received_date: date
    reporting_route: str
    case_type: str
    status: str
    crime_refs: tuple[str, ...]
    closed_date: date | None
    imported_from: str | None
    allegations: tuple[AllegationView, ...]
    victims: tuple[VictimView, ...]
    victim_details_withheld: bool
    timeline: tuple[TimelineEntry, ...]
    team: tuple[TeamMember, ...]
    version: int = 0  # the case's version when read: writes pass it as expected_version


def _readable_case(session: Session, actor: User, case_id: int) -> tuple[CaseRow, bool]:
    """The case and whether `actor` reads it in full (False: as IOPC liaison, without victims)."""
    require(actor, Action.READ_CASE)
    row = session.get(CaseRow, case_id)
    if row is None:
        raise NotFound(f"There is no case with id {case_id}.")
    full = session.scalar(select(CaseRow.id).where(CaseRow.id == case_id, visible_clause(actor, via_iopc=False)))
    if full is None and session.scalar(select(CaseRow.id).where(CaseRow.id == case_id, visible_clause(actor))) is None:
        raise PermissionDenied(
            f"You may not open case {row.reference}: only its case team and supervisors (and the IOPC "
            "liaison, once referred) may, and never someone connected to a subject or victim.")
    return row, full is not None


def _readable_or_logged(session: Session, actor: User, case_id: int, record_type: str, record_id: object,
                        what: str) -> tuple[CaseRow, bool]:
    """`_readable_case`, with a refusal written to the access log as a refused consultation."""
    try:
        return _readable_case(session, actor, case_id)
    except PermissionDenied:
        if record_type == "case":
            record_id = session.scalar(select(CaseRow.reference).where(CaseRow.id == case_id)) or case_id
        audit.record_refusal(session, actor, AccessOperation.CONSULTATION, record_type, record_id, what)
        raise


def open_case(uow: UnitOfWork, actor: User, case_id: int, reason: str | None = None) -> CaseDetail:
    """The read-only case view. Opening it is logged as a consultation (with any reason given), as is a refusal."""
    with uow:
        row, full = _readable_or_logged(uow.session, actor, case_id, "case", case_id, "case opening")
        snap = load_snapshots(uow.session, [case_id])[case_id]
        detail = dataclasses.replace(_detail(uow.session, snap, full), version=row.version)
        audit.record(uow.session, actor, AccessOperation.CONSULTATION, "case", row.reference,
                     reason=(reason or "").strip() or None, detail="case opened")
        uow.commit()
    return detail


def _detail(session: Session, snap: CaseSnapshot, full: bool) -> CaseDetail:
    c = snap.case
    user_ids = {d.decided_by for d in snap.decisions} | {d.approved_by for d in snap.decisions} | \
        {d.imported_by for d in snap.decisions} | {a.user_id for a in snap.assignments} | \
        {_proposer(d.payload) for d in snap.decisions}
    known = [u for u in user_ids if u is not None]
    names: dict[int | None, str] = {}
    if known:
        names.update((uid, name) for uid, name in session.execute(
            select(UserRow.id, UserRow.display_name).where(UserRow.id.in_(known))))
    allegations = tuple(_allegation_view(a.id or 0, snap) for a in snap.allegations)
    subject_of: dict[int | None, str] = {a.id: a.subject for a in allegations}
    victims = _victims(session, c.id or 0) if full else ()
    shown = [d for d in snap.decisions if full or d.kind != DecisionKind.VICTIM_UPDATE]  # a victim detail
    ordered = sorted(enumerate(shown), key=lambda p: (p[1].effective_date, p[0]))
    timeline = tuple(
        TimelineEntry(d.id or 0, d.kind.name, d.effective_date, subject_of.get(d.allegation_id),
                      _imported_text(d, names) if d.imported_from else names.get(d.decided_by, "—"),
                      d.rationale, names.get(d.approved_by) if d.approved_by else None, _details(d.payload),
                      names.get(_proposer(d.payload)) if _proposer(d.payload) else None)
        for _, d in ordered)
    team = tuple(TeamMember(names.get(a.user_id, "—"), a.role, a.declared_no_prior_connection)
                 for a in snap.assignments)
    return CaseDetail(c.id or 0, c.reference, c.received_date, c.reporting_route.name, c.case_type.name,
                      c.status.name, c.crime_refs, c.closed_date, c.imported_from, allegations, victims,
                      not full, timeline, team)


def _imported_text(d: Decision, names: dict[int | None, str]) -> str:
    """"imported from FILE by NAME" (older imports did not record who ran them)."""
    by = f" by {names[d.imported_by]}" if d.imported_by in names else ""
    return f"imported from {d.imported_from}{by}"


def _allegation_view(aid: int, snap: CaseSnapshot) -> AllegationView:
    a = next(x for x in snap.allegations if x.id == aid)
    p = snap.subjects[a.subject_id]
    return AllegationView(aid, a.subject_id, f"{p.surname}, {p.forenames}", p.staff_number,
                          tuple(sorted(t.name for t in a.abuse_types)),
                          tuple(sorted(t.name for t in a.aggravating_features)),
                          tuple(sorted(t.name for t in a.breaches)), a.conduct_from, a.conduct_to,
                          a.criminal, a.crime_ref, a.victim_refs)


def _victims(session: Session, case_id: int) -> tuple[VictimView, ...]:
    stmt = (select(VictimRow, PersonRow.staff_number, UserRow.username).where(VictimRow.case_id == case_id)
            .outerjoin(PersonRow, PersonRow.id == VictimRow.person_id)
            .outerjoin(UserRow, UserRow.id == VictimRow.dash_assessor_user_id).order_by(VictimRow.id))
    return tuple(VictimView(v.id, v.reference, v.relationship_to_subject, v.police_workforce, staff, v.sex,
                            v.age_band, v.dash_risk, v.dash_date, assessor, v.marac_referred, v.advocate_offered,
                            v.advocate_accepted, bool(v.contact_details)) for v, staff,
                            assessor in session.execute(stmt))


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def _proposer(payload: dict[str, Any]) -> int | None:
    """Who proposed a decision that a supervisor decided by approving it (the user's id)."""
    value = payload.get("proposed_by")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _details(payload: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """A decision's recorded values as (label, text) pairs, in the order they were recorded (who
    proposed it is shown by name, as `proposed_by`, not here)."""
    return tuple((k.replace("_", " "), _text(v)) for k, v in payload.items()
                 if v not in (None, [], "") and k != "proposed_by")


def reveal_victim_contact(uow: UnitOfWork, actor: User, victim_id: int, reason: str) -> str:
    """A victim's contact details, for a user who reads the case in full and gives a reason.
    The reveal is logged as a consultation with the reason. Returns "" when none are recorded."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise InvalidInput("Say why you need the victim's contact details (the reason is kept in the access log).")
    with uow:
        victim = uow.session.get(VictimRow, victim_id)
        if victim is None:
            raise NotFound(f"There is no victim with id {victim_id}.")
        row, full = _readable_or_logged(uow.session, actor, victim.case_id, "victim_contact", victim_id,
                                        "victim contact details")
        if not full:
            audit.record_refusal(uow.session, actor, AccessOperation.CONSULTATION, "victim_contact", victim_id,
                                 "victim contact details")
            raise PermissionDenied("Victim details are not shown to the IOPC liaison: ask the case team.")
        contact = victim.contact_details or ""
        audit.record(uow.session, actor, AccessOperation.CONSULTATION, "victim_contact", victim.id, reason=reason,
                     detail=f"contact details of victim {victim.reference} in case {row.reference} revealed")
        uow.commit()
    return contact


def find_case(uow: UnitOfWork, reference: str) -> int:
    """The id of the case with this reference, exactly or in any letter case (whether the user may
    reach it is checked by the action that follows)."""
    text = reference.strip()
    with uow:
        found = uow.session.scalar(select(CaseRow.id).where(CaseRow.reference == text)) or uow.session.scalar(
            select(CaseRow.id).where(func.upper(CaseRow.reference) == text.upper()))
    if found is None:
        raise NotFound(f"There is no case {text}.")
    return found
