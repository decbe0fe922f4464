"""One dialog for every case action: fields described as data, the service called on OK with the
version of the case the user opened, closed only when the service succeeded. A refusal is shown
as the service wrote it; a ConflictError (someone changed the case meanwhile) offers Reload."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from PySide6.QtCore import QDate, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app.domain.errors import ConflictError, ExpectedError
from app.services import clock
from app.ui.context import AppContext, Change
from app.ui.dialogs.allocate import StaffPicker
from app.ui.dialogs.decision_approver import ApproverField
from app.ui.dialogs.forms import FormDialog
from app.ui.dialogs.person_picker import NOBODY, PersonPicker
from app.ui.labels import human, human_text
from app.ui.signals import emit

Values = dict[str, Any]


@dataclass(frozen=True)
class Field:
    """One input. kind: choice, choices (several), date, text, long, bool, approver, person (a
    member of the workforce searched in the register; its value, and its default, is the staff
    number), staff (one of the force's users, picked by typing part of their name or team from
    `options` as (label, Allocatable); its value, and its default, is the user name; `placeholder`
    names the entry choosing no one)."""

    key: str
    label: str
    kind: str
    options: Sequence[tuple[str, Any]] = ()  # (text, value) for choice / choices
    default: Any = None
    when: Callable[[Values], bool] | None = None  # enabled only when this holds
    help: str = ""
    placeholder: str = ""  # a hint shown while a text, long or person field is empty
    columns: int = 2  # check boxes a row, for choices


def enum_options(kind: type[Enum], only: Sequence[Any] | None = None) -> list[tuple[str, Any]]:
    return [(human(m.name), m) for m in (only if only is not None else list(kind))]


@dataclass(frozen=True)
class ActionSpec:
    key: str
    title: str
    intro: str
    ok: str
    fields: Sequence[Field]
    call: Callable[[Values], Any]  # calls the service; gets the values (approver included)
    extra: Sequence[str] = field(default_factory=tuple)  # read-only lines shown above the form
    changed: Callable[[Any], Change] = lambda _result: Change.CASES  # what the views refresh after it
    # With nobody at the desk to co-sign or approve, the decision is proposed instead (approved later).
    propose: Callable[[Values], Any] | None = None
    propose_when: Callable[[Values], bool] | None = None  # proposing is offered only when this holds


class DecisionDialog(FormDialog):
    recorded = Signal(object)  # the service's result
    reload_requested = Signal()

    def __init__(self, ctx: AppContext, spec: ActionSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec.title, spec.intro, spec.ok, parent)
        self.setObjectName("decisionDialog")
        self.ctx, self.spec = ctx, spec
        self.widgets: dict[str, QWidget] = {}
        self.reload_button = QPushButton("Reload the case")
        self.reload_button.setAccessibleName("Reload the case")
        self.reload_button.setVisible(False)
        self.reload_button.clicked.connect(self._reload)
        self.buttons.addButton(self.reload_button, self.buttons.ButtonRole.ResetRole)
        self.reload_button.setVisible(False)
        self.propose_button: QPushButton | None = None
        if spec.propose is not None:
            self.propose_button = QPushButton("Propose for approval")
            self.propose_button.setAccessibleName("Propose for approval")
            self.propose_button.setToolTip("Nobody here to co-sign or approve: send the decision for approval. It is "
                                           "recorded when approved (or rejected with a reason) in My work")
            self.propose_button.clicked.connect(self._propose)
            self.buttons.addButton(self.propose_button, self.buttons.ButtonRole.ActionRole)
        for line in spec.extra:
            self.body.insertWidget(2, _info(line))
        for f in spec.fields:
            self.widgets[f.key] = self.add_field(f.label, self._widget(f))
            if f.help:
                self.widgets[f.key].setToolTip(f.help)
                if not f.label or f.kind == "bool":  # a check box is named by its own text
                    self.widgets[f.key].setAccessibleName(f.help)
        self._update()
        self.body.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.intro.setMinimumWidth(540)  # the layout's constraint would override the dialog's own minimum
        self.ensurePolished()  # the stylesheet first: its min-height would let long fields shrink,
        self.resize(self.sizeHint().boundedTo(self.screen().availableSize()))  # so open at the preferred size

    # -- building ---------------------------------------------------------------------------
    def _widget(self, f: Field) -> QWidget:
        if f.kind == "choice":
            combo = QComboBox()
            for text, value in f.options:
                combo.addItem(text, _box(value))
            if f.default is not None:
                combo.setCurrentIndex(max(0, combo.findData(_box(f.default))))
            combo.currentIndexChanged.connect(lambda _i: self._update())
            return combo
        if f.kind == "choices":
            return self._checks(f)
        if f.kind == "date":
            edit = QDateEdit(_qdate(f.default or self.ctx_today()))
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")
            return edit
        if f.kind == "bool":
            box = QCheckBox(f.help or "")
            box.setChecked(bool(f.default))
            box.toggled.connect(lambda _c: self._update())
            return box
        if f.kind == "long":
            long_text = QPlainTextEdit(f.default or "")
            long_text.setFixedHeight(64)
            long_text.setPlaceholderText(f.placeholder)
            return long_text
        if f.kind == "approver":
            approver = ApproverField(self.ctx, self.spec.title, self, f.label.rstrip(":") or "Approver")
            approver.changed.connect(self.message.hide)  # a refusal for want of a co-signer is now stale
            return approver
        if f.kind == "person":
            picker = PersonPicker(self.ctx, f.label.rstrip(":") or f.help, rows=3, nobody=f.placeholder or NOBODY)
            if f.default:
                _choose(picker, f.default)
            picker.chosen_changed.connect(lambda _s: self._update())
            return picker
        if f.kind == "staff":
            staff = StaffPicker([person for _label, person in f.options], f.label.rstrip(":"), f.default, rows=3,
                                nobody=f.placeholder or None)
            staff.chosen_changed.connect(lambda _u: self._update())
            return staff
        line = QLineEdit(f.default or "")
        line.setPlaceholderText(f.placeholder)
        return line

    def _checks(self, f: Field) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(4)
        chosen = set(f.default or ())
        for i, (text, value) in enumerate(f.options):
            check = QCheckBox(text)
            check.setAccessibleName(text)
            check.setProperty("value", _box(value))
            check.setChecked(value in chosen)
            check.toggled.connect(lambda _c: self._update())
            grid.addWidget(check, i // f.columns, i % f.columns)
        return box

    @staticmethod
    def ctx_today() -> date:
        return clock.today()

    # -- values -----------------------------------------------------------------------------
    def values(self) -> Values:
        out: Values = {}
        for f in self.spec.fields:
            w = self.widgets[f.key]
            out[f.key] = _value(f, w)
        return out

    def check(self, key: str, text: str, on: bool = True) -> None:
        """Tick (or untick) one option of a `choices` field by its text (tests, shortcuts)."""
        for box in self.widgets[key].findChildren(QCheckBox):
            if box.text() == text:
                box.setChecked(on)
                return
        raise KeyError(text)

    def _update(self) -> None:
        if len(self.widgets) < len(self.spec.fields):
            return
        values = self.values()
        for f in self.spec.fields:
            if f.when is not None:
                self.widgets[f.key].setEnabled(f.when(values))
        if self.propose_button is not None and self.spec.propose_when is not None:
            self.propose_button.setEnabled(self.spec.propose_when(values))

    # -- OK ---------------------------------------------------------------------------------
    def accept(self) -> None:
        self._submit(self.spec.call)

    def _propose(self) -> None:
        assert self.spec.propose is not None
        self._submit(self.spec.propose)

    def _submit(self, call: Callable[[Values], Any]) -> None:
        values = {k: (v if self.widgets[k].isEnabled() else None) for k, v in self.values().items()}
        try:
            result = call(values)
        except ConflictError as exc:
            self.say(exc.message + "\nReload the case to see the change, then decide again.")
            self.reload_button.setVisible(True)
            return
        except ExpectedError as exc:
            self.say(exc.message)
            return
        self.ctx.notify(self.spec.changed(result))
        emit(self.recorded, result)
        super().accept()

    def say(self, text: str) -> None:
        super().say(human_text(text))  # "a SUPERVISOR or HEAD_OF_PSD" → "a Supervisor or Head of PSD"
        self.adjustSize()  # room for the message

    def _reload(self) -> None:
        emit(self.reload_requested)
        self.reject()


def _info(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("dialogFacts")
    return label


def _box(value: Any) -> Any:
    return value.name if isinstance(value, Enum) else value  # Qt keeps enums as plain text


def _choose(picker: PersonPicker, staff_number: str) -> None:
    """Preset the picker to the person with `staff_number`, as if searched for and chosen."""
    with QSignalBlocker(picker.search):
        picker.search.setText(staff_number)
    picker.find_people(staff_number)
    for i in range(picker.results.count()):
        if picker.results.item(i).data(Qt.ItemDataRole.UserRole) == staff_number:
            picker.results.setCurrentRow(i)


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _value(f: Field, w: QWidget) -> Any:
    if f.kind == "choice":
        assert isinstance(w, QComboBox)
        return _unbox(f, w.currentData())
    if f.kind == "choices":
        return frozenset(_unbox(f, b.property("value")) for b in w.findChildren(QCheckBox) if b.isChecked())
    if f.kind == "date":
        assert isinstance(w, QDateEdit)
        return w.date().toPython()
    if f.kind == "bool":
        assert isinstance(w, QCheckBox)
        return w.isChecked()
    if f.kind == "long":
        assert isinstance(w, QPlainTextEdit)
        return w.toPlainText().strip() or None
    if f.kind == "approver":
        assert isinstance(w, ApproverField)
        return w.user
    if f.kind == "person":
        assert isinstance(w, PersonPicker)
        return w.staff_number() or None
    if f.kind == "staff":
        assert isinstance(w, StaffPicker)
        return w.chosen()
    assert isinstance(w, QLineEdit)
    return w.text().strip() or None


def _unbox(f: Field, data: Any) -> Any:
    for _text, value in f.options:
        if _box(value) == data:
            return value
    return data
