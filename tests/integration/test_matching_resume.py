"""Matching after an import survives the process dying after the import's commit (the next import
or data wash matches what was left), undated notices with a common name are counted and reported,
a year of birth alone is accepted, and a file larger than SQLite's limit of bound variables is
matched (issue 14)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.enums import Role
from app.persistence.models import NoticeMatchRow, NoticeRow
from app.services import matching, notice_review
from app.services.imports.notices import import_notices
from app.services.imports.workforce import import_workforce
from tests.helpers import PASSWORD, Env, force_env, write_csv
from tests.integration.test_imports import WF_HEADER, WF_ROWS

HEADER = ["notice_id", "issuing_force", "notice_date", "record_type", "surname", "forenames", "date_of_birth"]
# Jane Smith (S001, born 1985-03-04) with her day and month swapped; a stranger.
NOTICES = [["PND-1", "PND", "2024-01-02", "INTELLIGENCE", "Smith", "Jane", "1985-04-03"],
           ["PND-2", "PND", "2024-01-03", "CRIME", "Ozturk", "Deniz", "1999-09-09"]]


@pytest.fixture
def env(db_url: str, tmp_path: Path):
    with force_env(db_url) as e:
        import_workforce(e.uow(), e.admin, write_csv(tmp_path / "wf.csv", WF_HEADER, WF_ROWS))
        e.head = e.user("head", Role.HEAD_OF_PSD)  # type: ignore[attr-defined]
        yield e


def _pairs(env: Env) -> int:
    with env.uow() as uow:
        return uow.session.scalar(select(func.count(NoticeMatchRow.id))) or 0


def _unmatched(env: Env) -> int:
    with env.uow() as uow:
        return uow.session.scalar(select(func.count(NoticeRow.id)).where(NoticeRow.matched_version.is_(None))) or 0


DIE_AFTER_COMMIT = """
import os, sys
from app.services import matching
matching.match_pending = lambda *args, **kwargs: os._exit(9)  # the process dies after the import's commit
from app.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _import_and_die(db_url: str, folder: Path, notices: Path) -> int:
    env = {**os.environ, "PPDA_PASSWORD": PASSWORD, "PPDA_DATA_DIR": str(folder / "data")}
    done = subprocess.run([sys.executable, "-c", DIE_AFTER_COMMIT, "--db", db_url, "--user", "head", "import",
                           "notices", str(notices), "--accept-unsigned"],
                          env=env, capture_output=True, text=True, check=False)
    return done.returncode


def test_a_process_killed_after_the_import_commit_leaves_the_notices_to_the_next_import(
        env: Env, db_url: str, tmp_path: Path) -> None:
    notices = write_csv(tmp_path / "pnd.csv", HEADER, NOTICES)
    assert _import_and_die(db_url, tmp_path, notices) == 9
    assert (_unmatched(env), _pairs(env)) == (2, 0)  # held, not yet matched
    summary, _ = import_notices(env.uow(), env.head, notices)  # type: ignore[attr-defined]
    assert summary.unchanged == 2  # the file itself is unchanged ...
    assert (_unmatched(env), _pairs(env)) == (0, 1)  # ... but what the dead process left is matched now
    (view,) = notice_review.review_queue(env.uow(), env.head)  # type: ignore[attr-defined]
    assert (view.notice_id, view.staff_number) == ("PND-1", "S001")


def test_a_data_wash_also_matches_what_a_killed_import_left(env: Env, db_url: str, tmp_path: Path) -> None:
    assert _import_and_die(db_url, tmp_path, write_csv(tmp_path / "pnd.csv", HEADER, NOTICES)) == 9
    summary = matching.data_wash(env.uow(), env.head)  # type: ignore[attr-defined]
    assert (summary.candidates, _unmatched(env), _pairs(env)) == (1, 0, 1)


def _namesakes(tmp_path: Path) -> Path:
    """A register where 20 people are called David Smith, and 40 others."""
    rows = [[f"D{i:03d}", "", "Smith", "David", "", f"19{60 + i}-0{1 + i % 9}-1{i % 10}", "M", "WHITE",
             "POLICE_OFFICER", "PC", "Response", "", "", "", "", ""] for i in range(20)]
    rows += [[f"R{i:03d}", "", f"Rare{chr(65 + i % 26)}{chr(65 + i // 26)}ington", "Zebedee", "", "1970-01-01", "M",
              "WHITE", "POLICE_OFFICER", "PC", "Response", "", "", "", "", ""] for i in range(40)]
    return write_csv(tmp_path / "namesakes.csv", WF_HEADER, rows)


def test_an_undated_notice_with_a_common_name_is_counted_and_reported_not_dropped(env: Env, tmp_path: Path) -> None:
    import_workforce(env.uow(), env.admin, _namesakes(tmp_path))
    undated = [["PND-3", "PND", "2024-01-04", "INTELLIGENCE", "Smith", "David", ""],
               ["PND-4", "PND", "2024-01-05", "INTELLIGENCE", "Quarrington", "Xanthe", ""]]
    import_notices(env.uow(), env.head, write_csv(tmp_path / "undated.csv", HEADER, undated))  # type: ignore[attr-defined]
    assert matching.undated_common_count(env.uow(), env.head) == 1  # type: ignore[attr-defined]
    out = tmp_path / "report.csv"
    summary = matching.data_wash(env.uow(), env.head, out)  # type: ignore[attr-defined]
    assert summary.undated_common == 1 and "1 notices without a date of birth name people too common" in str(summary)
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    (row,) = [r for r in rows if r["notice_id"] == "PND-3"]
    assert row["decision"] == "NO_DOB" and row["staff_number"] == ""
    assert "20 people in the register bear the name" in row["reasons"]
    assert not any(r["notice_id"] == "PND-4" for r in rows)  # nobody of that name: nothing to report


def test_a_year_of_birth_alone_is_accepted_and_a_rare_name_goes_to_review(env: Env, tmp_path: Path) -> None:
    import_workforce(env.uow(), env.admin, _namesakes(tmp_path))
    rows = [["PND-5", "PND", "2024-01-06", "INTELLIGENCE", "RareAAington", "Zebedee", "1970"]]
    import_notices(env.uow(), env.head, write_csv(tmp_path / "year.csv", HEADER, rows))  # type: ignore[attr-defined]
    views = notice_review.review_queue(env.uow(), env.head)  # type: ignore[attr-defined]
    # the person of that very name first; people whose surnames are one letter away below (at most five in all)
    assert 1 <= len(views) <= 5 and all(v.decision == "REVIEW" and v.notice_dob_year_only for v in views)
    view = views[0]
    assert view.staff_number == "R000" and all(v.score < view.score for v in views[1:])
    assert any("only the year of birth is known, and it agrees" in r for r in view.reasons)


@pytest.mark.slow
def test_more_notices_than_sqlite_has_bound_variables_are_imported_and_matched(env: Env, tmp_path: Path) -> None:
    rows = [[f"PND-{i:06d}", "PND", "2024-01-02", "INTELLIGENCE", f"Stranger{chr(65 + i % 26)}", "Deniz",
             f"19{50 + i % 50}-0{1 + i % 9}-1{i % 10}"] for i in range(33_000)]
    rows.append(["PND-JANE", "PND", "2024-01-02", "INTELLIGENCE", "Smyth", "Jane", "1985-03-04"])
    summary, _ = import_notices(env.uow(), env.head, write_csv(tmp_path / "big.csv", HEADER, rows))  # type: ignore[attr-defined]
    assert summary.added == 33_001 and _unmatched(env) == 0
    assert [v.notice_id for v in notice_review.review_queue(env.uow(), env.head)] == ["PND-JANE"]  # type: ignore[attr-defined]


def test_a_file_read_in_batches_is_still_all_or_nothing_and_updates_changed_notices(
        env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.domain.errors import ImportRejected
    from app.services.imports import notices as notice_import

    monkeypatch.setattr(notice_import, "BATCH", 3)  # several batches written before the bad row is read
    monkeypatch.setattr(notice_import, "LOOKUP", 2)  # and several IN-lists per batch
    rows = [[f"PND-{i}", "PND", "2024-01-02", "INTELLIGENCE", f"Stranger{chr(65 + i)}", "Deniz",
             f"1970-01-0{1 + i % 9}"] for i in range(10)]
    first = write_csv(tmp_path / "first.csv", HEADER, rows)
    summary, _ = import_notices(env.uow(), env.head, first)  # type: ignore[attr-defined]
    assert (summary.rows, summary.added) == (10, 10)
    changed = [list(r) for r in rows]
    changed[7][4] = "Smith"  # one notice corrected by its issuer, in the third batch
    changed.append(["PND-NEW", "PND", "2024-01-02", "INTELLIGENCE", "Newman", "Deniz", "1970-01-01"])
    summary, ids = import_notices(env.uow(), env.head, write_csv(tmp_path / "second.csv", HEADER, changed))  # type: ignore[attr-defined]
    assert (summary.added, summary.updated, summary.unchanged, len(ids)) == (1, 1, 9, 2)
    with env.uow() as uow:
        assert uow.session.execute(select(NoticeRow.surname, NoticeRow.version)
                                   .where(NoticeRow.notice_ref == "PND-7")).one() == ("Smith", 2)
    late_error = [*[[f"PND-X{i}", *r[1:]] for i, r in enumerate(rows)],
                  ["PND-X3", "PND", "2024-01-02", "INTELLIGENCE", "Again", "Deniz", "1970-01-01"],  # duplicate, line 12
                  ["PND-Y", "narnia", "2024-01-02", "INTELLIGENCE", "Last", "Deniz", "1970-01-01"]]
    with pytest.raises(ImportRejected) as err:
        import_notices(env.uow(), env.head, write_csv(tmp_path / "late.csv", HEADER, late_error))  # type: ignore[attr-defined]
    assert "PND-X3 from PND is also on line 5" in str(err.value)
    assert "'narnia' is not a known force code" in str(err.value)
    with env.uow() as uow:  # the batches written before the bad rows were read are rolled back
        assert uow.session.scalar(select(func.count(NoticeRow.id))) == 11


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")  # Python 3.12+
def test_a_data_wash_shared_among_processes_reports_and_records_what_one_process_does(
        env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line's wash: the model estimated in a forked process while the register is
    indexed, the notices marked matched in the database while forked workers match. Same report,
    same notes, nothing left unmatched, on both databases."""
    from app.domain.matching import engine

    import_workforce(env.uow(), env.admin, _namesakes(tmp_path))
    rows = [*NOTICES, ["PND-3", "PND", "2024-01-04", "INTELLIGENCE", "Smith", "David", ""],
            ["PND-4", "PND", "2024-01-05", "INTELLIGENCE", "RareAAington", "Zebedee", "1970-01-01"]]
    import_notices(env.uow(), env.head, write_csv(tmp_path / "pnd.csv", HEADER, rows))  # type: ignore[attr-defined]
    one = matching.data_wash(env.uow(), env.head, tmp_path / "one.csv")  # type: ignore[attr-defined]
    monkeypatch.setattr(engine, "PARALLEL_FROM", 0)  # a large file's path, on a small one
    two = matching.data_wash(env.uow(), env.head, tmp_path / "two.csv", workers=2)  # type: ignore[attr-defined]
    assert (two.candidates, two.matches, two.reviews, two.undated_common) == (
        one.candidates, one.matches, one.reviews, one.undated_common) and one.undated_common == 1
    assert (tmp_path / "two.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()
    assert _unmatched(env) == 0
    assert matching.undated_common_count(env.uow(), env.head) == 1  # type: ignore[attr-defined]
