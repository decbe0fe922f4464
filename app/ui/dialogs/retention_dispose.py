"""Disposing of a case: the reason, and a second head of PSD who approves by entering their own
user name and password (app.services.users.authenticate). The service decides; its refusal is
shown verbatim and nothing is erased."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.domain.errors import ExpectedError
from app.services import retention, users
from app.services.retention import DueForReview
from app.ui.context import AppContext, Change
from app.ui.dialogs.forms import FormDialog
from app.ui.labels import day


class DisposeDialog(FormDialog):
    def __init__(self, ctx: AppContext, row: DueForReview, parent: QWidget | None = None) -> None:
        super().__init__(f"Dispose of {row.reference}",
                         f"Case {row.reference} closed on {day(row.closed_date)}; its retention review was due on "
                         f"{day(row.review_date)}. Disposal cannot be undone. Another head of PSD approves it by "
                         "signing in below.", "Dispose of case", parent)
        self.ctx, self.row = ctx, row
        self.done_text = ""
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("Why the case can be disposed of (kept with the decision)")
        self.reason.setTabChangesFocus(True)
        self.reason.setMinimumHeight(70)
        self.add_field("Reason:", self.reason)
        self.approver = self.line("Approver's user name:")
        self.password = self.line("Approver's password:", password=True)
        self.resize(520, 320)

    def accept(self) -> None:
        try:
            approver = users.authenticate(self.ctx.uow(), self.approver.text().strip(), self.password.text())
            done = retention.dispose(self.ctx.uow(), self.ctx.user, self.row.case_id, self.reason.toPlainText(),
                                     approver)
        except ExpectedError as exc:
            self.password.clear()
            self.say(exc.message)
            return
        self.done_text = (f"{done.reference} was disposed of: {done.allegations} allegations and {done.victims} "
                          f"victims anonymised, {done.decisions_scrubbed} decisions scrubbed.")
        self.ctx.notify(Change.CASES)
        super().accept()
