"""Signed notice files: a file signed by one force imports at another; an altered, unsigned or
wrongly signed file is refused with a clear message and nothing is imported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.enums import Role
from app.domain.errors import RuleRefused, UnsignedNoticeFile
from app.persistence.models import AccessLogRow, NoticeRow
from app.services import notice_files
from app.services.imports.workforce import import_workforce
from tests.helpers import Env, force_env, write_csv
from tests.integration.test_imports import NOTICE_HEADER, WF_HEADER, WF_ROWS


@pytest.fixture
def env(db_url: str):
    """The receiving force (west-midlands), on each database."""
    with force_env(db_url, force="west-midlands") as e:
        yield e


@pytest.fixture
def kent(tmp_path: Path, _sqlite_template: Path):
    """The sending force, on its own SQLite database."""
    target = tmp_path / "kent.db"
    shutil.copy(_sqlite_template, target)
    with force_env(f"sqlite:///{target}", force="kent") as e:
        yield e


def _notices(env: Env) -> int:
    with env.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(NoticeRow)) or 0


KENT_ROW = ["K-1", "kent", "2024-01-02", "DOMESTIC_ABUSE_INCIDENT", "Smyth", "Jane", "1985-04-03", "", "", "",
            "west-midlands", "DA incident attended", ""]


def _signed_file(kent: Env, env: Env, tmp_path: Path, recipient: str = "west-midlands",
                 row: list[str] = KENT_ROW) -> tuple[Path, str]:
    """A file signed by kent for `recipient`; the receiving force holds kent's public key."""
    public = notice_files.create_signing_key(kent.uow(), kent.admin)
    notice_files.set_public_key(env.uow(), env.admin, "kent", public)
    rows = [dict(zip(notice_files.HEADER, row, strict=True))]
    result = notice_files.write_signed(kent.uow(), kent.user("sup", Role.SUPERVISOR), recipient, rows,
                                       tmp_path / "to-wm.csv")
    return result.file, public


def test_signed_file_verifies_and_imports(env: Env, kent: Env, tmp_path: Path) -> None:
    path, _public = _signed_file(kent, env, tmp_path)
    manifest = json.loads(notice_files.manifest_path(path).read_text())
    assert manifest["issuing_force"] == "kent" and manifest["rows"] == 1 and manifest["marking"] == "OFFICIAL-SENSITIVE"
    assert manifest["recipient"] == "west-midlands"
    with kent.uow() as uow:
        assert uow.session.scalar(select(AccessLogRow).where(AccessLogRow.operation
                                                             == "DISCLOSURE")).recipient == "west-midlands"
    sup = env.user("sup2", Role.SUPERVISOR)
    summary, ids = notice_files.import_notice_file(env.uow(), sup, path)
    assert summary.added == 1 and len(ids) == 1


def test_altered_file_is_refused(env: Env, kent: Env, tmp_path: Path) -> None:
    path, _ = _signed_file(kent, env, tmp_path)
    path.write_text(path.read_text().replace("Smyth", "Smith"))
    sup = env.user("sup2", Role.SUPERVISOR)
    with pytest.raises(RuleRefused, match="has been altered since kent signed it"):
        notice_files.import_notice_file(env.uow(), sup, path)
    assert _notices(env) == 0


def test_altered_manifest_is_refused(env: Env, kent: Env, tmp_path: Path) -> None:
    path, _ = _signed_file(kent, env, tmp_path)
    mpath = notice_files.manifest_path(path)
    manifest = json.loads(mpath.read_text())
    manifest["rows"] = 99
    mpath.write_text(json.dumps(manifest))
    with pytest.raises(RuleRefused, match="signature does not verify"):
        notice_files.import_notice_file(env.uow(), env.user("sup2", Role.SUPERVISOR), path)
    assert _notices(env) == 0


def test_unsigned_force_file_refused_and_pnd_needs_consent(env: Env, tmp_path: Path) -> None:
    sup = env.user("sup", Role.SUPERVISOR)
    force_file = write_csv(tmp_path / "f.csv", NOTICE_HEADER,
                           [["X1", "kent", "2024-01-01", "CRIME", "A", "B", "", "", ""]])
    with pytest.raises(RuleRefused, match="must come in a signed file"):
        notice_files.import_notice_file(env.uow(), sup, force_file)
    pnd = write_csv(tmp_path / "p.csv", NOTICE_HEADER,
                    [["P1", "PND", "2024-01-01", "INTELLIGENCE", "A", "B", "", "", ""]])
    with pytest.raises(RuleRefused, match="not signed"):
        notice_files.import_notice_file(env.uow(), sup, pnd)
    assert _notices(env) == 0
    summary, _ = notice_files.import_notice_file(env.uow(), sup, pnd, accept_unsigned=True)
    assert summary.added == 1
    with env.uow() as uow:
        assert uow.session.scalar(select(AccessLogRow).where(AccessLogRow.reason
                                                             == "unsigned file accepted by the user"))


def test_transferee_notice_needs_allegations(env: Env, tmp_path: Path) -> None:
    notice_files.create_signing_key(env.uow(), env.admin)
    import_workforce(env.uow(), env.admin, write_csv(tmp_path / "wf.csv", WF_HEADER, WF_ROWS))
    sup = env.user("sup", Role.SUPERVISOR)
    with pytest.raises(RuleRefused, match="no PPDA allegations recorded"):
        notice_files.export_transferee_notices(env.uow(), sup, "essex", ["S001"], tmp_path / "out.csv")


def test_an_unsigned_pnd_file_is_refused_with_a_typed_error_naming_its_sources(env: Env, tmp_path: Path) -> None:
    pnd = write_csv(tmp_path / "p.csv", NOTICE_HEADER,
                    [["P1", "PND", "2024-01-01", "INTELLIGENCE", "A", "B", "", "", ""],
                                                       ["C1", "college_barred_list", "2024-01-01", "BARRED_LIST", "C",
                                                        "D",
                                                        "", "", ""]])
    with pytest.raises(UnsignedNoticeFile) as refused:
        notice_files.import_notice_file(env.uow(), env.user("sup", Role.SUPERVISOR), pnd)
    assert (refused.value.filename, refused.value.sources) == ("p.csv", ["COLLEGE_BARRED_LIST", "PND"])
    assert refused.value.message.startswith("p.csv is not signed. It comes from COLLEGE_BARRED_LIST, PND;")
    assert "(--accept-unsigned)" in refused.value.message  # the command line's way to accept it
    force_file = write_csv(tmp_path / "f.csv", NOTICE_HEADER,
                           [["X1", "kent", "2024-01-01", "CRIME", "A", "B", "", "", ""]])
    with pytest.raises(RuleRefused) as other:
        notice_files.import_notice_file(env.uow(), env.user("sup2", Role.SUPERVISOR), force_file)
    assert not isinstance(other.value, UnsignedNoticeFile)  # a force's notices cannot be accepted unsigned


def test_an_export_that_is_not_committed_leaves_no_file(env: Env, tmp_path: Path) -> None:
    from tests.integration.test_matching_service import FailingCommit

    notice_files.create_signing_key(env.uow(), env.admin)
    rows = [dict(zip(notice_files.HEADER, ["W-1", "west-midlands", "2024-01-02", "CRIME", "Smyth", "Jane", "1985-04-03",
                                            "", "", "", "kent", "Arrested", ""], strict=True))]
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(RuleRefused, match="commit was refused"):
        notice_files.write_signed(FailingCommit(env.db.session_factory), env.user("sup", Role.SUPERVISOR),
                                  "kent", rows, folder / "to-kent.csv")
    assert list(folder.iterdir()) == []  # neither the file, its manifest, nor a half-written one
