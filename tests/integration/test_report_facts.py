"""The reports' facts read the light way (app.services.report_facts: a few Core selects, report
snapshots holding only what the facts read) equal the facts derived from full case snapshots
(app.services.case_state.load_snapshots), on SQLite and PostgreSQL.

The database is a demonstration database (imported cases, outcomes, restrictions, reviews, IOPC
referrals and decisions, investigating bodies, closures, list notifications...) with, on top, a
seeded mix of what the demo never makes: case-wide decisions (no allegation), every decision kind,
decisions sharing a date, conduct dates, aggravating features and shared victims (mandatory
referral grounds, SAME_INCIDENT), the home force's own code as investigating body, subjects who
left without an end date.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain.enums import (
    AbuseType,
    AggravatingFeature,
    CriminalOutcome,
    DecisionKind,
    IopcDecision,
    MisconductOutcome,
    RestrictionOption,
    ReviewOutcome,
)
from app.domain.policy import PolicySet
from app.persistence.database import Database, open_database
from app.persistence.models import AllegationRow, DecisionRow, PersonRow
from app.persistence.uow import UnitOfWork
from app.reports.read_models import AllegationFact
from app.services import clock, policies, report_facts
from app.services.case_state import load_snapshots
from app.services.demo import build_demo
from tests.integration.test_demo import _quick_hashing  # noqa: F401 - autouse: the demo's accounts hashed cheaply

NOW = datetime(2026, 11, 25, 10, 30)
CASES = 160
SEED = 23


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A demonstration database, varied by `_vary`."""
    clock.pin(NOW)
    database = open_database(db_url)
    try:
        build_demo(database, "west-midlands", CASES, seed=SEED)
        with UnitOfWork(database.session_factory) as uow:
            _vary(uow.session, random.Random(SEED))
            uow.commit()
        yield database
    finally:
        database.dispose()


# ---- the reference: facts from full snapshots (the way the reports were read before) ----------

def facts_from_full_snapshots(session: Session, start: date, end: date, p: PolicySet,
                              today: date) -> list[AllegationFact]:
    in_period = (AllegationRow.recorded_date >= start, AllegationRow.recorded_date <= end)
    recorded = dict(session.execute(select(AllegationRow.id, AllegationRow.recorded_date).where(*in_period)).all())
    case_ids = sorted(set(session.scalars(select(AllegationRow.case_id).where(*in_period))))
    home = report_facts.home_force_code(session)
    facts = []
    for i in range(0, len(case_ids), 900):
        for snap in load_snapshots(session, case_ids[i : i + 900]).values():
            facts += [report_facts.fact(snap, a, recorded[a.id], p, today, home)
                      for a in snap.allegations if a.id in recorded]
    return facts


# ---- what the demo does not make ----------------------------------------------------------------

def _payload(kind: DecisionKind, rng: random.Random) -> dict[str, Any]:
    def options() -> list[str]:
        return sorted(o.name for o in rng.sample(list(RestrictionOption), rng.randint(1, 3)))

    if kind == DecisionKind.THRESHOLD:
        return rng.choice([{"met": True}, {"met": False}, {}])
    if kind == DecisionKind.RESTRICTION:
        return {"options": options()}
    if kind == DecisionKind.RESTRICTION_REVIEW:
        return {"outcome": rng.choice(list(ReviewOutcome)).name, "options": options()}
    if kind == DecisionKind.MISCONDUCT_OUTCOME:
        return {"outcome": rng.choice(list(MisconductOutcome)).name}
    if kind == DecisionKind.CRIMINAL_OUTCOME:
        return {"outcome": rng.choice(list(CriminalOutcome)).name}
    if kind == DecisionKind.INVESTIGATING_BODY:
        return {"body": rng.choice(["HOME", "IOPC", "iopc", "west-midlands", "West-Midlands ", "kent", " Kent", ""])}
    if kind == DecisionKind.IOPC_REFERRAL:
        return {"mandatory": rng.random() < 0.5, "grounds": [], "iopc_reference": None}
    if kind == DecisionKind.IOPC_DECISION:
        return {"decision": rng.choice(list(IopcDecision)).name}
    if kind == DecisionKind.RECORDING:
        return {"recordable": True, "case_type": "CONDUCT_MATTER"}
    return {}


def _vary(session: Session, rng: random.Random) -> None:
    allegations = session.execute(
        select(AllegationRow.id, AllegationRow.case_id, AllegationRow.recorded_date).order_by(AllegationRow.id)).all()
    by_case: dict[int, list[int]] = {}
    for aid, cid, _ in allegations:
        by_case.setdefault(cid, []).append(aid)
    features = [f.name for f in AggravatingFeature]
    for aid, _cid, recorded in rng.sample(allegations, len(allegations) // 2):
        start = recorded - timedelta(days=rng.randrange(0, 400))
        session.execute(update(AllegationRow).where(AllegationRow.id == aid).values(
            conduct_from=rng.choice([None, start, start]),
            conduct_to=rng.choice([None, start + timedelta(days=rng.randrange(0, 60))]),
            aggravating_features=";".join(rng.sample(features, rng.randint(0, 2))),
            abuse_types=";".join(sorted({t.name for t in rng.sample(list(AbuseType), rng.randint(1, 3))})),
            criminal=rng.random() < 0.5,
            victim_refs=rng.choice(["V1", "V1;V2", "V2", ""]),
        ))
    # SAME_INCIDENT: an allegation without grounds of its own, recorded in survey year 2023/24, and
    # another of the same case and victim with a ground, recorded in 2024/25; whether their conduct
    # dates overlap turns on the second one's end date.
    for ids in [ids for ids in by_case.values() if len(ids) > 1]:
        first, second = ids[0], ids[1]
        start = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 300))
        session.execute(update(AllegationRow).where(AllegationRow.id == first).values(
            abuse_types="COERCIVE_CONTROL", aggravating_features="", criminal=False, victim_refs="V1",
            conduct_from=start, conduct_to=start + timedelta(days=10),
            recorded_date=date(2023, 6, 1) + timedelta(days=rng.randrange(0, 200))))
        later = start - timedelta(days=rng.choice([5, 20, 40]))
        session.execute(update(AllegationRow).where(AllegationRow.id == second).values(
            abuse_types="SEXUAL", victim_refs="V1;V2", conduct_from=later,
            conduct_to=later + timedelta(days=rng.choice([0, 30, 30])),
            recorded_date=date(2024, 6, 1) + timedelta(days=rng.randrange(0, 200))))
    kinds = list(DecisionKind)
    for _ in range(6 * len(by_case)):
        aid, cid, recorded = rng.choice(allegations)
        kind = rng.choice(kinds)
        effective = min(recorded + timedelta(days=rng.choice([0, 0, 1, 2, 30, 90, 200, 400])), NOW.date())
        session.add(DecisionRow(
            case_id=cid, allegation_id=None if rng.random() < 0.25 else rng.choice(by_case[cid]), kind=kind.name,
            payload=_payload(kind, rng), options_considered=[], decided_at=NOW, effective_date=effective,
        ))
    left = session.scalars(select(PersonRow.id).where(PersonRow.employment_status.in_(["RESIGNED", "RETIRED"]))).all()
    for pid in rng.sample(left, len(left) // 4):
        session.execute(update(PersonRow).where(PersonRow.id == pid).values(end_date=None, sex=None, ethnicity=None))


# ---- the test ----------------------------------------------------------------------------------

PERIODS = [
    (date(2015, 1, 1), date(2030, 12, 31)),  # everything
    (date(2023, 4, 1), date(2024, 3, 31)),  # a survey year
    (date(2023, 4, 1), date(2025, 3, 31)),  # the annual report's two years
    (date(2024, 6, 5), date(2024, 6, 5)),  # one day
    (date(2001, 1, 1), date(2001, 12, 31)),  # nothing
]


@pytest.mark.slow  # builds and snapshots a few hundred cases: over 10 s of CPU
def test_light_read_gives_the_facts_of_full_snapshots(db: Database) -> None:
    """One database per backend (building it is most of the time), compared at two dates."""
    key = lambda f: f.allegation_id  # noqa: E731
    with UnitOfWork(db.session_factory) as uow:
        s = uow.session
        p = policies.load(s)
        for today in (NOW.date(), date(2028, 1, 1)):
            for start, end in PERIODS:
                light = list(report_facts.facts_between(s, start, end, p, today))
                full = facts_from_full_snapshots(s, start, end, p, today)
                assert len({f.allegation_id for f in light}) == len(light)
                assert sorted(light, key=key) == sorted(full, key=key), (today, start, end)
        cases = dict(s.execute(select(AllegationRow.id, AllegationRow.case_id)).all())
        everything = list(report_facts.facts_between(s, *PERIODS[0], p, NOW.date()))
    assert len(everything) > CASES
    # In case-id order, then allegation id (as the full snapshots were read on SQLite).
    order = [(cases[f.allegation_id], f.allegation_id) for f in everything]
    assert order == sorted(order)
    # The varied database exercises what the equality is about.
    assert any(f.investigating_body == "HOME" for f in everything) and any(f.external for f in everything)
    assert any(f.iopc_mandatory for f in everything) and any(f.iopc_referral_on_time for f in everything)
    assert any(f.restriction_reviews_due for f in everything) and any(f.restriction_reviews_on_time for f in everything)
    assert any(f.external_investigation_exception for f in everything)
    assert any(f.suspension_on_charge_exception for f in everything)
    assert any(f.criminal_outcome for f in everything) and any(f.misconduct_outcomes for f in everything)
    assert any(f.subject_end_date is None and f.subject_employment_status.has_left for f in everything)
    # The service reads them this way.
    from app.services import reporting

    assert reporting._facts(UnitOfWork(db.session_factory), *PERIODS[0]) == everything
