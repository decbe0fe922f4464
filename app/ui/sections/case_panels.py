"""The case view's action panels: restriction (measures in force, review countdown), IOPC referral,
investigating body, criminal and misconduct tracks, team with declarations, closure — what the
rules say now (app.services.case_facts) and a button per action of the registry
(app.services.actions). Whether a button is enabled, and its tooltip, is what
`available_actions` says: the user may do it (or propose it), or the reason why not. Pending
proposals are shown under their panel: "Proposed, awaiting approval"."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import CaseStatus
from app.services import actions
from app.services.actions import Availability
from app.services.case_facts import AllegationFacts, CaseFacts
from app.services.case_queries import CaseDetail
from app.ui.context import AppContext
from app.ui.labels import day, human, human_text
from app.ui.signals import emit

# Where each action of the registry is offered (edit_victim: on the Victims tab, for the selected victim).
PANELS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Recording and threshold", (("recording", "Recording…"), ("threshold", "Threshold…"), ("severity", "Severity…"),
                                 ("add_victim", "Add victim…"), ("add_allegation", "Add allegation…"))),
    ("Restriction", (("restriction", "Restriction decision…"), ("restriction_review", "Review…"),
                     ("suspension_exception", "Not suspending…"))),
    ("IOPC referral", (("iopc_referral", "Referral…"), ("iopc_decision", "IOPC decision…"))),
    ("Investigating body", (("investigating_body", "Assign body…"), ("external_exception", "Exception…"),
                            ("external_progress", "External progress…"))),
    ("Criminal track", (("arrest", "Arrest…"), ("criminal_outcome", "Criminal outcome…"))),
    ("Misconduct and outcomes", (("misconduct_outcome", "Misconduct outcome…"), ("list_notification", "List…"),
                                 ("vetting_review", "Vetting…"), ("pcc_report", "PCC report…"),
                                 ("victim_update", "Victim update…"))),
    ("Team and access", (("assign_member", "Assign…"), ("declare_association", "Declare my association…"),
                         ("restrict_case", "Restrict to named users…"), ("end_assignment", "End assignment…"))),
    ("Closure", (("close_case", "Close case…"),)),
)
FOR_ITEM = {"RESTRICTION_DECISION": "restriction", "RESTRICTION_REVIEW": "restriction_review",
            "SUSPENSION_ON_CHARGE": "restriction", "IOPC_REFERRAL": "iopc_referral", "VICTIM_UPDATE": "victim_update",
            "TWELVE_MONTH_REPORT": "pcc_report", "LIST_NOTIFICATION": "list_notification",
            "VETTING_REVIEW": "vetting_review"}


def countdown(due: date, today: date) -> str:
    days = (due - today).days
    if days < 0:
        return f"OVERDUE by {-days} day{'s' if days != -1 else ''}"
    return "due today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"


class CaseActionPanels(QScrollArea):
    action_requested = Signal(str)  # an action key of app.ui.dialogs.decision_actions

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Case actions")
        self.buttons: dict[str, QPushButton] = {}
        self.texts: dict[str, QLabel] = {}
        self.groups: dict[str, QGroupBox] = {}
        inner = QWidget()
        grid = QGridLayout(inner)
        grid.setContentsMargins(8, 8, 8, 8)
        for i, (title, keys) in enumerate(PANELS):
            grid.addWidget(self._panel(title, keys), i // 2, i % 2)
        grid.setRowStretch(len(PANELS) // 2 + 1, 1)
        self.setWidget(inner)

    def _panel(self, title: str, keys: Sequence[tuple[str, str]]) -> QGroupBox:
        box = QGroupBox(title)
        box.setObjectName("actionPanel")
        text = QLabel()
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        text.setAccessibleName(f"{title}: state")
        row = QGridLayout()  # three buttons a row: the panel fits half of a 1366-pixel window
        for i, (key, label) in enumerate(keys):
            button = QPushButton(label)
            button.setAccessibleName(label.rstrip("…"))
            button.clicked.connect(lambda _c=False, k=key: emit(self.action_requested, k))
            self.buttons[key] = button
            self.groups[key] = box
            row.addWidget(button, i // 3, i % 3)
        row.setColumnStretch(3, 1)
        layout = QVBoxLayout(box)
        layout.addWidget(text, 1)
        layout.addLayout(row)
        self.texts[title] = text
        return box

    # -- state ------------------------------------------------------------------------------
    def show_case(self, d: CaseDetail, f: CaseFacts, available: dict[str, Availability]) -> None:
        def per(fn: Callable[[AllegationFacts], str]) -> str:
            return "<br>".join(f"<b>{_e(a.subject)}</b>: {fn(a)}" for a in f.allegations) or "No allegations."

        self.texts["Recording and threshold"].setText(per(
            lambda a: f"threshold met on {day(a.threshold_met)}" if a.threshold_met else "no threshold decision yet"))
        self.texts["Restriction"].setText(per(lambda a: _restriction(a, f)))
        self.texts["IOPC referral"].setText(per(lambda a: ("mandatory grounds: " + _e("; ".join(
            f"{human(g)}: {why}" for g, why in a.grounds))) if a.grounds else "no mandatory grounds")
            + ("<br>Referral recorded." if f.referred else ""))
        body = human(f.body) if f.body else "not assigned yet"
        reasons = ("<br>Guidance wants an external investigation: " + _e("; ".join(f.external_reasons))) \
            if f.external_reasons else "<br>Force guidance does not require an external investigation."
        self.texts["Investigating body"].setText(f"Investigating body: {_e(body)}{reasons}")
        self.texts["Criminal track"].setText(per(lambda a: human(a.criminal) if a.criminal else "no criminal outcome"))
        self.texts["Misconduct and outcomes"].setText(per(_misconduct) + _tasks(f))
        self.texts["Team and access"].setText("<br>".join(
            f"{_e(m.name)} — {human(m.role)}, "
            + ("declared no prior connection" if m.declared_no_prior_connection else "<b>no declaration</b>")
            for m in d.team) or "No one assigned.")
        blockers = f.closure_blockers
        closed = d.status == CaseStatus.CLOSED.name
        self.texts["Closure"].setText(f"Closed on {day(d.closed_date)}." if closed else
                                      ("Still to do: " + _e("; ".join(blockers)) if blockers else "Ready to close."))
        self._show_proposals(d)
        self._enable(available)

    def _show_proposals(self, d: CaseDetail) -> None:
        """Each pending proposal under its panel: "Proposed, awaiting approval"."""
        for p in actions.pending_on_case(self.ctx.uow(), self.ctx.user, d.id):
            box = self.groups.get(p.action)
            if box is None:
                continue
            text = self.texts[box.title()]
            who = f" ({_e(p.subject)})" if p.subject else ""
            by = f" by {_e(human_text(p.awaiting))}" if p.awaiting else ""
            text.setText(text.text() + f"<br><i>{_e(human_text(p.what))}{who} — Proposed, awaiting approval{by} "
                         f"(proposed by {_e(p.proposed_by)}, {day(p.proposed_at.date())})</i>")

    def _enable(self, available: dict[str, Availability]) -> None:
        """Each button as `available_actions` says: enabled when the user may do (or propose) it;
        the tooltip says why not, or who else signs in."""
        for key, button in self.buttons.items():
            a = available[key]
            button.setEnabled(a.may or a.may_propose)
            tip = a.why_not if not a.may else (a.second[0].upper() + a.second[1:] + "." if a.second else a.title)
            button.setToolTip(human_text(tip))

    def focus(self, key: str) -> None:
        if key in self.groups:
            self.ensureWidgetVisible(self.groups[key])
            self.buttons[key].setFocus()


def _e(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _restriction(a: AllegationFacts, f: CaseFacts) -> str:
    if not a.restriction_decided:
        return "no restriction decision yet"
    if not a.in_force:
        return "no measures in force"
    text = ", ".join(human(o) for o in a.in_force)
    if a.review_due is not None:
        late = a.review_due < f.today
        when = countdown(a.review_due, f.today)
        text += f"<br>Review due {day(a.review_due)} — " + (f"<b style='color:#9b1c1c'>{when}</b>" if late else when)
    return text


def _misconduct(a: AllegationFacts) -> str:
    text = human(a.misconduct) if a.misconduct else "no final outcome yet"
    if a.accelerated_hearing_due is not None:
        text += f"; dismissal expected — accelerated hearing due {day(a.accelerated_hearing_due)}"
    return text


def _tasks(f: CaseFacts) -> str:
    open_tasks = [t for t in f.tasks if not t.done]
    if not open_tasks:
        return ""
    lines = [f"{human(t.kind.name)}" + (f" ({human(t.list_status.name)} List)" if t.list_status else "")
             + f" due {day(t.due_date)}: {_e(t.trigger)}" for t in open_tasks]
    return "<br>" + "<br>".join(lines)
