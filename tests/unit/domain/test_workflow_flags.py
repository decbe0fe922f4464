"""Person flags and the RFGV harm ranking (DOMAIN.md §5)."""

from datetime import date

from app.domain.enums import AbuseType as A
from app.domain.enums import AggravatingFeature as F
from app.domain.policy import PolicyName, PolicyValue
from app.domain.workflow.flags import AllegationSummary, person_flags
from app.domain.workflow.ranking import harm_ranking
from tests.unit.domain.workflow_builders import policies

TODAY = date(2025, 6, 1)


def summary(subject: int, when: date, *victims: str, case: str = "", **kw) -> AllegationSummary:  # type: ignore[no-untyped-def]
    return AllegationSummary(subject, when, tuple(victims), case_ref=case or f"C-{when}", **kw)


def test_repeat_counts_prior_allegations_in_other_cases_whatever_the_outcome() -> None:
    flags = person_flags([summary(1, date(2018, 1, 1), "C-1/V1"), summary(1, date(2025, 1, 1), "C-2/V1"),
                          summary(2, date(2025, 1, 1), "X/V1", case="X"),
                          summary(2, date(2025, 1, 2), "X/V2", case="X")], policies(), TODAY)
    assert flags[1].repeat and flags[1].reasons[0] == "repeat: PPDA allegations in 2 cases"
    assert not flags[2].repeat  # two allegations of one case


def test_serial_needs_two_different_victims_within_three_years() -> None:
    within = [summary(1, date(2022, 6, 1), "V1"), summary(1, date(2025, 5, 31), "V2")]
    apart = [summary(1, date(2022, 5, 1), "V1"), summary(1, date(2025, 5, 31), "V2")]
    same = [summary(1, date(2024, 1, 1), "V1"), summary(1, date(2025, 1, 1), "V1")]
    assert person_flags(within, policies(), TODAY)[1].serial
    assert not person_flags(apart, policies(), TODAY)[1].serial
    assert not person_flags(same, policies(), TODAY)[1].serial
    assert "serial: different victims on 2022-06-01 and 2025-05-31, within 3 years" in \
        person_flags(within, policies(), TODAY)[1].reasons


def test_confirmed_prior_notice_flags_a_person() -> None:
    flags = person_flags([], policies(), TODAY, confirmed_notice_person_ids={7})
    assert flags[7].prior_notice and not flags[7].repeat


def test_harm_ranking_orders_by_weighted_rfgv_and_explains_each_score() -> None:
    grave = [summary(1, date(2025, 4, 1), "V1", abuse_types=frozenset({A.NON_FATAL_STRANGULATION})),
             summary(1, date(2024, 9, 1), "V2", abuse_types=frozenset({A.PHYSICAL}))]
    minor = [summary(2, date(2021, 1, 1), "V3", abuse_types=frozenset({A.ECONOMIC}))]
    ranked = harm_ranking(grave + minor, policies(), TODAY)
    assert [h.subject_id for h in ranked] == [1, 2]
    top = ranked[0]
    assert (top.recency, top.frequency, top.gravity, top.victims) == (5, 2, 5, 2)
    assert top.score == 5 + 2 + 1.5 * 5 + 1.5 * 2
    assert top.explanation == (
        "R 5 (latest 2025-04-01) x1 + F 2 (allegations in 3 years) x1 + G 5 (non fatal "
        "strangulation) x1.5 + V 2 (victims) x1.5 = 17.5 [illustrative weights]")
    assert (ranked[1].recency, ranked[1].frequency, ranked[1].gravity) == (1, 0, 2)


def test_weights_are_policy() -> None:
    heavy = policies(PolicyValue(PolicyName.RFGV_WEIGHT_VICTIMS, 10.0, date(2025, 1, 1)))
    many_victims = [summary(2, date(2020, 1, 1), "A", "B", "C")]
    recent = [summary(1, date(2025, 5, 1), "V1", abuse_types=frozenset({A.SEXUAL}),
                      aggravating_features=frozenset({F.WEAPON}))]
    assert [h.subject_id for h in harm_ranking(recent + many_victims, policies(), TODAY)] == [1, 2]
    ranked = harm_ranking(recent + many_victims, heavy, TODAY)
    assert [h.subject_id for h in ranked] == [2, 1]
    assert "illustrative" not in ranked[0].explanation
