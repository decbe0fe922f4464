"""The DASH assessor is picked from the force's people by typing part of their name (issue #15 item
6: no user names to type), at intake and in the victim details dialog; the service still refuses an
assessor who is not independent of the case's subjects and victims, and nothing is saved then."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.domain.enums import Role
from app.domain.records import User
from app.persistence.models import CaseRow, VictimRow
from app.services import users
from app.ui.dialogs.allocate import StaffPicker
from tests.helpers import PASSWORD
from tests.ui.conftest import OpenWindow
from tests.ui.sample_data import Sample
from tests.ui.test_case_actions import C1, case_one, cases_of, choose, click, edit_victim, record_colleague_and_dash
from tests.ui.test_intake import case_count, open_intake, pick
from tests.ui.test_intake import choose as choose_in


def charlene(sample: Sample) -> User:
    return users.add_user(sample.env.uow(), sample.env.admin, "cmartin", {Role.INVESTIGATOR}, PASSWORD,
                          display_name="Charlene Martin", team="PSD North")


def assessor_of(sample: Sample, victim_id: int) -> int | None:
    with sample.env.uow() as uow:
        return uow.session.scalar(select(VictimRow.dash_assessor_user_id).where(VictimRow.id == victim_id))


def shown_people(picker: StaffPicker) -> list[str]:
    return [picker.list.item(r).text() for r in range(picker.list.count()) if not picker.list.item(r).isHidden()]


def test_at_intake_the_assessor_is_picked_by_typing_part_of_their_name(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    martin = charlene(sample)
    cases = cases_of(open_window(sample.sup))
    intake = open_intake(qtbot, cases)
    assessor = intake.dash_assessor
    assert isinstance(assessor, StaffPicker) and not assessor.isEnabled()  # until a DASH risk is chosen
    choose_in(intake.dash, "High")
    assert assessor.isEnabled() and assessor.chosen() is None
    everyone = shown_people(assessor)
    assert everyone[0] == "No assessor recorded"
    assert "Charlene Martin, PSD North — 0 open cases" in everyone
    assert not any(name.startswith(("iopc", "lead", "aud")) for name in everyone)  # only who may assess
    qtbot.keyClicks(assessor.search, "martin")
    assert shown_people(assessor) == ["Charlene Martin, PSD North — 0 open cases"]
    assert assessor.chosen() == "cmartin"
    pick(qtbot, intake.subject, "black")
    intake.abuse.boxes["THREATS"].setChecked(True)
    click(qtbot, intake.ok_button)
    qtbot.waitUntil(lambda: not intake.isVisible())
    with sample.env.uow() as uow:
        newest = uow.session.scalar(select(func.max(CaseRow.id)))
        victim = uow.session.scalar(select(VictimRow.id).where(VictimRow.case_id == newest))
    assert victim is not None and assessor_of(sample, victim) == martin.id


def test_at_intake_an_assessor_who_manages_the_subject_is_refused_and_nothing_is_created(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases = cases_of(open_window(sample.sup))
    before = case_count(sample)
    intake = open_intake(qtbot, cases)
    choose_in(intake.dash, "Medium")
    qtbot.keyClicks(intake.dash_assessor.search, "mg")  # mgr is the line manager of Smith (P001)
    assert intake.dash_assessor.chosen() == "mgr"
    pick(qtbot, intake.subject, "smith")
    intake.abuse.boxes["PHYSICAL"].setChecked(True)
    click(qtbot, intake.ok_button)
    assert intake.isVisible() and intake.message.isVisible()
    assert "line manager of the subject" in intake.message.text(), intake.message.text()
    assert case_count(sample) == before
    intake.dash_assessor.search.clear()
    qtbot.keyClicks(intake.dash_assessor.search, "inv")
    assert intake.dash_assessor.chosen() == "inv"
    click(qtbot, intake.ok_button)
    qtbot.waitUntil(lambda: not intake.isVisible())
    assert case_count(sample) == before + 1


def test_in_the_victim_details_the_assessor_is_re_picked_by_name_and_checked_for_independence(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    martin = charlene(sample)
    record_colleague_and_dash(sample)  # assessed by inv
    cases = case_one(open_window, sample)
    dialog = edit_victim(qtbot, cases)
    assessor = dialog.widgets["dash_assessor"]
    assert isinstance(assessor, StaffPicker) and assessor.chosen() == "inv"
    qtbot.keyClicks(assessor.search, "mg")
    assert assessor.chosen() == "mgr"
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and "line manager of the subject" in dialog.message.text(), dialog.message.text()
    assert assessor_of(sample, sample.victim_id(C1)) == sample.inv.id
    assessor.search.clear()
    qtbot.keyClicks(assessor.search, "charl")
    assert assessor.chosen() == "cmartin"
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert assessor_of(sample, sample.victim_id(C1)) == martin.id
    dialog = edit_victim(qtbot, cases)  # opens on the assessor recorded, by name
    assessor = dialog.widgets["dash_assessor"]
    assert isinstance(assessor, StaffPicker) and assessor.chosen() == "cmartin"
    assert assessor.list.currentItem().text().startswith("Charlene Martin")
    choose(dialog, "sex", "Not recorded")  # a change elsewhere keeps the assessor
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert assessor_of(sample, sample.victim_id(C1)) == martin.id
