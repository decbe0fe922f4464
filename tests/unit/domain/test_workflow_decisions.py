"""Each rule's decision as it is recorded, field by field (DOMAIN.md §2: what was decided, on which
allegation, from which date, the rationale, who decided and approved), and each refusal word for
word. The case has two allegations so that a decision on the second can be told from one on the
first or on the whole case, and decisions are dated the day before they are recorded."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from app.domain.enums import (
    AssignmentRole,
    CaseType,
    CriminalOutcome,
    DecisionKind,
    EmploymentStatus,
    IopcDecision,
    ListStatus,
    ReviewOutcome,
    Severity,
)
from app.domain.enums import MisconductOutcome as O
from app.domain.enums import RestrictionOption as R
from app.domain.errors import RuleRefused
from app.domain.policy import PolicyName, PolicyValue
from app.domain.records import CaseSnapshot, Decision
from app.domain.workflow.common import Act
from app.domain.workflow.criminal import (
    arrests,
    current_criminal_outcome,
    events,
    has_indictable_only_conviction,
    is_da_related,
    outcome_of,
    record_arrest,
    record_criminal_outcome,
)
from app.domain.workflow.independence import Association, assign, assignment_of, check_independence
from app.domain.workflow.investigation import (
    ExternalEvent,
    assign_investigating_body,
    external_investigation,
    investigating_body,
    record_external_investigation_exception,
    record_external_progress,
)
from app.domain.workflow.iopc import iopc_decision, record_iopc_decision, record_iopc_referral
from app.domain.workflow.measures import describe, measures
from app.domain.workflow.notifications import (
    notification_tasks,
    record_list_notification,
    record_vetting_review,
)
from app.domain.workflow.outcomes import (
    context_for,
    dismissal_expected,
    misconduct_outcomes,
    record_misconduct_outcome,
)
from app.domain.workflow.recording import (
    current_severity,
    record_recording,
    record_severity,
    record_threshold,
    severity_history,
    threshold_met_date,
)
from app.domain.workflow.restriction import SuspensionConditions, record_restriction, record_restriction_review
from app.domain.workflow.timeliness import investigation_finished, record_pcc_report, record_victim_update
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
)

TODAY = date(2025, 6, 3)
ON = date(2025, 6, 2)
AT: Act = act(SUPERVISOR, TODAY)
SUSPEND = SuspensionConditions(True, False, True)


def exactly(text: str) -> str:
    return "^" + re.escape(text) + "$"


def two(**kw: object) -> CaseSnapshot:
    return snapshot(allegations=[allegation(criminal=True, crime_ref="CR/1"),
                                 allegation(11, criminal=True, crime_ref="CR/2")], **kw)  # type: ignore[arg-type]


def recorded(kind: DecisionKind, payload: dict[str, object], allegation_id: int | None = 11, *,
             rationale: str | None = None, options: tuple[str, ...] = (), approver: int | None = None,
             on: date = ON) -> Decision:
    return Decision(None, kind, payload, SUPERVISOR.id, AT.at, on, allegation_id, rationale, options, approver,
                    AT.at if approver else None)


# ---- recording, severity, threshold ---------------------------------------------------------------

def test_recording_decisions() -> None:
    s = two()
    assert record_recording(s, AT, allegation_id=11, case_type=CaseType.COMPLAINT, on=ON) == recorded(
        DecisionKind.RECORDING, {"recordable": True, "case_type": "COMPLAINT"})
    assert record_recording(s, AT, on=ON) == recorded(
        DecisionKind.RECORDING, {"recordable": True, "case_type": "CONDUCT_MATTER"}, None)
    made = record_recording(s, AT, recordable=False, allegation_id=11, rationale="Not PPDA", approver=SUPERVISOR_2,
                            on=ON)
    assert made == recorded(DecisionKind.RECORDING, {"recordable": False, "case_type": None}, rationale="Not PPDA",
                            approver=SUPERVISOR_2.id)
    with pytest.raises(RuleRefused, match=exactly(
            "Recording a PPDA allegation as not recordable needs approval by a HEAD_OF_PSD or SUPERVISOR other than "
            "the person deciding.")):
        record_recording(s, AT, recordable=False, rationale="Not PPDA")


def test_severity_decisions_and_their_history() -> None:
    s = two()
    made = record_severity(s, AT, Severity.MISCONDUCT, policies(), allegation_id=11, rationale="One incident", on=ON)
    assert made == recorded(DecisionKind.SEVERITY, {"severity": "MISCONDUCT"}, rationale="One incident")
    s = apply(s, made)
    assert (current_severity(s, 11), current_severity(s, 10), current_severity(s)) == (Severity.MISCONDUCT, None,
                                                                                       Severity.MISCONDUCT)
    assert severity_history(s, 11) == [(ON, Severity.MISCONDUCT)] and severity_history(s, 10) == []


def test_an_indictable_only_conviction_on_the_other_allegation_does_not_bind_this_one() -> None:
    s = two()
    s = apply(s, record_criminal_outcome(s, AT, 10, CriminalOutcome.CONVICTED, policies(), offence="Rape",
                                         indictable_only=True))
    assert has_indictable_only_conviction(s, 10, policies()) and not has_indictable_only_conviction(s, 11, policies())
    record_severity(s, AT, Severity.MISCONDUCT, policies(), allegation_id=11)
    with pytest.raises(RuleRefused, match=exactly(
            "A conviction for an indictable-only offence is always gross misconduct: the severity can only be "
            "assessed as GROSS_MISCONDUCT.")):
        record_severity(s, AT, Severity.MISCONDUCT, policies(), allegation_id=10)


def test_threshold_decisions_and_the_date_it_was_met() -> None:
    s = two()
    made = record_threshold(s, AT, 11, on=ON, rationale="Indication of an offence")
    assert made == recorded(DecisionKind.THRESHOLD, {"met": True}, rationale="Indication of an offence")
    s = apply(s, made)
    assert (threshold_met_date(s, 11), threshold_met_date(s, 10)) == (ON, None)
    s = apply(s, record_threshold(s, AT, 11, met=False))
    assert threshold_met_date(s, 11) is None
    s = apply(s, record_threshold(s, AT, 11, on=TODAY))
    assert threshold_met_date(s, 11) == TODAY
    imported = Decision(None, DecisionKind.THRESHOLD, {}, None, datetime(2025, 1, 1), ON, 10, imported_from="x.csv")
    assert threshold_met_date(apply(two(), imported), 10) == ON  # no "met" key: met


# ---- restriction -------------------------------------------------------------------------------------

def test_restriction_decisions() -> None:
    s = two()
    made = record_restriction(s, AT, 11, [R.SUSPENDED, R.RESTRICTED_DUTIES], conditions=SUSPEND,
                              rationale="Risk to the victim", options_considered=["REDEPLOYED_LOCATION"], on=ON,
                              approver=SUPERVISOR_2)
    assert made == recorded(DecisionKind.RESTRICTION, {
        "options": ["RESTRICTED_DUTIES", "SUSPENDED"], "redeployment_considered_not_appropriate": True,
        "investigation_may_be_prejudiced": False, "public_interest_requires": True},
        rationale="Risk to the victim", options=("REDEPLOYED_LOCATION",))  # no approver kept for measures
    s = apply(s, made)
    state = measures(s, 11)
    assert (state.allegation_id, state.in_force, state.clock_from) == (11,
                                                                       frozenset({R.SUSPENDED, R.RESTRICTED_DUTIES}),
                                                                       ON)
    assert measures(s, 10).in_force == frozenset() and measures(s, 10).clock_from is None
    none = record_restriction(s, AT, 10, [R.NO_RESTRICTION], rationale="Low risk", approver=SUPERVISOR_2, on=ON)
    assert (none.approved_by, none.approved_at, none.allegation_id) == (SUPERVISOR_2.id, AT.at, 10)


def test_restriction_refusals_word_for_word() -> None:
    s = two()
    with pytest.raises(RuleRefused, match=exactly(
            "A restriction decision needs at least one option; choose NO_RESTRICTION if no measure is imposed.")):
        record_restriction(s, AT, 11, [])
    with pytest.raises(RuleRefused, match=exactly(
            "NO_RESTRICTION cannot be combined with other options; choose either no restriction or the measures "
            "to impose.")):
        record_restriction(s, AT, 11, [R.NO_RESTRICTION, R.RESTRICTED_DUTIES])
    s = apply(s, record_restriction(s, AT, 11, [R.RESTRICTED_DUTIES]))
    with pytest.raises(RuleRefused, match=exactly(
            "Measures are in force for allegation 11 (restricted duties); to end them record a review that lifts "
            "them.")):
        record_restriction(s, AT, 11, [R.NO_RESTRICTION], rationale="x", approver=SUPERVISOR_2)
    with pytest.raises(RuleRefused, match=exactly(
            "There is no restriction in force for allegation 10 to review; record a restriction decision instead.")):
        record_restriction_review(s, AT, 10, ReviewOutcome.CONTINUE)
    with pytest.raises(RuleRefused, match=exactly("Options are given only when a review varies the measures (VARY).")):
        record_restriction_review(s, AT, 11, ReviewOutcome.CONTINUE, options=[R.SUSPENDED])
    with pytest.raises(RuleRefused, match=exactly(
            "A review that varies the measures needs the complete new set of measures; to end them all, LIFT them.")):
        record_restriction_review(s, AT, 11, ReviewOutcome.VARY)
    with pytest.raises(RuleRefused, match=exactly(
            "The new measures are the same as those in force; CONTINUE them instead.")):
        record_restriction_review(s, AT, 11, ReviewOutcome.VARY, options=[R.RESTRICTED_DUTIES])
    left = two(subjects=[person(employment_status=EmploymentStatus.RESIGNED)])
    with pytest.raises(RuleRefused, match=exactly(
            "Alex Carter has left the force (RESIGNED); restrictions cannot be imposed on someone who is no longer "
            "serving.")):
        record_restriction(left, AT, 11, [R.RESTRICTED_DUTIES])


def test_restriction_reviews() -> None:
    s = two()
    s = apply(s, record_restriction(s, AT, 11, [R.RESTRICTED_DUTIES], on=date(2025, 5, 1)))
    made = record_restriction_review(s, AT, 11, ReviewOutcome.VARY, options=[R.SUSPENDED], conditions=SUSPEND,
                                     rationale="Charged", on=ON)
    assert made == recorded(DecisionKind.RESTRICTION_REVIEW, {
        "outcome": "VARY", "options": ["SUSPENDED"], "redeployment_considered_not_appropriate": True,
        "investigation_may_be_prejudiced": False, "public_interest_requires": True}, rationale="Charged")
    kept = record_restriction_review(s, AT, 11, ReviewOutcome.CONTINUE, on=ON)
    assert kept.payload["options"] == ["RESTRICTED_DUTIES"]
    lifted = record_restriction_review(s, AT, 11, ReviewOutcome.LIFT, on=ON)
    assert lifted.payload["options"] == []
    s = apply(s, lifted)
    state = measures(s, 11)
    assert (state.in_force, state.clock_from, state.decided) == (frozenset(), None, True)
    assert [(d, set(o)) for d, o in state.timeline] == [(date(2025, 5, 1), {R.RESTRICTED_DUTIES}), (ON, set())]
    assert state.on(date(2025, 4, 30)) == frozenset() and state.on(date(2025, 5, 1)) == {R.RESTRICTED_DUTIES}
    assert state.on(ON) == frozenset()


def test_measures_are_described_in_words() -> None:
    assert describe(frozenset()) == "none"
    assert describe(frozenset({R.SUSPENDED, R.FIREARMS_TASER_AUTHORITY_WITHDRAWN})) == (
        "firearms and Taser authority withdrawn, suspended")
    assert describe(frozenset(R)) == (
        "firearms and Taser authority withdrawn, no contact with victims or witnesses, no restriction, redeployed to "
        "another location, removed from domestic abuse or safeguarding role, restricted duties, suspended, systems "
        "access restricted")


# ---- criminal track -----------------------------------------------------------------------------------

def test_arrests_charges_and_convictions_as_recorded() -> None:
    s = two()
    assert record_arrest(s, AT, 11, offence=" Rape ", da_or_sexual_offence=False, on=ON) == recorded(
        DecisionKind.ARREST, {"offence": "Rape", "da_or_sexual_offence": False})
    [charge] = record_criminal_outcome(s, AT, 11, CriminalOutcome.CHARGED, policies(), on=ON, offence=" Assault ",
                                       da_related=False)
    assert charge == recorded(DecisionKind.CHARGE, {"outcome": "CHARGED", "offence": "Assault", "da_related": False})
    [nfa] = record_criminal_outcome(s, AT, 11, CriminalOutcome.NO_FURTHER_ACTION, policies(), on=ON,
                                    sentence=" none ")
    assert nfa == recorded(DecisionKind.CRIMINAL_OUTCOME, {"outcome": "NO_FURTHER_ACTION", "offence": None,
                                                           "sentence": "none"})
    conviction, severity = record_criminal_outcome(s, AT, 11, CriminalOutcome.CONVICTED, policies(), on=ON,
                                                   offence="Rape", indictable_only=True, sentence=" 8 years ")
    assert conviction == recorded(DecisionKind.CONVICTION, {
        "outcome": "CONVICTED", "offence": "Rape", "indictable_only": True, "dismissal_expected": True,
        "sentence": "8 years"})
    assert severity == recorded(DecisionKind.SEVERITY, {"severity": "GROSS_MISCONDUCT"},
                                rationale="A conviction for an indictable-only offence is always gross misconduct.")
    [plain] = record_criminal_outcome(s, AT, 11, CriminalOutcome.CONVICTED, policies(), on=ON, offence="Assault")
    assert plain.payload["sentence"] is None


def test_criminal_refusals_word_for_word() -> None:
    with pytest.raises(RuleRefused, match=exactly(
            "Allegation 10 is not recorded as having a criminal dimension; record it as criminal (with the crime "
            "reference) before recording an arrest, charge or outcome.")):
        record_arrest(snapshot(), AT, 10, offence="Assault")
    with pytest.raises(RuleRefused, match=exactly("An arrest needs the offence it was for.")):
        record_arrest(two(), AT, 11, offence="  ")


def test_the_criminal_history_of_each_allegation_is_its_own() -> None:
    s = two()
    s = apply(s, record_arrest(s, AT, 11, offence="Assault", on=ON))
    s = apply(s, record_criminal_outcome(s, AT, 11, CriminalOutcome.CHARGED, policies(), offence="Assault", on=ON))
    assert [d.allegation_id for d in arrests(s, 11)] == [11] and arrests(s, 10) == []
    assert (current_criminal_outcome(s, 11), current_criminal_outcome(s, 10)) == (CriminalOutcome.CHARGED, None)
    assert len(events(s, 11, CriminalOutcome.CHARGED)) == 1 and events(s, 10, CriminalOutcome.CHARGED) == []
    imported = Decision(None, DecisionKind.CHARGE, {"domestic_abuse_related": False}, None, datetime(2025, 1, 1), ON,
                        10)
    assert outcome_of(imported) == CriminalOutcome.CHARGED and not is_da_related(imported)
    assert is_da_related(Decision(None, DecisionKind.CHARGE, {}, None, datetime(2025, 1, 1), ON, 10))
    assert outcome_of(Decision(None, DecisionKind.ARREST, {}, None, datetime(2025, 1, 1), ON, 10)) is None


# ---- IOPC, investigating body, external investigation --------------------------------------------

def test_referrals_as_recorded() -> None:
    s = two()
    made = record_iopc_referral(s, AT, allegation_id=11, on=ON, iopc_reference=" 2025/1 ",
                                rationale="Voluntary: public confidence")
    assert made == recorded(DecisionKind.IOPC_REFERRAL, {"mandatory": False, "grounds": [], "iopc_reference": "2025/1"},
                            rationale="Voluntary: public confidence")
    from app.domain.enums import MandatoryGround

    extra = record_iopc_referral(s, AT, allegation_id=11, extra_grounds=[MandatoryGround.DISCRIMINATION_AGGRAVATED])
    assert extra.payload == {"mandatory": True, "grounds": ["DISCRIMINATION_AGGRAVATED"], "iopc_reference": None}
    s = apply(s, record_iopc_referral(s, AT, allegation_id=10, on=ON))
    with pytest.raises(RuleRefused, match=exactly(
            "Allegation 10 was already referred to the IOPC on 2025-06-02; record the IOPC's decision instead.")):
        record_iopc_referral(s, AT)  # the whole case: allegation 10 is already referred
    assert iopc_decision(s, 10) is None and iopc_decision(s, None) is None


def test_investigating_body_decisions() -> None:
    s = two()
    made = assign_investigating_body(s, AT, " West-Yorkshire ", policies(), allegation_id=11, on=ON)
    assert made == recorded(DecisionKind.INVESTIGATING_BODY, {"body": "west-yorkshire", "external": True})
    s = apply(s, made)
    assert (investigating_body(s, 11), investigating_body(s, 10)) == ("west-yorkshire", None)
    assert external_investigation(s, 10) is None
    s = apply(s, record_iopc_referral(s, AT, allegation_id=10, on=ON))
    s = apply(s, record_iopc_decision(s, AT, IopcDecision.INDEPENDENT_INVESTIGATION, allegation_id=10, on=ON))
    with pytest.raises(RuleRefused, match=exactly(
            "The IOPC decided on an independent investigation: the IOPC is the investigating body.")):
        assign_investigating_body(s, AT, "HOME", policies(), allegation_id=10)
    assign_investigating_body(s, AT, "iopc", policies(), allegation_id=10)
    assign_investigating_body(s, AT, "HOME", policies(), allegation_id=11)  # not independent there


GUIDANCE_ALL = PolicyValue(PolicyName.EXTERNAL_INVESTIGATION_GUIDANCE, __import__(
    "app.domain.enums", fromlist=["GuidanceCoverage"]).GuidanceCoverage.ALL, date(2024, 1, 1))


def test_the_exception_to_external_investigation_as_recorded() -> None:
    p = policies(GUIDANCE_ALL)
    with pytest.raises(RuleRefused, match=exactly(
            "Force guidance does not require an external investigation of this case, so no exception is needed.")):
        record_external_investigation_exception(two(), AT, policies(), rationale="x", approver=HEAD)
    with pytest.raises(RuleRefused, match=exactly(
            "An in-force investigation against the external-investigation guidance needs approval by a HEAD_OF_PSD "
            "other than the person deciding.")):
        record_external_investigation_exception(two(), AT, p, rationale="x", approver=None)
    made = record_external_investigation_exception(two(), AT, p, rationale="No force available", approver=HEAD, on=ON)
    assert made == recorded(DecisionKind.EXTERNAL_INVESTIGATION_EXCEPTION, {
        "reasons": ["force guidance requires external investigation of every PPDA allegation"]}, None,
        rationale="No force available", approver=HEAD.id)


def test_external_investigation_progress_as_recorded() -> None:
    s = two()
    s = apply(s, assign_investigating_body(s, AT, "kent", policies(), allegation_id=11, on=date(2025, 5, 1)))
    made = record_external_progress(s, AT, ExternalEvent.REQUESTED, on=ON, reference=" K/1 ", allegation_id=11)
    assert made == recorded(DecisionKind.EXTERNAL_INVESTIGATION_PROGRESS,
                            {"event": "REQUESTED", "reference": "K/1", "body": "kent"})
    s = apply(s, made)
    s = apply(s, record_external_progress(s, AT, ExternalEvent.ACCEPTED, on=TODAY, allegation_id=11))
    state = external_investigation(s, 11)
    assert state is not None
    assert (state.body, state.requested, state.accepted, state.other_reference, state.handed_over, state.returned) == (
        "kent", ON, TODAY, "K/1", None, None)
    with pytest.raises(RuleRefused, match=exactly(
            "External investigation dates need another force or the IOPC assigned as investigating body first.")):
        record_external_progress(s, AT, ExternalEvent.REQUESTED, allegation_id=10)
    # a progress record for an earlier body does not count for the body now assigned
    s = apply(s, assign_investigating_body(s, AT, "IOPC", policies(), allegation_id=11))
    moved = external_investigation(s, 11)
    assert moved is not None and (moved.body, moved.requested, moved.other_reference) == ("IOPC", None, None)
    s = apply(s, record_external_progress(s, AT, ExternalEvent.REQUESTED, allegation_id=11))
    s = apply(s, record_external_progress(s, AT, ExternalEvent.ACCEPTED, allegation_id=11))
    s = apply(s, record_external_progress(s, AT, ExternalEvent.HANDED_OVER, allegation_id=11))
    s = apply(s, record_external_progress(s, AT, ExternalEvent.RETURNED, allegation_id=11))
    final = external_investigation(s, 11)
    assert final is not None and (final.handed_over, final.returned) == (TODAY, TODAY)


# ---- assignment ----------------------------------------------------------------------------------------

def test_assignments_as_recorded() -> None:
    s = two()
    candidate = person(500, "Okafor", unit="PSD")
    made = assign(s, AT, SUPERVISOR_2, AssignmentRole.INVESTIGATOR, candidate=candidate,
                  declared_no_prior_connection=True, people={500: candidate}, allegation_id=11, on=ON)
    assert made == recorded(DecisionKind.ASSIGNMENT, {"user_id": SUPERVISOR_2.id, "role": "INVESTIGATOR",
                                                      "declared_no_prior_connection": True, "person_id": 500})
    unlinked = assign(s, AT, SUPERVISOR_2, AssignmentRole.INVESTIGATOR, candidate=None,
                      declared_no_prior_connection=True, people={})
    assert unlinked.payload["person_id"] is None
    a = assignment_of(made)
    assert (a.user_id, a.role, a.declared_no_prior_connection, a.assigned_at) == (
        SUPERVISOR_2.id, "INVESTIGATOR", True, AT.at)
    with pytest.raises(RuleRefused, match=exactly(
            "Insp Supervisor Two must declare having no prior connection to the subject or victim before being "
            "assigned.")):
        assign(s, AT, SUPERVISOR_2, AssignmentRole.INVESTIGATOR, candidate=candidate,
               declared_no_prior_connection=False, people={500: candidate})


def test_independence_is_refused_in_these_words() -> None:
    friend = person(500, "Okafor", unit="PSD")
    with pytest.raises(RuleRefused, match=exactly(
            "Alex Okafor cannot be the dash assessor: they are a declared associate of the victim V1. An "
            "investigator, decision-maker or DASH assessor must have no connection to the subject or victim; "
            "choose someone independent.")):
        check_independence(friend, AssignmentRole.DASH_ASSESSOR, [person()], {500: friend},
                           [Association(500, victim_ref="V1")], victim_refs={"V1"})
    check_independence(friend, AssignmentRole.DASH_ASSESSOR, [person()], {500: friend},
                       [Association(500, victim_ref="V2")], victim_refs={"V1"})
    check_independence(None, AssignmentRole.INVESTIGATOR, [person()], {})
    with pytest.raises(RuleRefused, match="^Alex Okafor cannot be the investigator: they are a victim in the case"):
        check_independence(friend, AssignmentRole.INVESTIGATOR, [person()], {500: friend}, victim_person_ids={500})
    with pytest.raises(RuleRefused, match="they are a declared associate of the victim V1"):
        assign(two(), AT, SUPERVISOR_2, AssignmentRole.INVESTIGATOR, candidate=friend,
               declared_no_prior_connection=True,
               people={500: friend}, associations=[Association(500, victim_ref="V1")])


def test_an_unknown_line_manager_ends_the_chain() -> None:
    subject = person(100, line_manager_id=200)  # manager 200 not in the register
    from app.domain.workflow.independence import independence_conflicts

    assert independence_conflicts(person(300, "Hill", unit="Command"), [subject], {100: subject}) == []
    assert independence_conflicts(person(200, "Lane", unit="Command"), [subject], {100: subject}) == [
        "they are the line manager of the subject Alex Carter"]


# ---- outcomes, notifications, reports, victims ---------------------------------------------------------

def test_misconduct_outcomes_as_recorded() -> None:
    s = two()
    made = record_misconduct_outcome(s, AT, 11, O.CASE_TO_ANSWER_MISCONDUCT, policies(), on=ON,
                                     final_written_warning_in_force=True, multiple_unconnected_incidents=True,
                                     rationale="Evidence of controlling behaviour")
    assert made == recorded(DecisionKind.MISCONDUCT_OUTCOME, {
        "outcome": "CASE_TO_ANSWER_MISCONDUCT", "stage": "DETERMINATION", "final_written_warning_in_force": True,
        "multiple_unconnected_incidents": True}, rationale="Evidence of controlling behaviour")
    s = apply(s, made)
    assert (misconduct_outcomes(s, 11), misconduct_outcomes(s, 10)) == ([O.CASE_TO_ANSWER_MISCONDUCT], [])
    with pytest.raises(RuleRefused, match=exactly(
            "MISCONDUCT_MEETING cannot be dated before the previous outcome (2025-06-02).")):
        record_misconduct_outcome(s, AT, 11, O.MISCONDUCT_MEETING, policies(), on=date(2025, 6, 1))


def test_the_outcome_context_follows_the_subject() -> None:
    staff = two(subjects=[person(workforce_type=__import__("app.domain.enums",
                                                           fromlist=["W"]).WorkforceType.POLICE_STAFF,
                                 employment_status=EmploymentStatus.RETIRED)])
    ctx = context_for(staff, 11, policies())
    assert (ctx.statutory, ctx.has_left, ctx.indictable_only_conviction) == (False, True, False)
    unknown = snapshot(allegations=[allegation(subject_id=999)], subjects=[])
    ctx = context_for(unknown, 10, policies())
    assert (ctx.statutory, ctx.has_left) == (True, False)
    s = two()
    s = apply(s, record_criminal_outcome(s, AT, 11, CriminalOutcome.CONVICTED, policies(), offence="Rape",
                                         indictable_only=True))
    assert context_for(s, 11, policies()).indictable_only_conviction
    assert not context_for(s, 10, policies()).indictable_only_conviction


def test_dismissal_is_expected_per_convicted_allegation_until_its_final_outcome() -> None:
    s = two()
    s = apply(s, record_criminal_outcome(s, AT, 11, CriminalOutcome.CONVICTED, policies(), offence=" Assault ", on=ON))
    [expected] = dismissal_expected(s, policies())
    assert (expected.allegation_id, expected.convicted_on, expected.offence) == (11, ON, "Assault")
    s = apply(s, record_misconduct_outcome(s, AT, 10, O.NO_CASE_TO_ANSWER, policies()))
    assert [e.allegation_id for e in dismissal_expected(s, policies())] == [11]  # 10's outcome does not end it
    for value in (O.CASE_TO_ANSWER_GROSS_MISCONDUCT, O.ACCELERATED_MISCONDUCT_HEARING, O.GROSS_MISCONDUCT,
                  O.DISMISSAL_WITHOUT_NOTICE):
        s = apply(s, record_misconduct_outcome(s, AT, 11, value, policies()))
    assert dismissal_expected(s, policies()) == []
    three = snapshot(allegations=[allegation(criminal=True, crime_ref="C1"),
                                  allegation(11, criminal=True, crime_ref="C2"),
                                  allegation(12, criminal=True, crime_ref="C3")])
    for aid in (10, 12):
        three = apply(three,
                      record_criminal_outcome(three, AT, aid, CriminalOutcome.CONVICTED, policies(), offence="x"))
    three = apply(three, record_misconduct_outcome(three, AT, 11, O.NO_CASE_TO_ANSWER, policies()))
    assert [e.allegation_id for e in dismissal_expected(three, policies())] == [10, 12]


def test_notifications_as_recorded() -> None:
    s = two()
    made = record_list_notification(s, AT, 100, ListStatus.ADVISORY, on=ON, reference=" CoP/9 ")
    assert made == recorded(DecisionKind.LIST_NOTIFICATION,
                            {"person_id": 100, "list": "ADVISORY", "reference": "CoP/9"},
                            None)
    assert record_list_notification(s, AT, 100, ListStatus.BARRED).payload["reference"] is None
    with pytest.raises(RuleRefused, match=exactly("A list notification is for the BARRED or the ADVISORY list.")):
        record_list_notification(s, AT, 100, ListStatus.NONE)
    with pytest.raises(RuleRefused, match=exactly("Person 7 is not a subject of case PSD-2025-000001.")):
        record_list_notification(s, AT, 7, ListStatus.BARRED)
    review = record_vetting_review(s, AT, 100, result=" Vetting withdrawn ", on=ON)
    assert review == recorded(DecisionKind.VETTING_REVIEW, {"person_id": 100, "result": "Vetting withdrawn"}, None)
    with pytest.raises(RuleRefused, match=exactly("A vetting review needs its result.")):
        record_vetting_review(s, AT, 100, result="  ")
    with pytest.raises(RuleRefused, match=exactly("Person 7 is not a subject of case PSD-2025-000001.")):
        record_vetting_review(s, AT, 7, result="x")


def test_vetting_tasks_name_their_allegation_trigger_and_date() -> None:
    s = two()
    s = apply(s, Decision(None, DecisionKind.CRIMINAL_OUTCOME, {"outcome": "CONVICTED"}, None, datetime(2025, 6, 2), ON,
                          11, imported_from="legacy.csv"))  # an imported conviction without its offence
    [task] = notification_tasks(s, policies())
    assert (task.allegation_id, task.trigger, task.triggered_on, task.due_date) == (
        11, "conviction (offence not given)", ON, date(2025, 6, 30))
    left = two(subjects=[person(employment_status=EmploymentStatus.RESIGNED, end_date=ON)])
    left = apply(left, record_criminal_outcome(left, AT, 11, CriminalOutcome.CONVICTED, policies(), offence="x"))
    assert [t.list_status for t in notification_tasks(left, policies())] == [ListStatus.ADVISORY]
    [advisory] = notification_tasks(left, policies())
    assert advisory.allegation_id == 10  # the earliest trigger, from the first allegation


def test_pcc_reports_and_victim_updates_as_recorded() -> None:
    s = snapshot(received=date(2024, 5, 1))
    assert record_pcc_report(s, AT, policies(), on=ON) == recorded(
        DecisionKind.TWELVE_MONTH_REPORT, {"report_number": 1, "due_date": "2025-05-01"}, None)
    assert record_victim_update(s, AT, "V1", on=ON, method=" Home visit ") == recorded(
        DecisionKind.VICTIM_UPDATE, {"victim_ref": "V1", "method": "Home visit"}, None)
    assert record_victim_update(s, AT, "V1").payload["method"] is None
    with pytest.raises(RuleRefused, match=exactly("There is no victim V9 in case PSD-2025-000001.")):
        record_victim_update(s, AT, "V9")
    done = apply(s, record_misconduct_outcome(s, AT, 10, O.NO_CASE_TO_ANSWER, policies()))
    with pytest.raises(RuleRefused, match=exactly("The investigation is finished: no report to the PCC is due.")):
        record_pcc_report(done, AT, policies())


def test_the_investigation_is_finished_when_every_allegation_is_determined() -> None:
    s = two()
    assert not investigation_finished(s)
    s = apply(s, record_misconduct_outcome(s, AT, 10, O.CASE_TO_ANSWER_MISCONDUCT, policies()))
    assert not investigation_finished(s)  # allegation 11 is still open
    s = apply(s, record_misconduct_outcome(s, AT, 11, O.NO_CASE_TO_ANSWER, policies()))
    assert investigation_finished(s)
    assert not investigation_finished(snapshot(allegations=[]))


def test_conflicts_are_found_for_every_subject_and_only_the_candidates_own_associations() -> None:
    from app.domain.workflow.independence import independence_conflicts

    candidate = person(500, "Okafor", unit="PSD")
    subjects = [person(100, unit="Response North"), person(101, "Lane", unit="PSD")]
    assert independence_conflicts(candidate, subjects, {}, [Association(100, 500)]) == [
        "they are a declared associate of the subject Alex Carter",
        "they work in the same unit (PSD) as the subject Alex Lane"]
    assert independence_conflicts(candidate, [], {}, [Association(600, victim_ref="V1")], victim_refs={"V1"}) == []


def test_a_victims_next_update_remembers_the_last_one() -> None:
    from app.domain.workflow.timeliness import victim_updates_due

    s = snapshot(received=date(2025, 3, 3))
    [due] = victim_updates_due(s, policies())
    assert (due.victim_ref, due.last_update, due.due_date) == ("V1", None, date(2025, 3, 31))
    s = apply(s, record_victim_update(s, act(SUPERVISOR, date(2025, 3, 20)), "V1"))
    [due] = victim_updates_due(s, policies())
    assert (due.last_update, due.due_date) == (date(2025, 3, 20), date(2025, 4, 17))


def test_no_vetting_review_for_a_subject_not_in_the_case_record() -> None:
    s = snapshot(allegations=[allegation(subject_id=999, criminal=True, crime_ref="C")], subjects=[])
    s = apply(s, record_criminal_outcome(s, AT, 10, CriminalOutcome.CONVICTED, policies(), offence="x"))
    assert notification_tasks(s, policies()) == []


# ---- what the earlier tests left open (each kills a mutant that survived them) ------------------

def test_a_suspension_imposed_and_lifted_on_the_day_of_the_charge_meets_it() -> None:
    from app.domain.workflow.charge import suspensions_due

    s = two()
    s = apply(s, record_criminal_outcome(s, AT, 11, CriminalOutcome.CHARGED, policies(), offence="Assault", on=ON))
    s = apply(s, record_restriction(s, AT, 11, [R.SUSPENDED], conditions=SUSPEND, on=ON))
    s = apply(s, record_restriction_review(s, AT, 11, ReviewOutcome.LIFT, on=ON))
    assert measures(s, 11).in_force == frozenset()
    assert [d.met for d in suspensions_due(s, 11, policies())] == [True]


def test_an_imported_restriction_without_options_imposes_nothing() -> None:
    imposed = Decision(None, DecisionKind.RESTRICTION, {}, None, datetime(2025, 6, 3), ON, 11, imported_from="x.csv")
    state = measures(apply(two(), imposed), 11)
    assert (state.in_force, state.decided) == (frozenset(), True)


def test_an_imported_review_without_options_lifts_to_nothing() -> None:
    s = two()
    s = apply(s, record_restriction(s, AT, 11, [R.RESTRICTED_DUTIES], on=ON))
    lift = Decision(None, DecisionKind.RESTRICTION_REVIEW, {"outcome": "LIFT"}, None, datetime(2025, 6, 3), TODAY, 11,
                    imported_from="legacy.csv")
    assert measures(apply(s, lift), 11).in_force == frozenset()


def test_a_recordable_allegation_keeps_no_approver() -> None:
    made = record_recording(two(), AT, allegation_id=11, approver=SUPERVISOR_2)
    assert (made.approved_by, made.approved_at) == (None, None)


def test_several_unconnected_incidents_allow_dismissal_after_a_misconduct_finding() -> None:
    s = two()
    for value in (O.CASE_TO_ANSWER_MISCONDUCT, O.MISCONDUCT_HEARING, O.MISCONDUCT):
        s = apply(s, record_misconduct_outcome(s, AT, 11, value, policies()))
    made = record_misconduct_outcome(s, AT, 11, O.REDUCTION_IN_RANK, policies(), multiple_unconnected_incidents=True)
    assert made.payload["multiple_unconnected_incidents"] is True
    with pytest.raises(RuleRefused, match="needs a final written warning in force"):
        record_misconduct_outcome(s, AT, 11, O.REDUCTION_IN_RANK, policies())


def test_the_referral_deadline_runs_from_the_allegations_own_recording() -> None:
    from app.domain.enums import AbuseType
    from app.domain.workflow.iopc import referral_due_date

    s = snapshot(allegations=[allegation(abuse_types=frozenset({AbuseType.SEXUAL})),
                              allegation(11, abuse_types=frozenset({AbuseType.SEXUAL}), victim_refs=("V2",))],
                 received=date(2025, 3, 3))
    s = apply(s, record_recording(s, act(SUPERVISOR, date(2025, 3, 10)), allegation_id=11))
    assert (referral_due_date(s, 10, policies()), referral_due_date(s, 11, policies())) == (
        date(2025, 3, 4), date(2025, 3, 11))
    s = apply(s, record_iopc_referral(s, act(LIAISON, date(2025, 3, 10)), allegation_id=10))
    s = apply(s, record_recording(s, act(SUPERVISOR, date(2025, 3, 12)), allegation_id=10))  # 10's, later
    from app.domain.enums import DueItemKind
    from app.domain.workflow.due import due_items

    items = [(i.allegation_id, i.due_date) for i in due_items(s, policies(), date(2025, 3, 10))
             if i.kind == DueItemKind.IOPC_REFERRAL]
    assert items == [(11, date(2025, 3, 11))]  # 10 is referred; 11 is still due, from its own recording


def test_a_body_is_needed_in_these_words() -> None:
    with pytest.raises(RuleRefused,
                       match=exactly("The investigating body is needed: HOME, IOPC or another force's code.")):
        assign_investigating_body(two(), AT, "  ", policies())


def test_external_progress_is_per_allegation_and_names_every_missing_step() -> None:
    s = two()
    for aid in (10, 11):
        s = apply(s, assign_investigating_body(s, AT, "kent", policies(), allegation_id=aid, on=ON))
    s = apply(s, record_external_progress(s, AT, ExternalEvent.REQUESTED, allegation_id=10, on=ON))
    other = external_investigation(s, 11)
    assert other is not None and other.requested is None
    with pytest.raises(RuleRefused, match=exactly("HANDED_OVER needs REQUESTED, ACCEPTED recorded first.")):
        record_external_progress(s, AT, ExternalEvent.HANDED_OVER, allegation_id=11)


def _some(*criteria: object, rank: str = "Insp") -> object:
    from app.domain.enums import GuidanceCoverage
    from app.domain.policy import ExternalCriterion  # noqa: F401

    return policies(PolicyValue(PolicyName.EXTERNAL_INVESTIGATION_GUIDANCE, GuidanceCoverage.SOME, date(2024, 1, 1)),
                    PolicyValue(PolicyName.EXTERNAL_INVESTIGATION_CRITERIA, frozenset(criteria), date(2024, 1, 1)),
                    PolicyValue(PolicyName.EXTERNAL_INVESTIGATION_MIN_RANK, rank, date(2024, 1, 1)))


def test_some_guidance_lists_every_reason_and_ranks_from_the_minimum() -> None:
    from app.domain.policy import ExternalCriterion as C
    from app.domain.workflow.investigation import external_investigation_reasons

    insp = two(subjects=[person(rank_or_grade="Insp", unit="PSD")])
    both = _some(C.SUBJECT_AT_OR_ABOVE_RANK, C.SUBJECT_IN_PSD_OR_DA_ROLE, C.CRIMINAL_ALLEGATION)
    assert external_investigation_reasons(insp, both, TODAY) == [  # type: ignore[arg-type]
        "the allegation is criminal",
        "the subject Alex Carter is Insp, at or above Insp",
        "the subject Alex Carter works in the PSD or a domestic-abuse/safeguarding role"]
    staff = two(subjects=[person(rank_or_grade="Band C")])
    assert external_investigation_reasons(staff, _some(C.SUBJECT_AT_OR_ABOVE_RANK, rank="PC"), TODAY) == []  # type: ignore[arg-type]
    with pytest.raises(RuleRefused, match=exactly(
            "Force guidance requires an external investigation (the allegation is criminal; the subject Alex Carter "
            "is Insp, at or above Insp; the subject Alex Carter works in the PSD or a domestic-abuse/safeguarding "
            "role). Assign another force or the IOPC, or record an exception with a rationale approved by the "
            "HEAD_OF_PSD before assigning the home force.")):
        assign_investigating_body(insp, AT, "HOME", both)  # type: ignore[arg-type]
    made = record_external_investigation_exception(insp, AT, both, rationale="x", approver=HEAD)  # type: ignore[arg-type]
    assert len(made.payload["reasons"]) == 3


def test_an_imported_charge_without_its_offence_is_named_by_its_date() -> None:
    from app.domain.enums import DueItemKind
    from app.domain.workflow.due import due_items

    charge = Decision(None, DecisionKind.CHARGE, {"outcome": "CHARGED"}, None, datetime(2025, 6, 2), ON, 11,
                      imported_from="legacy.csv")
    [item] = [i for i in due_items(apply(two(), charge), policies(), TODAY) if i.kind
              == DueItemKind.SUSPENSION_ON_CHARGE]
    assert item.detail == "Alex Carter: charge 2025-06-02"


def test_list_and_vetting_items_name_their_list_allegation_and_person() -> None:
    from app.domain.enums import DueItemKind, Role
    from app.domain.workflow.due import DueItem, due_items

    s = two()
    s = apply(s, record_criminal_outcome(s, AT, 11, CriminalOutcome.CONVICTED, policies(), offence="Assault", on=ON))
    [item] = [i for i in due_items(s, policies(), TODAY) if i.kind == DueItemKind.VETTING_REVIEW]
    assert item == DueItem(DueItemKind.VETTING_REVIEW, date(2025, 6, 30), False, "PSD-2025-000001",
                           "Alex Carter: conviction (Assault)", Role.SUPERVISOR, 11, 100)
    left = two(subjects=[person(employment_status=EmploymentStatus.RETIRED, end_date=ON)])
    [item] = [i for i in due_items(left, policies(), TODAY) if i.kind == DueItemKind.LIST_NOTIFICATION]
    assert item == DueItem(DueItemKind.LIST_NOTIFICATION, date(2025, 6, 9), False, "PSD-2025-000001",
                           "Alex Carter: Advisory List: retired while under investigation", Role.HEAD_OF_PSD, 10, 100)


def test_a_confirmed_matchs_vetting_review_names_the_person() -> None:
    from app.domain.workflow.due import ConfirmedMatch, notice_due_items

    [item] = notice_due_items([], [ConfirmedMatch("N1", 7, "Alex Carter", ON)], policies(), TODAY)
    assert (item.person_id, item.case_ref, item.allegation_id) == (7, "N1", None)


def test_a_victim_of_the_case_cannot_be_assigned() -> None:
    victim_officer = person(500, "Okafor", unit="PSD")
    with pytest.raises(RuleRefused, match="they are a victim in the case"):
        assign(two(), AT, SUPERVISOR_2, AssignmentRole.INVESTIGATOR, candidate=victim_officer,
               declared_no_prior_connection=True, people={500: victim_officer}, victim_person_ids={500})


def test_gravity_follows_the_points_not_the_names() -> None:
    from app.domain.enums import AbuseType
    from app.domain.workflow.flags import AllegationSummary
    from app.domain.workflow.ranking import gravity_of

    s = AllegationSummary(1, TODAY, ("V1",), frozenset({AbuseType.SEXUAL, AbuseType.TECHNOLOGY_FACILITATED}))
    assert gravity_of(s) == (5, "sexual")


def test_the_investigation_is_finished_by_a_final_outcome_without_a_determination() -> None:
    s = snapshot(allegations=[allegation(None), allegation(11)])  # type: ignore[arg-type]
    assert not investigation_finished(s)  # 11 is open; an allegation without an id is skipped
    imported = Decision(None, DecisionKind.MISCONDUCT_OUTCOME, {"outcome": "WRITTEN_WARNING"}, None,
                        datetime(2025, 1, 1), ON, 11, imported_from="legacy.csv")
    assert investigation_finished(apply(s, imported))
