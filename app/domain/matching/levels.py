"""Comparison levels: how far one field of a notice agrees with the same field of a register person.

The model (``parameters``) holds, for every level, m — how often a pair about the *same* person
shows it — and u — how often two *different* people do. A pair's comparison vector is one level per
field; its evidence is the sum of log(m/u) over the fields (Fellegi and Sunter). The levels of a
field are tried in the order listed: the first that applies is the pair's level.
"""

from __future__ import annotations

from enum import IntEnum


class Surname(IntEnum):
    EXACT = 0  # the current surname, spelt the same (term-frequency adjusted)
    PREVIOUS = 1  # a previous surname the register holds, spelt the same (adjusted)
    PART = 2  # a part of a hyphenated or double-barrelled surname (adjusted)
    TYPO = 3  # one letter wrong, missing, extra or swapped, or Jaro-Winkler >= 0.92
    SIMILAR = 4  # Jaro-Winkler >= 0.84
    TRANSPOSED = 5  # forename and surname exchanged, then the same (adjusted)
    DIFFERENT = 6


class Forename(IntEnum):
    EXACT = 0  # first forenames spelt the same (adjusted)
    NICKNAME = 1  # two forms of one name (Bill, William)
    TYPO = 2
    SIMILAR = 3
    MIDDLE = 4  # the notice's first forename is the person's middle name, or the order differs
    INITIAL = 5  # only initials given, and they agree
    DIFFERENT = 6


class Middle(IntEnum):
    AGREE = 0  # second forenames the same or two forms of one name (adjusted)
    INITIAL = 1
    NOT_COMPARED = 2  # one side has none, or the first forenames did not line up
    DIFFERENT = 3


class Dob(IntEnum):
    EXACT = 0
    SWAPPED = 1  # day and month exchanged
    DAY = 2  # year and month agree; only the day differs
    MONTH = 3  # year and day agree; only the month differs
    YEAR_DIGIT = 4  # day and month agree; the year is one out, its last digit differs or its last two swapped
    YEAR_DECADE = 5  # day and month agree; the year differs in another single digit (1961 for 1991)
    YEAR_ONLY = 6  # the notice gives only the year (or 1 January of it, a placeholder), and it agrees
    ONE_EDIT = 7  # another single digit slip (a transposition across the year/month boundary)
    NEAR = 8  # within two months
    MISSING = 9  # not recorded on one side
    DIFFERENT = 10


class Identifier(IntEnum):
    AGREE = 0
    CONFLICT = 1  # both recorded, and they differ
    NOT_COMPARED = 2


class Employer(IntEnum):
    HOME = 0  # the notice names the home force as employer
    OTHER = 1  # it names another force
    NOT_STATED = 2


FIELDS: dict[str, type[IntEnum]] = {
    "surname": Surname,
    "forename": Forename,
    "middle": Middle,
    "dob": Dob,
    "staff": Identifier,
    "warrant": Identifier,
    "pnc": Identifier,
    "employer": Employer,
}
# Levels whose weight depends on how common the name is (term-frequency adjusted).
ADJUSTED = {("surname", Surname.EXACT), ("surname", Surname.PREVIOUS), ("surname", Surname.PART),
            ("surname", Surname.TRANSPOSED), ("forename", Forename.EXACT), ("middle", Middle.AGREE)}
