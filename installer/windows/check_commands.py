"""Every subcommand of the command line, run as a Windows user would run it: Windows paths (a
drive letter, backslashes, spaces, the user's profile C:\\Users\\NAME), SQLite and SQLCipher files,
CSV files saved by Excel (CRLF; "CSV UTF-8" with its BOM; plain "CSV" in Windows-1252), the UK
locale, the Windows Credential Manager as the keyring, the per-user data folder.

Run by installer/windows-check on Linux with the host's python3 (standard library only); each
command goes through Wine:

    python3 check_commands.py --out DIR -- wine C:\\path\\python.exe -m app      (from source)
    python3 check_commands.py --out DIR -- wine "C:\\Program Files\\PPDA Tracker\\ppda-tracker-cli.exe"

WINEPREFIX must be set. Exit status 0 only if every check passed.
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

PASSWORD = "Windows-Check-2024!"


class Checker:
    def __init__(self, command: list[str], out: Path, prefix: Path, user: str) -> None:
        self.command = command
        self.out = out
        self.prefix = prefix
        self.user = user
        self.failures = 0
        self.steps = 0
        self.count = 0
        self.last = ""
        # the Windows user's profile as Windows names it, and where it is on this machine
        self.profile_win = f"C:\\Users\\{user}"
        self.profile = prefix / "drive_c" / "users" / user
        stamp = dt.datetime.now().strftime("%H%M%S")
        self.work_win = f"{self.profile_win}\\PPDA Windows Check\\run {stamp}"
        self.work = self.profile / "PPDA Windows Check" / f"run {stamp}"
        self.work.mkdir(parents=True)
        self.base_env = {
            **{k: v for k, v in os.environ.items()
               if k.startswith(("WINE", "DISPLAY", "XAUTH", "HOME", "USER", "PATH"))},
            "LANG": "en_GB.UTF-8", "LC_ALL": "en_GB.UTF-8",  # Wine gives Windows the en-GB locale from these
            "TZ": "Europe/London",
            "PPDA_DATA_DIR": self.win("data"),
            "PPDA_SETTINGS_FILE": self.win("no central settings.ini"),
        }

    def win(self, name: str) -> str:
        """The Windows path of a file in this run's work folder."""
        return f"{self.work_win}\\{name}"

    def local(self, name: str) -> Path:
        return self.work / name

    def run(self, args: list[str], env: dict[str, str] | None = None, timeout: int = 600) -> tuple[int, str]:
        self.count += 1
        full_env = {**self.base_env, **(env or {})}
        full_env = {k: v for k, v in full_env.items() if v is not None}
        started = time.monotonic()
        try:
            done = subprocess.run([*self.command, *args], env=full_env, stdin=subprocess.DEVNULL,
                                  capture_output=True, timeout=timeout)
            status, text = done.returncode, (done.stdout + done.stderr).decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            status, text = -1, f"timed out after {timeout} s"
        text = "\n".join(line for line in text.splitlines() if not line.startswith(("wine: ", "00")))
        (self.out / f"{self.count:03d}.txt").write_text(
            f"$ {' '.join(args)}\n[status {status}, {time.monotonic() - started:.1f} s]\n{text}\n", encoding="utf-8")
        self.last = text
        return status, text

    def ok(self, name: str) -> None:
        self.steps += 1
        print(f"  ok    {name}", flush=True)

    def fail(self, name: str, why: str) -> None:
        self.steps += 1
        self.failures += 1
        print(f"  FAIL  {name}: {why} (see {self.out}/{self.count:03d}.txt)", flush=True)

    def check(self, name: str, want: int | set[int], pattern: str, *args: str,
              env: dict[str, str] | None = None) -> str:
        status, text = self.run(list(args), env)
        wanted = want if isinstance(want, set) else {want}
        if status not in wanted:
            self.fail(name, f"exit status {status}, expected {want}: {' '.join(text.splitlines()[-2:])[:300]}")
        elif "Traceback" in text:
            self.fail(name, "a traceback was printed")
        elif pattern and not re.search(pattern, text):
            self.fail(name, f"output lacks /{pattern}/")
        else:
            self.ok(name)
        return text

    def expect(self, name: str, condition: bool, why: str) -> None:
        if condition:
            self.ok(name)
        else:
            self.fail(name, why)


WORKFORCE = [
    ["staff_number", "surname", "forenames", "date_of_birth", "sex", "workforce_type", "rank_or_grade", "unit",
     "line_manager_staff_number"],
    ["S0001", "Okafor", "Grace", "1978-03-14", "F", "POLICE_OFFICER", "Ch Supt", "Professional Standards", ""],
    ["S0002", "Hughes", "Daniel", "1982-07-02", "M", "POLICE_OFFICER", "DI", "Professional Standards", "S0001"],
    ["S0003", "Patel", "Anita", "1990-11-23", "F", "POLICE_STAFF", "Band C", "Professional Standards", "S0002"],
    ["S0004", "Walsh", "Connor", "1987-01-30", "M", "POLICE_OFFICER", "PC", "Response Team 1", "S0002"],
    ["S0005", "Nowak", "Ewa", "1993-05-17", "F", "POLICE_OFFICER", "PC", "Neighbourhood East", "S0002"],
    ["S0006", "Ó Súilleabháin", "Siân Zoë", "1975-09-09", "F", "POLICE_OFFICER", "Sgt", "Custody", "S0002"],
]


def excel_csv(rows: list[list[str]], encoding: str) -> bytes:
    """A CSV file as Excel on Windows saves it: CRLF line ends; "CSV UTF-8" starts with a BOM,
    plain "CSV (Comma delimited)" is in the Windows code page (1252 for English)."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def survey_year() -> int:
    today = dt.date.today()
    return today.year + (1 if today.month >= 4 else 0) - 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--label", default="")
    parser.add_argument("--source", action="store_true", help="the command runs Python: check the platform too")
    parser.add_argument("command", nargs="+")
    opts = parser.parse_args()
    prefix = Path(os.environ["WINEPREFIX"])
    users = [p.name for p in (prefix / "drive_c" / "users").iterdir() if p.name.lower() not in {"public", "default"}]
    opts.out.mkdir(parents=True, exist_ok=True)
    c = Checker(opts.command, opts.out, prefix, users[0])
    year = survey_year()
    print(f"Commands ({opts.label or ' '.join(opts.command)}); work folder {c.work_win}", flush=True)

    print("Windows itself")
    if opts.source:
        c.command = [*c.command[:-2]] if c.command[-2:] == ["-m", "app"] else c.command
        c.check("Windows CPython (win32, MSC)", 0, r"win32 .*MSC", "-c",
                "import sys; print(sys.platform, sys.version)")
        c.check("the UK locale (English_United Kingdom, code page 1252)", 0, r"United Kingdom.*1252", "-c",
                "import locale; print(locale.getlocale(), locale.getpreferredencoding())")
        c.check("keyring is the Windows Credential Manager", 0, r"WinVaultKeyring", "-c",
                "import keyring; print(type(keyring.get_keyring()).__name__)")
        c.check("Europe/London from tzdata (no zoneinfo on Windows)", 0, r"BST", "-c",
                "import zoneinfo, datetime as d; "
                "print(d.datetime(2026, 7, 1, tzinfo=zoneinfo.ZoneInfo('Europe/London')).tzname())")
        c.check("numpy and highspy (disclosure control) load", 0, r"ok", "-c",
                "import numpy, highspy; highspy.Highs(); print('ok')")
        c.command = [*c.command, "-m", "app"]
    c.check("--version", 0, r"^ppda-tracker \d", "--version")
    c.check("--help lists the subcommands", 0, r"aggregate.*audit.*retention", "--help")
    c.check("wrong usage exits 2", 2, r"invalid choice", "no-such-command")

    print("Per-user data folder (the default database)")
    default_env = {"PPDA_DATA_DIR": None, "PPDA_NEW_PASSWORD": PASSWORD}
    c.check("init with no --db: the default SQLite file", {0, 1}, r"created|already set up",
            "init", "--force", "west-yorkshire", "--admin", "admin1", env=default_env)
    appdata = c.profile / "AppData" / "Local" / "PPDA Tracker" / "ppda-tracker"
    c.expect("the default database is in %LOCALAPPDATA%\\PPDA Tracker\\ppda-tracker",
             (appdata / "ppda-tracker.db").exists(), f"{appdata / 'ppda-tracker.db'} is missing")
    c.expect("the log is in the same per-user folder", (appdata / "logs" / "ppda-tracker.log").exists(),
             "no logs\\ppda-tracker.log there")
    writable = all(os.access(p, os.W_OK) for p in [appdata / "ppda-tracker.db", appdata / "logs" / "ppda-tracker.log"])
    c.expect("owner-only files are not made read-only (Windows has no mode bits)", writable, "a file is read-only")

    print("SQLite at a Windows path with spaces (backslashes in the URL)")
    db = f"sqlite:///{c.win('PSD data')}\\psd 1.db"
    db_fwd = "sqlite:///" + c.win("PSD data").replace("\\", "/") + "/psd 1.db"
    admin = {"PPDA_PASSWORD": PASSWORD}
    new = {"PPDA_PASSWORD": PASSWORD, "PPDA_NEW_PASSWORD": PASSWORD}
    text = c.check("init", 0, r"administrator 'admin1' created", "--db", db, "init", "--force", "west-yorkshire",
                   "--admin", "admin1", env={"PPDA_NEW_PASSWORD": PASSWORD})
    c.expect("init names the file as typed (no %3A, no %5C)", "%3A" not in text and "%5C" not in text
             and "psd 1.db" in text, f"it said: {text.strip()[:200]}")
    c.expect("the file is where Windows was told", (c.local("PSD data") / "psd 1.db").exists(), "no psd 1.db")
    for name, role in [("head1", "HEAD_OF_PSD"), ("audit1", "AUDITOR"), ("lead1", "FORCE_LEAD"),
                       ("sup1", "SUPERVISOR"), ("inv1", "INVESTIGATOR")]:
        c.check(f"user add ({role})", 0, r"added", "--db", db, "--user", "admin1", "user", "add", name,
                "--role", role, env=new)
    c.check("user list (the same file by a forward-slash URL)", 0, r"head1", "--db", db_fwd, "--user", "admin1",
            "user", "list", env=admin)
    c.check("a wrong password is refused (status 1)", 1, "", "--db", db, "--user", "admin1", "user", "list",
            env={"PPDA_PASSWORD": "wrong-password-1"})
    c.check("user unlock", 0, r"unlocked", "--db", db, "--user", "admin1", "user", "unlock", "admin1", env=admin)

    c.local("workforce utf8.csv").write_bytes(b"\xef\xbb\xbf" + excel_csv(WORKFORCE, "utf-8"))
    c.local("workforce 1252.csv").write_bytes(excel_csv(WORKFORCE, "cp1252"))
    c.check("import a CSV saved by Excel as 'CSV UTF-8' (BOM, CRLF, Siân Zoë Ó Súilleabháin)", 0, "",
            "--db", db, "--user", "admin1", "import", "workforce", c.win("workforce utf8.csv"), env=admin)
    c.check("a Windows-1252 CSV (Excel's plain 'CSV') is refused with what to do", 1,
            r"not UTF-8 text.*CSV UTF-8", "--db", db, "--user", "admin1", "import", "workforce",
            c.win("workforce 1252.csv"), env=admin)
    cases = [
        ["case_ref", "recorded_date", "reporting_route", "case_type", "subject_staff_number", "victim_ref",
         "victim_relationship", "abuse_types", "dash_risk", "threshold_met_date", "restrictions", "restriction_date",
         "misconduct_outcomes", "outcome_date"],
        ["PSD-WIN-0001", f"{year - 1}-06-10", "VICTIM_DIRECT", "CONDUCT_MATTER", "S0004", "V1", "FORMER_PARTNER",
         "PHYSICAL;COERCIVE_CONTROL", "HIGH", f"{year - 1}-06-11", "RESTRICTED_DUTIES", f"{year - 1}-06-12",
         "NO_CASE_TO_ANSWER", f"{year - 1}-12-01"],
        ["PSD-WIN-0002", f"{year - 1}-09-03", "VICTIM_DIRECT", "CONDUCT_MATTER", "S0006", "V2", "CURRENT_PARTNER",
         "EMOTIONAL_PSYCHOLOGICAL", "MEDIUM", f"{year - 1}-09-04", "", "", "", ""],
    ]
    c.local("cases.csv").write_bytes(excel_csv(cases, "utf-8"))
    c.check("import cases (CRLF)", 0, "", "--db", db, "--user", "head1", "import", "cases", c.win("cases.csv"),
            env=admin)
    c.check("headcount set", 0, r"Headcount", "--db", db, "--user", "admin1", "headcount", "set", "--year",
            str(year), "--total", "1200", env=admin)
    c.check("policy set", 0, r"external-investigation-guidance", "--db", db, "--user", "admin1", "policy", "set",
            "external-investigation-guidance", "ALL", "--from", f"{year - 1}-04-01", "--reason",
            "Windows check: the force adopted it then", env=admin)
    c.check("policy list", 0, r"role-restriction-guidance", "--db", db, "--user", "admin1", "policy", "list",
            env=admin)
    c.check("policy history", 0, r"ALL", "--db", db, "--user", "admin1", "policy", "history",
            "external-investigation-guidance", env=admin)
    c.check("keys create: the private key in the Windows Credential Manager", 0, r"", "--db", db, "--user",
            "admin1", "keys", "create", env=admin)
    c.check("keys set-public", 0, r"held", "--db", db, "--user", "admin1", "keys", "set-public", "--force",
            "west-midlands", base64.b64encode(b"0" * 32).decode(), env=admin)
    c.check("notices export (signed with the key from the Credential Manager)", 0, r"", "--db", db, "--user",
            "head1", "notices", "export", "--to", "west-midlands", "--staff-number", "S0004", "--out",
            c.win("notice to WMP.json"), env=admin)
    c.check("queue --all", 0, r"item", "--db", db, "--user", "head1", "queue", "--all", env=admin)
    c.check("queue --all --csv", 0, r"", "--db", db, "--user", "head1", "queue", "--all", "--csv", env=admin)
    c.check("match (data wash) to a file with a space", 0, r"", "--db", db, "--user", "head1", "match", "--out",
            c.win("match out.csv"), env=admin)
    ref = "PSD-WIN-0002"
    c.check("case actions", 0, r"what head1 may do next", "--db", db, "--user", "head1", "case", "actions", ref,
            env=admin)
    c.check("case args", 0, r"severity", "--db", db, "--user", "head1", "case", "args", env=admin)
    c.check("case timeline", 0, ref, "--db", db, "--user", "head1", "case", "timeline", ref, env=admin)
    # an investigator not on the case team is refused plainly (the scenario assigns nobody: the
    # command path, not the casework rules, is what is checked here; tests/integration cover those)
    c.check("case do --propose by an investigator off the team: refused plainly", 1, r"not on the case team",
            "--db", db, "--user", "inv1", "case", "do", ref, "pcc_report", "--propose", env=admin)
    c.check("case proposals", 0, r"proposal", "--db", db, "--user", "inv1", "case", "proposals", env=admin)
    for verb in ("withdraw", "approve"):
        c.check(f"case {verb} of a proposal that does not exist: refused plainly", 1, r"", "--db", db, "--user",
                "sup1", "case", verb, "999999", env=admin)
    c.check("case reject of a proposal that does not exist: refused plainly", 1, r"", "--db", db, "--user", "sup1",
            "case", "reject", "--reason", "not yet", "999999", env=admin)
    c.check("case do with a co-signer", {0, 1}, r"", "--db", db, "--user", "head1", "case", "do", ref,
            "pcc_report", env=admin)
    c.check("export referrals", 0, r"written", "--db", db, "--user", "head1", "export", "referrals", "--from",
            f"{year - 1}-04-01", "--to", f"{year}-03-31", "--out", c.win("referrals register.xlsx"), env=admin)
    c.check("export case-file (PDF)", 0, r"written", "--db", db, "--user", "head1", "export", "case-file",
            "--case", ref, "--to", "IOPC", "--out", c.win("case file.pdf"), env=admin)
    c.check("audit verify", 0, r"", "--db", db, "--user", "audit1", "audit", "verify", env=admin)
    c.check("audit checkpoint (key from the Credential Manager)", 0, r"", "--db", db, "--user", "audit1", "audit",
            "checkpoint", "--out", c.win("checkpoint 1.json"), env=admin)
    c.check("audit export", 0, r"", "--db", db, "--user", "audit1", "audit", "export", "--out",
            c.win("access log.csv"), env=admin)
    c.check("retention due", 0, r"", "--db", db, "--user", "head1", "retention", "due", env=admin)
    c.check("retention dispose of a case not due is refused plainly", 1, r"", "--db", db, "--user", "head1",
            "retention", "dispose", "--reason", "test", "--approver", "admin1", "PSD-WIN-0001",
            env={**admin, "PPDA_APPROVER_PASSWORD": PASSWORD})
    c.check("db check", 0, r"matches", "--db", db, "db", "check")
    c.check("db upgrade without an administrator is refused", 1, r"administrator", "--db", db, "db", "upgrade")
    c.check("db upgrade (nothing to do)", 0, r"nothing to do", "--db", db, "--user", "admin1", "db", "upgrade",
            env=admin)
    text = c.check("db backups", 0, r"", "--db", db, "--user", "admin1", "db", "backups", env=admin)
    c.check("db grants is for PostgreSQL only", 1, r"PostgreSQL", "--db", db, "--user", "admin1", "db", "grants",
            "--role", "ppda_app", env=admin)
    backups = sorted((c.local("PSD data") / "backups").glob("*")) if (c.local("PSD data") / "backups").exists() else []
    if backups:
        c.check("db restore (a backup under a path with spaces)", 0, r"", "--db", db, "--user", "admin1", "db",
                "restore", f"{c.win('PSD data')}\\backups\\{backups[-1].name}", env=admin)
    else:
        c.check("db restore of a missing file is refused", 1, r"", "--db", db, "--user", "admin1", "db", "restore",
                c.win("no such backup.db"), env=admin)
    c.check("admin recover", {0, 1}, r"", "--db", db, "admin", "recover", "admin1", env={"PPDA_NEW_PASSWORD": PASSWORD})
    c.check("a UNC path (\\\\server\\share) is refused", 1, r"network share", "--db",
            "sqlite:///\\\\server\\share\\PSD\\psd.db", "db", "check")

    print("Central settings file")
    (c.local("central.ini")).write_text(f"[ppda-tracker]\r\ndb_url = {db}\r\ndata_dir = %USERPROFILE%\\PPDA Windows "
                                        f"Check\\central data\r\n", encoding="utf-8")
    c.check("db check on the central file's db_url", 0, r"matches", "db", "check",
            env={"PPDA_SETTINGS_FILE": c.win("central.ini"), "PPDA_DATA_DIR": None})
    c.expect("the central data_dir (with %USERPROFILE%) holds the log",
             (c.profile / "PPDA Windows Check" / "central data" / "logs" / "ppda-tracker.log").exists(),
             "no log under %USERPROFILE%\\PPDA Windows Check\\central data")
    c.local("secret.ini").write_text("[ppda-tracker]\ndb_url = postgresql+psycopg://ppda:secret@db.example/psd\n",
                                     encoding="utf-8")
    c.check("a password in the central file is refused", 1, r"contains a password", "db", "check",
            env={"PPDA_SETTINGS_FILE": c.win("secret.ini")})

    print("SQLCipher at a Windows path, key in the Credential Manager")
    enc = f"sqlite:///{c.win('secret psd.db')}"
    c.check("init --encrypt (random key kept in the Credential Manager)", 0, r"created", "--db", enc, "init",
            "--force", "west-yorkshire", "--admin", "admin1", "--encrypt", env={"PPDA_NEW_PASSWORD": PASSWORD})
    head = c.local("secret psd.db").read_bytes()[:16] if c.local("secret psd.db").exists() else b"SQLite format 3"
    c.expect("the file is encrypted", not head.startswith(b"SQLite format 3"), "plain SQLite header")
    c.check("db check: the key read back from the Credential Manager", 0, r"matches", "--db", enc, "db", "check")
    c.check("user list on the encrypted file", 0, r"admin1", "--db", enc, "--user", "admin1", "user", "list",
            env=admin)
    c.check("a wrong key is refused (status 1)", 1, r"key is wrong", "--db", enc, "db", "check",
            env={"PPDA_DB_KEY": "not-the-key"})

    print("Demonstration database and the reports")
    demo = f"sqlite:///{c.win('demo db')}\\demo 2.db"
    text = c.check("demo --cases 60", 0, r"password", "--db", demo, "demo", "--cases", "60")
    (c.out / "demo.txt").write_text(text, encoding="utf-8")
    c.expect("demo prints the URL as typed (C:\\…, not C%3A)", f"--db {demo} " in text,
             f"no '--db {demo}' in its output")
    match = re.search(r"password: ([^)]*)\)", text)
    demo_password = match.group(1) if match else ""
    roles = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isupper() and parts[1] not in roles:
            roles[parts[1]] = parts[0]
    demo_env = {"PPDA_PASSWORD": demo_password}
    c.expect("demo printed its users and password", bool(demo_password) and "IOPC_LIAISON" in roles,
             "could not read them")
    ret = c.win(f"survey return {year}.xlsx")
    c.check("export survey-return", 0, r"written", "--db", demo, "--user", roles.get("IOPC_LIAISON", "?"), "export",
            "survey-return", "--year", str(year), "--out", ret, env=demo_env)
    c.expect("the survey return is an xlsx", c.local(f"survey return {year}.xlsx").read_bytes()[:2] == b"PK"
             if c.local(f"survey return {year}.xlsx").exists() else False, "missing or not a zip")
    c.check("export outcomes", 0, r"written", "--db", demo, "--user", roles.get("HEAD_OF_PSD", "?"), "export",
            "outcomes", "--from", f"{year - 1}-04-01", "--to", f"{year}-03-31", "--out", c.win("outcomes.xlsx"),
            env=demo_env)
    c.check("report annual (PDF)", 0, r"written", "--db", demo, "--user", roles.get("FORCE_LEAD", "?"), "report",
            "annual", "--year", str(year), "--out", c.win("annual report.pdf"), env=demo_env)
    pdf = c.local("annual report.pdf")
    c.expect("the annual report is a PDF", pdf.exists() and pdf.read_bytes()[:4] == b"%PDF", "missing or not a PDF")
    c.check("aggregate (with its PDF)", 0, r"counted", "--db", demo, "--user", roles.get("FORCE_LEAD", "?"),
            "aggregate", ret, "--out", c.win("national.xlsx"), "--pdf", c.win("national.pdf"), env=demo_env)
    c.check("import notices (a file from another force, unsigned, refused or accepted plainly)", {0, 1}, r"",
            "--db", db, "--user", "head1", "import", "notices", c.win("notice to WMP.json"), env=admin)
    c.check("audit verify (demo)", 0, r"", "--db", demo, "--user", roles.get("AUDITOR", "?"), "audit", "verify",
            env=demo_env)

    print()
    verdict = "passed" if not c.failures else f"FAILED: {c.failures} of"
    print(f"Windows command checks {verdict} {c.steps} checks. Output in {c.out}")
    return 0 if not c.failures else 1


if __name__ == "__main__":
    sys.exit(main())
