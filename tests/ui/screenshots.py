"""Screenshots of every screen, taken from the running window on a demonstration database.

    xvfb-run -s "-screen 0 1366x768x24" python -m tests.ui.screenshots --db demo.db --out docs/screenshots

A development tool, not a test and not part of the product. It works on a copy of the database
(it adds synthetic victim contact details and an investigator's team so those screens have
something to show) and drives the real widgets as a user would.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import text

from app.persistence.database import Database, open_database
from app.persistence.uow import UnitOfWork
from app.services import installation, users
from app.services.demo import DEMO_PASSWORD
from app.ui.context import AppContext
from app.ui.main_window import MainWindow
from app.ui.models.case_table import CaseRoles
from app.ui.sections.access_log import AccessLogSection
from app.ui.sections.admin import AdministrationSection
from app.ui.sections.cases import CasesSection
from app.ui.sections.data import DataSection
from app.ui.sections.my_work import MyWorkSection
from app.ui.sections.people import PeopleSection
from app.ui.session import SessionController
from app.ui.signals import emit
from app.ui.style import apply_look

SIZE = (1366, 768)


def settle(ms: int = 150) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


class Shooter:
    def __init__(self, out: Path) -> None:
        self.out = out
        out.mkdir(parents=True, exist_ok=True)

    def widget(self, name: str, widget: QWidget) -> None:
        settle()
        widget.grab().save(str(self.out / f"{name}.png"))
        print("saved", name)

    def screen(self, name: str) -> None:
        """The whole screen: a dialog over its window."""
        settle()
        QGuiApplication.primaryScreen().grabWindow(0).save(str(self.out / f"{name}.png"))
        print("saved", name)


def prepare(db: Database) -> None:
    """Synthetic contact details for some victims; investigator1 on every 25th case's team."""
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE victim SET contact_details = '07700 9' || substr('00000' || id, -5) || "
                          "', 14 Example Road, Anytown' WHERE id % 3 = 0"))
        inv = conn.execute(text("SELECT id FROM user_account WHERE username = 'investigator1'")).scalar()
        held = conn.execute(text("SELECT count(*) FROM case_member WHERE user_id = :u"), {"u": inv}).scalar()
        if not held:
            conn.execute(text("INSERT INTO case_member (case_id, user_id, role, declared_no_prior_connection, "
                              "assigned_at) SELECT id, :u, 'INVESTIGATOR', 1, :at FROM ppda_case WHERE id % 25 = 0"),
                         {"u": inv, "at": datetime(2024, 1, 1)})


def window_for(db: Database, username: str) -> MainWindow:
    uow = UnitOfWork(db.session_factory)
    user = users.authenticate(uow, username, DEMO_PASSWORD)
    window = MainWindow(AppContext(db, user, installation.home_force(uow)))
    window.setGeometry(0, 0, *SIZE)
    window.show()
    settle(300)
    return window


def rich_case(section: CasesSection) -> int:
    """A case with several decisions and a victim with contact details, from the list."""
    with section.ctx.db.engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT c.id FROM ppda_case c JOIN victim v ON v.case_id = c.id AND v.contact_details IS NOT NULL "
            "JOIN decision d ON d.case_id = c.id GROUP BY c.id HAVING count(DISTINCT d.kind) >= 5 "
            "ORDER BY count(*) DESC LIMIT 1")).scalar() or 1)


def shoot_start(shots: Shooter, db: Database, empty: Path) -> None:
    fresh = open_database(f"sqlite:///{empty}")
    from app.persistence import migrate

    migrate.upgrade(fresh, backup=False)
    first = SessionController(fresh)
    first.start()
    assert first.first_run is not None
    first.first_run.force.setCurrentIndex(first.first_run.force.findData("west-midlands"))
    first.first_run.username.setText("chief.admin")
    shots.widget("01-first-run", first.first_run)
    first.first_run.close()
    fresh.dispose()
    ctl = SessionController(db)
    ctl.start()
    assert ctl.sign_in is not None
    ctl.sign_in.username.setText("supervisor1")
    ctl.sign_in.password.setText("wrong password")
    ctl.sign_in.accept()
    shots.widget("02-sign-in-refused", ctl.sign_in)
    ctl.sign_in.close()


def shoot_cases(shots: Shooter, db: Database) -> None:
    window = window_for(db, "supervisor1")
    cases = window.section(CasesSection)
    assert isinstance(cases, CasesSection)
    window.go_to(window.sections.index(cases))
    shots.widget("03-cases", window)
    cases.search.setText("smith")
    cases.apply_filter()
    cases.risk.setCurrentIndex(1)
    shots.widget("04-cases-search-and-filter", window)
    cases.clear_filters()
    cases.open_case(rich_case(cases))
    cases.view.tabs.setCurrentIndex(1)
    shots.widget("05-case-allegations", window)
    cases.view.tabs.setCurrentIndex(3)
    cases.view.timeline_table.selectRow(1)
    shots.widget("06-case-decisions", window)
    cases.view.tabs.setCurrentIndex(2)
    with_contact = next(i for i, v in enumerate(cases.view.victims.rows()) if v.has_contact_details)
    cases.view.victim_table.selectRow(with_contact)
    shots.widget("07-case-victims-masked", window)
    cases.view.ask_reveal()
    assert cases.view.reveal_dialog is not None
    cases.view.reveal_dialog.reason.setText("Arranging a safety visit with the IDVA")
    shots.screen("08-reveal-reason")
    cases.view.reveal_dialog.accept()
    shots.widget("09-case-victims-revealed", window)
    window.lock("You locked it.")
    shots.widget("10-locked", window)
    window.close()


def shoot_people(shots: Shooter, db: Database) -> None:
    window = window_for(db, "supervisor1")
    people = window.section(PeopleSection)
    assert isinstance(people, PeopleSection)
    window.go_to(window.sections.index(people))
    shots.widget("11-people", window)
    with db.engine.connect() as conn:
        pid = conn.execute(
            text("SELECT subject_id FROM allegation GROUP BY subject_id ORDER BY count(*) DESC")).scalar()
    people.open_person(int(pid or 1))
    shots.widget("12-person", window)
    window.close()


def shoot_admin(shots: Shooter, db: Database) -> None:
    window = window_for(db, "admin")
    admin = window.section(AdministrationSection)
    assert isinstance(admin, AdministrationSection)
    window.go_to(window.sections.index(admin))
    shots.widget("13-admin-users", window)
    admin.users.add_user()
    assert admin.users.dialog is not None
    admin.users.dialog.username.setText("new.investigator")  # type: ignore[union-attr]
    shots.screen("14-admin-add-user")
    admin.users.dialog.reject()
    admin.tabs.setCurrentWidget(admin.headcount)
    shots.widget("15-admin-headcount", window)
    admin.tabs.setCurrentWidget(admin.force_settings)
    shots.widget("16-admin-force-settings", window)
    window.close()


def shoot_log_and_data(shots: Shooter, db: Database, folder: Path) -> None:
    window = window_for(db, "auditor")
    log = window.section(AccessLogSection)
    assert isinstance(log, AccessLogSection)
    wait(log.verify().done)
    shots.widget("17-access-log", window)
    window.close()
    window = window_for(db, "head.psd")
    data = window.section(DataSection)
    assert isinstance(data, DataSection)
    window.go_to(window.sections.index(data))
    bad = folder / "cases-from-old-system.csv"
    bad.write_text("case_ref,recorded_date,reporting_route,case_type,subject_staff_number,victim_ref,"
                   "victim_relationship,abuse_types\n"
                   "PSD-OLD-1,2024-02-30,VICTIM_DIRECT,CONDUCT_MATTER,X1,V1,CURRENT_PARTNER,PHYSICAL\n"
                   "PSD-OLD-2,2024-03-01,EMAIL,CONDUCT_MATTER,X2,V1,PARTNER,PHYSICAL;SHOUTING\n", encoding="utf-8")
    shots.widget("18-data", window)
    wait(data.import_file("cases", bad).done)
    shots.screen("19-data-import-refused")
    window.close()


def shoot_my_work(shots: Shooter, db: Database) -> None:
    window = window_for(db, "supervisor1")
    work = window.section(MyWorkSection)
    assert isinstance(work, MyWorkSection)
    if work._task is not None:
        wait(work.loaded)
    work.whole_force.setChecked(True)
    wait(work.loaded)
    shots.widget("30-my-work", window)
    cases = window.section(CasesSection)
    assert isinstance(cases, CasesSection)
    row = next((r for r in range(work.model.rowCount())
                if work.model.index(r, 2).data() == "Restriction review"
                and work.model.index(r, 0).data() != "OVERDUE"),
               0)
    work.table.setCurrentIndex(work.model.index(row, 0))
    emit(work.table.activated, work.model.index(row, 0))  # as Enter does
    shots.widget("31-case-actions", window)
    dialog = cases.view.open_action("restriction")
    assert dialog is not None
    dialog.check("options", "Suspended")
    dialog.accept()
    shots.screen("32-restriction-refused")
    dialog.reject()
    intake = cases.new_case()
    intake.subject.search.setText("smi")
    intake.subject.find_people("smi")
    intake.abuse.boxes["PHYSICAL"].setChecked(True)
    shots.screen("33-new-case")
    intake.reject()
    window.close()


def wait(signal: object) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(30_000, loop.quit)
    loop.exec()


def shoot_iopc(shots: Shooter, db: Database) -> None:
    window = window_for(db, "iopc.liaison")
    cases = window.section(CasesSection)
    assert isinstance(cases, CasesSection)
    window.go_to(window.sections.index(cases))  # the list loads when the section is first shown
    first = cases.model.data(cases.model.index(0, 0), CaseRoles.CASE_ID)
    cases.open_case(int(first))
    cases.view.tabs.setCurrentIndex(2)
    shots.widget("20-iopc-liaison-case", window)
    window.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True, help="a demonstration SQLite database (ppda-tracker demo)")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    app = QApplication(sys.argv)
    apply_look(app)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        copy = folder / "demo.db"
        shutil.copy(args.db, copy)
        db = open_database(f"sqlite:///{copy}")
        prepare(db)
        shots = Shooter(args.out)
        steps: list[Callable[[], None]] = [
            lambda: shoot_start(shots, db, folder / "empty.db"), lambda: shoot_cases(shots, db),
            lambda: shoot_people(shots, db), lambda: shoot_admin(shots, db),
            lambda: shoot_log_and_data(shots, db, folder), lambda: shoot_iopc(shots, db),
            lambda: shoot_my_work(shots, db)]
        for step in steps:
            step()
            QCoreApplication.processEvents()
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
