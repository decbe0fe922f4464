"""New case: the intake form — when and how it came in, the victims (relationship, DASH, contact
details) and the allegations (subject picked from the workforce register, abuse types, aggravating
features, criminal and crime reference). app.services.casework.create_case validates and refuses
with the field it is about; the dialog closes only when the case is created."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import Enum

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLayout, QLineEdit, QListWidget,
    QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from app.domain.enums import AbuseType, AggravatingFeature, CaseType, DashRisk, ReportingRoute, Role, VictimRelationship
from app.domain.errors import ExpectedError
from app.services import casework as cw
from app.services import clock, people_queries
from app.ui.context import AppContext, Change
from app.ui.dialogs.forms import FormDialog
from app.ui.labels import human
from app.ui.signals import emit


def _combo(accessible: str, members: Sequence[Enum], none: str | None = None) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(accessible)
    if none is not None:
        combo.addItem(none, None)
    for m in members:
        combo.addItem(human(m.name), m.name)
    return combo


def _date(accessible: str) -> QDateEdit:
    today = clock.today()
    edit = QDateEdit(QDate(today.year, today.month, today.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd MMM yyyy")
    edit.setAccessibleName(accessible)
    return edit


def _day(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


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


class SubjectPicker(QWidget):
    """Search the workforce register; the chosen person's staff number is the subject."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.search = QLineEdit()
        self.search.setPlaceholderText("Type a surname or staff number")
        self.search.setAccessibleName("Search the workforce register")
        self.search.textEdited.connect(self.find_people)
        self.results = QComboBox()
        self.results.setAccessibleName("Subject")
        self.results.setMinimumWidth(260)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.search, 1)
        row.addWidget(self.results, 3)

    def find_people(self, text: str) -> None:
        self.results.clear()
        if len(text.strip()) < 2:
            return
        for p in people_queries.search_people(self.ctx.uow(), self.ctx.user, text.strip(), limit=25):
            self.results.addItem(f"{p.surname}, {p.forenames} ({p.staff_number}) — {p.rank_or_grade or ''} "
                                 f"{p.unit or ''}".strip(), p.staff_number)

    def staff_number(self) -> str:
        return str(self.results.currentData() or "")


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
        self.add_field("Received:", self.received)
        self.add_field("Reporting route:", self.route)
        self.add_field("Case type:", self.case_type)
        self.case_type.setCurrentIndex(self.case_type.findData(CaseType.CONDUCT_MATTER.name))
        self.crime_refs = self.line("Crime references:", placeholder="Comma separated")
        self.declare = QCheckBox("I declare no prior connection to the subjects or victims")
        self.declare.setAccessibleName("I declare no prior connection")
        self.declare.setVisible(ctx.user.has(Role.INVESTIGATOR))
        parts = QHBoxLayout()
        parts.addWidget(self._victim_box(), 2)
        parts.addWidget(self._allegation_box(), 3)
        self.body.insertLayout(3, parts)
        self.body.insertWidget(4, self.declare)
        self.body.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.resize(1180, 640)

    # -- victims ----------------------------------------------------------------------------
    def _victim_box(self) -> QGroupBox:
        box = QGroupBox("Victims")
        self.victim_list = QListWidget()
        self.victim_list.setAccessibleName("Victims added")
        self.victim_list.setMaximumHeight(54)
        self.victim_ref = QLineEdit("V1")
        self.relationship = _combo("Relationship", list(VictimRelationship))
        self.dash = _combo("DASH risk", list(DashRisk), "Not assessed")
        self.dash_date = _date("DASH date")
        self.contact = QPlainTextEdit()
        self.contact.setAccessibleName("Contact details")
        self.contact.setPlaceholderText("Telephone, address — shown only when revealed with a reason")
        self.contact.setFixedHeight(44)
        add = QPushButton("Add victim")
        add.setAccessibleName("Add victim")
        add.clicked.connect(self.add_victim)
        form = QFormLayout()
        for label, w in (("Reference:", self.victim_ref), ("Relationship:", self.relationship),
                         ("DASH risk:", self.dash), ("DASH date:", self.dash_date), ("Contact details:", self.contact)):
            w.setAccessibleName(label.rstrip(":"))
            form.addRow(label, w)
        layout = QVBoxLayout(box)
        layout.addWidget(self.victim_list)
        layout.addLayout(form)
        layout.addWidget(add)
        return box

    def _victim_input(self) -> cw.VictimInput:
        risk = self.dash.currentData()
        return cw.VictimInput(
            self.victim_ref.text().strip(), VictimRelationship[self.relationship.currentData()],
            dash_risk=DashRisk[risk] if risk else None, dash_date=_day(self.dash_date) if risk else None,
            contact_details=self.contact.toPlainText().strip() or None)

    def add_victim(self) -> None:
        if not self.victim_ref.text().strip():
            return
        v = self._victim_input()
        self.victims.append(v)
        self.victim_list.addItem(f"{v.reference} — {human(v.relationship.name)}"
                                 + (f", DASH {human(v.dash_risk.name)}" if v.dash_risk else ""))
        self.victim_ref.setText(f"V{len(self.victims) + 1}")
        self.contact.clear()

    # -- allegations ------------------------------------------------------------------------
    def _allegation_box(self) -> QGroupBox:
        box = QGroupBox("Allegations")
        self.allegation_list = QListWidget()
        self.allegation_list.setAccessibleName("Allegations added")
        self.allegation_list.setMaximumHeight(54)
        self.subject = SubjectPicker(self.ctx)
        self.victim_refs = QLineEdit()
        self.victim_refs.setPlaceholderText("Victim references, comma separated (all victims when empty)")
        self.abuse = CheckGrid(list(AbuseType), 2)
        self.features = CheckGrid(list(AggravatingFeature), 2)
        self.criminal = QCheckBox("Criminal allegation")
        self.crime_ref = QLineEdit()
        add = QPushButton("Add allegation")
        add.setAccessibleName("Add allegation")
        add.clicked.connect(self.add_allegation)
        form = QFormLayout()
        for label, w in (("Subject:", self.subject), ("Victims:", self.victim_refs), ("Abuse types:", self.abuse),
                         ("Aggravating features:", self.features), ("", self.criminal), ("Crime reference:", self.crime_ref)):
            w.setAccessibleName(label.rstrip(":") or "Criminal allegation")
            form.addRow(label, w)
        layout = QVBoxLayout(box)
        layout.addWidget(self.allegation_list)
        layout.addLayout(form)
        layout.addWidget(add)
        return box

    def _allegation_input(self) -> cw.AllegationInput:
        refs = tuple(r.strip() for r in self.victim_refs.text().split(",") if r.strip()) or \
            tuple(v.reference for v in self.victims)
        return cw.AllegationInput(
            self.subject.staff_number(), refs, frozenset(AbuseType[n] for n in self.abuse.chosen()),
            frozenset(AggravatingFeature[n] for n in self.features.chosen()), criminal=self.criminal.isChecked(),
            crime_ref=self.crime_ref.text().strip() or None)

    def add_allegation(self) -> None:
        if not self.subject.staff_number():
            self.say("Choose the subject: search the workforce register by surname or staff number.")
            return
        a = self._allegation_input()
        self.allegations.append(a)
        self.allegation_list.addItem(f"{self.subject.results.currentText()}: "
                                     + ", ".join(human(t.name) for t in sorted(a.abuse_types)))
        self.subject.search.clear()
        self.subject.results.clear()
        self.abuse.clear()
        self.features.clear()
        self.criminal.setChecked(False)
        self.crime_ref.clear()

    # -- OK ---------------------------------------------------------------------------------
    def intake(self) -> cw.CaseIntake:
        victims = list(self.victims)
        if self.victim_ref.text().strip() and all(v.reference != self.victim_ref.text().strip() for v in victims):
            victims.append(self._victim_input())
        allegations = list(self.allegations)
        if self.subject.staff_number():
            refs = tuple(r.strip() for r in self.victim_refs.text().split(",") if r.strip()) or \
                tuple(v.reference for v in victims)
            allegations.append(cw.AllegationInput(
                self.subject.staff_number(), refs, frozenset(AbuseType[n] for n in self.abuse.chosen()),
                frozenset(AggravatingFeature[n] for n in self.features.chosen()), criminal=self.criminal.isChecked(),
                crime_ref=self.crime_ref.text().strip() or None))
        return cw.CaseIntake(
            _day(self.received), ReportingRoute[self.route.currentData()], tuple(victims),
            tuple(allegations), CaseType[self.case_type.currentData()],
            tuple(r.strip() for r in self.crime_refs.text().split(",") if r.strip()),
            creator_declares_no_prior_connection=self.declare.isChecked())

    def accept(self) -> None:
        try:
            made = cw.create_case(self.ctx.uow(), self.ctx.user, self.intake())
        except ExpectedError as exc:
            self.say(exc.message)
            return
        self.ctx.notify(Change.CASES)
        emit(self.created, made.case_id)
        super().accept()
