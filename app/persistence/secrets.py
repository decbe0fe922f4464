"""Secrets (SQLCipher key, PostgreSQL password, notice-signing key) live in the OS keyring.

With no keyring backend (a headless Linux box) the secret is asked for each session and kept in
memory only; it is never written to a settings file, a URL on disk, or a log.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

import keyring
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

SERVICE = "ppda-tracker"
log = logging.getLogger(__name__)

_session_secrets: dict[str, str] = {}


class SecretStore:
    """Reads and writes secrets; falls back to memory (with a warning) when no keyring exists."""

    def __init__(self, prompt: Callable[[str], str] | None = None, *, quiet: bool = False) -> None:
        self._prompt = prompt
        self._quiet = quiet  # the caller says itself what a missing keyring means (no warning here)
        self.keyring_available = True

    def get(self, name: str, question: str | None = None) -> str | None:
        if name in _session_secrets:
            return _session_secrets[name]
        try:
            value = keyring.get_password(SERVICE, name)
        except (NoKeyringError, KeyringError, RuntimeError):
            self._no_keyring()
            value = None
        if value is None and question and self._prompt is not None:
            value = self._prompt(question) or None
        if value is not None:
            _session_secrets[name] = value
        return value

    def put(self, name: str, value: str) -> bool:
        """Store the secret; returns False when it could be kept in memory only."""
        _session_secrets[name] = value
        try:
            keyring.set_password(SERVICE, name, value)
            return True
        except (NoKeyringError, KeyringError, RuntimeError):
            self._no_keyring()
            return False

    def delete(self, name: str) -> None:
        _session_secrets.pop(name, None)
        with contextlib.suppress(NoKeyringError, KeyringError, PasswordDeleteError, RuntimeError):
            keyring.delete_password(SERVICE, name)

    def _no_keyring(self) -> None:
        if self.keyring_available and not self._quiet:
            log.warning(
                "No OS keyring is available: secrets are kept in memory for this session only "
                "and will be asked for again next time."
            )
        self.keyring_available = False


def forget_session_secrets() -> None:
    _session_secrets.clear()
