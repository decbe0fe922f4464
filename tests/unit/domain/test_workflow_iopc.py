"""IOPC referral grounds, referral, the IOPC's decision and investigation mode (DOMAIN.md §3.3)."""

from datetime import date

import pytest

from app.domain.enums import AbuseType as A
from app.domain.enums import AggravatingFeature as F
from app.domain.enums import DecisionKind, DueItemKind, IopcDecision
from app.domain.enums import MandatoryGround as G
from app.domain.errors import RuleRefused
from app.domain.workflow.due import due_items
from app.domain.workflow.investigation import investigating_body
from app.domain.workflow.iopc import (
    InvestigationMode,
    investigation_mode,
    record_iopc_decision,
    record_iopc_referral,
    referral_grounds,
)
from app.domain.workflow.recording import record_recording
from tests.unit.domain.workflow_builders import LIAISON, SUPERVISOR, act, allegation, apply, policies, snapshot


def grounds(**changes):  # type: ignore[no-untyped-def]
    s = snapshot(allegations=[allegation(**changes)])
    return {g.ground for g in referral_grounds(s, 10)}


@pytest.mark.parametrize(("changes", "expected"), [
    ({"abuse_types": frozenset({A.NON_FATAL_STRANGULATION})}, {G.SERIOUS_ASSAULT}),
    ({"abuse_types": frozenset({A.PHYSICAL}), "aggravating_features": frozenset({F.WEAPON})},
     {G.SERIOUS_ASSAULT}),
    ({"abuse_types": frozenset({A.PHYSICAL})}, set()),
    ({"abuse_types": frozenset({A.SEXUAL})}, {G.SERIOUS_SEXUAL_OFFENCE}),
    ({"aggravating_features": frozenset({F.USE_OF_POLICE_POWERS_OR_STATUS})}, {G.SERIOUS_CORRUPTION}),
    ({"aggravating_features": frozenset({F.MISUSE_OF_POLICE_SYSTEMS})}, {G.SERIOUS_CORRUPTION}),
    ({"abuse_types": frozenset({A.THREATS}), "criminal": True}, {G.RELEVANT_OFFENCE}),
    ({"abuse_types": frozenset({A.THREATS})}, set()),
    ({"abuse_types": frozenset({A.SEXUAL}), "criminal": True},
     {G.SERIOUS_SEXUAL_OFFENCE, G.RELEVANT_OFFENCE}),
    ({"abuse_types": frozenset({A.COERCIVE_CONTROL, A.ECONOMIC})}, set()),
])
def test_grounds_are_derived_from_the_allegations_features(changes: dict, expected: set) -> None:
    assert grounds(**changes) == expected


def test_grounds_explain_themselves() -> None:
    s = snapshot(allegations=[allegation(aggravating_features=frozenset({F.MISUSE_OF_POLICE_SYSTEMS}))])
    assert referral_grounds(s, 10)[0].reason == "abuse of position: misuse of police systems"


def test_an_allegation_from_the_same_incident_is_referred_too() -> None:
    serious = allegation(11, abuse_types=frozenset({A.NON_FATAL_STRANGULATION}))
    s = snapshot(allegations=[allegation(), serious])
    assert [(g.ground, g.reason) for g in referral_grounds(s, 10)] == [
        (G.SAME_INCIDENT, "same incident as allegation 11")]
    other_victim = allegation(victim_refs=("V2",))
    assert referral_grounds(snapshot(allegations=[other_victim, serious]), 10) == []


def test_mandatory_referral_is_due_by_the_end_of_the_next_working_day() -> None:
    s = snapshot(allegations=[allegation(abuse_types=frozenset({A.SEXUAL}))])
    s = apply(s, record_recording(s, act(SUPERVISOR, date(2025, 3, 7)), allegation_id=10))
    [item] = [i for i in due_items(s, policies(), date(2025, 3, 11)) if i.kind == DueItemKind.IOPC_REFERRAL]
    assert item.due_date == date(2025, 3, 10) and item.overdue
    assert item.detail == "Alex Carter: serious sexual offence"
    s = apply(s, record_iopc_referral(s, act(LIAISON, date(2025, 3, 11)), allegation_id=10,
                                      iopc_reference="2025/001234"))
    assert s.decisions[-1].payload == {"mandatory": True, "grounds": ["SERIOUS_SEXUAL_OFFENCE"],
                                       "iopc_reference": "2025/001234"}
    assert not [i for i in due_items(s, policies(), date(2025, 3, 11)) if i.kind == DueItemKind.IOPC_REFERRAL]


def test_voluntary_referral_is_always_possible_and_only_once() -> None:
    s = snapshot()
    d = record_iopc_referral(s, act(LIAISON, date(2025, 3, 4)), allegation_id=10)
    assert d.payload["mandatory"] is False and d.payload["grounds"] == []
    with pytest.raises(RuleRefused, match="already referred to the IOPC on 2025-03-04"):
        record_iopc_referral(apply(s, d), act(LIAISON, date(2025, 3, 5)), allegation_id=10)


def test_the_iopc_decision_needs_the_referral_first() -> None:
    with pytest.raises(RuleRefused, match="record the referral \\(date sent\\) first"):
        record_iopc_decision(snapshot(), act(LIAISON, date(2025, 3, 4)),
                             IopcDecision.LOCAL_INVESTIGATION, allegation_id=10)


def test_the_iopc_decision_cannot_predate_the_referral() -> None:
    s = snapshot()
    s = apply(s, record_iopc_referral(s, act(LIAISON, date(2025, 3, 6)), allegation_id=10))
    with pytest.raises(RuleRefused, match="cannot be dated before the referral was sent \\(2025-03-06\\)"):
        record_iopc_decision(s, act(LIAISON, date(2025, 3, 6)), IopcDecision.LOCAL_INVESTIGATION,
                             allegation_id=10, on=date(2025, 3, 5))


@pytest.mark.parametrize(("decision", "mode"), [
    (IopcDecision.NOT_NECESSARY_TO_INVESTIGATE, InvestigationMode.FORCE),
    (IopcDecision.LOCAL_INVESTIGATION, InvestigationMode.LOCAL),
    (IopcDecision.DIRECTED_INVESTIGATION, InvestigationMode.DIRECTED),
    (IopcDecision.INDEPENDENT_INVESTIGATION, InvestigationMode.INDEPENDENT),
])
def test_investigation_mode_comes_from_the_iopc_decision(decision: IopcDecision, mode: InvestigationMode) -> None:
    s = snapshot()
    assert investigation_mode(s, 10) == InvestigationMode.FORCE
    s = apply(s, record_iopc_referral(s, act(LIAISON, date(2025, 3, 4)), allegation_id=10))
    made = record_iopc_decision(s, act(LIAISON, date(2025, 3, 20)), decision, allegation_id=10)
    s = apply(s, made)
    assert investigation_mode(s, 10) == mode
    independent = decision == IopcDecision.INDEPENDENT_INVESTIGATION
    assert (made[-1].kind == DecisionKind.INVESTIGATING_BODY) == independent
    assert investigating_body(s, 10) == ("IOPC" if independent else None)


def referred(s=None, **kw):  # type: ignore[no-untyped-def]
    s = s or snapshot()
    return apply(s, record_iopc_referral(s, act(LIAISON, date(2025, 3, 4)), **kw))


def test_the_iopc_decision_records_the_mode_and_keeps_the_referrals_reference() -> None:
    s = referred(allegation_id=10, iopc_reference=" 2025/000777 ")
    [made] = record_iopc_decision(s, act(LIAISON, date(2025, 3, 20)), IopcDecision.DIRECTED_INVESTIGATION,
                                  allegation_id=10)
    assert (made.kind, made.allegation_id, made.effective_date) == (DecisionKind.IOPC_DECISION, 10, date(2025, 3, 20))
    assert made.payload == {"decision": "DIRECTED_INVESTIGATION", "mode": "DIRECTED", "iopc_reference": "2025/000777"}
    [given] = record_iopc_decision(s, act(LIAISON, date(2025, 3, 20)), IopcDecision.LOCAL_INVESTIGATION,
                                   allegation_id=10, iopc_reference="2025/000778")
    assert given.payload["iopc_reference"] == "2025/000778"


def test_an_independent_investigation_makes_the_iopc_the_external_investigating_body_that_day() -> None:
    s = referred(allegation_id=10)
    decision, body = record_iopc_decision(s, act(LIAISON, date(2025, 3, 25)), IopcDecision.INDEPENDENT_INVESTIGATION,
                                          allegation_id=10, on=date(2025, 3, 20))
    assert (body.kind, body.payload, body.effective_date, body.allegation_id) == (
        DecisionKind.INVESTIGATING_BODY, {"body": "IOPC", "external": True}, date(2025, 3, 20), 10)
    assert investigating_body(apply(s, [decision, body]), 10) == "IOPC"


def test_a_referral_of_the_whole_case_covers_each_allegation() -> None:
    two = snapshot(allegations=[allegation(), allegation(11)])
    s = referred(two)  # allegation_id None: the whole case
    assert s.decisions[-1].allegation_id is None
    [made] = record_iopc_decision(s, act(LIAISON, date(2025, 3, 20)), IopcDecision.LOCAL_INVESTIGATION)
    assert made.allegation_id is None
    s = apply(s, made)
    assert investigation_mode(s, 10) == investigation_mode(s, 11) == InvestigationMode.LOCAL
    [own] = record_iopc_decision(s, act(LIAISON, date(2025, 3, 21)), IopcDecision.NOT_NECESSARY_TO_INVESTIGATE,
                                 allegation_id=11)
    s = apply(s, own)
    assert (investigation_mode(s, 10), investigation_mode(s, 11)) == (InvestigationMode.LOCAL, InvestigationMode.FORCE)


def test_a_decision_on_one_allegation_needs_that_allegations_referral() -> None:
    two = snapshot(allegations=[allegation(), allegation(11)])
    s = referred(two, allegation_id=11)
    with pytest.raises(RuleRefused, match=r"^The IOPC's decision can only be recorded after the referral: "
                                          r"record the referral \(date sent\) first\.$"):
        record_iopc_decision(s, act(LIAISON, date(2025, 3, 20)), IopcDecision.LOCAL_INVESTIGATION, allegation_id=10)
    [made] = record_iopc_decision(s, act(LIAISON, date(2025, 3, 20)), IopcDecision.LOCAL_INVESTIGATION)
    assert made.allegation_id is None  # the whole case's decision follows the latest referral


@pytest.mark.parametrize(("first", "second", "same"), [
    ((date(2025, 1, 1), date(2025, 1, 31)), (date(2025, 1, 31), None), True),  # touching on the last day
    ((date(2025, 1, 1), date(2025, 1, 31)), (date(2025, 2, 1), None), False),  # the day after
    ((date(2025, 2, 1), None), (date(2025, 1, 1), date(2025, 1, 31)), False),  # the other way round
    ((date(2025, 1, 10), None), (date(2025, 1, 10), None), True),  # the same single day
    ((date(2025, 1, 10), None), (date(2025, 1, 9), None), False),
    ((date(2025, 1, 1), date(2025, 3, 1)), (date(2025, 2, 1), date(2025, 2, 2)), True),  # inside
    ((None, None), (None, None), True),  # neither dated: the same incident as far as can be told
    ((None, None), (date(2025, 1, 10), None), False),
    ((date(2025, 1, 10), None), (None, None), False),
    ((None, date(2025, 1, 10)), (date(2025, 1, 10), None), False),  # an end without a start is not a date range
])
def test_the_same_incident_needs_the_same_victim_and_overlapping_conduct_dates(first, second, same) -> None:  # type: ignore[no-untyped-def]
    a = allegation(conduct_from=first[0], conduct_to=first[1])
    b = allegation(11, abuse_types=frozenset({A.NON_FATAL_STRANGULATION}), conduct_from=second[0], conduct_to=second[1])
    found = [g.ground for g in referral_grounds(snapshot(allegations=[a, b]), 10)]
    assert found == ([G.SAME_INCIDENT] if same else [])


def test_each_ground_gives_its_reason() -> None:
    weapon = allegation(abuse_types=frozenset({A.PHYSICAL, A.NON_FATAL_STRANGULATION, A.SEXUAL, A.THREATS,
                                               A.STALKING_HARASSMENT}),
                        aggravating_features=frozenset({F.WEAPON, F.USE_OF_POLICE_POWERS_OR_STATUS,
                                                        F.MISUSE_OF_POLICE_SYSTEMS}), criminal=True)
    assert [(g.ground, g.reason) for g in referral_grounds(snapshot(allegations=[weapon]), 10)] == [
        (G.SERIOUS_ASSAULT, "non-fatal strangulation"),
        (G.SERIOUS_ASSAULT, "physical abuse with a weapon"),
        (G.SERIOUS_SEXUAL_OFFENCE, "sexual abuse"),
        (G.SERIOUS_CORRUPTION, "abuse of position: use of police powers or status"),
        (G.SERIOUS_CORRUPTION, "abuse of position: misuse of police systems"),
        (G.RELEVANT_OFFENCE, "criminal allegation of a sexual offence and threats to kill and stalking involving fear "
                             "of violence and a wounding with a weapon (7 years or more)"),
    ]


@pytest.mark.parametrize(("types", "features", "relevant"), [
    ({A.PHYSICAL}, {F.WEAPON}, "criminal allegation of a wounding with a weapon (7 years or more)"),
    ({A.PHYSICAL}, set(), None),
    ({A.COERCIVE_CONTROL}, {F.WEAPON}, None),
    ({A.STALKING_HARASSMENT}, set(), "criminal allegation of stalking involving fear of violence (7 years or more)"),
])
def test_a_relevant_offence_needs_a_criminal_allegation_of_a_serious_kind(types, features, relevant) -> None:  # type: ignore[no-untyped-def]
    a = allegation(abuse_types=frozenset(types), aggravating_features=frozenset(features), criminal=True)
    found = [g.reason for g in referral_grounds(snapshot(allegations=[a]), 10) if g.ground == G.RELEVANT_OFFENCE]
    assert found == ([relevant] if relevant else [])


def test_referring_one_allegation_takes_only_its_own_grounds() -> None:
    serious = allegation(abuse_types=frozenset({A.SEXUAL}), victim_refs=("V1",))
    other = allegation(11, victim_refs=("V2",))
    s = snapshot(allegations=[serious, other])
    made = record_iopc_referral(s, act(LIAISON, date(2025, 3, 4)), allegation_id=11)
    assert (made.allegation_id, made.payload["mandatory"], made.payload["grounds"]) == (11, False, [])
    whole = record_iopc_referral(s, act(LIAISON, date(2025, 3, 4)))
    assert (whole.allegation_id, whole.payload["grounds"]) == (None, ["SERIOUS_SEXUAL_OFFENCE"])
    s = apply(s, made)
    again = record_iopc_referral(s, act(LIAISON, date(2025, 3, 5)), allegation_id=10)  # 11's referral is not 10's
    assert again.payload["grounds"] == ["SERIOUS_SEXUAL_OFFENCE"]
