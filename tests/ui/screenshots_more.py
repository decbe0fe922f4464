"""Screenshots of the Notices, Reports (with its dashboard), Administration → Policies, a
person's page with flags and harm ranking, and (tests/ui/screenshots_dialogs.py) the case and
person dialogs and the notices' follow-up, on a copy of a demonstration database.

    xvfb-run -s "-screen 0 1366x768x24" python -m tests.ui.screenshots_more --db demo.db --out docs/screenshots

A development tool like tests/ui/screenshots.py (whose helpers it uses), not a test.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from app.domain.enums import TriageOutcome
from app.domain.policy import PolicyName
from app.persistence.database import Database, open_database
from app.persistence.uow import UnitOfWork
from app.services import clock, notice_review, policies, users
from app.services.demo import DEMO_PASSWORD
from app.ui.sections.admin import AdministrationSection
from app.ui.sections.notices import NoticesSection
from app.ui.sections.people import PeopleSection
from app.ui.sections.reports import ReportsSection
from app.ui.style import apply_look
from tests.ui.screenshots import Shooter, prepare, settle, window_for
from tests.ui.screenshots_dialogs import shoot_case_dialogs, shoot_intake_victim, shoot_leaving, shoot_notice_follow_up


def shoot_notices(shots: Shooter, db: Database) -> int:
    """Confirms one pair (so a person carries the prior-notice flag); returns that person's id."""
    uow = UnitOfWork(db.session_factory)
    sup = users.authenticate(uow, "supervisor1", DEMO_PASSWORD)
    queue = notice_review.review_queue(uow, sup)
    with db.engine.connect() as conn:
        cases = dict(conn.execute(
            text("SELECT subject_id, count(DISTINCT case_id) FROM allegation GROUP BY subject_id")).all())
    chosen = max(queue, key=lambda m: (cases.get(m.person_id, 0), m.offers_case))  # a person with flags to show
    notice_review.confirm_match(UnitOfWork(db.session_factory), sup, chosen.match_id, TriageOutcome.VETTING_REVIEW,
                                "Same date of birth and surname; previous force matches the notice.")
    window = window_for(db, "supervisor1")
    notices = window.section(NoticesSection)
    assert isinstance(notices, NoticesSection)
    window.go_to(window.sections.index(notices))
    notices.table.selectRow(1)
    shots.widget("21-notices", window)
    notices.confirm()
    assert notices.dialog is not None
    notices.dialog.rationale.setPlainText("Short")  # type: ignore[attr-defined]
    notices.dialog.accept()
    shots.screen("22-notices-confirm-refused")
    notices.dialog.reject()
    window.close()
    follow_up(db, sup, chosen.match_id)
    return chosen.person_id


def follow_up(db: Database, sup: object, first: int) -> None:
    """More confirmed pairs, so the Vetting and Linked case columns show each state: a vetting
    review recorded, and a domestic-abuse notice linked to a case (another left to open one)."""
    queue = [m for m in notice_review.review_queue(UnitOfWork(db.session_factory), sup) if m.match_id != first]  # type: ignore[arg-type]
    offering = [m for m in queue if m.offers_case]
    others = [m for m in queue if not m.offers_case]
    for m in offering[:2] + others[:1]:
        notice_review.confirm_match(UnitOfWork(db.session_factory), sup, m.match_id,  # type: ignore[arg-type]
                                    TriageOutcome.VETTING_REVIEW, "Same date of birth, surname and staff number.")
    if others:
        notice_review.record_vetting_review(UnitOfWork(db.session_factory), sup, others[0].match_id,  # type: ignore[arg-type]
                                            "Clearance reviewed and maintained with conditions.")
    if offering:
        with db.engine.connect() as conn:
            case_id = conn.execute(text("SELECT case_id FROM allegation WHERE subject_id = :p LIMIT 1"),
                                   {"p": offering[0].person_id}).scalar() or \
                conn.execute(text("SELECT id FROM ppda_case WHERE status = 'OPEN' LIMIT 1")).scalar()
        notice_review.link_case(UnitOfWork(db.session_factory), sup, offering[0].match_id, int(case_id))  # type: ignore[arg-type]


def shoot_person(shots: Shooter, db: Database, person_id: int) -> None:
    window = window_for(db, "supervisor1")
    people = window.section(PeopleSection)
    assert isinstance(people, PeopleSection)
    window.go_to(window.sections.index(people))
    with db.engine.connect() as conn:
        flagged = conn.execute(text(
            "SELECT a.subject_id FROM allegation a JOIN notice_match m ON m.person_id = a.subject_id "
            "WHERE m.state = 'CONFIRMED' LIMIT 1")).scalar()
        repeat = conn.execute(text("SELECT subject_id FROM allegation GROUP BY subject_id "
                                   "ORDER BY count(DISTINCT case_id) DESC LIMIT 1")).scalar()
    people.open_person(int(repeat or flagged or person_id))  # repeat and serial flags, with their reasons
    shots.widget("23-person-flags", window)
    people.open_person(int(flagged or person_id))  # the confirmed notice's person
    shots.widget("29-person-prior-notice", window)
    people.show_harm()
    shots.widget("24-highest-harm", window)
    window.close()


def shoot_reports(shots: Shooter, db: Database) -> None:
    window = window_for(db, "force.lead")
    reports = window.section(ReportsSection)
    assert isinstance(reports, ReportsSection)
    window.go_to(window.sections.index(reports))
    settle(300)
    shots.widget("25-reports", window)
    window.close()


def shoot_policies(shots: Shooter, db: Database) -> None:
    """Administration → Policies with a correction in the history, the dialog for a back-dated value,
    and the policies as recorded at the end of yesterday (before the correction)."""
    uow = UnitOfWork(db.session_factory)
    admin_user = users.authenticate(uow, "admin", DEMO_PASSWORD)
    if policies.current(uow).int_on(PolicyName.RESTRICTION_REVIEW_DAYS, clock.today()) != 14:
        policies.set_policy(uow, admin_user, "restriction-review-days", "14", date(2020, 1, 1),
                            reason="Force policy since 2020 is 14 days; 28 was entered in error")
    window = window_for(db, "admin")
    admin = window.section(AdministrationSection)
    assert isinstance(admin, AdministrationSection)
    window.go_to(window.sections.index(admin))
    admin.tabs.setCurrentWidget(admin.policies)
    admin.policies.select("restriction-review-days")
    shots.widget("26-admin-policies", window)
    dialog = admin.policies.set_policy()
    assert dialog is not None
    dialog.value.setText("21")
    dialog.effective.setDate(QDate(2024, 4, 1))
    dialog.reason.setPlainText("Review period agreed by the chief officer group from April 2024")
    shots.screen("27-admin-set-policy")
    dialog.reject()
    yesterday = clock.today() - timedelta(days=1)
    admin.policies.as_recorded.setChecked(True)
    admin.policies.recorded_on.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    admin.policies.select("restriction-review-days")
    shots.widget("27b-admin-policies-as-recorded", window)
    admin.policies.as_recorded.setChecked(False)
    admin.tabs.setCurrentWidget(admin.keys)
    shots.widget("28-admin-signing-keys", window)
    window.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    app = QApplication(sys.argv)
    apply_look(app)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "demo.db"
        shutil.copy(args.db, copy)
        db = open_database(f"sqlite:///{copy}")
        prepare(db)
        shots = Shooter(args.out)
        person = shoot_notices(shots, db)
        shoot_person(shots, db, person)
        shoot_reports(shots, db)
        shoot_policies(shots, db)
        shoot_intake_victim(shots, db)
        shoot_case_dialogs(shots, db)
        shoot_leaving(shots, db)
        shoot_notice_follow_up(shots, db)
        db.dispose()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
