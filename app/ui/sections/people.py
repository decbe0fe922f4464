"""People: the workforce register (searched and paged by the database) and a person's page."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QStackedWidget, QVBoxLayout, QWidget

from app.domain.permissions import Action
from app.services import people_queries
from app.services.people_queries import PersonDetail
from app.ui.context import AppContext, Change
from app.ui.dialogs.decision_form import DecisionDialog
from app.ui.dialogs.person_actions import leaving
from app.ui.errors import attempt
from app.ui.labels import day, human, human_list, plain_harm
from app.ui.models.people_tables import (
    HarmRoles,
    HarmTableModel,
    PersonCaseRoles,
    PersonCaseTableModel,
    PersonRoles,
    PersonTableModel,
)
from app.ui.sections.base import Section
from app.ui.signals import emit
from app.ui.widgets import FactGrid, SearchBox, back_button, fit_columns, heading, note, table_view


class PersonView(QWidget):
    back = Signal()
    case_requested = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personView")
        self.setAccessibleName("Person")
        self.ctx = ctx
        self.person_id = 0
        self.cases = PersonCaseTableModel(self)
        back = back_button("People", "Back to the workforce register", self)
        back.clicked.connect(self.back)
        self.title = heading("")
        self.status = QLabel()
        self.status.setObjectName("statusChip")
        self.status.setAccessibleName("Employment status")
        self.detail: PersonDetail | None = None
        self.leaving_dialog: DecisionDialog | None = None
        self.leaving_button = QPushButton("Record leaving…")
        self.leaving_button.setAccessibleName("Record leaving the force")
        self.leaving_button.setToolTip("Record that they resigned, retired, were dismissed or transferred out")
        self.leaving_button.clicked.connect(self.record_leaving)
        self.leaving_button.setVisible(ctx.may(Action.IMPORT_WORKFORCE))  # who keeps the register
        bar = QHBoxLayout()
        for w in (back, self.title, self.status):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.leaving_button)
        self.facts = FactGrid(columns=3)
        self.flags = QLabel()
        self.flags.setObjectName("flagPanel")
        self.flags.setWordWrap(True)
        self.flags.setAccessibleName("Flags and harm ranking")
        self.flags.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cases_note = note("")
        self.case_table = table_view(self.cases, "Cases as subject")
        self.case_table.activated.connect(self._case_activated)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.facts)
        layout.addWidget(self.flags)
        layout.addWidget(heading("Cases as subject", 2))
        layout.addWidget(self.cases_note)
        layout.addWidget(self.case_table, 1)

    def show_person(self, p: PersonDetail) -> None:
        self.person_id = p.id
        self.detail = p
        self.title.setText(f"{p.surname}, {p.forenames} ({p.staff_number})")
        self.status.setText(human(p.employment_status))
        self.status.setProperty("state", "open" if p.employment_status == "SERVING" else "closed")
        self.status.style().polish(self.status)
        self.facts.set_facts([
            ("Workforce type", human(p.workforce_type)), ("Rank or grade", p.rank_or_grade or ""),
            ("Unit", p.unit or ""), ("Warrant number", p.warrant_number or ""),
            ("Date of birth", day(p.date_of_birth)), ("Sex", human(p.sex)),
            ("Line manager", p.line_manager or ""), ("Previous names", "; ".join(p.previous_names)),
            ("Previous forces", ", ".join(p.previous_forces)),
            ("Role flags", human_list(p.role_flags) or "None"), ("Started", day(p.start_date)),
            ("Left", day(p.end_date)),
            ("Vetting", f"{p.vetting_level or 'Not recorded'}"
                        + (f", review due {day(p.vetting_review_due)}" if p.vetting_review_due else "")),
            ("Barred / advisory list", human(p.list_status)),
        ])
        self.show_flags(p)
        self.cases.set_rows(p.cases)
        fit_columns(self.case_table)
        self.case_table.setFocus()
        self.case_table.setVisible(p.cases_shown)
        if not p.cases_shown:
            self.cases_note.setText("Case content is not shown to your role.")
        elif not p.cases:
            self.cases_note.setText("No case that you may see names this person as a subject.")
        else:
            self.cases_note.setText("Only the cases you may see are listed. Open one with Enter or a double-click.")

    def show_flags(self, p: PersonDetail) -> None:
        """Prior notice, repeat and serial flags with their reasons, and the RFGV harm score."""
        lines = []
        if p.flags:
            chips = " ".join(f"<span style='background:#a3262a;color:white'>&nbsp;{html.escape(human(f))}&nbsp;</span>"
                             for f in p.flags)
            lines.append(f"<b>Flags:</b> {chips}")
            lines += [f"&nbsp;&nbsp;• {html.escape(r[:1].upper() + r[1:])}" for r in p.flag_reasons]
        if p.harm is not None:
            explained = html.escape(plain_harm(p.harm.explanation))
            lines.append(f"<b>Harm ranking: {p.harm.score:g}</b> — {explained}")
        self.flags.setText("<br>".join(lines))
        self.flags.setVisible(bool(lines))

    def record_leaving(self) -> DecisionDialog | None:
        if self.detail is None:
            return None
        dialog = DecisionDialog(self.ctx, leaving(self.ctx, self.detail), self)
        dialog.finished.connect(lambda _r: setattr(self, "leaving_dialog", None))
        self.leaving_dialog = dialog
        dialog.open()
        return dialog

    def _case_activated(self, index: QModelIndex) -> None:
        emit(self.case_requested, int(self.cases.data(index, PersonCaseRoles.CASE_ID)))


class HarmView(QWidget):
    """The highest-harm subjects by RFGV score, each explained (supervisors)."""

    back = Signal()
    person_requested = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Highest harm")
        self.model = HarmTableModel(self)
        back = back_button("People", "Back to the workforce register", self)
        back.clicked.connect(self.back)
        self.limit = QSpinBox()
        self.limit.setRange(1, 500)
        self.limit.setValue(20)
        self.limit.setPrefix("Top ")
        self.limit.setAccessibleName("How many people to list")
        self.limit.valueChanged.connect(lambda _v: self.refresh())
        bar = QHBoxLayout()
        for w in (back, heading("Highest harm"), self.limit):
            bar.addWidget(w)
        bar.addStretch(1)
        self.table = table_view(self.model, "Highest harm subjects")
        self.table.activated.connect(
            lambda index: emit(self.person_requested, int(self.model.data(index, HarmRoles.PERSON_ID))))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(note("Subjects ranked by how recent, how frequent and how grave their allegations are and "
                              "how many victims there are. How much each counts is set in Policies (Administration). "
                              "Open a person with Enter or a double-click."))
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        rows = attempt(self, people_queries.harm_ranking, self.ctx.uow(), self.ctx.user, self.limit.value())
        self.model.set_rows(rows or [])
        fit_columns(self.table, 260)


class PeopleSection(Section):
    title = "People"
    icon_name = "people"
    description = "The workforce register"
    case_requested = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = PersonTableModel(self)
        self._fitted = False
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_list())
        self.view = PersonView(ctx)
        self.view.back.connect(self.show_list)
        self.view.case_requested.connect(self.case_requested)
        self.pages.addWidget(self.view)
        self.harm = HarmView(ctx)
        self.harm.back.connect(self.show_list)
        self.harm.person_requested.connect(self.open_person)
        self.pages.addWidget(self.harm)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        ctx.changed.connect(self._changed)

    def _build_list(self) -> QWidget:
        page = QWidget()
        self.search = SearchBox("Search staff number, warrant number, name or previous name   (Ctrl+F)",
                                "Search people")
        self.search.search.connect(self._search)
        self.count = QLabel()
        self.count.setObjectName("countLabel")
        self.count.setAccessibleName("Number of people")
        self.table = table_view(self.model, "Workforce register")
        self.table.activated.connect(self._activated_row)
        top = QHBoxLayout()
        top.addWidget(heading("People"))
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        if self.ctx.may(Action.DECIDE):
            self.harm_button = QPushButton("Highest harm…")
            self.harm_button.setAccessibleName("Highest harm")
            self.harm_button.setToolTip("Subjects ranked by RFGV harm score, each explained")
            self.harm_button.clicked.connect(self.show_harm)
            top.addWidget(self.harm_button)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        return page

    def _search(self, text: str) -> None:
        uow, user = self.ctx.uow, self.ctx.user
        self.model.load(
            lambda offset, limit: people_queries.search_people(uow(), user, text, offset=offset, limit=limit))
        if not self._fitted and self.model.rowCount():
            fit_columns(self.table, 300)
            self._fitted = True
        total = people_queries.count_people(uow(), user, text)
        self.count.setText(f"{total:,} {'person' if total == 1 else 'people'}")

    def refresh(self) -> None:
        self._activated = True
        self._search(self.search.text().strip())

    def _changed(self, what: str) -> None:
        if what in (Change.PEOPLE.value, Change.NOTICES.value, Change.CASES.value) and self._activated:
            self.refresh()
            if self.pages.currentWidget() is self.view:
                self.open_person(self.view.person_id)

    def _activated_row(self, index: QModelIndex) -> None:
        self.open_person(int(self.model.data(index, PersonRoles.PERSON_ID)))

    def open_person(self, person_id: int) -> bool:
        detail = attempt(self, people_queries.open_person, self.ctx.uow(), self.ctx.user, person_id)
        if detail is None:
            return False
        self.view.show_person(detail)
        self.pages.setCurrentWidget(self.view)
        return True

    def show_harm(self) -> None:
        self.harm.refresh()
        self.pages.setCurrentWidget(self.harm)
        self.harm.table.setFocus()

    def show_list(self) -> None:
        self.pages.setCurrentIndex(0)
        self.table.setFocus()

    def focus_search(self) -> None:
        self.show_list()
        self.search.setFocus()
        self.search.selectAll()
