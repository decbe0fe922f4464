"""What the survey return says when it cannot give a figure, and what validation calls a broken
return, word for word (the Commissioner's office reads these sentences)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from app.domain.enums import EmploymentStatus
from app.reports.counting import count_survey_return, validate_return
from tests.unit.reports.report_factories import FactFactory, make_context

NO_SYSTEMS = "Systems used to record misconduct allegations: not recorded."
NO_HEADCOUNT = ("Workforce headcount: no headcount is recorded for the period, so individuals as % of workforce "
                "cannot be calculated.")


def test_every_missing_figure_is_named_in_one_sentence_each(fact: FactFactory) -> None:
    figures = count_survey_return([fact()], make_context(systems_used="  ", headcount=None)).figures
    assert figures.unable_to_provide == f"{NO_SYSTEMS} {NO_HEADCOUNT}"
    assert figures.systems_used == ""


def test_leavers_without_an_end_date_are_counted_in_a_note(fact: FactFactory) -> None:
    facts = [fact(subject=s, subject_employment_status=EmploymentStatus.RETIRED, subject_end_date=None)
             for s in (1, 2)]
    count = count_survey_return(facts, make_context())
    note = ("RESIGNED_OR_RETIRED: 2 individual(s) recorded as resigned or retired have no end date, so whether "
            "they left while the allegation was live cannot be established and they are not counted in that outcome.")
    assert count.data_notes == (note,)
    assert count.figures.unable_to_provide == note


def test_a_sound_return_on_its_limits_has_no_problems(fact: FactFactory) -> None:
    good = count_survey_return([fact(subject=1), fact(subject=2)], make_context()).figures
    one_day = replace(good, period_start=date(2024, 3, 31), period_end=date(2024, 3, 31))
    assert validate_return(one_day) == []
    assert validate_return(replace(good, headcount=2)) == []  # everyone in the workforce: still possible


def test_broken_returns_are_named_word_for_word(fact: FactFactory) -> None:
    good = count_survey_return([fact(subject=1), fact(subject=2)], make_context()).figures
    assert validate_return(replace(good, period_start=date(2024, 4, 1))) == ["Period start is after period end."]
    assert validate_return(replace(good, allegations=-1, individuals=0))[0] == "Counts cannot be negative."
    assert "Counts cannot be negative." in validate_return(replace(good, individuals=-1))
