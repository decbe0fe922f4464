"""Screenshots of the case and person dialogs added since the first set (34 onwards): the intake
form's victim fields, "Add allegation" with its person picker, "Edit victim…", "End assignment…",
"Record leaving…" and the Notices review's vetting review and linked case.

A development tool like tests/ui/screenshots.py (whose helpers it uses), not a test. It runs from
tests/ui/screenshots_more.py, on the same copy of the demonstration database.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget
from sqlalchemy import text

from app.domain.enums import AgeBand, DashRisk, MatchState, Sex, VictimWorkforce
from app.persistence.database import Database
from app.ui.dialogs.decision_form import DecisionDialog
from app.ui.dialogs.person_picker import PersonPicker
from app.ui.sections.cases import CasesSection
from app.ui.sections.notices import NoticesSection
from app.ui.sections.people import PeopleSection
from tests.ui.screenshots import Shooter, window_for


def _pick(picker: PersonPicker, search: str, row: int = 0) -> None:
    picker.search.setText(search)
    picker.find_people(search)
    picker.results.setCurrentRow(row)


def _choose(combo: QComboBox, name: str) -> None:
    combo.setCurrentIndex(combo.findData(name))


def _open_case(db: Database, window: QWidget, sql: str) -> CasesSection:
    cases = window.section(CasesSection)  # type: ignore[attr-defined]
    assert isinstance(cases, CasesSection)
    window.go_to(window.sections.index(cases))  # type: ignore[attr-defined]
    with db.engine.connect() as conn:
        case_id = conn.execute(text(sql)).scalar()
    assert case_id is not None, sql
    assert cases.open_case(int(case_id))
    return cases


OPEN_WITH_TEAM = ("SELECT c.id FROM ppda_case c JOIN case_member m ON m.case_id = c.id AND m.ended_at IS NULL "
                  "JOIN victim v ON v.case_id = c.id WHERE c.status = 'OPEN' AND m.role = 'INVESTIGATOR' "
                  "GROUP BY c.id HAVING count(DISTINCT v.id) >= 2 ORDER BY c.id DESC LIMIT 1")


def shoot_intake_victim(shots: Shooter, db: Database) -> None:
    window = window_for(db, "supervisor1")
    cases = window.section(CasesSection)
    assert isinstance(cases, CasesSection)
    window.go_to(window.sections.index(cases))
    intake = cases.new_case()
    _choose(intake.relationship, "FORMER_PARTNER")
    _choose(intake.workforce, VictimWorkforce.SAME_FORCE.name)
    _pick(intake.colleague, "ahmed", 1)
    _choose(intake.sex, Sex.F.name)
    _choose(intake.age_band, AgeBand.AGE_25_34.name)
    _choose(intake.dash, DashRisk.HIGH.name)
    intake.dash_assessor.choose("investigator1")
    intake.marac.setChecked(True)
    intake.idva_offered.setChecked(True)
    intake.idva_accepted.setChecked(True)
    intake.contact.setPlainText("07700 900123")
    _pick(intake.subject, "stewart", 0)
    intake.abuse.boxes["COERCIVE_CONTROL"].setChecked(True)
    intake.abuse.boxes["EMOTIONAL_PSYCHOLOGICAL"].setChecked(True)
    intake.features.boxes["VICTIM_IS_POLICE_EMPLOYEE"].setChecked(True)
    shots.screen("34-new-case-victim")
    intake.reject()
    window.close()


def shoot_case_dialogs(shots: Shooter, db: Database) -> None:
    window = window_for(db, "supervisor1")
    cases = _open_case(db, window, OPEN_WITH_TEAM)
    view = cases.view
    dialog = view.open_action("add_allegation")
    assert dialog is not None
    picker = dialog.widgets["subject_staff_number"]
    assert isinstance(picker, PersonPicker)
    _pick(picker, "jones", 0)
    dialog.check("abuse_types", "Threats")
    shots.screen("35-add-allegation-picker")
    dialog.reject()
    view.tabs.setCurrentIndex(2)
    view.victim_table.selectRow(0)
    edit = view.edit_victim()
    assert isinstance(edit, DecisionDialog)
    shots.screen("36-edit-victim")
    edit.reject()
    view.tabs.setCurrentIndex(4)
    view.team_table.selectRow(0)
    view.end_button.click()
    end = view.action_dialog
    assert end is not None
    reason = end.widgets["reason"]
    reason.setPlainText("Moved to another PSD team; the case stays with the team's other investigator.")  # type: ignore[attr-defined]
    shots.screen("37-end-assignment")
    end.reject()
    window.close()


def shoot_leaving(shots: Shooter, db: Database) -> None:
    window = window_for(db, "head.psd")
    people = window.section(PeopleSection)
    assert isinstance(people, PeopleSection)
    window.go_to(window.sections.index(people))
    with db.engine.connect() as conn:
        pid = conn.execute(text(
            "SELECT p.id FROM person p JOIN allegation a ON a.subject_id = p.id JOIN ppda_case c ON c.id = a.case_id "
            "WHERE c.status = 'OPEN' AND p.employment_status = 'SERVING' ORDER BY p.id LIMIT 1")).scalar()
    assert people.open_person(int(pid))
    dialog = people.view.record_leaving()
    assert dialog is not None
    status = dialog.widgets["status"]
    assert isinstance(status, QComboBox)
    status.setCurrentIndex(max(0, status.findText("Resigned")))
    shots.screen("38-record-leaving")
    dialog.reject()
    window.close()


def shoot_notice_follow_up(shots: Shooter, db: Database) -> None:
    """The confirmed pairs with their vetting review and linked case; the two follow-up dialogs."""
    window = window_for(db, "supervisor1")
    notices = window.section(NoticesSection)
    assert isinstance(notices, NoticesSection)
    window.go_to(window.sections.index(notices))
    notices.state.setCurrentIndex(notices.state.findData(MatchState.CONFIRMED.name))
    rows = notices.model.rows()
    due = next((i for i, m in enumerate(rows) if not m.vetting_done), 0)
    notices.table.selectRow(due)
    shots.widget("39-notices-confirmed", window)
    vetting = notices.record_vetting()
    assert vetting is not None
    vetting.result_text.setPlainText("Vetting clearance reviewed: maintained, with a review in six months.")
    shots.screen("40-notices-vetting-review")
    vetting.reject()
    offered = next((i for i, m in enumerate(rows) if m.offers_case and not m.case_linked), None)
    if offered is not None:
        notices.table.selectRow(offered)
        case = notices.open_case()
        assert case is not None
        shots.screen("41-notices-open-case")
        case.reject()
    else:
        print("no confirmed domestic-abuse notice without a case: 41 not taken")
    notices.table.setFocus(Qt.FocusReason.OtherFocusReason)
    window.close()
