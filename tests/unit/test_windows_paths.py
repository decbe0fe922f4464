"""Windows paths in database URLs (issue 18), checked on any OS: what a user is shown must read back
as the same file, and an SQLite file on a network share is refused before anything is opened."""

from __future__ import annotations

import pytest
from sqlalchemy import make_url

from app.domain.errors import DatabaseVersionError
from app.persistence.database import display_url, is_network_path, open_database


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///C:/demo2.db",
        "sqlite:///C:\\Users\\Jane Smith\\PSD data\\psd.db",
        "sqlite:///D:/PSD/psd 2026.db",
        "sqlite:////tmp/psd.db",
    ],
)
def test_a_shown_sqlite_url_is_the_path_as_typed_and_reads_back_as_the_same_file(url: str) -> None:
    shown = display_url(make_url(url))
    assert shown == url
    assert "%3A" not in shown and "%5C" not in shown
    assert make_url(shown).database == make_url(url).database


def test_a_shown_url_never_carries_a_password() -> None:
    assert "secret" not in display_url(make_url("sqlite+pysqlcipher://:secret@/C:/psd.db"))
    assert display_url(make_url("postgresql+psycopg://app:secret@db.local/psd")) == "postgresql+psycopg://app:***@db.local/psd"


@pytest.mark.parametrize(
    ("path", "windows", "network"),
    [
        ("\\\\server\\share\\psd.db", False, True),
        ("\\\\server\\share\\psd.db", True, True),
        ("//server/share/psd.db", True, True),
        ("\\\\?\\UNC\\server\\share\\psd.db", True, True),
        ("\\\\?\\C:\\Users\\Jane\\psd.db", True, False),
        ("C:\\Users\\Jane Smith\\psd.db", True, False),
        ("C:/Users/Jane/psd.db", True, False),
        ("/home/jane/psd.db", False, False),
        ("//home/jane/psd.db", False, False),  # a legal POSIX path elsewhere
    ],
)
def test_network_shares_are_recognised(path: str, windows: bool, network: bool) -> None:
    assert is_network_path(path, windows=windows) is network


def test_an_sqlite_file_on_a_network_share_is_refused_with_a_plain_message(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatabaseVersionError, match="network share") as refused:
        open_database("sqlite:///\\\\server\\share\\psd.db")
    assert "PostgreSQL" in str(refused.value)
    assert list(tmp_path.iterdir()) == []  # nothing was made, not even a folder


def test_demo_prints_a_windows_database_as_typed() -> None:
    """`demo` printed `sqlite:///C%3A/demo2.db` for C:/demo2.db (issue 18): a user copying it got another file."""
    from types import SimpleNamespace

    from app.services.demo import build

    shown = build._shown_url(SimpleNamespace(url=make_url("sqlite+pysqlite:///C:/demo2.db")))  # type: ignore[arg-type]
    assert shown == "sqlite:///C:/demo2.db"
