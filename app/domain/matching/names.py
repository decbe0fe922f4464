"""Name normalisation, surname forms, forename initials and nicknames, phonetic blocking codes."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jellyfish

from app.domain.matching.nicknames import FULL_NAMES_OF, SHORT_FORMS

_DROPPED = str.maketrans("", "", "'’‘`´")
# letters that are not a base letter with an accent, so NFKD leaves them whole: written with plain
# letters as the PND and most British systems write them (Łukasz -> LUKASZ, Søren -> SOREN)
_PLAIN = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
                        "þ": "th", "Þ": "TH", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "ı": "i",
                        "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T"})
# ASCII text: letters upper-cased, apostrophes dropped, anything else a space (one C-level pass).
_ASCII = str.maketrans(
    {chr(c): (chr(c).upper() if chr(c).isalpha() else (None if chr(c) in "'`" else " ")) for c in range(128)}
)
_CODE_LENGTH = 4  # metaphone codes are cut to 4 letters: typos late in long names then still block


@lru_cache(maxsize=200_000)
def normalise(text: str) -> str:
    """Upper-case letters only; accents removed, apostrophes dropped, anything else a space.

    >>> normalise("  O'Brien-Smythe ") == "OBRIEN SMYTHE"
    True
    >>> normalise("Michał Wiśniewski")
    'MICHAL WISNIEWSKI'
    """
    if text.isascii():
        return " ".join(text.translate(_ASCII).split())
    decomposed = unicodedata.normalize("NFKD", text.translate(_DROPPED).translate(_PLAIN))
    letters = [
        ch if "A" <= ch <= "Z" else " "
        for ch in decomposed.upper()
        if not unicodedata.combining(ch)
    ]
    return " ".join("".join(letters).split())


def tokens(text: str) -> tuple[str, ...]:
    return tuple(normalise(text).split())


@dataclass(frozen=True, slots=True)
class SurnameForm:
    """One surname a person is or was known by, ready for comparison."""

    joined: str  # letters only: "Doe-Smith" -> "DOESMITH"
    parts: tuple[str, ...]  # the parts of a hyphenated or double-barrelled name, else ()
    shown: str  # as given, for reasons
    previous_name: str | None = None  # the full previous name this form comes from

    @property
    def codes(self) -> frozenset[str]:
        return surname_codes(self.joined, self.parts)


@lru_cache(maxsize=200_000)
def surname_form(text: str, previous_name: str | None = None) -> SurnameForm | None:
    parts = tokens(text)
    if not parts:
        return None
    useful = tuple(p for p in parts if len(p) > 1)
    return SurnameForm("".join(parts), useful if len(useful) > 1 else (), text.strip(), previous_name)


def split_previous_name(full_name: str, forenames: str) -> str:
    """The surname part of a previous full name.

    The person's current forenames are taken off the front when they lead the name ("Jane Doe
    Smith" for Jane gives "Doe Smith"); otherwise the last word is the surname.
    """
    words = full_name.split()
    given = forenames.split()
    if len(words) > len(given) and [normalise(w) for w in words[: len(given)]] == [
        normalise(g) for g in given
    ]:
        return " ".join(words[len(given) :])
    return words[-1] if words else ""


@lru_cache(maxsize=200_000)
def phonetic_code(word: str) -> str:
    """A short metaphone code of an upper-case word (the word itself when metaphone gives none)."""
    code = jellyfish.metaphone(word)[:_CODE_LENGTH]
    return code or word[:_CODE_LENGTH]


def surname_codes(joined: str, parts: tuple[str, ...]) -> frozenset[str]:
    return frozenset((phonetic_code(joined), *(phonetic_code(p) for p in parts)))


def full_names_of(forename: str) -> frozenset[str]:
    """The full names a (normalised) forename may stand for, including itself."""
    return FULL_NAMES_OF.get(forename) or frozenset((forename,))


def initials_of(forename: str) -> frozenset[str]:
    """Initials under which a forename is filed: its own and those of the names it shortens."""
    if not forename:
        return frozenset()
    return frozenset(name[0] for name in full_names_of(forename))


def shared_full_name(a: str, b: str) -> str | None:
    """The full name two different forenames both stand for (Bill, Will -> WILLIAM), if any."""
    if a == b:
        return None
    shared = full_names_of(a) & full_names_of(b)
    return min(shared) if shared else None


def forms_of(full_name: str) -> tuple[str, ...]:
    """A full name and all its short forms and variants (WILLIAM, BILL, BILLY, WILL, ...)."""
    return (full_name, *SHORT_FORMS.get(full_name, ()))


def is_initial(token: str) -> bool:
    return len(token) == 1
