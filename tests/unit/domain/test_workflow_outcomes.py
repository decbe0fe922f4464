"""Misconduct outcomes against the outcome matrix (research notes §1.6, DOMAIN.md §3.4)."""

from datetime import date

import pytest

from app.domain.enums import CriminalOutcome, EmploymentStatus, WorkforceType
from app.domain.enums import MisconductOutcome as O
from app.domain.errors import RuleRefused
from app.domain.policy import PolicyName, PolicyValue
from app.domain.workflow.criminal import record_criminal_outcome
from app.domain.workflow.imported import ImportedRowProblem, check_imported_outcomes
from app.domain.workflow.outcomes import final_outcome, record_misconduct_outcome
from tests.unit.domain.workflow_builders import SUPERVISOR, act, allegation, apply, person, policies, snapshot

DAY = date(2025, 9, 1)


def run(outcomes, s=None, **kw):  # type: ignore[no-untyped-def]
    s = s or snapshot()
    for o in outcomes:
        s = apply(s, record_misconduct_outcome(s, act(SUPERVISOR, DAY), 10, o, policies(), **kw))
    return s


@pytest.mark.parametrize("path", [
    [O.NO_CASE_TO_ANSWER],
    [O.NO_CASE_TO_ANSWER, O.REFLECTIVE_PRACTICE],
    [O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_MEETING, O.MISCONDUCT, O.FINAL_WRITTEN_WARNING],
    [O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_MEETING, O.NOT_PROVEN],
    [O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.MISCONDUCT_HEARING, O.GROSS_MISCONDUCT, O.DISMISSAL_WITHOUT_NOTICE],
    [O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.ACCELERATED_MISCONDUCT_HEARING, O.GROSS_MISCONDUCT, O.REDUCTION_IN_RANK],
    [O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.MISCONDUCT_HEARING, O.MISCONDUCT, O.WRITTEN_WARNING],
    [O.DISCONTINUED],
])
def test_allowed_paths(path: list[O]) -> None:
    s = run(path)
    final = final_outcome(s, 10)
    assert final is not None and final.payload["outcome"] == path[-1].name


@pytest.mark.parametrize(("path", "message"), [
    ([O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_MEETING, O.MISCONDUCT, O.DISMISSAL_WITHOUT_NOTICE],
     "A misconduct meeting cannot impose DISMISSAL_WITHOUT_NOTICE"),
    ([O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_MEETING, O.MISCONDUCT, O.REDUCTION_IN_RANK],
     "A misconduct meeting cannot impose REDUCTION_IN_RANK"),
    ([O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_MEETING, O.GROSS_MISCONDUCT],
     "A misconduct meeting cannot find gross misconduct"),
    ([O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.MISCONDUCT_MEETING],
     "A misconduct meeting deals only with misconduct"),
    ([O.CASE_TO_ANSWER_MISCONDUCT, O.ACCELERATED_MISCONDUCT_HEARING],
     "An accelerated misconduct hearing is only for gross misconduct"),
    ([O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_HEARING, O.MISCONDUCT, O.DISMISSAL_WITHOUT_NOTICE],
     "after a misconduct \\(not gross\\) finding needs a final written warning in force"),
    ([O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_HEARING, O.GROSS_MISCONDUCT],
     "Gross misconduct cannot be found on a case to answer for misconduct only"),
    ([O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.MISCONDUCT_HEARING, O.GROSS_MISCONDUCT, O.WRITTEN_WARNING],
     "After a gross misconduct finding the action is FINAL_WRITTEN_WARNING"),
    ([O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_MEETING, O.NOT_PROVEN, O.WRITTEN_WARNING],
     "already has a final outcome \\(NOT_PROVEN\\)"),
    ([O.MISCONDUCT_MEETING], "MISCONDUCT_MEETING needs a case to answer determined first"),
    ([O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT], "needs the proceedings \\(meeting or hearing\\) first"),
    ([O.WRITTEN_WARNING], "WRITTEN_WARNING needs a finding of MISCONDUCT or GROSS_MISCONDUCT first"),
    ([O.CASE_TO_ANSWER_MISCONDUCT, O.NO_CASE_TO_ANSWER], "Case to answer is already determined"),
    ([O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_MEETING, O.MISCONDUCT_HEARING],
     "Proceedings are already recorded \\(MISCONDUCT_MEETING\\)"),
    ([O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_HEARING, O.MISCONDUCT, O.NOT_PROVEN],
     "A finding is already recorded \\(MISCONDUCT\\)"),
    ([O.MANAGEMENT_ADVICE], "MANAGEMENT_ADVICE was abolished on 1 February 2020"),
    ([O.MANAGEMENT_ACTION], "MANAGEMENT_ACTION is only for police staff, PCSOs and volunteers"),
    ([O.WOULD_HAVE_BEEN_DISMISSED], "WOULD_HAVE_BEEN_DISMISSED is only for someone who has left"),
    ([O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.MISCONDUCT_HEARING, O.GROSS_MISCONDUCT, O.REFLECTIVE_PRACTICE],
     "REFLECTIVE_PRACTICE cannot follow a gross misconduct finding"),
])
def test_refused_paths(path: list[O], message: str) -> None:
    with pytest.raises(RuleRefused, match=message):
        run(path)


def test_dismissal_after_misconduct_with_a_final_written_warning_in_force() -> None:
    s = run([O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_HEARING, O.MISCONDUCT])
    s = run([O.DISMISSAL_WITHOUT_NOTICE], s, final_written_warning_in_force=True)
    assert s.decisions[-1].payload["final_written_warning_in_force"] is True


def test_people_who_left_would_have_been_dismissed() -> None:
    left = snapshot(subjects=[person(employment_status=EmploymentStatus.RETIRED)])
    path = [O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.MISCONDUCT_HEARING, O.GROSS_MISCONDUCT]
    s = run([*path, O.WOULD_HAVE_BEEN_DISMISSED], left)
    assert final_outcome(s, 10).payload["outcome"] == "WOULD_HAVE_BEEN_DISMISSED"  # type: ignore[union-attr]
    with pytest.raises(RuleRefused, match="cannot be given to someone who has left the force"):
        run([*path, O.DISMISSAL_WITHOUT_NOTICE], left)
    with pytest.raises(RuleRefused, match="needs a finding of GROSS_MISCONDUCT first"):
        run([O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_HEARING, O.MISCONDUCT,
             O.WOULD_HAVE_BEEN_DISMISSED], left)


def test_management_action_for_staff_where_policy_allows() -> None:
    staff = snapshot(subjects=[person(workforce_type=WorkforceType.PCSO)])
    assert final_outcome(run([O.MANAGEMENT_ACTION], staff), 10) is not None
    off = policies(PolicyValue(PolicyName.MANAGEMENT_ACTION_ALLOWED, False, date(2020, 1, 1)))
    with pytest.raises(RuleRefused, match="where force policy allows it"):
        record_misconduct_outcome(staff, act(SUPERVISOR, DAY), 10, O.MANAGEMENT_ACTION, off)


def test_after_an_indictable_only_conviction_only_gross_misconduct() -> None:
    s = snapshot(allegations=[allegation(criminal=True)])
    s = apply(s, record_criminal_outcome(s, act(SUPERVISOR, DAY), 10, CriminalOutcome.CONVICTED,
                                         policies(), offence="Rape", indictable_only=True))
    with pytest.raises(RuleRefused, match="the determination must be CASE_TO_ANSWER_GROSS_MISCONDUCT"):
        run([O.NO_CASE_TO_ANSWER], s)
    run([O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.ACCELERATED_MISCONDUCT_HEARING, O.GROSS_MISCONDUCT], s)


def test_outcome_dates_cannot_go_backwards() -> None:
    s = run([O.CASE_TO_ANSWER_MISCONDUCT])
    with pytest.raises(RuleRefused, match="cannot be dated before the previous outcome \\(2025-09-01\\)"):
        record_misconduct_outcome(s, act(SUPERVISOR, DAY), 10, O.MISCONDUCT_MEETING, policies(),
                                  on=date(2025, 8, 1))


def test_imported_outcomes_follow_the_matrix_leniently() -> None:
    officer = person()
    check_imported_outcomes([O.WRITTEN_WARNING], officer, date(2023, 1, 1), policies())
    check_imported_outcomes([O.DISMISSAL_WITHOUT_NOTICE, O.GROSS_MISCONDUCT, O.MISCONDUCT_HEARING],
                            officer, date(2023, 1, 1), policies())
    check_imported_outcomes([O.MANAGEMENT_ADVICE], officer, date(2019, 6, 1), policies())
    with pytest.raises(ImportedRowProblem, match="MANAGEMENT_ADVICE was abolished") as problem:
        check_imported_outcomes([O.MANAGEMENT_ADVICE], officer, date(2021, 6, 1), policies())
    assert problem.value.column == "misconduct_outcomes"
    with pytest.raises(ImportedRowProblem, match="A misconduct meeting cannot impose DISMISSAL"):
        check_imported_outcomes([O.MISCONDUCT_MEETING, O.DISMISSAL_WITHOUT_NOTICE], officer,
                                date(2023, 1, 1), policies())
