"""Revealing a victim's contact details: the user says why; the service logs it and returns them."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.services import case_queries
from app.services.case_queries import VictimView
from app.ui.context import AppContext
from app.ui.dialogs.forms import FormDialog
from app.ui.errors import attempt_inline
from app.ui.signals import emit


class RevealContactDialog(FormDialog):
    revealed = Signal(int, str)  # victim id, contact details ("" when none are recorded)

    def __init__(self, ctx: AppContext, case_reference: str, victim: VictimView, parent: QWidget | None = None) -> None:
        super().__init__(
            "Reveal contact details",
            f"You are about to see the contact details of victim {victim.reference} in case {case_reference}. "
            "Say why you need them now. Your reason, your name and the time are kept in the access log.",
            "Reveal", parent)
        self.setObjectName("revealDialog")
        self._ctx = ctx
        self._victim = victim
        self.reason = self.line("Reason:", placeholder="e.g. arranging a safety visit with the IDVA")
        self.resize(520, self.sizeHint().height())

    def accept(self) -> None:
        contact = attempt_inline(self.message, case_queries.reveal_victim_contact, self._ctx.uow(), self._ctx.user,
                                 self._victim.id, self.reason.text())
        if contact is not None:
            emit(self.revealed, self._victim.id, contact)
            super().accept()
