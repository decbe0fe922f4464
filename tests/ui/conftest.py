"""Window tests run offscreen (QT_QPA_PLATFORM=offscreen, set in tests/conftest.py) on SQLite,
on a 1366×768 screen: the smallest the window is made for."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.domain.records import User
from app.persistence.uow import UnitOfWork
from app.services import installation
from app.ui.collector import GuiThreadCollector
from app.ui.context import AppContext
from app.ui.main_window import MainWindow
from app.ui.sections.base import Section
from tests.helpers import force_env
from tests.ui.sample_data import Sample, build

if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={Path(__file__).with_name('offscreen-1366x768.json')}"


@pytest.fixture(scope="session")
def _collector(qapp: QApplication) -> Iterator[GuiThreadCollector]:
    """As in the application: cyclic garbage is collected on the GUI thread, never in a worker."""
    collector = GuiThreadCollector(qapp)
    yield collector
    collector.stop()


@pytest.fixture(autouse=True)
def _collect_between_tests(_collector: GuiThreadCollector) -> Iterator[None]:
    yield
    _collector.check()


@pytest.fixture
def empty_url(tmp_path: Path, _sqlite_template: Path) -> str:
    target = tmp_path / "psd.db"
    shutil.copy(_sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def sample(empty_url: str, tmp_path: Path) -> Iterator[Sample]:
    folder = tmp_path / "files"
    folder.mkdir()
    with force_env(empty_url) as env:
        yield build(env, folder)


OpenWindow = Callable[[User], MainWindow]
S = TypeVar("S", bound=Section)


def shown(window: MainWindow, kind: type[S]) -> S:
    """The window's section of `kind`, brought to the front as the navigation would."""
    section = window.section(kind)
    assert isinstance(section, kind)
    window.go_to(window.sections.index(section))
    return section


@pytest.fixture
def open_window(qtbot: QtBot, sample: Sample) -> OpenWindow:
    def make(user: User) -> MainWindow:
        force = installation.home_force(UnitOfWork(sample.env.db.session_factory))
        window = MainWindow(AppContext(sample.env.db, user, force))
        qtbot.addWidget(window)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        return window

    return make


def message_boxes(parent: QWidget | None = None) -> list[QMessageBox]:
    """The message boxes on screen (non-blocking ones are children of their window)."""
    boxes = parent.findChildren(QMessageBox) if parent is not None else \
        [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    return [b for b in boxes if b.isVisible()]
