"""`ppda-tracker case …` (the command line of the registry of case actions), on SQLite and
PostgreSQL: what I may do next and why not, doing an action with a co-signer or an approver,
proposing it, approving, rejecting and withdrawing proposals, and the timeline naming who proposed,
decided and approved each decision. Exit status 0, 1 (refused or invalid, nothing changed), 2
(wrong usage), as FORMATS.md says."""

from __future__ import annotations

import pytest

from app.cli import main
from app.domain.enums import AssignmentRole
from app.services import casework as cw
from tests.helpers import PASSWORD
from tests.integration.test_casework_support import World, allegation_ids, new_case, world

__all__ = ["world"]
REF = "PSD-2025-000001"


@pytest.fixture
def cli(world: World, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setenv("PPDA_PASSWORD", PASSWORD)
    monkeypatch.setenv("PPDA_APPROVER_PASSWORD", PASSWORD)

    def run(user: str, *args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = main(["--db", db_url, "--user", user, "case", *args])
        out = capsys.readouterr()
        return status, out.out, out.err

    return run


def opened(w: World) -> tuple[int, int]:
    """The case (inv on its team) and its allegation."""
    created = new_case(w, by=w.sup)
    cw.assign_member(w.uow(), w.sup, created.case_id, "inv", AssignmentRole.INVESTIGATOR, True)
    return created.case_id, allegation_ids(w, created.case_id)["S100"]


def test_case_actions_says_what_i_may_do_next_and_why_not(world: World, cli) -> None:  # type: ignore[no-untyped-def]
    opened(world)
    status, out, _err = cli("inv", "actions", REF)
    lines = out.splitlines()
    assert status == 0 and lines[0] == f"{REF}: what inv may do next"
    assert ("  co-sign  threshold              Threshold for investigation — a co-signer: a HEAD_OF_PSD or SUPERVISOR "
            "signs in here and decides it with you; or propose it (--propose)") in lines
    assert ("  no       iopc_referral          IOPC referral: Your role cannot record IOPC referrals and decisions."
            in lines)
    assert lines[-1] == "14 of 26 actions open to you now."
    status, _out, err = cli("inv2", "actions", REF)
    assert status == 1 and err.startswith(f"inv2 is not on the case team of {REF}")
    status, _out, err = cli("inv", "actions", "PSD-1999-000009")
    assert status == 1 and err.strip() == "There is no case PSD-1999-000009."


def test_an_investigators_no_restriction_is_proposed_approved_and_shown_with_its_people(
        world: World, cli) -> None:  # type: ignore[no-untyped-def]
    _case_id, aid = opened(world)
    assert cli("sup", "do", REF, "threshold", "--arg", f"allegation_id={aid}")[0] == 0
    why = "Desk role, no contact with the victim; risk assessed as standard"
    status, out, _err = cli("inv", "do", REF, "restriction", "--arg", f"allegation_id={aid}",
                            "--arg", "options=NO_RESTRICTION", "--arg", f"rationale={why}", "--propose")
    assert (status, out.strip()) == (0, f"Restriction decision proposed for approval on {REF}: proposal 1.")
    status, out, _err = cli("sup", "proposals")
    assert status == 0 and "#1" in out and "Restriction decision: No restriction (Carter, Alex)" in out
    assert "awaiting approval by a HEAD_OF_PSD or SUPERVISOR (yours to approve)" in out
    status, _out, err = cli("inv", "approve", "1")
    assert status == 1 and "may not approve decisions and overrides" in err
    status, out, _err = cli("sup", "approve", "1")
    assert status == 0 and out.startswith("Proposal 1 approved: the decision is recorded (decision ")
    status, out, _err = cli("inv", "timeline", REF)
    assert status == 0 and f"  allegation {aid}: Carter, Alex (S100), subject number {world.person('S100')}" in out
    last = out.splitlines()[-1]
    assert "RESTRICTION " in last and "options: NO_RESTRICTION" in last
    assert last.endswith("(proposed by inv; decided by sup; approved by sup)")
    status, _out, err = cli("sup", "approve", "1")
    assert status == 1 and err.strip() == "Proposal 1 is no longer awaiting approval: it was approved."


def test_a_co_signer_or_an_approver_signs_in_beside_the_user(world: World, cli) -> None:  # type: ignore[no-untyped-def]
    case_id, aid = opened(world)
    status, _out, err = cli("inv", "do", REF, "threshold", "--arg", f"allegation_id={aid}")
    assert status == 1 and "may only propose this decision: it must be co-signed" in err
    status, out, _err = cli("inv", "do", REF, "threshold", "--arg", f"allegation_id={aid}", "--approver", "sup2")
    assert status == 0 and out.startswith(f"Threshold for investigation recorded on {REF} (decision ")
    row = world.decisions(case_id)[-1]
    assert (row.kind, row.decided_by, row.approved_by, row.payload["proposed_by"]) == (
        "THRESHOLD", world.sup2.id, world.sup2.id, world.inv.id)
    status, _out, err = cli("sup", "do", REF, "restriction", "--arg", f"allegation_id={aid}",
                            "--arg", "options=NO_RESTRICTION", "--arg", "rationale=Low risk", "--approver", "sup")
    assert status == 1 and err.strip() == ("A decision not to restrict cannot be approved by the person who made the "
                                           "decision; it needs approval by another HEAD_OF_PSD or SUPERVISOR.")
    assert cli("sup", "do", REF, "restriction", "--arg", f"allegation_id={aid}", "--arg", "options=NO_RESTRICTION",
               "--arg", "rationale=Low risk", "--approver", "head")[0] == 0


def test_rejected_and_withdrawn_proposals(world: World, cli) -> None:  # type: ignore[no-untyped-def]
    opened(world)
    assert cli("inv", "do", REF, "severity", "--arg", "severity=gross_misconduct", "--propose")[0] == 0
    assert cli("inv", "do", REF, "pcc_report", "--propose")[0] == 0
    status, _out, err = cli("sup", "reject", "1", "--reason", " ")
    assert status == 1 and err.startswith("Give the reason for rejecting the proposal")
    assert cli("sup", "reject", "1", "--reason", "Wait for the second account")[0] == 0
    status, _out, err = cli("sup", "withdraw", "2")
    assert status == 1 and err.strip() == "Only the person who proposed it may withdraw a proposal."
    assert cli("inv", "withdraw", "2")[0] == 0
    status, out, _err = cli("inv", "proposals")
    assert status == 0 and out.splitlines()[-1] == "1 proposal(s)."
    assert "rejected by sup (sup): Wait for the second account" in out


def test_wrong_usage_exits_2_and_a_bad_argument_1(world: World, cli) -> None:  # type: ignore[no-untyped-def]
    case_id, _aid = opened(world)
    status, _out, err = cli("inv", "do", REF, "thresold")
    assert status == 2
    assert err.startswith("ppda-tracker case: there is no action 'thresold'; the actions are: recording")
    with pytest.raises(SystemExit) as usage:
        cli("inv", "do", REF, "threshold", "--approver", "sup", "--propose")
    assert usage.value.code == 2
    status, _out, err = cli("inv", "do", REF, "threshold", "--arg", "allegation_id")
    assert status == 1 and err.strip() == ("--arg 'allegation_id': give it as NAME=VALUE, e.g. --arg "
                                           "allegation_id=12.")
    status, _out, err = cli("sup", "do", REF, "severity", "--arg", "severity=awful")
    assert status == 1 and err.strip() == ("severity: 'awful' is not one of NO_MISCONDUCT, MISCONDUCT, "
                                           "GROSS_MISCONDUCT.")
    status, out, _err = cli("sup", "args", "restriction")
    assert status == 0 and out.splitlines()[0] == "restriction: Restriction decision (may be proposed)"
    assert "    options                          required; the measures, or NO_RESTRICTION" in out.splitlines()
    assert [d.kind for d in world.decisions(case_id)] == ["RECORDING", "ASSIGNMENT"]  # nothing was changed
