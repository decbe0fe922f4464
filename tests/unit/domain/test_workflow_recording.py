"""Recording, severity, threshold (DOMAIN.md §3.1) and the approval rule (§7)."""

import dataclasses
from datetime import date

import pytest

from app.domain.enums import CaseStatus, CaseType, DecisionKind, Severity
from app.domain.errors import NotFound, RuleRefused
from app.domain.workflow.recording import (
    current_severity,
    record_recording,
    record_severity,
    record_threshold,
    severity_history,
    threshold_met_date,
)
from tests.unit.domain.workflow_builders import (
    HEAD,
    INVESTIGATOR,
    SUPERVISOR,
    SUPERVISOR_2,
    act,
    apply,
    policies,
    snapshot,
)

DAY = date(2025, 3, 4)


def test_recorded_as_conduct_matter_by_default() -> None:
    d = record_recording(snapshot(), act(SUPERVISOR, DAY), allegation_id=10)
    assert d.kind == DecisionKind.RECORDING
    assert d.payload == {"recordable": True, "case_type": "CONDUCT_MATTER"}
    assert d.decided_by == SUPERVISOR.id and d.effective_date == DAY
    complaint = record_recording(snapshot(), act(SUPERVISOR, DAY), case_type=CaseType.COMPLAINT)
    assert complaint.payload["case_type"] == "COMPLAINT"


def test_not_recordable_needs_a_rationale() -> None:
    with pytest.raises(RuleRefused, match="Recording a PPDA allegation as not recordable needs a "
                                          "written rationale"):
        record_recording(snapshot(), act(SUPERVISOR, DAY), recordable=False, approver=SUPERVISOR_2)


def test_not_recordable_needs_a_supervisors_approval() -> None:
    with pytest.raises(RuleRefused, match="needs approval by a HEAD_OF_PSD or SUPERVISOR other than "
                                          "the person deciding"):
        record_recording(snapshot(), act(SUPERVISOR, DAY), recordable=False, rationale="Not PPDA")


def test_not_recordable_cannot_be_approved_by_the_decider() -> None:
    with pytest.raises(RuleRefused, match="cannot be approved by the person who made the decision"):
        record_recording(snapshot(), act(SUPERVISOR, DAY), recordable=False, rationale="x",
                         approver=SUPERVISOR)


def test_approver_must_hold_an_approving_role() -> None:
    with pytest.raises(RuleRefused, match="DC Investigator does not hold that role"):
        record_recording(snapshot(), act(SUPERVISOR, DAY), recordable=False, rationale="x",
                         approver=INVESTIGATOR)


def test_not_recordable_with_rationale_and_approval_is_recorded() -> None:
    d = record_recording(snapshot(), act(SUPERVISOR, DAY), recordable=False,
                         rationale="Partner is not family or household", approver=HEAD)
    assert d.payload == {"recordable": False, "case_type": None}
    assert d.approved_by == HEAD.id and d.approved_at is not None
    assert d.rationale == "Partner is not family or household"


def test_decisions_cannot_be_dated_in_the_future() -> None:
    with pytest.raises(RuleRefused, match=r"cannot be dated in the future \(2025-03-05\)"):
        record_threshold(snapshot(), act(SUPERVISOR, DAY), 10, on=date(2025, 3, 5))


def test_decisions_on_a_closed_case_are_refused() -> None:
    with pytest.raises(RuleRefused, match="Case PSD-2025-000001 is closed"):
        record_threshold(snapshot(status=CaseStatus.CLOSED), act(SUPERVISOR, DAY), 10)


def test_unknown_allegation_is_not_found() -> None:
    with pytest.raises(NotFound, match="Allegation 99 is not part of case PSD-2025-000001"):
        record_threshold(snapshot(), act(SUPERVISOR, DAY), 99)


def test_severity_is_kept_as_history() -> None:
    s = snapshot()
    s = apply(s, record_severity(s, act(SUPERVISOR, DAY), Severity.MISCONDUCT, policies(),
                                 allegation_id=10))
    s = apply(s, record_severity(s, act(SUPERVISOR, date(2025, 5, 1)), Severity.GROSS_MISCONDUCT,
                                 policies(), allegation_id=10, rationale="New evidence"))
    assert current_severity(s, 10) == Severity.GROSS_MISCONDUCT
    assert severity_history(s, 10) == [(DAY, Severity.MISCONDUCT),
                                       (date(2025, 5, 1), Severity.GROSS_MISCONDUCT)]


def test_threshold_met_is_recorded_once() -> None:
    s = snapshot()
    s = apply(s, record_threshold(s, act(SUPERVISOR, DAY), 10))
    assert threshold_met_date(s, 10) == DAY
    with pytest.raises(RuleRefused, match="already recorded as met on 2025-03-04"):
        record_threshold(s, act(SUPERVISOR, date(2025, 3, 6)), 10)


def test_a_locked_account_cannot_approve() -> None:
    locked = dataclasses.replace(SUPERVISOR_2, locked=True)
    with pytest.raises(RuleRefused, match="cannot be approved by Insp Supervisor Two: the account is locked"):
        record_recording(snapshot(), act(SUPERVISOR, DAY), recordable=False, rationale="x",
                         approver=locked)
