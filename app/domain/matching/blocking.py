"""Blocking keys: which pairs are worth scoring at all.

A pair is scored only if a register person and a notice share a key. The keys are built so that the
realistic errors still share one:

* ``Y`` surname code + birth year and month: a slip in the day;
* ``D`` surname code + birth year and day: a slip in the month;
* ``M`` surname code + birth day and month: a slip in the year;
* ``S`` surname code + whole DOB, asked for with day and month swapped, or with the digits either
  side of the year/month or month/day boundary transposed (1970-12-18 for 1971-02-18);
* ``F`` forename initial + whole DOB (or its day/month swap): a surname typo that changes its code;
* ``N`` surname code + initial: for a notice without DOB; ``U`` the same for a register person
  without one.

Surname codes are metaphone codes of the whole surname and of each part of a hyphenated or
double-barrelled one; register people are also filed under their previous surnames and under their
first forename (in case a notice has forename and surname the wrong way round). Forename initials
include those of the full names a nickname stands for (Bill files under B and W).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from app.domain.matching.dates import dob_text, swapped
from app.domain.matching.names import SurnameForm, initials_of, phonetic_code, surname_form, tokens
from app.domain.matching.profiles import Profile


class _DobSuffixes(NamedTuple):
    year_month: str
    year_day: str
    day_month: str
    whole: str
    swapped: str | None  # the whole DOB with day and month exchanged, if that is another date
    variants: tuple[str, ...]  # swapped, and with digits transposed across a boundary


def _dob_suffixes(value: date) -> _DobSuffixes:
    text = dob_text(value)
    other = swapped(value)
    whole_swapped = ("|" + dob_text(other)) if other else None
    variants = tuple("|" + v for v in _boundary_transpositions(text))
    return _DobSuffixes(
        "|" + text[:6],
        "|" + text[:4] + text[6:],
        "|" + text[4:],
        "|" + text,
        whole_swapped,
        ((whole_swapped,) if whole_swapped else ()) + variants,
    )


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


def register_keys(person: Profile) -> set[str]:
    """The keys a register person is filed under (or asks for, when matched against notices)."""
    codes = {code for form in person.surnames for code in form.codes}
    initials = initials_of(person.first_forename)
    pairs = {code + "|" + initial for code in codes for initial in initials}
    if person.forenames and len(person.forenames[0]) > 1:  # the notice may have the names transposed
        crossed = phonetic_code(person.forenames[0])
        codes.add(crossed)
        pairs.update(crossed + "|" + form.joined[0] for form in person.surnames if form.joined)
    keys = {"N" + pair for pair in pairs}
    if person.dob is None:
        return keys | {"U" + pair for pair in pairs}
    dob = _dob_suffixes(person.dob)
    for code in codes:
        keys.update(("Y" + code + dob.year_month, "D" + code + dob.year_day, "M" + code + dob.day_month))
        keys.add("S" + code + dob.whole)
    keys.update("F" + initial + dob.whole for initial in initials)
    return keys


class NoticeSurname(NamedTuple):
    form: SurnameForm | None
    codes: tuple[str, ...]
    prefixes: tuple[tuple[str, str, str, str], ...]  # per code: "Y", "D", "M", "S" + code


class NoticeForenames(NamedTuple):
    names: tuple[str, ...]  # normalised
    initials: tuple[str, ...]
    dob_prefixes: tuple[str, ...]  # "F" + initial


class NoticeKeys:
    """Keys of notices, from their raw fields, with caches: a data wash repeats names and dates."""

    def __init__(self, undated_register: bool = True) -> None:
        self._undated = undated_register  # False when no register person lacks a DOB
        self._surnames: dict[str, NoticeSurname] = {}
        self._forenames: dict[str, NoticeForenames] = {}
        self._dates: dict[date, _DobSuffixes] = {}

    def surname(self, raw: str) -> NoticeSurname:
        found = self._surnames.get(raw)
        if found is None:
            form = surname_form(raw)
            codes = tuple(sorted(form.codes)) if form else ()
            prefixes = tuple(("Y" + c, "D" + c, "M" + c, "S" + c) for c in codes)
            found = NoticeSurname(form, codes, prefixes)
            self._surnames[raw] = found
        return found

    def forenames(self, raw: str) -> NoticeForenames:
        found = self._forenames.get(raw)
        if found is None:
            names = tokens(raw)
            initials = tuple(sorted(initials_of(names[0]))) if names else ()
            found = self._forenames[raw] = NoticeForenames(names, initials, tuple("F" + i for i in initials))
        return found

    def keys(self, surname: str, forenames: str, dob: date | None) -> list[str]:
        return self.keys_of(self.surname(surname), self.forenames(forenames), dob)

    def keys_of(self, names: NoticeSurname, given: NoticeForenames, dob: date | None) -> list[str]:
        """The keys of a notice whose surname and forenames were looked up already."""
        if dob is None:
            return ["N" + code + "|" + initial for code in names.codes for initial in given.initials]
        suffixes = self._dates.get(dob)
        if suffixes is None:
            suffixes = self._dates[dob] = _dob_suffixes(dob)
        year_month, year_day, day_month, whole, other, variants = suffixes
        keys: list[str] = []
        for y, d, m, s in names.prefixes:
            keys += (y + year_month, d + year_day, m + day_month)
            for variant in variants:
                keys.append(s + variant)
        for prefix in given.dob_prefixes:
            keys.append(prefix + whole)
            if other is not None:
                keys.append(prefix + other)
        if self._undated:
            keys += ["U" + code + "|" + initial for code in names.codes for initial in given.initials]
        return keys


def build_buckets(keyed: Iterable[tuple[int, Iterable[str]]]) -> dict[str, list[int]]:
    """Key -> positions of the entries filed under it."""
    buckets: dict[str, list[int]] = {}
    for position, keys in keyed:
        for key in keys:
            bucket = buckets.get(key)
            if bucket is None:
                buckets[key] = [position]
            else:
                bucket.append(position)
    return buckets
