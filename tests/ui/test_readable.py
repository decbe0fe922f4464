"""What the screens say reads as words: enumerated names inside service texts (queue details,
access-log details, refusals), the role a queue item falls to, the force that issued a notice; the
notices table shows what became of a decided pair; a co-signer signing in clears the refusal that
asked for one; the team filter names each team once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.enums import DueItemKind, MatchState, Role, TriageOutcome
from app.services import notice_review
from app.services.queue import QueueItem
from app.ui.dialogs.decision_approver import ApproverField
from app.ui.dialogs.decision_form import ActionSpec, DecisionDialog, Field
from app.ui.labels import human_text
from app.ui.models.notice_tables import MatchTableModel
from app.ui.models.queue_table import QueueTableModel
from tests.ui.conftest import OpenWindow
from tests.ui.sample_data import Sample
from tests.ui.test_notices import notices_section, shown_text, with_notices


def test_enumerated_names_in_a_text_read_as_words_and_references_stay() -> None:
    assert human_text("ASSIGNMENT") == "Assignment"
    assert human_text("user added with roles HEAD_OF_PSD") == "user added with roles Head of PSD"
    assert human_text("June Henry: ADVISORY list: resigned") == "June Henry: Advisory list: resigned"
    assert human_text("may only propose: co-signed by a SUPERVISOR or HEAD_OF_PSD") == \
        "may only propose: co-signed by a Supervisor or Head of PSD"
    for kept in ("case PSD-2024-000159", "CR-2022-1 and PND", "notice names WEST-MIDLANDS", "IOPC referral", ""):
        assert human_text(kept) == kept


def test_a_queue_item_names_the_role_it_falls_to_in_words() -> None:
    model = QueueTableModel()
    model.set_rows([
        QueueItem("PSD-1", 1, DueItemKind.LIST_NOTIFICATION, date(2024, 3, 2), True, "HEAD_OF_PSD",
                  "Ann Lee: ADVISORY list: resigned", Role.HEAD_OF_PSD),
        QueueItem("PSD-2", 2, DueItemKind.VICTIM_UPDATE, date(2024, 3, 2), True, "unassigned (SUPERVISOR to allocate)",
                  "victim V1", Role.INVESTIGATOR),
        QueueItem("PSD-3", 3, DueItemKind.TWELVE_MONTH_REPORT, date(2024, 3, 2), False, "inv1, inv2", "report",
                  Role.INVESTIGATOR)])
    assert [model.index(r, 4).data() for r in range(3)] == ["Head of PSD", "Unassigned", "inv1, inv2"]
    assert model.index(1, 4).data(Qt.ItemDataRole.ToolTipRole) == (
        "Unassigned: a supervisor allocates it to an investigator")
    assert model.index(0, 6).data() == "Ann Lee: Advisory list: resigned"
    assert model.index(2, 2).data() == "12-month report"


def test_decided_pairs_show_their_follow_up_and_the_issuer_by_name(
        sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    with_notices(sample, tmp_path)
    window = open_window(sample.sup)
    section = notices_section(window)
    table = section.table
    assert not table.isColumnHidden(0) and not table.isColumnHidden(4)  # score, name on notice
    assert all(table.isColumnHidden(c) for c in (*MatchTableModel.DECIDED_COLUMNS, MatchTableModel.ISSUER_COLUMN))
    assert "Kent Police" in shown_text(section) and "kent" not in shown_text(section)
    assert section.model.index(0, MatchTableModel.NOTICE_COLUMN).data(Qt.ItemDataRole.ToolTipRole).startswith(
        "K-7 from Kent Police")
    (m,) = notice_review.review_queue(sample.env.uow(), sample.sup)
    notice_review.confirm_match(sample.env.uow(), sample.sup, m.match_id, TriageOutcome.VETTING_REVIEW,
                                "Same date of birth with day and month swapped.")
    section.state.setCurrentIndex(section.state.findData(MatchState.CONFIRMED.name))
    assert table.isColumnHidden(0) and table.isColumnHidden(4) and table.isColumnHidden(6)
    assert not table.isColumnHidden(7) and not table.isColumnHidden(8)
    assert section.model.index(0, 7).data() == "Due"
    assert section.confirm_button.isHidden() and section.reject_button.isHidden()
    section.state.setCurrentIndex(section.state.findData(MatchState.REJECTED.name))
    assert not table.isColumnHidden(6) and table.isColumnHidden(7) and table.isColumnHidden(8)


def test_a_co_signer_signing_in_clears_the_refusal_that_asked_for_one(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    window = open_window(sample.inv)
    spec = ActionSpec("threshold", "Threshold", "", "Record", [Field("approver", "Co-signer:", "approver")],
                      lambda _v: None)
    dialog = DecisionDialog(window.ctx, spec, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.say("inv (INVESTIGATOR) may only propose this decision: co-signed by a SUPERVISOR or HEAD_OF_PSD.")
    assert dialog.message.isVisible() and "a Supervisor or Head of PSD" in dialog.message.text()
    approver = dialog.widgets["approver"]
    assert isinstance(approver, ApproverField)
    approver.set_user(sample.sup)
    assert not dialog.message.isVisible()


def test_the_team_filter_names_each_team_once(sample: Sample, open_window: OpenWindow) -> None:
    from app.ui.sections.my_work import MyWorkSection

    window = open_window(sample.sup)
    work = window.section(MyWorkSection)
    assert isinstance(work, MyWorkSection)
    work._items = [QueueItem("PSD-1", 1, DueItemKind.VICTIM_UPDATE, date(2024, 3, 2), True, "inv", "victim V1",
                             Role.INVESTIGATOR, "PSD Team 1")]
    work._fill_teams()
    assert [work.team.itemText(i) for i in range(work.team.count())] == ["Any team", "PSD Team 1"]
