"""Journey (DOMAIN.md §3.2): the restriction decision — "no restriction" with its rationale and a
supervisor's approval, completed by a PSD of one investigator, one supervisor and one head of PSD
whoever starts it; suspension with its statutory conditions, reviewed every 28 days (continued,
varied, lifted) — to closure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from app.domain.enums import DueItemKind
from app.domain.workflow.restriction import SUSPENSION_CONDITIONS_MESSAGE
from app.services import actions
from tests.journeys.psd import Psd

MONDAY = date(2025, 3, 3)
TUESDAY = date(2025, 3, 4)
WHY = "Desk role in a control room, no contact with the victim; DASH standard"


def opened(psd: Psd, subject: str = "S100") -> tuple[int, str, int]:
    """Sue takes the report on Monday, puts Ian on it and records the threshold as met."""
    psd.on(MONDAY, 9)
    case_id, ref = psd.intake(psd.sue, subject, received=MONDAY)
    psd.do(psd.sue, case_id, "assign_member", username="ian", role="INVESTIGATOR", declared_no_prior_connection=True)
    aid = psd.allegation(case_id, subject)
    psd.do(psd.sue, case_id, "threshold", allegation_id=aid)
    psd.on(TUESDAY)
    return case_id, ref, aid


def ian_proposes_sue_approves(psd: Psd, case_id: int, aid: int) -> tuple[str | None, str | None, str | None]:
    """The journey of issue 13: an investigator's "no restriction", approved by the only supervisor."""
    proposal = psd.propose(psd.ian, case_id, "restriction", allegation_id=aid, options="NO_RESTRICTION", rationale=WHY)
    [waiting] = psd.waiting(psd.sue)
    assert (waiting.awaiting, waiting.yours_to_approve, waiting.proposer_decides) == (
        "a HEAD_OF_PSD or SUPERVISOR", True, False)
    psd.approve(psd.sue, proposal)
    return ("ian", "sue", "sue")


def sue_decides_hal_approves(psd: Psd, case_id: int, aid: int) -> tuple[str | None, str | None, str | None]:
    psd.refused("A decision not to restrict needs approval by a HEAD_OF_PSD or SUPERVISOR other than the person "
                "deciding.", psd.do, psd.sue, case_id, "restriction", allegation_id=aid, options="NO_RESTRICTION",
                rationale=WHY)
    psd.do(psd.sue, case_id, "restriction", psd.hal, allegation_id=aid, options="NO_RESTRICTION", rationale=WHY)
    return (None, "sue", "hal")


def hal_decides_sue_approves(psd: Psd, case_id: int, aid: int) -> tuple[str | None, str | None, str | None]:
    psd.do(psd.hal, case_id, "restriction", psd.sue, allegation_id=aid, options="NO_RESTRICTION", rationale=WHY)
    return (None, "hal", "sue")


def sue_submits_hal_approves_later(psd: Psd, case_id: int, aid: int) -> tuple[str | None, str | None, str | None]:
    proposal = psd.propose(psd.sue, case_id, "restriction", allegation_id=aid, options="NO_RESTRICTION", rationale=WHY)
    psd.refused("A decision cannot be approved by the person who proposed it: another supervisor or the head of PSD "
                "must approve it.", psd.approve, psd.sue, proposal)
    [waiting] = psd.waiting(psd.hal)
    assert (waiting.proposer_decides, waiting.yours_to_approve) == (True, True)
    psd.approve(psd.hal, proposal)
    return (None, "sue", "hal")


def hal_submits_sue_approves_later(psd: Psd, case_id: int, aid: int) -> tuple[str | None, str | None, str | None]:
    proposal = psd.propose(psd.hal, case_id, "restriction", allegation_id=aid, options="NO_RESTRICTION", rationale=WHY)
    psd.refused("ian (INVESTIGATOR) may not approve decisions and overrides: this needs one of HEAD_OF_PSD, "
                "SUPERVISOR.", psd.approve, psd.ian, proposal)
    psd.approve(psd.sue, proposal)
    return (None, "hal", "sue")


STARTS: dict[str, Callable[[Psd, int, int], tuple[str | None, str | None, str | None]]] = {
    "investigator proposes": ian_proposes_sue_approves, "supervisor decides": sue_decides_hal_approves,
    "head decides": hal_decides_sue_approves, "supervisor submits": sue_submits_hal_approves_later,
    "head submits": hal_submits_sue_approves_later,
}


@pytest.mark.parametrize("start", list(STARTS))
def test_no_restriction_is_completed_by_one_investigator_one_supervisor_and_one_head(psd: Psd, start: str) -> None:
    case_id, ref, aid = opened(psd)
    assert psd.due(psd.sue, ref)[DueItemKind.RESTRICTION_DECISION].due_date == date(2025, 3, 5)
    people = STARTS[start](psd, case_id, aid)
    decided = psd.last(case_id, "RESTRICTION")
    assert (psd.who(decided), decided.payload["options"], decided.rationale, decided.effective_date) == (
        people, ["NO_RESTRICTION"], WHY, TUESDAY)
    assert decided.approved_at is not None and decided.approved_at.date() == TUESDAY
    due = psd.due(psd.sue, ref)
    assert DueItemKind.RESTRICTION_DECISION not in due and DueItemKind.RESTRICTION_REVIEW not in due
    assert psd.waiting(psd.sue) == [] and psd.waiting(psd.hal) == []
    assert psd.status_of("S100") == ("SERVING", "NONE")


def test_suspension_with_its_conditions_reviewed_varied_and_lifted_to_closure(psd: Psd) -> None:
    case_id, ref, aid = opened(psd)
    hasty = psd.propose(psd.ian, case_id, "restriction", allegation_id=aid, options="SUSPENDED",
                        rationale="Risk of contact with the victim at work")
    psd.refused(SUSPENSION_CONDITIONS_MESSAGE, psd.approve, psd.sue, hasty)
    actions.reject(psd.env.uow(), psd.sue, hasty, "Record why redeployment will not do")
    suspension = psd.propose(psd.ian, case_id, "restriction", allegation_id=aid, options="SUSPENDED",
                             conditions="redeployment_considered_not_appropriate;investigation_may_be_prejudiced",
                             rationale="Works in the victim's building; could tamper with evidence")
    psd.approve(psd.sue, suspension)
    decided = psd.last(case_id, "RESTRICTION")
    assert (psd.who(decided), decided.payload["options"], decided.payload["investigation_may_be_prejudiced"],
            decided.payload["public_interest_requires"]) == (("ian", "sue", "sue"), ["SUSPENDED"], True, False)
    assert psd.status_of("S100") == ("SUSPENDED", "NONE")
    assert psd.due(psd.sue, ref)[DueItemKind.RESTRICTION_REVIEW].due_date == date(2025, 4, 1)

    psd.on(date(2025, 4, 2))
    review = psd.due(psd.sue, ref)[DueItemKind.RESTRICTION_REVIEW]
    assert (review.due_date, review.overdue) == (date(2025, 4, 1), True)
    psd.refused("Options are given only when a review varies the measures (VARY).",
                psd.do, psd.sue, case_id, "restriction_review", allegation_id=aid, outcome="CONTINUE",
                options="RESTRICTED_DUTIES")
    psd.do(psd.sue, case_id, "restriction_review", allegation_id=aid, outcome="CONTINUE", rationale="No change")
    assert psd.due(psd.sue, ref)[DueItemKind.RESTRICTION_REVIEW].due_date == date(2025, 4, 30)

    psd.on(date(2025, 4, 28))
    psd.do(psd.ian, case_id, "restriction_review", psd.hal, allegation_id=aid, outcome="VARY",
           options="RESTRICTED_DUTIES;NO_CONTACT_WITH_VICTIMS_OR_WITNESSES", rationale="Evidence secured")
    varied = psd.last(case_id, "RESTRICTION_REVIEW")
    assert (psd.who(varied), varied.payload["options"]) == (
        ("ian", "hal", "hal"), ["NO_CONTACT_WITH_VICTIMS_OR_WITNESSES", "RESTRICTED_DUTIES"])
    assert psd.status_of("S100") == ("SERVING", "NONE")
    assert psd.due(psd.sue, ref)[DueItemKind.RESTRICTION_REVIEW].due_date == date(2025, 5, 26)

    psd.on(date(2025, 6, 2))
    for outcome in ("CASE_TO_ANSWER_MISCONDUCT", "MISCONDUCT_MEETING", "NOT_PROVEN"):
        psd.do(psd.sue, case_id, "misconduct_outcome", allegation_id=aid, outcome=outcome)
    psd.refused(f"Case {ref} cannot be closed yet: allegation {aid} (Alex Carter) has restrictions in force (no "
                "contact with victims or witnesses, restricted duties): end them with a review that lifts them.",
                psd.do, psd.sue, case_id, "close_case")
    assert psd.may(psd.ian, case_id)["close_case"].why_not == (
        f"Cannot close yet: allegation {aid} (Alex Carter) has restrictions in force (no contact with victims or "
        "witnesses, restricted duties): end them with a review that lifts them.")
    psd.do(psd.hal, case_id, "restriction_review", allegation_id=aid, outcome="LIFT", rationale="Not proven")
    assert DueItemKind.RESTRICTION_REVIEW not in psd.due(psd.sue, ref)
    psd.do(psd.sue, case_id, "close_case")
    assert (psd.case(case_id).status, psd.case(case_id).closed_date) == ("CLOSED", date(2025, 6, 2))
    assert psd.due(psd.sue, ref) == {} and psd.log_is_sound()


def test_a_recorded_no_restriction_shows_as_such_in_the_case_list(psd: Psd) -> None:
    """Issue #15: a decision of no restriction reads "No restriction" in the list, not a blank."""
    from app.services import case_queries
    from app.services.case_queries import CaseFilter, CaseSort
    from app.ui.models.case_table import CaseTableModel

    case_id, ref, aid = opened(psd)

    def listed() -> str:
        [row] = case_queries.list_cases(psd.env.uow(), psd.sue, CaseFilter(text=ref), CaseSort())
        return str(CaseTableModel.COLUMNS[[c.title for c in CaseTableModel.COLUMNS].index("Restriction")].text(row))

    assert listed() == ""  # not decided yet
    sue_decides_hal_approves(psd, case_id, aid)
    assert listed() == "No restriction"
