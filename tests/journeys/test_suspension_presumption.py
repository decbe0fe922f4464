"""Journey (DOMAIN.md §3.2): suspension on charge within one working day, and from 13 July 2026 the
same presumption on arrest for a domestic-abuse or sexual offence; not suspending needs an
"exceptional circumstances" rationale and the head of PSD — deciding it or approving it — with a
second person, whoever starts it."""

from __future__ import annotations

from datetime import date

from app.domain.enums import DueItemKind
from tests.journeys.psd import Psd

NO_EXCEPTION_DUE = "No suspension is due on charge or arrest, so no exception is needed."
CARER = "Sole carer of two young children; bail conditions keep him away from the victim"


def charged(psd: Psd, received: date, charged_on: date) -> tuple[int, str, int]:
    """A criminal allegation against PC Carter: restricted duties, then charged."""
    psd.on(received)
    case_id, ref = psd.intake(psd.sue, "S100", criminal=True, received=received)
    psd.do(psd.sue, case_id, "assign_member", username="ian", role="INVESTIGATOR", declared_no_prior_connection=True)
    aid = psd.allegation(case_id)
    psd.do(psd.sue, case_id, "threshold", allegation_id=aid)
    psd.do(psd.sue, case_id, "restriction", allegation_id=aid, options="RESTRICTED_DUTIES")
    assert psd.may(psd.sue, case_id)["suspension_exception"].why_not == NO_EXCEPTION_DUE
    psd.on(charged_on)
    psd.do(psd.ian, case_id, "criminal_outcome", psd.sue, allegation_id=aid, outcome="CHARGED",
           offence="Controlling or coercive behaviour")
    return case_id, ref, aid


def test_not_suspending_after_a_charge_proposed_by_the_investigator_approved_by_the_head(psd: Psd) -> None:
    case_id, ref, aid = charged(psd, date(2025, 3, 3), date(2025, 3, 10))
    item = psd.due(psd.sue, ref)[DueItemKind.SUSPENSION_ON_CHARGE]
    assert (item.due_date, item.overdue, item.detail) == (
        date(2025, 3, 11), False, "Alex Carter: charge 2025-03-10 (Controlling or coercive behaviour)")
    assert psd.may(psd.sue, case_id)["suspension_exception"].second == (
        "Not suspending after a charge or arrest needs approval by a HEAD_OF_PSD other than you")

    proposal = psd.propose(psd.ian, case_id, "suspension_exception", allegation_id=aid, rationale=CARER)
    [for_sue] = psd.waiting(psd.sue)
    assert (for_sue.awaiting, for_sue.yours_to_approve, for_sue.yours_to_reject) == ("a HEAD_OF_PSD", False, True)
    psd.refused("Not suspending after a charge or arrest needs approval by a HEAD_OF_PSD; Insp Sue Sutton does not "
                "hold that role.", psd.approve, psd.sue, proposal)
    [for_hal] = psd.waiting(psd.hal)
    assert for_hal.yours_to_approve
    psd.on(date(2025, 3, 11), 16)
    psd.approve(psd.hal, proposal)
    exception = psd.last(case_id, "SUSPENSION_ON_CHARGE_EXCEPTION")
    assert (psd.who(exception), exception.effective_date, exception.rationale) == (
        ("ian", "hal", "hal"), date(2025, 3, 11), CARER)
    assert exception.payload["trigger"] == "CHARGE" and exception.payload["trigger_date"] == "2025-03-10"
    assert DueItemKind.SUSPENSION_ON_CHARGE not in psd.due(psd.sue, ref)
    assert psd.status_of("S100") == ("SERVING", "NONE")

    psd.on(date(2025, 9, 1))
    psd.do(psd.sue, case_id, "criminal_outcome", allegation_id=aid, outcome="ACQUITTED")
    psd.do(psd.sue, case_id, "misconduct_outcome", allegation_id=aid, outcome="NO_CASE_TO_ANSWER")
    psd.do(psd.sue, case_id, "restriction_review", allegation_id=aid, outcome="LIFT")
    psd.do(psd.hal, case_id, "close_case")
    assert psd.case(case_id).status == "CLOSED" and psd.log_is_sound()


def test_the_supervisor_decides_and_the_head_approves_or_the_head_decides_and_a_supervisor_approves(psd: Psd) -> None:
    case_id, ref, aid = charged(psd, date(2025, 3, 3), date(2025, 3, 10))
    psd.refused("Not suspending after a charge or arrest needs approval by a HEAD_OF_PSD other than the person "
                "deciding.", psd.do, psd.sue, case_id, "suspension_exception", allegation_id=aid, rationale=CARER)
    psd.refused("Not suspending after a charge or arrest (exceptional circumstances) needs a written rationale.",
                psd.do, psd.sue, case_id, "suspension_exception", psd.hal, allegation_id=aid, rationale=" ")
    psd.do(psd.sue, case_id, "suspension_exception", psd.hal, allegation_id=aid, rationale=CARER, on=date(2025, 3, 10))
    assert psd.who(psd.last(case_id, "SUSPENSION_ON_CHARGE_EXCEPTION")) == (None, "sue", "hal")
    assert DueItemKind.SUSPENSION_ON_CHARGE not in psd.due(psd.sue, ref)

    # A second charge on the same allegation: this time the head of PSD decides, and Sue is the second person.
    psd.on(date(2025, 4, 7))
    psd.do(psd.sue, case_id, "criminal_outcome", allegation_id=aid, outcome="CHARGED", offence="Stalking")
    assert psd.due(psd.sue, ref)[DueItemKind.SUSPENSION_ON_CHARGE].due_date == date(2025, 4, 8)
    psd.refused("Not suspending after a charge or arrest cannot be approved by the person who made the decision; it "
                "needs approval by another HEAD_OF_PSD or SUPERVISOR.",
                psd.do, psd.hal, case_id, "suspension_exception", psd.hal, allegation_id=aid, rationale=CARER)
    psd.do(psd.hal, case_id, "suspension_exception", psd.sue, allegation_id=aid, rationale=CARER)
    second = psd.last(case_id, "SUSPENSION_ON_CHARGE_EXCEPTION")
    assert (psd.who(second), second.payload["trigger_date"]) == ((None, "hal", "sue"), "2025-04-07")
    assert DueItemKind.SUSPENSION_ON_CHARGE not in psd.due(psd.sue, ref)


def test_a_suspension_meets_the_presumption_on_arrest_from_13_july_2026(psd: Psd) -> None:
    psd.on(date(2026, 7, 6))
    case_id, ref = psd.intake(psd.sue, "S100", criminal=True, received=date(2026, 7, 6))
    aid = psd.allegation(case_id)
    psd.do(psd.sue, case_id, "threshold", allegation_id=aid)
    psd.on(date(2026, 7, 10))  # a Friday, before the presumption applies
    psd.do(psd.sue, case_id, "arrest", allegation_id=aid, offence="Assault by beating")
    assert DueItemKind.SUSPENSION_ON_CHARGE not in psd.due(psd.sue, ref)
    psd.on(date(2026, 7, 13))  # the Monday the presumption starts
    psd.do(psd.sue, case_id, "arrest", allegation_id=aid, offence="Controlling or coercive behaviour")
    item = psd.due(psd.sue, ref)[DueItemKind.SUSPENSION_ON_CHARGE]
    assert (item.due_date, item.detail) == (
        date(2026, 7, 14), "Alex Carter: arrest 2026-07-13 (Controlling or coercive behaviour)")
    psd.on(date(2026, 7, 15))
    assert psd.due(psd.sue, ref)[DueItemKind.SUSPENSION_ON_CHARGE].overdue
    psd.refused("Suspension needs the statutory conditions recorded: temporary redeployment was considered and judged "
                "not appropriate, and either the investigation may be prejudiced or the public interest requires it.",
                psd.do, psd.sue, case_id, "restriction", allegation_id=aid, options="SUSPENDED",
                conditions="public_interest_requires")
    psd.do(psd.sue, case_id, "restriction", allegation_id=aid, options="SUSPENDED",
           conditions="redeployment_considered_not_appropriate;public_interest_requires",
           rationale="Arrested for a domestic-abuse offence: the public interest requires it")
    due = psd.due(psd.sue, ref)
    assert DueItemKind.SUSPENSION_ON_CHARGE not in due
    # Reviewed every 28 days: the conduct (6 July) predates the 12-week rule for suspensions (13 July 2026).
    assert due[DueItemKind.RESTRICTION_REVIEW].due_date == date(2026, 8, 12)
    assert psd.status_of("S100") == ("SUSPENDED", "NONE")
