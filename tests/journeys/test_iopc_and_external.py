"""Journey (DOMAIN.md §3.3): a mandatory IOPC referral made due by the allegation's features and
recorded by the IOPC liaison, the IOPC's decision, the investigating body under the force's
external-investigation guidance — another force investigating with its dates in order, or the home
force under an exception that needs the head of PSD — to closure."""

from __future__ import annotations

from datetime import date

from app.domain.enums import DueItemKind
from app.services import case_queries, policies
from tests.journeys.psd import Psd

MONDAY = date(2025, 3, 3)
GUIDANCE = ("Force guidance requires an external investigation (force guidance requires external investigation of "
            "every PPDA allegation). Assign another force or the IOPC, or record an exception with a rationale "
            "approved by the HEAD_OF_PSD before assigning the home force.")


def test_a_mandatory_referral_and_an_investigation_by_another_force(psd: Psd) -> None:
    policies.set_policy(psd.env.uow(), psd.env.admin, "external-investigation-guidance", "ALL", date(2024, 4, 1),
                        reason="The force adopted this guidance from the start of the period")
    psd.on(MONDAY, 9)
    case_id, ref = psd.intake(psd.sue, "S100", received=MONDAY, abuse=("NON_FATAL_STRANGULATION", "PHYSICAL"))
    psd.do(psd.sue, case_id, "assign_member", username="ian", role="INVESTIGATOR", declared_no_prior_connection=True)
    aid = psd.allegation(case_id)
    item = psd.due(psd.lia, ref, everyone=False)[DueItemKind.IOPC_REFERRAL]
    assert (item.due_date, item.detail, item.assigned_to) == (date(2025, 3, 4), "Alex Carter: serious assault",
                                                              "IOPC_LIAISON")
    psd.refused("ian (INVESTIGATOR) may not record IOPC referrals and decisions: this needs one of HEAD_OF_PSD, "
                "IOPC_LIAISON, SUPERVISOR.", psd.do, psd.ian, case_id, "iopc_referral")
    liaison = psd.may(psd.lia, case_id)
    assert liaison["iopc_referral"].may and not liaison["iopc_decision"].may
    # Not referred yet, but it owes a mandatory referral: the liaison may read it to make the referral
    # (the item in their My work), as for a referred case, without the victims' details.
    owed = case_queries.open_case(psd.env.uow(), psd.lia, case_id)
    assert owed.victim_details_withheld and owed.victims == ()

    psd.on(date(2025, 3, 4), 15)
    psd.do(psd.lia, case_id, "iopc_referral", iopc_reference="2025/012345")
    referral = psd.last(case_id, "IOPC_REFERRAL")
    assert (referral.payload, psd.who(referral)) == (
        {"mandatory": True, "grounds": ["SERIOUS_ASSAULT"], "iopc_reference": "2025/012345"}, (None, "lia", None))
    assert DueItemKind.IOPC_REFERRAL not in psd.due(psd.sue, ref)
    detail = case_queries.open_case(psd.env.uow(), psd.lia, case_id)
    assert detail.victim_details_withheld and detail.victims == ()
    psd.on(date(2025, 3, 10))
    psd.do(psd.lia, case_id, "iopc_decision", decision="DIRECTED_INVESTIGATION")
    assert psd.last(case_id, "IOPC_DECISION").payload["mode"] == "DIRECTED"

    psd.refused(GUIDANCE, psd.do, psd.sue, case_id, "investigating_body", body="HOME")
    psd.do(psd.ian, case_id, "investigating_body", psd.sue, body="northumbria")
    assert psd.who(psd.last(case_id, "INVESTIGATING_BODY")) == ("ian", "sue", "sue")
    psd.refused("ACCEPTED needs REQUESTED recorded first.", psd.do, psd.ian, case_id, "external_progress",
                event="ACCEPTED", reference="NB/25/77")
    for event, day in (("REQUESTED", date(2025, 3, 10)), ("ACCEPTED", date(2025, 3, 12)),
                       ("HANDED_OVER", date(2025, 3, 14)), ("RETURNED", date(2025, 7, 1))):
        psd.on(day)
        psd.do(psd.ian, case_id, "external_progress", event=event, reference="NB/25/77")
    assert (psd.case(case_id).list_body, psd.case(case_id).list_external) == ("northumbria", True)

    psd.on(date(2025, 7, 7))
    psd.do(psd.sue, case_id, "restriction", allegation_id=aid, options="NO_CONTACT_WITH_VICTIMS_OR_WITNESSES")
    psd.do(psd.sue, case_id, "misconduct_outcome", allegation_id=aid, outcome="NO_CASE_TO_ANSWER")
    psd.do(psd.sue, case_id, "restriction_review", allegation_id=aid, outcome="LIFT")
    psd.do(psd.ian, case_id, "victim_update", victim_ref="V1", method="visit")
    psd.do(psd.sue, case_id, "close_case")
    assert psd.case(case_id).status == "CLOSED" and psd.log_is_sound()


def test_the_home_force_investigates_against_the_guidance_under_the_head_of_psds_exception(psd: Psd) -> None:
    policies.set_policy(psd.env.uow(), psd.env.admin, "external-investigation-guidance", "SOME", date(2024, 4, 1),
                        reason="The force adopted this guidance from the start of the period")
    psd.on(MONDAY)
    case_id, ref = psd.intake(psd.sue, "S600", received=MONDAY)  # PC Shah works in the safeguarding hub
    psd.do(psd.sue, case_id, "assign_member", username="ian", role="INVESTIGATOR", declared_no_prior_connection=True)
    reason = ("Force guidance requires an external investigation (the subject Ria Shah works in the PSD or a "
              "domestic-abuse/safeguarding role). Assign another force or the IOPC, or record an exception with a "
              "rationale approved by the HEAD_OF_PSD before assigning the home force.")
    psd.refused(reason, psd.do, psd.sue, case_id, "investigating_body", body="HOME")
    assert psd.may(psd.sue, case_id)["external_exception"].second == (
        "An in-force investigation against the external-investigation guidance needs approval by a HEAD_OF_PSD "
        "other than you")

    why = "No neighbouring force can take it within the month; the officer is on restricted duties meanwhile"
    proposal = psd.propose(psd.ian, case_id, "external_exception", rationale=why)
    psd.refused("An in-force investigation against the external-investigation guidance needs approval by a "
                "HEAD_OF_PSD; Insp Sue Sutton does not hold that role.", psd.approve, psd.sue, proposal)
    psd.on(date(2025, 3, 5))
    psd.approve(psd.hal, proposal)
    exception = psd.last(case_id, "EXTERNAL_INVESTIGATION_EXCEPTION")
    assert (psd.who(exception), exception.rationale, exception.payload["reasons"]) == (
        ("ian", "hal", "hal"), why,
        ["the subject Ria Shah works in the PSD or a domestic-abuse/safeguarding role"])
    psd.do(psd.sue, case_id, "investigating_body", body="HOME")
    assert psd.last(case_id, "INVESTIGATING_BODY").payload == {"body": "HOME", "external": False}
    assert psd.may(psd.ian, case_id)["external_progress"].why_not == (
        "External investigation dates need another force or the IOPC assigned as investigating body first.")
    aid = psd.allegation(case_id, "S600")
    psd.do(psd.sue, case_id, "misconduct_outcome", allegation_id=aid, outcome="NO_CASE_TO_ANSWER")
    psd.do(psd.hal, case_id, "close_case")
    assert psd.case(case_id).status == "CLOSED"
    assert [p for p in psd.log(ref) if p[0] == "hal"] == [
        ("hal", "ALTERATION", "EXTERNAL_INVESTIGATION_EXCEPTION"),
        ("hal", "ALTERATION", f"approved proposal {proposal} (external_exception)"),
        ("hal", "ALTERATION", "CLOSURE")]
