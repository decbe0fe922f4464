"""Adding a user (roles, optional staff-number link) and changing a user's roles."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGridLayout, QWidget

from app.domain.enums import Role
from app.domain.records import User
from app.services import users
from app.ui.context import AppContext
from app.ui.dialogs.forms import FormDialog
from app.ui.errors import attempt_inline
from app.ui.labels import human

ROLE_HELP = {
    Role.INVESTIGATOR: "case work on the cases assigned to them",
    Role.SUPERVISOR: "all cases; decisions and approvals",
    Role.HEAD_OF_PSD: "all cases; head-of-PSD exceptions",
    Role.IOPC_LIAISON: "referred cases, without victim details",
    Role.FORCE_LEAD: "aggregate reports only",
    Role.ADMINISTRATOR: "accounts, policies, headcount; no case content",
    Role.AUDITOR: "the access log",
}


class RoleBoxes(QWidget):
    def __init__(self, chosen: frozenset[Role] = frozenset(), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[Role, QCheckBox] = {}
        for i, role in enumerate(Role):
            box = QCheckBox(human(role.name))
            box.setToolTip(ROLE_HELP[role])
            box.setAccessibleName(f"Role {human(role.name)}")
            box.setChecked(role in chosen)
            grid.addWidget(box, i // 2, i % 2)
            self.boxes[role] = box

    def chosen(self) -> set[Role]:
        return {role for role, box in self.boxes.items() if box.isChecked()}


class AddUserDialog(FormDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Add a user", "The new user signs in with this password; give it to them in person.",
                         "Add user", parent)
        self.setObjectName("addUserDialog")
        self._ctx = ctx
        self.username = self.line("User name:", placeholder="letters, digits, '.', '_' or '-'")
        self.display_name = self.line("Full name:")
        self.roles = RoleBoxes()
        self.add_field("Roles:", self.roles)
        self.staff_number = self.line("Staff number (optional):",
                                      placeholder="links the account to the workforce register")
        self.team = self.line("Team (optional):")
        self.password = self.line("Password:", password=True, placeholder="at least 12 characters")
        self.repeat = self.line("Repeat the password:", password=True)
        self.created: User | None = None
        self.resize(560, self.sizeHint().height())

    def accept(self) -> None:
        if self.password.text() != self.repeat.text():
            return self.say("The two passwords differ.")
        user = attempt_inline(
            self.message, users.add_user, self._ctx.uow(), self._ctx.user, self.username.text().strip(),
            self.roles.chosen(), self.password.text(), display_name=self.display_name.text().strip() or None,
            staff_number=self.staff_number.text().strip() or None, team=self.team.text().strip() or None)
        if user is not None:
            self.created = user
            super().accept()


class RolesDialog(FormDialog):
    def __init__(self, ctx: AppContext, username: str, roles: frozenset[Role], parent: QWidget | None = None) -> None:
        super().__init__(f"Roles of {username}", "A user may hold several roles. The change is logged.",
                         "Save roles", parent)
        self.setObjectName("rolesDialog")
        self._ctx = ctx
        self._username = username
        self.roles = RoleBoxes(roles)
        self.add_field("Roles:", self.roles)

    def accept(self) -> None:
        done = attempt_inline(self.message, _set_roles, self._ctx, self._username, self.roles.chosen())
        if done:
            super().accept()


def _set_roles(ctx: AppContext, username: str, roles: set[Role]) -> bool:
    users.set_roles(ctx.uow(), ctx.user, username, roles)
    return True
