"""The plain arguments of intake and case editing, and their validation.

Every refusal is an InvalidInput whose message starts with the field it is about, e.g.
`allegations[1].abuse_types: at least one abuse type is needed.` (1-based positions, as a
dialog or a CLI user counts them).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Final

from app.domain.case_file import MAX_TEXT
from app.domain.enums import (
    AbuseType,
    AgeBand,
    AggravatingFeature,
    BreachType,
    CaseType,
    DashRisk,
    ReportingRoute,
    Sex,
    VictimRelationship,
    VictimWorkforce,
)
from app.domain.errors import InvalidInput

MAX_REF = 40
MAX_CRIME_REF = 60
MAX_SUMMARY = MAX_TEXT


class Cleared(Enum):
    """The type of CLEAR (a single value, so a type checker knows which fields take it)."""

    CLEAR = "CLEAR"

    def __repr__(self) -> str:
        return "CLEAR"


CLEAR: Final = Cleared.CLEAR  # an update's value that removes what is recorded ("not recorded")


@dataclass(frozen=True)
class VictimInput:
    """A victim as entered. `staff_number` links a same-force workforce victim to the register;
    `dash_assessor` is the assessor's user name (checked for independence of the subjects)."""

    reference: str
    relationship: VictimRelationship
    police_workforce: VictimWorkforce = VictimWorkforce.NO
    staff_number: str | None = None
    sex: Sex | None = None
    age_band: AgeBand | None = None
    dash_risk: DashRisk | None = None
    dash_date: date | None = None
    dash_assessor: str | None = None
    marac_referred: bool = False
    advocate_offered: bool = False
    advocate_accepted: bool = False
    contact_details: str | None = None


@dataclass(frozen=True)
class AllegationInput:
    subject_staff_number: str
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
class CaseIntake:
    """A new case. A creator who is an INVESTIGATOR becomes its investigator when independent
    and `creator_declares_no_prior_connection` is given."""

    received_date: date
    reporting_route: ReportingRoute
    victims: tuple[VictimInput, ...]
    allegations: tuple[AllegationInput, ...]
    case_type: CaseType = CaseType.CONDUCT_MATTER
    crime_refs: tuple[str, ...] = ()
    creator_declares_no_prior_connection: bool = False
    summary: str | None = None  # what was reported, in brief: the case log's first SUMMARY entry


@dataclass(frozen=True)
class VictimUpdate:
    """Changes to a victim: None leaves a value as it is; CLEAR removes it (back to "not recorded";
    a blank text does too). A value that depends on another goes with it unless it is given:
    moving the police workforce away from SAME_FORCE drops the linked colleague, and clearing the
    DASH risk drops its date and assessor."""

    relationship: VictimRelationship | None = None
    police_workforce: VictimWorkforce | None = None
    staff_number: str | Cleared | None = None
    sex: Sex | Cleared | None = None
    age_band: AgeBand | Cleared | None = None
    dash_risk: DashRisk | Cleared | None = None
    dash_date: date | Cleared | None = None
    dash_assessor: str | Cleared | None = None
    marac_referred: bool | None = None
    advocate_offered: bool | None = None
    advocate_accepted: bool | None = None
    contact_details: str | Cleared | None = None


@dataclass(frozen=True)
class AllegationUpdate:
    """Changes to an allegation: None leaves a value as it is."""

    victim_refs: tuple[str, ...] | None = None
    abuse_types: frozenset[AbuseType] | None = None
    aggravating_features: frozenset[AggravatingFeature] | None = None
    breaches: frozenset[BreachType] | None = None
    conduct_from: date | None = None
    conduct_to: date | None = None
    criminal: bool | None = None
    crime_ref: str | None = None
    summary: str | None = None


@dataclass(frozen=True)
class CaseDetailsUpdate:
    received_date: date | None = None
    reporting_route: ReportingRoute | None = None
    case_type: CaseType | None = None
    crime_refs: tuple[str, ...] | None = field(default=None)


def refuse(name: str, why: str) -> InvalidInput:
    return InvalidInput(f"{name}: {why}")


def check_text(name: str, value: str | None, limit: int, *, required: bool = False) -> None:
    text = (value or "").strip()
    if required and not text:
        raise refuse(name, "a value is needed.")
    if len(text) > limit:
        raise refuse(name, f"longer than {limit} characters.")
    if ";" in text:
        raise refuse(name, "may not contain ';'.")


def check_not_future(name: str, day: date | None, today: date) -> None:
    if day is not None and day > today:
        raise refuse(name, f"{day.isoformat()} is in the future.")


def check_crime_refs(name: str, refs: Iterable[str]) -> None:
    for i, ref in enumerate(refs, start=1):
        check_text(f"{name}[{i}]", ref, MAX_CRIME_REF, required=True)


def check_victim(name: str, v: VictimInput, today: date) -> None:
    check_text(f"{name}.reference", v.reference, MAX_REF, required=True)
    if v.staff_number and v.police_workforce != VictimWorkforce.SAME_FORCE:
        raise refuse(f"{name}.staff_number", "only a victim in the same force's workforce has a staff number here.")
    if v.dash_date is not None and v.dash_risk is None:
        raise refuse(f"{name}.dash_date", "give the DASH risk level assessed on that date.")
    check_not_future(f"{name}.dash_date", v.dash_date, today)
    if v.advocate_accepted and not v.advocate_offered:
        raise refuse(f"{name}.advocate_accepted", "IDVA/ISVA support can be accepted only once offered.")


VICTIM_CLEARABLE = frozenset({"staff_number", "sex", "age_band", "dash_risk", "dash_date", "dash_assessor",
                              "contact_details"})


def victim_update_in_full(name: str, u: VictimUpdate) -> VictimUpdate:
    """`u` with the values that depend on a changed one (see VictimUpdate); refused when it clears
    a value a victim always has."""
    for f in dataclasses.fields(u):
        if getattr(u, f.name) is CLEAR and f.name not in VICTIM_CLEARABLE:
            raise refuse(f"{name}.{f.name}", "cannot be cleared: give the right value instead.")
    dependent: dict[str, Any] = {}
    if u.police_workforce not in (None, VictimWorkforce.SAME_FORCE) and u.staff_number is None:
        dependent["staff_number"] = CLEAR  # only a same-force victim is linked to a colleague
    if u.dash_risk is CLEAR:
        dependent.update({k: CLEAR for k in ("dash_date", "dash_assessor") if getattr(u, k) is None})
    return dataclasses.replace(u, **dependent)


def check_allegation(name: str, a: AllegationInput, victim_refs: set[str], today: date) -> None:
    check_text(f"{name}.subject_staff_number", a.subject_staff_number, 32, required=True)
    if not a.victim_refs:
        raise refuse(f"{name}.victim_refs", "name at least one victim of the case.")
    unknown = sorted(set(a.victim_refs) - victim_refs)
    if unknown:
        raise refuse(f"{name}.victim_refs", f"{', '.join(unknown)} is not a victim of the case.")
    if not a.abuse_types:
        raise refuse(f"{name}.abuse_types", "at least one abuse type is needed.")
    if not a.breaches:
        raise refuse(f"{name}.breaches", "at least one Standard of Professional Behaviour is needed.")
    check_not_future(f"{name}.conduct_from", a.conduct_from, today)
    check_not_future(f"{name}.conduct_to", a.conduct_to, today)
    if a.conduct_from and a.conduct_to and a.conduct_to < a.conduct_from:
        raise refuse(f"{name}.conduct_to", "is before conduct_from.")
    check_text(f"{name}.crime_ref", a.crime_ref, MAX_CRIME_REF)
    if a.crime_ref and not a.criminal:
        raise refuse(f"{name}.crime_ref", "a crime reference needs the allegation marked criminal.")


def check_intake(intake: CaseIntake, today: date) -> None:
    check_not_future("received_date", intake.received_date, today)
    if len((intake.summary or "").strip()) > MAX_SUMMARY:
        raise refuse("summary", f"longer than {MAX_SUMMARY:,} characters; add the rest to the case log.")
    check_crime_refs("crime_refs", intake.crime_refs)
    if not intake.victims:
        raise refuse("victims", "a case needs at least one victim.")
    if not intake.allegations:
        raise refuse("allegations", "a case needs at least one allegation.")
    refs: set[str] = set()
    for i, v in enumerate(intake.victims, start=1):
        check_victim(f"victims[{i}]", v, today)
        if v.reference.strip() in refs:
            raise refuse(f"victims[{i}].reference", f"{v.reference.strip()} is given twice.")
        refs.add(v.reference.strip())
    subjects: set[str] = set()
    for i, a in enumerate(intake.allegations, start=1):
        check_allegation(f"allegations[{i}]", a, refs, today)
        number = a.subject_staff_number.strip()
        if number in subjects:
            raise refuse(f"allegations[{i}].subject_staff_number",
                         f"{number} already has an allegation in this case; one allegation per subject.")
        subjects.add(number)
