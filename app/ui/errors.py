"""The one place that turns exceptions into dialogs.

Expected errors (a rule refused, a file is malformed, a wrong password…) are shown as plain
messages; so are the database's failures at run time (busy past the timeout, a full disk, a
damaged file, a lost server connection: classified by app.bootstrap.explain), which say what happened, what
to do, and that nothing changed. Anything else is a bug: logged with its traceback and shown in
one crash dialog, reached through `sys.excepthook` (which Qt calls for an exception escaping a slot
or an event handler). Neither shows the values a database error quotes.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import ParamSpec, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import explain, safe_text
from app.config import log_dir
from app.domain.errors import ExpectedError

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")


def show_message(parent: QWidget | None, title: str, text: str,
                 icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> QMessageBox:
    """A non-blocking message box (deleted when closed)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAccessibleName(title)
    box.open()
    return box


def show_expected(parent: QWidget | None, exc: ExpectedError, title: str = "Not done") -> QMessageBox:
    return show_message(parent, title, exc.message, QMessageBox.Icon.Warning)


def expected(exc: BaseException) -> ExpectedError | None:
    """`exc` as a message for the user (a refusal, or a database failure), or None for a bug."""
    return exc if isinstance(exc, ExpectedError) else explain(exc)


def attempt(parent: QWidget | None, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
    """Call a service; an expected refusal is shown as a message and gives None."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        told = expected(exc)
        if told is None:
            raise
        show_expected(parent, told)
        return None


def succeeded(parent: QWidget | None, fn: Callable[P, object], *args: P.args, **kwargs: P.kwargs) -> bool:
    """Call a service that returns nothing; False (and a message) when it refused."""
    try:
        fn(*args, **kwargs)
    except Exception as exc:
        told = expected(exc)
        if told is None:
            raise
        show_expected(parent, told)
        return False
    return True


def attempt_inline(label: QLabel, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
    """As `attempt`, but the refusal is written in `label` (sign-in, unlock)."""
    try:
        result = fn(*args, **kwargs)
    except Exception as exc:
        told = expected(exc)
        if told is None:
            raise
        label.setText(told.message)
        label.setVisible(True)
        return None
    label.clear()
    label.setVisible(False)
    return result


class CrashDialog(QDialog):
    """The one dialog for a bug: what happened, where the log is, the details to copy."""

    def __init__(self, summary: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("PPDA Tracker: unexpected error")
        self.setAccessibleName("Unexpected error")
        text = QLabel(
            "<b>Something went wrong inside PPDA Tracker.</b><br>"
            f"{summary}<br><br>What you were doing was not saved unless you were told it was. The details "
            f"are in the log file in {log_dir()}; please send them to your administrator.")
        text.setWordWrap(True)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Error details")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy details", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)


_open_crash: list[CrashDialog] = []


def report_exception(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """sys.excepthook: expected errors as messages, anything else logged and shown once."""
    told = expected(exc)
    if told is not None:
        show_expected(QApplication.activeWindow(), told)
        return
    if isinstance(exc, KeyboardInterrupt):
        QApplication.quit()
        return
    summary = f"{kind.__name__}: {safe_text(exc)}"
    details = "".join(traceback.format_tb(tb)) + summary
    log.critical("Unexpected error\n%s", details)
    if _open_crash:  # one crash dialog at a time: a cascade of errors is in the log
        return
    dialog = CrashDialog(summary, details, QApplication.activeWindow())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(lambda _r: _open_crash.clear())
    _open_crash.append(dialog)
    dialog.open()


def show_failure(parent: QWidget | None, exc: BaseException) -> None:
    """A background task's exception: a plain message if expected, else through sys.excepthook."""
    told = expected(exc)
    if told is not None:
        show_expected(parent, told)
    else:
        sys.excepthook(type(exc), exc, exc.__traceback__)


def install_excepthook() -> None:
    sys.excepthook = report_exception


def startup_failure(exc: ExpectedError, title: str = "PPDA Tracker cannot start") -> None:
    """Before the window exists: a blocking message, then the caller exits."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, exc.message, QMessageBox.StandardButton.Ok)
    box.setAccessibleName(title)
    box.exec()
