"""How common a name is among the register and the notices, so that agreement on a rare name counts
more (term-frequency adjustment).

Agreeing on "John Smith" says far less than agreeing on "Xanthe Quarrington": the weight of an
agreeing name is log(m/f), f the chance that someone taken at random bears it. Both sides are
counted: a national extract shows how common a name is in the population far better than one
force's register, and its namesakes are the ones a notice may be confused with. The counts are
shrunk towards a typical frequency so that a small register with few notices does not make every
name look rare.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from app.domain.matching.names import surname_form, tokens

_PSEUDO_PEOPLE = 2000.0  # weight of the prior, in people
_TYPICAL_SURNAME = 2e-4
_TYPICAL_FORENAME = 2e-3
_TYPICAL_INITIAL = 1 / 20


class NameFrequencies:
    """Smoothed relative frequencies of surnames, first forenames and forename initials."""

    def __init__(self) -> None:
        self.surnames: Counter[str] = Counter()
        self.forenames: Counter[str] = Counter()
        self.initials: Counter[str] = Counter()
        self.register_surnames: Counter[str] = Counter()
        self.register_forenames: Counter[str] = Counter()
        self._people = 0
        self.register_people = 0

    def add(self, surnames: Iterable[str], first_forename: str, *, register: bool = True) -> None:
        """Count one person or notice: each (normalised) surname they go by, and their first forename."""
        self._people += 1
        names = set(surnames)
        self.surnames.update(names)
        if first_forename:
            self.forenames[first_forename] += 1
            self.initials[first_forename[0]] += 1
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

    def add_notices(self, surnames: Iterable[str], forenames: Iterable[str]) -> None:
        """Count many notices from their raw surnames and forenames (one of each per notice, in
        two passes): each distinct spelling is normalised once (a national extract repeats names)."""
        by_surname = Counter(surnames)
        for raw, count in by_surname.items():
            form = surname_form(raw)
            for name in {form.joined, *form.parts} if form else ():
                self.surnames[name] += count
        for raw, count in Counter(forenames).items():
            given = tokens(raw)
            first = given[0] if given else ""
            if first:
                self.forenames[first] += count
                self.initials[first[0]] += count
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

    def initial(self, letter: str) -> float:
        return self._smoothed(self.initials[letter], _TYPICAL_INITIAL)

    def _smoothed(self, count: int, typical: float) -> float:
        return (count + _PSEUDO_PEOPLE * typical) / (self._people + _PSEUDO_PEOPLE)

    def chance_of_sharing(self, register: Counter[str], combined: Counter[str]) -> float:
        """u of exact agreement: the chance that a register person and a notice taken at random share
        the name, from the two frequency tables (sum over names of p_register * p_notices)."""
        notices = max(self.notices, 1)
        people = max(self.register_people, 1)
        return sum(count / people * (combined[name] - count) / notices for name, count in register.items())
