"""Asking for the SQLCipher key when the OS keyring does not hold it (before the window opens)."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget


def ask_secret(question: str, parent: QWidget | None = None) -> str:
    """SecretStore's prompt: a password dialog; "" when the user cancels."""
    text, ok = QInputDialog.getText(
        parent, "PPDA Tracker: encrypted database",
        f"{question}\n\nThe database file is encrypted and this computer's keyring does not hold its key.",
        QLineEdit.EchoMode.Password)
    return text if ok else ""


def warn_memory_only(parent: QWidget | None = None) -> None:
    QMessageBox.warning(
        parent, "No keyring on this computer",
        "This computer has no OS keyring, so the database key you entered cannot be stored safely. "
        "It is kept in memory for this session only, and you will be asked for it again next time.")
