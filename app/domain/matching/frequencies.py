"""How common a name is among the register and the notices, so that agreement on a rare name counts
more (term-frequency adjustment).

Agreeing on "John Smith" says far less than agreeing on "Xanthe Quarrington": the weight of an
agreeing name is log(m/f), f the chance that someone taken at random bears it. Forenames and
surnames are not independent: names run in families and communities (Mohammed Khan, Gurpreet
Kaur, Piotr Nowak), so a full name can be far commoner than its two names' frequencies multiplied
say; the people bearing each full name (surname and first forename) are counted too (a notice's
person by the name and date of birth: one person with many notices is one person), and where one
is commoner than that product the agreement on both counts only as much as the full name's own
frequency allows.
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
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from app.domain.matching.names import surname_form, tokens

if TYPE_CHECKING:
    import numpy as np  # imported where counted: only a data wash needs it, and every start would pay 0.1 s

_PSEUDO_PEOPLE = 2000.0  # weight of the prior, in people
_TYPICAL_SURNAME = 2e-4
_TYPICAL_FORENAME = 2e-3
_TYPICAL_INITIAL = 1 / 20
_FULL_NAME_OTHERS = 10
_DECADE_PEOPLE = 1000
_SAMPLE_FROM, _SAMPLE_EVERY = 200_000, 4  # add_pairs: from this many notices, count every 4th by decade


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
        self._people = 0  # register people, and the notices' people once add_pairs has run
        self.register_people = 0
        self.repeated_notices = 0  # notices of a person already counted (add_pairs)
        self.register_parted = 0  # register people with a hyphenated or double-barrelled surname
        self.register_renamed = 0  # ... with a previous surname held

    def add(self, surnames: Iterable[str], first_forename: str, *, register: bool = True,
            born: date | None = None, middle: str = "", parted: bool = False, renamed: bool = False) -> None:
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
            self.register_parted += parted
            self.register_renamed += renamed
            self.register_surnames.update(names)
            if first_forename:
                self.register_forenames[first_forename] += 1

    def add_notice(self, surname: str, forenames: str) -> None:
        """Count one notice from its raw names."""
        form = surname_form(surname)
        names = tokens(forenames)
        self.add((form.joined, *form.parts) if form else (), names[0] if names else "", register=False)

    def add_notices(self, surnames: Iterable[str], forenames: Iterable[str]) -> None:
        """Count many notices from their raw surnames and forenames (one of each per notice, in
        two passes): each distinct spelling is normalised once (a national extract repeats names).
        Full names and decades of birth are counted by ``add_pairs``."""
        by_surname = Counter(surnames)
        for raw, count in by_surname.items():
            form = surname_form(raw)
            for name in {form.joined, *form.parts} if form else ():
                self.surnames[name] += count
        for raw, count in Counter(forenames).items():
            given = tokens(raw)
            first = given[0] if given else ""
            if len(given) > 1:
                self.middles[given[1]] += count
                self._with_middle += count
            if first:
                self.forenames[first] += count
                self.initials[first[0]] += count
        self._people += by_surname.total()

    def add_pairs(self, surnames: Sequence[str], forenames: Sequence[str], born: Sequence[date | None],
                  full_names: Collection[tuple[str, str]], wanted: Collection[str]) -> None:
        """A second pass over the notices ``add_notices`` counted, run with the model's estimation (in
        its own process for a large file): count their PEOPLE, not their notices, and the people
        bearing each of ``full_names`` (whole surname and first forename: the register's, the only
        ones asked about), and the notices' first forenames in ``wanted`` by decade of birth. Each
        distinct spelling and date is looked at once; the counting is done in numpy.

        A notice's person is its surname (as normalised, with its parts), first forename and date of
        birth: one member with twenty notices is one person, and counting their notices made their
        own rare surname, forename and full name look twenty times commoner, weakening exactly their
        true pairs. Second forenames stay counted per notice. The forenames by decade are counted
        from every ``_SAMPLE_EVERY``-th notice of a large file, the counts scaled up: a forename's
        share of a decade is a matter of thousands of notices."""
        # each distinct spelling numbered once (a national extract repeats names); then a name is a
        # number per notice (first forename's number * width + surname's), counted in numpy. A
        # surname's number stands for the names add_notices counted for it (whole and parts).
        form_ids: dict[tuple[str, ...], int] = {}
        counted_as: list[tuple[str, ...]] = []
        numbers: dict[str, int] = {}
        for raw in set(surnames):
            form = surname_form(raw)
            number = numbers[raw] = form_ids.setdefault((form.joined, *form.parts) if form else (), len(form_ids))
            if number == len(counted_as):  # a new one: the names counted for it, once each
                counted_as.append(tuple({form.joined: None} | dict.fromkeys(form.parts)) if form else ())
        first_ids: dict[str, int] = {}
        first_number = {raw: first_ids.setdefault(given[0] if (given := tokens(raw)) else "", len(first_ids))
                        for raw in set(forenames)}
        first_of = list(first_ids)
        width, count = len(counted_as), len(surnames)
        if not count:
            return
        import numpy as np
        name = np.fromiter(map({raw: n * width for raw, n in first_number.items()}.__getitem__, forenames),
                           np.int64, count)
        name += np.fromiter(map(numbers.__getitem__, surnames), np.int64, count)
        days = list(set(born))
        day = np.fromiter(map({value: number for number, value in enumerate(days)}.__getitem__, born), np.int64, count)
        counted = _People(name, day, len(days))

        self._count_people_not_notices(counted.repeats(), counted_as, first_of, width)

        # the people bearing each full name asked about (a surname's spellings with other parts too)
        spelt: dict[str, list[int]] = {}
        for number, names in enumerate(counted_as):
            if names:
                spelt.setdefault(names[0], []).append(number)
        asked = {first_ids[first] * width + number: (surname, first) for surname, first in full_names
                 if first in first_ids for number in spelt.get(surname, ())}
        for key, people in counted.people_bearing(asked.keys()):
            self.full_names[asked[key]] += people

        # forenames by decade of birth (every ``every``-th notice of a large file, scaled up)
        every = _SAMPLE_EVERY if count >= _SAMPLE_FROM else 1
        decade_of_day = np.array([-1 if value is None else value.year // 10 for value in days], np.int64)
        decades = decade_of_day[day[::every]]
        firsts = name[::every] // width
        dated = decades >= 0
        lowest = int(decades[dated].min()) if dated.any() else 0
        for decade, notices in enumerate(np.bincount(decades[dated] - lowest).tolist(), lowest):
            if notices:
                self.decades[decade] += notices * every
        keep = np.zeros(len(first_ids), bool)
        keep[np.fromiter((number for first, number in first_ids.items() if first in wanted), np.int64)] = True
        kept = dated & keep[firsts]
        pairs = firsts[kept] * 1024 + (decades[kept] - lowest)  # decades span far fewer than 1024
        pairs.sort()
        starts = _starts(pairs)
        for pair, notices in zip(pairs[starts].tolist(), np.diff(np.append(starts, len(pairs))).tolist(), strict=True):
            self.by_decade[first_of[pair // 1024], pair % 1024 + lowest] += notices * every

    def _count_people_not_notices(self, repeats: Iterable[tuple[int, int]], counted_as: Sequence[tuple[str, ...]],
                                  first_of: Sequence[str], width: int) -> None:
        """Take back what ``add_notices`` counted for notices that repeat a person already counted:
        ``repeats`` gives (name, notices too many), a name being first forename's number * ``width``
        + surname's number."""
        repeated = 0
        for key, extra in repeats:
            repeated += extra
            for name in counted_as[key % width]:
                self.surnames[name] -= extra
            first = first_of[key // width]
            if first:
                self.forenames[first] -= extra
                self.initials[first[0]] -= extra
        self._people -= repeated
        self.repeated_notices += repeated

    @property
    def people(self) -> int:
        return self._people

    @property
    def notices(self) -> int:
        """The notices' people counted (each notice, until ``add_pairs`` has taken repeats back)."""
        return self._people - self.register_people

    @property
    def notices_read(self) -> int:
        return self.notices + self.repeated_notices

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

    def register_share(self, people: int) -> float:
        """``people`` as a share of the register's (shrunk a little towards one half), or 1 when no
        register was counted (the held notices' own counts, for a new person): nothing to divide by."""
        return (people + 1) / (self.register_people + 2) if self.register_people else 1.0

    def initial(self, letter: str) -> float:
        return self._smoothed(self.initials[letter], _TYPICAL_INITIAL)

    def full_name_excess(self, surname: str, forename: str) -> float:
        """How much commoner (log) the full name is than its surname's and forename's counts would
        make it if they were independent, or 0. Only a full name that at least ``_FULL_NAME_OTHERS``
        other people bear counts (the register's and the notices', each notice date of birth one
        person; the two of the pair compared are left out): fewer say nothing about how names go
        together."""
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


class _People:
    """The notices' people — a person being a name and a date of birth (each a number per notice) —
    found by sorting a million notices as one integer each, so that counting them costs a fraction
    of a second."""

    def __init__(self, name: np.ndarray, day: np.ndarray, days: int) -> None:
        import numpy as np

        ordered = np.sort(name)
        self.names = ordered[_starts(ordered)]  # distinct, sorted: a notice's name is its place here
        place = np.searchsorted(self.names, name)
        self.notices = np.bincount(place, minlength=len(self.names))
        person = place * days + day
        person.sort()
        self.people = np.bincount(person[_starts(person)] // days, minlength=len(self.names))

    def repeats(self) -> list[tuple[int, int]]:
        """(name, notices less people) for every name borne by fewer people than notices."""
        extra = self.notices - self.people
        repeated = extra > 0
        return list(zip(self.names[repeated].tolist(), extra[repeated].tolist(), strict=True))

    def people_bearing(self, names: Iterable[int]) -> list[tuple[int, int]]:
        """(name, people) for each of ``names`` that some notice bears."""
        import numpy as np

        wanted = np.fromiter(names, np.int64)
        place = np.searchsorted(self.names, wanted)
        borne = place < len(self.names)
        borne[borne] = self.names[place[borne]] == wanted[borne]
        return list(zip(wanted[borne].tolist(), self.people[place[borne]].tolist(), strict=True))


def _starts(ordered: np.ndarray) -> np.ndarray:
    """Where each run of equal values of a sorted array starts."""
    import numpy as np

    return np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1]))) if len(ordered) else ordered
