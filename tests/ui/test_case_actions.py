"""Case actions driven through the real widgets: a supervisor creates a case with the intake form,
records the threshold, is refused a suspension without the statutory conditions (the service's
message shown in the dialog), imposes a restriction and sees its review in My work; closure is
disabled while the rules list blockers; an investigator's decision needs a co-signer; a write on a
case changed meanwhile offers Reload; an allegation's subject is picked from the register; an
assignment is ended from the Team tab; a victim is edited with contact details kept hidden unless
revealed, the linked colleague and the DASH assessor (picked by name) prefilled, and recorded values removed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.domain.enums import Role, Severity
from app.domain.records import User
from app.persistence.models import PersonRow, VictimRow
from app.services import actions, casework, users
from app.ui.dialogs.allocate import StaffPicker
from app.ui.dialogs.decision_approver import ApproverField
from app.ui.dialogs.decision_form import DecisionDialog
from app.ui.dialogs.person_picker import PersonPicker
from app.ui.main_window import MainWindow
from app.ui.models.case_parts import MASK
from app.ui.sections.case_panels import PANELS
from app.ui.sections.cases import CasesSection
from app.ui.sections.my_work import MyWorkSection
from tests.helpers import PASSWORD
from tests.ui.conftest import OpenWindow, shown
from tests.ui.sample_data import CONTACT, Sample

C1 = "PSD-2024-000001"




def cases_of(window: MainWindow) -> CasesSection:
    return shown(window, CasesSection)


def case_one(open_window: OpenWindow, sample: Sample, user: User | None = None) -> CasesSection:
    """The Cases section of a window (the supervisor's unless `user`) showing case C1."""
    cases = cases_of(open_window(user or sample.sup))
    assert cases.open_case(sample.case_ids[C1])
    return cases


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def action(qtbot: QtBot, cases: CasesSection, key: str) -> DecisionDialog:
    click(qtbot, cases.view.panels.buttons[key])
    dialog = cases.view.action_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def kinds(cases: CasesSection) -> list[str]:
    assert cases.view.detail is not None
    return [e.kind for e in cases.view.detail.timeline]


def create_case(qtbot: QtBot, cases: CasesSection) -> str:
    click(qtbot, cases.new_button)
    intake = cases.intake_dialog
    assert intake is not None
    qtbot.waitUntil(intake.isVisible)
    intake.dash.setCurrentIndex(intake.dash.findText("High"))
    qtbot.keyClicks(intake.contact, "07700 900456")
    qtbot.keyClicks(intake.subject.search, "black")
    qtbot.waitUntil(lambda: intake.subject.results.count() == 1)
    intake.abuse.boxes["PHYSICAL"].setChecked(True)
    intake.abuse.boxes["COERCIVE_CONTROL"].setChecked(True)
    click(qtbot, intake.ok_button)
    qtbot.waitUntil(lambda: not intake.isVisible())
    qtbot.waitUntil(cases.view.isVisible)
    return cases.view.title.text()


def test_a_supervisor_creates_a_case_decides_and_sees_the_review_in_my_work(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    window = open_window(sample.sup)
    cases = cases_of(window)
    reference = create_case(qtbot, cases)
    assert reference.startswith("PSD-") and cases.view.allegations.rowCount() == 1
    assert "no threshold decision yet" in cases.view.panels.texts["Recording and threshold"].text()

    click(qtbot, action(qtbot, cases, "threshold").ok_button)
    qtbot.waitUntil(lambda: "THRESHOLD" in kinds(cases))
    assert "threshold met" in cases.view.panels.texts["Recording and threshold"].text()

    dialog = action(qtbot, cases, "restriction")
    dialog.check("options", "Suspended")
    assert dialog.widgets["conditions"].isEnabled()
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.message.text() == (
        "Suspension needs the statutory conditions recorded: temporary redeployment was considered and judged not "
        "appropriate, and either the investigation may be prejudiced or the public interest requires it.")
    dialog.check("options", "Suspended", False)
    assert not dialog.widgets["conditions"].isEnabled()
    dialog.check("options", "Restricted duties")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: "Review due" in cases.view.panels.texts["Restriction"].text())

    close = cases.view.panels.buttons["close_case"]
    assert not close.isEnabled() and close.toolTip().startswith("Cannot close yet: ")
    assert "no final misconduct outcome" in close.toolTip()

    work = window.section(MyWorkSection)
    assert isinstance(work, MyWorkSection)
    with qtbot.waitSignal(work.loaded, timeout=20_000):
        window.go_to(window.sections.index(work))
    row = next(r for r in range(work.model.rowCount())
               if work.model.index(r, 3).data() == reference and work.model.index(r, 2).data() == "Restriction review")
    work.table.setCurrentIndex(work.model.index(row, 0))
    qtbot.keyClick(work.table, Qt.Key.Key_Return)
    qtbot.waitUntil(cases.view.isVisible)
    assert cases.view.title.text() == reference and cases.view.tabs.currentWidget() is cases.view.panels
    qtbot.waitUntil(lambda: window.focusWidget() is cases.view.panels.buttons["restriction_review"])


def test_overdue_items_come_first_marked_and_counted_in_the_navigation(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    window = open_window(sample.sup)
    work = window.section(MyWorkSection)
    assert isinstance(work, MyWorkSection)
    qtbot.waitUntil(lambda: work._task is None and work.model.rowCount() > 0, timeout=20_000)
    own = [work.model.index(r, 0).data() for r in range(work.model.rowCount())]
    late = own.count("OVERDUE")
    assert late and window.nav.item(0).text() == f"My work ({late})"
    assert f"{late} overdue" in window.nav.item(0).toolTip()
    with qtbot.waitSignal(work.loaded, timeout=20_000):
        work.whole_force.setChecked(True)
    states = [work.model.index(r, 0).data() for r in range(work.model.rowCount())]
    assert len(states) >= len(own) and states[0] == "OVERDUE"
    assert states == sorted(states, key=lambda s: s != "OVERDUE")
    work.overdue_only.setChecked(True)
    assert {work.model.index(r, 0).data() for r in range(work.model.rowCount())} == {"OVERDUE"}


def test_an_investigators_decision_needs_a_co_signer(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    window = open_window(sample.inv)
    cases = cases_of(window)
    assert cases.open_case(sample.case_ids[C1])
    dialog = action(qtbot, cases, "severity")
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.message.text() == (  # the roles in words
        "inv (Investigator) may only propose this decision: it must be co-signed by a Supervisor or Head of PSD. "
        "Ask a supervisor to sign in as co-signer, or propose it for approval.")
    field = dialog.widgets["approver"]
    click(qtbot, field.button)  # type: ignore[attr-defined]
    approver = field.dialog  # type: ignore[attr-defined]
    qtbot.waitUntil(approver.isVisible)
    qtbot.keyClicks(approver.username, "sup")
    qtbot.keyClicks(approver.password, PASSWORD)
    click(qtbot, approver.ok_button)
    qtbot.waitUntil(lambda: field.user is not None)  # type: ignore[attr-defined]
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: "SEVERITY" in kinds(cases))
    assert cases.view.detail is not None
    last = cases.view.detail.timeline[-1]
    assert (last.kind, last.proposed_by, last.decided_by, last.approved_by) == ("SEVERITY", "inv", "sup", "sup")
    row = cases.view.timeline.rowCount() - 1
    assert [cases.view.timeline.index(row, c).data() for c in (4, 5, 6)] == ["sup", "sup", "inv"]


def test_a_case_changed_meanwhile_offers_reload(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    window = open_window(sample.sup)
    cases = cases_of(window)
    assert cases.open_case(sample.case_ids[C1])
    dialog = action(qtbot, cases, "severity")
    casework.record_severity(sample.env.uow(), sample.env.user("sup2", Role.SUPERVISOR), sample.case_ids[C1],
                             Severity.GROSS_MISCONDUCT)
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.reload_button.isVisible()
    before = cases.view.detail.version if cases.view.detail else 0
    click(qtbot, dialog.reload_button)
    qtbot.waitUntil(lambda: cases.view.detail is not None and cases.view.detail.version > before)
    assert "SEVERITY" in kinds(cases)


def test_a_victim_added_to_an_open_case_shows_in_the_victims_tab(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases = case_one(open_window, sample)
    dialog = action(qtbot, cases, "add_victim")
    dialog.widgets["reference"].clear()  # type: ignore[attr-defined]
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.message.text() == "Add a victim needs: reference."
    qtbot.keyClicks(dialog.widgets["reference"], "V2")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: cases.view.victims.rowCount() == 2)


def test_an_allegation_is_added_with_the_subject_picked_from_the_register(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases = case_one(open_window, sample)
    dialog = action(qtbot, cases, "add_allegation")
    dialog.check("abuse_types", "Threats")
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.message.text() == "Add an allegation needs: subject_staff_number."
    picker = dialog.widgets["subject_staff_number"]
    assert isinstance(picker, PersonPicker)
    qtbot.keyClicks(picker.search, "smith")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.chosen.text() == "Chosen: Smith, John — P001 — PC, Response North."
    click(qtbot, dialog.ok_button)
    assert dialog.message.text() == "allegation.subject_staff_number: P001 already has an allegation in this case."
    assert cases.view.allegations.rowCount() == 1
    picker.search.clear()
    qtbot.keyClicks(picker.search, "jones")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: cases.view.allegations.rowCount() == 2)
    assert cases.view.allegations.index(1, 0).data() == "Jones, Mary (P002)"
    assert cases.view.allegations.index(1, 6).data() == "V1"


def test_a_supervisor_ends_an_assignment_chosen_on_the_team_tab(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases = case_one(open_window, sample)
    view = cases.view
    view.tabs.setCurrentIndex(4)
    assert view.tabs.tabText(4) == "Team (1)" and view.end_button.isEnabled()
    click(qtbot, view.end_button)
    dialog = view.action_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    member = dialog.widgets["member"]
    assert isinstance(member, QComboBox)
    assert [member.itemText(i) for i in range(member.count())] == ["inv (inv) — investigator"]
    users.set_active(sample.env.uow(), sample.env.admin, "inv", False)
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.message.text() == "There is no active user called 'inv'."
    assert view.team.rowCount() == 1
    users.set_active(sample.env.uow(), sample.env.admin, "inv", True)
    qtbot.keyClicks(dialog.widgets["reason"], "Moved to another team")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: view.team.rowCount() == 0)
    assert view.tabs.tabText(4) == "Team (0)" and view.tabs.currentIndex() == 4
    assert view.panels.texts["Team and access"].text() == "No one assigned."
    assert not view.end_button.isEnabled()
    assert not view.panels.buttons["end_assignment"].isEnabled()
    assert view.panels.buttons["end_assignment"].toolTip() == "No one is assigned to this case."
    assert view.detail is not None and view.detail.timeline[-1].kind == "ASSIGNMENT"
    assert view.detail.timeline[-1].rationale == "Moved to another team"


def test_an_investigator_is_not_offered_to_end_assignments(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases = case_one(open_window, sample, sample.inv)
    button = cases.view.panels.buttons["end_assignment"]
    assert not button.isEnabled() and button.toolTip().startswith("Only supervisors and the head of PSD")
    assert cases.view.end_button.isHidden()


def victim_row(cases: CasesSection) -> list[str]:
    model = cases.view.victims
    return [model.index(0, c).data() for c in range(model.columnCount())]


def stored_victim(sample: Sample) -> VictimRow:
    with sample.env.uow() as uow:
        row = uow.session.get(VictimRow, sample.victim_id(C1))
        assert row is not None
        uow.session.expunge(row)
    return row


def edit_victim(qtbot: QtBot, cases: CasesSection) -> DecisionDialog:
    cases.view.tabs.setCurrentIndex(2)
    click(qtbot, cases.view.edit_victim_button)
    dialog = cases.view.action_dialog
    assert dialog is not None and dialog.spec.key == "edit_victim"
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_a_victim_is_edited_prefilled_with_contact_details_kept_hidden(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases = case_one(open_window, sample)
    dialog = edit_victim(qtbot, cases)
    w = dialog.widgets
    assert isinstance(w["relationship"], QComboBox) and w["relationship"].currentText() == "Current partner"
    assert isinstance(w["dash_risk"], QComboBox) and w["dash_risk"].currentText() == "High"
    assert w["dash_risk"].findText("Not assessed") == 0  # a recorded level can be taken away
    assert isinstance(w["dash_assessor"], StaffPicker) and w["dash_assessor"].chosen() is None
    assert isinstance(w["sex"], QComboBox) and w["sex"].currentText() == "Not recorded"
    contact = w["contact_details"]
    assert isinstance(contact, QPlainTextEdit) and contact.toPlainText() == ""
    assert contact.placeholderText().startswith("Hidden: leave empty to keep them unchanged")
    assert not w["staff_number"].isEnabled()
    w["sex"].setCurrentIndex(w["sex"].findText("Female"))
    age = w["age_band"]
    assert isinstance(age, QComboBox)
    age.setCurrentIndex(age.findText("35–44"))
    dialog.widgets["advocate_accepted"].click()  # type: ignore[attr-defined]
    version = cases.view.detail.version if cases.view.detail else 0
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert dialog.message.text() == "victim.advocate_accepted: IDVA/ISVA support can be accepted only once offered."
    assert stored_victim(sample).sex is None and cases.view.detail and cases.view.detail.version == version
    dialog.widgets["advocate_offered"].click()  # type: ignore[attr-defined]
    assert dialog.widgets["marac_referred"].accessibleName() == "Referred to MARAC"
    dialog.widgets["marac_referred"].click()  # type: ignore[attr-defined]
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: victim_row(cases)[3] == "Female")
    assert victim_row(cases) == ["V1", "Current partner", "No", "Female", "35–44", "High", "Referred",
                                 "Offered, accepted", MASK]
    stored = stored_victim(sample)
    assert stored.contact_details == CONTACT and stored.dash_date is None  # untouched values stay as they were


def test_revealed_contact_details_are_prefilled_and_can_be_cleared_and_a_colleague_linked(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases = case_one(open_window, sample)
    cases.view.victims.reveal(sample.victim_id(C1), CONTACT)
    dialog = edit_victim(qtbot, cases)
    contact = dialog.widgets["contact_details"]
    assert isinstance(contact, QPlainTextEdit) and contact.toPlainText() == CONTACT
    assert contact.placeholderText() == "Empty clears the contact details."
    contact.clear()
    assert "unlink" not in dialog.widgets  # no colleague is linked yet
    choose(dialog, "police_workforce", "Same force")
    picker = dialog.widgets["staff_number"]
    assert isinstance(picker, PersonPicker) and picker.isEnabled()
    assert picker.chosen.text() == "No colleague linked."
    qtbot.keyClicks(picker.search, "white")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: victim_row(cases)[2] == "Same force (colleague P005)")
    assert victim_row(cases)[8] == "None recorded"
    stored = stored_victim(sample)
    assert stored.contact_details is None and stored.person_id is not None


def choose(dialog: DecisionDialog, key: str, text: str) -> None:
    combo = dialog.widgets[key]
    assert isinstance(combo, QComboBox) and combo.findText(text) >= 0, text
    combo.setCurrentIndex(combo.findText(text))


def record_colleague_and_dash(sample: Sample) -> None:
    """C1's victim V1 as a same-force colleague (P005) with a full DASH assessment by inv."""
    with sample.env.uow() as uow:
        row = uow.session.get(VictimRow, sample.victim_id(C1))
        assert row is not None
        row.police_workforce, row.sex, row.dash_date = "SAME_FORCE", "F", date(2024, 2, 1)
        row.person_id = uow.session.scalar(select(PersonRow.id).where(PersonRow.staff_number == "P005"))
        row.dash_assessor_user_id = sample.inv.id
        uow.commit()


def test_the_linked_colleague_and_the_dash_assessor_are_prefilled_and_recorded_values_can_be_removed(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    record_colleague_and_dash(sample)
    cases = case_one(open_window, sample)
    assert victim_row(cases)[2:6] == ["Same force (colleague P005)", "Female", "Not recorded", "High 01 Feb 2024"]
    dialog = edit_victim(qtbot, cases)
    picker, assessor, unlink = dialog.widgets["staff_number"], dialog.widgets["dash_assessor"], dialog.widgets["unlink"]
    assert isinstance(picker, PersonPicker) and picker.staff_number() == "P005"
    assert picker.chosen.text().startswith("Chosen: White, Sam — P005")
    assert isinstance(assessor, StaffPicker) and assessor.chosen() == "inv"
    assert isinstance(unlink, QCheckBox) and unlink.accessibleName() == "Remove the link to colleague P005"
    unlink.click()
    assert not picker.isEnabled()
    choose(dialog, "sex", "Not recorded")
    choose(dialog, "dash_risk", "Not assessed")
    assert not assessor.isEnabled() and not dialog.widgets["dash_date"].isEnabled()
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: victim_row(cases)[2] == "Same force")
    assert victim_row(cases)[3:6] == ["Not recorded", "Not recorded", "Not assessed"]
    stored = stored_victim(sample)
    assert (stored.police_workforce, stored.person_id, stored.sex) == ("SAME_FORCE", None, None)
    assert (stored.dash_risk, stored.dash_date, stored.dash_assessor_user_id) == (None, None, None)


def test_a_colleague_victim_moved_out_of_the_same_force_loses_the_link(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    record_colleague_and_dash(sample)
    cases = case_one(open_window, sample)
    dialog = edit_victim(qtbot, cases)
    choose(dialog, "police_workforce", "Other force")
    assert not dialog.widgets["staff_number"].isEnabled() and not dialog.widgets["unlink"].isEnabled()
    assessor = dialog.widgets["dash_assessor"]
    assert isinstance(assessor, StaffPicker)
    qtbot.keyClicks(assessor.search, "no assessor")  # the one entry that matches: no one
    assert assessor.chosen() is None and assessor.list.currentItem().text() == "No assessor recorded"
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: victim_row(cases)[2] == "Other force")
    stored = stored_victim(sample)
    assert (stored.police_workforce, stored.person_id, stored.dash_assessor_user_id) == ("OTHER_FORCE", None, None)
    assert (stored.sex, stored.dash_risk, stored.dash_date) == ("F", "HIGH", date(2024, 2, 1))  # as they were


def test_an_iopc_liaison_is_offered_no_victim_edit(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases = cases_of(open_window(sample.iopc))
    assert cases.open_case(sample.case_ids["PSD-2024-000002"])
    assert cases.view.edit_victim_button.isHidden()


def test_every_action_of_the_registry_is_offered_as_available_actions_says(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    assert {k for _title, keys in PANELS for k, _label in keys} | {"edit_victim"} == set(actions.ACTIONS)
    cases = case_one(open_window, sample, sample.inv)
    buttons = cases.view.panels.buttons
    said = actions.by_name(actions.available_actions(sample.env.uow(), sample.inv, sample.case_ids[C1]))
    assert {k for k, b in buttons.items() if b.isEnabled()} == {k for k, a in said.items() if a.may and k in buttons}
    assert buttons["iopc_referral"].toolTip() == "Your role cannot record IOPC referrals and decisions."
    assert buttons["threshold"].toolTip() == (
        "A co-signer: a Head of PSD or Supervisor signs in here and decides it with you.")
    dialog = action(qtbot, cases, "restriction")
    cosigner = dialog.widgets["approver"]
    assert dialog.form.labelForField(cosigner).text() == "Co-signer:"
    assert isinstance(cosigner, ApproverField) and cosigner.button.text() == "Co-signer signs in…"
    assert dialog.propose_button is not None and dialog.propose_button.isEnabled()


def test_a_supervisors_no_restriction_asks_for_an_approver_only_when_chosen(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    cases = case_one(open_window, sample)
    dialog = action(qtbot, cases, "restriction")
    approver, propose = dialog.widgets["approver"], dialog.propose_button
    assert dialog.form.labelForField(approver).text() == "Approver:" and not approver.isEnabled()
    assert propose is not None and not propose.isEnabled()
    dialog.check("options", "No restriction")
    assert approver.isEnabled() and propose.isEnabled()  # nobody here to approve: propose it for approval later
    assert isinstance(approver, ApproverField) and approver.button.text() == "Approver signs in…"
    dialog.check("options", "No restriction", False)
    dialog.check("options", "Suspended")
    assert not approver.isEnabled() and not propose.isEnabled()
    for condition in ("Temporary redeployment was considered and is not appropriate",
                      "The public interest requires it"):
        dialog.check("conditions", condition)
    qtbot.keyClicks(dialog.widgets["rationale"], "Risk to the victim at work")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    decided = cases.view.detail.timeline[-1] if cases.view.detail else None
    assert decided is not None and decided.kind == "RESTRICTION"
    assert dict(decided.details)["options"] == "SUSPENDED"
    assert dict(decided.details)["public interest requires"] == "yes"
    assert dict(decided.details)["redeployment considered not appropriate"] == "yes"
