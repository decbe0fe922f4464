"""The plain inputs of the independence rule (DOMAIN.md §3.3) read from the database: the people
on the subjects' line-management chains, a user's Person, and declared associations.

A declaration about a victim is stored as a case-level association (the victim need not be in
the workforce register) whose note begins with `[victim REF]`; a declaration about the case as a
whole has neither an associate nor a victim and conflicts with everything in that case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.enums import AssignmentRole
from app.domain.errors import RuleRefused
from app.domain.records import CaseSnapshot, Person
from app.domain.workflow import Association, check_independence
from app.persistence.models import AssociateRow, PersonRow, UserRow, VictimRow
from app.services.case_state import person_record

_VICTIM_NOTE = re.compile(r"^\[victim ([^\]]+)\]")


def victim_note(victim_ref: str, note: str | None) -> str:
    text = f"[victim {victim_ref}]"
    return f"{text} {note.strip()}" if note and note.strip() else text


def noted_victim(note: str | None) -> str | None:
    found = _VICTIM_NOTE.match(note or "")
    return found.group(1) if found else None


def people_for(session: Session, subjects: Iterable[Person]) -> dict[int, Person]:
    """The subjects and their line managers two levels up, by person id."""
    people = {p.id: p for p in subjects if p.id is not None}
    wanted = {p.line_manager_id for p in people.values() if p.line_manager_id is not None}
    for _ in range(2):
        wanted -= set(people)
        if not wanted:
            break
        found = [person_record(r) for r in session.scalars(select(PersonRow).where(PersonRow.id.in_(wanted)))]
        people.update({p.id: p for p in found if p.id is not None})
        wanted = {p.line_manager_id for p in found if p.line_manager_id is not None}
    return people


def user_person(session: Session, user_id: int | None) -> Person | None:
    """The workforce-register record linked to a user account (None when not linked)."""
    if user_id is None:
        return None
    row = session.scalar(select(PersonRow).join(UserRow,
                                                UserRow.person_id == PersonRow.id).where(UserRow.id == user_id))
    return person_record(row) if row is not None else None


def associations_of(session: Session, person_id: int, case_id: int | None) -> list[Association]:
    """Declared associations involving the person (either side), with the case's victims."""
    found = []
    rows = session.scalars(select(AssociateRow).where(
        or_(AssociateRow.person_id == person_id, AssociateRow.associate_person_id == person_id)))
    for row in rows:
        if row.associate_person_id is not None:
            found.append(Association(row.person_id, other_person_id=row.associate_person_id))
        victim = noted_victim(row.note)
        if victim is not None and case_id is not None and row.case_id == case_id:
            found.append(Association(row.person_id, victim_ref=victim))
    return found


def declared_on_case(session: Session, person_id: int, case_id: int) -> bool:
    return session.scalar(select(AssociateRow.id).where(
        AssociateRow.person_id == person_id, AssociateRow.case_id == case_id).limit(1)) is not None


def victim_person_ids(session: Session, case_id: int) -> set[int]:
    return {pid for pid in session.scalars(select(VictimRow.person_id).where(
        VictimRow.case_id == case_id, VictimRow.person_id.is_not(None))) if pid is not None}


def require_independent(session: Session, snapshot: CaseSnapshot, candidate: Person | None,
                        role: AssignmentRole, extra_victim_person_ids: Iterable[int] = ()) -> None:
    """Refuse a candidate who is not independent of the case, saying why (RuleRefused)."""
    if candidate is None or candidate.id is None:
        return
    case_id = snapshot.case.id
    victims = set(extra_victim_person_ids) | (victim_person_ids(session, case_id) if case_id else set())
    check_independence(candidate, role, snapshot.subjects.values(), people_for(session, snapshot.subjects.values()),
                       associations_of(session, candidate.id, case_id),
                       victim_refs={v.reference for v in snapshot.victims}, victim_person_ids=victims)
    if case_id is not None and declared_on_case(session, candidate.id, case_id):
        raise RuleRefused(
            f"{candidate.full_name} cannot be the {role.name.lower().replace('_', ' ')}: they have "
            "declared a connection to this case. Choose someone independent.")


def independence_inputs(session: Session, snapshot: CaseSnapshot, candidate: Person | None) -> tuple[
        Mapping[int, Person], list[Association], set[int]]:
    """What `workflow.assign` needs besides the snapshot: people, associations, victim person ids."""
    case_id = snapshot.case.id
    associations = associations_of(session, candidate.id, case_id) if candidate and candidate.id else []
    victims = victim_person_ids(session, case_id) if case_id is not None else set()
    return people_for(session, snapshot.subjects.values()), associations, victims
