"""The window's own settings, declared once (key, type, default) and kept with QSettings in an
INI file in the data directory. Secrets never live here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from app.config import data_dir

T = TypeVar("T")


@dataclass(frozen=True)
class UiSetting(Generic[T]):
    key: str
    type: type[T]
    default: T


# Minutes of no keyboard or mouse input after which the window locks. A later pass reads the
# force policy IDLE_LOCK_MINUTES instead; until then this is the single place it is declared.
IDLE_LOCK_MINUTES = UiSetting("session/idle_lock_minutes", int, 15)
WINDOW_GEOMETRY = UiSetting("window/geometry", QByteArray, QByteArray())
WINDOW_STATE = UiSetting("window/state", QByteArray, QByteArray())
LAST_USERNAME = UiSetting("session/last_username", str, "")
LAST_FOLDER = UiSetting("files/last_folder", str, "")


def _store() -> QSettings:
    return QSettings(str(data_dir() / "window-settings.ini"), QSettings.Format.IniFormat)


def read(setting: UiSetting[T]) -> T:
    value = _store().value(setting.key, setting.default)
    if value is None:
        return setting.default
    if isinstance(value, setting.type):
        return value
    try:
        return setting.type(value)  # type: ignore[call-arg]
    except (TypeError, ValueError):
        return setting.default


def write(setting: UiSetting[T], value: T) -> None:
    store = _store()
    store.setValue(setting.key, value)
    store.sync()
