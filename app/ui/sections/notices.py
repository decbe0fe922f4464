"""Notices: the review queue of candidate prior-notice matches, side by side (notice against the
person in the register), with score and reasons; confirm or reject with triage outcome and
rationale; open a PPDA case from a confirmed domestic-abuse notice; record the vetting review;
run a whole data wash in a worker behind a cancellable progress dialog."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import MatchState
from app.domain.permissions import Action
from app.services import matching, notice_review
from app.services.matching import WashSummary
from app.services.notice_review import MatchView
from app.ui import settings
from app.ui.context import AppContext, Change
from app.ui.dialogs.notice_case import NoticeCaseDialog
from app.ui.dialogs.notice_decision import ConfirmMatchDialog, RejectMatchDialog, VettingReviewDialog
from app.ui.errors import attempt, show_failure, show_message
from app.ui.labels import day, human
from app.ui.models.notice_tables import HIDDEN_CASE, MatchRoles, MatchTableModel
from app.ui.sections.base import Section
from app.ui.signals import emit
from app.ui.widgets import fit_columns, heading, note, table_view
from app.ui.workers import CancellableUnitOfWork, CancelToken, Task, run_with_progress

_EVIDENCE = re.compile(r"^(.*) \((strong evidence|evidence|weak evidence) (for|against)\)$")
STATES = (("Awaiting review", MatchState.PROPOSED), ("Confirmed", MatchState.CONFIRMED),
          ("Rejected", MatchState.REJECTED))


def comparison_html(m: MatchView, force_name: Callable[[str], str] = lambda code: code) -> str:
    """The notice and the person side by side, then the evidence that moved the score."""
    year_only = m.notice_dob and m.notice_dob_year_only
    born = str(m.notice_dob.year) + " (only the year is known)" if year_only and m.notice_dob else day(m.notice_dob)
    rows = (("Name", m.notice_name, m.person_name), ("Date of birth", born, day(m.person_dob)),
            ("Identifiers", m.notice_identifiers, f"staff {m.staff_number}"),
            ("Previous names", "", m.person_previous_names),
            ("Issuer / unit", force_name(m.issuing_force), m.person_unit or ""),
            ("Record type / status", human(m.record_type), human(m.person_status)),
            ("Notice date", day(m.notice_date), ""), ("Summary", m.summary or "", ""),
            ("Handling", m.handling or "", ""))
    body = "".join(f"<tr><td width='24%'><b>{html.escape(k)}</b></td><td width='38%'>{html.escape(a or '—')}</td>"
                   f"<td width='38%'>{html.escape(b or '—')}</td></tr>" for k, a, b in rows)
    decided = ""
    if m.state != MatchState.PROPOSED.name:
        decided = (f"<p><b>{human(m.state)}</b>: triage {html.escape(human(m.triage_outcome))}. "
                   f"Rationale: {html.escape(m.rationale or '')}</p>")
    if m.state == MatchState.CONFIRMED.name:
        decided += "".join(f"<p><b>{k}:</b> {html.escape(v)}</p>" for k, v in follow_up(m))
    return (f"<p><b>Score {m.score:.2f}</b> ({human(m.decision)}): {html.escape(score_meaning(m.score, m.reasons))}</p>"
            "<table cellspacing='0' cellpadding='4' width='100%'>"
            "<tr><th align='left'></th><th align='left'>Notice</th><th align='left'>Person in the register</th></tr>"
            f"{body}</table>{evidence_html(m.reasons)}{_why_not_higher(m)}{decided}")


def _why_not_higher(m: MatchView) -> str:
    """For a pair left to review: why evidence that all speaks for it still leaves the score short."""
    if m.decision != "REVIEW" or m.state != MatchState.PROPOSED.name:
        return ""
    return ("<p><i>Why the score is not higher: before anything is compared, a notice is most likely about "
            "nobody in this register (most notices in an extract are about other people), so the evidence "
            "for a pair has to outweigh that. A common name, a date of birth that only nearly agrees, or a "
            "date of birth missing count for less than a rare name and a date that agrees exactly.</i></p>")


def score_meaning(score: float, reasons: tuple[str, ...] = ()) -> str:
    """What a (calibrated) score says, in words."""
    if score >= 1.0 and any(r.startswith(("staff number the same", "warrant number the same", "PNC id the same"))
                            for r in reasons):
        return "an identifier recorded on both sides agrees"
    if score >= 0.995:
        return "of pairs scored like this, more than 99 in 100 are the same person"
    return f"of pairs scored like this, about {round(score * 100)} in 100 are the same person"


def evidence_html(reasons: tuple[str, ...]) -> str:
    """The evidence that moved the score, for and against, strongest first, as the matching gave it
    ("date of birth: day and month swapped (strong evidence for)"); anything else to note after."""
    groups: dict[str, list[str]] = {"for": [], "against": [], "note": []}
    for reason in reasons:
        found = _EVIDENCE.match(reason)
        if found:
            text, strength, side = found.groups()
            label = {"strong evidence": " — <b>strong</b>", "weak evidence": " — weak"}.get(strength, "")
            groups[side].append(f"<li>{html.escape(text)}{label}</li>")
        else:
            groups["note"].append(f"<li>{html.escape(reason)}</li>")
    parts = [f"<p><b>{title}</b></p><ul>{''.join(items)}</ul>" for title, items in
             (("What speaks for the pair", groups["for"]), ("What speaks against it", groups["against"]),
              ("To note", groups["note"])) if items]
    return "".join(parts) or "<p><b>Evidence</b>: none given</p>"


def follow_up(m: MatchView) -> list[tuple[str, str]]:
    """What became of a confirmed match: its vetting review and the case opened from it."""
    review = f"recorded {day(m.vetting_reviewed_on)}: {m.vetting_result}" if m.vetting_done else "due"
    shown = [("Vetting review", review)]
    if m.case_linked:
        shown.append(("Linked case", m.linked_case or HIDDEN_CASE))
    elif m.offers_case:
        shown.append(("Linked case", "none yet"))
    return shown


def _label(button: QPushButton, text: str, enabled: bool) -> None:
    button.setText(text)
    button.setAccessibleName(text.rstrip("…"))
    button.setEnabled(enabled)


class NoticesSection(Section):
    title = "Notices"
    icon_name = "shield"
    description = "Prior notices from other forces: candidate matches to review"
    count_changed = Signal(int)  # pairs awaiting review

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = MatchTableModel(self, ctx.force_name)
        self.task: Task | None = None
        self.dialog: QDialog | None = None
        self.awaiting = 0
        self.state = QComboBox()
        self.state.setAccessibleName("Show pairs")
        for text, state in STATES:
            self.state.addItem(text, state.name)
        self.state.currentIndexChanged.connect(lambda _i: self.refresh())
        self.wash_button = QPushButton("Run data wash…")
        self.wash_button.setAccessibleName("Run data wash")
        self.wash_button.setToolTip("Match the whole workforce against every notice held")
        self.wash_button.clicked.connect(self.choose_wash)
        self.wash_button.setVisible(ctx.may(Action.DATA_WASH))
        self.wash_report = QCheckBox("with CSV report")
        self.wash_report.setToolTip("Also write every candidate pair, with score and reasons, to a CSV file")
        self.wash_report.setVisible(ctx.may(Action.DATA_WASH))
        self.undated = note("")
        self.undated.setAccessibleName("Notices without a date of birth not put to review")
        self.undated.setVisible(False)
        self.count = QLabel()
        self.count.setObjectName("countLabel")
        self.count.setAccessibleName("Number of pairs")
        top = QHBoxLayout()
        for w in (heading("Notices"), QLabel("Show:"), self.state):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.count)
        top.addWidget(self.wash_report)
        top.addWidget(self.wash_button)
        self.table = table_view(self.model, "Candidate matches")
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.detail = QLabel()
        self.detail.setObjectName("comparison")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAccessibleName("Notice and person side by side")
        self.confirm_button = QPushButton("Confirm…")
        self.reject_button = QPushButton("Reject…")
        self.case_button = QPushButton("Open PPDA case…")
        self.vetting_button = QPushButton("Record vetting review…")
        self.confirm_button.setObjectName("primary")
        for b, slot in ((self.confirm_button, self.confirm), (self.reject_button, self.reject),
                        (self.case_button, self.open_case), (self.vetting_button, self.record_vetting)):
            b.setAccessibleName(b.text().rstrip("…"))
            b.clicked.connect(slot)
        buttons = QHBoxLayout()
        for b in (self.confirm_button, self.reject_button, self.case_button, self.vetting_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        side = QWidget()
        side.setObjectName("comparisonPanel")
        column = QVBoxLayout(side)
        column.setContentsMargins(8, 0, 0, 0)
        scroll = QScrollArea()  # a long summary or rationale scrolls; the buttons stay in view
        scroll.setObjectName("comparisonScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.detail)
        column.addWidget(scroll, 1)
        column.addLayout(buttons)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(side)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([620, 560])  # room for the follow-up columns of a confirmed pair
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.undated)
        layout.addWidget(note("A reviewer confirms or rejects each pair with a rationale; a rejected pair is not "
                              "proposed again unless the notice or the person changes. You are never shown a "
                              "pair about yourself or someone you line-manage."))
        ctx.changed.connect(self._changed)
        self._update_buttons()
        self._counting = 0  # the latest count asked for (an older one arriving late is dropped)

    # -- loading ----------------------------------------------------------------------------
    def current_state(self) -> MatchState:
        return MatchState[self.state.currentData()]

    def refresh(self) -> None:
        self._activated = True
        chosen = self.selected()
        rows = attempt(self, notice_review.review_queue, self.ctx.uow(), self.ctx.user, self.current_state()) or []
        self.model.set_rows(rows)
        self._show_columns()
        fit_columns(self.table, 180)
        n = len(rows)
        self.count.setText(f"{n:,} {'pair' if n == 1 else 'pairs'}")
        self._show_undated(attempt(self, matching.undated_common_count, self.ctx.uow(), self.ctx.user) or 0)
        if self.current_state() == MatchState.PROPOSED:
            self._set_awaiting(n)
        ids = [r.match_id for r in rows]
        if chosen is not None and chosen.match_id in ids:
            self.table.selectRow(ids.index(chosen.match_id))
        elif rows:
            self.table.selectRow(0)
        self._show_selected()

    def _show_undated(self, n: int) -> None:
        """Notices with no date of birth (or only a year) whose name is too common in the register
        to review are counted here, never silently dropped."""
        self.undated.setVisible(n > 0)
        self.undated.setText(
            f"{n:,} {'notice' if n == 1 else 'notices'} without a date of birth (or with only a year) "
            f"{'names' if n == 1 else 'name'} people too common in the register to put to review: ask the issuer "
            "for the date of birth. A data wash report lists them as NO_DOB.")

    def _show_columns(self) -> None:
        """Awaiting review: what the pair is; once decided: what became of it (the side panel
        still shows the score, the issuer and the name on the notice)."""
        proposed = self.current_state() == MatchState.PROPOSED
        confirmed = self.current_state() == MatchState.CONFIRMED
        self.table.setColumnHidden(MatchTableModel.ISSUER_COLUMN, True)  # the person column needs the room
        for column in MatchTableModel.PROPOSED_ONLY_COLUMNS:
            self.table.setColumnHidden(column, not proposed)
        triage, vetting, linked = MatchTableModel.DECIDED_COLUMNS  # a confirmed pair's triage is in the side panel
        self.table.setColumnHidden(triage, self.current_state() != MatchState.REJECTED)
        self.table.setColumnHidden(vetting, not confirmed)
        self.table.setColumnHidden(linked, not confirmed)

    def refresh_count(self) -> Task | None:
        """The number awaiting review, for the navigation label: counted in a worker, without
        loading (or logging a consultation of) the queue, which loads when the section is opened."""
        if not self.ctx.may(Action.TRIAGE_NOTICE) or self._activated:
            return None
        self._counting += 1
        asked, uow, user = self._counting, self.ctx.uow(), self.ctx.user
        task = Task(lambda _token: notice_review.pending_count(uow, user), self)
        task.succeeded.connect(lambda n: self._counted(asked, n))
        task.failed.connect(lambda exc: show_failure(self, exc))
        task.start()
        return task

    def _counted(self, asked: int, n: int) -> None:
        if asked == self._counting and not self._activated:
            self._set_awaiting(n)

    def _set_awaiting(self, n: int) -> None:
        if n != self.awaiting:
            self.awaiting = n
            emit(self.count_changed, n)

    def nav_title(self) -> str:
        return f"{self.title} ({self.awaiting})" if self.awaiting else self.title

    def _changed(self, what: str) -> None:
        if what in (Change.NOTICES.value, Change.PEOPLE.value, Change.CASES.value):
            if self._activated:
                self.refresh()
            else:
                self.refresh_count()

    def selected(self) -> MatchView | None:
        index = self.table.currentIndex()
        return self.model.data(index, MatchRoles.ROW) if index.isValid() else None

    def open_notice(self, notice_id: str) -> bool:
        return self.show_notice(notice_id)

    def show_notice(self, notice_id: str) -> bool:
        """Select the (first) pair for this notice: awaiting review if any, else confirmed."""
        for i in range(2):  # awaiting review, then confirmed
            self.state.setCurrentIndex(i)
            if not self._activated:
                self.refresh()
            for row, m in enumerate(self.model.rows()):
                if m.notice_id == notice_id:
                    self.table.selectRow(row)
                    # In the middle of the list, not half hidden under its bottom edge.
                    self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
                    self.table.setFocus()
                    return True
        self.state.setCurrentIndex(0)
        return False

    def _show_selected(self) -> None:
        m = self.selected()
        self.detail.setText(comparison_html(m, self.ctx.force_name) if m else
                            "Choose a pair to compare the notice with the person.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        m = self.selected()
        proposed = m is not None and m.state == MatchState.PROPOSED.name
        confirmed = m is not None and m.state == MatchState.CONFIRMED.name
        self.confirm_button.setEnabled(proposed)
        self.reject_button.setEnabled(proposed)
        decided = self.current_state() != MatchState.PROPOSED  # nothing left to confirm or reject here
        self.confirm_button.setVisible(not decided)
        self.reject_button.setVisible(not decided)
        self.case_button.setVisible(confirmed and m is not None and m.offers_case and self.ctx.may(Action.EDIT_CASE))
        self.vetting_button.setVisible(confirmed and self.ctx.may(Action.DECIDE))
        linked, reviewed = m is not None and m.case_linked, m is not None and m.vetting_done
        _label(self.case_button, "Case linked" if linked else "Open PPDA case…", not linked)
        _label(self.vetting_button, "Vetting review recorded" if reviewed else "Record vetting review…", not reviewed)

    # -- decisions --------------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.open()
        return dialog

    def confirm(self) -> ConfirmMatchDialog | None:
        m = self.selected()
        if m is None or m.state != MatchState.PROPOSED.name:
            return None
        dialog = ConfirmMatchDialog(self.ctx, m, self)
        dialog.accepted.connect(lambda: self._confirmed(dialog))
        self._open(dialog)
        return dialog

    def _confirmed(self, dialog: ConfirmMatchDialog) -> None:
        view = dialog.confirmed
        if view is not None and view.offers_case and self.ctx.may(Action.EDIT_CASE):
            QTimer.singleShot(0, lambda: self.offer_case(view))

    def offer_case(self, view: MatchView) -> NoticeCaseDialog:
        dialog = NoticeCaseDialog(self.ctx, view, self)
        dialog.accepted.connect(lambda: show_message(self, "Case opened",
                                                     f"Case {dialog.reference} was opened and linked to notice "
                                                     f"{view.notice_id}."))
        self._open(dialog)
        return dialog

    def reject(self) -> RejectMatchDialog | None:
        m = self.selected()
        if m is None or m.state != MatchState.PROPOSED.name:
            return None
        return self._open(RejectMatchDialog(self.ctx, m, self))  # type: ignore[return-value]

    def open_case(self) -> NoticeCaseDialog | None:
        m = self.selected()
        return self.offer_case(m) if m is not None and not m.case_linked else None

    def record_vetting(self) -> VettingReviewDialog | None:
        m = self.selected()
        if m is None or m.vetting_done:
            return None
        return self._open(VettingReviewDialog(self.ctx, m, self))  # type: ignore[return-value]

    # -- data wash --------------------------------------------------------------------------
    def choose_wash(self) -> None:
        out: Path | None = None
        if self.wash_report.isChecked():
            folder = Path(settings.read(settings.LAST_FOLDER) or str(Path.home()))
            path, _ = QFileDialog.getSaveFileName(self, "Data wash report", str(folder / "data-wash.csv"),
                                                  "CSV (*.csv)")
            if not path:
                return
            out = Path(path)
            settings.write(settings.LAST_FOLDER, str(out.parent))
        self.run_wash(out)

    def run_wash(self, out: Path | None = None) -> Task:
        uow, user = self.ctx.uow(), self.ctx.user

        def work(token: CancelToken) -> WashSummary:
            return matching.data_wash(CancellableUnitOfWork(uow, token), user, out)

        self.task = run_with_progress(self, "Matching the whole workforce against every notice held…", work)
        self.task.succeeded.connect(self._washed)
        self.task.failed.connect(lambda exc: show_failure(self, exc))
        return self.task

    def _washed(self, summary: WashSummary) -> None:
        show_message(self, "Data wash finished", str(summary))
        self.ctx.notify(Change.NOTICES)

    def focus_search(self) -> None:
        self.table.setFocus()
