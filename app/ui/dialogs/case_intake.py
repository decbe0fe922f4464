"""New case: the intake form — when and how it came in, a summary of what was reported, the victims (relationship,
police workforce with the colleague picked from the register, sex, age band, DASH with date and
assessor (picked by name), MARAC referral, IDVA/ISVA support offered and accepted, contact details) and the allegations
(subject picked from the workforce register, abuse types, aggravating features, criminal and crime
reference). app.services.casework.create_case validates and refuses with the field it is about;
the dialog closes only when the case is created."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import (
    AbuseType,
    AgeBand,
    AggravatingFeature,
    CaseType,
    DashRisk,
    ReportingRoute,
    Role,
    Sex,
    VictimRelationship,
    VictimWorkforce,
)
from app.domain.errors import ExpectedError
from app.services import casework as cw
from app.services.casework import team
from app.services.casework.team import Allocatable
from app.ui.context import AppContext, Change
from app.ui.dialogs.allocate import StaffPicker
from app.ui.dialogs.case_entry import date_edit as _date
from app.ui.dialogs.case_entry import day_of as _day
from app.ui.dialogs.forms import FormDialog
from app.ui.dialogs.person_picker import PersonPicker
from app.ui.labels import human
from app.ui.signals import emit

E = TypeVar("E", bound=Enum)


def _combo(accessible: str, members: Sequence[Enum], none: str | None = None) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(accessible)
    if none is not None:
        combo.addItem(none, None)
    for m in members:
        combo.addItem(human(m.name), m.name)
    return combo


class CheckGrid(QWidget):
    def __init__(self, members: Sequence[Enum], columns: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, m in enumerate(members):
            box = QCheckBox(human(m.name))
            box.setAccessibleName(human(m.name))
            self.boxes[m.name] = box
            grid.addWidget(box, i // columns, i % columns)

    def chosen(self) -> list[str]:
        return [name for name, box in self.boxes.items() if box.isChecked()]

    def clear(self) -> None:
        for box in self.boxes.values():
            box.setChecked(False)


class CaseIntakeDialog(FormDialog):
    created = Signal(int)  # the new case's id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("New case", "Record a new PPDA case. Add each victim and each allegation (one per "
                         "subject); the ones being typed are added when you create the case.", "Create case", parent)
        self.setObjectName("caseIntakeDialog")
        self.ctx = ctx
        self.victims: list[cw.VictimInput] = []
        self.allegations: list[cw.AllegationInput] = []
        self.received = _date("Received")
        self.route = _combo("Reporting route", list(ReportingRoute))
        self.case_type = _combo("Case type", list(CaseType))
        self.case_type.setCurrentIndex(self.case_type.findData(CaseType.CONDUCT_MATTER.name))
        self.crime_refs = QLineEdit()
        self.crime_refs.setPlaceholderText("Comma separated")
        self.form.addRow(_grid((("Received:", self.received), ("Reporting route:", self.route)),
                               (("Case type:", self.case_type), ("Crime references:", self.crime_refs))))
        self.summary = QPlainTextEdit()  # the case log's first entry (later changed only by a new entry)
        self.summary.setPlaceholderText("What was reported, in brief: who, what, when. The case log keeps it.")
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(2 * self.summary.fontMetrics().lineSpacing() + 14)  # two lines
        _row(self.form, "Summary:", self.summary)
        self.declare = QCheckBox("I declare no prior connection to the subjects or victims")
        self.declare.setAccessibleName("I declare no prior connection")
        self.declare.setVisible(ctx.user.has(Role.INVESTIGATOR))
        # Victims and allegations on two tabs, not side by side: the dialog fits a 1024×768 screen
        # (issue #15: it was 1341 px wide).
        self.parts = QTabWidget()
        self.parts.setAccessibleName("Victims and allegations")
        for box, name in ((self._victim_box(), "Victims"), (self._allegation_box(), "Allegations")):
            box.setTitle("")  # the tab names it
            box.setFlat(True)
            self.parts.addTab(box, name)
        self.body.insertWidget(3, self.parts)
        self.body.insertWidget(4, self.declare)
        self.body.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.resize(max(self.minimumSizeHint().width(), 900), min(max(self.minimumSizeHint().height(), 600), 720))

    # -- victims ----------------------------------------------------------------------------
    def _victim_box(self) -> QGroupBox:
        box = QGroupBox("Victims")
        self.victim_list = _added("Victims added")
        self.victim_ref = QLineEdit("V1")
        self.relationship = _combo("Relationship", list(VictimRelationship))
        self.workforce = _combo("Police workforce", list(VictimWorkforce))
        self.colleague = PersonPicker(self.ctx, "Colleague", rows=2)
        self.colleague.setToolTip("A victim in this force's workforce: the colleague in the register")
        self.workforce.currentIndexChanged.connect(lambda _i: self._update_victim())
        self.sex = _combo("Sex", list(Sex), "Not recorded")
        self.age_band = _combo("Age band", list(AgeBand), "Not recorded")
        self.dash = _combo("DASH risk", list(DashRisk), "Not assessed")
        self.dash.currentIndexChanged.connect(lambda _i: self._update_victim())
        self.dash_date = _date("DASH date")
        # Picked from the force's people by name or team (issue #15 item 6), never a typed user name;
        # the service checks the assessor's independence of the case's subjects and victims.
        self.dash_assessor = StaffPicker(self._assessors(), "DASH assessor", rows=2, nobody="No assessor recorded")
        self.dash_assessor.search.setPlaceholderText("Optional: type part of a name or a team")
        self.marac = _check("Referred to MARAC")
        self.idva_offered = _check("IDVA/ISVA offered")
        self.idva_accepted = _check("IDVA/ISVA accepted")
        self.contact = QPlainTextEdit()
        self.contact.setPlaceholderText("Telephone, address — hidden until revealed")
        self.contact.setFixedHeight(44)
        form = QFormLayout()
        for label, w in (("Reference:", self.victim_ref), ("Relationship:", self.relationship),
                         ("Police workforce:", self.workforce), ("Colleague:", self.colleague)):
            _row(form, label, w)
        form.addRow("Sex:", _beside(self.sex, "Age band:", self.age_band))
        form.addRow("DASH risk:", _beside(self.dash, "on", self.dash_date))
        _row(form, "DASH assessor:", self.dash_assessor)
        form.addRow("Support:", _beside(self.marac, "", self.idva_offered, self.idva_accepted))
        _row(form, "Contact details:", self.contact)
        layout = QVBoxLayout(box)
        layout.addWidget(self.victim_list)
        layout.addLayout(form)
        layout.addLayout(_buttons(("Add victim", self.add_victim), ("Remove selected victim", self.remove_victim)))
        self._update_victim()
        return box

    def _assessors(self) -> list[Allocatable]:
        try:
            return team.assessors(self.ctx.uow(), self.ctx.user)
        except ExpectedError:  # who may not record a case sees no one (the service refuses the case anyway)
            return []

    def _update_victim(self) -> None:
        self.colleague.setEnabled(self.workforce.currentData() == VictimWorkforce.SAME_FORCE.name)
        assessed = self.dash.currentData() is not None
        self.dash_date.setEnabled(assessed)
        self.dash_assessor.setEnabled(assessed)

    def _victim_input(self) -> cw.VictimInput:
        risk = _member(DashRisk, self.dash)
        colleague = self.colleague.staff_number() if self.colleague.isEnabled() else ""
        return cw.VictimInput(
            self.victim_ref.text().strip(), VictimRelationship[self.relationship.currentData()],
            police_workforce=VictimWorkforce[self.workforce.currentData()], staff_number=colleague or None,
            sex=_member(Sex, self.sex), age_band=_member(AgeBand, self.age_band),
            dash_risk=risk, dash_date=_day(self.dash_date) if risk else None,
            dash_assessor=self.dash_assessor.chosen() if risk else None,
            marac_referred=self.marac.isChecked(), advocate_offered=self.idva_offered.isChecked(),
            advocate_accepted=self.idva_accepted.isChecked(),
            contact_details=self.contact.toPlainText().strip() or None)

    def add_victim(self) -> None:
        if not self.victim_ref.text().strip():
            return
        v = self._victim_input()
        self.victims.append(v)
        self.victim_list.addItem(victim_summary(v))
        self.victim_ref.setText(f"V{len(self.victims) + 1}")
        self.contact.clear()
        self.colleague.clear()
        for box in (self.marac, self.idva_offered, self.idva_accepted):
            box.setChecked(False)

    def remove_victim(self) -> None:
        row = self.victim_list.currentRow()
        if row >= 0:
            self.victim_list.takeItem(row)
            del self.victims[row]

    # -- allegations ------------------------------------------------------------------------
    def _allegation_box(self) -> QGroupBox:
        box = QGroupBox("Allegations")
        self.allegation_list = _added("Allegations added")
        self.subject = PersonPicker(self.ctx, "Subject", rows=3)
        self.victim_refs = QLineEdit()
        self.victim_refs.setPlaceholderText("Victim references, comma separated (all victims when empty)")
        self.abuse = CheckGrid(list(AbuseType), 3)
        self.features = CheckGrid(list(AggravatingFeature), 3)
        self.criminal = QCheckBox("Criminal allegation")
        self.crime_ref = QLineEdit()
        form = QFormLayout()
        for label, w in (("Subject:", self.subject), ("Victims:", self.victim_refs), ("Abuse types:", self.abuse),
                         ("Aggravating features:", self.features), ("", self.criminal),
                         ("Crime reference:", self.crime_ref)):
            _row(form, label, w, label.rstrip(":") or "Criminal allegation")
        layout = QVBoxLayout(box)
        layout.addWidget(self.allegation_list)
        layout.addLayout(form)
        layout.addLayout(_buttons(("Add allegation", self.add_allegation),
                                  ("Remove selected allegation", self.remove_allegation)))
        return box

    def _allegation_input(self, victims: Sequence[cw.VictimInput]) -> cw.AllegationInput:
        refs = tuple(r.strip() for r in self.victim_refs.text().split(",") if r.strip()) or \
            tuple(v.reference for v in victims)
        return cw.AllegationInput(
            self.subject.staff_number(), refs, frozenset(AbuseType[n] for n in self.abuse.chosen()),
            frozenset(AggravatingFeature[n] for n in self.features.chosen()), criminal=self.criminal.isChecked(),
            crime_ref=self.crime_ref.text().strip() or None)

    def add_allegation(self) -> None:
        if not self.subject.staff_number():
            self.say("Choose the subject: search the workforce register by surname or staff number.")
            return
        a = self._allegation_input(self.victims)
        self.allegations.append(a)
        self.allegation_list.addItem(f"{self.subject.chosen_text()}: "
                                     + ", ".join(human(t.name) for t in sorted(a.abuse_types)))
        self.subject.clear()
        self.abuse.clear()
        self.features.clear()
        self.criminal.setChecked(False)
        self.crime_ref.clear()

    def remove_allegation(self) -> None:
        row = self.allegation_list.currentRow()
        if row >= 0:
            self.allegation_list.takeItem(row)
            del self.allegations[row]

    # -- OK ---------------------------------------------------------------------------------
    def intake(self) -> cw.CaseIntake:
        victims = list(self.victims)
        if self.victim_ref.text().strip() and all(v.reference != self.victim_ref.text().strip() for v in victims):
            victims.append(self._victim_input())
        allegations = list(self.allegations)
        if self.subject.staff_number():
            allegations.append(self._allegation_input(victims))
        return cw.CaseIntake(
            _day(self.received), ReportingRoute[self.route.currentData()], tuple(victims),
            tuple(allegations), CaseType[self.case_type.currentData()],
            tuple(r.strip() for r in self.crime_refs.text().split(",") if r.strip()),
            creator_declares_no_prior_connection=self.declare.isChecked(),
            summary=self.summary.toPlainText().strip() or None)

    def accept(self) -> None:
        try:
            made = cw.create_case(self.ctx.uow(), self.ctx.user, self.intake())
        except ExpectedError as exc:
            self.say(exc.message)
            return
        self.ctx.notify(Change.CASES)
        emit(self.created, made.case_id)
        super().accept()


def victim_summary(v: cw.VictimInput) -> str:
    parts = [human(v.relationship.name)]
    if v.police_workforce != VictimWorkforce.NO:
        parts.append(f"{human(v.police_workforce.name).lower()} workforce"
                     + (f" ({v.staff_number})" if v.staff_number else ""))
    parts += [human(x.name) for x in (v.sex, v.age_band) if x is not None]
    if v.dash_risk:
        parts.append(f"DASH {human(v.dash_risk.name)}")
    parts += [text for on, text in ((v.marac_referred, "MARAC"), (v.advocate_offered, "IDVA offered"),
                                    (v.advocate_accepted, "IDVA accepted")) if on]
    return f"{v.reference} — " + ", ".join(parts)


def _member(kind: type[E], combo: QComboBox) -> E | None:
    name = combo.currentData()
    return kind[name] if name else None


def _check(text: str) -> QCheckBox:
    box = QCheckBox(text)
    box.setAccessibleName(text)
    return box


def _added(accessible: str) -> QListWidget:
    added = QListWidget()
    added.setAccessibleName(accessible)
    added.setMaximumHeight(54)
    return added


def _row(form: QFormLayout, label: str, widget: QWidget, accessible: str | None = None) -> None:
    widget.setAccessibleName(accessible or label.rstrip(":"))
    form.addRow(label, widget)


def _grid(*rows: tuple[tuple[str, QWidget], ...]) -> QWidget:
    """Labelled inputs in columns (the case's own fields: two a row, to leave room for the parties)."""
    box = QWidget()
    grid = QGridLayout(box)
    grid.setContentsMargins(0, 0, 0, 0)
    for r, pairs in enumerate(rows):
        for c, (label, widget) in enumerate(pairs):
            text = QLabel(label)
            text.setBuddy(widget)
            widget.setAccessibleName(label.rstrip(":"))
            grid.addWidget(text, r, c * 2)
            grid.addWidget(widget, r, c * 2 + 1)
            grid.setColumnStretch(c * 2 + 1, 1)
    return box


def _beside(first: QWidget, label: str, *others: QWidget) -> QWidget:
    """Several short inputs on one form row (each keeps its own accessible name)."""
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(first, 1)
    if label:
        line.addWidget(QLabel(label))
    for w in others:
        line.addWidget(w, 1)
    return row


def _buttons(*actions: tuple[str, Callable[[], None]]) -> QHBoxLayout:
    row = QHBoxLayout()
    for text, slot in actions:
        button = QPushButton(text)
        button.setAccessibleName(text)
        button.clicked.connect(slot)
        row.addWidget(button)
    row.addStretch(1)
    return row
