"""The main window: marking, header, left navigation of the sections the user's roles may use,
the signed-in user in the status bar, keyboard shortcuts, the idle lock, remembered geometry."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import Action
from app.services.queue import QUEUE_ROLES
from app.ui import settings, workers
from app.ui.context import AppContext
from app.ui.errors import show_message
from app.ui.labels import human_list
from app.ui.lock import IdleMonitor, LockScreen, idle_minutes
from app.ui.sections.access_log import AccessLogSection
from app.ui.sections.admin import AdministrationSection
from app.ui.sections.base import Section
from app.ui.sections.cases import CasesSection
from app.ui.sections.data import DataSection
from app.ui.sections.my_work import MyWorkSection
from app.ui.sections.notices import NoticesSection
from app.ui.sections.people import PeopleSection
from app.ui.sections.reports import ReportsSection
from app.ui.sections.retention import RetentionSection
from app.ui.signals import emit
from app.ui.style import icon

MARKING = "OFFICIAL-SENSITIVE"
SHORTCUTS = (("Ctrl+N", "New case"), ("Ctrl+F", "Search the current list"), ("F5", "Refresh"),
             ("Ctrl+L", "Lock the window"),
             ("Ctrl+1 … Ctrl+5", "Go to a section"), ("Enter", "Open the selected row"),
             ("Esc", "Back to the list"), ("Ctrl+Q", "Quit"))


NAV_WIDTH = 168  # the navigation's width, unless a label needs more


def sections_for(ctx: AppContext) -> list[Section]:
    """Only the sections the user's roles may use (app.domain.permissions)."""
    wanted: list[Section] = []
    if ctx.user.roles & QUEUE_ROLES:
        wanted.append(MyWorkSection(ctx))
    if ctx.may(Action.READ_CASE):
        wanted.append(CasesSection(ctx))
    if ctx.may(Action.READ_PEOPLE):
        wanted.append(PeopleSection(ctx))
    if ctx.may(Action.TRIAGE_NOTICE):
        wanted.append(NoticesSection(ctx))
    if any(ctx.may(a) for a in (Action.EXPORT_RETURN, Action.ANNUAL_REPORT, Action.AGGREGATE)):
        wanted.append(ReportsSection(ctx))
    if ctx.may(Action.ADMINISTER):
        wanted.append(AdministrationSection(ctx))
    if ctx.may(Action.DISPOSE):
        wanted.append(RetentionSection(ctx))
    if ctx.may(Action.READ_ACCESS_LOG) or ctx.may(Action.VERIFY_ACCESS_LOG):
        wanted.append(AccessLogSection(ctx))
    if any(ctx.may(a) for a in (Action.IMPORT_WORKFORCE, Action.IMPORT_CASES, Action.IMPORT_NOTICES)):
        wanted.append(DataSection(ctx))
    return wanted


class MainWindow(QMainWindow):
    sign_out_requested = Signal()
    closed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mainWindow")
        self.setWindowTitle(f"PPDA Tracker — {ctx.force.name} — {MARKING}")
        self.sections = sections_for(ctx)
        self.nav = QListWidget()
        self.stack = QStackedWidget()
        self.lock_screen = LockScreen(ctx.uow, ctx.user)
        self.lock_screen.unlocked.connect(self.unlock)
        self.lock_screen.sign_out_requested.connect(self.sign_out_requested)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._workspace())
        self.pages.addWidget(self.lock_screen)
        self.setCentralWidget(self._body())
        self._status_bar()
        self._actions()
        self._connect_sections()
        self.idle = IdleMonitor(self, idle_minutes(ctx.uow()))
        self.idle.idle.connect(lambda: self.lock(f"It was idle for {self.idle.minutes} minutes."))
        self.idle.restart()
        self._restore_geometry()
        self._shown = False
        if self.sections:
            self.go_to(0)

    # -- building ---------------------------------------------------------------------------
    def _body(self) -> QWidget:
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(_marking_bar())
        column.addWidget(self._header())
        column.addWidget(self.pages, 1)
        return body

    def _header(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("header")
        logo = QLabel()
        logo.setPixmap(icon("app").pixmap(26, 26))
        name = QLabel("PPDA Tracker")
        name.setObjectName("appName")
        force = QLabel(f"{self.ctx.force.name} · Professional Standards")
        force.setObjectName("forceName")
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(14, 6, 10, 6)
        for w in (logo, name, force):
            layout.addWidget(w)
        layout.addStretch(1)
        self.lock_button = _tool_button("Lock", "lock-light", "Lock the window (Ctrl+L)")
        self.lock_button.clicked.connect(lambda: self.lock("You locked it."))
        sign_out = _tool_button("Sign out", "signout-light", "Sign out and return to the sign-in screen")
        sign_out.clicked.connect(self.sign_out_requested)
        layout.addWidget(self.lock_button)
        layout.addWidget(sign_out)
        return bar

    def _workspace(self) -> QWidget:
        self.nav.setObjectName("nav")
        self.nav.setAccessibleName("Sections")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setFixedWidth(NAV_WIDTH)
        for i, section in enumerate(self.sections):
            item = QListWidgetItem(icon(section.icon_name), section.title)
            item.setToolTip(f"{section.description} (Ctrl+{i + 1})")
            self.nav.addItem(item)
            self.stack.addWidget(section)
        self.nav.currentRowChanged.connect(self._show_section)
        workspace = QWidget()
        layout = QHBoxLayout(workspace)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        return workspace

    def _status_bar(self) -> None:
        user = self.ctx.user
        roles = human_list(sorted(r.name for r in user.roles))
        self.user_label = QLabel(f"Signed in as {user.display_name} ({user.username}) · {roles}")
        self.user_label.setObjectName("userLabel")
        self.user_label.setAccessibleName("Signed-in user and roles")
        marking = QLabel(MARKING)
        marking.setObjectName("markingStatus")
        self.statusBar().addWidget(self.user_label, 1)
        self.statusBar().addPermanentWidget(marking)
        self.statusBar().setSizeGripEnabled(True)

    def _actions(self) -> None:
        menu = self.menuBar()
        session = menu.addMenu("&Session")
        self.lock_action = _action(self, session, "&Lock", "Ctrl+L", lambda: self.lock("You locked it."))
        _action(self, session, "Sign &out", None, self.sign_out_requested)
        session.addSeparator()
        _action(self, session, "&Quit", "Ctrl+Q", self.close)
        view = menu.addMenu("&View")
        self.view_actions = [
            _action(self, view, s.title, f"Ctrl+{i + 1}", lambda _c=False, i=i: self.go_to(i))
            for i, s in enumerate(self.sections[:9])]
        view.addSeparator()
        cases = self.section(CasesSection)
        if isinstance(cases, CasesSection) and self.ctx.may(Action.EDIT_CASE):
            self.new_case_action = _action(self, view, "&New case…", "Ctrl+N", self.new_case)
        self.find_action = _action(self, view, "&Find", QKeySequence.StandardKey.Find, self.focus_search)
        self.refresh_action = _action(self, view, "&Refresh", QKeySequence.StandardKey.Refresh, self.refresh)
        help_menu = menu.addMenu("&Help")
        _action(self, help_menu, "&Keyboard shortcuts", "F1", self.show_shortcuts)

    def _connect_sections(self) -> None:
        cases = self.section(CasesSection)
        people = self.section(PeopleSection)
        if isinstance(cases, CasesSection) and isinstance(people, PeopleSection):
            cases.person_requested.connect(lambda pid: self._open_person(people, pid))
            people.case_requested.connect(lambda cid: self._open_case(cases, cid))
        notices = self.section(NoticesSection)
        if isinstance(notices, NoticesSection):
            notices.count_changed.connect(
                lambda _n: self.nav.item(self.sections.index(notices)).setText(notices.nav_title()))
        work = self.section(MyWorkSection)
        if isinstance(work, MyWorkSection):
            work.overdue_changed.connect(lambda n: self._label_nav(work, n))
            work.notice_requested.connect(self.open_notice)
            if isinstance(cases, CasesSection):
                work.case_requested.connect(lambda cid, kind, aid: self._open_case(cases, cid, kind, aid))

    def _restore_geometry(self) -> None:
        self.resize(1300, 720)
        geometry = settings.read(settings.WINDOW_GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            QTimer.singleShot(0, self._counts)

    def _counts(self) -> None:
        """Once the window is on screen: the Notices count (in a worker; the queue loads on opening)."""
        notices = self.section(NoticesSection)
        if isinstance(notices, NoticesSection):
            notices.refresh_count()

    # -- navigation -------------------------------------------------------------------------
    def section(self, kind: type[Section]) -> Section | None:
        return next((s for s in self.sections if isinstance(s, kind)), None)

    def current_section(self) -> Section | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Section) else None

    def go_to(self, index: int) -> None:
        if self.locked or not 0 <= index < len(self.sections):
            return
        self.nav.setCurrentRow(index)

    def _show_section(self, index: int) -> None:
        if 0 <= index < len(self.sections):
            self.stack.setCurrentIndex(index)
            self.sections[index].activate()

    def _open_person(self, people: PeopleSection, person_id: int) -> None:
        self.go_to(self.sections.index(people))
        people.open_person(person_id)

    def _open_case(self, cases: CasesSection, case_id: int, kind: str | None = None,
                   allegation_id: int | None = None) -> None:
        self.go_to(self.sections.index(cases))
        if cases.open_case(case_id) and kind:
            cases.view.focus_action(kind, allegation_id)

    def open_notice(self, notice_ref: str) -> bool:
        """Show a notice in the Notices section, when this window has one that can open it."""
        section = next((s for s in self.sections if callable(getattr(s, "open_notice", None))), None)
        if section is None:
            show_message(self, "Notices", f"Notice {notice_ref} is completed in the Notices section, "
                         "which is not available here.")
            return False
        self.go_to(self.sections.index(section))
        section.open_notice(notice_ref)  # type: ignore[attr-defined]
        return True

    def _label_nav(self, section: Section, overdue: int) -> None:
        item = self.nav.item(self.sections.index(section))
        item.setText(f"{section.title} ({overdue:,})" if overdue else section.title)
        # Wide enough for the longest label ("My work (2,345)" was cut to "My work (23…").
        wanted = self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 24
        self.nav.setFixedWidth(max(NAV_WIDTH, wanted))
        item.setToolTip(f"{overdue} overdue item{'s' if overdue != 1 else ''} — {section.description}")
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{section.title}, {overdue} overdue")

    def show_notice(self, notice_ref: str) -> bool:
        """Open a notice's candidate matches in the Notices section (My work's NOTICE_TRIAGE items)."""
        notices = self.section(NoticesSection)
        if not isinstance(notices, NoticesSection):
            return False
        self.go_to(self.sections.index(notices))
        return notices.show_notice(notice_ref)

    def new_case(self) -> None:
        """Ctrl+N from anywhere (even with a case open): the intake form, over the case list."""
        cases = self.section(CasesSection)
        if isinstance(cases, CasesSection) and not self.locked:
            self.go_to(self.sections.index(cases))
            cases.new_case()

    def focus_search(self) -> None:
        section = self.current_section()
        if section is not None and not self.locked:
            section.focus_search()

    def refresh(self) -> None:
        section = self.current_section()
        if section is not None and not self.locked:
            section.refresh()

    def show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{k}</b></td><td>&nbsp;&nbsp;{v}</td></tr>" for k, v in SHORTCUTS)
        show_message(self, "Keyboard shortcuts", f"<table>{rows}</table>")

    # -- locking ----------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.pages.currentWidget() is self.lock_screen

    def lock(self, reason: str) -> None:
        if self.locked:
            return
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
        for section in self.sections:
            section.on_lock()
        self.idle.stop()
        self.pages.setCurrentWidget(self.lock_screen)
        self.menuBar().setEnabled(False)
        self.lock_button.setEnabled(False)
        self.lock_screen.prepare(f"{reason} Enter your password to continue; nothing you had open was saved "
                                 "or lost.")

    def unlock(self) -> None:
        self.pages.setCurrentIndex(0)
        self.menuBar().setEnabled(True)
        self.lock_button.setEnabled(True)
        self.idle.restart()
        section = self.current_section()
        if section is not None:
            section.setFocus()

    # -- closing ----------------------------------------------------------------------------
    def save_geometry(self) -> None:
        settings.write(settings.WINDOW_GEOMETRY, self.saveGeometry())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_geometry()
        self.idle.detach()
        workers.stop_all(self)  # cancelled: nothing they did is saved, and the process need not wait for them
        super().closeEvent(event)
        emit(self.closed)


def _marking_bar() -> QLabel:
    bar = QLabel(MARKING)
    bar.setObjectName("markingBar")
    bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
    bar.setAccessibleName("Protective marking: official-sensitive")
    return bar


def _tool_button(text: str, icon_name: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setObjectName("headerButton")
    button.setText(text)
    button.setIcon(icon(icon_name))
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setToolTip(tip)
    button.setAccessibleName(text)
    return button


def _action(window: QMainWindow, menu: object, text: str, shortcut: object, slot: object) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))  # type: ignore[call-overload]
    action.triggered.connect(slot)
    menu.addAction(action)  # type: ignore[attr-defined]
    return action
