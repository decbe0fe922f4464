"""National aggregation: 44 forces' returns add up; a malformed return is named and not counted."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from app.domain.enums import (
    EmploymentStatus,
    GuidanceCoverage,
    MisconductOutcome,
    RestrictionOption,
)
from app.domain.errors import InvalidInput
from app.reports.aggregate import (
    FORCES_HEADER,
    aggregate,
    aggregate_returns,
    national_measures,
)
from app.reports.counting import BUCKETS, ReturnFigures
from app.reports.read_models import AllegationFact, Period
from app.reports.return_reader import read_survey_return
from app.reports.survey_return import write_survey_return
from tests.unit.reports.report_factories import FactFactory, make_context

FORCES = ["avon-and-somerset", "bedfordshire", "british-transport-police", "cambridgeshire", "cheshire",
          "city-of-london", "cleveland", "cumbria", "derbyshire", "devon-and-cornwall", "dorset", "durham",
          "dyfed-powys", "essex", "gloucestershire", "greater-manchester", "gwent", "hampshire-and-isle-of-wight",
          "hertfordshire", "humberside", "kent", "lancashire", "leicestershire", "lincolnshire", "merseyside",
          "metropolitan", "norfolk", "north-wales", "north-yorkshire", "northamptonshire", "northumbria",
          "nottinghamshire", "south-wales", "south-yorkshire", "staffordshire", "suffolk", "surrey", "sussex",
          "thames-valley", "warwickshire", "west-mercia", "west-midlands", "west-yorkshire", "wiltshire"]
M = MisconductOutcome
OUTCOMES = [
    frozenset(),
    frozenset({M.NO_CASE_TO_ANSWER}),
    frozenset({M.REFLECTIVE_PRACTICE}),
    frozenset({M.MISCONDUCT_HEARING, M.GROSS_MISCONDUCT, M.DISMISSAL_WITHOUT_NOTICE}),
    frozenset({M.MISCONDUCT_MEETING, M.MISCONDUCT, M.WRITTEN_WARNING}),
]


def force_facts(rng: random.Random, size: int) -> list[AllegationFact]:
    make = FactFactory()
    facts = []
    for _ in range(size):
        recorded = date(2023, 3, 25) + timedelta(days=rng.randrange(380))  # some outside the period
        resigned = rng.random() < 0.1
        facts.append(
            make(
                subject=rng.randrange(1, size // 2 + 2),
                recorded=recorded,
                misconduct_outcomes=rng.choice(OUTCOMES),
                restrictions_imposed=rng.choice(
                    [
                        frozenset(),
                        frozenset({RestrictionOption.SUSPENDED}),
                        frozenset({RestrictionOption.RESTRICTED_DUTIES}),
                    ]
                ),
                subject_employment_status=EmploymentStatus.RESIGNED if resigned else EmploymentStatus.SERVING,
                subject_end_date=recorded + timedelta(days=30) if resigned else None,
            )
        )
    return facts


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[ReturnFigures]]:
    """44 forces' returns for 2023/24; 3 forces have no headcount, coverage varies."""
    folder = tmp_path_factory.mktemp("returns")
    rng = random.Random(44)
    coverages = [GuidanceCoverage.NONE, GuidanceCoverage.SOME, GuidanceCoverage.ALL, None]
    written = []
    for i, code in enumerate(FORCES):
        context = make_context(
            force_code=code,
            force_name=code.title(),
            headcount=None if i % 15 == 0 else rng.randrange(800, 40_000),
            role_restriction_guidance=coverages[i % 4],
            external_investigation_guidance=coverages[i % 3],
        )
        count = write_survey_return(folder / f"{code}.xlsx", force_facts(rng, rng.randrange(3, 120)), context)
        written.append(count.figures)
    return folder, written


@pytest.mark.slow  # writes and reads 44 workbooks
def test_44_returns_add_up_to_the_national_totals(returns: tuple[Path, list[ReturnFigures]]) -> None:
    folder, figures = returns
    result = aggregate_returns(sorted(folder.glob("*.xlsx")))
    n = result.national
    assert result.rejected == ()
    assert n.forces == 44
    assert (n.period_start, n.period_end) == (date(2023, 4, 1), date(2024, 3, 31))
    assert n.allegations == sum(f.allegations for f in figures)
    assert n.individuals == sum(f.individuals for f in figures)
    with_headcount = [f for f in figures if f.headcount is not None]
    assert n.forces_with_headcount == len(with_headcount) == 41
    assert n.headcount == sum(f.headcount or 0 for f in with_headcount)
    expected_pct = round(sum(f.individuals for f in with_headcount) * 100 / n.headcount, 2)
    assert n.workforce_percent == pytest.approx(expected_pct, abs=0.005)
    for i, o in enumerate(n.outcomes):
        assert o.individuals == sum(f.outcomes[i].individuals for f in figures), o.bucket
    assert n.role_guidance == {"NONE": 11, "SOME": 11, "ALL": 11, "not provided": 11}
    assert n.external_guidance == {"NONE": 15, "SOME": 15, "ALL": 14, "not provided": 0}
    assert [r.figures for r in result.counted] == sorted(figures, key=lambda f: f.force)


def test_a_return_reads_back_as_the_figures_that_were_written(
    returns: tuple[Path, list[ReturnFigures]],
) -> None:
    folder, figures = returns
    assert read_survey_return(folder / "kent.xlsx") == next(f for f in figures if f.force == "kent")


def test_the_national_workbook(tmp_path: Path, returns: tuple[Path, list[ReturnFigures]]) -> None:
    folder, figures = returns
    out = tmp_path / "national.xlsx"
    aggregate(sorted(folder.glob("*.xlsx")), out, "dac-analyst", datetime(2024, 7, 1, 9, 0))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["National", "Forces"]
    national = list(wb["National"].iter_rows(values_only=True))
    assert national[0] == ("Measure", "Value", "% of individuals")
    assert tuple(r[0] for r in national[1:]) == national_measures()
    values = {r[0]: r[1] for r in national[1:]}
    assert values["Forces counted"] == 44
    assert values["PPDA allegations recorded"] == sum(f.allegations for f in figures)
    assert values["DISMISSED"] == sum(f.individuals_in(BUCKETS[7]) for f in figures)
    assert values["Guidance requiring external investigation: ALL"] == 14
    forces = list(wb["Forces"].iter_rows(values_only=True))
    assert forces[0] == FORCES_HEADER
    assert [r[0] for r in forces[1:]] == sorted(FORCES)
    kent = dict(zip(FORCES_HEADER, next(r for r in forces if r[0] == "kent"), strict=True))
    expected = next(f for f in figures if f.force == "kent")
    assert kent["File"] == "kent.xlsx"
    assert kent["PPDA allegations recorded"] == expected.allegations
    assert kent["ONGOING"] == expected.individuals_in(BUCKETS[-1])
    for ws in wb.worksheets:
        assert ws.oddHeader.center.text == "OFFICIAL-SENSITIVE"


def _copy(folder: Path, code: str, target: Path) -> Path:
    target.write_bytes((folder / f"{code}.xlsx").read_bytes())
    return target


def _edit(path: Path, sheet: str, cell: str, value: object) -> Path:
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)
    return path


def test_malformed_returns_are_named_and_not_counted(
    tmp_path: Path, returns: tuple[Path, list[ReturnFigures]]
) -> None:
    folder, figures = returns
    good = [_copy(folder, code, tmp_path / f"{code}.xlsx") for code in ("kent", "essex", "surrey")]
    bad_label = _edit(_copy(folder, "dorset", tmp_path / "z-label.xlsx"), "Return", "A6", "Allegations")
    bad_number = _edit(_copy(folder, "durham", tmp_path / "z-number.xlsx"), "Return", "B6", "lots")
    bad_order = _edit(_copy(folder, "gwent", tmp_path / "z-order.xlsx"), "Outcomes", "A2", "DISMISSED")
    people = next(f for f in figures if f.force == "cumbria").individuals
    too_many = _edit(_copy(folder, "cumbria", tmp_path / "z-people.xlsx"), "Outcomes", "B2", people + 1)
    no_sheet = _copy(folder, "norfolk", tmp_path / "z-sheet.xlsx")
    wb = openpyxl.load_workbook(no_sheet)
    del wb["Outcomes"]
    wb.save(no_sheet)
    not_xlsx = tmp_path / "z-notes.xlsx"
    not_xlsx.write_text("force,allegations\nlincolnshire,12\n")
    duplicate = _copy(folder, "kent", tmp_path / "z-kent-again.xlsx")
    other_year = tmp_path / "z-year.xlsx"
    write_survey_return(other_year, [], make_context(force_code="suffolk", period=Period.survey_year(2023)))

    result = aggregate_returns(
        [*good, bad_label, bad_number, bad_order, too_many, no_sheet, not_xlsx, duplicate, other_year]
    )

    reasons = {r.file: r.reason for r in result.rejected}
    assert reasons == {
        "z-label.xlsx": "sheet 'Return' row 6: expected 'PPDA allegations recorded', found 'Allegations'",
        "z-number.xlsx": "sheet 'Return', PPDA allegations recorded: expected a whole number, found 'lots'",
        "z-order.xlsx": "sheet 'Outcomes' row 2: expected 'NO_CASE_TO_ANSWER', found 'DISMISSED'",
        "z-people.xlsx": f"Outcome NO_CASE_TO_ANSWER counts {people + 1} individuals, outside 0 to {people} "
        f"(individuals with PPDA allegations). % of individuals for NO_CASE_TO_ANSWER is "
        f"{_pct(folder, 'cumbria')}, but the counts give {round((people + 1) * 100 / people, 1)}.",
        "z-sheet.xlsx": "no sheet called 'Outcomes'",
        "z-notes.xlsx": "not a readable .xlsx workbook (BadZipFile)",
        "z-kent-again.xlsx": "a second return for force 'kent' (already counted from kent.xlsx)",
        "z-year.xlsx": "covers 2022-04-01 to 2023-03-31, not the national period 2023-04-01 to 2024-03-31",
    }
    assert [r.figures.force for r in result.counted] == ["essex", "kent", "surrey"]
    assert result.national.allegations == sum(
        f.allegations for f in figures if f.force in ("essex", "kent", "surrey")
    )


def _pct(folder: Path, code: str) -> float:
    return openpyxl.load_workbook(folder / f"{code}.xlsx")["Outcomes"]["C2"].value  # type: ignore[no-any-return]


def test_nothing_countable_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    with pytest.raises(InvalidInput, match=r"No survey return could be counted: junk.xlsx: not a readable"):
        aggregate([junk], tmp_path / "national.xlsx", "dac-analyst", datetime(2024, 7, 1))
    assert not (tmp_path / "national.xlsx").exists()
