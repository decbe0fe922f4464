"""Issue 12, deliverable 5 (errors): a database failing at run time is a plain message (what
happened, what to do, nothing changed) on the command line and in the window, never a traceback,
and nothing personal reaches stderr or the log. Each failure is the real one, made for the test:
a lock held past the waiting time, a database that cannot grow, a page overwritten with noise, a
server connection cut by pg_terminate_backend, an unexpected constraint; and a reader that stops
reading the output (`policy list | head -1`)."""

from __future__ import annotations

import os
import random
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, event, make_url, text

from app.cli import main
from app.persistence import database
from app.services import users
from tests.helpers import PASSWORD, write_csv

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["staff_number", "surname", "forenames", "date_of_birth", "workforce_type"]
SURNAMES = ["Okonkwo-Hartley", "Fairweather", "Brannigan", "Quarrington", "Delacourt-Mbeki"]


def people(n: int) -> list[list[str]]:
    return [[f"K{i:05d}", SURNAMES[i % 5], f"Forename{i}", f"19{60 + i % 40}-0{1 + i % 9}-1{i % 9}", "PCSO"]
            for i in range(n)]


@dataclass
class Site:
    url: str
    tmp: Path
    capsys: pytest.CaptureFixture[str]

    def cli(self, *args: str, user: str = "admin") -> tuple[int, str]:
        self.capsys.readouterr()
        code = main(["--db", self.url, "--user", user, *args])
        _out, err = self.capsys.readouterr()
        return code, err

    def count(self, table: str) -> int:
        engine = create_engine(self.url)
        try:
            with engine.connect() as conn:
                return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)
        finally:
            engine.dispose()

    def workforce(self, n: int) -> Path:
        return write_csv(self.tmp / f"wf-{n}.csv", HEADER, people(n))


def personal(err: str) -> list[str]:
    """Names and dates of birth of the file's people that appear in `err`."""
    rows = people(200)
    return sorted({v for r in rows for v in (r[1], r[2], r[3]) if v in err})


@pytest.fixture
def site(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> Iterator[Site]:
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setenv("PPDA_PASSWORD", PASSWORD)
    monkeypatch.setenv("PPDA_NEW_PASSWORD", PASSWORD)
    assert main(["--db", db_url, "init", "--force", "kent", "--admin", "admin"]) == 0
    yield Site(db_url, tmp_path, capsys)


def _sqlite_only(site: Site) -> Path:
    if not site.url.startswith("sqlite"):
        pytest.skip("an SQLite file's own failure")
    return Path(str(make_url(site.url).database))


def test_a_database_locked_past_the_waiting_time_is_a_plain_message(site: Site,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = _sqlite_only(site)
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    blocker = sqlite3.connect(path, timeout=0)
    blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        code, err = site.cli("import", "workforce", str(site.workforce(50)))
    finally:
        blocker.rollback()
        blocker.close()
    assert code == 1 and err.startswith("The database is busy") and "Nothing was changed" in err, err
    assert "Traceback" not in err and personal(err) == []
    assert site.count("person") == 0


def test_a_full_disk_is_a_plain_message(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The database cannot grow (SQLite's SQLITE_FULL, as on a full disk: max_page_count pins it)."""
    _sqlite_only(site)
    pragmas = database._sqlite_pragmas

    def no_room(dbapi_conn: Any, record: Any) -> None:
        pragmas(dbapi_conn, record)
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 2}")

    monkeypatch.setattr(database, "_sqlite_pragmas", no_room)
    code, err = site.cli("import", "workforce", str(site.workforce(3000)))
    assert code == 1, err
    assert err.startswith("The disk that holds the database is full") and "Nothing was changed" in err, err
    assert "Traceback" not in err and personal(err) == []
    monkeypatch.undo()
    assert site.count("person") == 0


def test_a_damaged_page_is_a_plain_message(site: Site) -> None:
    path = _sqlite_only(site)
    assert site.cli("import", "workforce", str(site.workforce(3000)))[0] == 0
    assert site.cli("user", "add", "head", "--role", "HEAD_OF_PSD")[0] == 0
    for side in path.parent.glob(path.name + "-*"):  # nothing pending in the WAL: the file is all there is
        side.unlink()
    data = bytearray(path.read_bytes())
    rng = random.Random(12)
    for page in range(len(data) // 4096 * 2 // 5, len(data) // 4096 * 4 // 5):  # the people's pages
        data[page * 4096:(page + 1) * 4096] = rng.randbytes(4096)
    path.write_bytes(bytes(data))
    code, err = site.cli("match", user="head")
    # Damage found when the file is opened or only when a damaged page is read: either way one plain
    # message that says it is damaged and to restore a backup, and no traceback.
    assert code == 1 and "damaged" in err and "restore" in err.lower() and "Traceback" not in err, err
    assert "Traceback" not in err and personal(err) == []
    code, err = site.cli("db", "check")
    assert code == 1 and "damaged" in err and "Traceback" not in err, err


def test_a_lost_server_connection_is_a_plain_message_without_the_rows(site: Site) -> None:
    if not site.url.startswith("postgresql"):
        pytest.skip("a PostgreSQL server's connection")
    admin = create_engine(site.url, isolation_level="AUTOCOMMIT")
    cut: list[int] = []

    def cut_when_people_are_written(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if not cut and statement.lstrip().upper().startswith("INSERT INTO PERSON"):
            cut.append(conn.connection.dbapi_connection.info.backend_pid)
            with admin.connect() as side:
                side.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": cut[0]})

    event.listen(Engine, "before_cursor_execute", cut_when_people_are_written)
    try:
        code, err = site.cli("import", "workforce", str(site.workforce(200)))
    finally:
        event.remove(Engine, "before_cursor_execute", cut_when_people_are_written)
        admin.dispose()
    assert cut, "the import never wrote a person"
    assert code == 1 and err.startswith("The connection to the database server was lost"), err
    assert "Traceback" not in err and personal(err) == [] and "INSERT" not in err
    assert site.count("person") == 0
    assert site.cli("import", "workforce", str(site.workforce(200)))[0] == 0  # the next action reconnects


def _subprocess(site: Site, *args: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PPDA_DATA_DIR": str(data), "PPDA_PASSWORD": PASSWORD,
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    return subprocess.run([sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))",
                           "--db", site.url, "--user", "admin", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_an_unexpected_database_error_shows_and_logs_nothing_personal(site: Site) -> None:
    """Data the program did not expect (here: a unique index someone added to the server) ends in one
    line on stderr; the log holds the traceback and the statement, never the rows' values (the
    server's message names them: 'Key (surname)=(Okonkwo-Hartley) already exists')."""
    engine = create_engine(site.url)
    with engine.begin() as conn:
        conn.execute(text("CREATE UNIQUE INDEX one_per_surname ON person (surname)"))
    data = site.tmp / "data"
    try:
        done = _subprocess(site, "import", "workforce", str(site.workforce(20)), data=data)
    finally:  # the test databases are reused: leave the schema as it was
        with engine.begin() as conn:
            conn.execute(text("DROP INDEX one_per_surname"))
        engine.dispose()
    assert done.returncode == 1 and "\nUnexpected error (IntegrityError); the unfinished step changed nothing" in (
        "\n" + done.stderr), done.stderr
    assert "Traceback" not in done.stderr and personal(done.stderr) == []
    logged = "\n".join(p.read_text() for p in (data / "logs").glob("*.log*"))
    assert re.search(r"(IntegrityError|UniqueViolation) while running: INSERT INTO person", logged)
    assert personal(logged) == []


def test_a_reader_that_stops_reading_ends_the_command_quietly(site: Site) -> None:
    """`ppda-tracker policy list | head -1`: the pipe is closed before the list is written."""
    env = {**os.environ, "PPDA_DATA_DIR": str(site.tmp / "data"), "PPDA_PASSWORD": PASSWORD,
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))",
                             "--db", site.url, "--user", "admin", "policy", "list"], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader went away
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=300) == 0, err
    assert "BrokenPipe" not in err and "Traceback" not in err and "Exception ignored" not in err, err


def test_the_window_says_the_database_is_busy_in_the_sign_in_box(site: Site, qtbot: Any,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = _sqlite_only(site)
    from PySide6.QtCore import Qt

    from app.persistence.uow import UnitOfWork
    from app.ui.dialogs.sign_in import SignInDialog

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    db = database.open_database(site.url)
    dialog = SignInDialog(UnitOfWork(db.session_factory), "Kent Police")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("admin")
    dialog.password.setText(PASSWORD)
    blocker = sqlite3.connect(path, timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    finally:
        blocker.rollback()
        blocker.close()
    assert dialog.isVisible() and dialog.message.text().startswith("The database is busy")
    db.dispose()


def test_a_database_failure_reaching_the_window_is_a_message_not_a_crash(qtbot: Any) -> None:
    from PySide6.QtWidgets import QApplication, QWidget
    from sqlalchemy.exc import OperationalError

    from app.ui import errors
    from tests.ui.conftest import message_boxes

    window = QWidget()
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    failure = OperationalError("INSERT INTO victim (contact) VALUES (?)", ("07700 900123",),
                               sqlite3.OperationalError("database or disk is full"))
    errors.report_exception(OperationalError, failure, None)
    [box] = message_boxes(window)
    assert box.text().startswith("The disk that holds the database is full") and "07700" not in box.text()
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, errors.CrashDialog) and w.isVisible()]
