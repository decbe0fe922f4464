"""The case team as choices (app.services.person_search), on SQLite and PostgreSQL: the current
members with their user names and roles, not those whose assignment ended nor users merely named on
a restricted case; told only to a reader of the case, a refusal written to the access log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.enums import AssignmentRole, Role
from app.domain.errors import NotFound, PermissionDenied
from app.services import audit
from app.services import casework as cw
from app.services.person_search import TeamChoice, current_team
from tests.helpers import force_env
from tests.ui.sample_data import Sample, build

C1, C2 = "PSD-2024-000001", "PSD-2024-000002"


@pytest.fixture
def s(db_url: str, tmp_path: Path) -> Iterator[Sample]:
    with force_env(db_url) as env:
        yield build(env, tmp_path)


def test_the_current_members_with_their_user_names(s: Sample) -> None:
    assert current_team(s.env.uow(), s.sup, s.case_ids[C1]) == [
        TeamChoice("inv", "inv", AssignmentRole.INVESTIGATOR, False)]
    assert current_team(s.env.uow(), s.inv, s.case_ids[C1])[0].username == "inv"
    assert current_team(s.env.uow(), s.sup, s.case_ids[C2]) == []


def test_ended_assignments_and_named_access_are_not_members(s: Sample) -> None:
    dm = s.env.user("dm", Role.SUPERVISOR)
    cw.assign_member(s.env.uow(), s.sup, s.case_ids[C1], "dm", AssignmentRole.DECISION_MAKER, True)
    cw.restrict_case(s.env.uow(), s.sup, s.case_ids[C1], ["dm"])
    assert [(m.username, m.role) for m in current_team(s.env.uow(), s.sup, s.case_ids[C1])] == [
        ("dm", AssignmentRole.DECISION_MAKER), ("inv", AssignmentRole.INVESTIGATOR)]
    cw.end_assignment(s.env.uow(), s.sup, s.case_ids[C1], "inv", AssignmentRole.INVESTIGATOR, reason="Moved to CID")
    assert current_team(s.env.uow(), dm, s.case_ids[C1]) == [
        TeamChoice("dm", "dm", AssignmentRole.DECISION_MAKER, True)]


def test_only_a_reader_of_the_case_is_told_and_a_refusal_is_logged(s: Sample) -> None:
    with pytest.raises(PermissionDenied, match="team of case PSD-2024-000002"):
        current_team(s.env.uow(), s.inv, s.case_ids[C2])
    with pytest.raises(PermissionDenied):
        current_team(s.env.uow(), s.lead, s.case_ids[C1])
    refused = [e for e in audit.search(s.env.uow(), s.aud) if e.record_type == "case" and e.record_id == C2]
    assert refused and "case team" in (refused[-1].detail or "")
    with pytest.raises(NotFound):
        current_team(s.env.uow(), s.sup, 999_999)
