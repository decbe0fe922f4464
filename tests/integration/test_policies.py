"""Policies are dated data: set from a date, refused when malformed, each change logged."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.enums import GuidanceCoverage, Role
from app.domain.errors import InvalidInput, PermissionDenied
from app.domain.policy import PolicyName
from app.persistence.models import AccessLogRow
from app.services import policies
from tests.helpers import Env, force_env


@pytest.fixture
def env(db_url: str):
    with force_env(db_url) as e:
        yield e


def test_value_in_force_depends_on_the_date(env: Env) -> None:
    policies.set_policy(env.uow(), env.admin, "external-investigation-guidance", "some", date(2024, 1, 1))
    policies.set_policy(env.uow(), env.admin, "external-investigation-guidance", "ALL", date(2025, 4, 1))
    current = policies.current(env.uow())
    name = PolicyName.EXTERNAL_INVESTIGATION_GUIDANCE
    assert current.coverage_on(name, date(2023, 12, 31)) == GuidanceCoverage.NONE
    assert current.coverage_on(name, date(2024, 3, 31)) == GuidanceCoverage.SOME
    assert current.coverage_on(name, date(2025, 4, 1)) == GuidanceCoverage.ALL
    with env.uow() as uow:
        details = [r.detail for r in uow.session.scalars(select(AccessLogRow).where(AccessLogRow.record_type == "policy"))]
    assert details == ["external-investigation-guidance = SOME from 2024-01-01",
                       "external-investigation-guidance = ALL from 2025-04-01"]


def test_bad_policy_input_is_refused(env: Env) -> None:
    with pytest.raises(InvalidInput, match="Unknown policy 'colour'"):
        policies.set_policy(env.uow(), env.admin, "colour", "red", date(2024, 1, 1))
    with pytest.raises(InvalidInput, match="needs NONE, SOME or ALL"):
        policies.set_policy(env.uow(), env.admin, "role-restriction-guidance", "MOSTLY", date(2024, 1, 1))
    policies.set_policy(env.uow(), env.admin, "restriction-review-days", "21", date(2024, 1, 1))
    with pytest.raises(InvalidInput, match="already has a value"):
        policies.set_policy(env.uow(), env.admin, "restriction-review-days", "14", date(2024, 1, 1))
    sup = env.user("sup", Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        policies.set_policy(env.uow(), sup, "restriction-review-days", "14", date(2024, 2, 1))


def test_matching_thresholds_cannot_be_set_upside_down(env: Env) -> None:
    with pytest.raises(InvalidInput, match="review threshold .* would be above the match threshold"):
        policies.set_policy(env.uow(), env.admin, "match-review-threshold", "0.95", date(2024, 1, 1))
    policies.set_policy(env.uow(), env.admin, "match-review-threshold", "0.6", date(2024, 1, 1))
    with pytest.raises(InvalidInput, match="would be above"):
        policies.set_policy(env.uow(), env.admin, "match-auto-threshold", "0.5", date(2023, 1, 1))
