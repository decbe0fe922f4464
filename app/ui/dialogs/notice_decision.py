"""Deciding a candidate match: confirm (with a triage outcome) or reject, each with a rationale;
and recording the vetting review a confirmed match raised. The service decides; its refusal is
shown verbatim in the dialog, which closes only when the decision was saved."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from app.domain.enums import TriageOutcome
from app.domain.errors import ExpectedError
from app.services import notice_review
from app.services.notice_review import MatchView
from app.ui.context import AppContext, Change
from app.ui.dialogs.forms import FormDialog
from app.ui.labels import human


def _text_box(placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(90)
    return box


class _MatchDialog(FormDialog):
    def __init__(self, ctx: AppContext, match: MatchView, title: str, intro: str, ok: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, intro, ok, parent)
        self.ctx = ctx
        self.match = match
        self.resize(520, 300)

    def accept(self) -> None:
        try:
            self.save()
        except ExpectedError as exc:
            self.say(exc.message)
            return
        self.ctx.notify(Change.NOTICES)
        super().accept()

    def save(self) -> None:  # each dialog below records its own decision through the service
        raise TypeError(f"{type(self).__name__} must define save()")


class ConfirmMatchDialog(_MatchDialog):
    """Confirm: the person is flagged on every screen and open case; a vetting review is due."""

    def __init__(self, ctx: AppContext, match: MatchView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, match, "Confirm match",
                         f"Confirm that notice {match.notice_id} ({ctx.force_name(match.issuing_force)}) is about "
                         f"{match.person_name} ({match.staff_number}). The person is then flagged on every screen "
                         "and open case, and a vetting review becomes due.", "Confirm match", parent)
        self.outcome = QComboBox()
        for o in TriageOutcome:
            self.outcome.addItem(human(o.name), o.name)
        self.add_field("Triage outcome:", self.outcome)
        self.rationale = _text_box("Why you are sure this is the same person, and why this outcome")
        self.add_field("Rationale:", self.rationale)
        self.confirmed: MatchView | None = None

    def save(self) -> None:
        self.confirmed = notice_review.confirm_match(self.ctx.uow(), self.ctx.user, self.match.match_id,
                                                     TriageOutcome[self.outcome.currentData()],
                                                     self.rationale.toPlainText())


class RejectMatchDialog(_MatchDialog):
    """Reject: the pair is not proposed again unless the notice or the person changes."""

    def __init__(self, ctx: AppContext, match: MatchView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, match, "Reject match",
                         f"Reject the pair notice {match.notice_id} / {match.person_name} ({match.staff_number}). "
                         "It is not proposed again unless the notice or the person changes.", "Reject match", parent)
        self.rationale = _text_box("Why these are different people")
        self.add_field("Rationale:", self.rationale)

    def save(self) -> None:
        notice_review.reject_match(self.ctx.uow(), self.ctx.user, self.match.match_id, self.rationale.toPlainText())


class VettingReviewDialog(_MatchDialog):
    def __init__(self, ctx: AppContext, match: MatchView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, match, "Record vetting review",
                         f"Record the result of the vetting review of {match.person_name} ({match.staff_number}) "
                         f"raised by the confirmed match with notice {match.notice_id}.", "Record review", parent)
        self.result_text = _text_box("e.g. Vetting clearance reviewed and maintained with conditions")
        self.add_field("Result:", self.result_text)

    def save(self) -> None:
        notice_review.record_vetting_review(self.ctx.uow(), self.ctx.user, self.match.match_id,
                                       self.result_text.toPlainText())
