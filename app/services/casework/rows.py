"""Turning validated intake values into rows, looking up the people and users they name."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import AssignmentRole, VictimWorkforce
from app.domain.records import CaseSnapshot
from app.persistence.models import AllegationRow, PersonRow, UserRow, VictimRow
from app.services.casework.connections import require_independent, user_person
from app.services.casework.inputs import AllegationInput, VictimInput, refuse


def names(values: frozenset | tuple) -> str:  # type: ignore[type-arg]
    return ";".join(sorted(getattr(v, "name", str(v)) for v in values))


def person_id(session: Session, field: str, staff_number: str) -> int:
    found = session.scalar(select(PersonRow.id).where(PersonRow.staff_number == staff_number.strip()))
    if found is None:
        raise refuse(field, f"{staff_number.strip()} is not in the workforce register.")
    return found


def check_after_birth(session: Session, field: str, subject_id: int, a: AllegationInput) -> None:
    """The conduct cannot be dated before the subject was born (the import's rule too:
    app.services.imports.case_checks)."""
    born = session.scalar(select(PersonRow.date_of_birth).where(PersonRow.id == subject_id))
    if born is None:
        return
    for name, day in (("conduct_from", a.conduct_from), ("conduct_to", a.conduct_to)):
        if day is not None and day < born:
            raise refuse(f"{field}.{name}", f"{day.isoformat()} is before the subject's date of birth.")


def assessor_id(session: Session, field: str, username: str | None) -> int | None:
    if not username:
        return None
    row = session.scalar(select(UserRow).where(func.lower(UserRow.username) == username.strip().lower()))
    if row is None or not row.active:
        raise refuse(field, f"there is no active user called '{username.strip()}'.")
    return row.id


def victim_values(session: Session, field: str, v: VictimInput) -> dict[str, object]:
    """Column values of a VictimRow (without case_id)."""
    linked = person_id(session, f"{field}.staff_number", v.staff_number) if v.staff_number else None
    return {
        "reference": v.reference.strip(), "relationship_to_subject": v.relationship.name,
        "police_workforce": v.police_workforce.name, "person_id": linked,
        "sex": v.sex.name if v.sex else None, "age_band": v.age_band.name if v.age_band else None,
        "dash_risk": v.dash_risk.name if v.dash_risk else None, "dash_date": v.dash_date,
        "dash_assessor_user_id": assessor_id(session, f"{field}.dash_assessor", v.dash_assessor),
        "marac_referred": v.marac_referred, "advocate_offered": v.advocate_offered,
        "advocate_accepted": v.advocate_accepted,
        "contact_details": v.contact_details.strip() if v.contact_details and v.contact_details.strip() else None,
    }


def victim_input(row: VictimRow, assessor: str | None, staff_number: str | None) -> VictimInput:
    """The stored victim as an input, so an update can be merged and checked as a whole."""
    from app.domain.enums import AgeBand, DashRisk, Sex, VictimRelationship

    return VictimInput(
        row.reference, VictimRelationship[row.relationship_to_subject], VictimWorkforce[row.police_workforce],
        staff_number, Sex[row.sex] if row.sex else None, AgeBand[row.age_band] if row.age_band else None,
        DashRisk[row.dash_risk] if row.dash_risk else None, row.dash_date, assessor, row.marac_referred,
        row.advocate_offered, row.advocate_accepted, row.contact_details)


def allegation_values(a: AllegationInput) -> dict[str, object]:
    """Column values of an AllegationRow (without case_id, subject_id and recorded_date)."""
    return {
        "victim_refs": ";".join(r.strip() for r in a.victim_refs),
        "abuse_types": names(a.abuse_types), "aggravating_features": names(a.aggravating_features),
        "breaches": names(a.breaches), "conduct_from": a.conduct_from, "conduct_to": a.conduct_to,
        "criminal": a.criminal, "crime_ref": a.crime_ref.strip() if a.crime_ref else None,
        "summary": a.summary.strip() if a.summary and a.summary.strip() else None,
    }


def check_not_own_victim(field: str, subject_id: int, victim_people: set[int]) -> None:
    if subject_id in victim_people:
        raise refuse(field, "the subject of an allegation cannot also be its victim.")


def victim_people(session: Session, case_id: int, refs: tuple[str, ...]) -> set[int]:
    return {pid for pid in session.scalars(select(VictimRow.person_id).where(
        VictimRow.case_id == case_id, VictimRow.reference.in_(refs))) if pid is not None}


def check_assessors(session: Session, snapshot: CaseSnapshot) -> None:
    """Every victim's DASH assessor must be independent of the case's subjects and victims."""
    for v in snapshot.victims:
        if v.dash_assessor_user_id is not None:
            require_independent(session, snapshot, user_person(session, v.dash_assessor_user_id),
                                AssignmentRole.DASH_ASSESSOR)


def new_allegation(case_id: int, subject: int, recorded: object, a: AllegationInput) -> AllegationRow:
    return AllegationRow(case_id=case_id, subject_id=subject, recorded_date=recorded, **allegation_values(a))
