"""The look: the stylesheet and icons shipped in resources/."""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from app.resources import resource_path

log = logging.getLogger(__name__)


@cache
def icon(name: str) -> QIcon:
    """An icon from resources/icons/NAME.svg (an empty icon if the file is missing)."""
    path = resource_path("icons", f"{name}.svg")
    if not path.exists():
        log.warning("Icon %s is missing", name)
        return QIcon()
    return QIcon(str(path))


def apply_look(app: QApplication) -> None:
    app.setStyle("Fusion")
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    app.setFont(font)
    sheet = resource_path("style.qss")
    try:
        app.setStyleSheet(sheet.read_text(encoding="utf-8"))
    except OSError:
        log.warning("The stylesheet %s could not be read; using the plain look", sheet.name)
    app.setWindowIcon(icon("app"))
    app.setApplicationName("PPDA Tracker")
