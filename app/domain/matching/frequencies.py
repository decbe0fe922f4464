"""How common a name is, learnt from the indexed side, so that agreement on a rare name counts more.

Agreeing on "John Smith" says far less than agreeing on "Xanthe Quarrington": the weight of an
agreeing name is log(m/u), with u the chance that two different people share it. The counts come
from the people being indexed (the register, or the held notices), shrunk towards a typical
frequency so that a small register does not make every name look common.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

_PSEUDO_PEOPLE = 2000.0  # weight of the prior, in people
_TYPICAL_SURNAME = 2e-4
_TYPICAL_FORENAME = 2e-3
_TYPICAL_INITIAL = 1 / 20


class NameFrequencies:
    """Smoothed relative frequencies of surnames, first forenames and forename initials."""

    def __init__(self) -> None:
        self._surnames: Counter[str] = Counter()
        self._forenames: Counter[str] = Counter()
        self._initials: Counter[str] = Counter()
        self._people = 0

    def add(self, surnames: Iterable[str], first_forename: str) -> None:
        """Count one person: each (normalised) surname they go by, and their first forename."""
        self._people += 1
        self._surnames.update(set(surnames))
        if first_forename:
            self._forenames[first_forename] += 1
            self._initials[first_forename[0]] += 1

    @property
    def people(self) -> int:
        return self._people

    def surname(self, name: str) -> float:
        return self._smoothed(self._surnames[name], _TYPICAL_SURNAME)

    def forename(self, name: str) -> float:
        return self._smoothed(self._forenames[name], _TYPICAL_FORENAME)

    def initial(self, letter: str) -> float:
        return self._smoothed(self._initials[letter], _TYPICAL_INITIAL)

    def _smoothed(self, count: int, typical: float) -> float:
        return (count + _PSEUDO_PEOPLE * typical) / (self._people + _PSEUDO_PEOPLE)
