"""`ppda-tracker demo --cases N`: a demonstration database for a force, made of synthetic data.

Everything is loaded through the ordinary import services from temporary CSV files, so the demo
passes the same validation as real data and its decisions are recorded as imported decisions.
A database that already holds users or records is refused: a demo never overwrites real data.
"""

from __future__ import annotations

import csv
import itertools
import logging
import random
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import inspect, select, text

from app.domain.enums import FINAL_MISCONDUCT_OUTCOMES, MatchDecision, MisconductOutcome, Role, WorkforceType
from app.domain.errors import InvalidInput, RuleRefused
from app.domain.records import Force, User
from app.persistence import migrate
from app.persistence.database import Database
from app.persistence.models import NoticeMatchRow, NoticeRow, PersonRow
from app.persistence.uow import UnitOfWork
from app.services import clock, installation, users
from app.services.demo import cases as case_gen
from app.services.demo import notices as notice_gen
from app.services.demo import outcomes, people
from app.services.demo.people import CHIEF_OFFICERS, PSD_UNIT, Member, Post
from app.services.imports.cases import import_cases
from app.services.imports.notices import import_notices
from app.services.imports.workforce import import_workforce

log = logging.getLogger(__name__)

DEMO_PASSWORD = "Demo-Password-2024"
ADMIN = "admin"
STAFF = WorkforceType.POLICE_STAFF
IN_USE_TABLES = {"user_account": "user account(s)", "person": "people in the workforce register",
                 "ppda_case": "case(s)", "prior_notice": "prior notice(s)"}


@dataclass(frozen=True)
class Account:
    username: str
    role: Role
    post: Post
    team: str | None = None


ACCOUNTS = (
    Account("head.psd", Role.HEAD_OF_PSD, Post("Ch Supt", PSD_UNIT)),
    Account("supervisor1", Role.SUPERVISOR, Post("DI", PSD_UNIT), "PSD Team 1"),
    Account("supervisor2", Role.SUPERVISOR, Post("DS", PSD_UNIT), "PSD Team 2"),
    Account("supervisor3", Role.SUPERVISOR, Post("DS", PSD_UNIT), "PSD Team 3"),
    Account("investigator1", Role.INVESTIGATOR, Post("DC", PSD_UNIT), "PSD Team 1"),
    Account("investigator2", Role.INVESTIGATOR, Post("Band C", PSD_UNIT, STAFF), "PSD Team 1"),
    Account("investigator3", Role.INVESTIGATOR, Post("DC", PSD_UNIT), "PSD Team 2"),
    Account("investigator4", Role.INVESTIGATOR, Post("DC", PSD_UNIT), "PSD Team 2"),
    Account("investigator5", Role.INVESTIGATOR, Post("DC", PSD_UNIT), "PSD Team 3"),
    Account("investigator6", Role.INVESTIGATOR, Post("Band C", PSD_UNIT, STAFF), "PSD Team 3"),
    Account("iopc.liaison", Role.IOPC_LIAISON, Post("Band E", PSD_UNIT, STAFF)),
    Account("force.lead", Role.FORCE_LEAD, Post("ACC", CHIEF_OFFICERS)),
    Account("auditor", Role.AUDITOR, Post("Band E", "Information Management", STAFF)),
)


@dataclass
class _Data:
    members: list[Member]
    named: list[Member]
    cases: list[case_gen.Case]
    due: outcomes.PlantedDue
    notices: list[notice_gen.Notice]


def build_demo(db: Database, force_code: str, cases: int, seed: int) -> str:
    """Make `db` a demonstration database for `force_code` with `cases` synthetic cases; returns a report."""
    started = time.perf_counter()
    if cases < 1:
        raise InvalidInput("A demonstration needs at least one case (--cases N, N ≥ 1).")
    _refuse_if_in_use(db)
    migrate.upgrade(db)

    def uow() -> UnitOfWork:
        return UnitOfWork(db.session_factory)

    admin = installation.initialise(uow(), force_code, ADMIN, DEMO_PASSWORD)
    home = installation.home_force(uow())
    data = _generate(home, [f.code for f in installation.list_forces(uow()) if f.is_territorial], cases, seed)
    with tempfile.TemporaryDirectory(prefix="ppda-demo-") as tmp:
        folder = Path(tmp)
        log.info("Importing %d people", len(data.members))
        import_workforce(uow(), admin, _write(folder / "demo-workforce.csv", people.CSV_HEADER,
                                             (m.csv_row() for m in data.members)))
        accounts = _add_users(uow, admin, data.named)
        years = _set_headcounts(uow(), admin, data.members)
        head = accounts[Role.HEAD_OF_PSD.name][0]
        rows = ((c, a) for c in data.cases for a in c.allegations)
        log.info("Importing %d cases", len(data.cases))
        approver = accounts[Role.SUPERVISOR.name][0]  # the historical NO_RESTRICTION decisions' approver
        import_cases(uow(), head, _write(folder / "demo-cases.csv", outcomes.CSV_HEADER,
                                         (outcomes.csv_row(c, a) for c, a in rows)), approver)
        log.info("Importing %d notices", len(data.notices))
        import_notices(uow(), head, _write(folder / "demo-notices.csv", notice_gen.CSV_HEADER,
                                           (n.csv_row() for n in data.notices)))
    from app.services.demo.history import close_finished_cases

    closed = close_finished_cases(uow, head)
    log.info("Closed %d finished demo cases through the casework services", closed)
    assigned = _assign_open_cases(uow, head, accounts[Role.INVESTIGATOR.name])
    log.info("Assigned investigators to %d open cases", assigned)
    matches = _matches(uow(), data.notices)
    return _report(db, home, data, accounts, years, matches, seed, time.perf_counter() - started)


ASSIGN_AT_MOST = 250  # the most recent open cases get an investigator (each through the service)


def _assign_open_cases(uow: Callable[[], UnitOfWork], head: User, investigators: list[User]) -> int:
    """Give the most recent open cases an investigator through the casework service, so each
    investigator has a case load and a work queue; one who is not independent is skipped."""
    from sqlalchemy import select

    from app.domain.enums import AssignmentRole
    from app.domain.errors import ExpectedError
    from app.persistence.models import CaseRow
    from app.services.casework import assign_member

    with uow() as u:
        open_ids = list(u.session.scalars(select(CaseRow.id).where(CaseRow.status == "OPEN")
                                          .order_by(CaseRow.received_date.desc()).limit(ASSIGN_AT_MOST)))
    assigned = 0
    for n, case_id in enumerate(open_ids):
        for k in range(len(investigators)):
            who = investigators[(n + k) % len(investigators)]
            try:
                assign_member(uow(), head, case_id, who.username, AssignmentRole.INVESTIGATOR, True)
            except ExpectedError:  # not independent of this case, or the allocator may not see it
                continue
            assigned += 1
            break
    return assigned


def _refuse_if_in_use(db: Database) -> None:
    with db.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        held = {t: int(conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() or 0)
                for t in IN_USE_TABLES if t in tables}
        set_up = "setting" in tables and bool(conn.execute(
            text("SELECT count(*) FROM setting WHERE key = :k"), {"k": installation.HOME_FORCE}).scalar())
    if any(held.values()) or set_up:
        what = ", ".join(f"{n:,} {IN_USE_TABLES[t]}" for t, n in held.items() if n) or "a home force is set"
        raise RuleRefused(
            f"This database is already in use ({what}); a demonstration never overwrites real data, so "
            "nothing was changed. Give the demo a new database, e.g. "
            "`ppda-tracker --db sqlite:///ppda-demo.db demo`."
        )


def _generate(home: Force, territorial: list[str], cases: int, seed: int) -> _Data:
    today = clock.today()
    rng = random.Random(seed)
    others = [code for code in territorial if code != home.code]
    size = people.workforce_size(cases)
    log.info("Generating %d people, %d cases", size, cases)
    names = people.NamePool(seed, min(20_000, max(2_000, size)))
    members, named = people.WorkforceBuilder(rng, names, today).build(size, [a.post for a in ACCOUNTS])
    _team_managers(named)
    case_list = case_gen.CaseBuilder(rng, members, today, others).build(cases)
    outcomes.settle(rng, case_list, today)
    due = outcomes.plant_due_items(rng, case_list, today)
    outcomes.mark_suspended(case_list, today)
    notices = notice_gen.NoticeBuilder(rng, names, today, home.code, others).build(
        notice_gen.notice_count(cases), members)
    return _Data(members, named, case_list, due, notices)


def _team_managers(named: list[Member]) -> None:
    """The PSD reports as a team: investigators to their team's supervisor, supervisors to the
    team 1 DI, the DI and the IOPC liaison to the head of PSD."""
    post = dict(zip((a.username for a in ACCOUNTS), named, strict=True))
    leads = {a.team: post[a.username] for a in ACCOUNTS if a.role == Role.SUPERVISOR}
    for a in ACCOUNTS:
        if a.role == Role.INVESTIGATOR:
            post[a.username].manager = leads[a.team]
    post["supervisor2"].manager = post["supervisor3"].manager = post["supervisor1"]
    post["supervisor1"].manager = post["iopc.liaison"].manager = post["head.psd"]


def _write(path: Path, header: Sequence[str], rows: Iterable[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _add_users(uow: Callable[[], UnitOfWork], admin: User, named: list[Member]) -> dict[str, list[User]]:
    by_role: dict[str, list[User]] = defaultdict(list)
    by_role[Role.ADMINISTRATOR.name].append(admin)
    for account, member in zip(ACCOUNTS, named, strict=True):
        name = f"{member.forenames} {member.surname}"
        display = f"{member.rank} {name}" if member.workforce_type.statutory_conduct else name
        user = users.add_user(uow(), admin, account.username, {account.role}, DEMO_PASSWORD,
                              display_name=display, staff_number=member.staff_number, team=account.team)
        by_role[account.role.name].append(user)
    return by_role


@dataclass(frozen=True)
class _Matches:
    proposed: int
    review: int
    planted_found: int


def _matches(uow: UnitOfWork, notices: list[notice_gen.Notice]) -> _Matches:
    """What the matcher (run by the notice import) proposed, and how many planted notices it found."""
    planted = {n.notice_id: n.about for n in notices if n.about}
    stmt = (select(NoticeRow.notice_ref, PersonRow.staff_number, NoticeMatchRow.decision)
            .join(NoticeRow, NoticeRow.id == NoticeMatchRow.notice_id)
            .join(PersonRow, PersonRow.id == NoticeMatchRow.person_id))
    with uow:
        found = uow.session.execute(stmt).all()
    return _Matches(sum(1 for *_, d in found if d == MatchDecision.MATCH.name),
                    sum(1 for *_, d in found if d == MatchDecision.REVIEW.name),
                    len({ref for ref, sn, _ in found if planted.get(ref) == sn}))


def survey_year(day: date) -> int:
    """The survey year a date falls in: the 12 months ending 31 March."""
    return day.year + 1 if day.month >= 4 else day.year


def _set_headcounts(uow: UnitOfWork, admin: User, members: list[Member]) -> range:
    """The workforce on 31 March of each survey year the demo spans (today, for the current year)."""
    today = clock.today()
    first = today - timedelta(days=int(case_gen.YEARS_BACK * 365.25))
    years = range(survey_year(first), survey_year(today) + 1)
    for year in years:
        on = min(date(year, 3, 31), today)
        total = sum(1 for m in members if m.start_date <= on and (m.end_date is None or m.end_date >= on))
        installation.set_headcount(uow, admin, year, max(1, total))
    return years


# ---- the report -----------------------------------------------------------------------------

def _report(db: Database, home: Force, data: _Data, accounts: dict[str, list[User]], years: range,
            matches: _Matches, seed: int, seconds: float) -> str:
    allegations = [a for c in data.cases for a in c.allegations]
    finished = sum(1 for a in allegations if set(a.misconduct) & FINAL_MISCONDUCT_OUTCOMES)
    subjects = {a.subject.staff_number for a in allegations}
    dismissed = {a.subject.staff_number for a in allegations if set(a.misconduct) & _DISMISSED}
    high = sum(1 for c in data.cases for v in {id(a.victim): a.victim for a in c.allegations}.values()
               if v.dash and v.dash.name == "HIGH")
    victims = sum(len({a.victim.ref for a in c.allegations}) for c in data.cases)
    left = sum(1 for m in data.members if m.status.has_left)
    suspended = sum(1 for m in data.members if m.status.name == "SUSPENDED")
    planted = sum(1 for n in data.notices if n.about)
    url = _shown_url(db)
    d = data.due
    lines = [
        f"Demonstration database for {home.name} ({home.code}) is ready: {url}",
        f"All people, cases and notices are synthetic (seed {seed}).",
        "",
        f"  Workforce register   {len(data.members):,} people ({len(data.members) - left - suspended:,} serving, "
        f"{suspended:,} suspended, {left:,} left)",
        f"  Cases                {len(data.cases):,}, received {data.cases[0].recorded} to {data.cases[-1].recorded}",
        f"  Allegations          {len(allegations):,} ({finished:,} with a final outcome, "
        f"{len(allegations) - finished:,} ongoing) about {len(subjects):,} people",
        f"  Repeat subjects      {_repeat(allegations):,}; serial (two or more victims within 3 years): "
        f"{_serial(allegations):,}",
        f"  Victims              {victims:,}; DASH high risk {100 * high / max(1, victims):.0f}%",
        f"  Dismissed            {len(dismissed):,} people ({100 * len(dismissed) / max(1, len(subjects)):.1f}% "
        "of subjects; includes 'would have been dismissed')",
        f"  Prior notices        {len(data.notices):,} ({planted:,} planted about members of the workforce)",
        f"  Notice matching      {matches.proposed:,} match(es) and {matches.review:,} for review proposed; "
        f"{matches.planted_found:,} of the {planted:,} planted found",
        f"  Owing due items      {d.restriction_decisions} restriction decision(s), {d.suspensions_on_charge} "
        f"suspension(s) on charge, {d.iopc_referrals} IOPC referral(s)",
        f"  Headcounts           survey years {years.start}–{years.stop - 1}",
        f"  Built in             {seconds:.1f} s",
        "",
        f"Users (every account's password: {DEMO_PASSWORD})",
    ]
    for role in Role:
        for user in accounts.get(role.name, []):
            lines.append(f"  {user.username:15} {role.name:14} {user.display_name}")
    lines += [
        "",
        "To start the application as a user:",
        f"  ppda-tracker --db {url} --user supervisor1",
        "On the command line, e.g.:",
        f"  PPDA_PASSWORD='{DEMO_PASSWORD}' ppda-tracker --db {url} --user auditor audit verify",
        "Synthetic data only: never enter real cases into a demonstration database.",
    ]
    return "\n".join(lines)


_DISMISSED = frozenset({MisconductOutcome.DISMISSAL_WITHOUT_NOTICE, MisconductOutcome.WOULD_HAVE_BEEN_DISMISSED})


def _shown_url(db: Database) -> str:
    """The URL as a user would type it (the default SQLite driver left out, no password)."""
    url = db.url.set(drivername="sqlite") if db.url.drivername == "sqlite+pysqlite" else db.url
    return url.render_as_string(hide_password=True)


def _repeat(allegations: list[case_gen.Allegation]) -> int:
    counts: dict[str, int] = defaultdict(int)
    for a in allegations:
        counts[a.subject.staff_number] += 1
    return sum(1 for n in counts.values() if n > 1)


def _serial(allegations: list[case_gen.Allegation]) -> int:
    """Subjects with allegations about two or more different victims within three years."""
    seen: dict[str, list[tuple[date, str]]] = defaultdict(list)
    for a in allegations:
        seen[a.subject.staff_number].append((a.recorded, a.victim.ref))
    window = timedelta(days=3 * 365)
    count = 0
    for events in seen.values():
        events.sort()
        if any(b[0] - a[0] <= window and a[1] != b[1] for a, b in itertools.pairwise(events)):
            count += 1
    return count
