"""The main journeys again through the real window (pytest-qt): each person signs in at the sign-in
screen in turn, drives the real widgets — the intake form, the case's action panels and dialogs,
My work's approvals — and signs out; each refusal on the way is read where the user reads it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractButton, QToolButton
from pytestqt.qtbot import QtBot

from app.domain.enums import DueItemKind
from app.ui.dialogs.decision_approver import ApproverField
from app.ui.dialogs.decision_form import DecisionDialog
from app.ui.main_window import MainWindow
from app.ui.sections.cases import CasesSection
from app.ui.sections.my_work import MyWorkSection
from app.ui.session import SessionController
from tests.helpers import PASSWORD
from tests.journeys.psd import Psd
from tests.ui.conftest import shown

MONDAY = date(2025, 3, 3)


class Desk:
    """The workstation: the sign-in screen, then the window of whoever signed in."""

    def __init__(self, qtbot: QtBot, psd: Psd) -> None:
        self.qtbot, self.psd = qtbot, psd
        self.ctl = SessionController(psd.env.db)
        self.ctl.start()

    @property
    def window(self) -> MainWindow:
        assert self.ctl.window is not None
        return self.ctl.window

    def sign_in(self, username: str) -> MainWindow:
        self.qtbot.waitUntil(lambda: self.ctl.sign_in is not None and self.ctl.sign_in.isVisible())
        dialog = self.ctl.sign_in
        assert dialog is not None
        dialog.username.selectAll()
        self.qtbot.keyClicks(dialog.username, username)
        self.qtbot.keyClicks(dialog.password, PASSWORD)
        self.click(dialog.ok_button)
        self.qtbot.waitUntil(lambda: self.ctl.window is not None and self.ctl.window.isVisible())
        assert f"({username})" in self.window.user_label.text()
        return self.window

    def sign_out(self) -> None:
        [button] = [b for b in self.window.findChildren(QToolButton) if b.accessibleName() == "Sign out"]
        self.click(button)
        self.qtbot.waitUntil(lambda: self.ctl.window is None)

    def click(self, button: QAbstractButton) -> None:
        assert button.isEnabled(), button.toolTip()
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def close(self) -> None:
        for widget in (self.ctl.sign_in, self.ctl.window):
            if widget is not None:
                widget.close()

    # -- the case view ---------------------------------------------------------------------------
    def case(self, case_id: int) -> CasesSection:
        cases = shown(self.window, CasesSection)
        assert cases.open_case(case_id)
        return cases

    def action(self, cases: CasesSection, key: str) -> DecisionDialog:
        self.click(cases.view.panels.buttons[key])
        dialog = cases.view.action_dialog
        assert dialog is not None
        self.qtbot.waitUntil(dialog.isVisible)
        return dialog

    def submit(self, dialog: DecisionDialog, button: QAbstractButton | None = None) -> None:
        self.click(button or dialog.ok_button)
        self.qtbot.waitUntil(lambda: not dialog.isVisible())

    def refused(self, dialog: DecisionDialog, message: str, button: QAbstractButton | None = None) -> None:
        self.click(button or dialog.ok_button)
        assert dialog.isVisible() and dialog.message.text() == message

    def approver_signs_in(self, dialog: DecisionDialog, username: str) -> None:
        field = dialog.widgets["approver"]
        assert isinstance(field, ApproverField)
        self.click(field.button)
        signing = field.dialog
        assert signing is not None
        self.qtbot.waitUntil(signing.isVisible)
        self.qtbot.keyClicks(signing.username, username)
        self.qtbot.keyClicks(signing.password, PASSWORD)
        self.click(signing.ok_button)
        self.qtbot.waitUntil(lambda: field.user is not None)

    def status(self) -> str:
        return self.window.statusBar().currentMessage()

    # -- My work's approvals ----------------------------------------------------------------------
    def approvals(self) -> MyWorkSection:
        work = shown(self.window, MyWorkSection)
        work.load_proposals()
        return work

    def approve_first(self, work: MyWorkSection) -> None:
        self.qtbot.waitUntil(lambda: work.proposals.rowCount() >= 1)
        work.proposal_table.selectionModel().select(work.proposals.index(0, 0), (
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows))
        self.click(work.approve_button)
        dialog = work.proposal_dialog
        assert dialog is not None
        self.qtbot.waitUntil(dialog.isVisible)
        self.click(dialog.ok_button)
        self.qtbot.waitUntil(lambda: not dialog.isVisible())


@pytest.fixture
def desk(qtbot: QtBot, desk_psd: Psd) -> Iterator[Desk]:
    at = Desk(qtbot, desk_psd)
    yield at
    at.close()


def timeline_row(cases: CasesSection, kind: str) -> list[str]:
    """The last timeline row of `kind`: decided by, approved by, proposed by."""
    model = cases.view.timeline
    row = max(r for r in range(model.rowCount()) if model.index(r, 1).data() == kind)
    return [model.index(row, c).data() for c in (4, 5, 6)]


def test_an_investigators_no_restriction_is_approved_by_the_only_supervisor(desk: Desk, desk_psd: Psd) -> None:
    psd = desk_psd
    psd.on(MONDAY, 9)
    desk.sign_in("ian")
    cases = shown(desk.window, CasesSection)
    desk.click(cases.new_button)
    intake = cases.intake_dialog
    assert intake is not None
    desk.qtbot.waitUntil(intake.isVisible)
    desk.qtbot.keyClicks(intake.subject.search, "carter")
    desk.qtbot.waitUntil(lambda: intake.subject.results.count() == 1)
    intake.abuse.boxes["COERCIVE_CONTROL"].setChecked(True)
    intake.declare.setChecked(True)
    desk.click(intake.ok_button)
    desk.qtbot.waitUntil(lambda: not intake.isVisible())
    desk.qtbot.waitUntil(cases.view.isVisible)
    reference = cases.view.title.text()
    assert cases.view.detail is not None and [m.name for m in cases.view.detail.team] == ["DC Ian Innes"]
    case_id = cases.view.detail.id

    threshold = desk.action(cases, "threshold")
    desk.refused(threshold, "ian (Investigator) may only propose this decision: it must be co-signed by a "
                            "Supervisor or Head of PSD. Ask a supervisor to sign in as co-signer, or propose it for "
                            "approval.")
    desk.qtbot.keyClicks(threshold.widgets["rationale"], "Controlling behaviour over two years")
    assert threshold.propose_button is not None
    desk.submit(threshold, threshold.propose_button)
    assert desk.status() == f"Threshold for investigation: proposed for approval on {reference}."
    assert ("Threshold for investigation: met on 03 Mar 2025 (Carter, Alex) — Proposed, awaiting approval by a Head "
            "of PSD or Supervisor") in cases.view.panels.texts["Recording and threshold"].text()
    desk.sign_out()

    psd.on(date(2025, 3, 4), 9)
    desk.sign_in("sue")
    work = desk.approvals()
    assert work.proposal_title.text() == "Awaiting your approval (1)"
    desk.approve_first(work)
    assert desk.status() == f"{reference}: Threshold for investigation: met on 03 Mar 2025 — approved: the decision " \
                            "is recorded."
    desk.sign_out()

    desk.sign_in("ian")
    cases = desk.case(case_id)
    assert "threshold met on 03 Mar 2025" in cases.view.panels.texts["Recording and threshold"].text()
    restriction = desk.action(cases, "restriction")
    restriction.check("options", "No restriction")
    desk.qtbot.keyClicks(restriction.widgets["rationale"], "Desk role, no contact with the victim")
    assert restriction.propose_button is not None
    desk.submit(restriction, restriction.propose_button)
    assert desk.status() == f"Restriction decision: proposed for approval on {reference}."
    desk.sign_out()

    desk.sign_in("sue")
    desk.approve_first(desk.approvals())
    cases = desk.case(case_id)
    assert timeline_row(cases, "Restriction") == ["Insp Sue Sutton", "Insp Sue Sutton", "DC Ian Innes"]
    assert "no measures in force" in cases.view.panels.texts["Restriction"].text()
    assert psd.who(psd.last(case_id, "RESTRICTION")) == ("ian", "sue", "sue")


def test_not_suspending_after_a_charge_needs_the_head_of_psd(desk: Desk, desk_psd: Psd) -> None:
    psd = desk_psd
    psd.on(MONDAY, 9)
    case_id, reference = psd.intake(psd.sue, "S100", criminal=True, received=MONDAY)
    aid = psd.allegation(case_id)
    psd.do(psd.sue, case_id, "assign_member", username="ian", role="INVESTIGATOR", declared_no_prior_connection=True)
    psd.do(psd.sue, case_id, "threshold", allegation_id=aid)
    psd.do(psd.sue, case_id, "restriction", allegation_id=aid, options="RESTRICTED_DUTIES")
    psd.on(date(2025, 3, 10), 11)
    desk.sign_in("sue")
    cases = desk.case(case_id)
    assert not cases.view.panels.buttons["suspension_exception"].isEnabled()
    charge = desk.action(cases, "criminal_outcome")
    charge.widgets["outcome"].setCurrentIndex(charge.widgets["outcome"].findText("Charged"))  # type: ignore[attr-defined]
    desk.qtbot.keyClicks(charge.widgets["offence"], "Controlling or coercive behaviour")
    desk.submit(charge)
    charged = psd.last(case_id, "CHARGE")
    assert (charged.payload["offence"], psd.who(charged)) == ("Controlling or coercive behaviour", (None, "sue", None))
    assert psd.due(psd.sue, reference)[DueItemKind.SUSPENSION_ON_CHARGE].due_date == date(2025, 3, 11)
    desk.qtbot.waitUntil(lambda: cases.view.panels.buttons["suspension_exception"].isEnabled())

    exception = desk.action(cases, "suspension_exception")
    assert exception.form.labelForField(exception.widgets["approver"]).text() == "Approver:"
    desk.qtbot.keyClicks(exception.widgets["rationale"], "Sole carer; bail conditions keep him from the victim")
    desk.refused(exception, "Not suspending after a charge or arrest needs approval by a Head of PSD other than the "
                            "person deciding.")
    desk.approver_signs_in(exception, "hal")
    desk.submit(exception)
    assert desk.status() == f"Not suspending after charge or arrest: recorded on {reference}."
    assert timeline_row(cases, "Suspension on charge exception") == ["Insp Sue Sutton", "Supt Hal Hughes", ""]
    desk.sign_out()

    # A second charge: Ian proposes the exception; Sue may not approve it, Hal does.
    psd.on(date(2025, 4, 7), 10)
    psd.do(psd.sue, case_id, "criminal_outcome", allegation_id=aid, outcome="CHARGED", offence="Stalking")
    desk.sign_in("ian")
    cases = desk.case(case_id)
    proposal = desk.action(cases, "suspension_exception")
    desk.qtbot.keyClicks(proposal.widgets["rationale"], "The charge is to be discontinued this week")
    assert proposal.propose_button is not None
    desk.submit(proposal, proposal.propose_button)
    desk.sign_out()
    desk.sign_in("sue")
    work = desk.approvals()
    desk.qtbot.waitUntil(lambda: work.proposals.rowCount() == 1)
    work.proposal_table.selectRow(0)
    assert not work.approve_button.isEnabled() and work.reject_button.isEnabled()
    assert work.approve_button.toolTip() == "Awaiting approval by a Head of PSD"
    assert work.proposals.index(0, 5).data() == "Awaiting approval by a Head of PSD"
    desk.sign_out()
    desk.sign_in("hal")
    desk.approve_first(desk.approvals())
    cases = desk.case(case_id)
    assert timeline_row(cases, "Suspension on charge exception") == ["Supt Hal Hughes", "Supt Hal Hughes",
                                                                       "DC Ian Innes"]


def test_a_referral_the_iopcs_decision_and_closure(desk: Desk, desk_psd: Psd) -> None:
    psd = desk_psd
    psd.on(MONDAY, 9)
    case_id, reference = psd.intake(psd.sue, "S100", received=MONDAY, abuse=("NON_FATAL_STRANGULATION",))
    psd.allegation(case_id)
    psd.on(date(2025, 3, 4), 9)
    desk.sign_in("sue")
    cases = desk.case(case_id)
    assert "mandatory grounds: Serious assault" in cases.view.panels.texts["IOPC referral"].text()
    referral = desk.action(cases, "iopc_referral")
    desk.qtbot.keyClicks(referral.widgets["iopc_reference"], "2025/0042")
    desk.submit(referral)
    assert "Referral recorded." in cases.view.panels.texts["IOPC referral"].text()
    assert psd.last(case_id, "IOPC_REFERRAL").payload["grounds"] == ["SERIOUS_ASSAULT"]
    desk.sign_out()

    desk.sign_in("lia")  # referred: the liaison now reads the case, without the victim's details
    cases = desk.case(case_id)
    assert cases.view.tabs.tabText(2) == "Victims (withheld)"
    decision = desk.action(cases, "iopc_decision")
    decision.widgets["decision"].setCurrentIndex(  # type: ignore[attr-defined]
        decision.widgets["decision"].findText("Local investigation"))  # type: ignore[attr-defined]
    desk.submit(decision)
    assert psd.who(psd.last(case_id, "IOPC_DECISION")) == (None, "lia", None)
    assert cases.view.panels.buttons["close_case"].toolTip() == "Your role cannot record or propose this decision."
    desk.sign_out()

    desk.sign_in("sue")
    cases = desk.case(case_id)
    close = cases.view.panels.buttons["close_case"]
    assert not close.isEnabled() and close.toolTip() == (
        "Cannot close yet: the allegation (Alex Carter) has no final misconduct outcome.")  # no internal id on screen
    outcome = desk.action(cases, "misconduct_outcome")
    outcome.widgets["outcome"].setCurrentIndex(  # type: ignore[attr-defined]
        outcome.widgets["outcome"].findText("No case to answer"))  # type: ignore[attr-defined]
    desk.submit(outcome)
    desk.qtbot.waitUntil(lambda: cases.view.panels.buttons["close_case"].isEnabled())
    desk.submit(desk.action(cases, "close_case"))
    assert cases.view.status.text() == "Closed" and desk.status() == f"Close the case: recorded on {reference}."
    assert cases.view.panels.texts["Closure"].text() == "Closed on 04 Mar 2025."
    assert not cases.view.panels.buttons["threshold"].isEnabled()
    assert cases.view.panels.buttons["threshold"].toolTip() == "The case is closed."


def test_the_iopc_liaison_records_a_referral_owed_on_a_case_not_yet_referred(desk: Desk, desk_psd: Psd) -> None:
    """DOMAIN.md §7: the IOPC liaison records referrals. From their My work they open the case that
    owes one (without victims' details) and record it there; a case owing none stays closed."""
    psd = desk_psd
    psd.on(MONDAY, 9)
    case_id, reference = psd.intake(psd.sue, "S100", received=MONDAY, abuse=("NON_FATAL_STRANGULATION",))
    other_id, _ = psd.intake(psd.sue, "S100", received=MONDAY, abuse=("ECONOMIC",))
    psd.on(date(2025, 3, 4), 9)
    window = desk.sign_in("lia")
    work = shown(window, MyWorkSection)
    desk.qtbot.waitUntil(lambda: work._task is None and work.model.rowCount() > 0, timeout=30_000)
    row = next(r for r in range(work.model.rowCount()) if work.model.row_at(r).case_ref == reference
               and work.model.row_at(r).item == DueItemKind.IOPC_REFERRAL)
    assert work.model.index(row, 4).data() == "Lia Lewis"  # a person, not "IOPC liaison"
    work.table.setCurrentIndex(work.model.index(row, 0))
    desk.qtbot.keyClick(work.table, Qt.Key.Key_Return)
    cases = window.section(CasesSection)
    assert isinstance(cases, CasesSection) and cases.view.detail is not None and cases.view.detail.id == case_id
    assert cases.view.tabs.tabText(2) == "Victims (withheld)"
    referral = desk.action(cases, "iopc_referral")
    desk.qtbot.keyClicks(referral.widgets["iopc_reference"], "2025/0077")
    desk.submit(referral)
    assert psd.who(psd.last(case_id, "IOPC_REFERRAL")) == (None, "lia", None)
    assert not cases.open_case(other_id)  # owes no referral: the liaison may not open it
    desk.sign_out()
