"""First run (home force and the first administrator) and sign-in."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from app.domain.records import User
from app.services import installation, users
from app.services.unit_of_work import UnitOfWork
from app.ui import settings
from app.ui.dialogs.forms import FormDialog
from app.ui.errors import attempt_inline


def _check_account(uow: UnitOfWork, username: str, password: str) -> bool:
    """The account rules (app.services.users), checked before anything is written."""
    users.check_account(uow, username, password)
    return True


class FirstRunDialog(FormDialog):
    """Sets the home force and creates the administrator, in one service call."""

    def __init__(self, uow: UnitOfWork, parent: QWidget | None = None) -> None:
        super().__init__(
            "PPDA Tracker: first run",
            "This database is new. Choose the force it belongs to and create the administrator's "
            "account. The administrator then adds the other users (administrators see no case content).",
            "Create administrator", parent)
        self.setObjectName("firstRunDialog")
        self.brand("Set up PPDA Tracker")
        self._uow = uow
        self.force = QComboBox()
        for force in installation.list_forces(uow):
            if force.is_territorial:
                self.force.addItem(force.name, force.code)
        self.force.setCurrentIndex(-1)
        self.force.setPlaceholderText("Choose your force")
        self._force_set = installation.is_initialised(uow)
        if self._force_set:  # an earlier first run set the force but did not create the administrator
            self.force.setCurrentIndex(self.force.findData(installation.home_force(uow).code))
            self.force.setEnabled(False)
        self.add_field("Home force:", self.force)
        self.username = self.line("Administrator's user name:", placeholder="e.g. jsmith.admin")
        self.password = self.line("Password:", password=True, placeholder="at least 12 characters")
        self.repeat = self.line("Repeat the password:", password=True)
        self.admin: User | None = None
        self.resize(520, self.sizeHint().height())

    def accept(self) -> None:
        if self.force.currentIndex() < 0:
            return self.say("Choose the home force.")
        if self.password.text() != self.repeat.text():
            return self.say("The two passwords differ.")
        name, password = self.username.text().strip(), self.password.text()
        if attempt_inline(self.message, _check_account, self._uow, name, password) is None:
            return None
        if self._force_set:
            admin = attempt_inline(self.message, users.create_first_administrator, self._uow, name, password)
        else:
            admin = attempt_inline(self.message, installation.initialise, self._uow, self.force.currentData(),
                                   name, password)
        if admin is not None:
            self.admin = admin
            super().accept()


class SignInDialog(FormDialog):
    def __init__(self, uow: UnitOfWork, force_name: str, parent: QWidget | None = None) -> None:
        super().__init__("PPDA Tracker: sign in", "", "Sign in", parent)
        self.setObjectName("signInDialog")
        self._uow = uow
        self.intro.setText(f"{force_name} · Professional Standards Department")
        self.brand("PPDA Tracker")
        self.username = self.line("User name:")
        self.password = self.line("Password:", password=True)
        self.username.setText(settings.read(settings.LAST_USERNAME))
        (self.password if self.username.text() else self.username).setFocus()
        self.buttons.button(self.buttons.StandardButton.Cancel).setText("Quit")
        self.user: User | None = None
        self.resize(420, self.sizeHint().height())

    def accept(self) -> None:
        user = attempt_inline(self.message, users.authenticate, self._uow, self.username.text().strip(),
                              self.password.text())
        self.password.clear()
        if user is not None:
            settings.write(settings.LAST_USERNAME, user.username)
            self.user = user
            super().accept()
        else:
            self.password.setFocus()
            self._fit_message()

    def _fit_message(self) -> None:
        """Grow to show the whole message (it says who can unlock a locked account)."""
        layout = self.layout()
        assert layout is not None  # FormDialog lays itself out in __init__ (self.body)
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)
