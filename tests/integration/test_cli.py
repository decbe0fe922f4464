"""The command line as automation uses it (FORMATS.md "Command line"): exit 0 on success, 1 on a
refused or invalid request (message on stderr, nothing changed), 2 on wrong usage."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from tests.helpers import PASSWORD, write_csv
from tests.integration.test_imports import CASE_HEADER, CASE_ROWS, WF_HEADER, WF_ROWS


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PPDA_NEW_PASSWORD", PASSWORD)
    monkeypatch.setenv("PPDA_PASSWORD", PASSWORD)

    def run(*args: str) -> int:
        return main(["--db", db_url, *args])

    assert run("init", "--force", "west-midlands", "--admin", "admin") == 0
    return run


def test_init_user_import_and_verify(cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("--user", "admin", "user", "add", "head", "--role", "HEAD_OF_PSD", "--role", "supervisor") == 0
    assert cli("--user", "admin", "import", "workforce", str(write_csv(tmp_path / "wf.csv", WF_HEADER, WF_ROWS))) == 0
    cases = write_csv(tmp_path / "cases.csv", CASE_HEADER, CASE_ROWS)
    assert cli("--user", "head", "import", "cases", str(cases)) == 0
    out = capsys.readouterr().out
    assert "3 added" in out
    assert cli("--user", "admin", "headcount", "set", "--year", "2025", "--total", "7000") == 0
    assert cli("--user", "admin", "audit", "verify") == 0
    assert "chain intact" in capsys.readouterr().out


def test_refusals_exit_1_with_a_message(cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write_csv(tmp_path / "bad.csv", WF_HEADER,
                    [["S1", "", "A", "B", "", "1990-02-31", "", "", "PCSO", "", "", "", "", "", "", ""]])
    assert cli("--user", "admin", "import", "workforce", str(bad)) == 1
    err = capsys.readouterr().err
    assert "line 2, column date_of_birth" in err and "nothing was imported" in err
    assert cli("--user", "admin", "import", "cases", str(bad)) == 1
    assert "may not import cases" in capsys.readouterr().err
    assert cli("init", "--force", "kent", "--admin", "other") == 1
    assert "already set up" in capsys.readouterr().err


def test_wrong_password_and_usage(cli, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PPDA_PASSWORD", "not-the-password")
    assert cli("--user", "admin", "audit", "verify") == 1
    assert "wrong password" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        cli("import", "everything", "x.csv")
    assert usage.value.code == 2


def test_db_check_and_upgrade(cli, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("db", "check") == 0
    assert cli("--user", "admin", "db", "upgrade") == 0
    assert "nothing to do" in capsys.readouterr().out
