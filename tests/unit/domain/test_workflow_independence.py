"""Independence of investigators, decision-makers and DASH assessors (DOMAIN.md §3.3)."""

from datetime import date

import pytest

from app.domain.enums import AssignmentRole, DecisionKind
from app.domain.errors import RuleRefused
from app.domain.workflow.independence import Association, assign, assignment_of, independence_conflicts
from tests.unit.domain.workflow_builders import INVESTIGATOR, SUPERVISOR, act, apply, person, snapshot

DAY = date(2025, 3, 4)
SUBJECT = person(100, "Carter", line_manager_id=200)
MANAGER = person(200, "Lane", unit="Response South", line_manager_id=300)
SECOND = person(300, "Hill", unit="Command", line_manager_id=400)
THIRD = person(400, "Ng", unit="Executive")
STRANGER = person(500, "Okafor", unit="PSD")
PEOPLE = {p.id: p for p in (SUBJECT, MANAGER, SECOND, THIRD, STRANGER) if p.id is not None}


def conflicts(candidate, associations=(), victim_person_ids=()):  # type: ignore[no-untyped-def]
    return independence_conflicts(candidate, [SUBJECT], PEOPLE, associations, victim_refs={"V1"},
                                  victim_person_ids=victim_person_ids)


@pytest.mark.parametrize(("candidate", "reason"), [
    (SUBJECT, "they are the subject (Alex Carter)"),
    (MANAGER, "they are the line manager of the subject Alex Carter"),
    (SECOND, "they are the second-level line manager of the subject Alex Carter"),
    (person(600, "Rowe", unit="response north"),
     "they work in the same unit (Response North) as the subject Alex Carter"),
])
def test_conflicts_with_the_subject(candidate, reason: str) -> None:  # type: ignore[no-untyped-def]
    assert reason in conflicts(candidate)


def test_declared_associations_and_being_the_victim_conflict() -> None:
    assert conflicts(STRANGER, [Association(100, 500)]) == [
        "they are a declared associate of the subject Alex Carter"]
    assert conflicts(STRANGER, [Association(500, victim_ref="V1")]) == [
        "they are a declared associate of the victim V1"]
    assert conflicts(STRANGER, victim_person_ids={500}) == ["they are a victim in the case"]


def test_independent_people_have_no_conflicts() -> None:
    assert conflicts(STRANGER) == []
    assert conflicts(THIRD) == []  # three levels up is outside the chain
    assert conflicts(None) == []  # outside the register (e.g. another force's investigator)


def test_assignment_is_refused_with_the_reason() -> None:
    s = snapshot(subjects=[SUBJECT])
    with pytest.raises(RuleRefused) as refused:
        assign(s, act(SUPERVISOR, DAY), INVESTIGATOR, AssignmentRole.DASH_ASSESSOR, candidate=MANAGER,
               declared_no_prior_connection=True, people=PEOPLE)
    assert refused.value.message == (
        "Alex Lane cannot be the dash assessor: they are the line manager of the subject Alex "
        "Carter. An investigator, decision-maker or DASH assessor must have no connection to the "
        "subject or victim; choose someone independent.")


def test_assignment_needs_the_no_prior_connection_declaration() -> None:
    with pytest.raises(RuleRefused, match="DC Investigator must declare having no prior connection"):
        assign(snapshot(subjects=[SUBJECT]), act(SUPERVISOR, DAY), INVESTIGATOR,
               AssignmentRole.INVESTIGATOR, candidate=STRANGER, declared_no_prior_connection=False,
               people=PEOPLE)


def test_assignment_records_the_declaration() -> None:
    s = snapshot(subjects=[SUBJECT])
    d = assign(s, act(SUPERVISOR, DAY), INVESTIGATOR, AssignmentRole.INVESTIGATOR,
               candidate=STRANGER, declared_no_prior_connection=True, people=PEOPLE)
    assert d.kind == DecisionKind.ASSIGNMENT
    assert d.payload == {"user_id": 4, "role": "INVESTIGATOR", "declared_no_prior_connection": True,
                         "person_id": 500}
    record = assignment_of(apply(s, d).decisions[-1])
    assert (record.user_id, record.role, record.declared_no_prior_connection) == (4, "INVESTIGATOR", True)
