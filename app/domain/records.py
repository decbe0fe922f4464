"""The core records of DOMAIN.md §2 as plain dataclasses (no ORM, no Qt).

The services build these snapshots from the database and hand them to the rules in this
package; the rules never see a Session or a widget.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

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
    NoticeRecordType,
    ReportingRoute,
    Role,
    RoleFlag,
    Sex,
    VictimRelationship,
    VictimWorkforce,
    WorkforceType,
)


@dataclass(frozen=True)
class Force:
    code: str
    name: str
    is_territorial: bool = True


@dataclass(frozen=True)
class Person:
    """A member of the workforce, current or former."""

    id: int | None
    staff_number: str
    surname: str
    forenames: str
    date_of_birth: date
    workforce_type: WorkforceType
    warrant_number: str | None = None
    previous_names: tuple[str, ...] = ()
    sex: Sex | None = None
    ethnicity: Ethnicity | None = None
    rank_or_grade: str | None = None
    unit: str | None = None
    line_manager_id: int | None = None
    role_flags: frozenset[RoleFlag] = frozenset()
    employment_status: EmploymentStatus = EmploymentStatus.SERVING
    start_date: date | None = None
    end_date: date | None = None
    previous_forces: tuple[str, ...] = ()
    vetting_level: str | None = None
    vetting_review_due: date | None = None
    list_status: ListStatus = ListStatus.NONE

    @property
    def full_name(self) -> str:
        return f"{self.forenames} {self.surname}"


@dataclass(frozen=True)
class Victim:
    id: int | None
    reference: str
    relationship: VictimRelationship
    police_workforce: VictimWorkforce = VictimWorkforce.NO
    sex: Sex | None = None
    age_band: AgeBand | None = None
    dash_risk: DashRisk | None = None
    dash_date: date | None = None
    dash_assessor_user_id: int | None = None
    marac_referred: bool = False
    advocate_offered: bool = False
    advocate_accepted: bool = False
    contact_details: str | None = None


@dataclass(frozen=True)
class Allegation:
    id: int | None
    subject_id: int
    victim_refs: tuple[str, ...]
    abuse_types: frozenset[AbuseType]
    aggravating_features: frozenset[AggravatingFeature] = frozenset()
    breaches: frozenset[BreachType] = frozenset({BreachType.DISCREDITABLE_CONDUCT})
    conduct_from: date | None = None
    conduct_to: date | None = None
    criminal: bool = False
    crime_ref: str | None = None
    summary: str | None = None


@dataclass(frozen=True)
class Decision:
    """One append-only decision record. Never edited; a later one supersedes it."""

    id: int | None
    kind: DecisionKind
    payload: dict[str, Any]
    decided_by: int | None
    decided_at: datetime
    effective_date: date
    allegation_id: int | None = None
    rationale: str | None = None
    options_considered: tuple[str, ...] = ()
    approved_by: int | None = None
    approved_at: datetime | None = None
    imported_from: str | None = None
    supersedes_id: int | None = None
    imported_by: int | None = None  # the user who ran the import (imported decisions only)

    @property
    def imported(self) -> bool:
        return self.imported_from is not None


@dataclass(frozen=True)
class Case:
    id: int | None
    reference: str
    received_date: date
    reporting_route: ReportingRoute
    case_type: CaseType
    status: CaseStatus = CaseStatus.OPEN
    crime_refs: tuple[str, ...] = ()
    closed_date: date | None = None
    imported_from: str | None = None
    version: int = 1


@dataclass(frozen=True)
class CaseSnapshot:
    """Everything the workflow rules need to know about one case."""

    case: Case
    allegations: tuple[Allegation, ...]
    victims: tuple[Victim, ...]
    subjects: dict[int, Person]
    decisions: tuple[Decision, ...] = ()
    assignments: tuple[Assignment, ...] = ()

    def decisions_of(self, kind: DecisionKind, allegation_id: int | None = None) -> list[Decision]:
        return [
            d
            for d in self.decisions
            if d.kind == kind and (allegation_id is None or d.allegation_id == allegation_id)
        ]


@dataclass(frozen=True)
class Assignment:
    user_id: int
    role: str
    declared_no_prior_connection: bool
    assigned_at: datetime


@dataclass(frozen=True)
class User:
    id: int | None
    username: str
    display_name: str
    roles: frozenset[Role]
    person_id: int | None = None
    locked: bool = False

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


@dataclass(frozen=True)
class Notice:
    """A prior notice received from another force, the PND or the College lists."""

    id: int | None
    issuing_force: str
    notice_id: str
    notice_date: date
    record_type: NoticeRecordType
    surname: str
    forenames: str
    date_of_birth: date | None = None
    staff_number: str | None = None
    warrant_number: str | None = None
    pnc_id: str | None = None
    employing_force: str | None = None
    summary: str | None = None
    handling: str | None = None
    previous_names: tuple[str, ...] = field(default=())
