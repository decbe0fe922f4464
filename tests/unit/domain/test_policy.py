"""Policies are dated data: the value in force on a date is the latest effective on or before it."""

from datetime import date, datetime

import pytest

from app.domain.enums import GuidanceCoverage
from app.domain.errors import InvalidInput
from app.domain.policy import (
    ExternalCriterion,
    PolicyName,
    PolicySet,
    PolicyValue,
    parse_policy_input,
    parse_policy_value,
)
from app.domain.ranks import rank_level


def test_shipped_defaults() -> None:
    p = PolicySet()
    on = date(2025, 1, 1)
    assert p.int_on(PolicyName.RESTRICTION_DECISION_DEADLINE_WORKING_DAYS, on) == 2
    assert p.int_on(PolicyName.RESTRICTION_REVIEW_DAYS, on) == 28
    assert p.bool_on(PolicyName.SUSPEND_ON_CHARGE, on) is True
    assert p.int_on(PolicyName.SUSPENSION_ON_CHARGE_DEADLINE_WORKING_DAYS, on) == 1
    assert p.int_on(PolicyName.VICTIM_UPDATE_DAYS, on) == 28
    assert p.int_on(PolicyName.RETENTION_YEARS, on) == 6
    assert p.coverage_on(PolicyName.EXTERNAL_INVESTIGATION_GUIDANCE, on) is GuidanceCoverage.NONE


def test_the_2026_amendments_take_effect_on_13_july_2026() -> None:
    p = PolicySet()
    assert p.optional_int_on(PolicyName.SUSPENSION_REVIEW_WEEKS, date(2026, 7, 12)) is None
    assert p.optional_int_on(PolicyName.SUSPENSION_REVIEW_WEEKS, date(2026, 7, 13)) == 12
    assert p.bool_on(PolicyName.SUSPEND_ON_ARREST, date(2026, 7, 12)) is False
    assert p.bool_on(PolicyName.SUSPEND_ON_ARREST, date(2026, 7, 13)) is True


def test_value_in_force_is_the_latest_effective_on_or_before_the_date() -> None:
    p = PolicySet(
        [
            PolicyValue(PolicyName.RESTRICTION_REVIEW_DAYS, 21, date(2024, 4, 1)),
            PolicyValue(PolicyName.RESTRICTION_REVIEW_DAYS, 14, date(2025, 4, 1)),
        ]
    )
    name = PolicyName.RESTRICTION_REVIEW_DAYS
    assert p.int_on(name, date(2024, 3, 31)) == 28
    assert p.int_on(name, date(2024, 4, 1)) == 21
    assert p.int_on(name, date(2025, 3, 31)) == 21
    assert p.int_on(name, date(2030, 1, 1)) == 14


def test_a_force_value_on_the_same_date_as_a_default_wins() -> None:
    p = PolicySet([PolicyValue(PolicyName.SUSPEND_ON_ARREST, False, date(2026, 7, 13))])
    assert p.bool_on(PolicyName.SUSPEND_ON_ARREST, date(2026, 8, 1)) is False


def test_with_value_previews_a_change_without_altering_the_set() -> None:
    p = PolicySet()
    q = p.with_value(PolicyValue(PolicyName.VICTIM_UPDATE_DAYS, 14, date(2025, 1, 1)))
    assert p.int_on(PolicyName.VICTIM_UPDATE_DAYS, date(2025, 6, 1)) == 28
    assert q.int_on(PolicyName.VICTIM_UPDATE_DAYS, date(2025, 6, 1)) == 14


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("role-restriction-guidance", "SOME", GuidanceCoverage.SOME),
        ("external-investigation-guidance", "all", GuidanceCoverage.ALL),
        ("EXTERNAL_INVESTIGATION_GUIDANCE", "None", GuidanceCoverage.NONE),
        ("suspend-on-charge", "off", False),
        ("restriction-review-days", "14", 14),
        ("match-auto-threshold", "0.9", 0.9),
        ("external-investigation-min-rank", "Ch Supt", "Ch Supt"),
        (
            "external-investigation-criteria",
            "high-risk-dash,criminal-allegation",
            frozenset({ExternalCriterion.HIGH_RISK_DASH, ExternalCriterion.CRIMINAL_ALLEGATION}),
        ),
    ],
)
def test_policy_set_input_is_parsed(name: str, text: str, expected: object) -> None:
    value = parse_policy_input(name, text, date(2025, 4, 1))
    assert value.value == expected
    assert value.effective_from == date(2025, 4, 1)
    assert parse_policy_value(value.name, value.text) == expected


def test_unknown_policy_is_refused_listing_known_names() -> None:
    with pytest.raises(InvalidInput, match=r"Unknown policy 'role-guidance'\. Known policies: .*"
                       r"role-restriction-guidance"):
        parse_policy_input("role-guidance", "SOME", date(2025, 1, 1))


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("role-restriction-guidance", "MOST", r"needs NONE, SOME or ALL; 'MOST' is not one"),
        ("restriction-decision-deadline-working-days", "two",
         r"needs a whole number from 0 to 30; 'two' is not one"),
        ("restriction-decision-deadline-working-days", "31", r"from 0 to 30; '31'"),
        ("suspend-on-charge", "maybe", r"needs ON or OFF"),
        ("match-auto-threshold", "1.5", r"needs a number from 0 to 1"),
        ("external-investigation-criteria", "tall", r"needs one or more of subject-at-or-above-rank"),
        ("external-investigation-min-rank", "Band D", r"needs a police rank"),
    ],
)
def test_bad_policy_values_are_refused(name: str, text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_policy_input(name, text, date(2025, 1, 1))


def test_rank_levels_order_police_ranks_and_ignore_staff_grades() -> None:
    levels = [rank_level(r) or 0 for r in ("PC", "DS", "Insp", "DCI", "Supt", "Ch Supt", "ACC")]
    assert levels == sorted(levels) and 0 not in levels
    assert rank_level("Band D") is None
    assert rank_level(None) is None


def test_cli_names() -> None:
    assert PolicyName.ROLE_RESTRICTION_GUIDANCE.cli_name == "role-restriction-guidance"
    assert PolicyName.parse("external-investigation-guidance") is (
        PolicyName.EXTERNAL_INVESTIGATION_GUIDANCE
    )


# ---- history: when each value was recorded, corrections, and what was recorded earlier ---------

def _recorded(value: int, effective: date, at: datetime, reason: str | None = None) -> PolicyValue:
    return PolicyValue(PolicyName.RESTRICTION_REVIEW_DAYS, value, effective, at, "admin", reason)


def test_a_later_record_for_the_same_date_supersedes_the_earlier_from_when_it_was_recorded() -> None:
    first = _recorded(21, date(2025, 3, 10), datetime(2025, 3, 10, 9))
    second = _recorded(14, date(2025, 3, 10), datetime(2025, 3, 20, 9), "typo")
    name = PolicyName.RESTRICTION_REVIEW_DAYS
    p = PolicySet([second, first])  # the order given does not matter: the recording time does
    assert p.int_on(name, date(2025, 3, 9)) == 28
    assert p.int_on(name, date(2025, 3, 10)) == 14
    assert [v.value for v in p.history(name)] == [28, 14]
    assert p.records(name) == [first, second]
    assert p.superseded(first) and not p.superseded(second)
    for moment, expected in ((datetime(2025, 3, 10, 8, 59), 28), (datetime(2025, 3, 10, 9), 21),
                             (datetime(2025, 3, 20, 8, 59), 21), (datetime(2025, 3, 20, 9), 14)):
        assert p.as_recorded(moment).int_on(name, date(2025, 4, 1)) == expected, moment
    assert p.recorded_before(datetime(2025, 3, 20, 9)).int_on(name, date(2025, 4, 1)) == 21
    assert p.recorded_before(datetime(2025, 3, 10, 9)).int_on(name, date(2025, 4, 1)) == 28


def test_a_record_is_a_correction_when_its_date_had_passed_in_the_force_when_recorded() -> None:
    assert not _recorded(14, date(2025, 3, 10), datetime(2025, 3, 10, 23, 59)).correction  # GMT: still the 10th
    assert _recorded(14, date(2025, 3, 10), datetime(2025, 3, 11, 0, 0)).correction
    assert not _recorded(14, date(2025, 7, 14), datetime(2025, 7, 13, 23, 30)).correction  # 00:30 BST on the 14th
    assert _recorded(14, date(2025, 7, 13), datetime(2025, 7, 13, 23, 30)).correction
    assert not _recorded(14, date(2025, 7, 15), datetime(2025, 7, 13, 23, 30)).correction  # future
    assert not PolicyValue(PolicyName.RESTRICTION_REVIEW_DAYS, 14, date(2000, 1, 1)).correction  # shipped
    late = _recorded(14, date(2020, 1, 1), datetime(2025, 3, 20, 9), "typo")
    early = _recorded(21, date(2020, 1, 1), datetime(2025, 3, 1, 9), "first")
    planned = _recorded(7, date(2026, 1, 1), datetime(2025, 3, 1, 9))
    assert PolicySet([late, planned, early]).corrections() == [early, late]


def test_a_shipped_default_is_superseded_by_a_force_value_on_its_date() -> None:
    own = PolicyValue(PolicyName.SUSPEND_ON_ARREST, False, date(2026, 7, 13), datetime(2026, 1, 1), "admin")
    p = PolicySet([own])
    shipped = list(PolicySet().history(PolicyName.SUSPEND_ON_ARREST))
    assert [p.superseded(v) for v in shipped] == [False, True]
    assert p.with_value(PolicyValue(PolicyName.SUSPEND_ON_ARREST, True, date(2027, 1, 1))).bool_on(
        PolicyName.SUSPEND_ON_ARREST, date(2027, 1, 1)) is True
    assert p.as_recorded(datetime(2025, 12, 31)).bool_on(PolicyName.SUSPEND_ON_ARREST, date(2026, 8, 1)) is True
    bare = PolicySet([own], with_defaults=False)
    assert bare.as_recorded(datetime(2026, 1, 1)).history(PolicyName.RESTRICTION_REVIEW_DAYS) == []
    assert bare.recorded_before(datetime(2026, 1, 1)).history(PolicyName.SUSPEND_ON_ARREST) == []
