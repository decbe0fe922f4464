"""Who may write what (DOMAIN.md §7) and what happens when two people write the same case, through
the casework services on SQLite and PostgreSQL: every refusal the services add, with its message."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import select

from app.domain.enums import AssignmentRole, EmploymentStatus, RestrictionOption, Role, Severity
from app.domain.errors import ConflictError, InvalidInput, PermissionDenied, RuleRefused
from app.domain.records import User
from app.persistence.models import CaseMemberRow
from app.services import case_queries as cq
from app.services import casework as cw
from app.services import users
from app.services.casework import team
from app.services.casework.common import case_row, check_and_claim, claim_version
from tests.helpers import PASSWORD
from tests.integration.test_casework_support import (
    RECEIVED,
    World,
    allegation_ids,
    new_case,
    pin,
    victim,
    world,
)

__all__ = ["world"]
REF = "PSD-2025-000001"


def on_team(w: World, who: User = None) -> tuple[int, int]:  # type: ignore[assignment]
    """A new case with `who` (default: inv) as its investigator: (case id, allegation id)."""
    created = new_case(w)
    cw.assign_member(w.uow(), w.sup, created.case_id, (who or w.inv).username, AssignmentRole.INVESTIGATOR, True)
    return created.case_id, allegation_ids(w, created.case_id)["S100"]


def test_an_investigator_edits_only_cases_of_their_team(world: World) -> None:
    case_id, _ = on_team(world)
    cw.add_victim(world.uow(), world.inv, case_id, victim("V2"))
    with pytest.raises(PermissionDenied) as refused:
        cw.add_victim(world.uow(), world.inv2, case_id, victim("V3"))
    assert refused.value.message == (
        f"inv2 is not on the case team of {REF}: an investigator may work only on the cases assigned to them. "
        "A supervisor can assign you.")


def test_an_investigator_needs_a_co_signer_for_a_decision(world: World) -> None:
    case_id, aid = on_team(world)
    with pytest.raises(PermissionDenied) as refused:
        cw.record_threshold(world.uow(), world.inv, case_id, aid)
    assert refused.value.message == (
        "inv (INVESTIGATOR) may only propose this decision: it must be co-signed by a SUPERVISOR or HEAD_OF_PSD. "
        "Ask a supervisor to sign in as co-signer, or propose it for approval.")
    with pytest.raises(PermissionDenied, match="^inv2 cannot co-sign this decision: a co-signer must be a "
                                               "SUPERVISOR or HEAD_OF_PSD.$"):
        cw.record_threshold(world.uow(), world.inv, case_id, aid, approver=world.inv2)
    assert [d.kind for d in world.decisions(case_id)] == ["RECORDING", "ASSIGNMENT"]


def test_a_co_signed_proposal_is_recorded_as_decided_by_the_co_signer(world: World) -> None:
    case_id, aid = on_team(world)
    pin(RECEIVED, 14, 5)
    cosigner = users.authenticate(world.uow(), "sup2", PASSWORD)
    done = cw.record_threshold(world.uow(), world.inv, case_id, aid, approver=cosigner)
    row = world.decisions(case_id)[-1]
    assert row.id == done.decision_ids[0]
    assert (row.kind, row.decided_by, row.approved_by) == ("THRESHOLD", world.sup2.id, world.sup2.id)
    assert row.approved_at is not None and row.approved_at.hour == 14
    assert row.payload == {"met": True, "proposed_by": world.inv.id}
    assert world.log(REF)[-1] == ("inv", "ALTERATION", "THRESHOLD")


def test_an_investigators_no_restriction_co_signed_by_a_supervisor_needs_nobody_else(world: World) -> None:
    """DOMAIN.md §7: the co-signing supervisor decides it by their authority, and their approval is
    the one "no restriction" needs; the investigator is its proposer."""
    case_id, aid = on_team(world)
    cw.record_threshold(world.uow(), world.sup, case_id, aid)
    why = "Low risk, no contact with victims in role"
    with pytest.raises(RuleRefused, match="^A decision not to restrict needs a written rationale.$"):
        cw.record_restriction(world.uow(), world.inv, case_id, aid, [RestrictionOption.NO_RESTRICTION],
                              approver=world.sup)
    done = cw.record_restriction(world.uow(), world.inv, case_id, aid, [RestrictionOption.NO_RESTRICTION],
                                 rationale=why, approver=world.sup)
    row = world.decisions(case_id)[-1]
    assert (row.id, row.decided_by, row.approved_by, row.payload["proposed_by"], row.rationale) == (
        done.decision_ids[0], world.sup.id, world.sup.id, world.inv.id, why)
    assert world.log(REF)[-1] == ("inv", "ALTERATION", "RESTRICTION")


def test_a_supervisors_no_restriction_needs_another_supervisor_or_the_head(world: World) -> None:
    case_id, aid = on_team(world)
    cw.record_threshold(world.uow(), world.sup, case_id, aid)
    why = "Low risk, no contact with victims in role"
    with pytest.raises(RuleRefused, match="^A decision not to restrict needs approval by a HEAD_OF_PSD or "
                                          "SUPERVISOR other than the person deciding.$"):
        cw.record_restriction(world.uow(), world.sup, case_id, aid, [RestrictionOption.NO_RESTRICTION], rationale=why)
    with pytest.raises(RuleRefused, match="^A decision not to restrict cannot be approved by the person who made the "
                                          "decision; it needs approval by another HEAD_OF_PSD or SUPERVISOR.$"):
        cw.record_restriction(world.uow(), world.sup, case_id, aid, [RestrictionOption.NO_RESTRICTION], rationale=why,
                              approver=world.sup)
    done = cw.record_restriction(world.uow(), world.sup, case_id, aid, [RestrictionOption.NO_RESTRICTION],
                                 rationale=why, approver=world.head)
    row = world.decisions(case_id)[-1]
    assert (row.id, row.decided_by, row.approved_by, row.rationale, "proposed_by" in row.payload) == (
        done.decision_ids[0], world.sup.id, world.head.id, why, False)


def test_a_head_of_psd_exception_needs_the_heads_authority_and_a_second_person(world: World) -> None:
    created = new_case(world)
    pin(RECEIVED, 11)
    from app.services import policies

    policies.set_policy(world.uow(), world.env.admin, "external-investigation-guidance", "ALL", date(2024, 4, 1),
                        reason="Guidance in force since 1 April 2024")
    why = "The other force cannot take it within the month"
    with pytest.raises(RuleRefused, match="^An in-force investigation against the external-investigation guidance "
                                          "needs approval by a HEAD_OF_PSD; sup2 does not hold that role.$"):
        cw.record_external_investigation_exception(world.uow(), world.sup, created.case_id, rationale=why,
                                                   approver=world.sup2)
    with pytest.raises(RuleRefused, match="cannot be approved by the person who made the decision; it needs "
                                          "approval by another HEAD_OF_PSD or SUPERVISOR.$"):
        cw.record_external_investigation_exception(world.uow(), world.head, created.case_id, rationale=why,
                                                   approver=world.head)
    # The head of PSD decides it, and a supervisor is the second person (a PSD has one head).
    cw.record_external_investigation_exception(world.uow(), world.head, created.case_id, rationale=why,
                                               approver=world.sup)
    cw.record_external_investigation_exception(world.uow(), world.sup, created.case_id, rationale=why,
                                               approver=world.head)
    rows = [(d.decided_by, d.approved_by) for d in world.decisions(created.case_id)
            if d.kind == "EXTERNAL_INVESTIGATION_EXCEPTION"]
    assert rows == [(world.head.id, world.sup.id), (world.sup.id, world.head.id)]


def test_someone_connected_to_the_subject_can_neither_decide_nor_co_sign(world: World) -> None:
    case_id, aid = on_team(world)
    manager = world.env.user("mgrsup", Role.SUPERVISOR, staff_number="S200")  # the subject's line manager
    with pytest.raises(PermissionDenied) as refused:
        cw.record_threshold(world.uow(), manager, case_id, aid)
    assert refused.value.message == (
        f"mgrsup may not change case {REF}: only its case team and supervisors may (only the named users of a "
        "restricted case), and never someone connected to a subject or victim.")
    with pytest.raises(PermissionDenied, match=f"^mgrsup cannot approve or co-sign a decision on case {REF}: "
                                               "they may not see it"):
        cw.record_threshold(world.uow(), world.inv, case_id, aid, approver=manager)


@pytest.mark.parametrize(("who", "call", "message"), [
    ("iopc", "threshold", "iopc (IOPC_LIAISON) may not record threshold, severity, restriction and outcome "
                          "decisions: this needs one of HEAD_OF_PSD, SUPERVISOR."),
    ("inv", "referral", "inv (INVESTIGATOR) may not record IOPC referrals and decisions: this needs one of "
                        "HEAD_OF_PSD, IOPC_LIAISON, SUPERVISOR."),
    ("iopc", "victim", "iopc (IOPC_LIAISON) may not create and edit cases, allegations and victims: this needs "
                       "one of HEAD_OF_PSD, INVESTIGATOR, SUPERVISOR."),
    ("inv", "assign", "inv may not assign the case team: this needs a SUPERVISOR or HEAD_OF_PSD."),
    ("sup", "leaving", "sup may not record that someone left the force: this needs HEAD_OF_PSD or "
                       "ADMINISTRATOR (who keep the workforce register)."),
])
def test_roles_are_refused_what_the_permission_table_does_not_give(world: World, who: str, call: str,
                                                                   message: str) -> None:
    case_id, aid = on_team(world)
    actor: User = getattr(world, who)
    calls = {
        "threshold": lambda: cw.record_threshold(world.uow(), actor, case_id, aid),
        "referral": lambda: cw.record_iopc_referral(world.uow(), actor, case_id),
        "victim": lambda: cw.add_victim(world.uow(), actor, case_id, victim("V2")),
        "assign": lambda: cw.assign_member(world.uow(), actor, case_id, "inv2", AssignmentRole.INVESTIGATOR, True),
        "leaving": lambda: cw.record_leaving(world.uow(), actor, "S100", EmploymentStatus.RESIGNED, RECEIVED),
    }
    with pytest.raises(PermissionDenied) as refused:
        calls[call]()
    assert refused.value.message == message


def test_a_stale_version_is_refused_naming_who_changed_what(world: World) -> None:
    case_id, aid = on_team(world)
    opened = world.case(case_id).version  # both supervisors open the case
    pin(RECEIVED, 10, 42)
    cw.record_threshold(world.uow(), world.sup, case_id, aid, expected_version=opened)
    before = len(world.decisions(case_id))
    with pytest.raises(ConflictError) as refused:
        cw.record_severity(world.uow(), world.sup2, case_id, Severity.MISCONDUCT, allegation_id=aid,
                           expected_version=opened)
    assert refused.value.message == (
        f"{REF} was changed by sup at 10:42 (THRESHOLD) after you opened it. Reload the case to see the change; "
        "nothing was saved.")
    assert len(world.decisions(case_id)) == before
    with pytest.raises(ConflictError, match=f"^{REF} was changed by sup at 10:42 \\(THRESHOLD\\)"):
        cw.add_victim(world.uow(), world.inv, case_id, victim("V2"), expected_version=opened)
    pin(date(2025, 3, 4), 9)
    with pytest.raises(ConflictError, match=f"^{REF} was changed by sup on 2025-03-03 at 10:42 \\(THRESHOLD\\)"):
        cw.update_case_details(world.uow(), world.sup2, case_id, cw.CaseDetailsUpdate(), expected_version=opened)
    assert cw.record_severity(world.uow(), world.sup2, case_id, Severity.MISCONDUCT, allegation_id=aid,
                              expected_version=opened + 1).case_version == opened + 2


def test_of_two_concurrent_writers_of_one_version_only_one_succeeds(world: World) -> None:
    case_id, _ = on_team(world)
    seen = world.case(case_id).version
    outcome: list[BaseException | int] = []

    def second_writer() -> None:
        try:
            with world.uow() as uow:
                outcome.append(claim_version(uow.session, case_id, seen, REF))
                uow.commit()
        except ConflictError as refused:
            outcome.append(refused)

    with world.uow() as first:
        assert claim_version(first.session, case_id, seen, REF) == seen + 1
        other = threading.Thread(target=second_writer)
        other.start()  # on PostgreSQL it waits for the row lock; on SQLite for the write lock
        first.commit()
    other.join(timeout=60)
    assert len(outcome) == 1 and isinstance(outcome[0], ConflictError)
    assert "after you opened it. Reload the case to see the change; nothing was saved." in str(outcome[0])
    assert world.case(case_id).version == seen + 1


def test_a_writer_who_read_the_case_before_another_saved_is_refused(world: World) -> None:
    case_id, aid = on_team(world)
    with world.uow() as slow:
        row = case_row(slow.session, case_id)  # read first ...
        cw.record_severity(world.uow(), world.sup2, case_id, Severity.MISCONDUCT, allegation_id=aid)  # ... saved first
        with pytest.raises(ConflictError, match=f"^{REF} was changed by sup2 at 10:00 \\(SEVERITY\\)"):
            check_and_claim(slow.session, row, None)


def test_assignment_is_refused_for_connected_or_undeclared_candidates(world: World) -> None:
    created = new_case(world)
    with pytest.raises(RuleRefused) as refused:
        cw.assign_member(world.uow(), world.sup, created.case_id, "mgrinv", AssignmentRole.INVESTIGATOR, True)
    assert refused.value.message.startswith("Jo Lane cannot be the investigator: they are the line manager of "
                                            "the subject Alex Carter")
    with pytest.raises(RuleRefused,
                       match="^inv must declare having no prior connection to the subject or victim before being "
                       "assigned.$"):
        cw.assign_member(world.uow(), world.sup, created.case_id, "inv", AssignmentRole.INVESTIGATOR, False)
    with pytest.raises(InvalidInput, match="^iopc cannot be the investigator: this needs a INVESTIGATOR or "):
        cw.assign_member(world.uow(), world.sup, created.case_id, "iopc", AssignmentRole.INVESTIGATOR, True)
    cw.assign_member(world.uow(), world.sup, created.case_id, "inv", AssignmentRole.INVESTIGATOR, True)
    with pytest.raises(InvalidInput, match=f"^inv is already the investigator of {REF}.$"):
        cw.assign_member(world.uow(), world.sup, created.case_id, "inv", AssignmentRole.INVESTIGATOR, True)
    cw.end_assignment(world.uow(), world.sup, created.case_id, "inv", AssignmentRole.INVESTIGATOR, reason="Moved")
    ended = world.decisions(created.case_id)[-1]
    assert ended.payload["ended"] is True and ended.supersedes_id == world.decisions(created.case_id)[-2].id
    with pytest.raises(PermissionDenied):
        cq.open_case(world.uow(), world.inv, created.case_id)


def _investigators(w: World, case_id: int) -> set[int]:
    with w.uow() as uow:
        return set(uow.session.scalars(select(CaseMemberRow.user_id).where(
            CaseMemberRow.case_id == case_id, CaseMemberRow.role == "INVESTIGATOR", CaseMemberRow.ended_at.is_(None))))


def test_re_allocating_is_one_transaction_so_a_refusal_leaves_the_case_as_it_was(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """team.allocate: the new investigator's assignment and the ending of the other's are recorded
    together; if the ending is refused after the assignment was made, neither is kept."""
    case_id, _ = on_team(world)
    before = (world.case(case_id).version, len(world.decisions(case_id)), len(world.log(REF)))

    def refuse(*_a: object, **_k: object) -> None:
        raise RuleRefused("the ending was refused")

    monkeypatch.setattr(team, "ending_decision", refuse)
    [result] = team.allocate(world.uow(), world.sup, [case_id], "inv2", declared_no_prior_connection=True)
    assert (result.done, result.message) == (False, f"{REF}: the ending was refused")
    assert _investigators(world, case_id) == {world.inv.id}
    assert (world.case(case_id).version, len(world.decisions(case_id)), len(world.log(REF))) == before
    monkeypatch.undo()
    [refused] = team.allocate(world.uow(), world.sup, [case_id], "mgrinv", declared_no_prior_connection=True)
    assert not refused.done and "line manager of the subject" in refused.message
    assert _investigators(world, case_id) == {world.inv.id} and len(world.decisions(case_id)) == before[1]
    [done] = team.allocate(world.uow(), world.sup, [case_id], "inv2", declared_no_prior_connection=True,
                           reason="Balancing caseloads")
    assert (done.done, done.message) == (True, f"{REF}: re-allocated to {world.inv2.display_name}.")
    assert _investigators(world, case_id) == {world.inv2.id}
    assigned, ended = world.decisions(case_id)[-2:]
    assert (assigned.payload["user_id"], assigned.payload.get("ended")) == (world.inv2.id, None)
    assert (ended.payload["user_id"], ended.payload["ended"], ended.rationale) == (
        world.inv.id, True, "Balancing caseloads")
    assert world.case(case_id).version == before[0] + 1  # one write
    assert world.log(REF)[-1] == ("sup", "ALTERATION", "ASSIGNMENT")
    [again] = team.allocate(world.uow(), world.sup, [case_id], "inv2", declared_no_prior_connection=True)
    assert (again.done, again.message) == (False, f"{REF}: already with {world.inv2.display_name}.")
    assert world.case(case_id).version == before[0] + 1


def test_declaring_a_connection_locks_the_user_out_and_ends_their_assignment(world: World) -> None:
    case_id, _ = on_team(world)
    declared = cw.declare_association(world.uow(), world.inv, case_id=case_id, victim_ref="V1",
                                      note="Neighbours for years")
    assert declared.cases_left == (REF,)
    with pytest.raises(PermissionDenied):
        cq.open_case(world.uow(), world.inv, case_id)
    assert [d.kind for d in world.decisions(case_id)][-1] == "ASSIGNMENT"
    with pytest.raises(RuleRefused, match="^Ade Okafor cannot be the investigator: they are a declared associate "
                                          "of the victim V1."):
        cw.assign_member(world.uow(), world.sup, case_id, "inv", AssignmentRole.INVESTIGATOR, True)
    cw.declare_association(world.uow(), world.inv2, associate_staff_number="S100")
    with pytest.raises(RuleRefused, match="they are a declared associate of the subject Alex Carter"):
        cw.assign_member(world.uow(), world.sup, case_id, "inv2", AssignmentRole.INVESTIGATOR, True)
    with pytest.raises(InvalidInput, match="^Your account is not linked to the workforce register"):
        cw.declare_association(world.uow(), world.sup2, case_id=case_id)


def test_a_case_restricted_to_named_users(world: World) -> None:
    case_id, _ = on_team(world)
    with pytest.raises(RuleRefused, match=f"^mgrinv cannot be named on {REF}: they are connected"):
        cw.restrict_case(world.uow(), world.sup, case_id, ["mgrinv"])
    with pytest.raises(InvalidInput, match="^lead cannot be named on a case"):
        cw.restrict_case(world.uow(), world.sup, case_id, ["lead"])
    done = cw.restrict_case(world.uow(), world.sup, case_id, ["inv2"])
    assert done.named == ("inv2", "sup")
    for reader in (world.sup, world.inv, world.inv2):  # the actor, the team, the named user
        assert cq.open_case(world.uow(), reader, case_id).reference == REF
    with pytest.raises(PermissionDenied):
        cw.add_victim(world.uow(), world.sup2, case_id, victim("V2"))
    assert world.case(case_id).restricted_to_named
    assert [e for e in world.log(REF) if e[1] == "ALTERATION"][-1] == (
        "sup", "ALTERATION", "case restricted to named users (2)")


def test_leaving_is_checked(world: World) -> None:
    with pytest.raises(InvalidInput, match="^status: leaving the force is RESIGNED, RETIRED, DISMISSED or"):
        cw.record_leaving(world.uow(), world.head, "S100", EmploymentStatus.SUSPENDED, RECEIVED)
    with pytest.raises(InvalidInput, match="^end_date: 2025-03-04 is in the future"):
        cw.record_leaving(world.uow(), world.head, "S100", EmploymentStatus.RESIGNED, date(2025, 3, 4))
    done = cw.record_leaving(world.uow(), world.env.admin, "S100", EmploymentStatus.RETIRED, RECEIVED)
    assert (done.status, done.open_cases) == (EmploymentStatus.RETIRED, 0)
    with pytest.raises(InvalidInput, match="^S100 is already recorded as RETIRED from 2025-03-03.$"):
        cw.record_leaving(world.uow(), world.head, "S100", EmploymentStatus.RESIGNED, RECEIVED)
    assert world.status_of("S100") == ("RETIRED", "NONE")


def test_case_reference_lookup_for_a_missing_case(world: World) -> None:
    from app.domain.errors import NotFound

    with pytest.raises(NotFound, match="^There is no case with id 999.$"):
        cw.record_threshold(world.uow(), world.sup, 999, 1)
    with world.uow() as uow, pytest.raises(NotFound):
        case_row(uow.session, 999)
