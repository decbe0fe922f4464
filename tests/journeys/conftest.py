"""The journeys' PSD, on SQLite and PostgreSQL (the `db_url` fixture of tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.journeys.psd import Psd, small_psd


@pytest.fixture
def psd(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Psd]:
    with small_psd(db_url, tmp_path, monkeypatch) as built:
        yield built

