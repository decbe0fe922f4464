"""Journeys (DOMAIN.md §3.4 and closure): the misconduct track checked against the outcome matrix; a
conviction flagging "dismissal expected"; a dismissal raising the Barred List notification, a
resignation under investigation the Advisory List notification, a finding without dismissal the
vetting review; and a case closing only when every outcome, restriction and notification is done —
each step by the small PSD, many of them an investigator's proposal decided by a supervisor or the
head of PSD."""

from __future__ import annotations

from datetime import date

from app.domain.enums import DueItemKind, EmploymentStatus
from app.services import casework as cw
from tests.journeys.psd import Psd

MONDAY = date(2025, 3, 3)


def opened(psd: Psd, subject: str, *, criminal: bool = False) -> tuple[int, str, int]:
    psd.on(MONDAY, 9)
    case_id, ref = psd.intake(psd.sue, subject, criminal=criminal, received=MONDAY)
    psd.do(psd.sue, case_id, "assign_member", username="ian", role="INVESTIGATOR", declared_no_prior_connection=True)
    aid = psd.allegation(case_id, subject)
    psd.do(psd.sue, case_id, "threshold", allegation_id=aid)
    return case_id, ref, aid


def test_a_conviction_a_dismissal_and_the_barred_list_before_closure(psd: Psd) -> None:
    case_id, ref, aid = opened(psd, "S100", criminal=True)
    psd.do(psd.sue, case_id, "restriction", allegation_id=aid, options="SUSPENDED",
           conditions="redeployment_considered_not_appropriate;public_interest_requires")
    psd.on(date(2025, 6, 2))
    psd.do(psd.sue, case_id, "criminal_outcome", allegation_id=aid, outcome="CONVICTED", offence="Assault",
           sentence="12 months")
    assert "DISMISSAL_EXPECTED" in psd.case(case_id).list_flags
    psd.refused("A misconduct meeting deals only with misconduct; a case to answer for gross misconduct goes to a "
                "hearing or an accelerated hearing.", psd.approve, psd.sue,
                _after(psd, case_id, aid, "CASE_TO_ANSWER_GROSS_MISCONDUCT", "MISCONDUCT_MEETING"))
    psd.on(date(2025, 6, 20))
    for outcome in ("ACCELERATED_MISCONDUCT_HEARING", "GROSS_MISCONDUCT", "DISMISSAL_WITHOUT_NOTICE"):
        psd.approve(psd.hal, psd.propose(psd.ian, case_id, "misconduct_outcome", allegation_id=aid, outcome=outcome))
    dismissal = psd.last(case_id, "MISCONDUCT_OUTCOME")
    assert (psd.who(dismissal), dismissal.payload["outcome"], dismissal.effective_date) == (
        ("ian", "hal", "hal"), "DISMISSAL_WITHOUT_NOTICE", date(2025, 6, 20))
    cw.record_leaving(psd.env.uow(), psd.hal, "S100", EmploymentStatus.DISMISSED, date(2025, 6, 20))
    psd.do(psd.sue, case_id, "restriction_review", allegation_id=aid, outcome="LIFT")
    assert psd.status_of("S100") == ("DISMISSED", "NONE")  # lifting does not reinstate a dismissed officer
    item = psd.due(psd.hal, ref, everyone=False)[DueItemKind.LIST_NOTIFICATION]
    assert (item.due_date, item.detail) == (date(2025, 6, 27), "Alex Carter: Barred List: dismissal without notice")
    psd.refused(f"Case {ref} cannot be closed yet: the Barred List notification for Alex Carter (dismissal without "
                "notice) is not done.", psd.do, psd.sue, case_id, "close_case")
    listed = psd.propose(psd.ian, case_id, "list_notification", person_id=psd.people["S100"], list_status="BARRED",
                         reference="COP-BL-77")
    psd.approve(psd.sue, listed)
    assert psd.who(psd.last(case_id, "LIST_NOTIFICATION")) == ("ian", "sue", "sue")
    assert psd.status_of("S100") == ("DISMISSED", "BARRED")
    psd.approve(psd.hal, psd.propose(psd.ian, case_id, "close_case"))
    closed = psd.case(case_id)
    assert (closed.status, closed.closed_date, closed.retention_review_date) == ("CLOSED", date(2025, 6, 20), None)
    assert psd.last(case_id, "CLOSURE").payload["barred_list_matter"] is True
    assert psd.due(psd.hal, ref) == {} and psd.log_is_sound()


def _after(psd: Psd, case_id: int, aid: int, first: str, then: str) -> int:
    """`first` recorded by Sue, and `then` proposed by Ian (approved by the caller); the proposal."""
    psd.do(psd.sue, case_id, "misconduct_outcome", allegation_id=aid, outcome=first)
    return psd.propose(psd.ian, case_id, "misconduct_outcome", allegation_id=aid, outcome=then)


def test_a_resignation_under_investigation_and_the_advisory_list(psd: Psd) -> None:
    case_id, ref, aid = opened(psd, "S600")
    psd.do(psd.ian, case_id, "restriction", psd.sue, allegation_id=aid, options="REMOVED_FROM_DA_OR_SAFEGUARDING_ROLE")
    psd.on(date(2025, 4, 1))
    left = cw.record_leaving(psd.env.uow(), psd.hal, "S600", EmploymentStatus.RESIGNED, date(2025, 3, 31))
    assert left.open_cases == 1
    item = psd.due(psd.hal, ref, everyone=False)[DueItemKind.LIST_NOTIFICATION]
    assert (item.due_date, item.detail) == (date(2025, 4, 7),
                                            "Ria Shah: Advisory List: resigned while under investigation")
    psd.refused("Ria Shah has left the force (RESIGNED); restrictions cannot be imposed on someone who is no longer "
                "serving.", psd.do, psd.sue, case_id, "restriction", allegation_id=aid, options="RESTRICTED_DUTIES")
    psd.do(psd.sue, case_id, "restriction_review", allegation_id=aid, outcome="LIFT")
    psd.do(psd.ian, case_id, "misconduct_outcome", psd.hal, allegation_id=aid, outcome="NO_CASE_TO_ANSWER")
    psd.refused(f"Case {ref} cannot be closed yet: the Advisory List notification for Ria Shah (resigned while under "
                "investigation) is not done.", psd.do, psd.sue, case_id, "close_case")
    psd.do(psd.hal, case_id, "list_notification", person_id=psd.people["S600"], list_status="ADVISORY")
    assert psd.status_of("S600") == ("RESIGNED", "ADVISORY")
    psd.do(psd.sue, case_id, "close_case")
    assert psd.case(case_id).retention_review_date == date(2031, 4, 1)


def test_a_finding_without_dismissal_needs_the_vetting_review_and_the_twelve_month_report(psd: Psd) -> None:
    case_id, ref, aid = opened(psd, "S100")
    psd.on(date(2026, 3, 4))
    item = psd.due(psd.hal, ref, everyone=False)[DueItemKind.TWELVE_MONTH_REPORT]
    assert (item.due_date, item.overdue) == (date(2026, 3, 3), True)
    psd.approve(psd.sue, psd.propose(psd.ian, case_id, "pcc_report"))
    assert psd.due(psd.hal, ref, everyone=False)[DueItemKind.TWELVE_MONTH_REPORT].due_date == date(2026, 9, 3)
    psd.refused("WRITTEN_WARNING needs a finding of MISCONDUCT or GROSS_MISCONDUCT first.",
                psd.do, psd.sue, case_id, "misconduct_outcome", allegation_id=aid, outcome="WRITTEN_WARNING")
    for outcome in ("CASE_TO_ANSWER_MISCONDUCT", "MISCONDUCT_MEETING", "MISCONDUCT"):
        psd.do(psd.sue, case_id, "misconduct_outcome", allegation_id=aid, outcome=outcome)
    psd.refused("A misconduct meeting cannot impose DISMISSAL_WITHOUT_NOTICE; its outcomes are WRITTEN_WARNING or "
                "FINAL_WRITTEN_WARNING.", psd.do, psd.sue, case_id, "misconduct_outcome", allegation_id=aid,
                outcome="DISMISSAL_WITHOUT_NOTICE")
    psd.do(psd.hal, case_id, "misconduct_outcome", allegation_id=aid, outcome="FINAL_WRITTEN_WARNING")
    vetting = psd.due(psd.sue, ref)[DueItemKind.VETTING_REVIEW]
    assert vetting.due_date == date(2026, 4, 1)
    psd.refused(f"Case {ref} cannot be closed yet: the vetting review for Alex Carter (misconduct finding without "
                "dismissal) is not done.", psd.do, psd.sue, case_id, "close_case")
    psd.refused("A vetting review needs its result.", psd.do, psd.sue, case_id, "vetting_review",
                person_id=psd.people["S100"])
    review = psd.propose(psd.ian, case_id, "vetting_review", person_id=psd.people["S100"], result="Vetting retained")
    psd.approve(psd.sue, review)
    assert psd.who(psd.last(case_id, "VETTING_REVIEW")) == ("ian", "sue", "sue")
    psd.do(psd.sue, case_id, "close_case")
    assert (psd.case(case_id).status, psd.case(case_id).retention_review_date) == ("CLOSED", date(2032, 3, 4))
    assert psd.log_is_sound()
