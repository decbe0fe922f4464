"""Cases: every case the user may see, searched, filtered, sorted and paged by the database;
opening one shows the case view (and is logged); "New case…" opens the intake form."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import CaseStatus, DashRisk
from app.domain.permissions import Action
from app.services import case_queries, installation
from app.services.case_queries import CaseFilter, CaseListRow, CaseSort
from app.ui.context import AppContext, Change
from app.ui.dialogs.case_intake import CaseIntakeDialog
from app.ui.errors import attempt
from app.ui.labels import human
from app.ui.models.case_table import CaseRoles, CaseTableModel
from app.ui.sections.base import Section
from app.ui.sections.case_view import CaseView
from app.ui.widgets import SearchBox, heading, table_view, text_width


def _combo(accessible: str, any_text: str, items: Sequence[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(accessible)
    combo.addItem(any_text, None)
    for text, data in items:
        combo.addItem(text, data)
    return combo


class CasesSection(Section):
    title = "Cases"
    icon_name = "cases"
    description = "Every case you may see"
    person_requested = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        bodies = {f.code: f.name for f in installation.list_forces(ctx.uow())}
        self.model = CaseTableModel(self._page, bodies, self)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_list())
        self.view = CaseView(ctx)
        self.view.back.connect(self.show_list)
        self.view.person_requested.connect(self.person_requested)
        self.pages.addWidget(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        ctx.changed.connect(self._changed)

    # -- building ---------------------------------------------------------------------------
    def _build_list(self) -> QWidget:
        page = QWidget()
        self.search = SearchBox("Search reference, subject, staff number or crime reference   (Ctrl+F)",
                                "Search cases")
        self.search.search.connect(lambda _t: self.apply_filter())
        self.search.returnPressed.connect(self._open_single)  # after the search Enter runs at once
        self.count = QLabel()
        self.count.setObjectName("countLabel")
        self.count.setAccessibleName("Number of cases")
        self.table = table_view(self.model, "Case list", sortable=True)
        self.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        self.table.activated.connect(self._activated_row)
        self._size_columns()
        self.new_button = QPushButton("New case…")
        self.new_button.setAccessibleName("New case")
        self.new_button.setToolTip("Record a new case (Ctrl+N)")
        self.new_button.clicked.connect(self.new_case)
        self.new_button.setVisible(self.ctx.may(Action.EDIT_CASE))
        self.intake_dialog: CaseIntakeDialog | None = None
        top = QHBoxLayout()
        top.addWidget(heading("Cases"))
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addLayout(self._build_filters())
        layout.addWidget(self.table, 1)
        return page

    def _build_filters(self) -> QHBoxLayout:
        self.status = _combo("Status filter", "Any status", [(human(s.name), s) for s in CaseStatus])
        self.risk = _combo("Risk filter", "Any risk", [(human(r.name), r) for r in reversed(DashRisk)])
        self.year = _combo("Year received filter", "Any year", [])
        self.overdue = QCheckBox("Overdue")
        self.overdue.setAccessibleName("Only overdue cases")
        self.external = QCheckBox("External investigation")
        self.external.setAccessibleName("Only externally investigated cases")
        for combo in (self.status, self.risk, self.year):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        for box in (self.overdue, self.external):
            box.toggled.connect(lambda _c: self.apply_filter())
        clear = QPushButton("Clear filters")
        clear.setAccessibleName("Clear filters")
        clear.clicked.connect(self.clear_filters)
        filters = QHBoxLayout()
        for w in (self.status, self.risk, self.year, self.overdue, self.external, clear):
            filters.addWidget(w)
        filters.addStretch(1)
        filters.addWidget(self.count)
        return filters

    def _size_columns(self) -> None:
        """Fixed-format columns fit their contents; subjects, abuse types and restriction share the rest."""
        t, header = self.table, self.table.horizontalHeader()
        samples = {0: "PSD-0000-000000", 1: "00 Mmm 0000", 4: "Standard", 6: "Home force", 7: "Disposed",
                   8: "Overdue, Repeat"}
        for column, sample in samples.items():
            t.setColumnWidth(column, text_width(t, sample, self.model.COLUMNS[column].title))
        for column in (2, 3, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)

    # -- data -------------------------------------------------------------------------------
    def _page(self, f: CaseFilter, o: CaseSort, offset: int, limit: int) -> list[CaseListRow]:
        return case_queries.list_cases(self.ctx.uow(), self.ctx.user, f, o, offset=offset, limit=limit)

    def current_filter(self) -> CaseFilter:
        status, risk = self.status.currentData(), self.risk.currentData()  # Qt keeps enum names as str
        return CaseFilter(text=self.search.text().strip(), status=CaseStatus[status] if status else None,
                          overdue=self.overdue.isChecked(), external=self.external.isChecked(),
                          risk=DashRisk[risk] if risk else None, year=self.year.currentData())

    def apply_filter(self) -> None:
        if not self._activated:
            return
        f = self.current_filter()
        total = case_queries.count_cases(self.ctx.uow(), self.ctx.user, f)
        self.model.query(f, none=total == 0)  # a search matching nothing costs one query, not two
        self.count.setText(f"{total:,} case{'s' if total != 1 else ''}")
        self._total = total

    def _open_single(self) -> None:
        """Enter in the search box opens the case when the search found exactly one."""
        if not self._activated or getattr(self, "_total", 0) != 1 or not self.search.text().strip():
            return
        rows = self._page(self.current_filter(), CaseSort(), 0, 1)
        if rows:
            self.open_case(rows[0].id)

    def refresh(self) -> None:
        self._activated = True
        self._fill_years()
        self.apply_filter()

    def _fill_years(self) -> None:
        chosen = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem("Any year", None)
        for y in case_queries.case_years(self.ctx.uow(), self.ctx.user):
            self.year.addItem(f"Received {y}", y)
        self.year.setCurrentIndex(max(0, self.year.findData(chosen)))
        self.year.blockSignals(False)

    def clear_filters(self) -> None:
        for w in (self.status, self.risk, self.year, self.overdue, self.external, self.search):
            w.blockSignals(True)
        self.search.clear()
        for combo in (self.status, self.risk, self.year):
            combo.setCurrentIndex(0)
        self.overdue.setChecked(False)
        self.external.setChecked(False)
        for w in (self.status, self.risk, self.year, self.overdue, self.external, self.search):
            w.blockSignals(False)
        self.apply_filter()

    def _changed(self, what: str) -> None:
        if what == Change.CASES.value and self._activated:
            self.refresh()

    # -- navigation -------------------------------------------------------------------------
    def _activated_row(self, index: QModelIndex) -> None:
        self.open_case(int(self.model.data(index, CaseRoles.CASE_ID)))

    def open_case(self, case_id: int) -> bool:
        detail = attempt(self, case_queries.open_case, self.ctx.uow(), self.ctx.user, case_id)
        if detail is None:
            return False
        self.view.show_case(detail)
        self.pages.setCurrentWidget(self.view)
        return True

    def new_case(self) -> CaseIntakeDialog:
        dialog = CaseIntakeDialog(self.ctx, self)
        dialog.created.connect(self.open_case)
        dialog.finished.connect(lambda _r: setattr(self, "intake_dialog", None))
        self.intake_dialog = dialog
        dialog.open()
        return dialog

    def show_list(self) -> None:
        self.view.clear()
        self.pages.setCurrentIndex(0)
        self.table.setFocus()

    def focus_search(self) -> None:
        self.show_list()
        self.search.setFocus()
        self.search.selectAll()

    def on_lock(self) -> None:
        self.view.hide_revealed()
