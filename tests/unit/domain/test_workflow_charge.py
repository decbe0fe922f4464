"""Criminal track, suspension on charge / arrest, conviction (DOMAIN.md §3.2, §3.4)."""

from datetime import date

import pytest

from app.domain.enums import CriminalOutcome, DecisionKind, DueItemKind, Severity
from app.domain.enums import RestrictionOption as R
from app.domain.errors import RuleRefused
from app.domain.policy import PolicyName, PolicyValue
from app.domain.workflow.charge import record_suspension_exception, suspensions_due
from app.domain.workflow.criminal import current_criminal_outcome, record_arrest, record_criminal_outcome
from app.domain.workflow.due import due_items
from app.domain.workflow.outcomes import dismissal_expected
from app.domain.workflow.recording import record_severity
from app.domain.workflow.restriction import SuspensionConditions, record_restriction
from tests.unit.domain.workflow_builders import (
    HEAD,
    SUPERVISOR,
    SUPERVISOR_2,
    act,
    allegation,
    apply,
    policies,
    snapshot,
)

FRIDAY = date(2025, 3, 7)
MONDAY = date(2025, 3, 10)
CRIMINAL = [allegation(criminal=True, crime_ref="CR/1")]


def charged(day: date = FRIDAY, **kw):  # type: ignore[no-untyped-def]
    s = snapshot(allegations=CRIMINAL)
    return apply(s, record_criminal_outcome(s, act(SUPERVISOR, day), 10, CriminalOutcome.CHARGED,
                                            policies(), on=day, offence="Controlling behaviour", **kw))


def test_a_charge_makes_suspension_due_within_one_working_day() -> None:
    s = charged()
    assert s.decisions[-1].kind == DecisionKind.CHARGE
    assert current_criminal_outcome(s, 10) == CriminalOutcome.CHARGED
    [due] = suspensions_due(s, 10, policies())
    assert (due.trigger, due.due_date, due.met) == ("CHARGE", MONDAY, False)
    item = [i for i in due_items(s, policies(), date(2025, 3, 11)) if i.kind == DueItemKind.SUSPENSION_ON_CHARGE]
    assert item and item[0].overdue and "charge 2025-03-07 (Controlling behaviour)" in item[0].detail


def test_suspension_meets_the_obligation() -> None:
    s = charged()
    conditions = SuspensionConditions(True, False, True)
    s = apply(s, record_restriction(s, act(SUPERVISOR, MONDAY), 10, [R.SUSPENDED], conditions=conditions))
    assert suspensions_due(s, 10, policies())[0].met


def test_no_suspension_due_when_the_policy_is_off_or_the_offence_not_da_related() -> None:
    off = policies(PolicyValue(PolicyName.SUSPEND_ON_CHARGE, False, date(2024, 1, 1)))
    assert suspensions_due(charged(), 10, off) == []
    assert suspensions_due(charged(da_related=False), 10, policies()) == []


def test_not_suspending_needs_exceptional_circumstances() -> None:
    with pytest.raises(RuleRefused, match=r"Not suspending after a charge or arrest \(exceptional "
                                          r"circumstances\) needs a written rationale"):
        record_suspension_exception(charged(), act(SUPERVISOR, MONDAY), 10, policies(),
                                    rationale=" ", approver=HEAD)


def test_not_suspending_needs_the_head_of_psds_approval() -> None:
    with pytest.raises(RuleRefused, match="needs approval by a HEAD_OF_PSD; Insp Supervisor Two "
                                          "does not hold that role"):
        record_suspension_exception(charged(), act(SUPERVISOR, MONDAY), 10, policies(),
                                    rationale="Sole carer", approver=SUPERVISOR_2)
    with pytest.raises(RuleRefused, match="cannot be approved by the person who made the decision"):
        record_suspension_exception(charged(), act(HEAD, MONDAY), 10, policies(),
                                    rationale="Sole carer", approver=HEAD)


def test_an_approved_exception_meets_the_obligation() -> None:
    s = charged()
    d = record_suspension_exception(s, act(SUPERVISOR, MONDAY), 10, policies(),
                                    rationale="Charge withdrawn pending review", approver=HEAD)
    assert d.payload == {"trigger": "CHARGE", "trigger_date": "2025-03-07"}
    assert suspensions_due(apply(s, d), 10, policies())[0].met


def test_an_exception_is_refused_when_no_suspension_is_due() -> None:
    with pytest.raises(RuleRefused, match="No suspension is due on charge or arrest for allegation 10"):
        record_suspension_exception(snapshot(allegations=CRIMINAL), act(SUPERVISOR, MONDAY), 10,
                                    policies(), rationale="x", approver=HEAD)


def test_arrest_makes_suspension_due_only_from_13_july_2026() -> None:
    for day, expected in ((date(2026, 7, 10), 0), (date(2026, 7, 13), 1)):
        s = snapshot(allegations=CRIMINAL, received=day)
        s = apply(s, record_arrest(s, act(SUPERVISOR, day), 10, offence="Rape", on=day))
        assert len(suspensions_due(s, 10, policies())) == expected


def test_criminal_track_needs_a_criminal_allegation_and_an_offence() -> None:
    with pytest.raises(RuleRefused, match="Allegation 10 is not recorded as having a criminal dimension"):
        record_criminal_outcome(snapshot(), act(SUPERVISOR, FRIDAY), 10, CriminalOutcome.CHARGED,
                                policies(), offence="Assault")
    with pytest.raises(RuleRefused, match="Recording CHARGED needs the offence"):
        record_criminal_outcome(snapshot(allegations=CRIMINAL), act(SUPERVISOR, FRIDAY), 10,
                                CriminalOutcome.CHARGED, policies())
    with pytest.raises(RuleRefused, match="An arrest needs the offence"):
        record_arrest(snapshot(allegations=CRIMINAL), act(SUPERVISOR, FRIDAY), 10, offence=" ")


def test_conviction_expects_dismissal_and_an_accelerated_hearing() -> None:
    s = charged()
    day = date(2025, 6, 2)
    s = apply(s, record_criminal_outcome(s, act(SUPERVISOR, day), 10, CriminalOutcome.CONVICTED,
                                         policies(), on=day, offence="Assault by beating",
                                         sentence="12 weeks suspended"))
    assert s.decisions[-1].payload["dismissal_expected"] is True
    [expected] = dismissal_expected(s, policies())
    assert expected.convicted_on == day and expected.accelerated_hearing_due == date(2025, 6, 23)


def test_indictable_only_conviction_is_gross_misconduct_from_28_may_2025() -> None:
    s = snapshot(allegations=CRIMINAL)
    made = record_criminal_outcome(s, act(SUPERVISOR, date(2025, 6, 2)), 10,
                                   CriminalOutcome.CONVICTED, policies(), offence="Rape",
                                   indictable_only=True)
    assert [d.kind for d in made] == [DecisionKind.CONVICTION, DecisionKind.SEVERITY]
    assert made[1].payload == {"severity": "GROSS_MISCONDUCT"}
    s = apply(s, made)
    with pytest.raises(RuleRefused, match="indictable-only offence is always gross misconduct"):
        record_severity(s, act(SUPERVISOR, date(2025, 6, 3)), Severity.MISCONDUCT, policies(),
                        allegation_id=10)
    before = record_criminal_outcome(snapshot(allegations=CRIMINAL), act(SUPERVISOR, date(2025, 5, 27)),
                                     10, CriminalOutcome.CONVICTED, policies(), offence="Rape",
                                     indictable_only=True)
    assert len(before) == 1


def test_an_exception_cannot_predate_the_charge() -> None:
    with pytest.raises(RuleRefused, match="cannot be dated before the charge it answers \\(2025-03-07\\)"):
        record_suspension_exception(charged(), act(SUPERVISOR, MONDAY), 10, policies(),
                                    rationale="x", approver=HEAD, on=date(2025, 3, 6))
