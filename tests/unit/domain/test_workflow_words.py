"""The outcome matrix's refusals word for word, imported outcomes, the harm ranking and the flags on
a person at their boundaries, and due items named by case, allegation and subject (DOMAIN.md §3.4,
§3.5, §5)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.domain.enums import (
    AbuseType,
    AggravatingFeature,
    CriminalOutcome,
    DashRisk,
    DueItemKind,
    EmploymentStatus,
    Role,
    WorkforceType,
)
from app.domain.enums import MisconductOutcome as O
from app.domain.enums import RestrictionOption as R
from app.domain.errors import RuleRefused
from app.domain.policy import PolicyName, PolicyValue
from app.domain.workflow.criminal import record_criminal_outcome
from app.domain.workflow.due import DueItem, PendingNotice, due_items, notice_due_items
from app.domain.workflow.flags import AllegationSummary, person_flags, serial_reason
from app.domain.workflow.imported import ImportedRowProblem, check_imported_outcomes
from app.domain.workflow.outcomes import OutcomeContext, check_outcome_sequence
from app.domain.workflow.ranking import gravity_of, harm_ranking, recency_points, score_subject
from app.domain.workflow.recording import record_recording, record_threshold
from app.domain.workflow.restriction import record_restriction
from app.domain.workflow.timeliness import record_pcc_report
from tests.unit.domain.workflow_builders import SUPERVISOR, act, allegation, apply, person, policies, snapshot, victim


def exactly(text: str) -> str:
    return "^" + re.escape(text) + "$"


GROSS_ONLY = "A conviction for an indictable-only offence is always gross misconduct: "


@pytest.mark.parametrize(("outcomes", "ctx", "message"), [
    ([O.MANAGEMENT_ADVICE], OutcomeContext(), "MANAGEMENT_ADVICE was abolished on 1 February 2020; it is kept only "
     "for imported cases received before then. Use REFLECTIVE_PRACTICE instead."),
    ([O.MANAGEMENT_ACTION], OutcomeContext(), "MANAGEMENT_ACTION is only for police staff, PCSOs and volunteers under "
     "the force's staff process, where force policy allows it."),
    ([O.MANAGEMENT_ACTION], OutcomeContext(statutory=False, management_action_allowed=False),
     "MANAGEMENT_ACTION is only for police staff, PCSOs and volunteers under the force's staff process, where force "
     "policy allows it."),
    ([O.WOULD_HAVE_BEEN_DISMISSED], OutcomeContext(), "WOULD_HAVE_BEEN_DISMISSED is only for someone who has left the "
     "force; a serving subject is dismissed (DISMISSAL_WITHOUT_NOTICE)."),
    ([O.WOULD_HAVE_BEEN_DISMISSED], OutcomeContext(has_left=True),
     "WOULD_HAVE_BEEN_DISMISSED needs a finding of GROSS_MISCONDUCT first."),
    ([O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.MISCONDUCT_HEARING, O.GROSS_MISCONDUCT, O.REFLECTIVE_PRACTICE],
     OutcomeContext(), "The allegation already has a final outcome (REFLECTIVE_PRACTICE); REFLECTIVE_PRACTICE cannot "
     "follow it." if False else "REFLECTIVE_PRACTICE cannot follow a gross misconduct finding; record the "
     "disciplinary action."),
    ([O.CASE_TO_ANSWER_MISCONDUCT], OutcomeContext(indictable_only_conviction=True),
     GROSS_ONLY + "the determination must be CASE_TO_ANSWER_GROSS_MISCONDUCT."),
    ([O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.MISCONDUCT_MEETING], OutcomeContext(),
     "A misconduct meeting deals only with misconduct; a case to answer for gross misconduct goes to a hearing or an "
     "accelerated hearing."),
    ([O.CASE_TO_ANSWER_MISCONDUCT, O.ACCELERATED_MISCONDUCT_HEARING], OutcomeContext(),
     "An accelerated misconduct hearing is only for gross misconduct (CASE_TO_ANSWER_GROSS_MISCONDUCT)."),
    ([O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_MEETING, O.GROSS_MISCONDUCT], OutcomeContext(),
     "A misconduct meeting cannot find gross misconduct."),
    ([O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_HEARING, O.GROSS_MISCONDUCT], OutcomeContext(),
     "Gross misconduct cannot be found on a case to answer for misconduct only."),
    ([O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.MISCONDUCT_HEARING, O.MISCONDUCT],
     OutcomeContext(indictable_only_conviction=True), GROSS_ONLY + "the finding must be GROSS_MISCONDUCT."),
    ([O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.MISCONDUCT_HEARING, O.GROSS_MISCONDUCT, O.WRITTEN_WARNING],
     OutcomeContext(has_left=True), "WRITTEN_WARNING cannot be given to someone who has left the force; after a gross "
     "misconduct finding record WOULD_HAVE_BEEN_DISMISSED."),
    ([O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_MEETING, O.MISCONDUCT, O.REDUCTION_IN_RANK], OutcomeContext(),
     "A misconduct meeting cannot impose REDUCTION_IN_RANK; its outcomes are WRITTEN_WARNING or "
     "FINAL_WRITTEN_WARNING."),
    ([O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.MISCONDUCT_HEARING, O.GROSS_MISCONDUCT, O.WRITTEN_WARNING],
     OutcomeContext(), "After a gross misconduct finding the action is FINAL_WRITTEN_WARNING, REDUCTION_IN_RANK or "
     "DISMISSAL_WITHOUT_NOTICE."),
    ([O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_HEARING, O.MISCONDUCT, O.DISMISSAL_WITHOUT_NOTICE], OutcomeContext(),
     "DISMISSAL_WITHOUT_NOTICE after a misconduct (not gross) finding needs a final written warning in force, or a "
     "finding resting on more than one incident not closely connected."),
])
def test_the_outcome_matrix_refuses_in_these_words(outcomes: list[O], ctx: OutcomeContext, message: str) -> None:
    with pytest.raises(RuleRefused, match=exactly(message)):
        check_outcome_sequence(outcomes, ctx)


# ---- imported outcomes --------------------------------------------------------------------------------

OFFICER = person()
STAFF = person(workforce_type=WorkforceType.POLICE_STAFF)


@pytest.mark.parametrize(("outcomes", "subject", "recorded", "ok"), [
    ([O.MANAGEMENT_ADVICE], OFFICER, date(2020, 1, 31), True),  # before 1 February 2020
    ([O.MANAGEMENT_ADVICE], OFFICER, date(2020, 2, 1), False),
    ([O.MANAGEMENT_ACTION], STAFF, date(2024, 1, 1), True),
    ([O.MANAGEMENT_ACTION], OFFICER, date(2024, 1, 1), False),
    ([O.WOULD_HAVE_BEEN_DISMISSED], person(employment_status=EmploymentStatus.RESIGNED), date(2024, 1, 1), True),
    ([O.WOULD_HAVE_BEEN_DISMISSED], OFFICER, date(2024, 1, 1), False),
    ([O.DISMISSAL_WITHOUT_NOTICE, O.MISCONDUCT], OFFICER, date(2024, 1, 1), True),  # incidents given the benefit
    ([O.REDUCTION_IN_RANK, O.MISCONDUCT, O.MISCONDUCT_HEARING], OFFICER, date(2024, 1, 1), True),
    ([O.WRITTEN_WARNING], person(employment_status=EmploymentStatus.RETIRED), date(2024, 1, 1), True),  # predates
])
def test_imported_outcomes_obey_the_matrix_with_the_benefit_of_the_doubt(
        outcomes: list[O], subject: object, recorded: date, ok: bool) -> None:
    if ok:
        check_imported_outcomes(outcomes, subject, recorded, policies())  # type: ignore[arg-type]
        return
    with pytest.raises(ImportedRowProblem) as refused:
        check_imported_outcomes(outcomes, subject, recorded, policies())  # type: ignore[arg-type]
    assert refused.value.column == "misconduct_outcomes"


def test_management_action_follows_the_policy_on_the_recorded_date() -> None:
    off = policies(PolicyValue(PolicyName.MANAGEMENT_ACTION_ALLOWED, False, date(2024, 1, 1)))
    check_imported_outcomes([O.MANAGEMENT_ACTION], STAFF, date(2023, 12, 31), off)
    with pytest.raises(ImportedRowProblem, match="MANAGEMENT_ACTION is only for police staff"):
        check_imported_outcomes([O.MANAGEMENT_ACTION], STAFF, date(2024, 1, 1), off)


# ---- harm ranking -----------------------------------------------------------------------------------

TODAY = date(2025, 6, 1)


def summary(when: date = TODAY, *types: AbuseType, victims: tuple[str, ...] = ("c/V1",), subject: int = 1,
            **kw: object) -> AllegationSummary:
    return AllegationSummary(subject, when, victims, frozenset(types), **kw)  # type: ignore[arg-type]


def test_gravity_is_the_gravest_type_plus_one_for_a_weapon_or_high_risk_at_most_5() -> None:
    assert gravity_of(summary()) == (1, "no abuse type recorded")
    assert gravity_of(summary(TODAY, AbuseType.ECONOMIC, AbuseType.PHYSICAL)) == (4, "physical")
    assert gravity_of(summary(TODAY, AbuseType.THREATS, AbuseType.STALKING_HARASSMENT)) == (3, "threats")  # by name
    weapon = summary(TODAY, AbuseType.PHYSICAL, aggravating_features=frozenset({AggravatingFeature.WEAPON}),
                     dash_risk=DashRisk.HIGH)
    assert gravity_of(weapon) == (5, "physical with a weapon")
    assert gravity_of(summary(TODAY, AbuseType.THREATS, dash_risk=DashRisk.HIGH)) == (4, "threats, HIGH DASH risk")
    assert gravity_of(summary(TODAY, AbuseType.THREATS, dash_risk=DashRisk.MEDIUM)) == (3, "threats")
    assert gravity_of(summary(TODAY, AbuseType.SEXUAL, dash_risk=DashRisk.HIGH)) == (5, "sexual, HIGH DASH risk")


@pytest.mark.parametrize(("latest", "points"), [
    (date(2024, 12, 1), 5), (date(2024, 11, 30), 4), (date(2024, 6, 1), 4), (date(2024, 5, 31), 3),
    (date(2022, 6, 1), 2), (date(2022, 5, 31), 1),
])
def test_recency_bands_include_their_first_day(latest: date, points: int) -> None:
    assert recency_points(latest, TODAY) == points


def test_a_score_weighs_each_factor_by_its_own_policy_and_says_how() -> None:
    p = policies(*[PolicyValue(n, w, date(2000, 1, 1)) for n, w in (
        (PolicyName.RFGV_WEIGHT_RECENCY, 1.0), (PolicyName.RFGV_WEIGHT_FREQUENCY, 2.0),
        (PolicyName.RFGV_WEIGHT_GRAVITY, 3.0), (PolicyName.RFGV_WEIGHT_VICTIMS, 0.333))])
    six = [summary(date(2025, 1, i), AbuseType.COERCIVE_CONTROL, victims=(f"c/V{i}",)) for i in range(1, 7)]
    h = score_subject(1, six, p, TODAY)
    assert (h.recency, h.frequency, h.gravity, h.victims) == (5, 5, 3, 5)
    assert h.score == round(5 + 10 + 9 + 5 * 0.333, 2) == 25.66
    assert h.explanation == ("R 5 (latest 2025-01-06) x1 + F 5 (allegations in 3 years) x2 + G 3 (coercive control) "
                             "x3 + V 5 (victims) x0.333 = 25.66")


def test_frequency_counts_allegations_from_three_years_ago_to_the_day() -> None:
    old = [summary(date(2022, 6, 1)), summary(date(2022, 5, 31))]
    assert score_subject(1, old, policies(), TODAY).frequency == 1
    assert score_subject(1, old, policies(), TODAY).explanation.endswith("[illustrative weights]")


def test_the_ranking_puts_the_highest_harm_first() -> None:
    ranked = harm_ranking([summary(date(2020, 1, 1), subject=1), summary(TODAY, AbuseType.SEXUAL, subject=2)],
                          policies(), TODAY)
    assert [h.subject_id for h in ranked] == [2, 1]


# ---- flags ------------------------------------------------------------------------------------------

def test_two_victims_exactly_three_years_apart_make_a_serial_perpetrator() -> None:
    a = summary(date(2022, 6, 1), victims=("c1/V1",))
    assert serial_reason([a, summary(date(2025, 6, 1), victims=("c2/V1",))], 3) == (
        "serial: different victims on 2022-06-01 and 2025-06-01, within 3 years")
    assert serial_reason([a, summary(date(2025, 6, 2), victims=("c2/V1",))], 3) is None


def test_a_pair_far_apart_does_not_hide_a_later_pair_within_the_window() -> None:
    found = serial_reason([summary(date(2010, 1, 1), victims=("c0/V1",)), summary(date(2024, 1, 1), victims=("c1/V1",)),
                           summary(date(2025, 1, 1), victims=("c2/V1",))], 3)
    assert found == "serial: different victims on 2024-01-01 and 2025-01-01, within 3 years"


def test_flags_name_each_person_and_a_confirmed_notice() -> None:
    flags = person_flags([summary(subject=7)], policies(), TODAY, confirmed_notice_person_ids={7, 8})
    assert (flags[7].subject_id, flags[8].subject_id) == (7, 8)
    assert flags[8].reasons == ("confirmed prior notice from another force or the PND",)
    assert flags[8].prior_notice and not flags[8].repeat and not flags[8].serial


# ---- due items name their case, allegation and subject --------------------------------------------------

def test_each_due_item_names_its_case_allegation_subject_and_who_it_falls_to() -> None:
    sexual = frozenset({AbuseType.SEXUAL})
    s = snapshot(allegations=[allegation(11, subject_id=101, abuse_types=sexual, criminal=True, crime_ref="C2"),
                              allegation(10, criminal=True, crime_ref="C1", victim_refs=("V2",))],
                 subjects=[person(), person(101, "Lane")], victims=[victim("V1"), victim("V2")],
                 received=date(2024, 1, 2))
    day = date(2025, 3, 3)
    for aid, offence in ((11, "Rape"), (10, "Assault")):
        s = apply(s, record_threshold(s, act(SUPERVISOR, day), aid, on=day))
        s = apply(s, record_criminal_outcome(s, act(SUPERVISOR, day), aid, CriminalOutcome.CHARGED, policies(),
                                             on=day, offence=offence))
    s = apply(s, record_recording(s, act(SUPERVISOR, day), allegation_id=11, on=day))
    s = apply(s, record_pcc_report(s, act(SUPERVISOR, day), policies()))
    ref = "PSD-2025-000001"
    assert due_items(s, policies(), date(2025, 3, 6)) == [
        DueItem(DueItemKind.VICTIM_UPDATE, date(2024, 1, 30), True, ref, "victim V1", Role.INVESTIGATOR),
        DueItem(DueItemKind.VICTIM_UPDATE, date(2024, 1, 30), True, ref, "victim V2", Role.INVESTIGATOR),
        DueItem(DueItemKind.IOPC_REFERRAL, date(2025, 3, 4), True, ref, "Alex Lane: relevant offence, "
                "serious sexual offence", Role.IOPC_LIAISON, 11, 101),
        DueItem(DueItemKind.SUSPENSION_ON_CHARGE, date(2025, 3, 4), True, ref,
                "Alex Carter: charge 2025-03-03 (Assault)", Role.SUPERVISOR, 10, 100),
        DueItem(DueItemKind.SUSPENSION_ON_CHARGE, date(2025, 3, 4), True, ref, "Alex Lane: charge 2025-03-03 (Rape)",
                Role.SUPERVISOR, 11, 101),
        DueItem(DueItemKind.RESTRICTION_DECISION, date(2025, 3, 5), True, ref,
                "Alex Carter: threshold met 2025-03-03", Role.SUPERVISOR, 10, 100),
        DueItem(DueItemKind.RESTRICTION_DECISION, date(2025, 3, 5), True, ref, "Alex Lane: threshold met 2025-03-03",
                Role.SUPERVISOR, 11, 101),
        DueItem(DueItemKind.TWELVE_MONTH_REPORT, date(2025, 7, 2), False, ref, "report 2 to the PCC",
                Role.HEAD_OF_PSD),
    ]
    s = apply(s, record_restriction(s, act(SUPERVISOR, day), 10, [R.RESTRICTED_DUTIES], on=day))
    [review] = [i for i in due_items(s, policies(), day) if i.kind == DueItemKind.RESTRICTION_REVIEW]
    assert review == DueItem(DueItemKind.RESTRICTION_REVIEW, date(2025, 3, 31), False, ref,
                             "Alex Carter: review restricted duties", Role.SUPERVISOR, 10, 100)


def test_the_first_pcc_report_is_the_12_month_report() -> None:
    [item] = [i for i in due_items(snapshot(received=date(2024, 1, 2)), policies(), date(2025, 3, 6))
              if i.kind == DueItemKind.TWELVE_MONTH_REPORT]
    assert (item.detail, item.case_ref) == ("12-month report to the PCC", "PSD-2025-000001")


def test_a_horizon_keeps_what_falls_due_up_to_its_last_day() -> None:
    s = snapshot(received=date(2025, 3, 3))  # victim update due 31 March
    assert [i.kind for i in due_items(s, policies(), date(2025, 3, 21), horizon_days=10)] == [DueItemKind.VICTIM_UPDATE]
    assert due_items(s, policies(), date(2025, 3, 20), horizon_days=10) == []


def test_a_notice_without_a_summary_is_named_by_its_id() -> None:
    [item] = notice_due_items([PendingNotice("N9", date(2025, 3, 3))], [], policies(), date(2025, 3, 3))
    assert (item.detail, item.case_ref, item.falls_to, item.person_id) == ("triage notice N9", "N9", Role.SUPERVISOR,
                                                                           None)
