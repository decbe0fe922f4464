"""The access log is hash-chained: any changed, removed, inserted or reordered entry is found."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from app.domain.enums import AccessOperation, Role
from app.domain.errors import PermissionDenied
from app.persistence.models import AccessLogHeadRow, AccessLogRow
from app.services import audit
from tests.helpers import Env, force_env


@pytest.fixture
def env(db_url: str):
    with force_env(db_url) as e:
        with e.uow() as uow:
            for i in range(6):
                audit.record(uow.session, e.admin, AccessOperation.CONSULTATION, "case", i, reason=f"check {i}")
            uow.commit()
        yield e


def _verify(env: Env) -> audit.VerifyResult:
    with env.uow() as uow:
        return audit.verify_chain(uow.session)


def test_intact_chain_verifies(env: Env) -> None:
    result = _verify(env)
    assert result.ok and result.entries == 7


def test_changed_entry_is_named(env: Env) -> None:
    with env.uow() as uow:
        uow.session.execute(update(AccessLogRow).where(AccessLogRow.seq == 4).values(reason="nothing to see"))
        uow.commit()
    result = _verify(env)
    assert not result.ok and result.first_bad_seq == 4 and "altered" in result.message


def test_removed_entry_is_found(env: Env) -> None:
    with env.uow() as uow:
        uow.session.execute(delete(AccessLogRow).where(AccessLogRow.seq == 3))
        uow.commit()
    result = _verify(env)
    assert not result.ok and result.first_bad_seq == 4


def test_removed_tail_is_found(env: Env) -> None:
    with env.uow() as uow:
        uow.session.execute(delete(AccessLogRow).where(AccessLogRow.seq == 7))
        uow.commit()
    result = _verify(env)
    assert not result.ok and "removed from the end" in result.message


def test_inserted_entry_is_found(env: Env) -> None:
    with env.uow() as uow:
        row = uow.session.scalar(select(AccessLogRow).where(AccessLogRow.seq == 5))
        assert row is not None
        uow.session.execute(update(AccessLogRow).where(AccessLogRow.seq >= 5).values(seq=AccessLogRow.seq + 100))
        uow.session.add(AccessLogRow(seq=5, at=row.at, user_id=None, username="intruder", operation="ERASURE",
                                     record_type="case", record_id="1", prev_hash=row.prev_hash, hash="f" * 64))
        uow.commit()
    result = _verify(env)
    assert not result.ok and result.first_bad_seq == 5


def test_reordered_entries_are_found(env: Env) -> None:
    with env.uow() as uow:
        a = uow.session.scalar(select(AccessLogRow).where(AccessLogRow.seq == 2))
        b = uow.session.scalar(select(AccessLogRow).where(AccessLogRow.seq == 3))
        assert a and b
        fields = ("at", "username", "operation", "record_type", "record_id", "reason", "prev_hash", "hash")
        va, vb = {f: getattr(a, f) for f in fields}, {f: getattr(b, f) for f in fields}
        for f in fields:
            setattr(a, f, vb[f])
            setattr(b, f, va[f])
        uow.commit()
    result = _verify(env)
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


def test_a_rolled_back_action_leaves_no_entry(env: Env) -> None:
    with env.uow() as uow:
        audit.record(uow.session, env.admin, AccessOperation.DISCLOSURE, "export", "x")
        # no commit: the action failed
    with env.uow() as uow:
        head = uow.session.get(AccessLogHeadRow, 1)
        assert head is not None and head.last_seq == 7
    assert _verify(env).ok
