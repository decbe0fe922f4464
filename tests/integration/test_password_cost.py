"""Passwords are stored at argon2id's production cost. (The other tests hash at the lowest cost to
stay quick: tests/conftest.py's _quick_password_hashing; this one is marked to keep the real cost.)"""

from __future__ import annotations

import pytest
from argon2 import extract_parameters
from sqlalchemy import select

from app.persistence.models import UserRow
from app.services import users
from tests.helpers import PASSWORD, force_env


@pytest.mark.product_hashing
def test_a_new_password_is_stored_at_the_production_cost(db_url: str) -> None:
    with force_env(db_url) as env:
        with env.uow() as uow:
            stored = uow.session.scalar(select(UserRow.password_hash).where(UserRow.username == "admin"))
        assert stored is not None
        cost = extract_parameters(stored)
        assert stored.startswith("$argon2id$")
        assert cost.memory_cost >= 64 * 1024 and cost.time_cost >= 3 and cost.parallelism >= 1
        assert users.authenticate(env.uow(), "admin", PASSWORD).username == "admin"


def test_other_tests_hash_at_the_lowest_cost() -> None:
    assert users._hasher.memory_cost == 1024 and users._hasher.time_cost == 1
