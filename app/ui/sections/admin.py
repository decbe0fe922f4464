"""Administration: user accounts and roles, headcount per survey year, force settings."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QTabWidget, QVBoxLayout, QWidget,
)

from app.domain.enums import Role
from app.services import clock, installation, users
from app.services.users import UserSummary
from app.ui.context import AppContext, Change
from app.ui.dialogs.users import AddUserDialog, RolesDialog
from app.ui.errors import show_message, succeeded
from app.ui.models.admin_tables import HeadcountRoles, HeadcountTableModel, UserRoles, UserTableModel
from app.ui.sections.base import Section
from app.ui.style import icon
from app.ui.widgets import fit_columns, heading, note, table_view


def _button(text: str, name: str | None = None) -> QPushButton:
    button = QPushButton(icon(name), text) if name else QPushButton(text)
    button.setAccessibleName(text.rstrip("…"))
    return button


class UsersTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = UserTableModel(self)
        self.table = table_view(self.model, "User accounts")
        self.add_button = _button("Add user…", "add")
        self.roles_button = _button("Change roles…")
        self.unlock_button = _button("Unlock")
        self.active_button = _button("Deactivate")
        self.add_button.clicked.connect(self.add_user)
        self.roles_button.clicked.connect(self.change_roles)
        self.unlock_button.clicked.connect(self.unlock)
        self.active_button.clicked.connect(self.toggle_active)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.dialog: AddUserDialog | RolesDialog | None = None
        bar = QHBoxLayout()
        for b in (self.add_button, self.roles_button, self.unlock_button, self.active_button):
            bar.addWidget(b)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(note("Five failed sign-ins lock an account until it is unlocked here. "
                              "Accounts are deactivated, never deleted, so the access log keeps its meaning."))

    def refresh(self) -> None:
        chosen = self.selected()
        rows = users.list_users(self.ctx.uow(), self.ctx.user)
        self.model.set_rows(rows)
        fit_columns(self.table)
        names = [r.username for r in rows]
        if chosen is not None and chosen.username in names:
            self.table.selectRow(names.index(chosen.username))
        self._update_buttons()

    def selected(self) -> UserSummary | None:
        index = self.table.currentIndex()
        return self.model.data(index, UserRoles.ROW) if index.isValid() else None

    def select(self, username: str) -> None:
        for i, row in enumerate(self.model.rows()):
            if row.username == username:
                self.table.selectRow(i)

    def _update_buttons(self) -> None:
        u = self.selected()
        self.roles_button.setEnabled(u is not None)
        self.unlock_button.setEnabled(u is not None and u.locked)
        self.active_button.setEnabled(u is not None and u.username != self.ctx.user.username)
        self.active_button.setText("Reactivate" if u is not None and not u.active else "Deactivate")

    def add_user(self) -> None:
        self.dialog = AddUserDialog(self.ctx, self)
        self.dialog.accepted.connect(lambda: self.ctx.notify(Change.USERS))
        self.dialog.open()

    def change_roles(self) -> None:
        u = self.selected()
        if u is None:
            return
        roles = frozenset(Role[r] for r in u.roles if r)
        self.dialog = RolesDialog(self.ctx, u.username, roles, self)
        self.dialog.accepted.connect(lambda: self.ctx.notify(Change.USERS))
        self.dialog.open()

    def unlock(self) -> None:
        u = self.selected()
        if u is not None and succeeded(self, users.unlock, self.ctx.uow(), self.ctx.user, u.username):
            self.ctx.notify(Change.USERS)

    def toggle_active(self) -> None:
        u = self.selected()
        if u is not None and succeeded(self, users.set_active, self.ctx.uow(), self.ctx.user, u.username,
                                     not u.active):
            self.ctx.notify(Change.USERS)


class HeadcountTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = HeadcountTableModel(self)
        self.table = table_view(self.model, "Headcount per survey year")
        self.table.selectionModel().currentRowChanged.connect(self._pick)
        this_year = clock.today().year + (1 if clock.today().month > 3 else 0)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(this_year)
        self.year.setAccessibleName("Survey year")
        self.total = QSpinBox()
        self.total.setRange(1, 1_000_000)
        self.total.setGroupSeparatorShown(True)
        self.total.setAccessibleName("Headcount")
        save = _button("Save headcount")
        save.setObjectName("primary")
        save.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow("Survey year (ending 31 March):", self.year)
        form.addRow("Workforce headcount:", self.total)
        form.addRow("", save)
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 1)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addWidget(note("The survey return divides the individuals with allegations by this headcount "
                            "(officers, staff, PCSOs, specials and volunteers on 31 March)."))
        side.addStretch(1)
        layout.addLayout(side, 1)

    def refresh(self) -> None:
        self.model.set_rows(installation.headcounts(self.ctx.uow()))
        fit_columns(self.table)

    def _pick(self, current: object, _previous: object) -> None:
        row = self.model.data(self.table.currentIndex(), HeadcountRoles.ROW)
        if row is not None:
            self.year.setValue(row.year)
            self.total.setValue(row.total)

    def save(self) -> None:
        if succeeded(self, installation.set_headcount, self.ctx.uow(), self.ctx.user, self.year.value(),
                   self.total.value()):
            self.ctx.notify(Change.SETTINGS)


class ForceSettingsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        force = QLabel(f"{ctx.force.name} ({ctx.force.code})")
        force.setAccessibleName("Home force")
        self.systems = QLineEdit()
        self.systems.setAccessibleName("Systems used to record misconduct allegations")
        self.systems.setPlaceholderText("e.g. Centurion; PPDA Tracker")
        save = _button("Save")
        save.setObjectName("primary")
        save.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow("Home force:", force)
        form.addRow("Systems used to record\nmisconduct allegations:", self.systems)
        form.addRow("", save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note("The survey return quotes the systems used. The home force is set at first run."))
        layout.addStretch(1)

    def refresh(self) -> None:
        self.systems.setText(installation.systems_used(self.ctx.uow()))

    def save(self) -> None:
        if succeeded(self, installation.set_systems_used, self.ctx.uow(), self.ctx.user, self.systems.text()):
            show_message(self, "Saved", "The systems used were saved.")
            self.ctx.notify(Change.SETTINGS)


class AdministrationSection(Section):
    title = "Administration"
    icon_name = "admin"
    description = "Users, headcount, force settings"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.users = UsersTab(ctx)
        self.headcount = HeadcountTab(ctx)
        self.force_settings = ForceSettingsTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Administration")
        self.tabs.addTab(self.users, "Users and roles")
        self.tabs.addTab(self.headcount, "Headcount")
        self.tabs.addTab(self.force_settings, "Force settings")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Administration"))
        layout.addWidget(self.tabs, 1)
        ctx.changed.connect(self._changed)

    def refresh(self) -> None:
        self._activated = True
        for tab in (self.users, self.headcount, self.force_settings):
            tab.refresh()

    def _changed(self, what: str) -> None:
        if self._activated and what == Change.USERS.value:
            self.users.refresh()
        elif self._activated and what == Change.SETTINGS.value:
            self.headcount.refresh()
