"""Journey (DOMAIN.md §3.1): recording a PPDA allegation — as a conduct matter by default, and "not
recordable" only with a rationale and a supervisor's approval — from intake to closure, by the
staff of a small PSD, through the services."""

from __future__ import annotations

from datetime import date

from app.domain.enums import DueItemKind
from app.services import actions
from tests.journeys.psd import Psd

MONDAY = date(2025, 3, 3)
NEEDS_APPROVAL = ("Recording a PPDA allegation as not recordable needs approval by a HEAD_OF_PSD or SUPERVISOR "
                  "other than the person deciding.")


def test_an_investigator_records_a_report_as_not_recordable_with_the_supervisors_approval(psd: Psd) -> None:
    psd.on(MONDAY, 9)
    case_id, ref = psd.intake(psd.ian, "S700", received=MONDAY)
    first = psd.last(case_id, "RECORDING")
    assert (first.payload, psd.who(first), first.effective_date) == (
        {"recordable": True, "case_type": "CONDUCT_MATTER"}, (None, "ian", None), MONDAY)
    assert psd.due(psd.sue, ref)[DueItemKind.VICTIM_UPDATE].assigned_to == "ian"  # the creator investigates

    why = "The conduct described is a workplace dispute, not domestic abuse: no relationship with the complainant."
    psd.refused(NEEDS_APPROVAL, psd.do, psd.ian, case_id, "recording", recordable=False, rationale=why)
    psd.refused("Recording a PPDA allegation as not recordable cannot be approved by the person who made the "
                "decision; it needs approval by another HEAD_OF_PSD or SUPERVISOR.",
                psd.do, psd.ian, case_id, "recording", psd.ian, recordable=False, rationale=why)
    assert psd.may(psd.ian, case_id)["recording"].second == (
        "Recording a PPDA allegation as not recordable needs approval by a HEAD_OF_PSD or SUPERVISOR other than you")

    # No supervisor at Ian's desk: he proposes it without a rationale; Sue's approval is refused by the rule.
    psd.on(MONDAY, 11)
    hasty = psd.propose(psd.ian, case_id, "recording", recordable=False)
    [waiting] = psd.waiting(psd.sue)
    assert (waiting.what, waiting.awaiting, waiting.yours_to_approve, waiting.proposer_decides) == (
        "Recording: not recordable", "a HEAD_OF_PSD or SUPERVISOR", True, True)
    psd.refused("Recording a PPDA allegation as not recordable needs a written rationale.", psd.approve, psd.sue, hasty)
    psd.on(MONDAY, 14)
    psd.refused("Give the reason for rejecting the proposal: the person who proposed it will see it.",
                actions.reject, psd.env.uow(), psd.sue, hasty, "")
    actions.reject(psd.env.uow(), psd.sue, hasty, "Say why it is not PPDA")
    [mine] = psd.waiting(psd.ian)
    assert (mine.status, mine.reason, mine.decided_by) == ("REJECTED", "Say why it is not PPDA",
                                                           "Insp Sue Sutton (sue)")

    proposal = psd.propose(psd.ian, case_id, "recording", recordable=False, rationale=why)
    psd.on(date(2025, 3, 4), 9)
    psd.approve(psd.sue, proposal)
    decided = psd.last(case_id, "RECORDING")
    assert (decided.payload, psd.who(decided), decided.rationale, decided.supersedes_id) == (
        {"recordable": False, "case_type": None}, (None, "ian", "sue"), why, first.id)
    assert decided.approved_at is not None and decided.approved_at.date() == date(2025, 3, 4)
    assert psd.waiting(psd.sue) == []

    # The case still needs its outcome before it closes; closing is a supervisor's decision.
    psd.refused(f"Case {ref} cannot be closed yet: allegation {psd.allegation(case_id, 'S700')} (Bo Evans) has no "
                "final misconduct outcome.", psd.do, psd.sue, case_id, "close_case")
    aid = psd.allegation(case_id, "S700")
    psd.do(psd.sue, case_id, "misconduct_outcome", allegation_id=aid, outcome="NO_CASE_TO_ANSWER",
           rationale="Not recordable: no PPDA conduct")
    closing = psd.propose(psd.ian, case_id, "close_case")
    psd.approve(psd.hal, closing)
    closure = psd.last(case_id, "CLOSURE")
    assert psd.who(closure) == ("ian", "hal", "hal")
    assert (psd.case(case_id).status, psd.case(case_id).closed_date, psd.case(case_id).retention_review_date) == (
        "CLOSED", date(2025, 3, 4), date(2031, 3, 4))
    assert psd.log(ref)[-3:] == [("ian", "ALTERATION", f"proposed {closing} (close_case)"),
                                 ("hal", "ALTERATION", "CLOSURE"),
                                 ("hal", "ALTERATION", f"approved proposal {closing} (close_case)")]
    assert psd.log_is_sound()


def test_a_supervisor_records_and_re_records_a_case(psd: Psd) -> None:
    psd.on(MONDAY)
    case_id, ref = psd.intake(psd.sue, "S100", received=MONDAY)
    psd.refused(NEEDS_APPROVAL, psd.do, psd.sue, case_id, "recording", recordable=False, rationale="Duplicate")
    psd.do(psd.sue, case_id, "recording", psd.hal, recordable=False, rationale="Duplicate of an earlier report")
    assert psd.who(psd.last(case_id, "RECORDING")) == (None, "sue", "hal")
    psd.on(date(2025, 3, 5))
    psd.do(psd.hal, case_id, "recording", case_type="RECORDABLE_CONDUCT_MATTER",
           rationale="Not a duplicate after all: a second incident")  # recordable again: no approval needed
    again = psd.last(case_id, "RECORDING")
    assert (again.payload, psd.who(again)) == (
        {"recordable": True, "case_type": "RECORDABLE_CONDUCT_MATTER"}, (None, "hal", None))
    assert DueItemKind.VICTIM_UPDATE in psd.due(psd.sue, ref)
