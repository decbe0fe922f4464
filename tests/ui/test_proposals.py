"""Proposed decisions through the real widgets: an investigator with no co-signer at the desk
proposes a threshold decision and the case's Actions panel says it awaits approval; a supervisor
approves it from My work and the case's timeline shows it; a rejection's reason reaches the
investigator's My work."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.domain.enums import AssignmentRole
from app.persistence.models import AllegationRow
from app.services import actions
from app.services import casework as cw
from app.services.actions import ProposalView
from app.ui.dialogs.decision_form import DecisionDialog
from app.ui.models.proposal_table import ProposalTableModel
from app.ui.sections.cases import CasesSection
from app.ui.sections.my_work import MyWorkSection
from tests.ui.conftest import OpenWindow
from tests.ui.sample_data import Sample
from tests.ui.test_case_actions import C1, action, cases_of, click, kinds, shown

C2 = "PSD-2024-000002"  # no threshold decision yet


def allegation_of(sample: Sample, reference: str = C1) -> int:
    with sample.env.uow() as uow:
        found = uow.session.scalar(select(AllegationRow.id).where(AllegationRow.case_id == sample.case_ids[reference]))
    assert found is not None
    return found


def on_c2(sample: Sample) -> int:
    """The investigator on the team of C2; its allegation."""
    cw.assign_member(sample.env.uow(), sample.sup, sample.case_ids[C2], "inv", AssignmentRole.INVESTIGATOR, True)
    return allegation_of(sample, C2)


def choose_first(qtbot: QtBot, work: MyWorkSection) -> None:
    qtbot.waitUntil(lambda: work.proposals.rowCount() == 1)
    work.proposal_table.selectionModel().select(
        work.proposals.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)


def investigator_on_c2(qtbot: QtBot, sample: Sample, open_window: OpenWindow,
                       key: str) -> tuple[CasesSection, DecisionDialog]:
    """The investigator's window on C2 (they are on its team), with action `key`'s dialog open."""
    on_c2(sample)
    cases = cases_of(open_window(sample.inv))
    assert cases.open_case(sample.case_ids[C2])
    return cases, action(qtbot, cases, key)


def test_an_investigator_proposes_a_threshold_decision_for_approval(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases, dialog = investigator_on_c2(qtbot, sample, open_window, "threshold")
    assert dialog.propose_button is not None and "approver" in dialog.widgets  # co-signing is still offered
    qtbot.keyClicks(dialog.widgets["rationale"], "Disclosed assault")
    click(qtbot, dialog.propose_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    panel = cases.view.panels.texts["Recording and threshold"]
    qtbot.waitUntil(lambda: "Proposed, awaiting approval" in panel.text())
    assert "Threshold for investigation: met" in panel.text()
    assert "THRESHOLD" not in kinds(cases)
    [proposal] = actions.pending_for(sample.env.uow(), sample.sup)
    assert (proposal.action, proposal.proposed_by) == ("threshold", "inv (inv)")


def test_a_supervisor_approves_from_my_work_and_the_timeline_shows_the_decision(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    actions.propose(sample.env.uow(), sample.inv, sample.case_ids[C2], "threshold", {"allegation_id": on_c2(sample)})
    window = open_window(sample.sup)
    work = shown(window, MyWorkSection)
    assert work.proposal_title.text() == "Awaiting your approval (1)"
    choose_first(qtbot, work)
    assert work.proposals.index(0, 0).data() == C2
    assert work.proposals.index(0, 1).data() == "Threshold for investigation: met"
    assert work.proposals.index(0, 3).data() == "inv (inv)"
    click(qtbot, work.approve_button)
    dialog = work.proposal_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: work.proposals.rowCount() == 0)
    assert work.proposal_title.text() == "Awaiting your approval — none" and not work.proposal_table.isVisible()
    assert not work.approve_button.isVisible() and not work.proposal_message.isVisible()
    cases = cases_of(open_window(sample.sup))
    assert cases.open_case(sample.case_ids[C2])
    assert "THRESHOLD" in kinds(cases)
    assert cases.view.detail is not None
    assert "Proposed, awaiting approval" not in cases.view.panels.texts["Recording and threshold"].text()


def test_a_refusal_at_approval_is_shown_and_a_rejection_with_reason_reaches_the_investigator(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    aid = allegation_of(sample)
    # met already
    actions.propose(sample.env.uow(), sample.inv, sample.case_ids[C1], "threshold", {"allegation_id": aid})
    work = shown(open_window(sample.sup), MyWorkSection)
    choose_first(qtbot, work)
    click(qtbot, work.approve_button)
    approving = work.proposal_dialog
    assert approving is not None
    qtbot.waitUntil(approving.isVisible)
    click(qtbot, approving.ok_button)
    assert approving.isVisible() and "already recorded as met" in approving.message.text()
    approving.reject()
    click(qtbot, work.reject_button)
    rejecting = work.proposal_dialog
    assert rejecting is not None and rejecting is not approving
    qtbot.waitUntil(rejecting.isVisible)
    click(qtbot, rejecting.ok_button)
    assert rejecting.isVisible() and "Give the reason" in rejecting.message.text()
    qtbot.keyClicks(rejecting.reason, "Already decided by sup")
    click(qtbot, rejecting.ok_button)
    qtbot.waitUntil(lambda: not rejecting.isVisible())
    mine = shown(open_window(sample.inv), MyWorkSection)
    assert mine.proposal_title.text() == "Your proposals (1)"
    qtbot.waitUntil(lambda: mine.proposals.rowCount() == 1)
    assert mine.proposals.index(0, 5).data() == "Rejected by sup (sup): Already decided by sup"
    assert not mine.approve_button.isVisible()


def test_an_investigator_withdraws_their_proposal(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    actions.propose(sample.env.uow(), sample.inv, sample.case_ids[C1], "severity", {"severity": "MISCONDUCT"})
    work = shown(open_window(sample.inv), MyWorkSection)
    choose_first(qtbot, work)
    assert work.proposals.index(0, 5).data() == "Awaiting approval by a Head of PSD or Supervisor"
    click(qtbot, work.withdraw_button)
    qtbot.waitUntil(lambda: work.proposals.rowCount() == 0)
    assert actions.pending_for(sample.env.uow(), sample.sup) == []


def test_the_proposal_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ProposalTableModel()
    at = datetime(2025, 3, 3, 9, 30)
    model.set_rows([ProposalView(1, 2, C1, "threshold", "Threshold for investigation: met", "Black, Ann", 3,
                                 "inv (inv)", at, "PENDING", None, None, None),
                    ProposalView(4, 2, C1, "severity", "Severity assessment: Misconduct", None, 3, "inv (inv)", at,
                                 "REJECTED", "sup (sup)", at, "Not yet")])
    qtmodeltester.check(model)
    assert model.index(1, 5).data() == "Rejected by sup (sup): Not yet"


def test_every_decision_an_investigator_needs_a_co_signer_for_can_be_proposed(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    """Beyond the six main decisions: e.g. the report to the local policing body."""
    _cases, dialog = investigator_on_c2(qtbot, sample, open_window, "pcc_report")
    assert dialog.propose_button is not None
    click(qtbot, dialog.propose_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [p.action for p in actions.pending_for(sample.env.uow(), sample.sup)] == ["pcc_report"]
