"""Writing in the case log: a new entry (a note, a contact with the victim — which is also the victim
update the rules track — or with the subject, an action taken, correspondence, a new summary) and a
correction of an entry (a new entry; the original stays, marked corrected). The services decide
and refuse; the dialog shows their message, grows to show it, clears it once the input changes,
and closes only when the entry is written."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLabel, QPlainTextEdit, QWidget

from app.domain.case_file import CONTACT_METHODS, ENTRY_LABELS, EntryInput, EntryKind
from app.domain.errors import ExpectedError
from app.services import clock
from app.services.casefile import entries
from app.services.casefile.timeline import TimelineItem
from app.ui.context import AppContext, Change
from app.ui.dialogs.forms import FormDialog
from app.ui.labels import day, human_text
from app.ui.signals import emit

NOT_RECORDED = "Not recorded"
T = TypeVar("T")
W = TypeVar("W", bound=QWidget)


@dataclass(frozen=True)
class CaseParties:
    """What the entry dialog offers to pick: the case's victims and subjects."""

    case_id: int
    reference: str
    victims: tuple[str, ...]
    subjects: tuple[tuple[int, str], ...]  # (person id, "Surname, Forenames")


def date_edit(accessible: str, value: date | None = None) -> QDateEdit:
    value = value or clock.today()
    edit = QDateEdit(QDate(value.year, value.month, value.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd MMM yyyy")
    edit.setAccessibleName(accessible)
    return edit


def day_of(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def combo(accessible: str, options: Sequence[tuple[str, object]]) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(accessible)
    for text, value in options:
        box.addItem(text, value)
    return box


def long_text(accessible: str, placeholder: str = "", height: int = 120) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setAccessibleName(accessible)
    edit.setPlaceholderText(placeholder)
    edit.setMinimumHeight(height)
    edit.setTabChangesFocus(True)
    return edit


class CaseFileDialog(FormDialog):
    """A form whose refusal message makes the dialog grow to show it, and goes once the input changes."""

    ctx: AppContext

    def refused(self, exc: ExpectedError) -> None:
        self.say(human_text(exc.message))
        self.fit_height()

    def clear_message(self) -> None:
        if self.message.isVisible():
            self.message.clear()
            self.message.setVisible(False)
            self.fit_height()

    def fit_height(self) -> None:
        """As tall as the contents need at the present width (never narrower)."""
        layout = self.layout()
        assert layout is not None
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else self.sizeHint().height()
        self.resize(self.width(), max(needed, self.minimumSizeHint().height()))

    def field(self, label: str, widget: W) -> W:
        """`add_field`, keeping the widget's type."""
        self.add_field(label, widget)
        return widget

    def write(self, call: Callable[[], T]) -> T | None:
        """Call the service; its refusal is shown in the dialog (None), else every view is told."""
        try:
            result = call()
        except ExpectedError as exc:
            self.refused(exc)
            return None
        self.ctx.notify(Change.CASES)
        return result

    def watch(self, *widgets: QWidget) -> None:
        """Clear the message when any of these changes."""
        for w in widgets:
            for name in ("textChanged", "currentIndexChanged", "dateChanged", "toggled"):
                signal = getattr(w, name, None)
                if signal is not None:
                    signal.connect(lambda *_a: self.clear_message())
                    break


class EntryDialog(CaseFileDialog):
    written = Signal(int)  # the new entry's id

    def __init__(self, ctx: AppContext, parties: CaseParties, kind: EntryKind = EntryKind.NOTE,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Add to the case log — {parties.reference}",
                         "Entries are dated and signed with your name; they are never changed afterwards (a mistake "
                         "is put right with a correction). A contact with the victim also records the victim update.",
                         "Add entry", parent)
        self.setObjectName("caseEntryDialog")
        self.ctx, self.parties = ctx, parties
        kinds = [k for k in EntryKind if k != EntryKind.VICTIM_CONTACT or parties.victims]
        self.kind = self.field("Kind:", combo("Kind", [(ENTRY_LABELS[k], k) for k in kinds]))
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.on = self.field("Date:", date_edit("Date"))
        self.victim = self.field("Victim:", combo("Victim", [(v, v) for v in parties.victims]))
        self.subject = self.field("Subject:", combo("Subject", [(n, pid) for pid, n in parties.subjects]))
        self.method = self.field("How:", combo("How", [(NOT_RECORDED, None)] +
                                                   [(m.capitalize(), m) for m in CONTACT_METHODS]))
        self.next_contact_agreed = QCheckBox("Next contact agreed for")
        self.next_contact_agreed.setAccessibleName("Next contact agreed")
        self.next_contact = date_edit("Next contact", clock.today() + timedelta(days=14))
        self.next_row = self._beside(self.next_contact_agreed, self.next_contact)
        self.form.addRow("", self.next_row)
        self.text = self.field("Entry:", long_text("Entry", "What happened, what was said, what was decided…"))
        self.kind.currentIndexChanged.connect(lambda _i: self._update())
        self.next_contact_agreed.toggled.connect(lambda _c: self._update())
        self.watch(self.kind, self.on, self.victim, self.subject, self.method, self.next_contact, self.text)
        self._update()
        self.resize(620, self.sizeHint().height())

    @staticmethod
    def _beside(*widgets: QWidget) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        for w in widgets:
            line.addWidget(w)
        line.addStretch(1)
        return row

    def chosen_kind(self) -> EntryKind:
        return EntryKind(self.kind.currentData())

    def _update(self) -> None:
        kind = self.chosen_kind()
        victim, subject = kind == EntryKind.VICTIM_CONTACT, kind == EntryKind.SUBJECT_CONTACT
        contact = victim or subject or kind == EntryKind.CORRESPONDENCE
        for widget, shown in ((self.victim, victim), (self.subject, subject), (self.method, contact),
                              (self.next_row, victim)):
            widget.setVisible(shown)
            label = self.form.labelForField(widget)
            if label is not None:
                label.setVisible(shown)
        self.next_contact.setEnabled(self.next_contact_agreed.isChecked())
        self.fit_height()

    def entry(self) -> EntryInput:
        kind = self.chosen_kind()
        victim = kind == EntryKind.VICTIM_CONTACT
        agreed = victim and self.next_contact_agreed.isChecked()
        return EntryInput(
            kind, self.text.toPlainText(), occurred_on=day_of(self.on),
            victim_ref=self.victim.currentData() if victim else None,
            method=self.method.currentData() if self.method.isVisible() else None,
            next_contact=day_of(self.next_contact) if agreed else None,
            subject_id=self.subject.currentData() if kind == EntryKind.SUBJECT_CONTACT else None)

    def accept(self) -> None:
        added = self.write(lambda: entries.add_entry(self.ctx.uow(), self.ctx.user, self.parties.case_id, self.entry()))
        if added is not None:
            emit(self.written, added.entry_id)
            super().accept()


class CorrectionDialog(CaseFileDialog):
    written = Signal(int)  # the correction's id

    def __init__(self, ctx: AppContext, reference: str, original: TimelineItem, parent: QWidget | None = None) -> None:
        label = ENTRY_LABELS[EntryKind[original.kind]].lower()
        super().__init__(f"Correct entry {original.id} — {reference}",
                         f"The {label} written by {original.by} on {day(original.at)} stays in the case log, marked "
                         "corrected; your correction is a new entry pointing at it, with your reason.",
                         "Save correction", parent)
        self.setObjectName("correctionDialog")
        self.ctx, self.original = ctx, original
        was = QLabel(original.text)
        was.setWordWrap(True)
        was.setObjectName("note")
        was.setAccessibleName("As first written")
        self.form.addRow("As written:", was)
        self.on = self.field("Date:", date_edit("Date", original.on))
        self.on.setEnabled(dict(original.details).get("victim update") is None)  # a victim update's date stands
        self.text = self.field("Corrected entry:", long_text("Corrected entry"))
        self.text.setPlainText(original.text)
        self.reason = self.line("Why:", placeholder="e.g. the time was wrong: the diary says 14:00")
        self.watch(self.on, self.text, self.reason)
        self.resize(620, self.sizeHint().height())

    def accept(self) -> None:
        added = self.write(lambda: entries.correct_entry(self.ctx.uow(), self.ctx.user, self.original.id,
                                                         self.text.toPlainText(), self.reason.text(),
                                                         occurred_on=day_of(self.on)))
        if added is not None:
            emit(self.written, added.entry_id)
            super().accept()
