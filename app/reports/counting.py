"""The survey counting rules of FORMATS.md ("Commissioner's survey return"), implemented once.

Every report in this package (survey return, outcome breakdowns, annual report) takes its outcome
buckets from `allegation_buckets`; the national aggregation re-checks returns with
`validate_return`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from app.domain.enums import (
    CriminalOutcome,
    EmploymentStatus,
    GuidanceCoverage,
    MisconductOutcome,
    RestrictionOption,
)
from app.reports.read_models import AllegationFact, Period, ReturnContext, long_date


class Bucket(StrEnum):
    """The outcome buckets of the survey return, in the order of the `Outcomes` sheet."""

    NO_CASE_TO_ANSWER = "NO_CASE_TO_ANSWER"
    LEARNING_OUTCOME = "LEARNING_OUTCOME"
    SUSPENSION = "SUSPENSION"
    RESTRICTED_DUTIES = "RESTRICTED_DUTIES"
    WRITTEN_WARNING = "WRITTEN_WARNING"
    FINAL_WRITTEN_WARNING = "FINAL_WRITTEN_WARNING"
    REDUCTION_IN_RANK = "REDUCTION_IN_RANK"
    DISMISSED = "DISMISSED"
    RESIGNED_OR_RETIRED = "RESIGNED_OR_RETIRED"
    CRIMINAL_CONVICTION = "CRIMINAL_CONVICTION"
    ONGOING = "ONGOING"


BUCKETS: tuple[Bucket, ...] = tuple(Bucket)

BUCKET_LABELS: Mapping[Bucket, str] = {
    Bucket.NO_CASE_TO_ANSWER: "No case to answer",
    Bucket.LEARNING_OUTCOME: "Learning outcome",
    Bucket.SUSPENSION: "Suspension",
    Bucket.RESTRICTED_DUTIES: "Restricted duties",
    Bucket.WRITTEN_WARNING: "Written warning",
    Bucket.FINAL_WRITTEN_WARNING: "Final written warning",
    Bucket.REDUCTION_IN_RANK: "Reduction in rank",
    Bucket.DISMISSED: "Dismissed",
    Bucket.RESIGNED_OR_RETIRED: "Resigned or retired",
    Bucket.CRIMINAL_CONVICTION: "Criminal conviction",
    Bucket.ONGOING: "Ongoing",
}
"""Plain-English names for readers of the annual report (files use the bucket names)."""

_LEARNING = frozenset(
    {
        MisconductOutcome.REFLECTIVE_PRACTICE,
        MisconductOutcome.MANAGEMENT_ACTION,
        MisconductOutcome.MANAGEMENT_ADVICE,
    }
)
_DISMISSAL = frozenset(
    {MisconductOutcome.DISMISSAL_WITHOUT_NOTICE, MisconductOutcome.WOULD_HAVE_BEEN_DISMISSED}
)
_ACTIONS = {
    MisconductOutcome.NO_CASE_TO_ANSWER: Bucket.NO_CASE_TO_ANSWER,
    MisconductOutcome.WRITTEN_WARNING: Bucket.WRITTEN_WARNING,
    MisconductOutcome.FINAL_WRITTEN_WARNING: Bucket.FINAL_WRITTEN_WARNING,
    MisconductOutcome.REDUCTION_IN_RANK: Bucket.REDUCTION_IN_RANK,
}
_NOT_RESTRICTIONS = frozenset({RestrictionOption.NO_RESTRICTION, RestrictionOption.SUSPENDED})
_LEFT_BY_CHOICE = frozenset({EmploymentStatus.RESIGNED, EmploymentStatus.RETIRED})

COUNTING_RULES: tuple[str, ...] = (
    "Period: 1 April of year Y-1 to 31 March of year Y inclusive.",
    "PPDA allegations recorded: allegations whose recorded date (the date the Professional "
    "Standards Department recorded the allegation) is in the period.",
    "Individuals with PPDA allegations: distinct subjects of those allegations.",
    "An individual counts once in an outcome if any of their counted allegations has it, so an "
    "individual can count in several outcomes and the percentages need not sum to 100.",
    "NO_CASE_TO_ANSWER: misconduct outcome no case to answer.",
    "LEARNING_OUTCOME: reflective practice, management action or (legacy) management advice.",
    "SUSPENSION: a suspension imposed in connection with the allegation.",
    "RESTRICTED_DUTIES: any restriction other than suspension and 'no restriction' imposed in "
    "connection with the allegation.",
    "WRITTEN_WARNING, FINAL_WRITTEN_WARNING, REDUCTION_IN_RANK: that disciplinary action.",
    "DISMISSED: dismissal without notice, or a finding that a former officer would have been dismissed.",
    "RESIGNED_OR_RETIRED: the subject's employment status is resigned or retired, with an end "
    "date on or after the allegation's recorded date and, where the allegation has an outcome "
    "date, on or before it.",
    "CRIMINAL_CONVICTION: criminal outcome convicted.",
    "ONGOING: no misconduct-track outcome (determination, proceedings, finding or action) is recorded yet.",
    "% of individuals = outcome count / individuals with PPDA allegations x 100, rounded half up "
    "to 1 decimal place.",
    "Individuals as % of workforce = individuals / workforce headcount for the period x 100, "
    "rounded half up to 2 decimal places.",
    "Outcomes are those recorded by the time of export, including outcomes recorded after the "
    "period end for allegations recorded within it.",
)


def resigned_or_retired(fact: AllegationFact) -> bool:
    """The RESIGNED_OR_RETIRED rule: left by choice while the allegation was live."""
    end = fact.subject_end_date
    if fact.subject_employment_status not in _LEFT_BY_CHOICE or end is None:
        return False
    if end < fact.recorded_date:
        return False
    return fact.outcome_date is None or end <= fact.outcome_date


def allegation_buckets(fact: AllegationFact) -> frozenset[Bucket]:
    """The buckets this allegation puts its subject in (FORMATS.md counting rules)."""
    found: set[Bucket] = set()
    outcomes = fact.misconduct_outcomes
    for outcome in outcomes:
        bucket = _ACTIONS.get(outcome)
        if bucket is not None:
            found.add(bucket)
    if outcomes & _LEARNING:
        found.add(Bucket.LEARNING_OUTCOME)
    if outcomes & _DISMISSAL:
        found.add(Bucket.DISMISSED)
    if not outcomes:
        found.add(Bucket.ONGOING)
    restrictions = fact.restrictions_imposed
    if RestrictionOption.SUSPENDED in restrictions:
        found.add(Bucket.SUSPENSION)
    if restrictions - _NOT_RESTRICTIONS:
        found.add(Bucket.RESTRICTED_DUTIES)
    if resigned_or_retired(fact):
        found.add(Bucket.RESIGNED_OR_RETIRED)
    if fact.criminal_outcome is CriminalOutcome.CONVICTED:
        found.add(Bucket.CRIMINAL_CONVICTION)
    return frozenset(found)


def percent(part: int, whole: int | None, places: int) -> float | None:
    """part / whole x 100 rounded half up (None when there is no whole to divide by)."""
    if not whole:
        return None
    exact = Decimal(part) * 100 / Decimal(whole)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class CountedAllegation:
    """One allegation counted in a period, with the buckets it contributes to."""

    fact: AllegationFact
    buckets: frozenset[Bucket]


@dataclass(frozen=True)
class OutcomeFigure:
    bucket: Bucket
    individuals: int
    percent: float | None


@dataclass(frozen=True)
class ReturnFigures:
    """The figures of one survey return: what is written, and what aggregation reads back."""

    force: str
    period_start: date
    period_end: date
    systems_used: str
    allegations: int
    individuals: int
    headcount: int | None
    workforce_percent: float | None
    role_restriction_guidance: GuidanceCoverage | None
    external_investigation_guidance: GuidanceCoverage | None
    unable_to_provide: str
    outcomes: tuple[OutcomeFigure, ...]

    def individuals_in(self, bucket: Bucket) -> int:
        return next(o.individuals for o in self.outcomes if o.bucket is bucket)


@dataclass(frozen=True)
class SurveyCount:
    """The figures, the allegations behind them (for the `Allegations` sheet) and data notes."""

    figures: ReturnFigures
    counted: tuple[CountedAllegation, ...]
    data_notes: tuple[str, ...] = field(default=())


def count_period(facts: Iterable[AllegationFact], period: Period) -> list[CountedAllegation]:
    """The allegations recorded in `period`, each with its buckets, in recorded-date order."""
    start, end = period.start, period.end
    counted = [CountedAllegation(f, allegation_buckets(f)) for f in facts if start <= f.recorded_date <= end]
    counted.sort(key=lambda c: (c.fact.recorded_date, c.fact.case_ref, c.fact.allegation_id))
    return counted


def individuals_by_bucket(counted: Iterable[CountedAllegation]) -> dict[Bucket, set[int]]:
    subjects: dict[Bucket, set[int]] = {b: set() for b in BUCKETS}
    for c in counted:
        for bucket in c.buckets:
            subjects[bucket].add(c.fact.subject_id)
    return subjects


def count_survey_return(facts: Iterable[AllegationFact], context: ReturnContext) -> SurveyCount:
    """Apply the counting rules to the facts for the context's period."""
    counted = count_period(facts, context.period)
    individuals = len({c.fact.subject_id for c in counted})
    by_bucket = individuals_by_bucket(counted)
    outcomes = tuple(
        OutcomeFigure(b, len(by_bucket[b]), percent(len(by_bucket[b]), individuals, 1)) for b in BUCKETS
    )
    missing_end = left_without_end_date(counted)
    figures = ReturnFigures(
        force=context.force_code,
        period_start=context.period.start,
        period_end=context.period.end,
        systems_used=context.systems_used.strip(),
        allegations=len(counted),
        individuals=individuals,
        headcount=context.headcount,
        workforce_percent=percent(individuals, context.headcount, 2),
        role_restriction_guidance=context.role_restriction_guidance,
        external_investigation_guidance=context.external_investigation_guidance,
        unable_to_provide=" ".join(_unable_to_provide(context, missing_end)),
        outcomes=outcomes,
    )
    notes: tuple[str, ...] = ()
    if missing_end:
        notes = (_missing_end_note(missing_end),)
    return SurveyCount(figures, tuple(counted), notes)


def left_without_end_date(counted: Iterable[CountedAllegation]) -> int:
    """Individuals recorded as resigned or retired with no end date (RESIGNED_OR_RETIRED cannot tell)."""
    return len(
        {
            c.fact.subject_id
            for c in counted
            if c.fact.subject_employment_status in _LEFT_BY_CHOICE and c.fact.subject_end_date is None
        }
    )


def _missing_end_note(count: int) -> str:
    return (
        f"RESIGNED_OR_RETIRED: {count} individual(s) recorded as resigned or retired have no end "
        "date, so whether they left while the allegation was live cannot be established and they "
        "are not counted in that outcome."
    )


def _unable_to_provide(context: ReturnContext, missing_end: int) -> list[str]:
    period_end = long_date(context.period.end)
    reasons = []
    if not context.systems_used.strip():
        reasons.append("Systems used to record misconduct allegations: not recorded.")
    if context.headcount is None:
        reasons.append(
            "Workforce headcount: no headcount is recorded for the period, so individuals as % "
            "of workforce cannot be calculated."
        )
    if context.role_restriction_guidance is None:
        reasons.append(f"Guidance restricting roles: no policy is recorded as in force on {period_end}.")
    if context.external_investigation_guidance is None:
        reasons.append(
            f"Guidance requiring external investigation: no policy is recorded as in force on {period_end}."
        )
    if missing_end:
        reasons.append(_missing_end_note(missing_end))
    return reasons


def validate_return(figures: ReturnFigures) -> list[str]:
    """Problems that make a return inconsistent (an empty list when it is sound)."""
    problems = []
    if figures.period_start > figures.period_end:
        problems.append("Period start is after period end.")
    if figures.allegations < 0 or figures.individuals < 0:
        problems.append("Counts cannot be negative.")
    if figures.individuals > figures.allegations:
        problems.append(
            f"Individuals with PPDA allegations ({figures.individuals}) exceeds PPDA allegations "
            f"recorded ({figures.allegations})."
        )
    if figures.headcount is not None and figures.individuals > figures.headcount:
        problems.append(
            f"Individuals with PPDA allegations ({figures.individuals}) exceeds the workforce "
            f"headcount ({figures.headcount})."
        )
    if figures.headcount is None and figures.workforce_percent is not None:
        problems.append("Individuals as % of workforce is given without a workforce headcount.")
    if figures.headcount is None and not figures.unable_to_provide.strip():
        problems.append("Workforce headcount is blank and Unable to provide does not say why.")
    if [o.bucket for o in figures.outcomes] != list(BUCKETS):
        problems.append("Outcomes are not the expected buckets in the expected order.")
    for o in figures.outcomes:
        if not 0 <= o.individuals <= figures.individuals:
            problems.append(
                f"Outcome {o.bucket} counts {o.individuals} individuals, outside 0 to "
                f"{figures.individuals} (individuals with PPDA allegations)."
            )
    return problems
