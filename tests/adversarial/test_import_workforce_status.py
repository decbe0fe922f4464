"""`import workforce` as a side door to case work (an outsider's second look at issue 12).

The workforce register says who is serving, suspended or has left. For a subject of an open case
those facts are the case work's: a restriction decision suspends and lifts (the register follows
it), and a subject who resigns or retires under investigation raises the Advisory List task, which
`record_leaving` refuses to undo ("already recorded as RESIGNED"). The register import wrote the
file's status over both: a routine monthly register (employment_status empty: SERVING) lifted every
PPDA suspension with no decision, and a file saying SERVING for a subject who resigned made the
Advisory List notification disappear from the work queue. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.domain.enums import DueItemKind, EmploymentStatus
from app.domain.errors import ImportRejected
from app.services import casework as cw
from app.services.imports.workforce import import_workforce
from tests.helpers import write_csv
from tests.journeys.psd import HEADER, REGISTER, Psd, small_psd

MONDAY = date(2025, 3, 3)
STATUS_HEADER = [*HEADER, "employment_status", "end_date"]


@pytest.fixture
def psd(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Psd]:
    with small_psd(db_url, tmp_path, monkeypatch) as built:
        yield built


def _register(folder: Path, name: str, **status: tuple[str, str]) -> Path:
    """The journeys' register with employment_status and end_date (given per staff number, else empty)."""
    rows = [[*r, *status.get(r[0], ("", ""))] for r in REGISTER]
    return write_csv(folder / name, STATUS_HEADER, rows)


def _suspended(psd: Psd) -> tuple[int, str, int]:
    psd.on(MONDAY, 9)
    case_id, ref = psd.intake(psd.sue, "S600", received=MONDAY)
    aid = psd.allegation(case_id, "S600")
    psd.do(psd.sue, case_id, "threshold", allegation_id=aid)
    psd.do(psd.sue, case_id, "restriction", allegation_id=aid, options="SUSPENDED",
           conditions="redeployment_considered_not_appropriate;investigation_may_be_prejudiced",
           rationale="Works in the victim's building")
    assert psd.status_of("S600") == ("SUSPENDED", "NONE")
    return case_id, ref, aid


def test_a_routine_register_import_does_not_lift_a_suspension_decided_in_the_application(
        psd: Psd, tmp_path: Path) -> None:
    _suspended(psd)
    import_workforce(psd.env.uow(), psd.hal, _register(tmp_path, "monthly.csv"))
    assert psd.status_of("S600") == ("SUSPENDED", "NONE")
    import_workforce(psd.env.uow(), psd.hal, _register(tmp_path, "says-serving.csv", S600=("SERVING", "")))
    assert psd.status_of("S600") == ("SUSPENDED", "NONE")


def test_a_register_import_cannot_undo_a_subjects_resignation_under_investigation(psd: Psd, tmp_path: Path) -> None:
    _case_id, ref, _aid = _suspended(psd)
    psd.on(date(2025, 4, 1))
    cw.record_leaving(psd.env.uow(), psd.hal, "S600", EmploymentStatus.RESIGNED, date(2025, 3, 31))
    assert DueItemKind.LIST_NOTIFICATION in psd.due(psd.hal, ref)
    with pytest.raises(ImportRejected) as refused:
        import_workforce(psd.env.uow(), psd.hal, _register(tmp_path, "back.csv", S600=("SERVING", "")))
    assert ("line 6, column employment_status: S600 is the subject of an open case and is recorded as RESIGNED "
            "from 2025-03-31; an import does not change that") in refused.value.message
    assert psd.status_of("S600") == ("RESIGNED", "NONE")
    assert DueItemKind.LIST_NOTIFICATION in psd.due(psd.hal, ref)
    # A register that does not state the status (or states the same) leaves it as recorded.
    import_workforce(psd.env.uow(), psd.hal, _register(tmp_path, "monthly.csv"))
    import_workforce(psd.env.uow(), psd.hal, _register(tmp_path, "same.csv", S600=("RESIGNED", "2025-03-31")))
    assert psd.status_of("S600") == ("RESIGNED", "NONE")
    assert DueItemKind.LIST_NOTIFICATION in psd.due(psd.hal, ref)


def test_a_resignation_in_the_register_follows_the_rules_of_recording_a_leaving(psd: Psd, tmp_path: Path) -> None:
    _case_id, ref, _aid = _suspended(psd)
    psd.on(date(2025, 4, 1))
    with pytest.raises(ImportRejected) as refused:
        import_workforce(psd.env.uow(), psd.hal, _register(tmp_path, "no-date.csv", S600=("RESIGNED", "")))
    assert ("line 6, column end_date: S600 is the subject of an open case: their leaving needs its end_date"
            in refused.value.message)
    import_workforce(psd.env.uow(), psd.hal, _register(tmp_path, "left.csv", S600=("RESIGNED", "2025-03-31")))
    assert psd.status_of("S600") == ("RESIGNED", "NONE")
    item = psd.due(psd.hal, ref)[DueItemKind.LIST_NOTIFICATION]
    assert item.detail == "Ria Shah: Advisory List: resigned while under investigation"


def test_people_under_no_investigation_keep_the_registers_status(psd: Psd, tmp_path: Path) -> None:
    """The neighbour: the register still decides for everyone else (SUSPENDED for another matter, back to SERVING)."""
    _suspended(psd)
    import_workforce(psd.env.uow(), psd.hal, _register(tmp_path, "other.csv", S700=("SUSPENDED", "")))
    assert psd.status_of("S700") == ("SUSPENDED", "NONE")
    import_workforce(psd.env.uow(), psd.hal, _register(tmp_path, "back.csv", S700=("SERVING", "")))
    assert psd.status_of("S700") == ("SERVING", "NONE")


def _about_hal(psd: Psd) -> str:
    """Sue records a case about Hal, the head of PSD (S220): Hal may never open it."""
    psd.on(MONDAY, 9)
    _case_id, ref = psd.intake(psd.sue, "S220", received=MONDAY)
    return ref


def _moved(folder: Path, name: str, staff_number: str, unit: str) -> Path:
    rows = [[*r[:6], unit, *r[7:]] if r[0] == staff_number else r for r in REGISTER]
    return write_csv(folder / name, HEADER, rows)


def test_a_subject_cannot_rewrite_their_own_register_entry_by_import(psd: Psd, tmp_path: Path) -> None:
    """Hal keeps the register (HEAD_OF_PSD); the case about him is one he may not open, so he may not
    change what it knows of him either: unit, rank and role flags decide the external-investigation
    guidance, and line managers decide who else may open it."""
    _about_hal(psd)
    with pytest.raises(ImportRejected) as refused:
        import_workforce(psd.env.uow(), psd.hal, _moved(tmp_path, "moved.csv", "S220", "Executive"))
    assert ("line 10, column staff_number: S220 is a subject of an open case you are connected to (or you are): "
            "someone else must import changes to their entry") in refused.value.message
    with psd.env.uow() as uow:
        from sqlalchemy import select

        from app.persistence.models import PersonRow
        assert uow.session.scalar(select(PersonRow.unit).where(PersonRow.staff_number == "S220")) == "PSD"


def test_a_connected_importer_still_imports_everyone_else(psd: Psd, tmp_path: Path) -> None:
    """The neighbour: the same register with Hal's row unchanged, and someone else moved, is imported."""
    _about_hal(psd)
    summary = import_workforce(psd.env.uow(), psd.hal, _moved(tmp_path, "moved.csv", "S700", "Front Counter"))
    assert (summary.updated, summary.unchanged) == (1, 8)
