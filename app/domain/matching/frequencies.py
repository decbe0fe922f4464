"""How common a name is among the register and the notices, so that agreement on a rare name counts
more (term-frequency adjustment).

Agreeing on "John Smith" says far less than agreeing on "Xanthe Quarrington": the weight of an
agreeing name is log(m/f), f the chance that someone taken at random bears it. Forenames and
surnames are not independent: names run in families and communities (Mohammed Khan, Gurpreet
Kaur, Piotr Nowak), so a full name can be far commoner than its two names' frequencies multiplied
say; the full names (surname and first forename) are counted too, and where one is commoner than
that product the agreement on both counts only as much as the full name's own frequency allows.
Forenames also go in and out of fashion: a pair born in the same decade is compared with how
common the forename is among people born in that decade, when that is commoner than overall
(Chloe is rare among people born in the 1960s and common among those born in the 1990s). A
middle name is as common as it is among middle names, when that is commoner than among first
forenames (Kaur, Begum, Singh, Marie, Louise are far commoner second than first). Both sides are
counted: a national extract shows how common a name is in the population far better than one
force's register, and its namesakes are the ones a notice may be confused with. The counts are
shrunk towards a typical frequency so that a small register with few notices does not make every
name look rare.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from datetime import date

from app.domain.matching.names import surname_form, tokens

_PSEUDO_PEOPLE = 2000.0  # weight of the prior, in people
_TYPICAL_SURNAME = 2e-4
_TYPICAL_FORENAME = 2e-3
_TYPICAL_INITIAL = 1 / 20
_FULL_NAME_OTHERS = 10
_DECADE_PEOPLE = 1000


class NameFrequencies:
    """Smoothed relative frequencies of surnames, first forenames and forename initials."""

    def __init__(self) -> None:
        self.surnames: Counter[str] = Counter()
        self.forenames: Counter[str] = Counter()
        self.initials: Counter[str] = Counter()
        self.register_surnames: Counter[str] = Counter()
        self.register_forenames: Counter[str] = Counter()
        self.full_names: Counter[tuple[str, str]] = Counter()
        self.by_decade: Counter[tuple[str, int]] = Counter()  # (first forename, decade of birth)
        self.decades: Counter[int] = Counter()  # people and notices with a date of birth, per decade
        self.middles: Counter[str] = Counter()  # second forenames
        self._with_middle = 0
        self._people = 0
        self.register_people = 0

    def add(self, surnames: Iterable[str], first_forename: str, *, register: bool = True,
            born: date | None = None, middle: str = "") -> None:
        """Count one person or notice: each (normalised) surname they go by, their first forename
        (by the decade they were born in, when known) and their second forename, if any."""
        self._people += 1
        if middle:
            self.middles[middle] += 1
            self._with_middle += 1
        names = set(surnames)
        self.surnames.update(names)
        if first_forename:
            self.forenames[first_forename] += 1
            self.initials[first_forename[0]] += 1
            self.full_names.update((name, first_forename) for name in names)
        if born is not None:
            decade = born.year // 10
            self.decades[decade] += 1
            if first_forename:
                self.by_decade[first_forename, decade] += 1
        if register:
            self.register_people += 1
            self.register_surnames.update(names)
            if first_forename:
                self.register_forenames[first_forename] += 1

    def add_notice(self, surname: str, forenames: str) -> None:
        """Count one notice from its raw names."""
        form = surname_form(surname)
        names = tokens(forenames)
        self.add((form.joined, *form.parts) if form else (), names[0] if names else "", register=False)

    def add_notices(self, surnames: Iterable[str], forenames: Iterable[str],
                    born: Iterable[date | None] | None = None) -> None:
        """Count many notices from their raw surnames, forenames and dates of birth (one of each per
        notice): each distinct spelling, and each distinct pair of them, is normalised once (a
        national extract repeats names)."""
        if born is not None:
            forenames = list(forenames)
            by_decade = Counter(zip(forenames, [None if d is None else d.year // 10 for d in born], strict=True))
        pairs = Counter(zip(surnames, forenames, strict=True))
        by_surname: Counter[str] = Counter()
        by_forename: Counter[str] = Counter()
        for (surname, forename), count in pairs.items():
            by_surname[surname] += count
            by_forename[forename] += count
        forms: dict[str, tuple[str, ...]] = {}
        for raw, count in by_surname.items():
            form = surname_form(raw)
            names = forms[raw] = tuple({form.joined, *form.parts}) if form else ()
            for name in names:
                self.surnames[name] += count
        firsts: dict[str, str] = {}
        for raw, count in by_forename.items():
            given = tokens(raw)
            first = firsts[raw] = given[0] if given else ""
            if len(given) > 1:
                self.middles[given[1]] += count
                self._with_middle += count
            if first:
                self.forenames[first] += count
                self.initials[first[0]] += count
        full = self.full_names
        for (surname, forename), count in pairs.items():
            first = firsts[forename]
            if first:
                for name in forms[surname]:
                    full[name, first] += count
        if born is not None:
            for (forename, decade), count in by_decade.items():
                if decade is not None:
                    self.decades[decade] += count
                    if firsts[forename]:
                        self.by_decade[firsts[forename], decade] += count
        self._people += by_surname.total()

    @property
    def people(self) -> int:
        return self._people

    @property
    def notices(self) -> int:
        return self._people - self.register_people

    def surname(self, name: str) -> float:
        return self._smoothed(self.surnames[name], _TYPICAL_SURNAME)

    def forename(self, name: str) -> float:
        return self._smoothed(self.forenames[name], _TYPICAL_FORENAME)

    def forename_born(self, name: str, decade: int | None) -> float:
        """How common a forename is among people born in this decade (shrunk towards how common it
        is overall), or overall when that is commoner or the decade is not known."""
        overall = self.forename(name)
        if decade is None or self.decades[decade] < _DECADE_PEOPLE:
            return overall  # too few born then to say
        within = (self.by_decade[name, decade] + _PSEUDO_PEOPLE * overall) / (self.decades[decade] + _PSEUDO_PEOPLE)
        return max(overall, within)

    def middle(self, name: str, decade: int | None = None) -> float:
        """How common a name is as a second forename, or as a first (in the decade), if commoner."""
        among = (self.middles[name] + _PSEUDO_PEOPLE * _TYPICAL_FORENAME) / (self._with_middle + _PSEUDO_PEOPLE)
        return max(among, self.forename_born(name, decade))

    def initial(self, letter: str) -> float:
        return self._smoothed(self.initials[letter], _TYPICAL_INITIAL)

    def full_name_excess(self, surname: str, forename: str) -> float:
        """How much commoner (log) the full name is than its surname's and forename's counts would
        make it if they were independent, or 0. Only a full name that at least ``_FULL_NAME_OTHERS``
        other records bear counts (the two records of the pair compared are left out): fewer say
        nothing about how names go together."""
        others = self.full_names[surname, forename] - 2
        if others < _FULL_NAME_OTHERS:
            return 0.0
        expected = self.surnames[surname] * self.forenames[forename] / max(self._people, 1)
        return math.log(others / expected) if others > expected else 0.0

    def _smoothed(self, count: int, typical: float) -> float:
        return (count + _PSEUDO_PEOPLE * typical) / (self._people + _PSEUDO_PEOPLE)

    def chance_of_sharing(self, register: Counter[str], combined: Counter[str]) -> float:
        """u of exact agreement: the chance that a register person and a notice taken at random share
        the name, from the two frequency tables (sum over names of p_register * p_notices)."""
        notices = max(self.notices, 1)
        people = max(self.register_people, 1)
        return sum(count / people * (combined[name] - count) / notices for name, count in register.items())
