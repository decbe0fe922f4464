"""Synthetic forces for the disclosure tests: allegation facts over two survey years, written
independently of the demo database, with sizes from a handful of allegations a year (small forces,
where most counts are under 5) to several hundred."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from app.domain.enums import (
    AbuseType,
    AgeBand,
    CriminalOutcome,
    EmploymentStatus,
    Ethnicity,
    GuidanceCoverage,
    IopcDecision,
    MisconductOutcome,
    RestrictionOption,
    Sex,
    WorkforceType,
)
from app.domain.forces import FORCES
from app.reports.read_models import AllegationFact, Period, ReturnContext

YEAR = 2025
M = MisconductOutcome
OUTCOMES = [
    (frozenset(), 20), (frozenset({M.NO_CASE_TO_ANSWER}), 35),
    (frozenset({M.NO_CASE_TO_ANSWER, M.REFLECTIVE_PRACTICE}), 8),
    (frozenset({M.REFLECTIVE_PRACTICE}), 10), (frozenset({M.CASE_TO_ANSWER_MISCONDUCT, M.MISCONDUCT_MEETING}), 5),
    (frozenset({M.CASE_TO_ANSWER_MISCONDUCT, M.MISCONDUCT_MEETING, M.MISCONDUCT, M.WRITTEN_WARNING}), 7),
    (frozenset({M.CASE_TO_ANSWER_GROSS_MISCONDUCT, M.MISCONDUCT_HEARING, M.GROSS_MISCONDUCT, M.FINAL_WRITTEN_WARNING}),
     4),
    (frozenset({M.CASE_TO_ANSWER_GROSS_MISCONDUCT, M.MISCONDUCT_HEARING, M.GROSS_MISCONDUCT,
                M.DISMISSAL_WITHOUT_NOTICE}), 4),
    (frozenset({M.WOULD_HAVE_BEEN_DISMISSED}), 2), (frozenset({M.REDUCTION_IN_RANK}), 1),
]
RESTRICTIONS = [frozenset(), frozenset({RestrictionOption.NO_RESTRICTION}),
                frozenset({RestrictionOption.RESTRICTED_DUTIES}), frozenset({RestrictionOption.SUSPENDED})]
RANKS = ["PC", "PS", "Insp", "DC", "DS", "Ch Insp", "Supt", "Band C", "Band D", "Band E", None]


def force_facts(seed: int, per_year: int, year: int = YEAR) -> list[AllegationFact]:
    """About `per_year` allegations in each of survey years `year` and `year - 1`."""
    rng = random.Random(seed)
    facts: list[AllegationFact] = []
    people = max(1, int(per_year * 1.6))
    for y in (year - 1, year):
        period = Period.survey_year(y)
        count = max(0, int(rng.gauss(per_year, max(1.0, per_year * 0.15))))
        for _ in range(count):
            facts.append(_fact(rng, len(facts) + 1, rng.randrange(people), period))
    return facts


def _person(subject: int) -> dict[str, object]:
    """What belongs to the person (the same in each of their allegations)."""
    rng = random.Random(subject * 7919 + 17)
    return {
        "workforce_type": rng.choices(list(WorkforceType), [62, 4, 6, 25, 2, 1])[0],
        "rank_or_grade": rng.choice(RANKS), "sex": rng.choices([*Sex, None], [22, 74, 1, 1, 2])[0],
        "ethnicity": rng.choices([*Ethnicity, None], [6, 3, 3, 80, 2, 4, 2])[0],
    }


def _fact(rng: random.Random, n: int, subject: int, period: Period) -> AllegationFact:
    recorded = period.start + timedelta(days=rng.randrange((period.end - period.start).days + 1))
    outcomes = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
    threshold = recorded + timedelta(days=rng.randrange(0, 15)) if rng.random() < 0.7 else None
    due = threshold + timedelta(days=2) if threshold else None
    mandatory = rng.random() < 0.3
    referred = (mandatory and rng.random() < 0.9) or rng.random() < 0.05
    status = rng.choices(list(EmploymentStatus), [80, 5, 5, 3, 4, 3])[0]
    reviews = rng.randrange(0, 5) if threshold else 0
    return AllegationFact(
        case_ref=f"PSD-{recorded.year}-{n:06d}", allegation_id=n, subject_id=subject,
        subject_staff_number=f"S{subject:06d}",
        received_date=recorded - timedelta(days=rng.randrange(0, 10)), recorded_date=recorded,
        age_band=rng.choice(list(AgeBand)), **_person(subject),  # type: ignore[arg-type]
        abuse_types=frozenset(rng.sample(list(AbuseType), rng.randint(1, 3))), criminal=rng.random() < 0.4,
        investigation_mode=rng.choice(list(IopcDecision)) if referred and rng.random() < 0.85 else None,
        investigating_body=rng.choices(["HOME", "IOPC", "kent", None], [70, 5, 10, 15])[0],
        misconduct_outcomes=outcomes,
        criminal_outcome=rng.choices([None, CriminalOutcome.NO_FURTHER_ACTION, CriminalOutcome.CONVICTED],
                                     [75, 20, 5])[0],
        outcome_date=recorded + timedelta(days=rng.randrange(20, 400)) if outcomes else None,
        restrictions_imposed=rng.choice(RESTRICTIONS) if threshold else frozenset(),
        subject_employment_status=status,
        subject_end_date=recorded + timedelta(days=rng.randrange(-20, 300)) if status.has_left and rng.random() < 0.9
        else None,
        threshold_met_date=threshold, restriction_decision_due=due,
        restriction_decision_date=due + timedelta(days=rng.randrange(-2, 3)) if due and rng.random() < 0.93 else None,
        restriction_reviews_due=reviews, restriction_reviews_on_time=sum(rng.random() < 0.7 for _ in range(reviews)),
        iopc_mandatory=mandatory, iopc_referred=referred,
        iopc_referral_on_time=(rng.random() < 0.8) if mandatory and referred else None,
        suspension_on_charge_exception=rng.random() < 0.01,
    )


FORCE_SIZES = {code: max(2, int(random.Random(i).lognormvariate(3.4, 1.0))) for i, code in enumerate(FORCES)}
"""Allegations a year per force: a few under 10, most tens, a few hundreds (a log-normal spread)."""


def force_context(code: str, year: int = YEAR, seed: int = 0) -> ReturnContext:
    rng = random.Random(seed)
    size = FORCE_SIZES.get(code, 50)
    return ReturnContext(
        force_code=code, force_name=FORCES.get(code, code), period=Period.survey_year(year), exported_by="generator",
        exported_at=datetime(year, 5, 2, 9, 0), systems_used="Centurion", headcount=size * 200 + 500,
        role_restriction_guidance=rng.choice([*GuidanceCoverage, None]),
        external_investigation_guidance=rng.choice([*GuidanceCoverage, None]), previous_headcount=size * 195 + 500,
    )


def as_of(year: int = YEAR) -> date:
    return date(year, 5, 2)
