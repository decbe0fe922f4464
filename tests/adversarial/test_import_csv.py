"""Imports parse CSV as CSV (issue 12, deliverable 6): the csv module over the whole stream.

Before: files were split with str.splitlines(), so a newline inside a quoted cell was dropped and
valid CSV was split on U+2028, NEL and form feed. Now a record ends only at CR, LF or CRLF outside
quotes, its line number is the physical line where it starts, a BOM is accepted, and malformed CSV
is refused naming its line. The same through xlsx.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.domain.errors import ImportRejected, InvalidInput
from app.persistence.models import NoticeRow
from app.services.imports.notices import import_notices
from tests.adversarial.imports_support import Force, small_force

NOTICE_HEADER = "notice_id,issuing_force,notice_date,record_type,surname,forenames,summary"


@pytest.fixture
def force(db_url: str, tmp_path: Path) -> Iterator[Force]:
    with small_force(db_url, tmp_path) as f:
        yield f


def notices_file(force: Force, name: str, body: str, *, bom: bool = False) -> Path:
    path = force.tmp / name
    path.write_bytes(("\ufeff" if bom else "").encode() + (NOTICE_HEADER + "\r\n" + body).encode("utf-8"))
    return path


def summaries(force: Force) -> dict[str, str | None]:
    with force.uow() as uow:
        return {n.notice_ref: n.summary for n in uow.session.scalars(select(NoticeRow))}


def test_a_newline_inside_a_quoted_cell_is_kept_with_a_bom(force: Force) -> None:
    body = ('P1,PND,2026-01-02,INTELLIGENCE,Brown,Tom,"Seen at the address\r\nTwice, in May"\r\n'
            "P2,PND,2026-01-03,INTELLIGENCE,Green,Ann,One line\r\n")
    summary, _ = import_notices(force.uow(), force.sup, notices_file(force, "quoted.csv", body, bom=True))
    assert summary.added == 2
    assert summaries(force) == {"P1": "Seen at the address\r\nTwice, in May", "P2": "One line"}


@pytest.mark.parametrize(("char", "shown"), [("\u2028", "U+2028 LINE SEPARATOR"), ("\x85", "U+0085"),
                                              ("\x0c", "U+000C")])
def test_unicode_line_separators_neither_split_a_record_nor_get_in(force: Force, char: str, shown: str) -> None:
    body = (f"P1,PND,2026-01-02,INTELLIGENCE,Gr{char}een,Ann,x\r\n"
            "P2,PND,2026-01-03,INTELLIGENCE,Brown,Tom,y\r\n")
    before = force.counts()
    with pytest.raises(ImportRejected) as err:
        import_notices(force.uow(), force.sup, notices_file(force, "sep.csv", body))
    [problem] = [str(e) for e in err.value.errors]
    assert problem.startswith("line 2, column surname: contains ")
    assert f"({shown}" in problem and "at character 3" in problem
    assert force.counts() == before


def test_line_numbers_are_where_the_record_starts_after_multiline_cells(force: Force) -> None:
    body = ('P1,PND,2026-01-02,INTELLIGENCE,Brown,Tom,"one\ntwo\nthree"\r\n'
            "P2,PND,2026-13-03,INTELLIGENCE,Green,Ann,y\r\n"
            '"P3",PND,2026-01-04,INTELLIGENCE,White,Eve,"four\nfive"\r\n'
            "P4,NARNIA,2026-01-05,INTELLIGENCE,Black,Sam,z\r\n")
    with pytest.raises(ImportRejected) as err:
        import_notices(force.uow(), force.sup, notices_file(force, "lines.csv", body))
    assert [(e.line, e.column) for e in err.value.errors] == [(5, "notice_date"), (8, "issuing_force")]


def test_malformed_csv_is_refused_naming_the_line_where_the_record_starts(force: Force) -> None:
    body = ("P1,PND,2026-01-02,INTELLIGENCE,Brown,Tom,x\r\n"
            'P2,PND,2026-01-03,INTELLIGENCE,Green,Ann,"never closed\r\nP3,x\r\n')
    with pytest.raises(InvalidInput, match=r"bad\.csv: line 3 is not valid CSV \(a quoted cell is never closed\)"):
        import_notices(force.uow(), force.sup, notices_file(force, "bad.csv", body))
    assert summaries(force) == {}


def test_a_byte_that_is_not_utf8_names_its_line(force: Force) -> None:
    path = force.tmp / "latin1.csv"
    path.write_bytes((NOTICE_HEADER + "\n" + "P1,PND,2026-01-02,INTELLIGENCE,Brown,Tom,x\n").encode()
                     + "P2,PND,2026-01-02,INTELLIGENCE,Brontë,Tom,x\n".encode("latin-1"))
    with pytest.raises(InvalidInput, match=r"latin1\.csv: line 3 is not UTF-8 text \(byte 37 of the line\)"):
        import_notices(force.uow(), force.sup, path)


@pytest.mark.parametrize(("size", "reason"), [(10_000_000, "line 2 is longer than 1,048,576 bytes"),
                                              (200_000,
                                               "line 2 is not valid CSV (a cell is longer than 131,072 characters)")])
def test_a_huge_cell_is_refused_in_one_short_message(force: Force, size: int, reason: str) -> None:
    """Before: a traceback (csv.Error) from the notice file check, or the cell echoed whole."""
    body = f"P1,PND,2026-01-02,INTELLIGENCE,{'B' * size},Tom,x\r\n"
    with pytest.raises(InvalidInput) as err:
        import_notices(force.uow(), force.sup, notices_file(force, "huge.csv", body))
    assert reason in err.value.message
    assert len(err.value.message) < 300


def test_a_long_cell_under_the_csv_limit_is_quoted_as_a_short_excerpt(force: Force) -> None:
    body = f"P1,PND,2026-01-02,INTELLIGENCE,{'B' * 100_000},Tom,x\r\nP2,PND,{'9' * 100_000},INTELLIGENCE,G,A,y\r\n"
    with pytest.raises(ImportRejected) as err:
        import_notices(force.uow(), force.sup, notices_file(force, "long.csv", body))
    assert [str(e) for e in err.value.errors] == [
        f"line 2, column surname: longer than 100 characters (100,000): '{'B' * 40}…' (100,000 characters)",
        f"line 3, column notice_date: longer than 10 characters (100,000): '{'9' * 40}…' (100,000 characters)"]
    assert len(str(err.value)) < 600


def test_at_most_the_first_hundred_problems_are_listed(force: Force) -> None:
    body = "".join(f"P{i},PND,1980010{i % 10},INTELLIGENCE,Brown,Tom,x\r\n" for i in range(1, 501))
    with pytest.raises(ImportRejected) as err:
        import_notices(force.uow(), force.sup, notices_file(force, "many.csv", body))
    assert err.value.total == 500 and len(err.value.errors) == 100
    assert [e.line for e in err.value.errors] == list(range(2, 102))
    assert str(err.value).endswith("… and 400 more")


def test_xlsx_cells_are_checked_like_csv_cells(force: Force) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(NOTICE_HEADER.split(","))
    ws.append(["P1", "PND", "2026-01-02", "INTELLIGENCE", "Brown", "Tom", "two\nlines are fine here"])
    ws.append(["P2", "PND", "2026-01-02", "INTELLIGENCE", "Gr\u200been", "Ann", "x"])
    ws.append(["P3", "PND", "=TODAY()", "INTELLIGENCE", "White", "Eve", "=HYPERLINK(\"http://x\",\"y\")"])
    ws.append(["P4", "PND", "2026-01-02", "INTELLIGENCE", "Black\nSmith", "Sam", "x"])
    wb.save(force.tmp / "cells.xlsx")
    with pytest.raises(ImportRejected) as err:
        import_notices(force.uow(), force.sup, force.tmp / "cells.xlsx")
    assert [(e.line, e.column) for e in err.value.errors] == [(3, "surname"), (4, "notice_date"), (4, "summary"),
                                                              (5, "surname")]
    reasons = [e.reason for e in err.value.errors]
    assert "U+200B ZERO WIDTH SPACE" in reasons[0] and "\\u200b" in reasons[0]
    assert "is not a date" in reasons[1] and "starts with '='" in reasons[2] and "a line break" in reasons[3]


def test_the_reader_streams_records_with_their_first_line() -> None:
    from app.services.imports.reader import records

    data = ('\ufeffa,b\r\n1,"x\ny"\r\n\r\n2,"z"\r\nold\rmac\r\n').encode()
    with records(Path("s.csv"), io.BytesIO(data)) as recs:
        assert recs.header == ["a", "b"]
        assert list(recs) == [(2, ["1", "x\ny"]), (5, ["2", "z"]), (6, ["old"]), (7, ["mac"])]


# ---- the CSV read a block of lines at a time (issue 14: a million-row extract) -------------------

def _one_line_at_a_time(data: bytes, longest: int) -> list[object]:
    """What the reader gave when it read and decoded every line on its own (before issue 14's
    blocks): the header, the records with their first line, then the error, if any."""
    import codecs
    import csv
    import re

    name = "s.csv"
    got: list[object] = []
    physical = 0

    def lines() -> Iterator[str]:
        nonlocal physical
        fh = io.BytesIO(data)
        while raw := fh.readline(longest + 1):
            if len(raw) > longest:
                raise InvalidInput(f"{name}: line {physical + 1} is longer than {longest:,} bytes.")
            if physical == 0 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InvalidInput(f"{name}: line {physical + 1} is not UTF-8 text (byte {exc.start + 1}") from None
            for piece in re.split(r"(?<=\r)(?!\n)", line):
                if piece:
                    physical += 1
                    yield piece

    reader = csv.reader(lines(), strict=True)
    try:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error:
                got.append(("not valid CSV", start))
                break
            if any(c.strip() for c in cells):
                got.append((start, cells) if got else ("header", cells))
    except InvalidInput as exc:
        got.append(exc.message.split(" of the line")[0].split(" bytes.")[0])
    if not got:
        got.append("empty")
    return got


def _in_blocks(data: bytes) -> list[object]:
    from app.services.imports.reader import records

    got: list[object] = []
    try:
        with records(Path("s.csv"), io.BytesIO(data)) as recs:
            got.append(("header", recs.header))
            got.extend(recs)
    except InvalidInput as exc:
        message = exc.message
        if "is not valid CSV" in message:
            got.append(("not valid CSV", int(message.split("line ")[1].split(" ")[0])))
        elif "the file is empty" in message:
            got.append("empty")
        else:
            got.append(message.split(" of the line")[0].split(" bytes.")[0])
    return got


PIECES = ["a", "b", ",", '"', "\r", "\n", "\r\n", " ", "é", "\u2028", "\x0c", "\x85", "\x1c", "\v"]


@pytest.mark.parametrize("block", [1, 7, 64])
def test_reading_in_blocks_gives_what_reading_line_by_line_gave(monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    """Records, their line numbers and every refusal (a line too long, a byte that is not UTF-8,
    malformed CSV, after the records before it) are the same whatever the size of the blocks: a
    CRLF or a lone CR at a block's edge, a BOM, line breaks that are not CR or LF (form feed, NEL,
    U+2028 are characters in a cell), invalid bytes."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from app.services.imports import reader

    monkeypatch.setattr(reader, "BLOCK_BYTES", block)
    monkeypatch.setattr(reader, "MAX_LINE_BYTES", 24)
    texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
    files = st.tuples(st.booleans(), texts, st.sampled_from([b"", b"\xff", b"\xc3", b"x" * 30]), texts).map(
        lambda t: (b"\xef\xbb\xbf" if t[0] else b"") + t[1].encode() + t[2] + t[3].encode())

    @settings(max_examples=400, deadline=None, database=None)
    @given(files)
    def same(data: bytes) -> None:
        assert _in_blocks(data) == _one_line_at_a_time(data, 24)

    same()


def test_a_bad_byte_in_a_later_block_names_its_line_after_the_rows_before_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.imports import reader

    monkeypatch.setattr(reader, "BLOCK_BYTES", 16)
    data = b"a,b\r\n" + b"".join(f"{i},x\r\n".encode() for i in range(2, 9)) + b"9,\xff\r\n10,y\r\n"
    seen: list[int] = []
    with (pytest.raises(InvalidInput, match=r"line 9 is not UTF-8 text \(byte 3 of the line\)"),
          reader.records(Path("s.csv"), io.BytesIO(data)) as recs):
        seen.extend(line for line, _ in recs)
    assert seen == [2, 3, 4, 5, 6, 7, 8]
