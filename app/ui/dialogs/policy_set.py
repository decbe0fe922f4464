"""Setting a policy's value from a date (policies.set_policy): the history of what applied when is
never rewritten, so a value is set from a date, and the service's refusal is shown verbatim."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QWidget

from app.domain.errors import ExpectedError
from app.services import clock, policies
from app.services.policies import PolicyLine
from app.ui.context import AppContext, Change
from app.ui.dialogs.forms import FormDialog


class PolicyDialog(FormDialog):
    def __init__(self, ctx: AppContext, line: PolicyLine, parent: QWidget | None = None) -> None:
        super().__init__(f"Set {line.name}", f"{line.description}\n\nValue today: {line.value_today}. The new value "
                         "applies from the date you give; earlier decisions keep the value that applied then.",
                         "Set policy", parent)
        self.ctx, self.line_info = ctx, line
        self.value = self.line("New value:", placeholder=line.value_today)
        self.value.setText(line.value_today)
        today = clock.today()
        self.effective = QDateEdit(QDate(today.year, today.month, today.day))
        self.effective.setCalendarPopup(True)
        self.effective.setDisplayFormat("dd MMM yyyy")
        self.add_field("Effective from:", self.effective)
        self.resize(520, 240)

    def accept(self) -> None:
        d = self.effective.date()
        try:
            policies.set_policy(self.ctx.uow(), self.ctx.user, self.line_info.name, self.value.text().strip(),
                                date(d.year(), d.month(), d.day()))
        except ExpectedError as exc:
            self.say(exc.message)
            return
        self.ctx.notify(Change.SETTINGS)
        super().accept()
