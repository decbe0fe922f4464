"""The window journeys run as the window tests do (tests/ui/conftest.py): offscreen at 1366×768,
cyclic garbage collected on the GUI thread; on an SQLite file."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.journeys.psd import Psd, small_psd
from tests.ui.conftest import _collect_between_tests, _collector  # noqa: F401 - fixtures used here


@pytest.fixture
def desk_psd(tmp_path: Path, _sqlite_template: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Psd]:
    target = tmp_path / "psd.db"
    shutil.copy(_sqlite_template, target)
    with small_psd(f"sqlite:///{target}", tmp_path, monkeypatch) as built:
        yield built
