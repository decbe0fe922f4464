"""Opening a PPDA case from a confirmed domestic-abuse notice: the intake prefilled from the notice
(reporting route, subject, summary), created and linked to the match in one transaction by
notice_review.open_case_for_match (a match linked meanwhile by someone else creates no case)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QGridLayout, QLineEdit, QPlainTextEdit, QWidget

from app.domain.enums import AbuseType, ReportingRoute, VictimRelationship
from app.domain.errors import ExpectedError, InvalidInput
from app.services import clock, notice_review
from app.services.casework.inputs import AllegationInput, CaseIntake, VictimInput
from app.services.notice_review import MatchView
from app.ui.context import AppContext, Change
from app.ui.dialogs.forms import FormDialog
from app.ui.labels import human


def route_for(match: MatchView) -> ReportingRoute:
    return ReportingRoute.PND_MATCH if match.issuing_force.upper() == "PND" else ReportingRoute.OTHER_FORCE_NOTICE


class NoticeCaseDialog(FormDialog):
    def __init__(self, ctx: AppContext, match: MatchView, parent: QWidget | None = None) -> None:
        super().__init__("Open a PPDA case from the notice",
                         f"Notice {match.notice_id} from {ctx.force_name(match.issuing_force)} "
                         "records a domestic-abuse incident "
                         f"involving {match.person_name} ({match.staff_number}). Open a PPDA case for it; the case is "
                         "linked to the confirmed match.", "Open case", parent)
        self.ctx, self.match = ctx, match
        self.case_id: int | None = None
        self.reference = ""
        today = clock.today()
        self.received = QDateEdit(QDate(today.year, today.month, today.day))
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("dd MMM yyyy")
        self.add_field("Received:", self.received)
        self.route = QComboBox()
        for r in ReportingRoute:
            self.route.addItem(human(r.name), r.name)
        self.route.setCurrentIndex(list(ReportingRoute).index(route_for(match)))
        self.add_field("Reporting route:", self.route)
        self.subject = QLineEdit(match.staff_number)
        self.subject.setReadOnly(True)
        self.add_field("Subject (staff number):", self.subject)
        self.victim = QLineEdit("V1")
        self.add_field("Victim reference:", self.victim)
        self.relationship = QComboBox()
        for v in VictimRelationship:
            self.relationship.addItem(human(v.name), v.name)
        self.add_field("Victim relationship:", self.relationship)
        self.types: dict[AbuseType, QCheckBox] = {}
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, t in enumerate(AbuseType):
            self.types[t] = QCheckBox(human(t.name))
            grid.addWidget(self.types[t], i // 3, i % 3)
        self.add_field("Abuse types:", box)
        self.summary = QPlainTextEdit(
            f"From notice {match.notice_id} ({ctx.force_name(match.issuing_force)}): {match.summary or ''}")
        self.summary.setMinimumHeight(70)
        self.summary.setTabChangesFocus(True)
        self.add_field("Summary:", self.summary)

    def intake(self) -> CaseIntake:
        d = self.received.date()
        types = frozenset(t for t, box in self.types.items() if box.isChecked())
        if not types:
            raise InvalidInput("allegations[1].abuse_types: at least one abuse type is needed.")
        ref = self.victim.text().strip()
        return CaseIntake(
            received_date=date(d.year(), d.month(), d.day()), reporting_route=ReportingRoute[self.route.currentData()],
            victims=(VictimInput(ref, VictimRelationship[self.relationship.currentData()]),),
            allegations=(AllegationInput(self.match.staff_number, (ref,), types,
                                         summary=self.summary.toPlainText().strip() or None),))

    def accept(self) -> None:
        try:
            created = notice_review.open_case_for_match(self.ctx.uow(), self.ctx.user, self.match.match_id,
                                                        self.intake())
        except ExpectedError as exc:
            self.say(exc.message)
            return
        self.case_id, self.reference = created.case_id, created.reference
        self.ctx.notify(Change.CASES)
        super().accept()
