"""The FORMATS.md survey counting rules, case by case."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.enums import CriminalOutcome, EmploymentStatus, MisconductOutcome, RestrictionOption
from app.reports.counting import (
    BUCKETS,
    Bucket,
    allegation_buckets,
    count_survey_return,
    percent,
    validate_return,
)
from app.reports.read_models import AllegationFact, Period
from tests.unit.reports.report_factories import PERIOD, FactFactory, make_context

M = MisconductOutcome
R = RestrictionOption


def individuals(facts: list[AllegationFact], bucket: Bucket, **context: object) -> int:
    return count_survey_return(facts, make_context(**context)).figures.individuals_in(bucket)


# --- period ---------------------------------------------------------------------------------


def test_survey_year_runs_from_1_april_to_31_march_inclusive() -> None:
    period = Period.survey_year(2024)
    assert (period.start, period.end) == (date(2023, 4, 1), date(2024, 3, 31))
    assert period.label == "2023/24"
    assert period.previous_year() == Period.survey_year(2023)


def test_allegations_on_the_period_boundaries(fact: FactFactory) -> None:
    facts = [
        fact(subject=1, recorded=date(2023, 3, 31)),  # day before: out
        fact(subject=2, recorded=date(2023, 4, 1)),  # first day: in
        fact(subject=3, recorded=date(2024, 3, 31)),  # last day: in
        fact(subject=4, recorded=date(2024, 4, 1)),  # day after: out
    ]
    count = count_survey_return(facts, make_context())
    assert count.figures.allegations == 2
    assert [c.fact.subject_id for c in count.counted] == [2, 3]


def test_the_period_counts_by_recorded_date_not_received_date(fact: FactFactory) -> None:
    received_before = fact(recorded=date(2023, 4, 3), received_date=date(2023, 3, 20))
    assert count_survey_return([received_before], make_context()).figures.allegations == 1


# --- allegations and individuals --------------------------------------------------------------


def test_individuals_are_distinct_subjects(fact: FactFactory) -> None:
    facts = [fact(subject=1), fact(subject=1), fact(subject=2)]
    figures = count_survey_return(facts, make_context()).figures
    assert (figures.allegations, figures.individuals) == (3, 2)


def test_an_individual_with_several_outcomes_counts_once_in_each(fact: FactFactory) -> None:
    facts = [
        fact(subject=1, misconduct_outcomes=frozenset({M.NO_CASE_TO_ANSWER})),
        fact(subject=1, misconduct_outcomes=frozenset({M.NO_CASE_TO_ANSWER})),
        fact(subject=1, misconduct_outcomes=frozenset({M.CASE_TO_ANSWER_GROSS_MISCONDUCT, M.DISMISSAL_WITHOUT_NOTICE}),
             restrictions_imposed=frozenset({R.SUSPENDED})),
        fact(subject=2, misconduct_outcomes=frozenset({M.REFLECTIVE_PRACTICE})),
    ]  # fmt: skip
    figures = count_survey_return(facts, make_context()).figures
    got = {o.bucket: (o.individuals, o.percent) for o in figures.outcomes}
    assert got[Bucket.NO_CASE_TO_ANSWER] == (1, 50.0)
    assert got[Bucket.DISMISSED] == (1, 50.0)
    assert got[Bucket.SUSPENSION] == (1, 50.0)
    assert got[Bucket.LEARNING_OUTCOME] == (1, 50.0)
    assert got[Bucket.ONGOING] == (0, 0.0)
    assert sum(o.percent or 0 for o in figures.outcomes) == 200.0  # need not sum to 100


# --- the buckets ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ({M.NO_CASE_TO_ANSWER}, {Bucket.NO_CASE_TO_ANSWER}),
        ({M.REFLECTIVE_PRACTICE}, {Bucket.LEARNING_OUTCOME}),
        ({M.MANAGEMENT_ACTION}, {Bucket.LEARNING_OUTCOME}),
        ({M.MANAGEMENT_ADVICE}, {Bucket.LEARNING_OUTCOME}),
        (
            {M.CASE_TO_ANSWER_MISCONDUCT, M.MISCONDUCT_MEETING, M.MISCONDUCT, M.WRITTEN_WARNING},
            {Bucket.WRITTEN_WARNING},
        ),
        ({M.MISCONDUCT_HEARING, M.GROSS_MISCONDUCT, M.FINAL_WRITTEN_WARNING}, {Bucket.FINAL_WRITTEN_WARNING}),
        ({M.MISCONDUCT_HEARING, M.GROSS_MISCONDUCT, M.REDUCTION_IN_RANK}, {Bucket.REDUCTION_IN_RANK}),
        (
            {M.ACCELERATED_MISCONDUCT_HEARING, M.GROSS_MISCONDUCT, M.DISMISSAL_WITHOUT_NOTICE},
            {Bucket.DISMISSED},
        ),
        ({M.WOULD_HAVE_BEEN_DISMISSED}, {Bucket.DISMISSED}),
        ({M.NOT_PROVEN}, set()),
        ({M.DISCONTINUED}, set()),
        # A determination without a finding yet is a recorded misconduct-track outcome, so not ONGOING.
        ({M.CASE_TO_ANSWER_MISCONDUCT}, set()),
        (set(), {Bucket.ONGOING}),
    ],
)
def test_misconduct_outcomes_map_to_buckets(
    fact: FactFactory, outcomes: set[M], expected: set[Bucket]
) -> None:
    assert allegation_buckets(fact(misconduct_outcomes=frozenset(outcomes))) == expected


@pytest.mark.parametrize(
    ("restrictions", "expected"),
    [
        ({R.SUSPENDED}, {Bucket.SUSPENSION}),
        ({R.NO_RESTRICTION}, set()),
        ({R.RESTRICTED_DUTIES}, {Bucket.RESTRICTED_DUTIES}),
        ({R.REDEPLOYED_LOCATION}, {Bucket.RESTRICTED_DUTIES}),
        (
            {R.FIREARMS_TASER_AUTHORITY_WITHDRAWN, R.NO_CONTACT_WITH_VICTIMS_OR_WITNESSES},
            {Bucket.RESTRICTED_DUTIES},
        ),
        ({R.SYSTEMS_ACCESS_RESTRICTED, R.SUSPENDED}, {Bucket.SUSPENSION, Bucket.RESTRICTED_DUTIES}),
        ({R.NO_RESTRICTION, R.SUSPENDED}, {Bucket.SUSPENSION}),
    ],
)
def test_restrictions_imposed_map_to_suspension_and_restricted_duties(
    fact: FactFactory, restrictions: set[R], expected: set[Bucket]
) -> None:
    f = fact(misconduct_outcomes=frozenset({M.NOT_PROVEN}), restrictions_imposed=frozenset(restrictions))
    assert allegation_buckets(f) == expected


@pytest.mark.parametrize(
    ("criminal", "convicted"),
    [
        (CriminalOutcome.CONVICTED, True),
        (CriminalOutcome.CHARGED, False),
        (CriminalOutcome.ACQUITTED, False),
        (None, False),
    ],
)
def test_criminal_conviction(fact: FactFactory, criminal: CriminalOutcome | None, convicted: bool) -> None:
    f = fact(misconduct_outcomes=frozenset({M.NOT_PROVEN}), criminal_outcome=criminal)
    assert (Bucket.CRIMINAL_CONVICTION in allegation_buckets(f)) is convicted


def test_a_conviction_with_the_misconduct_track_still_open_is_both_convicted_and_ongoing(
    fact: FactFactory,
) -> None:
    f = fact(criminal_outcome=CriminalOutcome.CONVICTED)
    assert allegation_buckets(f) == {Bucket.CRIMINAL_CONVICTION, Bucket.ONGOING}


RECORDED = date(2023, 6, 1)
OUTCOME = date(2023, 12, 1)


@pytest.mark.parametrize(
    ("status", "end", "outcome_date", "counts"),
    [
        (
            EmploymentStatus.RESIGNED,
            RECORDED - timedelta(days=1),
            OUTCOME,
            False,
        ),  # left before the allegation
        (EmploymentStatus.RESIGNED, RECORDED, OUTCOME, True),  # left the day it was recorded
        (EmploymentStatus.RESIGNED, date(2023, 9, 1), OUTCOME, True),  # resigned mid-case
        (EmploymentStatus.RESIGNED, OUTCOME, OUTCOME, True),  # left on the outcome date
        (EmploymentStatus.RESIGNED, OUTCOME + timedelta(days=1), OUTCOME, False),  # left after the outcome
        (EmploymentStatus.RETIRED, date(2023, 9, 1), OUTCOME, True),
        (EmploymentStatus.RESIGNED, date(2024, 9, 1), None, True),  # no outcome yet: any end after recording
        (EmploymentStatus.RESIGNED, None, None, False),  # no end date: cannot tell
        (EmploymentStatus.DISMISSED, date(2023, 9, 1), OUTCOME, False),
        (EmploymentStatus.TRANSFERRED_OUT, date(2023, 9, 1), OUTCOME, False),
        (EmploymentStatus.SERVING, None, OUTCOME, False),
    ],
)
def test_resigned_or_retired(
    fact: FactFactory, status: EmploymentStatus, end: date | None, outcome_date: date | None, counts: bool
) -> None:
    outcomes = frozenset({M.NO_CASE_TO_ANSWER}) if outcome_date else frozenset()
    f = fact(recorded=RECORDED, subject_employment_status=status, subject_end_date=end,
             misconduct_outcomes=outcomes, outcome_date=outcome_date)  # fmt: skip
    assert individuals([f], Bucket.RESIGNED_OR_RETIRED) == int(counts)


def test_resigned_without_an_end_date_is_explained(fact: FactFactory) -> None:
    f = fact(subject_employment_status=EmploymentStatus.RESIGNED, subject_end_date=None)
    count = count_survey_return([f], make_context())
    assert (
        "1 individual(s) recorded as resigned or retired have no end date" in count.figures.unable_to_provide
    )
    assert count.data_notes


def test_ongoing_is_per_individual_across_their_allegations(fact: FactFactory) -> None:
    facts = [
        fact(subject=1),
        fact(subject=1, misconduct_outcomes=frozenset({M.NO_CASE_TO_ANSWER})),
        fact(subject=2),
    ]
    assert individuals(facts, Bucket.ONGOING) == 2
    assert individuals(facts, Bucket.NO_CASE_TO_ANSWER) == 1


# --- percentages and headcount ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "whole", "places", "expected"),
    [
        (1, 8, 1, 12.5),
        (1, 6, 1, 16.7),
        (1, 16, 1, 6.3),  # 6.25 rounds half up, not to even
        (1, 800, 2, 0.13),  # 0.125
        (899, 224_750, 2, 0.4),
        (0, 5, 1, 0.0),
        (3, 0, 1, None),
        (3, None, 2, None),
    ],
)
def test_percent_rounds_half_up(part: int, whole: int | None, places: int, expected: float | None) -> None:
    assert percent(part, whole, places) == expected


def test_individuals_as_percent_of_workforce_has_two_decimals(fact: FactFactory) -> None:
    facts = [fact(subject=s) for s in range(1, 4)]
    figures = count_survey_return(facts, make_context(headcount=7000)).figures
    assert figures.workforce_percent == 0.04  # 3 / 7000 = 0.0428...


def test_no_headcount_leaves_the_percentage_blank_and_says_why(fact: FactFactory) -> None:
    figures = count_survey_return([fact()], make_context(headcount=None)).figures
    assert figures.headcount is None and figures.workforce_percent is None
    assert "Workforce headcount: no headcount is recorded for the period" in figures.unable_to_provide
    assert validate_return(figures) == []


def test_missing_guidance_policy_is_explained(fact: FactFactory) -> None:
    figures = count_survey_return([fact()], make_context(external_investigation_guidance=None)).figures
    assert figures.unable_to_provide == (
        "Guidance requiring external investigation: no policy is recorded as in force on 31 March 2024."
    )


def test_everything_known_leaves_unable_to_provide_empty(fact: FactFactory) -> None:
    assert count_survey_return([fact()], make_context()).figures.unable_to_provide == ""


def test_a_period_with_no_allegations(fact: FactFactory) -> None:
    figures = count_survey_return([fact(recorded=date(2022, 6, 1))], make_context()).figures
    assert (figures.allegations, figures.individuals, figures.workforce_percent) == (0, 0, 0.0)
    assert all(o.individuals == 0 and o.percent is None for o in figures.outcomes)
    assert validate_return(figures) == []


def test_headcount_must_be_positive() -> None:
    with pytest.raises(ValueError, match="headcount must be a positive number"):
        make_context(headcount=0)


# --- validation -----------------------------------------------------------------------------------


def test_validation_catches_inconsistent_returns(fact: FactFactory) -> None:
    good = count_survey_return([fact(subject=1), fact(subject=2)], make_context()).figures
    assert validate_return(good) == []
    too_many_people = replace(good, individuals=3)
    assert "Individuals with PPDA allegations (3) exceeds PPDA allegations recorded (2)." in validate_return(
        too_many_people
    )
    outcomes = list(good.outcomes)
    outcomes[0] = replace(outcomes[0], individuals=5)
    bucket_too_big = replace(good, outcomes=tuple(outcomes))
    assert any("NO_CASE_TO_ANSWER counts 5 individuals" in p for p in validate_return(bucket_too_big))
    assert "Outcomes are not the expected buckets in the expected order." in validate_return(
        replace(good, outcomes=tuple(reversed(good.outcomes)))
    )
    percent_without_headcount = replace(good, headcount=None, unable_to_provide="")
    problems = validate_return(percent_without_headcount)
    assert "Individuals as % of workforce is given without a workforce headcount." in problems
    assert "Workforce headcount is blank and Unable to provide does not say why." in problems
    assert any(
        "exceeds the workforce headcount (1)" in p for p in validate_return(replace(good, headcount=1))
    )


# --- properties -----------------------------------------------------------------------------------

_outcome_sets = st.frozensets(st.sampled_from(list(MisconductOutcome)), max_size=3)
_restrictions = st.frozensets(st.sampled_from(list(RestrictionOption)), max_size=2)
_days = st.dates(min_value=date(2022, 1, 1), max_value=date(2025, 6, 30))


@st.composite
def facts_strategy(draw: st.DrawFn) -> list[AllegationFact]:
    make = FactFactory()
    result = []
    for _ in range(draw(st.integers(min_value=0, max_value=25))):
        status = draw(st.sampled_from(list(EmploymentStatus)))
        result.append(
            make(
                subject=draw(st.integers(min_value=1, max_value=8)),
                recorded=draw(_days),
                misconduct_outcomes=draw(_outcome_sets),
                restrictions_imposed=draw(_restrictions),
                criminal_outcome=draw(st.none() | st.sampled_from(list(CriminalOutcome))),
                outcome_date=draw(st.none() | _days),
                subject_employment_status=status,
                subject_end_date=draw(st.none() | _days),
            )
        )
    return result


@pytest.mark.slow  # 150 generated data sets
@settings(max_examples=150, deadline=None)
@given(facts_strategy())
def test_every_figure_traces_to_the_counted_allegations(facts: list[AllegationFact]) -> None:
    count = count_survey_return(facts, make_context(headcount=1000))
    figures = count.figures
    assert validate_return(figures) == []
    assert figures.allegations == sum(1 for f in facts if f.recorded_date in PERIOD) == len(count.counted)
    for bucket in BUCKETS:
        traced = {c.fact.subject_staff_number for c in count.counted if bucket in c.buckets}
        assert figures.individuals_in(bucket) == len(traced) <= figures.individuals
