"""No personal data, password or key in the log files (DOMAIN.md §7, issue 7 item 6).

A representative workload runs in real processes (`python -m app ...`, each configuring its own
logging into PPDA_DATA_DIR/logs, as on a workstation) against one data directory: set-up, users,
imports with real-looking names, decisions, a victim's contact details revealed, closure and
disposal, every export, failed sign-ins up to a lockout, and an encrypted database. Then every
file under PPDA_DATA_DIR/logs is searched for the names, staff numbers, dates of birth, victim
contact details, passwords and the SQLCipher key used: none may appear.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers import write_csv

pytestmark = pytest.mark.slow  # about 25 short-lived processes
ROOT = Path(__file__).resolve().parents[2]
PASSWORDS = {"admin": "Quill-Harbour-Lantern-71", "head": "Copper-Meadow-Violin-38",
             "head2": "Saffron-Tundra-Kettle-26",
             "aud": "Granite-Orchard-Puzzle-53"}
WF_HEADER = ["staff_number", "warrant_number", "surname", "forenames", "previous_names", "date_of_birth", "sex",
             "ethnicity", "workforce_type", "rank_or_grade", "unit", "line_manager_staff_number"]
WF_ROWS = [
    ["WMP40917", "PC8812", "Okonkwo-Hartley", "Siobhan", "Siobhan Brannigan", "1986-07-23", "F", "BLACK",
     "POLICE_OFFICER", "PC", "Response Wolverhampton", "WMP31044"],
    ["WMP31044", "PS3021", "Fairweather", "Desmond", "", "1971-02-14", "M", "WHITE", "POLICE_OFFICER", "PS",
     "Response Wolverhampton", ""],
    ["WMP55203", "", "Ravindran", "Priyanka", "", "1993-10-05", "F", "ASIAN", "POLICE_STAFF", "Band C",
     "Contact Centre", ""],
]
CASE_HEADER = ["case_ref", "recorded_date", "reporting_route", "case_type", "subject_staff_number", "victim_ref",
               "victim_relationship", "abuse_types", "criminal", "crime_ref", "misconduct_outcomes",
               "criminal_outcome", "outcome_date"]
CASE_ROWS = [
    ["PSD-2017-000411", "2017-04-03", "VICTIM_DIRECT", "CONDUCT_MATTER", "WMP40917", "VR-ELSPETH", "FORMER_PARTNER",
     "COERCIVE_CONTROL", "Y", "20/77123/17", "NO_CASE_TO_ANSWER", "NO_FURTHER_ACTION", "2017-09-01"],
    ["PSD-2025-000412", "2025-01-06", "COLLEAGUE", "CONDUCT_MATTER", "WMP55203", "VR-TOBIAS", "CURRENT_PARTNER",
     "ECONOMIC", "N", "", "", "", ""],
]
NOTICE_HEADER = ["notice_id", "issuing_force", "notice_date", "record_type", "surname", "forenames", "date_of_birth",
                 "summary"]
NOTICE_ROWS = [["PND-55117", "PND", "2025-01-10", "DOMESTIC_ABUSE_INCIDENT", "Okonkwo Hartley", "Siobhan",
                "1986-07-23", "Attended address of Elspeth Marlow-Quinn after a call"]]
CONTACT = "07700 900314, Flat 2, 19 Quarry Bank Road"
VICTIM_NAME = "Elspeth Marlow-Quinn"
REASON = "Arranging a safety visit"
DB_KEY = "sqlcipher-" + secrets.token_hex(16)

SERVICES_SCRIPT = textwrap.dedent('''
    """Decisions through the services, logging configured as the command line does."""
    import os, sys
    from datetime import date
    from app.logging_setup import configure
    from app.persistence.database import open_database
    from app.persistence.uow import UnitOfWork
    from app.services import case_queries, users
    from app.services import casework as cw
    from app.domain.enums import AssignmentRole, Severity

    configure()
    db = open_database(sys.argv[1])
    uow = lambda: UnitOfWork(db.session_factory)
    head = users.authenticate(uow(), "head", os.environ["HEAD_PASSWORD"])
    ids = {r.reference: r.id for r in case_queries.list_cases(uow(), head)}
    old, new = ids["PSD-2017-000411"], ids["PSD-2025-000412"]
    cw.update_victim(uow(), head, new, "VR-TOBIAS", cw.VictimUpdate(contact_details=os.environ["CONTACT"]))
    victim = case_queries.open_case(uow(), head, new).victims[0].id
    case_queries.reveal_victim_contact(uow(), head, victim, os.environ["REASON"])
    allegation = case_queries.open_case(uow(), head, new).allegations[0].id
    cw.record_threshold(uow(), head, new, allegation)
    cw.record_severity(uow(), head, new, Severity.MISCONDUCT, allegation_id=allegation,
                       rationale="Account of " + os.environ["VICTIM_NAME"] + " is consistent")
    if case_queries.open_case(uow(), head, old).status == "OPEN":  # an import may have closed it
        cw.close_case(uow(), head, old, on=date(2017, 10, 2))
''')


def _run(data_dir: Path, env: dict[str, str], *args: str, user: str | None = None, expect: int = 0) -> str:
    full = {**os.environ, "PPDA_DATA_DIR": str(data_dir)}
    if user:
        full.update(PPDA_USER=user, PPDA_PASSWORD=PASSWORDS[user])
    full.update(env)
    done = subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=full, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == expect, (args, done.stdout, done.stderr)
    return done.stdout


@pytest.fixture
def logs(tmp_path: Path) -> list[Path]:
    data = tmp_path / "data"
    url = f"sqlite:///{data / 'psd.db'}"
    base = {"PPDA_DB_URL": url}
    run = lambda *a, user=None, expect=0, env=None: _run(data, {**base, **(env or {})}, *a, user=user,  # noqa: E731
                                                          expect=expect)
    run("init", "--force", "west-midlands", "--admin", "admin", env={"PPDA_NEW_PASSWORD": PASSWORDS["admin"]})
    for name, roles in (("head", ["HEAD_OF_PSD", "SUPERVISOR"]), ("head2", ["HEAD_OF_PSD"]), ("aud", ["AUDITOR"])):
        run("user", "add", name, *[x for r in roles for x in ("--role", r)], "--display-name", f"{name} Cartwright",
            user="admin", env={"PPDA_NEW_PASSWORD": PASSWORDS[name]})
    files = {"wf": write_csv(tmp_path / "wf.csv", WF_HEADER, WF_ROWS),
             "cases": write_csv(tmp_path / "cases.csv", CASE_HEADER, CASE_ROWS),
             "notices": write_csv(tmp_path / "notices.csv", NOTICE_HEADER, NOTICE_ROWS)}
    run("import", "workforce", str(files["wf"]), user="admin")
    run("import", "cases", str(files["cases"]), user="head")
    run("import", "notices", str(files["notices"]), "--accept-unsigned", user="head")
    run("match", "--out", str(tmp_path / "match.csv"), user="head")
    script = tmp_path / "decisions.py"
    script.write_text(SERVICES_SCRIPT, encoding="utf-8")
    subprocess.run([sys.executable, str(script), url], cwd=ROOT, check=True, timeout=300, env={
        **os.environ, "PYTHONPATH": str(ROOT), "PPDA_DATA_DIR": str(data), "HEAD_PASSWORD": PASSWORDS["head"],
        "CONTACT": CONTACT, "REASON": REASON, "VICTIM_NAME": VICTIM_NAME})
    _exports(run, tmp_path)
    run("retention", "dispose", "PSD-2017-000411", "--reason", "Retention review: no further purpose",
        "--approver", "head2", user="head", env={"PPDA_APPROVER_PASSWORD": PASSWORDS["head2"]})
    for _ in range(5):  # wrong passwords up to the lockout (which is logged)
        run("audit", "verify", user="aud", expect=1, env={"PPDA_PASSWORD": "Wrong-" + PASSWORDS["aud"]})
    run("--db", f"sqlite:///{data / 'secret.db'}", "init", "--force", "kent", "--admin", "admin", "--encrypt",
        env={"PPDA_NEW_PASSWORD": PASSWORDS["admin"], "PPDA_DB_KEY": DB_KEY})
    run("--db", f"sqlite:///{data / 'secret.db'}", "audit", "verify", user="admin", env={"PPDA_DB_KEY": DB_KEY})
    return sorted(p for p in (data / "logs").rglob("*") if p.is_file())


def _exports(run, folder: Path) -> None:  # type: ignore[no-untyped-def]
    run("export", "survey-return", "--year", "2025", "--out", str(folder / "return.xlsx"), user="head")
    run("export", "outcomes", "--from", "2017-04-01", "--to", "2025-03-31", "--out", str(folder / "o.xlsx"),
        user="head")
    run("report", "annual", "--year", "2025", "--out", str(folder / "annual.pdf"), user="head")
    run("queue", "--all", "--csv", user="head")
    run("retention", "due", user="head")
    run("audit", "export", "--out", str(folder / "log.csv"), user="aud")


def test_the_log_files_hold_no_personal_data_password_or_key(logs: list[Path]) -> None:
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in logs)
    assert "locked after repeated failed sign-ins" in text  # the logs are there and were written to
    forbidden = {cell for row in WF_ROWS for cell in row[:6] if cell} | {"Siobhan", "Brannigan", "Okonkwo"}
    forbidden |= {CONTACT, "Quarry Bank", VICTIM_NAME, "Marlow", "VR-ELSPETH", "VR-TOBIAS", "20/77123/17", DB_KEY}
    forbidden |= set(PASSWORDS.values())
    found = sorted(f for f in forbidden if f in text)
    assert found == [], f"personal data, passwords or keys in {[p.name for p in logs]}: {found}"
