"""The registry of case actions and `available_actions` (what may this person do next on this case,
and why not), on SQLite and PostgreSQL: the reasons each person reads, and — for every action and
every kind of user — that the services agree with what `available_actions` says: an action it
refuses for the role or the need to know is refused by the service the same way, and one it offers
is not refused for want of permission."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.enums import AssignmentRole, CriminalOutcome, RestrictionOption
from app.domain.errors import ExpectedError, InvalidInput, PermissionDenied
from app.domain.records import User
from app.services import actions
from app.services import casework as cw
from app.services.actions import Availability
from tests.integration.test_casework_support import RECEIVED, World, allegation, allegation_ids, new_case, world

__all__ = ["world"]
REF = "PSD-2025-000001"
NOT_ON_TEAM = (f"inv2 is not on the case team of {REF}: an investigator may work only on the cases assigned to them. "
               "A supervisor can assign you.")


def on_team(w: World, *allegations: cw.AllegationInput) -> tuple[int, int]:
    created = new_case(w, *allegations, by=w.sup)
    cw.assign_member(w.uow(), w.sup, created.case_id, w.inv.username, AssignmentRole.INVESTIGATOR, True)
    return created.case_id, allegation_ids(w, created.case_id)["S100"]


def of(w: World, user: User, case_id: int) -> dict[str, Availability]:
    return actions.by_name(actions.available_actions(w.uow(), user, case_id))


def test_what_an_investigator_on_the_case_team_may_do_next(world: World) -> None:
    case_id, _aid = on_team(world)
    mine = of(world, world.inv, case_id)
    assert list(mine) == list(actions.ACTIONS)
    assert mine["threshold"] == Availability(
        "threshold", "Threshold for investigation", True, None, True, False,
        "a co-signer: a HEAD_OF_PSD or SUPERVISOR signs in here and decides it with you")
    assert mine["recording"] == Availability(
        "recording", "Recording", True, None, True, True,
        "Recording a PPDA allegation as not recordable needs approval by a HEAD_OF_PSD or SUPERVISOR other than you")
    assert mine["suspension_exception"].why_not == (
        "No suspension is due on charge or arrest, so no exception is needed.")
    assert mine["restriction_review"].why_not == (
        "There is no restriction in force to review: record a restriction decision instead.")
    assert mine["arrest"].why_not == (
        "No allegation is recorded as criminal: record it as criminal (with the crime reference) first.")
    assert mine["iopc_referral"].why_not == "Your role cannot record IOPC referrals and decisions."
    assert mine["assign_member"].why_not == (
        "Only supervisors and the head of PSD allocate the case team and restrict access.")
    assert (mine["victim_update"].may, mine["victim_update"].decides, mine["victim_update"].may_propose) == (True,
                                                                                                             True,
                                                                                                             False)
    assert mine["close_case"].why_not == (
        "Cannot close yet: allegation 1 (Alex Carter) has no final misconduct outcome.")
    assert mine["declare_association"].may  # inv is linked to the register (S500)


def test_what_the_supervisor_the_head_and_others_may_do(world: World) -> None:
    case_id, aid = on_team(world, allegation("S100", criminal=True, crime_ref="CR/25/1"))
    cw.record_threshold(world.uow(), world.sup, case_id, aid)
    cw.record_criminal_outcome(world.uow(), world.sup, case_id, aid, CriminalOutcome.CHARGED, offence="Assault")
    sup, head = of(world, world.sup, case_id), of(world, world.head, case_id)
    assert sup["suspension_exception"] == Availability(
        "suspension_exception", "Not suspending after charge or arrest", True, None, True, True,
        "Not suspending after a charge or arrest needs approval by a HEAD_OF_PSD other than you")
    assert head["suspension_exception"].second == (
        "Not suspending after a charge or arrest needs approval by a HEAD_OF_PSD or SUPERVISOR other than you")
    assert (sup["threshold"].may, sup["threshold"].decides, sup["threshold"].may_propose) == (True, True, False)
    assert sup["restriction"].second == (
        "A decision not to restrict needs approval by a HEAD_OF_PSD or SUPERVISOR other than you")
    with pytest.raises(PermissionDenied) as refused:
        of(world, world.inv2, case_id)
    assert refused.value.message == NOT_ON_TEAM
    liaison = of(world, world.iopc, case_id)
    assert liaison["iopc_referral"].may and not liaison["iopc_referral"].may_propose
    assert liaison["iopc_decision"].why_not == (
        f"Case {REF} has not been referred to the IOPC: the IOPC liaison records its referral, then the IOPC's "
        "decision.")
    assert liaison["threshold"].why_not == "Your role cannot record or propose this decision."
    assert sum(a.may for a in liaison.values()) == 1
    with pytest.raises(PermissionDenied, match=f"^lead may not change case {REF}: only its case team"):
        actions.available_actions(world.uow(), world.lead, case_id)
    assert world.log(REF)[-1] == ("lead", "CONSULTATION", "refused: case actions")


def test_reading_what_may_be_done_writes_nothing_to_the_access_log(world: World) -> None:
    case_id, _aid = on_team(world)
    before = world.log(REF)
    of(world, world.inv, case_id)
    of(world, world.sup, case_id)
    assert world.log(REF) == before


def test_a_closed_case_takes_nothing_but_a_declaration(world: World) -> None:
    created = new_case(world)
    aid = allegation_ids(world, created.case_id)["S100"]
    actions.perform(world.uow(), world.sup, created.case_id, "misconduct_outcome",
                    {"allegation_id": str(aid), "outcome": "no_case_to_answer"})
    actions.perform(world.uow(), world.sup, created.case_id, "close_case", {})
    sup = of(world, world.sup, created.case_id)
    assert {a.why_not for n, a in sup.items() if n != "declare_association"} == {"The case is closed."}
    assert sup["declare_association"].may  # sup is in the workforce register (S210)
    unlinked = of(world, world.sup2, created.case_id)["declare_association"]
    assert unlinked.why_not is not None and unlinked.why_not.startswith(
        "Your account is not linked to the workforce register")


def test_perform_reads_arguments_as_the_command_line_types_them(world: World) -> None:
    case_id, aid = on_team(world)
    cw.record_threshold(world.uow(), world.sup, case_id, aid)
    done = actions.perform(world.uow(), world.sup, case_id, "restriction", {
        "allegation_id": str(aid), "options": "restricted_duties; SUSPENDED",
        "conditions": "redeployment_considered_not_appropriate;public_interest_requires", "on": "2025-03-03",
        "rationale": "Risk to the victim; contact through work"})
    row = world.decisions(case_id)[-1]
    assert (row.id, row.payload["options"], row.payload["public_interest_requires"], row.effective_date,
            row.rationale) == (done.decision_ids[0], ["RESTRICTED_DUTIES", "SUSPENDED"], True, RECEIVED,
                               "Risk to the victim; contact through work")
    for given, message in (
            ({"allegation_id": aid, "outcome": "STOP"}, "outcome: 'STOP' is not one of CONTINUE, VARY, LIFT."),
            ({"allegation_id": "twelve", "outcome": "LIFT"}, "allegation_id: 'twelve' is not a number."),
            ({"outcome": "LIFT"}, "Restriction review needs: allegation_id."),
            ({"allegation_id": aid, "outcome": "LIFT", "on": "03/03/2025"},
             "on: '03/03/2025' is not a date (YYYY-MM-DD)."),
            ({"allegation_id": aid, "outcome": "LIFT", "colour": "red"},
             "Restriction review does not take: colour (it takes: allegation_id, outcome, options, conditions, "
             "rationale, on).")):
        with pytest.raises(InvalidInput) as refused:
            actions.perform(world.uow(), world.sup, case_id, "restriction_review", given)
        assert refused.value.message == message
    with pytest.raises(InvalidInput, match='^There is no case action "lift"; the actions are: recording, threshold'):
        actions.perform(world.uow(), world.sup, case_id, "lift", {})
    assert world.decisions(case_id)[-1].id == done.decision_ids[0]  # nothing else was recorded


# ---- the services agree with available_actions -----------------------------------------------------

def sample_arguments(w: World, case_id: int, aid: int) -> dict[str, dict[str, Any]]:
    """Arguments each action can be tried with (valid in form; the rules may still refuse them)."""
    person = str(w.person("S100"))
    return {
        "recording": {"recordable": "yes"}, "threshold": {"allegation_id": aid},
        "severity": {"severity": "MISCONDUCT"},
        "restriction": {"allegation_id": aid, "options": [RestrictionOption.RESTRICTED_DUTIES]},
        "restriction_review": {"allegation_id": aid, "outcome": "CONTINUE"},
        "suspension_exception": {"allegation_id": aid, "rationale": "Sole carer"},
        "arrest": {"allegation_id": aid, "offence": "Assault"},
        "criminal_outcome": {"allegation_id": aid, "outcome": "CHARGED", "offence": "Assault"},
        "iopc_referral": {}, "iopc_decision": {"decision": "LOCAL_INVESTIGATION"},
        "investigating_body": {"body": "northumbria"}, "external_exception": {"rationale": "No force free"},
        "external_progress": {"event": "REQUESTED"},
        "misconduct_outcome": {"allegation_id": aid, "outcome": "CASE_TO_ANSWER_MISCONDUCT"},
        "list_notification": {"person_id": person, "list_status": "ADVISORY"},
        "vetting_review": {"person_id": person, "result": "Retained"}, "pcc_report": {},
        "victim_update": {"victim_ref": "V1"}, "close_case": {},
        "add_victim": {"reference": f"V{case_id}9", "relationship": "FORMER_PARTNER"},
        "edit_victim": {"victim_ref": "V1", "sex": "F"},
        "add_allegation": {"subject_staff_number": "S700", "victim_refs": "V1", "abuse_types": "THREATS"},
        "assign_member": {"username": "inv2", "role": "DASH_ASSESSOR", "declared_no_prior_connection": "yes"},
        "end_assignment": {"username": "inv", "role": "INVESTIGATOR", "reason": "Moved"},
        "restrict_case": {"usernames": "sup"}, "declare_association": {"note": "I know the victim"},
    }


USERS = ("inv", "inv2", "iopc", "sup", "head", "lead")
STATE = ("There is no", "No suspension", "No allegation", "The IOPC's decision", "Force guidance", "External",
         "Cannot close", "No one is assigned", "Your account is not linked")


def _try(w: World, user: User, case_id: int, name: str, arguments: dict[str, Any],
         second: User | None = None) -> ExpectedError | None:
    try:
        actions.perform(w.uow(), user, case_id, name, arguments, approver=second)
    except ExpectedError as exc:
        return exc
    return None


def _check(w: World, user: User, case_id: int, name: str, arguments: dict[str, Any]) -> None:
    """What available_actions says of one action now, against what its service does."""
    try:
        a = of(w, user, case_id)[name]
    except PermissionDenied:  # may not reach the case at all: the service refuses too
        assert isinstance(_try(w, user, case_id, name, arguments), PermissionDenied), (user.username, name)
        return
    refused = _try(w, user, case_id, name, arguments)
    if not a.may:
        if a.why_not is not None and not a.why_not.startswith(STATE):
            assert isinstance(refused, PermissionDenied), (user.username, name, a.why_not, refused)
    elif a.decides:
        assert not isinstance(refused, PermissionDenied), (user.username, name, refused)
    else:  # a co-signer decides: refused alone, not with a supervisor beside them
        assert isinstance(refused, PermissionDenied) and "co-signed" in refused.message, (user.username, name)
        assert not isinstance(_try(w, user, case_id, name, arguments, w.sup), PermissionDenied), (user.username, name)


@pytest.mark.slow
def test_every_action_as_every_kind_of_user_is_refused_by_the_service_exactly_when_available_says(world: World) -> None:
    case_id, aid = on_team(world, allegation("S100", criminal=True, crime_ref="CR/25/9"))
    tried = sample_arguments(world, case_id, aid)
    assert set(tried) == set(actions.ACTIONS)
    people = {u.username: u for u in (world.inv, world.inv2, world.iopc, world.sup, world.head, world.lead)}
    for name in USERS:
        for action_name, arguments in tried.items():
            if action_name in ("declare_association", "restrict_case", "end_assignment"):
                continue  # would take the user (or others) off the case for the rest of the loop
            _check(world, people[name], case_id, action_name, arguments)
