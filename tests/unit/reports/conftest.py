"""Fixtures of the reporting tests (factories live in report_factories.py)."""

from __future__ import annotations

import pytest

from app.reports.read_models import ReturnContext
from tests.unit.reports.report_factories import FactFactory, make_context


@pytest.fixture
def fact() -> FactFactory:
    return FactFactory()


@pytest.fixture
def context() -> ReturnContext:
    return make_context()
