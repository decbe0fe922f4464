"""A synthetic workforce register: ranks, grades, units, a line-management hierarchy, previous
names, leavers and role flags, drawn deterministically from one seeded random generator.

Names come from Faker (en_GB, with en_IN names for part of the Asian workforce), drawn once into
pools so that a register of a hundred thousand people takes seconds.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from faker import Faker

from app.domain.enums import EmploymentStatus, Ethnicity, RoleFlag, Sex, WorkforceType

W = WorkforceType
T = TypeVar("T")
PSD_UNIT = "Professional Standards Department"
CHIEF_OFFICERS = "Chief Officer Team"

# Rank or grade → level in the line-management hierarchy (a manager is always a level above).
LEVEL = {
    "PC": 0, "DC": 0, "SC": 0, "PCSO": 0, "Volunteer": 0, "Band A": 0, "Band B": 0, "Band C": 0,
    "PS": 1, "DS": 1, "Band D": 1, "Insp": 2, "DI": 2, "Band E": 2, "CI": 3, "Band F": 3,
    "Supt": 4, "Ch Supt": 5, "ACC": 6, "DCC": 7, "Chief Constable": 8,
}
# Years of service a rank needs, at least.
MIN_SERVICE = {"PS": 4, "DS": 5, "Insp": 7, "DI": 8, "CI": 12, "Supt": 15, "Ch Supt": 18,
               "ACC": 20, "DCC": 22, "Chief Constable": 24}

OFFICER_RANKS = (("PC", 62), ("DC", 9), ("PS", 12), ("DS", 3.5), ("Insp", 5.5), ("DI", 1.6),
                 ("CI", 1.5), ("Supt", 0.6), ("Ch Supt", 0.3))
STAFF_GRADES = (("Band A", 8), ("Band B", 27), ("Band C", 30), ("Band D", 20), ("Band E", 11), ("Band F", 4))

NEIGHBOURHOODS = ("Neighbourhood North", "Neighbourhood South", "Neighbourhood East",
                  "Neighbourhood West", "Neighbourhood Central")
RESPONSE = ("Response A", "Response B", "Response C", "Response D")
UNIFORM_UNITS = (*((u, 11) for u in RESPONSE), *((n, 6) for n in NEIGHBOURHOODS),
                 ("Roads Policing", 5), ("Firearms", 4), ("Custody", 3), ("Training", 1))
DETECTIVE_UNITS = (("CID", 45), ("Public Protection Unit", 25), ("Safeguarding Hub", 12),
                   ("Major Investigation Team", 10), ("Intelligence", 5), ("Economic Crime", 3))
STAFF_UNITS = (("Control Room", 22), ("Contact Centre", 10), ("Custody", 6), ("Criminal Justice Unit", 10),
               ("Intelligence", 7), ("Safeguarding Hub", 6), ("HR", 8), ("Finance", 5), ("ICT", 9),
               ("Estates", 4), ("Information Management", 4), ("Training", 3), ("Front Counter", 6))
DA_UNITS = frozenset({"Public Protection Unit", "Safeguarding Hub"})
PUBLIC_UNITS = frozenset({*RESPONSE, *NEIGHBOURHOODS, "Roads Policing", "Firearms", "Custody",
                          "Control Room", "Contact Centre", "Front Counter"})
TYPE_WEIGHTS = ((W.POLICE_OFFICER, 58), (W.POLICE_STAFF, 32), (W.PCSO, 4.5), (W.SPECIAL_CONSTABLE, 4.5),
                (W.DESIGNATED_VOLUNTEER, 0.5), (W.OTHER_VOLUNTEER, 0.5))
MALE_SHARE = {W.POLICE_OFFICER: 0.64, W.SPECIAL_CONSTABLE: 0.68, W.PCSO: 0.52, W.POLICE_STAFF: 0.38,
              W.DESIGNATED_VOLUNTEER: 0.55, W.OTHER_VOLUNTEER: 0.5}
ETHNICITY = ((Ethnicity.WHITE, 87.5), (Ethnicity.ASIAN, 5), (Ethnicity.BLACK, 2), (Ethnicity.MIXED, 2.5),
             (Ethnicity.OTHER, 0.8), (Ethnicity.NOT_STATED, 2.2))


@dataclass(eq=False)
class Member:
    """One person of the synthetic register; the case generator may later change how they left."""

    staff_number: str
    surname: str
    forenames: str
    date_of_birth: date
    sex: Sex
    ethnicity: Ethnicity
    workforce_type: WorkforceType
    rank: str
    unit: str
    start_date: date
    warrant_number: str | None = None
    previous_names: list[str] = field(default_factory=list)
    manager: Member | None = None
    flags: set[RoleFlag] = field(default_factory=set)
    status: EmploymentStatus = EmploymentStatus.SERVING
    end_date: date | None = None

    @property
    def level(self) -> int:
        return LEVEL[self.rank]

    @property
    def employed_now(self) -> bool:
        return not self.status.has_left

    def age_on(self, day: date) -> int:
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    def csv_row(self) -> list[str]:
        return [
            self.staff_number, self.warrant_number or "", self.surname, self.forenames,
            ";".join(self.previous_names), self.date_of_birth.isoformat(), self.sex.name, self.ethnicity.name,
            self.workforce_type.name, self.rank, self.unit, self.manager.staff_number if self.manager else "",
            ";".join(sorted(f.name for f in self.flags)), self.status.name, self.start_date.isoformat(),
            self.end_date.isoformat() if self.end_date else "",
        ]


CSV_HEADER = ["staff_number", "warrant_number", "surname", "forenames", "previous_names", "date_of_birth", "sex",
              "ethnicity", "workforce_type", "rank_or_grade", "unit", "line_manager_staff_number", "role_flags",
              "employment_status", "start_date", "end_date"]


class NamePool:
    """Faker names drawn once, then picked with the shared random generator (fast, deterministic)."""

    def __init__(self, seed: int, size: int) -> None:
        gb, asian = Faker("en_GB"), Faker("en_IN")
        gb.seed_instance(seed)
        asian.seed_instance(seed + 1)
        self.surnames = [gb.last_name() for _ in range(size)]
        self.female = [gb.first_name_female() for _ in range(size // 4)]
        self.male = [gb.first_name_male() for _ in range(size // 4)]
        self.asian_surnames = [asian.last_name() for _ in range(size // 4)]
        self.asian_female = [asian.first_name_female() for _ in range(size // 8)]
        self.asian_male = [asian.first_name_male() for _ in range(size // 8)]

    def forenames(self, rng: random.Random, sex: Sex, ethnicity: Ethnicity) -> str:
        asian = ethnicity == Ethnicity.ASIAN and rng.random() < 0.8
        female = sex == Sex.F or (sex not in (Sex.F, Sex.M) and rng.random() < 0.5)
        pool = (self.asian_female if female else self.asian_male) if asian else (self.female if female else self.male)
        first = rng.choice(pool)
        if rng.random() < 0.25:  # a middle name
            second = rng.choice(pool)
            if second != first:
                return f"{first} {second}"
        return first

    def surname(self, rng: random.Random, ethnicity: Ethnicity | None = None) -> str:
        if ethnicity == Ethnicity.ASIAN and rng.random() < 0.8:
            return rng.choice(self.asian_surnames)
        return rng.choice(self.surnames)


def workforce_size(cases: int) -> int:
    """About six people per case, at least 200; capped at the size of the largest force."""
    return min(max(200, cases * 6), 60_000)


@dataclass(frozen=True)
class Post:
    """A named post (e.g. the PSD team) that a demo user account is linked to."""

    rank: str
    unit: str
    workforce_type: WorkforceType = W.POLICE_OFFICER


@functools.cache
def _cumulative(pairs: tuple[tuple[T, float], ...]) -> tuple[tuple[T, ...], list[float]]:
    values, weights = zip(*pairs, strict=True)
    return values, list(itertools.accumulate(weights))


def weighted(rng: random.Random, pairs: tuple[tuple[T, float], ...]) -> T:
    """One of the values, with probability proportional to its weight."""
    values, cumulative = _cumulative(pairs)
    chosen: T = values[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
    return chosen


class WorkforceBuilder:
    def __init__(self, rng: random.Random, names: NamePool, today: date) -> None:
        self.rng, self.names, self.today = rng, names, today
        self.members: list[Member] = []
        self._staff_numbers: Iterator[int] = iter(())
        self._warrants: Iterator[int] = iter(())

    def build(self, size: int, posts: list[Post]) -> tuple[list[Member], list[Member]]:
        """`size` people in all, including one for each of `posts` (returned second, in order)."""
        self._staff_numbers = iter(self.rng.sample(range(100_000, 1_000_000), size))
        self._warrants = iter(self.rng.sample(range(1_000, 1_000_000), size))
        for rank in ["Chief Constable", "DCC"] + ["ACC"] * (3 if size >= 2000 else 1):
            self._add(W.POLICE_OFFICER, rank, CHIEF_OFFICERS)
        named = [self._add(p.workforce_type, p.rank, p.unit) for p in posts]
        while len(self.members) < size:
            wtype = weighted(self.rng, TYPE_WEIGHTS)
            rank, unit = self._post(wtype)
            self._add(wtype, rank, unit)
        self._leavers(set(map(id, named)))
        self._line_managers()
        return self.members, named

    def _post(self, wtype: WorkforceType) -> tuple[str, str]:
        rng = self.rng
        if wtype == W.POLICE_OFFICER:
            rank = weighted(rng, OFFICER_RANKS)
            if rank in ("DC", "DS", "DI"):
                return rank, weighted(rng, DETECTIVE_UNITS)
            if LEVEL[rank] >= 3:
                return rank, weighted(rng, UNIFORM_UNITS + DETECTIVE_UNITS)
            return rank, weighted(rng, UNIFORM_UNITS)
        if wtype == W.POLICE_STAFF:
            return weighted(rng, STAFF_GRADES), weighted(rng, STAFF_UNITS)
        if wtype == W.PCSO:
            return "PCSO", rng.choice(NEIGHBOURHOODS)
        if wtype == W.SPECIAL_CONSTABLE:
            return "SC", rng.choice(NEIGHBOURHOODS + RESPONSE)
        return "Volunteer", rng.choice((*NEIGHBOURHOODS, "Front Counter", "Custody"))

    def _add(self, wtype: WorkforceType, rank: str, unit: str) -> Member:
        rng = self.rng
        sex = Sex.M if rng.random() < MALE_SHARE[wtype] else Sex.F
        if rng.random() < 0.004:
            sex = Sex.X if rng.random() < 0.4 else Sex.U
        ethnicity = weighted(rng, ETHNICITY)
        start, dob = self._service(wtype, rank)
        member = Member(
            staff_number=str(next(self._staff_numbers)), surname=self.names.surname(rng, ethnicity),
            forenames=self.names.forenames(rng, sex, ethnicity), date_of_birth=dob, sex=sex,
            ethnicity=ethnicity, workforce_type=wtype, rank=rank, unit=unit, start_date=start,
        )
        if wtype in (W.POLICE_OFFICER, W.SPECIAL_CONSTABLE):
            member.warrant_number = ("S" if wtype == W.SPECIAL_CONSTABLE else "") + str(next(self._warrants))
        self._previous_names(member)
        member.flags = self._flags(member)
        self.members.append(member)
        return member

    def _service(self, wtype: WorkforceType, rank: str) -> tuple[date, date]:
        rng = self.rng
        minimum = MIN_SERVICE.get(rank, 0)
        cap = 32 if wtype == W.POLICE_OFFICER else 40
        years = min(cap, minimum + rng.triangular(0, 30, 2))
        start = self.today - timedelta(days=int(years * 365.25))
        join_age = 18 + rng.expovariate(1 / 8) if wtype != W.OTHER_VOLUNTEER else rng.uniform(18, 60)
        join_age = min(join_age, 62 - years, 55)
        dob = start - timedelta(days=int(max(18.0, join_age) * 365.25) + rng.randint(0, 364))
        return start, dob

    def _previous_names(self, m: Member) -> None:
        rng = self.rng
        if m.sex == Sex.F and rng.random() < 0.10:
            maiden = self.names.surname(rng, m.ethnicity)
            if maiden != m.surname:
                m.previous_names.append(f"{m.forenames} {maiden}")
                if rng.random() < 0.15:  # a hyphenated married name
                    m.surname = f"{maiden}-{m.surname}"
        elif rng.random() < 0.005:
            m.previous_names.append(f"{m.forenames} {self.names.surname(rng, m.ethnicity)}")

    def _flags(self, m: Member) -> set[RoleFlag]:
        rng = self.rng
        flags: set[RoleFlag] = set()
        if m.unit in DA_UNITS or (m.unit == "CID" and rng.random() < 0.2):
            flags.add(RoleFlag.DA_SAFEGUARDING)
        if m.unit in PUBLIC_UNITS or (m.unit == "CID" and rng.random() < 0.5) or m.rank in ("PCSO", "SC"):
            flags.add(RoleFlag.PUBLIC_FACING)
        if m.workforce_type == W.POLICE_OFFICER and (
            m.unit == "Firearms" or (m.unit in (*RESPONSE, "Roads Policing") and rng.random() < 0.22)
            or (m.unit in NEIGHBOURHOODS and rng.random() < 0.05)
        ):
            flags.add(RoleFlag.FIREARMS_TASER)
        return flags

    def _leavers(self, keep: set[int]) -> None:
        """About one in nine has left in the last six years (resigned, retired, moved, dismissed)."""
        rng = self.rng
        for m in self.members:
            if m.unit == CHIEF_OFFICERS or id(m) in keep or rng.random() > 0.11:
                continue
            status = rng.choices((EmploymentStatus.RESIGNED, EmploymentStatus.RETIRED,
                                  EmploymentStatus.TRANSFERRED_OUT, EmploymentStatus.DISMISSED), (50, 36, 11, 3))[0]
            end = self.today - timedelta(days=rng.randint(1, 6 * 365))
            if end <= m.start_date:
                continue
            if status == EmploymentStatus.RETIRED and m.age_on(end) < 48:
                status = EmploymentStatus.RESIGNED
            m.status, m.end_date = status, end

    def _line_managers(self) -> None:
        """Each person reports to someone serving at the next level up in their unit, else in the
        command team (Superintendents and above, outside the PSD: the PSD line-manages no one it may
        investigate); levels strictly rise, so there are no loops."""
        rng = self.rng
        by_unit: dict[str, dict[int, list[Member]]] = defaultdict(lambda: defaultdict(list))
        command: dict[int, list[Member]] = defaultdict(list)
        for m in self.members:
            if m.employed_now:
                by_unit[m.unit][m.level].append(m)
                if m.level >= 4 and m.unit != PSD_UNIT:
                    command[m.level].append(m)
        for m in self.members:
            m.manager = self._next_up(rng, by_unit[m.unit], m.level) or self._next_up(rng, command, m.level)

    @staticmethod
    def _next_up(rng: random.Random, levels: dict[int, list[Member]], level: int) -> Member | None:
        above = [lv for lv in levels if lv > level and levels[lv]]
        return rng.choice(levels[min(above)]) if above else None
