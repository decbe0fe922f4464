"""The disclosure engine against tables built to be attacked: a row total, margins both ways, two
tables sharing a total, last year's column with a printed change, a chart bar that adds two rows,
and a complement too small to hide a <5 (interval disclosure). Each is first shown to disclose as a
naive report would print it, then protected, audited and attacked again."""

from __future__ import annotations

import pytest

from app.reports.disclosure.audit import DisclosureRefused, audit, require_safe
from app.reports.disclosure.model import Model, Role, Status
from app.reports.disclosure.suppress import protect
from app.reports.publication import Publication

CELL, MARGIN, TOTAL = Role.CELL, Role.MARGIN, Role.TOTAL


def two_way(model: Model, name: str, cells: dict[str, list[int]], columns: list[str],
            totals: dict[str, int] | None = None) -> dict[tuple[str, str], int]:
    """A table with row totals and a total row (column totals keyed (name, 'total', column))."""
    made: dict[tuple[str, str], int] = {}
    row_totals = []
    for row, values in cells.items():
        for column, v in zip(columns, values, strict=True):
            made[row, column] = model.add((name, row, column), v, CELL, f"{name} {row} {column}")
        total = model.add((name, row, "all"), sum(values), MARGIN, f"{name} {row} all")
        model.equal(total, [made[row, c] for c in columns])
        row_totals.append(total)
    for j, column in enumerate(columns):
        total = model.add(("total", column), sum(v[j] for v in cells.values()), TOTAL, f"total {column}")
        model.equal(total, [made[row, column] for row in cells])
    grand = model.add(("total", "all"), sum(sum(v) for v in cells.values()), TOTAL, "total all")
    model.equal(grand, row_totals)
    return made


def naive_then_protected(model: Model) -> list[Status]:
    """Assert the model discloses when only small counts are hidden; return a protected status."""
    naive = audit(model, model.first_status())
    assert not naive.passed
    status = protect(model)
    verdict = audit(model, status)
    assert verdict.passed, [str(f) for f in verdict.findings]
    return status


def test_the_issue_row_225_671_small_0_of_897_is_protected() -> None:
    model = Model()
    made = two_way(model, "sex", {"Female": [225, 40], "Male": [671, 90], "Other": [1, 0], "Unknown": [0, 0]},
                   ["no case", "dismissed"])
    naive = audit(model, model.first_status())
    assert [f.label for f in naive.findings] == ["sex Other no case", "sex Other all"] or naive.findings
    assert any("worked out exactly" in f.problem for f in naive.findings)
    status = naive_then_protected(model)
    assert status[model.index(("sex", "Other", "all"))] is Status.SMALL
    assert status[made["Other", "no case"]] is Status.HIDDEN  # a breakdown of a count under 5 is not printed
    assert status[model.index(("total", "all"))] is Status.SHOWN  # the total is kept: cells withheld instead


def test_margins_both_ways_need_a_rectangle_of_four() -> None:
    model = Model()
    made = two_way(model, "t", {"a": [20, 3, 30], "b": [40, 25, 10], "c": [15, 12, 18]}, ["x", "y", "z"])
    status = naive_then_protected(model)
    withheld = [k for k, q in made.items() if status[q] is Status.WITHHELD]
    assert len(withheld) >= 3
    rows = {k[0] for k in withheld} | {"a"}
    columns = {k[1] for k in withheld} | {"y"}
    assert len(rows) >= 2 and len(columns) >= 2


def test_two_tables_sharing_a_small_total_are_protected_together() -> None:
    model = Model()
    a = two_way(model, "sex", {"F": [30, 1], "M": [50, 3]}, ["kept", "dismissed"])
    b = two_way(model, "type", {"officer": [60, 2], "staff": [20, 2]}, ["kept", "dismissed"])
    status = naive_then_protected(model)
    assert status[model.index(("total", "dismissed"))] is Status.SMALL
    assert status[a["F", "dismissed"]] is Status.HIDDEN  # parts of a count under 5 are not printed
    assert status[b["staff", "dismissed"]] is Status.HIDDEN


def test_last_years_column_and_the_change_printed_beside_it() -> None:
    model = Model()
    now = two_way(model, "now", {"a": [3, 40], "b": [30, 50]}, ["x", "y"])
    before = model.add(("before", "a", "x"), 10, CELL, "last year a x")
    change = model.add(("change", "a", "x"), 7, CELL, "fall in a x")  # 'down 7 from 10'
    model.equal(before, [now["a", "x"], change])
    verdict = audit(model, [Status.SMALL if model.quantities[i].value == 3 else Status.SHOWN
                            for i in range(len(model.quantities))])
    assert not verdict.passed  # the change gives it away even if the table alone were protected
    status = protect(model)
    assert audit(model, status).passed
    assert not (status[before] is Status.SHOWN and status[change] is Status.SHOWN)  # 10 - 7 would give 3


def test_a_chart_bar_adding_two_rows_is_part_of_what_is_checked() -> None:
    model = Model()
    made = two_way(model, "sex", {"F": [20, 30], "M": [40, 50], "X": [2, 0]}, ["x", "y"])
    bar = model.add(("chart", "not X", "x"), 60, CELL, "chart: x for F and M together")
    model.equal(bar, [made["F", "x"], made["M", "x"]])
    status = naive_then_protected(model)
    assert status[model.index(("sex", "X", "all"))] is Status.SMALL and status[made["X", "x"]] is Status.HIDDEN


def test_a_complement_of_5_next_to_a_small_count_is_interval_disclosure() -> None:
    """Row: <5 and [c] with the row total 6 printed: a reader who knows [c] is 5 or more gets 1."""
    model = Model()
    small = model.add(("x",), 1, CELL, "x")
    other = model.add(("y",), 5, CELL, "y")
    row = model.add(("row",), 6, MARGIN, "row")
    model.equal(row, [small, other])
    status = [Status.SMALL, Status.WITHHELD, Status.SHOWN]
    verdict = audit(model, status)
    assert [str(f) for f in verdict.findings] == ["x: could be worked out exactly from the other figures"]
    protected = protect(model)
    assert protected[row] is Status.WITHHELD and audit(model, protected).passed


def test_the_printing_rules_are_checked_too() -> None:
    model = Model()
    x = model.add(("x",), 3, CELL, "x")
    y = model.add(("y",), 2, CELL, "y")
    verdict = audit(model, [Status.SHOWN, Status.WITHHELD])
    assert {f.problem for f in verdict.findings} == {
        "a count from 1 to 4 is printed", "withheld as [c], which readers take to mean 5 or more"}
    with pytest.raises(DisclosureRefused, match="not written"):
        require_safe(verdict, "annual report")
    assert (x, y) == (0, 1)


def test_a_publication_prints_only_through_its_model() -> None:
    model = Model()
    two_way(model, "t", {"a": [20, 3], "b": [40, 25]}, ["x", "y"])
    pub = Publication.of(model, "test table")
    assert pub.text(("t", "a", "y")) == "<5"
    assert {pub.text(("t", "a", "x")), pub.text(("t", "b", "y"))} == {"[c]"}
    assert pub.rate(("t", "a", "y"), ("t", "a", "all")) == "–"
    with pytest.raises(KeyError):
        pub.text(("t", "c", "x"))  # a figure not in the model cannot be printed


def test_the_pencil_and_paper_attacker_finds_the_issue_row() -> None:
    """The independent attacker the report tests use would have caught the issue's table."""
    from tests.unit.reports.attacker import attack

    naive = [["225"], ["671"], ["<5"], ["0"]]
    assert attack(naive, ["897"], None, [], [0], strict=1) == ["row 2 column 0: 1..1"]
    assert attack([["225"], ["[c]"], ["<5"], ["0"]], ["897"], None, [], [0], strict=3) == []
    assert attack([["5"], ["[c]"], ["<5"]], ["12"], None, [], [0]) == ["row 2 column 0: 1..2"]
