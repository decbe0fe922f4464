"""Setting a policy's value from a date (policies.set_policy). A date before today corrects what
applied then: the dialog says so as the date is chosen and asks for the reason; the service
decides, and its refusal is shown verbatim."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QLabel, QPlainTextEdit, QWidget

from app.domain.errors import ExpectedError
from app.services import clock, policies
from app.services.policies import PolicyLine
from app.ui.context import AppContext, Change
from app.ui.dialogs.forms import FormDialog
from app.ui.labels import human_text

CORRECTION_NOTE = ("This date is before today, so the new value corrects what applied on days that have passed. "
                   "It applies at once, also to due dates already past (a review may become overdue); each due "
                   "item it moves says so. Give the reason: it is kept with the value and shown in the history.")


class PolicyDialog(FormDialog):
    def __init__(self, ctx: AppContext, line: PolicyLine, parent: QWidget | None = None) -> None:
        super().__init__(f"Set {line.name}", f"{line.description}\n\nValue today: {line.value}. The new value "
                         "applies from the date you give. Nothing recorded before is overwritten: the history "
                         "keeps every value and when it was recorded.", "Set policy", parent)
        self.ctx, self.line_info = ctx, line
        self.today = clock.today()
        self.value = self.line("New value:", placeholder=line.value)
        self.value.setText(line.value)
        self.effective = QDateEdit(QDate(self.today.year, self.today.month, self.today.day))
        self.effective.setCalendarPopup(True)
        self.effective.setDisplayFormat("dd MMM yyyy")
        self.add_field("Effective from:", self.effective)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("Needed when the date is before today")
        self.reason.setMinimumHeight(72)
        self.add_field("Reason:", self.reason)
        self.correction_note = QLabel(CORRECTION_NOTE)
        self.correction_note.setWordWrap(True)
        self.correction_note.setObjectName("decisionText")
        self.correction_note.setAccessibleName("Correction")
        self.form.addRow(self.correction_note)
        self.effective.dateChanged.connect(lambda _d: self._show_correction())
        self._show_correction()
        self.resize(620, 400)

    def chosen_date(self) -> date:
        d = self.effective.date()
        return date(d.year(), d.month(), d.day())

    def _show_correction(self) -> None:
        self.correction_note.setVisible(self.chosen_date() < self.today)

    def accept(self) -> None:
        try:
            policies.set_policy(self.ctx.uow(), self.ctx.user, self.line_info.name, self.value.text().strip(),
                                self.chosen_date(), reason=self.reason.toPlainText())
        except ExpectedError as exc:
            self.say(human_text(exc.message))
            return
        self.ctx.notify(Change.SETTINGS)
        super().accept()
