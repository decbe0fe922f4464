"""Proposed decisions (DOMAIN.md §7: "an INVESTIGATOR may propose"), on SQLite and PostgreSQL:
an investigator proposes, a supervisor approves later (recorded exactly as a co-signature would
record it: decided by the supervisor, the investigator its proposer), rejects with a reason, or
the proposer withdraws; a supervisor submits their own decision for the approval it needs; a
refusal at approval leaves the proposal pending; the proposer never approves; the access log has
every step, each under the name of the person who took it."""

from __future__ import annotations

import pytest

from app.domain.enums import AssignmentRole, RestrictionOption, Severity
from app.domain.errors import ConflictError, InvalidInput, PermissionDenied, RuleRefused
from app.persistence.models import UserRow
from app.services import actions
from app.services import casework as cw
from app.services.users import authenticate
from tests.helpers import PASSWORD
from tests.integration.test_casework_support import RECEIVED, World, allegation_ids, new_case, pin, world

__all__ = ["world"]
REF = "PSD-2025-000001"


def on_team(w: World) -> tuple[int, int]:
    created = new_case(w, by=w.sup)
    cw.assign_member(w.uow(), w.sup, created.case_id, w.inv.username, AssignmentRole.INVESTIGATOR, True)
    return created.case_id, allegation_ids(w, created.case_id)["S100"]


def test_a_proposal_approved_later_is_recorded_as_a_co_signature_would_record_it(world: World) -> None:
    case_id, aid = on_team(world)
    pin(RECEIVED, 9, 30)
    proposed = actions.propose(world.uow(), world.inv, case_id, "threshold",
                          {"allegation_id": aid, "met": True, "rationale": "Disclosed assault"})
    [waiting] = actions.pending_for(world.uow(), world.sup2)
    assert (waiting.id, waiting.case_ref, waiting.what, waiting.proposed_by, waiting.status) == (
        proposed.proposal_id, REF, "Threshold for investigation: met", "inv (inv)", "PENDING")
    assert [p.id for p in actions.pending_for(world.uow(), world.inv)] == [proposed.proposal_id]
    assert [p.id for p in actions.pending_on_case(world.uow(), world.sup, case_id)] == [proposed.proposal_id]
    assert world.decisions(case_id)[-1].kind == "ASSIGNMENT"  # nothing recorded yet
    pin(RECEIVED, 14, 5)
    done = actions.approve(world.uow(), world.sup2, proposed.proposal_id)
    row = world.decisions(case_id)[-1]
    assert row.id == done.decision_ids[0]
    assert (row.kind, row.decided_by, row.approved_by, row.rationale) == (
        "THRESHOLD", world.sup2.id, world.sup2.id, "Disclosed assault")
    assert row.approved_at is not None and row.approved_at.hour == 14
    assert row.payload == {"met": True, "proposed_by": world.inv.id}
    assert actions.pending_for(world.uow(), world.sup2) == [] and actions.pending_for(world.uow(), world.inv) == []
    assert world.log(REF)[-3:] == [("inv", "ALTERATION", f"proposed {proposed.proposal_id} (threshold)"),
                                   ("sup2", "ALTERATION", "THRESHOLD"),
                                   ("sup2", "ALTERATION", f"approved proposal {proposed.proposal_id} (threshold)")]
    assert world.personal_data_logged() == []
    with pytest.raises(ConflictError, match="no longer awaiting approval: it was approved"):
        actions.approve(world.uow(), world.sup, proposed.proposal_id)


def test_a_refusal_at_approval_reaches_the_approver_unchanged_and_the_proposal_stays_pending(world: World) -> None:
    case_id, aid = on_team(world)
    proposed = actions.propose(world.uow(), world.inv, case_id, "restriction",
                          {"allegation_id": aid, "options": [RestrictionOption.SUSPENDED]})
    cw.record_threshold(world.uow(), world.sup, case_id, aid)
    with pytest.raises(RuleRefused) as refused:
        actions.approve(world.uow(), world.sup2, proposed.proposal_id)
    with pytest.raises(RuleRefused) as directly:
        cw.record_restriction(world.uow(), world.inv, case_id, aid, [RestrictionOption.SUSPENDED], approver=world.sup2)
    assert refused.value.message == directly.value.message
    assert [p.status for p in actions.pending_for(world.uow(), world.sup2)] == ["PENDING"]
    assert world.decisions(case_id)[-1].kind == "THRESHOLD"


def test_a_rejection_needs_a_reason_and_shows_it_to_the_proposer(world: World) -> None:
    case_id, _aid = on_team(world)
    proposed = actions.propose(world.uow(), world.inv, case_id, "severity", {"severity": Severity.GROSS_MISCONDUCT})
    with pytest.raises(InvalidInput, match="^Give the reason for rejecting the proposal"):
        actions.reject(world.uow(), world.sup, proposed.proposal_id, "  ")
    actions.reject(world.uow(), world.sup, proposed.proposal_id, "Wait for the second account")
    [mine] = actions.pending_for(world.uow(), world.inv)
    assert (mine.status, mine.reason, mine.decided_by, mine.what) == (
        "REJECTED", "Wait for the second account", "sup (sup)", "Severity assessment: Gross misconduct")
    assert actions.pending_for(world.uow(), world.sup2) == []
    assert world.log(REF)[-1] == ("sup", "ALTERATION", f"rejected proposal {proposed.proposal_id} (severity)")


def test_only_the_proposer_withdraws_and_never_approves(world: World) -> None:
    case_id, aid = on_team(world)
    proposed = actions.propose(world.uow(), world.inv, case_id, "threshold", {"allegation_id": aid})
    with pytest.raises(PermissionDenied, match="^Only the person who proposed it may withdraw"):
        actions.withdraw(world.uow(), world.sup, proposed.proposal_id)
    with pytest.raises(PermissionDenied, match="may not approve decisions and overrides"):
        actions.approve(world.uow(), world.inv, proposed.proposal_id)
    actions.withdraw(world.uow(), world.inv, proposed.proposal_id)
    assert actions.pending_for(world.uow(), world.inv) == [] and actions.pending_for(world.uow(), world.sup) == []
    assert world.log(REF)[-1] == ("inv", "ALTERATION", f"withdrew proposal {proposed.proposal_id} (threshold)")


def test_a_supervisor_never_approves_their_own_proposal(world: World) -> None:
    # A user with both roles proposes nothing (they may decide); the proposer check still holds
    # should an investigator be promoted while their proposal waits.
    case_id, aid = on_team(world)
    proposed = actions.propose(world.uow(), world.inv, case_id, "threshold", {"allegation_id": aid})
    with world.uow() as uow:
        row = uow.session.get(UserRow, world.inv.id)
        assert row is not None
        row.roles = "INVESTIGATOR;SUPERVISOR"
        uow.commit()
    promoted = authenticate(world.uow(), "inv", PASSWORD)
    with pytest.raises(PermissionDenied, match="^A decision cannot be approved by the person who proposed it"):
        actions.approve(world.uow(), promoted, proposed.proposal_id)
    with pytest.raises(PermissionDenied, match="^inv may record this decision: there is nothing to propose."):
        actions.propose(world.uow(), promoted, case_id, "threshold", {"allegation_id": aid})


def test_an_investigator_not_on_the_case_cannot_propose_nor_propose_what_needs_no_supervisor(world: World) -> None:
    case_id, aid = on_team(world)
    with pytest.raises(PermissionDenied, match="^inv2 is not on the case team of"):
        actions.propose(world.uow(), world.inv2, case_id, "threshold", {"allegation_id": aid})
    with pytest.raises(InvalidInput,
                       match="^\"arrest\" cannot be proposed: only decisions that need a supervisor or an approval"):
        actions.propose(world.uow(), world.inv, case_id, "arrest", {"allegation_id": aid})
    with pytest.raises(InvalidInput, match="^Threshold for investigation needs: allegation_id.$"):
        actions.propose(world.uow(), world.inv, case_id, "threshold", {"met": True})
    with pytest.raises(InvalidInput,
                       match="^severity: 'VERY_BAD' is not one of NO_MISCONDUCT, MISCONDUCT, GROSS_MISCONDUCT.$"):
        actions.propose(world.uow(), world.inv, case_id, "severity", {"severity": "VERY_BAD"})
    with pytest.raises(InvalidInput,
                       match="^Severity assessment does not take: approver \\(it takes: severity, allegation_id, "
                       "rationale, on\\).$"):
        actions.propose(world.uow(), world.inv, case_id, "severity", {"severity": "MISCONDUCT", "approver": 1})
    with pytest.raises(InvalidInput, match=f"^Allegation 999 is not part of case {REF}.$"):
        actions.propose(world.uow(), world.inv, case_id, "threshold", {"allegation_id": 999})
    with pytest.raises(PermissionDenied, match="may not propose a decision"):
        actions.propose(world.uow(), world.lead, case_id, "threshold", {"allegation_id": aid})
    assert actions.pending_for(world.uow(), world.sup) == []


def test_an_investigator_taken_off_the_case_no_longer_sees_its_proposals(world: World) -> None:
    case_id, aid = on_team(world)
    actions.propose(world.uow(), world.inv, case_id, "threshold", {"allegation_id": aid, "met": True})
    assert len(actions.pending_for(world.uow(), world.inv)) == 1
    cw.end_assignment(world.uow(), world.sup, case_id, world.inv.username, AssignmentRole.INVESTIGATOR,
                      reason="Moved to another team")
    assert actions.pending_for(world.uow(), world.inv) == []  # no case reference or subject name left on show
    assert len(actions.pending_for(world.uow(), world.sup2)) == 1  # still awaiting a supervisor
