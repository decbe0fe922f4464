"""Builders of plain domain records for the workflow rule tests (no database)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from app.domain.enums import (
    AbuseType,
    CaseStatus,
    CaseType,
    ReportingRoute,
    Role,
    VictimRelationship,
    WorkforceType,
)
from app.domain.policy import PolicySet, PolicyValue
from app.domain.records import Allegation, Case, CaseSnapshot, Decision, Person, User, Victim
from app.domain.workflow.common import Act

SUPERVISOR = User(1, "sup1", "Sgt Supervisor One", frozenset({Role.SUPERVISOR}))
SUPERVISOR_2 = User(2, "sup2", "Insp Supervisor Two", frozenset({Role.SUPERVISOR}))
HEAD = User(3, "head", "Supt Head of PSD", frozenset({Role.HEAD_OF_PSD}))
INVESTIGATOR = User(4, "inv", "DC Investigator", frozenset({Role.INVESTIGATOR}))
LIAISON = User(5, "iopc", "IOPC Liaison", frozenset({Role.IOPC_LIAISON}))

SUBJECT_ID = 100
ALLEGATION_ID = 10


def person(pid: int = SUBJECT_ID, surname: str = "Carter", **changes: Any) -> Person:
    base = Person(
        id=pid, staff_number=f"S{pid}", surname=surname, forenames="Alex",
        date_of_birth=date(1985, 5, 1), workforce_type=WorkforceType.POLICE_OFFICER,
        rank_or_grade="PC", unit="Response North",
    )
    return dataclasses.replace(base, **changes)


def allegation(aid: int = ALLEGATION_ID, subject_id: int = SUBJECT_ID, **changes: Any) -> Allegation:
    base = Allegation(
        id=aid, subject_id=subject_id, victim_refs=("V1",),
        abuse_types=frozenset({AbuseType.COERCIVE_CONTROL}),
        conduct_from=date(2025, 1, 10),
    )
    return dataclasses.replace(base, **changes)


def victim(ref: str = "V1", **changes: Any) -> Victim:
    return dataclasses.replace(Victim(None, ref, VictimRelationship.FORMER_PARTNER), **changes)


def snapshot(
    *,
    allegations: Iterable[Allegation] | None = None,
    subjects: Iterable[Person] | None = None,
    victims: Iterable[Victim] | None = None,
    received: date = date(2025, 3, 3),
    status: CaseStatus = CaseStatus.OPEN,
    decisions: Iterable[Decision] = (),
) -> CaseSnapshot:
    case = Case(1, "PSD-2025-000001", received, ReportingRoute.VICTIM_DIRECT,
                CaseType.CONDUCT_MATTER, status=status)
    people = list(subjects) if subjects is not None else [person()]
    return CaseSnapshot(
        case=case,
        allegations=tuple(allegations) if allegations is not None else (allegation(),),
        victims=tuple(victims) if victims is not None else (victim(),),
        subjects={p.id: p for p in people if p.id is not None},
        decisions=tuple(decisions),
    )


def act(user: User, day: date) -> Act:
    return Act(user, datetime.combine(day, time(10, 0)))


def apply(snap: CaseSnapshot, made: Decision | Iterable[Decision]) -> CaseSnapshot:
    """Append decisions as the service would, giving them ids."""
    new = [made] if isinstance(made, Decision) else list(made)
    next_id = max((d.id or 0 for d in snap.decisions), default=0) + 1
    stored = [dataclasses.replace(d, id=next_id + i) for i, d in enumerate(new)]
    return dataclasses.replace(snap, decisions=snap.decisions + tuple(stored))


def imported(kind: Any, payload: dict[str, Any], on: date, aid: int | None = ALLEGATION_ID) -> Decision:
    return Decision(None, kind, payload, 9, datetime(2025, 1, 1, 9, 0), on, aid,
                    imported_from="legacy.csv")


def policies(*values: PolicyValue) -> PolicySet:
    return PolicySet(values)
