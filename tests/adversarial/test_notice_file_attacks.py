"""Notice files between forces, attacked (issue 12, deliverable 7): a signed file is imported only
by the force it is addressed to, what is verified is what is imported, and values a spreadsheet
would run are refused rather than passed on to another force."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.enums import Role
from app.domain.errors import ImportRejected, RuleRefused
from app.persistence.models import NoticeRow
from app.services import notice_files
from tests.helpers import Env, force_env

ROW = ["K-1", "kent", "2026-01-02", "DOMESTIC_ABUSE_INCIDENT", "Smyth", "Jane", "1985-04-03", "", "", "",
       "west-midlands", "DA incident attended", ""]


@pytest.fixture
def home(db_url: str) -> Iterator[Env]:
    """The receiving force, on each database."""
    with force_env(db_url, force="west-midlands") as e:
        yield e


@pytest.fixture
def kent(tmp_path: Path, _sqlite_template: Path) -> Iterator[Env]:
    target = tmp_path / "kent.db"
    shutil.copy(_sqlite_template, target)
    with force_env(f"sqlite:///{target}", force="kent") as e:
        yield e


def signed(kent: Env, home: Env, tmp_path: Path, recipient: str, row: list[str] = ROW) -> Path:
    public = notice_files.create_signing_key(kent.uow(), kent.admin)
    notice_files.set_public_key(home.uow(), home.admin, "kent", public)
    result = notice_files.write_signed(kent.uow(), kent.user(f"kent-{recipient}", Role.SUPERVISOR), recipient,
                                       [dict(zip(notice_files.HEADER, row, strict=True))],
                                       tmp_path / f"to-{recipient}.csv")
    return result.file


def held(env: Env) -> dict[str, str]:
    with env.uow() as uow:
        return {n.notice_ref: n.surname for n in uow.session.scalars(select(NoticeRow))}


def test_a_signed_file_addressed_to_another_force_is_refused(kent: Env, home: Env, tmp_path: Path) -> None:
    path = signed(kent, home, tmp_path, "essex")
    with pytest.raises(RuleRefused) as refused:
        notice_files.import_notice_file(home.uow(), home.user("sup", Role.SUPERVISOR), path)
    assert refused.value.message == ("to-essex.csv was signed by kent for 'essex', not for this force (west-midlands): "
                                     "a notice file is for its recipient only. Nothing was imported.")
    assert held(home) == {}
    assert notice_files.import_notice_file(home.uow(), home.user("sup2", Role.SUPERVISOR),
                                           signed(kent, home, tmp_path, "west-midlands"))[0].added == 1


def test_a_file_swapped_after_verification_is_not_what_gets_imported(kent: Env, home: Env, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = signed(kent, home, tmp_path, "west-midlands")
    genuine = notice_files.verify_file

    def verify_then_swap(uow, p, *args):  # type: ignore[no-untyped-def]
        issuer = genuine(uow, p, *args)
        p.write_text(p.read_text(encoding="utf-8").replace("Smyth", "Innocent"), encoding="utf-8")
        return issuer

    monkeypatch.setattr(notice_files, "verify_file", verify_then_swap)
    notice_files.import_notice_file(home.uow(), home.user("sup", Role.SUPERVISOR), path)
    assert held(home) == {"K-1": "Smyth"}


def test_a_notice_file_carrying_a_formula_is_refused_at_import(home: Env, tmp_path: Path) -> None:
    path = tmp_path / "pnd.csv"
    path.write_text("notice_id,issuing_force,notice_date,record_type,surname,forenames,summary\n"
                    'P1,PND,2026-01-02,INTELLIGENCE,Brown,Tom,"=cmd|\' /C calc\'!A0"\n'
                    "P2,PND,2026-01-02,INTELLIGENCE,+Green,Ann,ok\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        notice_files.import_notice_file(home.uow(), home.user("sup", Role.SUPERVISOR), path, accept_unsigned=True)
    assert [(e.line, e.column) for e in refused.value.errors] == [(2, "summary"), (3, "surname")]
    assert held(home) == {}


def test_an_unsigned_file_naming_many_or_huge_issuers_is_refused_briefly(home: Env, tmp_path: Path) -> None:
    """The refusal names the issuers found before any cell is checked: it quotes a few, briefly."""
    path = tmp_path / "many.csv"
    rows = [f"N{i},force-{i:03d},2026-01-02,CRIME,Brown,Tom,x" for i in range(300)]
    path.write_text("notice_id,issuing_force,notice_date,record_type,surname,forenames,summary\n"
                    + "\n".join([*rows, f"Z,{'k' * 100_000}\u200b,2026-01-02,CRIME,B,T,x"]) + "\n", encoding="utf-8")
    with pytest.raises(RuleRefused) as refused:
        notice_files.import_notice_file(home.uow(), home.user("sup", Role.SUPERVISOR), path)
    message = refused.value.message
    assert message.startswith("many.csv has no signed manifest (many.csv.manifest.json) but has notices from "
                              "force-000, "
                              "force-001, force-002, force-003, force-004 and 296 more;")
    assert len(message) < 400
