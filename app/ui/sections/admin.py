"""Administration: user accounts and roles, policies with effective dates (sections/policies.py),
headcount per survey year, force settings, and the notice-signing keys (the home force's and other
forces' public keys)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import Role
from app.services import clock, installation, notice_files, users
from app.services.users import UserSummary
from app.ui.context import AppContext, Change
from app.ui.dialogs.users import AddUserDialog, RolesDialog
from app.ui.errors import attempt, show_message, succeeded
from app.ui.models.admin_tables import HeadcountRoles, HeadcountTableModel, UserRoles, UserTableModel
from app.ui.sections.base import Section
from app.ui.sections.policies import PoliciesTab
from app.ui.style import icon
from app.ui.widgets import fit_columns, heading, note, table_view


def _button(text: str, name: str | None = None) -> QPushButton:
    button = QPushButton(icon(name), text) if name else QPushButton(text)
    button.setAccessibleName(text.rstrip("…"))
    return button


def _left(button: QPushButton) -> QWidget:
    """A button at its own width, on the left of its form row."""
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(button)
    line.addStretch(1)
    return row


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


class KeysTab(QWidget):
    """The home force's notice-signing key (created here; the public key shown to copy) and the
    public keys of other forces, which verify the notice files they send."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        create = _button("Create signing key…")
        create.clicked.connect(self.create_key)
        self.public = QLineEdit()
        self.public.setReadOnly(True)
        self.public.setAccessibleName("Home force public key")
        self.public.setPlaceholderText("Create the key to see the public key to send to other forces")
        copy = _button("Copy")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.public.text()))
        own = QHBoxLayout()
        own.addWidget(self.public, 1)
        own.addWidget(copy)
        self.force = QComboBox()
        self.force.setAccessibleName("Other force")
        self.other_key = QLineEdit()
        self.other_key.setAccessibleName("Other force public key")
        self.other_key.setPlaceholderText("Ed25519 public key, base64 (44 characters)")
        save = _button("Save public key")
        save.clicked.connect(self.save_public)
        box = QWidget()
        box.setMaximumWidth(820)
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(heading("This force's signing key", 2))
        form.addRow("", _left(create))
        form.addRow("Public key:", own)
        form.addRow(heading("Other forces' public keys", 2))
        form.addRow("Force:", self.force)
        form.addRow("Public key:", self.other_key)
        form.addRow("", _left(save))
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(note("Outbound notice files are signed with this force's private key, kept in this "
                              "workstation's keyring; creating a new key replaces the old one, so send the new "
                              "public key to the other forces. An inbound file is accepted only when it verifies "
                              "with the issuing force's public key held here."))
        layout.addStretch(1)

    def refresh(self) -> None:
        home = self.ctx.force.code
        self.force.clear()
        for f in installation.list_forces(self.ctx.uow()):
            if f.code != home:
                self.force.addItem(f"{f.name} ({f.code})", f.code)

    def create_key(self) -> None:
        public = attempt(self, notice_files.create_signing_key, self.ctx.uow(), self.ctx.user)
        if public is not None:
            self.public.setText(public)
            show_message(self, "Signing key created", "The private key is in this workstation's keyring. Copy the "
                         "public key and send it to the other forces.")

    def save_public(self) -> None:
        code = self.force.currentData()
        if code and succeeded(self, notice_files.set_public_key, self.ctx.uow(), self.ctx.user, code,
                              self.other_key.text()):
            show_message(self, "Saved", f"The public key of {self.force.currentText()} was saved.")
            self.other_key.clear()


class AdministrationSection(Section):
    title = "Administration"
    icon_name = "admin"
    description = "Users, policies, headcount, force settings, signing keys"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.users = UsersTab(ctx)
        self.headcount = HeadcountTab(ctx)
        self.force_settings = ForceSettingsTab(ctx)
        self.policies = PoliciesTab(ctx)
        self.keys = KeysTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Administration")
        self.tabs.addTab(self.users, "Users and roles")
        self.tabs.addTab(self.policies, "Policies")
        self.tabs.addTab(self.headcount, "Headcount")
        self.tabs.addTab(self.force_settings, "Force settings")
        self.tabs.addTab(self.keys, "Signing keys")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Administration"))
        layout.addWidget(self.tabs, 1)
        ctx.changed.connect(self._changed)

    def refresh(self) -> None:
        self._activated = True
        for tab in (self.users, self.policies, self.headcount, self.force_settings, self.keys):
            tab.refresh()

    def _changed(self, what: str) -> None:
        if self._activated and what == Change.USERS.value:
            self.users.refresh()
        elif self._activated and what == Change.SETTINGS.value:
            self.headcount.refresh()
            self.policies.refresh()
