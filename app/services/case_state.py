"""Loading case snapshots (plain domain records) from the database, many at a time, and deriving
the state the lists show from them with the domain's rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from app.domain import workflow as wf
from app.domain.enums import (
    AbuseType,
    AgeBand,
    AggravatingFeature,
    BreachType,
    CaseStatus,
    CaseType,
    DashRisk,
    DecisionKind,
    EmploymentStatus,
    Ethnicity,
    ListStatus,
    ReportingRoute,
    RoleFlag,
    Sex,
    VictimRelationship,
    VictimWorkforce,
    WorkforceType,
)
from app.domain.policy import PolicySet
from app.domain.records import Allegation, Assignment, Case, CaseSnapshot, Decision, Person, Victim
from app.domain.workflow.flags import AllegationSummary, PersonFlags, person_flags
from app.domain.workflow.investigation import HOME, investigating_body
from app.persistence.models import AllegationRow, CaseMemberRow, CaseRow, DecisionRow, PersonRow, VictimRow

E = TypeVar("E", bound=Enum)

def _set(kind: type[E], text: str | None) -> frozenset[E]:
    return frozenset(kind[t] for t in (text or "").split(";") if t)


def _opt(kind: type[E], text: str | None) -> E | None:
    return kind[text] if text else None


def person_record(row: PersonRow, previous_names: tuple[str, ...] = ()) -> Person:
    return Person(
        id=row.id, staff_number=row.staff_number, surname=row.surname, forenames=row.forenames,
        date_of_birth=row.date_of_birth, workforce_type=WorkforceType[row.workforce_type],
        warrant_number=row.warrant_number, previous_names=previous_names, sex=_opt(Sex, row.sex),
        ethnicity=_opt(Ethnicity, row.ethnicity), rank_or_grade=row.rank_or_grade, unit=row.unit,
        line_manager_id=row.line_manager_id, role_flags=_set(RoleFlag, row.role_flags),
        employment_status=EmploymentStatus[row.employment_status], start_date=row.start_date,
        end_date=row.end_date, vetting_level=row.vetting_level, vetting_review_due=row.vetting_review_due,
        list_status=ListStatus[row.list_status],
    )


def case_record(row: CaseRow) -> Case:
    return Case(
        id=row.id, reference=row.reference, received_date=row.received_date,
        reporting_route=ReportingRoute[row.reporting_route], case_type=CaseType[row.case_type],
        status=CaseStatus[row.status], crime_refs=tuple(r for r in row.crime_refs.split(";") if r),
        closed_date=row.closed_date, imported_from=row.imported_from, version=row.version,
    )


def victim_record(row: VictimRow) -> Victim:
    return Victim(
        id=row.id, reference=row.reference, relationship=VictimRelationship[row.relationship_to_subject],
        police_workforce=VictimWorkforce[row.police_workforce], sex=_opt(Sex, row.sex),
        age_band=_opt(AgeBand, row.age_band), dash_risk=_opt(DashRisk, row.dash_risk), dash_date=row.dash_date,
        dash_assessor_user_id=row.dash_assessor_user_id, marac_referred=row.marac_referred,
        advocate_offered=row.advocate_offered, advocate_accepted=row.advocate_accepted,
        contact_details=row.contact_details,
    )


def allegation_record(row: AllegationRow) -> Allegation:
    return Allegation(
        id=row.id, subject_id=row.subject_id, victim_refs=tuple(v for v in row.victim_refs.split(";") if v),
        abuse_types=_set(AbuseType, row.abuse_types),
        aggravating_features=_set(AggravatingFeature, row.aggravating_features),
        breaches=_set(BreachType, row.breaches), conduct_from=row.conduct_from, conduct_to=row.conduct_to,
        criminal=row.criminal, crime_ref=row.crime_ref, summary=row.summary,
    )


def decision_record(row: DecisionRow) -> Decision:
    return Decision(
        id=row.id, kind=DecisionKind[row.kind], payload=dict(row.payload or {}), decided_by=row.decided_by,
        decided_at=row.decided_at, effective_date=row.effective_date, allegation_id=row.allegation_id,
        rationale=row.rationale, options_considered=tuple(row.options_considered or ()),
        approved_by=row.approved_by, approved_at=row.approved_at, imported_from=row.imported_from,
        supersedes_id=row.supersedes_id, imported_by=row.imported_by,
    )


def _rows(session: Session, model: Any, where: Any, order: Any = None) -> list[Any]:
    stmt = select(model.__table__).where(where)
    return list(session.execute(stmt.order_by(order) if order is not None else stmt))


def _grouped(rows: list[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.case_id].append(row)
    return grouped


def load_snapshots(session: Session, case_ids: Sequence[int]) -> dict[int, CaseSnapshot]:
    """Snapshots of many cases with a fixed number of queries (not one per case).

    Plain rows, not ORM objects: a snapshot is read-only, and for tens of thousands of cases
    (imports, the projection, reports) identity-mapped objects cost several times more."""
    session.flush()
    ids = list(case_ids)
    cases = {c.id: c for c in _rows(session, CaseRow, CaseRow.id.in_(ids))}
    allegations = _grouped(_rows(session, AllegationRow, AllegationRow.case_id.in_(ids), AllegationRow.id))
    victims = _grouped(_rows(session, VictimRow, VictimRow.case_id.in_(ids), VictimRow.id))
    decisions = _grouped(_rows(session, DecisionRow, DecisionRow.case_id.in_(ids), DecisionRow.id))
    members = _grouped(_rows(session, CaseMemberRow,
                             and_(CaseMemberRow.case_id.in_(ids), CaseMemberRow.ended_at.is_(None))))
    subject_ids = {a.subject_id for rows in allegations.values() for a in rows}
    people = {p.id: person_record(p)
              for p in _rows(session, PersonRow, PersonRow.id.in_(subject_ids))} if subject_ids else {}
    return {
        cid: CaseSnapshot(
            case=case_record(c),
            allegations=tuple(allegation_record(a) for a in allegations[cid]),
            victims=tuple(victim_record(v) for v in victims[cid]),
            subjects={a.subject_id: people[a.subject_id] for a in allegations[cid]},
            decisions=tuple(decision_record(d) for d in decisions[cid]),
            assignments=tuple(Assignment(m.user_id, m.role, m.declared_no_prior_connection, m.assigned_at)
                              for m in members[cid]),
        )
        for cid, c in cases.items()
    }


@dataclass(frozen=True)
class CaseListState:
    restriction: str
    body: str
    external: bool
    flags: tuple[str, ...]
    next_due: date | None


def subject_flags(session: Session, subject_ids: Sequence[int], policies: PolicySet,
                  on: date) -> dict[int, PersonFlags]:
    """Repeat / serial / prior-notice flags of these people, over all their allegations."""
    from app.persistence.models import NoticeMatchRow

    ids = list(subject_ids)
    if not ids:
        return {}
    summaries = [
        # Victim references are pseudonyms unique within a case, so a victim is (case, ref).
        AllegationSummary(subject_id=sid, recorded_date=rec,
                          victim_keys=tuple(f"{ref}/{v}" for v in refs.split(";") if v),
                          case_ref=ref, allegation_id=aid)
        for sid, rec, refs, ref, aid in session.execute(
            select(AllegationRow.subject_id, AllegationRow.recorded_date, AllegationRow.victim_refs,
                   CaseRow.reference, AllegationRow.id)
            .join(CaseRow, CaseRow.id == AllegationRow.case_id).where(AllegationRow.subject_id.in_(ids)))
    ]
    confirmed = set(session.scalars(select(NoticeMatchRow.person_id).where(
        NoticeMatchRow.person_id.in_(ids), NoticeMatchRow.state == "CONFIRMED")))
    return person_flags(summaries, policies, on, confirmed)


def derive_summaries(session: Session, case_ids: Sequence[int], policies: PolicySet,
                     today: date) -> dict[int, CaseListState]:
    snapshots = load_snapshots(session, case_ids)
    subjects = {sid for s in snapshots.values() for sid in s.subjects}
    flags = subject_flags(session, sorted(subjects), policies, today)
    return {cid: derive(s, policies, today, flags) for cid, s in snapshots.items()}


def derive(s: CaseSnapshot, policies: PolicySet, today: date, flags: dict[int, PersonFlags]) -> CaseListState:
    in_force: set[str] = set()
    bodies: set[str] = set()
    for a in s.allegations:
        assert a.id is not None
        in_force.update(o.name for o in wf.measures(s, a.id).in_force)
        body = investigating_body(s, a.id) or investigating_body(s)
        bodies.add(body or HOME)
    body = ", ".join(sorted(bodies)) or HOME
    marks: list[str] = []
    if wf.dismissal_expected(s, policies):
        marks.append("DISMISSAL_EXPECTED")
    for name, flag in (("REPEAT", "repeat"), ("SERIAL", "serial"), ("PRIOR_NOTICE", "prior_notice")):
        if any(getattr(flags[sid], flag) for sid in s.subjects if sid in flags):
            marks.append(name)
    due = wf.due_items(s, policies, today, explain_corrections=False)  # only the next due date is kept
    return CaseListState(
        restriction=", ".join(sorted(in_force)), body=body, external=any(b != HOME for b in bodies),
        flags=tuple(marks), next_due=min((i.due_date for i in due), default=None),
    )
