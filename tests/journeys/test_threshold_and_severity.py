"""Journey (DOMAIN.md §3.1, §3.2): the threshold for investigation and the severity assessment —
an investigator's proposals decided by a supervisor or the head of PSD — and the restriction
decision the threshold makes due, with its deadline in working days."""

from __future__ import annotations

from datetime import date

from app.domain.enums import DueItemKind
from app.services import actions
from tests.journeys.psd import Psd

MONDAY = date(2025, 3, 3)
CO_SIGN = ("ian (INVESTIGATOR) may only propose this decision: it must be co-signed by a SUPERVISOR or HEAD_OF_PSD. "
           "Ask a supervisor to sign in as co-signer, or propose it for approval.")


def test_the_threshold_and_severity_proposed_by_the_investigator_and_decided_by_a_supervisor(psd: Psd) -> None:
    psd.on(MONDAY, 9)
    case_id, ref = psd.intake(psd.sue, "S100", received=MONDAY)
    psd.do(psd.sue, case_id, "assign_member", username="ian", role="INVESTIGATOR", declared_no_prior_connection=True)
    aid = psd.allegation(case_id)
    assert DueItemKind.RESTRICTION_DECISION not in psd.due(psd.sue, ref)

    psd.refused(CO_SIGN, psd.do, psd.ian, case_id, "threshold", allegation_id=aid)
    threshold = psd.propose(psd.ian, case_id, "threshold", allegation_id=aid, met=True, on=MONDAY,
                            rationale="The victim describes controlling behaviour over two years")
    assert [p.what for p in actions.pending_on_case(psd.env.uow(), psd.sue, case_id)] == [
        "Threshold for investigation: met on 03 Mar 2025"]
    psd.refused("ian (INVESTIGATOR) may not approve decisions and overrides: this needs one of HEAD_OF_PSD, "
                "SUPERVISOR.", psd.approve, psd.ian, threshold)

    psd.on(date(2025, 3, 4))
    psd.approve(psd.sue, threshold)
    met = psd.last(case_id, "THRESHOLD")
    assert (psd.who(met), met.effective_date, met.payload["met"]) == (("ian", "sue", "sue"), MONDAY, True)
    item = psd.due(psd.sue, ref)[DueItemKind.RESTRICTION_DECISION]
    assert (item.due_date, item.overdue, item.assigned_to) == (date(2025, 3, 5), False, "SUPERVISOR")

    again = psd.propose(psd.ian, case_id, "threshold", allegation_id=aid)
    psd.refused(f"The threshold for investigation of allegation {aid} was already recorded as met on 2025-03-03; the "
                "restriction decision runs from that date.", psd.approve, psd.hal, again)
    assert [p.id for p in psd.waiting(psd.hal)] == [again]  # still pending after the refusal
    actions.withdraw(psd.env.uow(), psd.ian, again)

    # Severity: Ian and Hal at one desk (Hal co-signs, so decides); then Sue reassesses it.
    psd.do(psd.ian, case_id, "severity", psd.hal, severity="MISCONDUCT", allegation_id=aid, rationale="Single account")
    first = psd.last(case_id, "SEVERITY")
    assert (psd.who(first), first.payload["severity"]) == (("ian", "hal", "hal"), "MISCONDUCT")
    psd.on(date(2025, 3, 6))
    assert psd.due(psd.sue, ref)[DueItemKind.RESTRICTION_DECISION].overdue  # the deadline passed yesterday
    psd.do(psd.sue, case_id, "severity", severity="GROSS_MISCONDUCT", allegation_id=aid,
           rationale="A second victim came forward")
    second = psd.last(case_id, "SEVERITY")
    assert (psd.who(second), second.supersedes_id) == ((None, "sue", None), first.id)

    psd.do(psd.sue, case_id, "restriction", allegation_id=aid, options="RESTRICTED_DUTIES")
    due = psd.due(psd.sue, ref)
    assert DueItemKind.RESTRICTION_DECISION not in due
    assert due[DueItemKind.RESTRICTION_REVIEW].due_date == date(2025, 4, 3)  # 28 days after the decision
    assert psd.log_is_sound()


def test_a_threshold_not_met_makes_no_restriction_due(psd: Psd) -> None:
    psd.on(MONDAY)
    case_id, ref = psd.intake(psd.sue, "S600", received=MONDAY)
    aid = psd.allegation(case_id, "S600")
    psd.do(psd.hal, case_id, "threshold", allegation_id=aid, met=False, rationale="No indication of an offence")
    assert psd.last(case_id, "THRESHOLD").payload == {"met": False}
    assert DueItemKind.RESTRICTION_DECISION not in psd.due(psd.hal, ref)
    assert psd.may(psd.sue, case_id)["threshold"].may  # it can still be met later
