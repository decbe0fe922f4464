"""`ppda-tracker demo`: a synthetic force database, loaded through the import services, on SQLite
and PostgreSQL. It never touches a database in use, every role can sign in with the printed
password, and the data obeys the rules a user would check."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from app.cli import main
from app.domain.enums import FINAL_MISCONDUCT_OUTCOMES, DueItemKind, MisconductOutcome, Role
from app.domain.errors import InvalidInput, RuleRefused
from app.persistence.database import Database, open_database
from app.persistence.models import (
    AccessLogRow,
    AllegationRow,
    CaseRow,
    DecisionRow,
    HeadcountRow,
    NoticeMatchRow,
    NoticeRow,
    PersonRow,
    UserRow,
    VictimRow,
)
from app.persistence.uow import UnitOfWork
from app.services import audit, case_summary, clock, users
from app.services.demo import ACCOUNTS, DEMO_PASSWORD, build_demo
from app.services.queue import work_queue
from tests.helpers import force_env

NOW = datetime(2026, 11, 25, 10, 30)
CASES = 40
M = MisconductOutcome
TABLES = (PersonRow, UserRow, CaseRow, AllegationRow, VictimRow, DecisionRow, NoticeRow, HeadcountRow, AccessLogRow)

pytestmark = pytest.mark.slow  # each test builds a demonstration force (2-5 s of CPU)


@dataclass
class Demo:
    db: Database
    report: str

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db.session_factory)


@pytest.fixture(autouse=True)
def _quick_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fourteen accounts at argon2's full cost take seconds per demo; the cost is not under test here."""
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def demo(db_url: str) -> Iterator[Demo]:
    clock.pin(NOW)
    db = open_database(db_url)
    try:
        yield Demo(db, build_demo(db, "west-midlands", CASES, seed=11))
    finally:
        db.dispose()


def counts(db: Database) -> dict[str, int]:
    with UnitOfWork(db.session_factory) as uow:
        return {t.__tablename__: uow.session.scalar(select(func.count()).select_from(t)) or 0 for t in TABLES}


def test_the_demo_is_loaded_through_the_imports(demo: Demo) -> None:
    c = counts(demo.db)
    assert c["ppda_case"] == CASES
    assert CASES <= c["allegation"] <= 3 * CASES
    assert c["person"] == 240  # six people per case, at least 200
    assert c["prior_notice"] == 200
    assert c["headcount"] == 6  # survey years 2022 to 2027
    assert f"Cases                {CASES}," in demo.report
    assert "240 people" in demo.report and "Prior notices        200" in demo.report
    with demo.uow() as uow:
        s = uow.session
        decisions = s.execute(select(DecisionRow.imported_from, DecisionRow.decided_by)).all()
        imported = {d for d in decisions if d[0] is not None}
        assert imported == {("demo-cases.csv", None)}  # imported decisions, by no one here
        made_here = {d for d in decisions if d[0] is None}
        assert made_here and all(by is not None for _, by in made_here)  # closures, assignments: by a user
        logged = set(s.scalars(select(AccessLogRow.record_type).where(AccessLogRow.record_type.like("%import"))))
        assert logged == {"workforce_import", "case_import", "notice_import"}
        refs = list(s.scalars(select(CaseRow.reference)))
        assert all(r.startswith("PSD-20") and len(r) == len("PSD-2024-000001") for r in refs)
        victim_refs = list(s.scalars(select(VictimRow.reference)))
        assert all(v.startswith("V-") for v in victim_refs)


def test_the_demo_data_obeys_the_rules(demo: Demo) -> None:
    with demo.uow() as uow:
        s = uow.session
        allegations = {a.id: a for a in s.scalars(select(AllegationRow))}
        people = {p.id: p for p in s.scalars(select(PersonRow))}
        finished = _check_outcomes(allegations, people, list(s.scalars(select(DecisionRow))))
        assert 0 < len(finished) < len(allegations)  # older cases finished, recent ones ongoing
        today = NOW.date()
        assert all(a.recorded_date <= today for a in allegations.values())
        for p in people.values():
            assert p.start_date is not None and p.start_date <= today
            assert p.end_date is None or p.start_date <= p.end_date <= today
            assert (p.end_date is not None) == (p.employment_status in ("RESIGNED", "RETIRED", "DISMISSED",
                                                                        "TRANSFERRED_OUT"))
        managers = Counter(p.line_manager_id for p in people.values())
        assert managers[None] == 1  # only the chief constable reports to no one


def _check_outcomes(allegations: dict[int, AllegationRow], people: dict[int, PersonRow],
                    decisions: list[DecisionRow]) -> set[int]:
    """Every decision dated between recording and today; outcomes the subject could receive."""
    finished = set()
    for d in decisions:
        if d.allegation_id is None:  # case-level: closures, team assignments, notifications
            assert d.kind in ("CLOSURE", "ASSIGNMENT", "LIST_NOTIFICATION", "VETTING_REVIEW"), d.kind
            continue
        assert d.allegation_id is not None
        a = allegations[d.allegation_id]
        subject = people[a.subject_id]
        assert a.recorded_date <= d.effective_date <= NOW.date(), (d.kind, d.effective_date)
        if d.kind != "MISCONDUCT_OUTCOME":
            continue
        outcome = M(d.payload["outcome"])
        if outcome == M.DISMISSAL_WITHOUT_NOTICE:
            assert (subject.employment_status, subject.end_date) == ("DISMISSED", d.effective_date)
        if outcome == M.WOULD_HAVE_BEEN_DISMISSED:  # only for someone who left before the outcome
            assert subject.employment_status in ("RESIGNED", "RETIRED")
            assert subject.end_date is not None and subject.end_date < d.effective_date
        assert outcome != M.MANAGEMENT_ADVICE
        if outcome == M.MANAGEMENT_ACTION:
            assert subject.workforce_type not in ("POLICE_OFFICER", "SPECIAL_CONSTABLE")
        if outcome == M.REDUCTION_IN_RANK:
            assert subject.rank_or_grade not in ("PC", "DC", "SC")
        if outcome in FINAL_MISCONDUCT_OUTCOMES:
            finished.add(a.id)
    return finished


def test_every_role_signs_in_with_the_printed_password(demo: Demo) -> None:
    assert f"password: {DEMO_PASSWORD}" in demo.report
    for role in Role:
        names = [a.username for a in ACCOUNTS if a.role == role] or ["admin"]
        for name in names:
            user = users.authenticate(demo.uow(), name, DEMO_PASSWORD)
            assert user.roles == {role}
            assert f"  {name} " in demo.report
    with demo.uow() as uow:
        teams = Counter(uow.session.scalars(select(UserRow.team).where(UserRow.roles == "INVESTIGATOR")))
        linked = uow.session.scalar(select(func.count()).select_from(UserRow).where(UserRow.person_id.is_not(None)))
    assert len(teams) == 3 and sum(teams.values()) == 6  # investigators in three teams
    assert linked == len(ACCOUNTS)  # each demo user is a member of the workforce (the admin is not)
    assert "ppda-tracker --db " in demo.report and "--user supervisor1" in demo.report


def test_the_access_log_verifies(demo: Demo) -> None:
    with demo.uow() as uow:
        result = audit.verify_chain(uow.session)
    assert result.ok, result.message
    assert result.entries >= len(ACCOUNTS) + 3


def test_the_work_queue_has_overdue_items_and_the_matcher_finds_planted_notices(demo: Demo) -> None:
    head = users.authenticate(demo.uow(), "head.psd", DEMO_PASSWORD)
    overdue = {i.item for i in work_queue(demo.uow(), head, everyone=True, overdue_only=True)}
    assert {DueItemKind.RESTRICTION_DECISION, DueItemKind.SUSPENSION_ON_CHARGE, DueItemKind.IOPC_REFERRAL} <= overdue
    with demo.uow() as uow:
        matched = uow.session.scalar(select(func.count()).select_from(NoticeMatchRow))
    assert matched and "14 planted" in demo.report


def test_the_queue_read_from_the_case_projection_is_the_queue_derived_from_the_records(
        demo: Demo, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The queue reads each case's due items as the projection keeps them (issue #15): item for item
    and in the same order what deriving them from the records gives, whoever asks and however; and
    `queue --all` prints them as FORMATS.md's text form always has: one line each, then the count."""
    people = {name: users.authenticate(demo.uow(), name, DEMO_PASSWORD)
              for name in ("head.psd", "supervisor1", "investigator1", "iopc.liaison")}
    asks: list[tuple[str, dict[str, Any]]] = [
        ("supervisor1", {"everyone": True}), ("supervisor1", {"everyone": True, "overdue_only": True}),
        ("head.psd", {"everyone": True, "within_days": 30}), ("supervisor1", {"most_urgent_cases": 5}),
        ("investigator1", {}), ("iopc.liaison", {})]
    read = [work_queue(demo.uow(), people[who], **how) for who, how in asks]
    assert len(read[0]) > 20 and any(i.overdue for i in read[0]) and not all(i.overdue for i in read[0])
    monkeypatch.setenv("PPDA_PASSWORD", DEMO_PASSWORD)
    assert main(["--db", db_url, "--user", "supervisor1", "queue", "--all"]) == 0
    printed = capsys.readouterr().out
    monkeypatch.setattr(case_summary, "is_current", lambda _session: False)
    derived = [work_queue(demo.uow(), people[who], **how) for who, how in asks]
    for (who, how), got, expected in zip(asks, read, derived, strict=True):
        assert got == expected, (who, how)
    everyone = derived[0]
    assert printed == "".join(
        f"{'OVERDUE' if i.overdue else '       '} {i.due_date.isoformat()}  {i.item.name:22} {i.case_ref:18} "
        f"{i.assigned_to:24} {i.detail}\n" for i in everyone) + \
        f"{len(everyone)} item(s), {sum(i.overdue for i in everyone)} overdue.\n"
    assert [(not i.overdue, i.due_date, i.case_ref, i.item.name) for i in everyone] == \
        sorted((not i.overdue, i.due_date, i.case_ref, i.item.name) for i in everyone)


def test_a_second_demo_on_the_same_database_is_refused_and_changes_nothing(demo: Demo) -> None:
    before = counts(demo.db)
    with pytest.raises(RuleRefused, match="already in use.*never overwrites real data"):
        build_demo(demo.db, "west-midlands", 5, seed=1)
    assert counts(demo.db) == before


def test_a_database_in_real_use_is_refused(db_url: str) -> None:
    with force_env(db_url) as env:  # `init` has been run: an administrator, no cases yet
        before = counts(env.db)
        with pytest.raises(RuleRefused, match="1 user account"):
            build_demo(env.db, "west-midlands", 5, seed=1)
        assert counts(env.db) == before


def test_an_unknown_force_is_refused_before_any_user_is_made(db_url: str) -> None:
    db = open_database(db_url)
    try:
        with pytest.raises(InvalidInput, match="'atlantis' is not a force code"):
            build_demo(db, "atlantis", 5, seed=1)
        assert counts(db)["user_account"] == 0
    finally:
        db.dispose()


def test_the_demo_command_prints_the_users_and_refuses_a_second_run(
        db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    clock.pin(NOW)
    assert main(["--db", db_url, "demo", "--cases", "30"]) == 0
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for name in ["admin", *(a.username for a in ACCOUNTS)]:
        assert f"  {name} " in out
    monkeypatch.setenv("PPDA_PASSWORD", DEMO_PASSWORD)
    assert main(["--db", db_url, "--user", "auditor", "audit", "verify"]) == 0
    assert "chain intact" in capsys.readouterr().out
    assert main(["--db", db_url, "demo", "--cases", "30"]) == 1
    assert "already in use" in capsys.readouterr().err


def _content(path: Path, seed: int) -> tuple[Sequence[Any], ...]:
    db = open_database(f"sqlite:///{path}")
    try:
        build_demo(db, "west-midlands", 25, seed)
        with UnitOfWork(db.session_factory) as uow:
            s = uow.session
            people = s.execute(select(PersonRow.staff_number, PersonRow.surname, PersonRow.forenames,
                                      PersonRow.date_of_birth,
                                      PersonRow.employment_status).order_by(PersonRow.id)).all()
            allegations = s.execute(select(CaseRow.reference, AllegationRow.recorded_date, AllegationRow.abuse_types,
                                           PersonRow.staff_number).join(CaseRow).join(PersonRow)
                                    .order_by(AllegationRow.id)).all()
            outcomes = s.execute(select(DecisionRow.kind, DecisionRow.payload, DecisionRow.effective_date)
                                 .order_by(DecisionRow.id)).all()
            notices = s.execute(select(NoticeRow.notice_ref, NoticeRow.surname, NoticeRow.date_of_birth)
                                .order_by(NoticeRow.id)).all()
        return people, allegations, outcomes, notices
    finally:
        db.dispose()


def test_the_same_seed_makes_the_same_demo(tmp_path: Path) -> None:
    clock.pin(NOW)
    first = _content(tmp_path / "a.db", seed=5)  # a new file: the schema is made first
    assert _content(tmp_path / "b.db", seed=5) == first
    assert _content(tmp_path / "c.db", seed=6) != first
