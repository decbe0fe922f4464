"""What the dialogs share: a titled form with an inline message line and OK/Cancel buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.style import icon


class FormDialog(QDialog):
    """A dialog with an intro text, a form, an (initially hidden) message and OK/Cancel."""

    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.intro.setObjectName("dialogIntro")
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setAccessibleName(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.header = QHBoxLayout()
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.header)
        self.body.addWidget(self.intro)
        self.body.addLayout(self.form)
        self.body.addWidget(self.message)
        self.body.addWidget(self.buttons)

    def brand(self, title: str) -> None:
        """The product's mark and a title above the intro (first run, sign-in)."""
        mark = QLabel()
        mark.setPixmap(icon("app").pixmap(36, 36))
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        marking = QLabel("OFFICIAL-SENSITIVE")
        marking.setObjectName("markingInline")
        self.header.addWidget(mark)
        self.header.addWidget(heading)
        self.header.addStretch(1)
        self.header.addWidget(marking, 0, Qt.AlignmentFlag.AlignTop)

    def add_field(self, label: str, widget: QWidget) -> QWidget:
        widget.setAccessibleName(label.rstrip(":"))
        self.form.addRow(label, widget)
        return widget

    def line(self, label: str, *, password: bool = False, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        if password:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setPlaceholderText(placeholder)
        self.add_field(label, edit)
        return edit

    def say(self, text: str) -> None:
        """Show a problem found before calling the service (e.g. two passwords differ)."""
        self.message.setText(text)
        self.message.setVisible(True)
