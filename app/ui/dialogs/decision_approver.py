"""The approver or co-signer of a decision: a second user signs in here (user name and password,
checked by users.authenticate) without leaving the signed-in session; and the approval or
rejection of a proposed decision (app.services.actions.proposals)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QWidget

from app.domain.errors import ExpectedError
from app.domain.records import User
from app.services import actions, users
from app.services.actions import ProposalView
from app.ui.context import AppContext, Change
from app.ui.dialogs.forms import FormDialog
from app.ui.labels import clock_time, human_text
from app.ui.signals import emit


class ApproverDialog(FormDialog):
    approved = Signal(object)  # the authenticated User

    def __init__(self, ctx: AppContext, purpose: str, parent: QWidget | None = None, role: str = "Approver") -> None:
        super().__init__(f"{role} signs in", f"{purpose}\nThe {role.lower()} types their own user name and password "
                         "here. The decision is recorded with their name.", f"Sign in as {role.lower()}", parent)
        self.role = role
        self.setObjectName("approverDialog")
        self.ctx = ctx
        self.username = self.line("User name:")
        self.password = self.line("Password:", password=True)

    def accept(self) -> None:
        try:
            user = users.authenticate(self.ctx.uow(), self.username.text().strip(), self.password.text())
        except ExpectedError as exc:
            self.password.clear()
            self.say(exc.message)
            return
        if user.id == self.ctx.user.id:
            self.say(f"The {self.role.lower()} must be someone else: sign in as the supervisor or head of PSD who "
                     f"{'co-signs' if self.role == 'Co-signer' else 'approves'}.")
            return
        emit(self.approved, user)
        super().accept()


class ApproverField(QWidget):
    """A form row: who approves (or co-signs), and a button to have them sign in."""

    changed = Signal()  # an approver signed in or was removed

    def __init__(self, ctx: AppContext, purpose: str, parent: QWidget | None = None, role: str = "Approver") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.purpose = purpose
        self.role = role
        self.user: User | None = None
        self.dialog: ApproverDialog | None = None
        self.label = QLabel("Nobody yet")
        self.label.setAccessibleName(role)
        self.button = QPushButton(f"{role} signs in…")
        self.button.setAccessibleName(f"{role} signs in")
        self.button.clicked.connect(self.ask)
        self.clear_button = QPushButton("Remove")
        self.clear_button.setAccessibleName(f"Remove the {role.lower()}")
        self.clear_button.clicked.connect(lambda: self.set_user(None))
        self.clear_button.setVisible(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        row.addWidget(self.clear_button)

    def ask(self) -> ApproverDialog:
        dialog = ApproverDialog(self.ctx, self.purpose, self.window(), self.role)
        dialog.approved.connect(self.set_user)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def set_user(self, user: object) -> None:
        self.user = user if isinstance(user, User) else None
        self.label.setText(f"{self.user.display_name} ({self.user.username})" if self.user else "Nobody yet")
        self.clear_button.setVisible(self.user is not None)
        emit(self.changed)


class ProposalDialog(FormDialog):
    """Approve or reject (with a reason) an investigator's proposed decision. The service decides;
    a refusal is shown as it wrote it and the dialog stays open."""

    decided = Signal(object)  # the service's result (the decision recorded on approval; None on rejection)

    def __init__(self, ctx: AppContext, proposal: ProposalView, *, approving: bool,
                 parent: QWidget | None = None) -> None:
        what = (f"{proposal.case_ref}: {human_text(proposal.what)}"
                + (f" ({proposal.subject})" if proposal.subject else "")
                + f"\nProposed by {proposal.proposed_by} on {clock_time(proposal.proposed_at)}.")
        if approving:
            part = (f"Approving records {proposal.proposed_by}'s decision now, with your approval" if
                    proposal.proposer_decides else "Approving records the decision now as yours, "
                    f"proposed by {proposal.proposed_by}")
            super().__init__("Approve the proposal", f"{what}\n{part}; every rule is checked again.", "Approve", parent)
        else:
            super().__init__("Reject the proposal", what + "\nThe person who proposed it sees your reason in My work.",
                             "Reject", parent)
        self.setObjectName("proposalDialog")
        self.ctx, self.proposal, self.approving = ctx, proposal, approving
        self.reason = QPlainTextEdit()
        self.reason.setFixedHeight(64)
        if not approving:
            self.add_field("Reason:", self.reason)

    def accept(self) -> None:
        result: object = None
        try:
            if self.approving:
                result = actions.approve(self.ctx.uow(), self.ctx.user, self.proposal.id)
            else:
                actions.reject(self.ctx.uow(), self.ctx.user, self.proposal.id, self.reason.toPlainText())
        except ExpectedError as exc:
            self.say(human_text(exc.message))
            return
        self.ctx.notify(Change.CASES)
        emit(self.decided, result)
        super().accept()
