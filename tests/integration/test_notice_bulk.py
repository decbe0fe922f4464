"""The million-notice paths on PostgreSQL (COPY in, plain cursors out, app.persistence.bulk) store
and report exactly what SQLAlchemy's statements store on SQLite (issue 14): the same notices (ids,
versions, every column), the same candidates, notes, audit entries and report, byte for byte; text
that COPY must escape (quotes, backslashes, line breaks, tabs, ``\\N``, non-ASCII) arrives as it was
sent; and a refused file leaves nothing behind."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from app.domain.enums import Role
from app.domain.errors import ImportRejected
from app.persistence import bulk
from app.persistence.models import AccessLogRow, DecisionRow, NoticeMatchRow, NoticeRow
from app.services import clock, matching
from app.services.imports.notices import import_notices
from app.services.imports.workforce import import_workforce
from tests.helpers import Env, force_env, write_csv
from tests.integration.test_imports import WF_HEADER, WF_ROWS
from tests.integration.test_matching_resume import _namesakes

HEADER = ["notice_id", "issuing_force", "notice_date", "record_type", "surname", "forenames", "date_of_birth",
          "staff_number", "warrant_number", "pnc_id", "employing_force", "summary", "handling"]
AWKWARD = 'He said "no"; C:\\temp\\new \\N\\\\ end\r\nsecond line\nthird, with a comma'
FIRST = [
    ["PND-1", "PND", "2024-01-02", "INTELLIGENCE", "Smith", "Jane", "1985-04-03", "", "", "", "", "", ""],
    ["PND-2", "pnd", "2024-01-03", "CRIME", "Öztürk", "Zoë Ångström", "1999", "S9", "W9", "99/123456X",
     "WEST-MIDLANDS", AWKWARD, "Handle with care: \\ and \" and '"],
    ["PND-3", "PND", "2024-01-04", "INTELLIGENCE", "Smith", "David", "", "", "", "", "", "\\N", ""],
    ["PND-4", "PND", "2024-01-05", "INTELLIGENCE", "O'Brien-Łukasz", "Jane", "1985-03-04", "", "W1", "", "", "", "x"],
    ["PND-5", "PND", "2024-01-06", "CRIME", "Jones", "Mark", "1975", "", "", "", "", "", ""],
]


def _second() -> list[list[str]]:
    """The same file again: one notice changed (a summary with line breaks), one unchanged, the rest
    unchanged, and two new ones (one of them undated, with a name 20 people bear)."""
    rows = [list(r) for r in FIRST]
    rows[0][11] = "Corrected:\nline two \\ and \"quotes\""
    rows[2][6] = "1940"
    rows.append(["PND-6", "PND", "2024-03-01", "INTELLIGENCE", "Smith", "David", "", "", "", "", "", "", ""])
    rows.append(["PND-7", "PND", "2024-03-02", "INTELLIGENCE", "Patel", "Anita", "1990-11-12", "", "", "", "", "",
                 "€ ½ — ✓"])
    return rows


@pytest.fixture
def both(tmp_path: Path, _sqlite_template: Path) -> Iterator[dict[str, Env]]:
    """The same force on SQLite and on PostgreSQL, each with the same register and a head of PSD."""
    from tests.conftest import empty_postgres

    url = empty_postgres()
    target = tmp_path / "psd.db"
    shutil.copy(_sqlite_template, target)
    clock.pin(datetime(2026, 11, 2, 10, 30, 15, 123456))  # received_at, found_at and the log's times alike
    with ExitStack() as stack:
        envs = {}
        for name, db in (("sqlite", f"sqlite:///{target}"), ("postgres", url)):
            env = stack.enter_context(force_env(db))
            import_workforce(env.uow(), env.admin, write_csv(tmp_path / "wf.csv", WF_HEADER, WF_ROWS))
            import_workforce(env.uow(), env.admin, _namesakes(tmp_path))  # 20 David Smiths
            env.head = env.user("head", Role.HEAD_OF_PSD)  # type: ignore[attr-defined]
            envs[name] = env
        yield envs


def _table(env: Env, model: Any) -> list[tuple[Any, ...]]:
    table: Table = model.__table__
    with env.uow() as uow:
        return [tuple(r) for r in uow.session.execute(select(table).order_by(table.c.id))]


def _log(env: Env) -> list[tuple[Any, ...]]:
    with env.uow() as uow:
        return [tuple(r) for r in uow.session.execute(
            select(AccessLogRow.seq, AccessLogRow.at, AccessLogRow.user_id, AccessLogRow.username,
                   AccessLogRow.operation, AccessLogRow.record_type, AccessLogRow.record_id, AccessLogRow.reason,
                   AccessLogRow.recipient, AccessLogRow.detail).order_by(AccessLogRow.seq))]


@pytest.mark.postgres
def test_postgresql_stores_and_reports_what_sqlite_does(both: dict[str, Env], tmp_path: Path) -> None:
    first = write_csv(tmp_path / "first.csv", HEADER, FIRST)
    second = write_csv(tmp_path / "second.csv", HEADER, _second())
    out: dict[str, list[Any]] = {}
    for name, env in both.items():
        head = env.head  # type: ignore[attr-defined]
        one, _ = import_notices(env.uow(), head, first)
        two, ids = import_notices(env.uow(), head, second)
        (tmp_path / name).mkdir()
        washed = matching.data_wash(env.uow(), head, tmp_path / name / "report.csv")
        out[name] = [one, two, ids, replace(washed, report=None), _table(env, NoticeRow),
                     _table(env, NoticeMatchRow), _log(env)]
    assert out["postgres"] == out["sqlite"]
    one, two, ids, washed, _, pairs, _ = out["sqlite"]
    assert (one.added, two.added, two.updated, two.unchanged) == (5, 2, 2, 3) and ids == [6, 7, 1, 3]
    assert pairs and washed.undated_common == 2  # candidates found, and undated common names noted
    assert (tmp_path / "postgres" / "report.csv").read_bytes() == (tmp_path / "sqlite" / "report.csv").read_bytes()
    with both["postgres"].uow() as uow:
        held = {r.notice_ref: r for r in uow.session.execute(select(NoticeRow.__table__))}
    assert held["PND-2"].summary == AWKWARD and held["PND-2"].forenames == "Zoë Ångström"
    assert (held["PND-2"].date_of_birth, held["PND-2"].dob_year_only) == (date(1999, 1, 1), True)
    assert held["PND-3"].summary == "\\N" and held["PND-3"].handling is None and held["PND-3"].version == 2
    assert held["PND-1"].summary == "Corrected:\nline two \\ and \"quotes\"" and held["PND-1"].version == 2
    assert held["PND-2"].employing_force == "west-midlands" and held["PND-7"].handling == "€ ½ — ✓"


@pytest.mark.postgres
def test_a_refused_file_leaves_nothing_on_either_database(both: dict[str, Env], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.imports import notices as notice_import

    monkeypatch.setattr(notice_import, "BATCH", 2)  # batches copied in before the bad row is read
    rows = [*FIRST, ["PND-9", "narnia", "2024-01-02", "INTELLIGENCE", "Last", "Deniz", "", "", "", "", "", "", ""]]
    bad = write_csv(tmp_path / "bad.csv", HEADER, rows)
    for env in both.values():
        before = _log(env)
        with pytest.raises(ImportRejected, match="'narnia' is not a known force code"):
            import_notices(env.uow(), env.head, bad)  # type: ignore[attr-defined]
        with env.uow() as uow:
            assert uow.session.scalar(select(func.count(NoticeRow.id))) == 0
        assert _log(env) == before
    for env in both.values():  # and the next import works, from the first free id
        summary, ids = import_notices(env.uow(), env.head, write_csv(tmp_path / "ok.csv", HEADER, FIRST))  # type: ignore[attr-defined]
        assert summary.added == 5 and ids == sorted(ids)


def _bulk_rows() -> list[dict[str, Any]]:
    texts = ["tab\there", "back\\slash", "\\N", "", "line\nbreak\r\nand CR\r", 'quote " and \'', "ünïcødé ✓ 😀",
             "comma, semicolon; pipe |", "\\.", "end \\"]
    return [{"issuing_force": "PND", "notice_ref": f"B-{i}", "notice_date": date(2024, 1, 1 + i),
             "record_type": "CRIME", "surname": t, "forenames": t or "x",
             "date_of_birth": None if i % 2 else date(1980, 1, 1),
             "staff_number": None, "warrant_number": t[:32] or None, "pnc_id": None, "employing_force": None,
             "summary": t, "handling": None if i % 3 else t, "dob_year_only": i % 4 == 0, "source_file": "f.csv",
             "signature_state": "NOT_SIGNED", "received_at": datetime(2026, 1, 2, 3, 4, 5, 6), "version": 1}
            for i, t in enumerate(texts)]


def test_bulk_rows_arrive_as_sent_on_each_database(db_url: str) -> None:
    """Every character COPY's text format escapes (tab, backslash, line breaks, ``\\N``, ``\\.``)."""
    rows = _bulk_rows()
    with force_env(db_url) as env, env.uow() as uow:
        s: Session = uow.session
        table: Table = NoticeRow.__table__  # type: ignore[assignment]
        ids = bulk.insert_rows(s, table, rows[:4]) + bulk.insert_rows(s, table, rows[4:])
        assert ids == sorted(ids) and len(set(ids)) == len(rows)
        bulk.update_rows(s, table, [{"id": ids[1], "match_note": "a\tnote \\N"}, {"id": ids[2], "match_note": None}])
        columns = list(rows[0])
        got = [dict(zip(columns, r, strict=True)) for r in s.execute(
            select(*[table.c[c] for c in columns]).order_by(table.c.id))]
        assert got == rows
        stmt = select(table.c.id, table.c.surname, table.c.match_note).order_by(table.c.id)
        streamed = list(bulk.stream_rows(s, stmt))
        assert [tuple(r) for r in streamed] == [(k, r["surname"], "a\tnote \\N" if k == ids[1] else None)
                                                for k, r in zip(ids, rows, strict=True)]
        assert s.scalar(select(table.c.matched_version).where(table.c.id == ids[0])) is None  # defaults kept


def test_bulk_rows_refuse_a_table_whose_defaults_are_computed_per_row(db_url: str) -> None:
    """Neither COPY nor the driver's executemany computes a per-row default (``default=dict``): every
    row after the first would be stored without it, so leaving such a column out is refused, and
    nothing is written."""
    rows = [{"case_id": 1, "kind": "RESTRICTION", "decided_at": datetime(2024, 1, 2),
             "effective_date": date(2024, 1, 2)}]
    with force_env(db_url) as env, env.uow() as uow:
        s: Session = uow.session
        table: Table = DecisionRow.__table__  # type: ignore[assignment]
        with pytest.raises(ValueError, match="give payload, options_considered in the rows"):
            bulk.insert_rows(s, table, rows * 2)
        assert s.scalar(select(func.count()).select_from(table)) == 0
