"""Independence of investigators, decision-makers and DASH assessors (DOMAIN.md §3.3).

A candidate must not be the subject, be in a subject's line-management chain (the line manager
and the line manager's manager) or unit, be a declared associate of a subject or victim, or be
a victim. Each assignee declares "no prior connection"; the declaration is recorded.

Plain inputs: the candidate's linked Person (None for someone outside the workforce register,
e.g. another force's investigator: only the declaration and associations by user apply), the
subjects, `people` (person_id -> Person) to walk the line chain, declared associations, and the
person ids of victims who are members of the workforce.

Payload ASSIGNMENT `{"user_id": int, "role": AssignmentRole name,
"declared_no_prior_connection": true, "person_id": int | None}` — allegation_id or None.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from app.domain.enums import AssignmentRole, DecisionKind
from app.domain.errors import RuleRefused
from app.domain.records import Assignment, CaseSnapshot, Decision, Person, User
from app.domain.workflow.common import Act, make_decision, require_open


@dataclass(frozen=True)
class Association:
    """A declared association of workforce member `person_id` with another person or a victim."""

    person_id: int
    other_person_id: int | None = None
    victim_ref: str | None = None


def _line_chain(subject: Person, people: Mapping[int, Person]) -> list[tuple[int, str]]:
    chain = []
    first = subject.line_manager_id
    if first is not None:
        chain.append((first, "line manager"))
        manager = people.get(first)
        if manager is not None and manager.line_manager_id is not None:
            chain.append((manager.line_manager_id, "second-level line manager"))
    return chain


def _associated(candidate_id: int, other: Person, associations: Iterable[Association]) -> bool:
    return any(
        {a.person_id, a.other_person_id} == {candidate_id, other.id} for a in associations
    )


def _subject_conflicts(
    candidate: Person, subject: Person, people: Mapping[int, Person], associations: Iterable[Association]
) -> list[str]:
    name = subject.full_name
    if candidate.id == subject.id:
        return [f"they are the subject ({name})"]
    found = [f"they are the {role} of the subject {name}"
             for pid, role in _line_chain(subject, people) if pid == candidate.id]
    if candidate.unit and subject.unit and candidate.unit.strip().lower() == subject.unit.strip().lower():
        found.append(f"they work in the same unit ({subject.unit}) as the subject {name}")
    if candidate.id is not None and _associated(candidate.id, subject, associations):
        found.append(f"they are a declared associate of the subject {name}")
    return found


def independence_conflicts(
    candidate: Person | None,
    subjects: Iterable[Person],
    people: Mapping[int, Person],
    associations: Iterable[Association] = (),
    *,
    victim_refs: Collection[str] = (),
    victim_person_ids: Collection[int] = (),
) -> list[str]:
    """Every reason the candidate is not independent of the case (empty: independent)."""
    if candidate is None:
        return []
    associations = list(associations)
    found: list[str] = []
    for subject in subjects:
        found += _subject_conflicts(candidate, subject, people, associations)
    if candidate.id is not None and candidate.id in victim_person_ids:
        found.append("they are a victim in the case")
    for a in associations:
        if a.person_id == candidate.id and a.victim_ref in victim_refs:
            found.append(f"they are a declared associate of the victim {a.victim_ref}")
    return found


def check_independence(
    candidate: Person | None,
    role: AssignmentRole,
    subjects: Iterable[Person],
    people: Mapping[int, Person],
    associations: Iterable[Association] = (),
    *,
    victim_refs: Collection[str] = (),
    victim_person_ids: Collection[int] = (),
) -> None:
    """Refuse a candidate who is not independent, saying why."""
    reasons = independence_conflicts(candidate, subjects, people, associations,
                                     victim_refs=victim_refs, victim_person_ids=victim_person_ids)
    if reasons and candidate is not None:  # someone with no workforce record has no conflicts
        who = candidate.full_name
        raise RuleRefused(
            f"{who} cannot be the {role.name.lower().replace('_', ' ')}: " + "; ".join(reasons)
            + ". An investigator, decision-maker or DASH assessor must have no connection to the "
            "subject or victim; choose someone independent."
        )


def assign(
    snapshot: CaseSnapshot,
    act: Act,
    user: User,
    role: AssignmentRole,
    *,
    candidate: Person | None,
    declared_no_prior_connection: bool,
    people: Mapping[int, Person],
    associations: Iterable[Association] = (),
    victim_person_ids: Collection[int] = (),
    allegation_id: int | None = None,
    on: date | None = None,
) -> Decision:
    """Assign `user` (whose linked Person is `candidate`) to the case in `role`."""
    require_open(snapshot)
    check_independence(candidate, role, snapshot.subjects.values(), people, associations,
                       victim_refs={v.reference for v in snapshot.victims},
                       victim_person_ids=victim_person_ids)
    if not declared_no_prior_connection:
        raise RuleRefused(
            f"{user.display_name} must declare having no prior connection to the subject or "
            "victim before being assigned."
        )
    payload = {"user_id": user.id, "role": role.name, "declared_no_prior_connection": True,
               "person_id": candidate.id if candidate else None}
    return make_decision(DecisionKind.ASSIGNMENT, act, payload, on=on, allegation_id=allegation_id)


def assignment_of(decision: Decision) -> Assignment:
    """The Assignment record an ASSIGNMENT decision stands for."""
    return Assignment(
        user_id=int(decision.payload["user_id"]),
        role=decision.payload["role"],
        declared_no_prior_connection=bool(decision.payload["declared_no_prior_connection"]),
        assigned_at=decision.decided_at,
    )
