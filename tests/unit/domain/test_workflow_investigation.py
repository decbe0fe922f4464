"""Investigating body and external investigation guidance (DOMAIN.md §3.3)."""

from datetime import date

import pytest

from app.domain.enums import DashRisk, GuidanceCoverage, IopcDecision, RoleFlag, VictimWorkforce
from app.domain.errors import RuleRefused
from app.domain.policy import ExternalCriterion, PolicyName, PolicyValue
from app.domain.workflow.investigation import (
    ExternalEvent,
    assign_investigating_body,
    external_investigation,
    external_investigation_reasons,
    record_external_investigation_exception,
    record_external_progress,
)
from app.domain.workflow.iopc import record_iopc_decision, record_iopc_referral
from tests.unit.domain.workflow_builders import (
    HEAD,
    LIAISON,
    SUPERVISOR,
    SUPERVISOR_2,
    act,
    allegation,
    apply,
    person,
    policies,
    snapshot,
    victim,
)

DAY = date(2025, 3, 4)
FROM = date(2024, 4, 1)


def guidance(coverage: GuidanceCoverage, *criteria: ExternalCriterion):  # type: ignore[no-untyped-def]
    values = [PolicyValue(PolicyName.EXTERNAL_INVESTIGATION_GUIDANCE, coverage, FROM)]
    if criteria:
        values.append(PolicyValue(PolicyName.EXTERNAL_INVESTIGATION_CRITERIA, frozenset(criteria), FROM))
    return policies(*values)


def test_home_force_is_allowed_without_guidance() -> None:
    d = assign_investigating_body(snapshot(), act(SUPERVISOR, DAY), "home", policies())
    assert d.payload == {"body": "HOME", "external": False}


def test_home_force_is_refused_when_guidance_requires_external_investigation() -> None:
    with pytest.raises(RuleRefused) as refused:
        assign_investigating_body(snapshot(), act(SUPERVISOR, DAY), "HOME", guidance(GuidanceCoverage.ALL))
    assert refused.value.message == (
        "Force guidance requires an external investigation (force guidance requires external "
        "investigation of every PPDA allegation). Assign another force or the IOPC, or record an "
        "exception with a rationale approved by the HEAD_OF_PSD before assigning the home force.")


def test_another_force_may_be_assigned() -> None:
    d = assign_investigating_body(snapshot(), act(SUPERVISOR, DAY), "Kent", guidance(GuidanceCoverage.ALL))
    assert d.payload == {"body": "kent", "external": True}


def test_guidance_follows_the_policy_in_force_on_the_day() -> None:
    assert external_investigation_reasons(snapshot(), guidance(GuidanceCoverage.ALL), date(2024, 3, 31)) == []


@pytest.mark.parametrize(("criterion", "changes", "reason"), [
    (ExternalCriterion.SUBJECT_AT_OR_ABOVE_RANK, {"subjects": [person(rank_or_grade="DCI")]},
     "the subject Alex Carter is DCI, at or above Insp"),
    (ExternalCriterion.SUBJECT_IN_PSD_OR_DA_ROLE,
     {"subjects": [person(role_flags=frozenset({RoleFlag.DA_SAFEGUARDING}))]},
     "the subject Alex Carter works in the PSD or a domestic-abuse/safeguarding role"),
    (ExternalCriterion.SUBJECT_IN_PSD_OR_DA_ROLE, {"subjects": [person(unit="PSD Complaints")]},
     "the subject Alex Carter works in the PSD or a domestic-abuse/safeguarding role"),
    (ExternalCriterion.VICTIM_IS_POLICE_WORKFORCE,
     {"victims": [victim(police_workforce=VictimWorkforce.SAME_FORCE)]}, "a victim is police workforce"),
    (ExternalCriterion.HIGH_RISK_DASH, {"victims": [victim(dash_risk=DashRisk.HIGH)]},
     "victim V1 is assessed HIGH risk (DASH)"),
    (ExternalCriterion.CRIMINAL_ALLEGATION, {"allegations": [allegation(criminal=True)]},
     "the allegation is criminal"),
])
def test_some_guidance_applies_by_its_criteria(criterion: ExternalCriterion, changes: dict, reason: str) -> None:
    rules = guidance(GuidanceCoverage.SOME, criterion)
    assert external_investigation_reasons(snapshot(), rules, DAY) == []
    assert external_investigation_reasons(snapshot(**changes), rules, DAY) == [reason]
    with pytest.raises(RuleRefused, match="Force guidance requires an external investigation"):
        assign_investigating_body(snapshot(**changes), act(SUPERVISOR, DAY), "HOME", rules)


def test_an_exception_needs_a_rationale_and_the_head_of_psd() -> None:
    rules = guidance(GuidanceCoverage.ALL)
    with pytest.raises(RuleRefused, match="against the external-investigation guidance needs a written rationale"):
        record_external_investigation_exception(snapshot(), act(SUPERVISOR, DAY), rules, rationale="",
                                                approver=HEAD)
    with pytest.raises(RuleRefused, match="needs approval by a HEAD_OF_PSD"):
        record_external_investigation_exception(snapshot(), act(SUPERVISOR, DAY), rules,
                                                rationale="No force available", approver=SUPERVISOR_2)
    with pytest.raises(RuleRefused, match="no exception is needed"):
        record_external_investigation_exception(snapshot(), act(SUPERVISOR, DAY), policies(),
                                                rationale="x", approver=HEAD)


def test_with_an_approved_exception_the_home_force_may_investigate() -> None:
    rules = guidance(GuidanceCoverage.ALL)
    s = snapshot()
    s = apply(s, record_external_investigation_exception(
        s, act(SUPERVISOR, DAY), rules, rationale="Neighbouring forces conflicted", approver=HEAD))
    assert assign_investigating_body(s, act(SUPERVISOR, DAY), "HOME", rules).payload["body"] == "HOME"


def test_an_independent_iopc_investigation_leaves_no_choice_of_body() -> None:
    s = snapshot()
    s = apply(s, record_iopc_referral(s, act(LIAISON, DAY), allegation_id=10))
    s = apply(s, record_iopc_decision(s, act(LIAISON, DAY), IopcDecision.INDEPENDENT_INVESTIGATION,
                                      allegation_id=10))
    with pytest.raises(RuleRefused, match="the IOPC is the investigating body"):
        assign_investigating_body(s, act(SUPERVISOR, DAY), "kent", policies(), allegation_id=10)


def test_external_investigation_dates_are_recorded_in_order() -> None:
    s = snapshot()
    with pytest.raises(RuleRefused, match="need another force or the IOPC assigned"):
        record_external_progress(s, act(SUPERVISOR, DAY), ExternalEvent.REQUESTED)
    s = apply(s, assign_investigating_body(s, act(SUPERVISOR, DAY), "kent", policies()))
    with pytest.raises(RuleRefused, match="ACCEPTED needs REQUESTED recorded first"):
        record_external_progress(s, act(SUPERVISOR, DAY), ExternalEvent.ACCEPTED)
    s = apply(s, record_external_progress(s, act(SUPERVISOR, DAY), ExternalEvent.REQUESTED))
    with pytest.raises(RuleRefused, match="REQUESTED is already recorded"):
        record_external_progress(s, act(SUPERVISOR, DAY), ExternalEvent.REQUESTED)
    with pytest.raises(RuleRefused, match="cannot be dated before the previous step \\(2025-03-04\\)"):
        record_external_progress(s, act(SUPERVISOR, DAY), ExternalEvent.ACCEPTED, on=date(2025, 3, 3))
    later = date(2025, 3, 10)
    s = apply(s, record_external_progress(s, act(SUPERVISOR, later), ExternalEvent.ACCEPTED,
                                          reference="KNT/PSD/77"))
    s = apply(s, record_external_progress(s, act(SUPERVISOR, later), ExternalEvent.HANDED_OVER))
    ext = external_investigation(s)
    assert ext is not None
    assert (ext.body, ext.requested, ext.accepted, ext.other_reference, ext.handed_over, ext.returned) == (
        "kent", DAY, later, "KNT/PSD/77", later, None)


def test_the_body_must_be_named() -> None:
    with pytest.raises(RuleRefused, match="The investigating body is needed: HOME, IOPC or another force's code"):
        assign_investigating_body(snapshot(), act(SUPERVISOR, DAY), "  ", policies())
