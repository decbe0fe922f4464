"""Read-side services for the People screens: the workforce register, searched and paged in SQL,
and a person's page (opening it is logged as a consultation). A person's cases are listed only
as far as the reader may see them (app.services.case_queries.visible_clause)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session

from app.domain.enums import AbuseType, AccessOperation, AggravatingFeature, DashRisk
from app.domain.errors import InvalidInput, NotFound
from app.domain.permissions import Action, allowed, require
from app.domain.records import User
from app.domain.workflow import ranking
from app.domain.workflow.flags import AllegationSummary
from app.domain.workflow.ranking import HarmScore
from app.persistence.models import AllegationRow, CaseRow, PersonRow, PreviousForceRow, PreviousNameRow
from app.persistence.uow import UnitOfWork
from app.services import audit, clock, policies
from app.services.case_queries import like_pattern, visible_clause
from app.services.case_state import subject_flags

PAGE_SIZE = 200
SelectT = TypeVar("SelectT", bound="Select[*tuple[Any, ...]]")


@dataclass(frozen=True)
class PersonListRow:
    id: int
    staff_number: str
    surname: str
    forenames: str
    previous_names: str
    workforce_type: str
    rank_or_grade: str | None
    unit: str | None
    employment_status: str


def _search(stmt: SelectT, text: str) -> SelectT:
    """Every word must appear in the staff or warrant number, a name or a previous name. Commas
    separate words too, so "Green, Kate" (the register's own way of writing a name) finds her."""
    stmt = stmt.where(PersonRow.anonymised.is_(False))  # retention stubs are not in the register
    for term in text.lower().replace(",", " ").split():
        pattern = like_pattern(term)
        stmt = stmt.where(or_(
            func.lower(PersonRow.staff_number).like(pattern, escape="\\"),
            func.lower(PersonRow.warrant_number).like(pattern, escape="\\"),
            func.lower(PersonRow.surname).like(pattern, escape="\\"),
            func.lower(PersonRow.forenames).like(pattern, escape="\\"),
            exists().where(PreviousNameRow.person_id == PersonRow.id,
                           func.lower(PreviousNameRow.full_name).like(pattern, escape="\\")),
        ))
    return stmt


def _previous_names(session: Session, ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    if ids:
        stmt = select(PreviousNameRow.person_id, PreviousNameRow.full_name).where(
            PreviousNameRow.person_id.in_(ids)).order_by(PreviousNameRow.id)
        for pid, name in session.execute(stmt):
            names.setdefault(pid, []).append(name)
    return names


def search_people(uow: UnitOfWork, actor: User, text: str = "", *, offset: int = 0,
                  limit: int = PAGE_SIZE) -> list[PersonListRow]:
    """One page of the workforce register, by surname, forenames and staff number."""
    require(actor, Action.READ_PEOPLE)
    stmt = _search(select(PersonRow.id, PersonRow.staff_number, PersonRow.surname, PersonRow.forenames,
                          PersonRow.workforce_type, PersonRow.rank_or_grade, PersonRow.unit,
                          PersonRow.employment_status), text)
    stmt = stmt.order_by(PersonRow.surname, PersonRow.forenames, PersonRow.id).offset(offset).limit(limit)
    with uow:
        rows = uow.session.execute(stmt).all()
        previous = _previous_names(uow.session, [r.id for r in rows])
    return [PersonListRow(r.id, r.staff_number, r.surname, r.forenames, "; ".join(previous.get(r.id, [])),
                          r.workforce_type, r.rank_or_grade, r.unit, r.employment_status) for r in rows]


def count_people(uow: UnitOfWork, actor: User, text: str = "") -> int:
    require(actor, Action.READ_PEOPLE)
    with uow:
        return int(uow.session.scalar(_search(select(func.count(PersonRow.id)), text)) or 0)


@dataclass(frozen=True)
class PersonCase:
    case_id: int
    reference: str
    received_date: date
    recorded_date: date
    status: str
    abuse_types: tuple[str, ...]
    restriction: str


@dataclass(frozen=True)
class PersonDetail:
    id: int
    staff_number: str
    warrant_number: str | None
    surname: str
    forenames: str
    previous_names: tuple[str, ...]
    date_of_birth: date
    sex: str | None
    ethnicity: str | None
    workforce_type: str
    rank_or_grade: str | None
    unit: str | None
    line_manager: str | None
    role_flags: tuple[str, ...]
    employment_status: str
    start_date: date | None
    end_date: date | None
    previous_forces: tuple[str, ...]
    vetting_level: str | None
    vetting_review_due: date | None
    list_status: str
    cases: tuple[PersonCase, ...]
    cases_shown: bool  # False: the reader may not see case content at all
    flags: tuple[str, ...] = ()  # PRIOR_NOTICE, REPEAT, SERIAL
    flag_reasons: tuple[str, ...] = ()
    harm: HarmScore | None = None  # the RFGV score, when the person has allegations the reader may see


def open_person(uow: UnitOfWork, actor: User, person_id: int) -> PersonDetail:
    """A person's page: register details and the cases (as subject) the reader may see. Logged."""
    require(actor, Action.READ_PEOPLE)
    with uow:
        p = uow.session.get(PersonRow, person_id)
        if p is None:
            raise NotFound(f"There is no person with id {person_id} in the workforce register.")
        detail = _person_detail(uow.session, actor, p)
        audit.record(uow.session, actor, AccessOperation.CONSULTATION, "person", p.id, detail="person page opened")
        uow.commit()
    return detail


def _person_detail(session: Session, actor: User, p: PersonRow) -> PersonDetail:
    manager = session.get(PersonRow, p.line_manager_id) if p.line_manager_id else None
    forces = tuple(session.scalars(select(PreviousForceRow.force_code).where(
        PreviousForceRow.person_id == p.id).order_by(PreviousForceRow.id)))
    names = tuple(_previous_names(session, [p.id]).get(p.id, []))
    shown = allowed(actor, Action.READ_CASE)
    cases = _cases_of(session, actor, p.id) if shown else ()
    flags, reasons, harm = _flags_and_harm(session, actor, p.id) if shown else ((), (), None)
    return PersonDetail(
        p.id, p.staff_number, p.warrant_number, p.surname, p.forenames, names, p.date_of_birth, p.sex,
        p.ethnicity, p.workforce_type, p.rank_or_grade, p.unit,
        f"{manager.surname}, {manager.forenames} ({manager.staff_number})" if manager else None,
        tuple(f for f in p.role_flags.split(";") if f), p.employment_status, p.start_date, p.end_date, forces,
        p.vetting_level, p.vetting_review_due, p.list_status, cases, shown, flags, reasons, harm)


def _flags_and_harm(session: Session, actor: User, person_id: int) -> tuple[tuple[str, ...], tuple[str, ...],
                                                                            HarmScore | None]:
    today = clock.today()
    policy_set = policies.load(session)
    f = subject_flags(session, [person_id], policy_set, today).get(person_id)
    names = tuple(n for n, on in (("PRIOR_NOTICE", f and f.prior_notice), ("REPEAT", f and f.repeat),
                                  ("SERIAL", f and f.serial)) if on)
    summaries = _summaries(session, actor, [person_id])
    harm = ranking.harm_ranking(summaries, policy_set, today)[0] if summaries else None
    return names, (f.reasons if f else ()), harm


def _summaries(session: Session, actor: User, person_ids: Sequence[int] | None = None) -> list[AllegationSummary]:
    """The allegations in cases `actor` may see, as the domain's plain summaries (victims keyed
    within their case): a harm score never draws on cases its reader may not know of."""
    stmt = (select(AllegationRow.subject_id, AllegationRow.recorded_date, AllegationRow.victim_refs,
                   AllegationRow.abuse_types, AllegationRow.aggravating_features, AllegationRow.conduct_from,
                   CaseRow.reference, CaseRow.list_risk, AllegationRow.id)
            .join(CaseRow, CaseRow.id == AllegationRow.case_id).where(visible_clause(actor)))
    if person_ids is not None:
        stmt = stmt.where(AllegationRow.subject_id.in_(list(person_ids)))
    return [AllegationSummary(
        subject_id=r.subject_id, recorded_date=r.recorded_date,
        victim_keys=tuple(f"{r.reference}/{v}" for v in r.victim_refs.split(";") if v),
        abuse_types=frozenset(AbuseType[t] for t in r.abuse_types.split(";") if t in AbuseType.__members__),
        aggravating_features=frozenset(AggravatingFeature[t] for t in r.aggravating_features.split(";")
                                       if t in AggravatingFeature.__members__),
        dash_risk=DashRisk[r.list_risk] if r.list_risk in DashRisk.__members__ else None,
        case_ref=r.reference, allegation_id=r.id, conduct_date=r.conduct_from) for r in session.execute(stmt)]


@dataclass(frozen=True)
class RankedPerson:
    person_id: int
    staff_number: str
    name: str
    unit: str | None
    harm: HarmScore


def harm_ranking(uow: UnitOfWork, actor: User, limit: int = 20) -> list[RankedPerson]:
    """The `limit` subjects of highest harm (RFGV), each score explained. For supervisors; logged."""
    require(actor, Action.DECIDE)
    if limit < 1:
        raise InvalidInput("Show at least one person.")
    with uow:
        s = uow.session
        top = ranking.harm_ranking(_summaries(s, actor), policies.load(s), clock.today())[:limit]
        people = {p.id: p for p in s.scalars(select(PersonRow).where(PersonRow.id.in_([h.subject_id for h in top])))}
        audit.record(s, actor, AccessOperation.CONSULTATION, "harm_ranking", None, detail=f"top {limit} by RFGV")
        uow.commit()
    return [RankedPerson(h.subject_id, people[h.subject_id].staff_number,
                         f"{people[h.subject_id].surname}, {people[h.subject_id].forenames}",
                         people[h.subject_id].unit, h) for h in top if h.subject_id in people]


def _cases_of(session: Session, actor: User, person_id: int) -> tuple[PersonCase, ...]:
    stmt = (select(CaseRow.id, CaseRow.reference, CaseRow.received_date, AllegationRow.recorded_date,
                   CaseRow.status, AllegationRow.abuse_types, CaseRow.list_restriction)
            .join(AllegationRow, AllegationRow.case_id == CaseRow.id)
            .where(AllegationRow.subject_id == person_id, visible_clause(actor))
            .order_by(CaseRow.received_date.desc(), CaseRow.id.desc()))
    return tuple(PersonCase(r.id, r.reference, r.received_date, r.recorded_date, r.status,
                            tuple(t for t in r.abuse_types.split(";") if t), r.list_restriction)
                 for r in session.execute(stmt))
