"""The Notices section: the review queue side by side, confirm with a rationale (the person is
then flagged), reject without a rationale refused, a domestic-abuse notice offering a case."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.enums import TriageOutcome
from app.services.imports.notices import import_notices
from app.ui.dialogs.notice_decision import ConfirmMatchDialog, RejectMatchDialog
from app.ui.main_window import MainWindow
from app.ui.models.notice_tables import MatchTableModel
from app.ui.sections.data import DataSection
from app.ui.sections.notices import NoticesSection
from app.ui.sections.people import PeopleSection
from tests.helpers import write_csv
from tests.integration.test_imports import NOTICE_HEADER
from tests.ui.conftest import OpenWindow, shown
from tests.ui.sample_data import Sample

# John Smith (P001, born 1985-06-01): surname misspelt, day and month swapped.
NOTICES = [
    ["K-7", "kent", "2024-01-02", "DOMESTIC_ABUSE_INCIDENT", "Smyth", "John", "1985-01-06", "", "DA incident attended"]
]


def with_notices(sample: Sample, folder: Path) -> None:
    import_notices(sample.env.uow(), sample.sup, write_csv(folder / "notices.csv", NOTICE_HEADER, NOTICES))


def shown_text(section: NoticesSection) -> str:
    """The side-by-side comparison as the reader sees it (without the markup)."""
    return re.sub(r"<[^>]+>", "", section.detail.text())


def notices_section(window: MainWindow) -> NoticesSection:
    return shown(window, NoticesSection)


def test_confirming_a_match_flags_the_person_and_offers_a_case(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    with_notices(sample, tmp_path)
    window = open_window(sample.sup)
    section = notices_section(window)
    assert window.nav.item(window.sections.index(section)).text() == "Notices (1)"
    m = section.selected()
    assert m is not None and m.notice_id == "K-7" and m.staff_number == "P001"
    shown = shown_text(section)
    assert "Smyth" in shown and "Smith" in shown and "What speaks for the pair" in shown
    assert "date of birth: day and month swapped — strong" in shown  # the evidence in plain words, with its weight
    assert "surnames almost identical (Smyth / Smith: one letter different)" in shown
    assert "of pairs scored like this, more than 99 in 100 are the same person" in shown and "Jaro" not in shown
    qtbot.mouseClick(section.confirm_button, Qt.MouseButton.LeftButton)
    dialog = section.dialog
    assert isinstance(dialog, ConfirmMatchDialog)
    dialog.outcome.setCurrentIndex(dialog.outcome.findData(TriageOutcome.DISCIPLINARY_INVESTIGATION.name))
    qtbot.keyClicks(dialog.rationale, "Same DOB with day and month swapped, same unit history.")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert section.model.rowCount() == 0 and window.nav.item(window.sections.index(section)).text() == "Notices"
    qtbot.waitUntil(lambda: section.dialog is not dialog and section.dialog is not None and section.dialog.isVisible())
    assert "Open case" in section.dialog.ok_button.text()  # type: ignore[union-attr]
    section.dialog.reject()  # type: ignore[union-attr]
    people = window.section(PeopleSection)
    assert isinstance(people, PeopleSection) and people.open_person(m.person_id)
    assert (
        "Prior notice" in people.view.flags.text()
        and "Confirmed prior notice from another force" in people.view.flags.text()
    )
    assert "Harm ranking:" in people.view.flags.text()


def test_the_navigation_counts_the_pairs_awaiting_review_without_loading_the_queue(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    from sqlalchemy import select

    from app.persistence.models import AccessLogRow
    from app.ui.sections.my_work import MyWorkSection

    with_notices(sample, tmp_path)
    window = open_window(sample.sup)
    section = window.section(NoticesSection)
    assert isinstance(section, NoticesSection) and isinstance(window.current_section(), MyWorkSection)
    item = window.nav.item(window.sections.index(section))
    qtbot.waitUntil(lambda: item.text() == "Notices (1)", timeout=10_000)
    assert section.model.rowCount() == 0  # the queue loads when the section is opened
    with sample.env.uow() as uow:
        consulted = uow.session.scalars(
            select(AccessLogRow.detail).where(
                AccessLogRow.record_type == "notice_match", AccessLogRow.operation == "CONSULTATION"
            )
        ).all()
    assert consulted == []  # counting disclosed nothing
    window.go_to(window.sections.index(section))
    assert section.model.rowCount() == 1 and item.text() == "Notices (1)"


def test_rejecting_without_a_rationale_is_refused(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    with_notices(sample, tmp_path)
    section = notices_section(open_window(sample.sup))
    qtbot.mouseClick(section.reject_button, Qt.MouseButton.LeftButton)
    dialog = section.dialog
    assert isinstance(dialog, RejectMatchDialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.message.isVisible()
    assert dialog.message.text().startswith("Give the rationale for the decision")
    dialog.reject()
    assert section.model.rowCount() == 1


def test_the_match_model_passes_the_model_tester(qtmodeltester, sample: Sample, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.services import notice_review

    with_notices(sample, tmp_path)
    model = MatchTableModel()
    (m,) = notice_review.review_queue(sample.env.uow(), sample.sup)
    done = dataclasses.replace(m, state="CONFIRMED", vetting_reviewed_on=date(2024, 5, 1), vetting_result="Maintained",
                               linked_case_id=9, linked_case="PSD-2024-000009")
    hidden = dataclasses.replace(done, vetting_reviewed_on=None, vetting_result=None, linked_case=None)
    model.set_rows([m, done, hidden])
    qtmodeltester.check(model)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in (7, 8)] == ["Vetting", "Linked case"]
    assert [[model.index(r, c).data() for c in (7, 8)] for r in range(3)] == [
        ["", ""], ["Recorded 01 May 2024", "PSD-2024-000009"], ["Due", "Linked"]]
    assert model.index(1, 7).data(Qt.ItemDataRole.ToolTipRole) == "Maintained"
    assert model.index(2, 8).data(Qt.ItemDataRole.ToolTipRole) == "Linked to a case you may not open"


def data_section(window: MainWindow) -> DataSection:
    return shown(window, DataSection)


def test_an_unsigned_pnd_file_is_imported_only_when_accepted(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    from tests.ui.conftest import message_boxes

    section = data_section(open_window(sample.sup))
    pnd = write_csv(tmp_path / "pnd.csv", NOTICE_HEADER,
                    [["PND-1", "PND", "2024-02-02", "INTELLIGENCE", "Smith", "John", "1985-06-01", "", ""]])
    with qtbot.waitSignal(section.import_file("notices", pnd).failed, timeout=20_000):
        pass
    question = section.question
    assert question is not None and question.isVisible() and "pnd.csv is not signed" in question.text()
    yes = question.buttons()[0] if question.buttons()[0].text().startswith("Accept") else question.buttons()[1]
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "1 added" in section.cards["notices"].result.text(), timeout=20_000)
    assert any("pnd.csv" in b.text() for b in message_boxes(section))


def test_an_unsigned_force_file_is_refused_with_the_reason(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    from tests.ui.conftest import message_boxes

    section = data_section(open_window(sample.sup))
    kent = write_csv(tmp_path / "kent.csv", NOTICE_HEADER, NOTICES)
    with qtbot.waitSignal(section.import_file("notices", kent).failed, timeout=20_000):
        pass
    assert section.question is None
    assert any("has no signed manifest" in b.text() for b in message_boxes(section))


def test_a_confirmed_domestic_abuse_notice_opens_a_linked_case_and_the_vetting_review_is_recorded(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    from sqlalchemy import func, select

    from app.domain.enums import AbuseType, MatchState
    from app.persistence.models import CaseRow, NoticeMatchRow
    from app.services import clock, notice_review
    from app.ui.dialogs.notice_case import NoticeCaseDialog
    from app.ui.dialogs.notice_decision import VettingReviewDialog
    from app.ui.labels import day

    with_notices(sample, tmp_path)
    (m,) = notice_review.review_queue(sample.env.uow(), sample.sup)
    notice_review.confirm_match(sample.env.uow(), sample.sup, m.match_id, TriageOutcome.DISCIPLINARY_INVESTIGATION,
                                "Same person: day and month of birth swapped.")
    section = notices_section(open_window(sample.sup))
    section.state.setCurrentIndex(section.state.findData(MatchState.CONFIRMED.name))
    assert section.selected() is not None and section.case_button.isVisible()
    qtbot.mouseClick(section.case_button, Qt.MouseButton.LeftButton)
    dialog = section.dialog
    assert isinstance(dialog, NoticeCaseDialog) and dialog.route.currentText() == "Other force notice"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # no abuse type ticked
    assert dialog.isVisible() and dialog.message.text().startswith("allegations[1].abuse_types")
    dialog.types[AbuseType.PHYSICAL].setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.reference.startswith("PSD-")
    with sample.env.uow() as uow:
        linked = uow.session.scalar(select(CaseRow.reference).join(NoticeMatchRow, NoticeMatchRow.case_id == CaseRow.id)
                                    .where(NoticeMatchRow.id == m.match_id))
    assert linked == dialog.reference
    assert not section.case_button.isEnabled() and section.case_button.text() == "Case linked"
    assert f"Linked case: {dialog.reference}" in shown_text(section)
    assert section.open_case() is None  # a notice opens one case only
    assert [section.model.index(0, c).data() for c in (7, 8)] == ["Due", dialog.reference]
    stale = NoticeCaseDialog(section.ctx, m, section)  # opened before the match was linked elsewhere
    stale.types[AbuseType.THREATS].setChecked(True)
    stale.accept()
    assert stale.message.text() == "This match is already linked to a PPDA case; a notice opens one case only."
    stale.reject()
    with sample.env.uow() as uow:
        assert uow.session.scalar(select(func.count(CaseRow.id))) == len(sample.case_ids) + 1  # no second case
    assert "Vetting review: due" in shown_text(section)
    qtbot.mouseClick(section.vetting_button, Qt.MouseButton.LeftButton)
    review = section.dialog
    assert isinstance(review, VettingReviewDialog)
    qtbot.keyClicks(review.result_text, "Clearance reviewed and maintained with conditions")
    qtbot.mouseClick(review.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not review.isVisible())
    assert not section.vetting_button.isEnabled() and section.vetting_button.text() == "Vetting review recorded"
    assert (f"Vetting review: recorded {day(clock.today())}: Clearance reviewed and maintained with conditions"
            in shown_text(section))
    assert section.record_vetting() is None
    assert section.model.index(0, 7).data() == f"Recorded {day(clock.today())}"
    late = VettingReviewDialog(section.ctx, m, section)  # opened before the review was recorded elsewhere
    qtbot.keyClicks(late.result_text, "Clearance withdrawn")
    late.accept()
    assert late.message.text().startswith("The vetting review this match raised was already recorded on")
    late.reject()


def test_the_harm_model_passes_the_model_tester(qtmodeltester, sample: Sample) -> None:  # type: ignore[no-untyped-def]
    from app.services import people_queries
    from app.ui.models.people_tables import HarmTableModel

    model = HarmTableModel()
    model.set_rows(people_queries.harm_ranking(sample.env.uow(), sample.sup, 10))
    assert model.rowCount() == 3 and model.index(0, 0).data() == "1" and model.index(0, 1).data() == "P001"
    qtmodeltester.check(model)


def test_the_harm_score_draws_only_on_cases_the_reader_may_see(sample: Sample, open_window: OpenWindow) -> None:
    from sqlalchemy import select

    from app.persistence.models import PersonRow

    with sample.env.uow() as uow:
        pid = uow.session.scalar(select(PersonRow.id).where(PersonRow.staff_number == "P001"))
    assert pid is not None
    people = open_window(sample.inv).section(PeopleSection)
    assert isinstance(people, PeopleSection) and people.open_person(pid)
    assert "Victims 1 (victims)" in people.view.flags.text()  # the investigator is on one of John Smith's two cases
    people = open_window(sample.sup).section(PeopleSection)
    assert isinstance(people, PeopleSection) and people.open_person(pid)
    assert "Victims 2 (victims)" in people.view.flags.text() and "Repeat" in people.view.flags.text()


def test_an_outbound_notice_file_is_exported_signed(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    from app.services import notice_files
    from tests.ui.conftest import message_boxes

    raw = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    monkeypatch.setenv(notice_files.ENV_SIGNING_KEY, base64.b64encode(raw).decode())
    section = data_section(open_window(sample.sup))
    card = section.outbound
    assert card is not None
    card.recipient.setCurrentIndex(card.recipient.findData("kent"))
    qtbot.keyClicks(card.numbers, "P001")
    out = tmp_path / "to-kent.csv"
    with qtbot.waitSignal(section.export_notices(out).succeeded, timeout=20_000):
        pass
    assert out.exists() and notice_files.manifest_path(out).exists()
    assert "1 notices written" in card.result.text()
    card.numbers.setText("P006")  # no PPDA allegations: refused with the reason
    with qtbot.waitSignal(section.export_notices(tmp_path / "none.csv").failed, timeout=20_000):
        pass
    assert any("P006 has no PPDA allegations recorded" in b.text() for b in message_boxes(section))


def test_a_data_wash_runs_in_a_worker_and_reports_what_it_found(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    from tests.ui.conftest import message_boxes

    with_notices(sample, tmp_path)
    section = notices_section(open_window(sample.sup))
    out = tmp_path / "wash.csv"
    with qtbot.waitSignal(section.run_wash(out).succeeded, timeout=20_000):
        pass
    assert out.exists() and "K-7" in out.read_text(encoding="utf-8")
    assert any(
        b.text().startswith("Data wash: 6 people against 1 notices: 1 candidates") for b in message_boxes(section)
    )
    assert section.model.rowCount() == 1  # the pair already awaiting review is not proposed twice


def test_undated_notices_with_a_common_name_are_counted_in_the_section(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    from app.services.imports.workforce import import_workforce
    from tests.ui.sample_data import WORKFORCE_HEADER

    namesakes = [
        [f"D{i:03d}", "Smith", "David", "", f"19{60 + i}-01-15", "POLICE_OFFICER", "PC", "Response North", "", ""]
        for i in range(20)
    ]
    import_workforce(
        sample.env.uow(), sample.env.admin, write_csv(tmp_path / "namesakes.csv", WORKFORCE_HEADER, namesakes)
    )
    undated = [["PND-8", "PND", "2024-01-02", "INTELLIGENCE", "Smith", "David", "", "", ""]]
    import_notices(sample.env.uow(), sample.sup, write_csv(tmp_path / "undated.csv", NOTICE_HEADER, undated),
                   signature_state="ACCEPTED_UNSIGNED")
    section = notices_section(open_window(sample.sup))
    assert section.undated.isVisible()
    assert section.undated.text().startswith("1 notice without a date of birth (or with only a year) names people "
                                             "too common in the register to put to review")


def test_a_pair_left_to_review_says_in_words_why_its_score_is_not_higher() -> None:
    from dataclasses import replace
    from datetime import date

    from app.services.notice_review import MatchView
    from app.ui.sections.notices import comparison_html

    review = MatchView(1, "PROPOSED", "REVIEW", 0.54, ("forename the same (Jordan, 1 in 400) (evidence for)",
                                                         "surname the same (Jones, common: 1 in 81) (evidence for)",
                                                         "date of birth: only the day differs (evidence for)"),
                       "PND-1", "PND", date(2026, 4, 23), "INTELLIGENCE", "Jordan Jones", date(2000, 7, 23), "",
                       None, None, 7, "P007", "Jordan Jones", date(2000, 7, 20), "", None, "SERVING")
    shown = comparison_html(review)
    assert "about 54 in 100 are the same person" in shown and "What speaks for the pair" in shown
    assert "date of birth: only the day differs" in shown
    assert "Why the score is not higher" in shown and "most likely about nobody in this register" in shown
    assert "Why the score is not higher" not in comparison_html(replace(review, decision="MATCH", score=0.99))


def test_a_notice_opened_from_my_work_is_shown_in_view_not_below_the_list(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    rows = [[f"K-{i:02}", "kent", "2024-01-02", "DOMESTIC_ABUSE_INCIDENT", "Smyth", "John", "1985-01-06", "", "DA"]
            for i in range(1, 41)]
    import_notices(sample.env.uow(), sample.sup, write_csv(tmp_path / "many.csv", NOTICE_HEADER, rows))
    window = open_window(sample.sup)
    section = notices_section(window)
    assert section.model.rowCount() == 40
    wanted = section.model.rows()[29].notice_id  # below the first screenful, above the list's end
    assert window.show_notice(wanted)
    m = section.selected()
    assert m is not None and m.notice_id == wanted
    rect = section.table.visualRect(section.table.currentIndex())
    viewport = section.table.viewport().rect()
    assert viewport.contains(rect)  # the whole row on screen, not half under the bottom edge,
    # and in the middle, its neighbours around it
    assert viewport.height() / 4 < rect.center().y() < viewport.height() * 3 / 4
