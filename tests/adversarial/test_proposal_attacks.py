"""Proposals (issue 13) attacked through the people in them: a proposer who becomes connected to
the case after proposing, one taken off it, and an account switched off since sign-in. The smallest
PSD of the journeys (tests/journeys/psd.py), on SQLite and PostgreSQL.

A supervisor's own submission already stopped when its decider could no longer see the case (they
stay its decider); an investigator's proposal did not: the supervisor approved it, and the decision
was recorded as proposed by someone who had since declared a connection to the subject (DOMAIN.md
§3.3: no investigator or decision-maker connected to a subject or victim)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import update

from app.domain.errors import ExpectedError
from app.persistence.models import ProposedDecisionRow, UserRow
from app.services import actions
from tests.journeys.psd import Psd, small_psd

MONDAY = date(2025, 3, 3)
WHY = "Desk role in a control room, no contact with the victim; DASH standard"


@pytest.fixture
def psd(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Psd]:
    with small_psd(db_url, tmp_path, monkeypatch) as built:
        yield built


def _proposed(psd: Psd) -> tuple[int, str, int, int]:
    """Ian, on the case team, proposes "no restriction" for Sue to approve; (case, reference, allegation, proposal)."""
    psd.on(MONDAY, 9)
    case_id, ref = psd.intake(psd.sue, "S100", received=MONDAY)
    psd.do(psd.sue, case_id, "assign_member", username="ian", role="INVESTIGATOR", declared_no_prior_connection=True)
    aid = psd.allegation(case_id, "S100")
    psd.do(psd.sue, case_id, "threshold", allegation_id=aid)
    proposal = psd.propose(psd.ian, case_id, "restriction", allegation_id=aid, options="NO_RESTRICTION", rationale=WHY)
    return case_id, ref, aid, proposal


def _status(psd: Psd, proposal: int) -> str:
    with psd.env.uow() as uow:
        row = uow.session.get(ProposedDecisionRow, proposal)
        assert row is not None
        return row.status


def _no_longer_on_it(ref: str) -> str:
    return (f"ian proposed this decision but may no longer work on case {ref} (taken off its team, or now connected "
            "to a subject or victim): the proposal cannot be approved. Reject it, and record the decision afresh if it "
            "is still right.")


def test_a_proposer_who_declares_a_connection_to_the_subject_has_their_proposal_refused(psd: Psd) -> None:
    case_id, ref, aid, proposal = _proposed(psd)
    psd.do(psd.ian, case_id, "declare_association", associate_staff_number="S100", note="we play football together")
    psd.refused(_no_longer_on_it(ref), psd.approve, psd.sue, proposal)
    psd.refused(_no_longer_on_it(ref), psd.approve, psd.hal, proposal)
    assert _status(psd, proposal) == "PENDING"
    actions.reject(psd.env.uow(), psd.sue, proposal, "Ian declared a connection to the subject")
    assert _status(psd, proposal) == "REJECTED"
    psd.do(psd.sue, case_id, "restriction", psd.hal, allegation_id=aid, options="NO_RESTRICTION", rationale=WHY)
    assert psd.who(psd.last(case_id, "RESTRICTION")) == (None, "sue", "hal")


def test_a_proposer_taken_off_the_case_has_their_proposal_refused(psd: Psd) -> None:
    case_id, ref, _aid, proposal = _proposed(psd)
    psd.do(psd.sue, case_id, "end_assignment", username="ian", role="INVESTIGATOR", reason="moved to another team")
    psd.refused(_no_longer_on_it(ref), psd.approve, psd.sue, proposal)


def test_an_account_switched_off_since_sign_in_cannot_withdraw_a_proposal(psd: Psd) -> None:
    _case_id, _ref, _aid, proposal = _proposed(psd)
    with psd.env.uow() as uow:
        uow.session.execute(update(UserRow).where(UserRow.id == psd.ian.id).values(active=False))
        uow.commit()
    with pytest.raises(ExpectedError) as refused:
        actions.withdraw(psd.env.uow(), psd.ian, proposal)  # a window signed in before the switch-off
    assert refused.value.message == "ian cannot withdraw a proposal: the account is not active."
    assert _status(psd, proposal) == "PENDING"


def test_the_proposal_still_on_the_case_is_approved_by_the_only_supervisor(psd: Psd) -> None:
    """The neighbour that must keep working: nothing changed, Sue approves Ian's proposal alone."""
    case_id, _ref, _aid, proposal = _proposed(psd)
    psd.approve(psd.sue, proposal)
    assert psd.who(psd.last(case_id, "RESTRICTION")) == ("ian", "sue", "sue")
