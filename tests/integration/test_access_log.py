"""The access log is append-only and hash-chained: a changed, removed, inserted or reordered entry
is found by walking the chain; the database refuses UPDATE and DELETE; each committed transaction
that wrote entries leaves a signed checkpoint outside the database. (The attacks that re-hash the
chain, cut its end or empty it are in tests/adversarial/test_access_log_checkpoints.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from app.domain.enums import AccessOperation, Role
from app.domain.errors import PermissionDenied
from app.persistence.models import AccessLogRow
from app.services import access_log_checkpoints as checkpoints
from app.services import audit
from tests.adversarial.log_tampering import LOG, tampering
from tests.helpers import Env, force_env


@pytest.fixture
def env(db_url: str):
    with force_env(db_url) as e:
        with e.uow() as uow:
            for i in range(6):
                audit.record(uow.session, e.admin, AccessOperation.CONSULTATION, "case", i, reason=f"check {i}")
            uow.commit()
        yield e


def _chain(env: Env) -> audit.VerifyResult:
    with env.uow() as uow:
        return audit.verify_chain(uow.session)


def _checkpoint_file(env: Env) -> Path:
    path = checkpoints.checkpoint_path(env.db.engine.url)
    assert path is not None
    return path


def test_intact_chain_verifies_against_its_checkpoints(env: Env) -> None:
    assert _chain(env).ok and _chain(env).entries == 7
    result = audit.verify(env.uow(), env.admin)
    assert result.ok and result.checkpoints == 2, result.message
    assert "7 entries, chain intact, consistent with 2 signed checkpoint(s)" in result.message


def test_each_commit_that_wrote_entries_leaves_one_signed_checkpoint(env: Env) -> None:
    lines = [json.loads(line) for line in _checkpoint_file(env).read_text().splitlines()]
    assert [(c["size"], c["event"]) for c in lines] == [(1, "commit"), (7, "commit")]
    with env.uow() as uow:
        hashes = dict(uow.session.execute(select(AccessLogRow.seq, AccessLogRow.hash)).all())
    assert [c["head"] for c in lines] == [hashes[1], hashes[7]] and {c["log"] for c in lines} == {hashes[1]}
    assert all(checkpoints.parse_line(json.dumps(c).encode()).signature_valid() for c in lines)  # type: ignore[union-attr]


def test_the_database_refuses_to_change_or_delete_an_entry(env: Env) -> None:
    for statement in ("UPDATE access_log SET reason = 'nothing to see' WHERE seq = 4", "DELETE FROM access_log"):
        with pytest.raises(DBAPIError, match="append-only"), env.db.engine.begin() as conn:
            conn.execute(text(statement))
    assert _chain(env).entries == 7


def test_changed_entry_is_named(env: Env) -> None:
    with tampering(env.db) as conn:
        conn.execute(update(LOG).where(LOG.c.seq == 4).values(reason="nothing to see"))
    result = _chain(env)
    assert not result.ok and result.first_bad_seq == 4 and "altered" in result.message


def test_removed_entry_is_found(env: Env) -> None:
    with tampering(env.db) as conn:
        conn.execute(LOG.delete().where(LOG.c.seq == 3))
    result = _chain(env)
    assert not result.ok and result.first_bad_seq == 4


def test_inserted_entry_is_found(env: Env) -> None:
    with tampering(env.db) as conn:
        row = conn.execute(select(LOG).where(LOG.c.seq == 5)).mappings().one()
        conn.execute(update(LOG).where(LOG.c.seq >= 5).values(seq=LOG.c.seq + 100))
        conn.execute(LOG.insert().values(seq=5, at=row["at"], user_id=None, username="intruder", operation="ERASURE",
                                         record_type="case", record_id="1", prev_hash=row["prev_hash"], hash="f" * 64))
    result = _chain(env)
    assert not result.ok and result.first_bad_seq == 5


def test_reordered_entries_are_found(env: Env) -> None:
    fields = ("at", "username", "operation", "record_type", "record_id", "reason", "prev_hash", "hash")
    with tampering(env.db) as conn:
        a, b = (conn.execute(select(LOG).where(LOG.c.seq == n)).mappings().one() for n in (2, 3))
        conn.execute(update(LOG).where(LOG.c.seq == 2).values({f: b[f] for f in fields}))
        conn.execute(update(LOG).where(LOG.c.seq == 3).values({f: a[f] for f in fields}))
    result = _chain(env)
    assert not result.ok and result.first_bad_seq == 2


def test_only_auditor_and_administrator_verify(env: Env) -> None:
    inv = env.user("inv", Role.INVESTIGATOR)
    with pytest.raises(PermissionDenied):
        audit.verify(env.uow(), inv)
    assert audit.verify(env.uow(), env.admin).ok
    auditor = env.user("aud", Role.AUDITOR)
    assert audit.verify(env.uow(), auditor).ok
    with pytest.raises(PermissionDenied):
        audit.search(env.uow(), env.admin)
    entries = audit.search(env.uow(), auditor, username="admin")
    assert entries and all(e.username == "admin" for e in entries)


def test_a_rolled_back_action_leaves_no_entry_and_no_checkpoint(env: Env) -> None:
    before = _checkpoint_file(env).read_bytes()
    with env.uow() as uow:
        audit.record(uow.session, env.admin, AccessOperation.DISCLOSURE, "export", "x")
        # no commit: the action failed
    assert _chain(env).entries == 7 and _checkpoint_file(env).read_bytes() == before
    assert audit.verify(env.uow(), env.admin).ok
