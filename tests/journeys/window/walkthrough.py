"""Every kind of case from intake to closure in the window, by the staff of a small PSD — Ian
(investigator), Sue (supervisor), Hal (head of PSD), Lia (IOPC liaison) — each signing in at the
sign-in screen in turn, with a screenshot of each screen:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m tests.journeys.window.walkthrough --out DIR

A development tool, not a test: it builds a new database in a temporary folder, pins the clock to
walk through the weeks, and drives the real widgets (dialogs filled and confirmed as a user would).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QItemSelectionModel
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QWidget,
)

from app.services import clock, policies
from app.ui.dialogs.decision_approver import ApproverField
from app.ui.dialogs.decision_form import DecisionDialog
from app.ui.dialogs.person_picker import PersonPicker
from app.ui.main_window import MainWindow
from app.ui.sections.cases import CasesSection
from app.ui.sections.my_work import MyWorkSection
from app.ui.session import SessionController
from app.ui.style import apply_look
from tests.helpers import PASSWORD
from tests.journeys.psd import Psd, small_psd
from tests.ui.screenshots import SIZE, settle

Fill = dict[str, Any]


class Walk:
    def __init__(self, psd: Psd, out: Path) -> None:
        self.psd, self.out, self.shot = psd, out, 0
        out.mkdir(parents=True, exist_ok=True)
        self.ctl = SessionController(psd.env.db)
        self.ctl.start()
        self.user = ""

    # -- the screen --------------------------------------------------------------------------------
    def snap(self, name: str) -> None:
        settle(250)
        self.shot += 1
        path = self.out / f"{self.shot:02d}-{name}.png"
        QGuiApplication.primaryScreen().grabWindow(0).save(str(path))
        print("saved", path.name, flush=True)

    @staticmethod
    def on(day: date, hour: int = 10) -> None:
        clock.pin(datetime.combine(day, time(hour)))

    # -- signing in and out ------------------------------------------------------------------------
    @property
    def window(self) -> MainWindow:
        assert self.ctl.window is not None
        return self.ctl.window

    def sign_in(self, username: str) -> None:
        if self.ctl.window is not None:
            [out] = [b for b in self.window.findChildren(QToolButton) if b.accessibleName() == "Sign out"]
            out.click()
            settle()
        dialog = self.ctl.sign_in
        assert dialog is not None
        dialog.username.setText(username)
        dialog.password.setText(PASSWORD)
        dialog.ok_button.click()
        settle(400)
        self.window.setGeometry(0, 0, *SIZE)
        self.user = username

    # -- a case action -----------------------------------------------------------------------------
    def case(self, case_id: int) -> CasesSection:
        cases = self.window.section(CasesSection)
        assert isinstance(cases, CasesSection)
        self.window.go_to(self.window.sections.index(cases))
        assert cases.open_case(case_id)
        settle()
        return cases

    def act(self, case_id: int, key: str, fill: Fill, *, name: str, approver: str | None = None,
            propose: bool = False) -> DecisionDialog:
        cases = self.case(case_id)
        button = cases.view.panels.buttons[key]
        assert button.isEnabled(), f"{self.user} {key}: {button.toolTip()}"
        button.click()
        dialog = cases.view.action_dialog
        assert dialog is not None
        settle()
        for field, value in fill.items():
            _put(dialog, field, value)
        if approver:
            self._approver(dialog, approver)
        self.snap(name)
        if propose:
            assert dialog.propose_button is not None, f"{self.user} cannot propose {key}"
            dialog.propose_button.click()
        else:
            dialog.ok_button.click()
        settle(300)
        if dialog.isVisible():
            self.snap(name + "-refused")
            raise SystemExit(f"{self.user} {key} refused: {dialog.message.text()}")
        return dialog

    def _approver(self, dialog: DecisionDialog, username: str) -> None:
        field = dialog.widgets["approver"]
        assert isinstance(field, ApproverField)
        signing = field.ask()
        settle()
        signing.username.setText(username)
        signing.password.setText(PASSWORD)
        signing.ok_button.click()
        settle()

    def refused(self, case_id: int, key: str, fill: Fill, *, name: str) -> str:
        """A step the rules refuse: the dialog stays open with the reason (screenshot), then Cancel."""
        cases = self.case(case_id)
        cases.view.panels.buttons[key].click()
        dialog = cases.view.action_dialog
        assert dialog is not None
        settle()
        for field, value in fill.items():
            _put(dialog, field, value)
        dialog.ok_button.click()
        settle(300)
        assert dialog.isVisible(), f"{key} was not refused"
        self.snap(name)
        message = dialog.message.text()
        dialog.reject()
        return message

    def approve_all(self, name: str) -> None:
        """My work: approve every proposal this user may approve, oldest first."""
        work = self.window.section(MyWorkSection)
        assert isinstance(work, MyWorkSection)
        self.window.go_to(self.window.sections.index(work))
        work.load_proposals()
        settle(400)
        self.snap(name)
        while True:
            rows = [r for r in range(work.proposals.rowCount()) if work.proposals.row_at(r).yours_to_approve]
            if not rows:
                return
            work.proposal_table.selectionModel().select(work.proposals.index(rows[0], 0), (
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows))
            work.approve_button.click()
            dialog = work.proposal_dialog
            assert dialog is not None
            settle()
            dialog.ok_button.click()
            settle(300)
            if dialog.isVisible():
                self.snap(name + "-refused")
                raise SystemExit(f"approval refused: {dialog.message.text()}")

    def timeline(self, case_id: int, name: str) -> None:
        cases = self.case(case_id)
        view = cases.view
        view.tabs.setCurrentIndex(3)
        view.timeline_table.selectRow(view.timeline.rowCount() - 1)
        self.snap(name)

    def panels(self, case_id: int, name: str) -> None:
        self.case(case_id)
        self.snap(name)


def _put(dialog: DecisionDialog, key: str, value: Any) -> None:
    w: QWidget = dialog.widgets[key]
    if isinstance(w, QComboBox):
        index = w.findText(str(value))
        assert index >= 0, (key, value)
        w.setCurrentIndex(index)
    elif isinstance(w, QDateEdit):
        w.setDate(QDate(value.year, value.month, value.day))
    elif isinstance(w, QLineEdit):
        w.setText(str(value))
    elif isinstance(w, QPlainTextEdit):
        w.setPlainText(str(value))
    elif isinstance(w, QCheckBox):
        w.setChecked(bool(value))
    elif isinstance(w, PersonPicker):
        w.search.setText(str(value))
        w.find_people(str(value))
    else:  # a group of check boxes
        for text in value:
            dialog.check(key, text)


# ---- the journeys -----------------------------------------------------------------------------------

def intake(walk: Walk, subject_search: str, abuse: list[str], *, criminal: bool = False, name: str) -> int:
    cases = walk.window.section(CasesSection)
    assert isinstance(cases, CasesSection)
    walk.window.go_to(walk.window.sections.index(cases))
    dialog = cases.new_case()
    settle()
    dialog.dash.setCurrentIndex(dialog.dash.findText("Medium"))
    dialog.contact.setPlainText("07700 900123, 1 Example Street")
    dialog.subject.search.setText(subject_search)
    dialog.subject.find_people(subject_search)
    for a in abuse:
        dialog.abuse.boxes[a].setChecked(True)
    dialog.criminal.setChecked(criminal)
    if criminal:
        dialog.crime_ref.setText("CR/25/0101")
    dialog.declare.setChecked(dialog.declare.isVisible())
    walk.snap(name)
    dialog.ok_button.click()
    settle(400)
    assert not dialog.isVisible(), dialog.message.text()
    assert cases.view.detail is not None
    return cases.view.detail.id


def restriction_case(walk: Walk) -> None:
    """A coercive-control report taken by the investigator; suspension, reviews, outcome, closure."""
    walk.on(date(2025, 3, 3), 9)
    walk.sign_in("ian")
    case_id = intake(walk, "carter", ["COERCIVE_CONTROL", "EMOTIONAL_PSYCHOLOGICAL"], name="ian-new-case")
    walk.panels(case_id, "ian-case-actions")
    walk.act(case_id, "threshold", {"rationale": "Victim describes two years of controlling behaviour"},
             name="ian-threshold-proposed", propose=True)
    walk.panels(case_id, "ian-awaiting-approval")
    walk.sign_in("sue")
    walk.approve_all("sue-my-work-approvals")
    walk.on(date(2025, 3, 4))
    walk.refused(case_id, "restriction", {"options": ["Suspended"]}, name="sue-suspension-refused")
    walk.act(case_id, "restriction", {"options": ["Suspended"], "conditions": [
        "Temporary redeployment was considered and is not appropriate", "The investigation may be prejudiced"],
        "rationale": "Works in the victim's building; could tamper with evidence"}, name="sue-suspension")
    walk.on(date(2025, 4, 2))
    walk.panels(case_id, "sue-review-overdue")
    walk.sign_in("ian")
    walk.act(case_id, "restriction_review", {"outcome": "Vary", "options": ["Restricted duties"],
                                             "rationale": "Evidence secured"}, name="ian-review-cosigned",
             approver="sue")
    walk.on(date(2025, 6, 2))
    for outcome in ("Case to answer misconduct", "Misconduct meeting", "Not proven"):
        walk.act(case_id, "misconduct_outcome", {"outcome": outcome}, name="ian-outcome-proposed", propose=True)
    walk.sign_in("hal")
    walk.approve_all("hal-approves-outcomes")
    walk.act(case_id, "restriction_review", {"outcome": "Lift", "rationale": "Not proven"}, name="hal-lift")
    walk.sign_in("ian")
    walk.act(case_id, "close_case", {}, name="ian-close-proposed", propose=True)
    walk.sign_in("sue")
    walk.approve_all("sue-approves-closure")
    walk.timeline(case_id, "sue-timeline-closed")


def charge_case(walk: Walk) -> None:
    """A charge; not suspending needs the head of PSD: Sue decides, Hal signs in as approver."""
    walk.on(date(2025, 3, 3), 9)
    walk.sign_in("sue")
    case_id = intake(walk, "shah", ["PHYSICAL"], criminal=True, name="sue-new-criminal-case")
    walk.act(case_id, "threshold", {}, name="sue-threshold")
    walk.act(case_id, "restriction", {"options": ["Removed from DA or safeguarding role"]}, name="sue-restriction")
    walk.on(date(2025, 3, 10))
    walk.act(case_id, "criminal_outcome", {"outcome": "Charged", "offence": "Assault by beating"}, name="sue-charge")
    walk.panels(case_id, "sue-suspension-due")
    walk.refused(case_id, "suspension_exception", {"rationale": "Sole carer; bail conditions"},
                 name="sue-exception-refused")
    walk.act(case_id, "suspension_exception", {"rationale": "Sole carer; bail conditions keep her away"},
             name="sue-exception-hal-signs-in", approver="hal")
    walk.on(date(2025, 9, 1))
    walk.act(case_id, "criminal_outcome", {"outcome": "Acquitted"}, name="sue-acquitted")
    walk.act(case_id, "misconduct_outcome", {"outcome": "No case to answer"}, name="sue-nca")
    walk.act(case_id, "restriction_review", {"outcome": "Lift"}, name="sue-lift")
    walk.act(case_id, "close_case", {}, name="sue-close")
    walk.timeline(case_id, "sue-charge-timeline")


def iopc_case(walk: Walk) -> None:
    """A mandatory referral, the IOPC's decision, another force investigating (guidance ALL)."""
    policies.set_policy(walk.psd.env.uow(), walk.psd.env.admin, "external-investigation-guidance", "ALL",
                        date(2024, 4, 1), reason="The force adopted this guidance from the start of the period")
    walk.on(date(2025, 3, 3), 9)
    walk.sign_in("sue")
    case_id = intake(walk, "evans", ["NON_FATAL_STRANGULATION"], name="sue-new-strangulation-case")
    walk.act(case_id, "iopc_referral", {"iopc_reference": "2025/00417"}, name="sue-referral")
    walk.sign_in("lia")
    walk.act(case_id, "iopc_decision", {"decision": "Directed investigation"}, name="lia-iopc-decision")
    walk.sign_in("sue")
    walk.refused(case_id, "investigating_body", {"body": "Home force"}, name="sue-home-force-refused")
    walk.act(case_id, "investigating_body", {"body": "Northumbria Police"}, name="sue-other-force")
    walk.act(case_id, "assign_member", {"username": "ian", "role": "Investigator",
                                        "declared_no_prior_connection": True}, name="sue-assigns-ian")
    walk.sign_in("ian")
    for event, day in (("Requested", date(2025, 3, 5)), ("Accepted", date(2025, 3, 7)),
                       ("Handed over", date(2025, 3, 10)), ("Returned", date(2025, 7, 1))):
        walk.on(day)
        walk.act(case_id, "external_progress", {"event": event, "reference": "NB/25/77"}, name="ian-external")
    walk.act(case_id, "misconduct_outcome", {"outcome": "No case to answer"}, name="ian-nca-cosigned", approver="hal")
    walk.act(case_id, "close_case", {}, name="ian-close-cosigned", approver="hal")
    walk.timeline(case_id, "ian-iopc-timeline")


def home_exception_case(walk: Walk) -> None:
    """Guidance SOME: the head of PSD decides the exception, the supervisor approves it."""
    policies.set_policy(walk.psd.env.uow(), walk.psd.env.admin, "external-investigation-guidance", "SOME",
                        date(2025, 1, 1), reason="The force adopted this guidance from the start of the period")
    walk.on(date(2025, 4, 7), 9)
    walk.sign_in("hal")
    case_id = intake(walk, "shah", ["STALKING_HARASSMENT"], name="hal-new-case")
    walk.act(case_id, "external_exception", {"rationale": "No force can take it before the hearing"},
             name="hal-exception-sue-approves", approver="sue")
    walk.act(case_id, "investigating_body", {"body": "Home force"}, name="hal-home-force")
    walk.act(case_id, "misconduct_outcome", {"outcome": "No case to answer"}, name="hal-nca")
    walk.act(case_id, "close_case", {}, name="hal-close")
    walk.timeline(case_id, "hal-exception-timeline")


def dismissal_case(walk: Walk) -> None:
    """Gross misconduct, dismissal, the Barred List notification, closure (kept indefinitely)."""
    from app.domain.enums import EmploymentStatus
    from app.services import casework as cw

    walk.on(date(2025, 5, 5), 9)
    walk.sign_in("sue")
    case_id = intake(walk, "lane", ["THREATS"], name="sue-new-case-threats")
    walk.act(case_id, "assign_member", {"username": "ian", "role": "Investigator",
                                        "declared_no_prior_connection": True}, name="sue-assign")
    walk.sign_in("ian")
    for outcome in ("Case to answer gross misconduct", "Misconduct hearing", "Gross misconduct",
                    "Dismissal without notice"):
        walk.act(case_id, "misconduct_outcome", {"outcome": outcome}, name="ian-gross-cosigned", approver="sue")
    cw.record_leaving(walk.psd.env.uow(), walk.psd.hal, "S200", EmploymentStatus.DISMISSED, date(2025, 5, 5))
    walk.panels(case_id, "ian-barred-list-due")
    walk.act(case_id, "list_notification", {"list_status": "Barred", "reference": "COP-BL-9"},
             name="ian-list-proposed", propose=True)
    walk.sign_in("hal")
    walk.approve_all("hal-approves-list")
    walk.act(case_id, "close_case", {}, name="hal-close-barred")
    walk.timeline(case_id, "hal-dismissal-timeline")


def not_recordable_case(walk: Walk) -> None:
    walk.on(date(2025, 6, 2), 9)
    walk.sign_in("ian")
    case_id = intake(walk, "carter", ["ECONOMIC"], name="ian-new-case-2")
    walk.refused(case_id, "recording", {"recordable": "Not recordable", "rationale": "Workplace dispute"},
                 name="ian-not-recordable-refused")
    walk.act(case_id, "recording", {"recordable": "Not recordable",
                                    "rationale": "A workplace dispute between colleagues, not domestic abuse"},
             name="ian-not-recordable-proposed", propose=True)
    walk.act(case_id, "misconduct_outcome", {"outcome": "No case to answer", "rationale": "Not recordable"},
             name="ian-nca-proposed", propose=True)
    walk.sign_in("sue")
    walk.approve_all("sue-approves-not-recordable")
    walk.act(case_id, "close_case", {}, name="sue-close-not-recordable")
    walk.timeline(case_id, "sue-not-recordable-timeline")


JOURNEYS: list[Callable[[Walk], None]] = [restriction_case, charge_case, iopc_case, home_exception_case,
                                          dismissal_case, not_recordable_case]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    apply_look(app)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as mp:
        db = Path(folder) / "psd.db"
        from app.persistence import migrate
        from app.persistence.database import open_database

        fresh = open_database(f"sqlite:///{db}")
        migrate.upgrade(fresh, backup=False)
        fresh.dispose()
        with small_psd(f"sqlite:///{db}", Path(folder), mp) as psd:
            walk = Walk(psd, args.out)
            for journey in JOURNEYS:
                journey(walk)
            if walk.ctl.window is not None:
                walk.ctl.window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
