"""Blocking keys: which pairs are worth scoring at all.

A pair is scored only if a register person and a notice share a key. A key is a pair (group,
member): the group is a surname code or a forename initial, so that one small dictionary per group
holds its members, and a notice's members are built once per date of birth. The keys are built so
that the realistic errors still share one:

* ``Y`` surname code + birth year and month: a slip in the day;
* ``D`` surname code + birth year and day: a slip in the month;
* ``M`` surname code + birth day and month: a slip in the year;
* ``S`` surname code + whole DOB, asked for with day and month swapped, or with the digits either
  side of the year/month or month/day boundary transposed (1970-12-18 for 1971-02-18);
* ``F`` initial + whole DOB (or its day/month swap): a surname typo that changes its code (a
  register person is filed under the initials of all their forenames and of their surnames);
* ``A`` surname code + initial + birth year: for a notice that gives only the year (or 1 January,
  the usual placeholder for it), and for a date shifted by days or weeks into another month (the
  adjacent year is asked for too when the date is within two months of the turn of the year);
* ``N`` surname code + initial: for a notice without DOB; ``U`` the same for a register person
  without one;
* ``G`` whole forename + surname initial, with the Y, D and M members: a surname typo that changes
  its code together with a slip in the date of birth (two errors in one careless record; the first
  letter of a surname is rarely the one mistyped). A register person is filed under their first
  forename and the initial of each of their surnames;
* ``I`` surname initial + whole DOB (or its day/month swap): typos in both names, one of them in
  the forename's first letter (so that neither ``F`` nor the surname code is shared).

Surname codes are metaphone codes of the whole surname and of each part of a hyphenated or
double-barrelled one; register people are also filed under their previous surnames and under their
first forename (in case a notice has forename and surname the wrong way round). Forename initials
include those of the full names a nickname stands for (Bill files under B and W), and a register
person is filed under the initials of each of their forenames (a notice may give the middle name).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from app.domain.matching.dates import NEAR_DAYS, dob_text, swapped
from app.domain.matching.names import SurnameForm, initials_of, phonetic_code, surname_form, tokens
from app.domain.matching.profiles import Profile

Key = tuple[str, str]  # (group, member)


class Query(NamedTuple):
    """What a notice asks for: some members under each surname code, others under each initial."""

    codes: tuple[str, ...]
    asked: tuple[str, ...]
    initials: tuple[str, ...] = ()  # "F" + forename initial, "I:" + surname initial
    whole: tuple[str, ...] = ()
    named: tuple[str, ...] = ()  # "G:" + forename + surname initial (no surname code has a colon)
    partial: tuple[str, ...] = ()  # Y, D and M members

    def keys(self) -> list[Key]:
        return [(code, member) for code in self.codes for member in self.asked] + [
            (group, member) for group in self.initials for member in self.whole
        ] + [(group, member) for group in self.named for member in self.partial]


class DobMembers(NamedTuple):
    """The members of a date of birth: as filed under a surname code, and under an initial."""

    own: tuple[str, ...]  # "Y" year+month, "D" year+day, "M" month+day, "S" whole
    asked: tuple[str, ...]  # Y, D, M, and S for the swapped and boundary-transposed dates
    whole: str
    whole_asked: tuple[str, ...]  # whole, and swapped when that is another date
    years: tuple[int, ...]  # the year, and the one next to it when the date is within NEAR_DAYS of it
    partial: tuple[str, ...]  # Y, D and M (own[:3]): asked for under a ``G`` group


def dob_members(value: date) -> DobMembers:
    text = dob_text(value)
    other = swapped(value)
    variants = ([dob_text(other)] if other else []) + _boundary_transpositions(text)
    own = ("Y" + text[:6], "D" + text[:4] + text[6:], "M" + text[4:], "S" + text)
    whole_asked = (text, dob_text(other)) if other else (text,)
    years = [value.year]
    if (value - date(value.year, 1, 1)).days < NEAR_DAYS:
        years.append(value.year - 1)
    if (date(value.year, 12, 31) - value).days < NEAR_DAYS:
        years.append(value.year + 1)
    return DobMembers(own, own[:3] + tuple("S" + v for v in variants), text, whole_asked, tuple(years), own[:3])


def _boundary_transpositions(text: str) -> list[str]:
    """YYYYMMDD with the digits either side of the year/month or month/day boundary exchanged,
    where that gives another valid date."""
    found = []
    for at in (3, 5):
        other = text[:at] + text[at + 1] + text[at] + text[at + 2 :]
        if other != text and _valid(other):
            found.append(other)
    return found


def _valid(text: str) -> bool:
    try:
        date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return False
    return True


def register_keys(person: Profile) -> set[Key]:
    """The keys a register person is filed under (or asks for, when matched against notices)."""
    codes = {code for form in person.surnames for code in form.codes}
    initials = {initial for name in person.forenames for initial in initials_of(name)}  # known by any of them
    named = {(code, initial) for code in codes for initial in initials}
    if person.forenames and len(person.forenames[0]) > 1:  # the notice may have the names transposed
        crossed = phonetic_code(person.forenames[0])
        codes.add(crossed)
        named.update((crossed, form.joined[0]) for form in person.surnames if form.joined)
    keys = {(code, "N" + initial) for code, initial in named}
    if person.dob is None:
        return keys | {(code, "U" + initial) for code, initial in named}
    dob = dob_members(person.dob)
    keys.update((code, member) for code in codes for member in dob.own)
    keys.update((code, f"A{initial}{person.dob.year}") for code, initial in named)
    keys.update(("F" + letter, dob.whole) for letter in letters_of(person))
    keys.update((group, member) for group in named_groups(person) for member in dob.own[:3])
    keys.update(("I:" + form.joined[0], dob.whole) for form in person.surnames if form.joined)
    return keys


def named_groups(person: Profile) -> set[str]:
    """``G`` groups of a register person: the whole first forename with each surname's initial."""
    first = person.first_forename
    if len(first) < 2:
        return set()
    return {"G:" + first + form.joined[0] for form in person.surnames if form.joined}


def letters_of(person: Profile) -> frozenset[str]:
    """Initials a notice's first forename may show for this person: of any of their forenames (a
    notice may give the middle name only), or of a surname (it may have the names transposed)."""
    letters = {initial for name in person.forenames for initial in initials_of(name)}
    return frozenset(letters | {form.joined[0] for form in person.surnames if form.joined})


class NoticeSurname(NamedTuple):
    form: SurnameForm | None
    codes: tuple[str, ...]
    letter: str = ""  # the surname's initial ("" if none): the ``I:`` and ``G:`` groups


class NoticeForenames(NamedTuple):
    first: str  # the first forename, normalised ("" if none)
    initials: tuple[str, ...]
    groups: tuple[str, ...]  # "F" + initial
    undated: tuple[str, ...]  # "U" + initial
    dateless: tuple[str, ...]  # "N" + initial


class NoticeKeys:
    """What notices ask the index for, from their raw fields, with caches: a data wash repeats
    names and dates."""

    def __init__(self, undated_register: bool = True) -> None:
        self._undated = undated_register  # False when no register person lacks a DOB
        self._surnames: dict[str, NoticeSurname] = {}
        self._forenames: dict[str, NoticeForenames] = {}
        self._dates: dict[date, DobMembers] = {}
        self._by_year: dict[tuple[tuple[int, ...], tuple[str, ...]], tuple[str, ...]] = {}
        self._groups: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def surname(self, raw: str) -> NoticeSurname:
        found = self._surnames.get(raw)
        if found is None:
            form = surname_form(raw)
            found = self._surnames[raw] = (
                NoticeSurname(form, tuple(sorted(form.codes)), form.joined[:1]) if form else NoticeSurname(None, ()))
        return found

    def forenames(self, raw: str) -> NoticeForenames:
        """Only the first forename decides the keys, so the cache is kept by the first word."""
        words = raw.split(None, 1)
        word = words[0] if words else ""
        found = self._forenames.get(word)
        if found is None:
            found = _forenames_of(word)
            if not found.first and len(words) > 1:  # a first word with no letters ("- John")
                return _forenames_of(raw)
            self._forenames[word] = found
        return found

    def query(self, names: NoticeSurname, given: NoticeForenames, dob: date | None) -> Query:
        """The groups and members a notice asks for."""
        if dob is None:
            return Query(names.codes, given.dateless)
        members, asked = self.dated(given, dob)
        initials, named = self.by_name(names, given)
        return Query(names.codes, asked, initials, members.whole_asked, named, members.partial)

    def dated(self, given: NoticeForenames, dob: date) -> tuple[DobMembers, tuple[str, ...]]:
        """The members of a date of birth, and all a notice born then asks for under its surname
        codes."""
        members = self._dates.get(dob)
        if members is None:
            members = self._dates[dob] = dob_members(dob)
        # surname code + initial + year: a notice that gives only the year (or 1 January, the usual
        # placeholder), and a date shifted by days or weeks into another month (a transcription
        # slip: compared as NEAR), with the next or previous year near the turn of the year
        by_year = self._by_year.get((members.years, given.initials))
        if by_year is None:
            by_year = self._by_year[members.years, given.initials] = tuple(
                f"A{i}{year}" for year in members.years for i in given.initials)
        asked = members.asked + by_year
        if self._undated:
            asked += given.undated
        return members, asked

    def by_name(self, names: NoticeSurname, given: NoticeForenames) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The groups asked for with the whole date of birth (``F`` of the forename's initials and
        ``I`` of the surname's), and the ``G`` group asked for with its parts."""
        letter = names.letter
        key = (given.first, letter)
        found = self._groups.get(key)
        if found is None:
            found = self._groups[key] = (
                given.groups + (("I:" + letter,) if letter else ()),
                ("G:" + given.first + letter,) if letter and len(given.first) > 1 else (),
            )
        return found


def _forenames_of(text: str) -> NoticeForenames:
    names = tokens(text)
    first = names[0] if names else ""
    initials = tuple(sorted(initials_of(first)))
    return NoticeForenames(
        first,
        initials,
        tuple("F" + i for i in initials),
        tuple("U" + i for i in initials),
        tuple("N" + i for i in initials),
    )


class KeyIndex:
    """Positions filed under keys: one small dictionary of members per group."""

    def __init__(self) -> None:
        self._groups: dict[str, dict[str, list[int]]] = {}

    def add(self, position: int, keys: Iterable[Key]) -> None:
        for group, member in keys:
            members = self._groups.get(group)
            if members is None:
                members = self._groups[group] = {}
            bucket = members.get(member)
            if bucket is None:
                members[member] = [position]
            else:
                bucket.append(position)

    def positions(self, query: Query) -> list[int]:
        """Every position filed under a key of the query (a position may come more than once)."""
        found: list[int] = []
        get = self._groups.get
        for groups, asked in ((query.codes, query.asked), (query.initials, query.whole),
                              (query.named, query.partial)):
            for group in groups:
                members = get(group)
                if members is not None:
                    for member in members.keys() & asked:  # one set operation in C; most miss
                        found += members[member]
        return found

    def find(self, keys: Iterable[Key]) -> set[int]:
        found: set[int] = set()
        for group, member in keys:
            found.update(self._groups.get(group, {}).get(member, ()))
        return found

    def members(self, group: str) -> dict[str, list[int]] | None:
        """The members filed under a group, and their positions (None if no one is)."""
        return self._groups.get(group)


Members = dict[str, list[int]]


class KeyLookup:
    """``KeyIndex.positions(NoticeKeys.query(...))`` in one call, for the hot loop of a data wash.

    A notice's look-ups go through a handful of groups: its surname codes, the ``F`` groups of its
    forename's initials, the ``I`` group of its surname's initial and one ``G`` group. Which of
    them the index holds, and their member dictionaries, are found once per surname spelling and
    once per first forename and surname initial (a million notices hold a few thousand of each),
    not once per notice, and no ``Query`` is built: the members of each group are then looked up
    as before. The same positions come back, each family of keys in the same order (a property
    test compares the two ways on random names and dates)."""

    def __init__(self, index: KeyIndex, keys: NoticeKeys) -> None:
        self._index = index
        self._keys = keys
        self._codes: dict[str, tuple[Members, ...]] = {}  # surname as given -> its codes' members
        self._names: dict[tuple[str, str], tuple[tuple[Members, ...], Members | None]] = {}

    def positions(self, raw: str, surname: NoticeSurname, given: NoticeForenames, dob: date | None) -> list[int]:
        """Every position filed under a key the notice asks for (a position may come more than
        once). ``raw`` is the notice's surname as given, ``surname`` what ``NoticeKeys.surname``
        made of it."""
        by_code = self._codes.get(raw)
        if by_code is None:
            by_code = self._codes[raw] = self._present(surname.codes)
        found: list[int] = []
        if dob is None:
            for members in by_code:
                for member in members.keys() & given.dateless:
                    found += members[member]
            return found
        dated, asked = self._keys.dated(given, dob)
        for members in by_code:
            for member in members.keys() & asked:  # one set operation in C; most miss
                found += members[member]
        key = (given.first, surname.letter)
        by_name = self._names.get(key)
        if by_name is None:
            initials, named = self._keys.by_name(surname, given)
            held = self._present(named)  # one G group at most
            by_name = self._names[key] = (self._present(initials), held[0] if held else None)
        initial_groups, named_group = by_name
        for members in initial_groups:
            for whole in dated.whole_asked:
                bucket = members.get(whole)
                if bucket is not None:
                    found += bucket
        if named_group is not None:
            for part in dated.partial:
                bucket = named_group.get(part)
                if bucket is not None:
                    found += bucket
        return found

    def _present(self, groups: Iterable[str]) -> tuple[Members, ...]:
        """The member dictionaries of those groups the index holds, in order."""
        return tuple(members for group in groups if (members := self._index.members(group)) is not None)
