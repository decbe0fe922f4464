"""Synthetic workforce registers and notice files with known truth, for benchmarks/matching_eval.py.

Names: a weighted head (Faker's en_US census and en_GB lists) with a long tail from other Faker
locales and made-up surnames, so that common names are about as common as in Britain (Smith about
1 in 100) and most names are rare. Each notice is one of:

* a **true** notice about a register person, recorded with the realistic errors of TRUE_MIX;
* a **hard negative**: a different person who looks like a register person (HARD_MIX);
* the bulk: someone not in the register at all.
"""

from __future__ import annotations

import bisect
import importlib
import itertools
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.domain.matching import NoticeEntry, RegisterEntry

HOME = "NYP"
OTHER_FORCES = ("AS", "BDF", "CAM", "CHS", "CLE", "CUM", "DER", "DEV", "DOR", "DUR", "ESS", "GLO",
                "GMP", "HAM", "HER", "HUM", "KEN", "LAN", "LEI", "LIN", "MER", "MPS", "NOR", "NTH",
                "NTT", "SOY", "STA", "SUF", "SUR", "SUS", "TVP", "WAR", "WMP", "WYP", "WIL", "DYF")
ISSUERS = (*OTHER_FORCES, "PND", "PND", "PND", "COLLEGE_BARRED_LIST", "COLLEGE_ADVISORY_LIST")

# Errors in true notices, with their share (the rest are recorded cleanly); 10% get a second one.
TRUE_MIX: dict[str, float] = {
    "surname_typo": 0.07, "forename_typo": 0.04, "nickname": 0.06, "initials": 0.03,
    "middle_name_first": 0.02, "previous_name": 0.04, "hyphenation": 0.02, "transposed": 0.015,
    "dob_swapped": 0.03, "dob_slip": 0.04, "dob_missing": 0.02, "spelling_noise": 0.02,
}
SECOND_ERROR = 0.10
HARD_MIX: dict[str, float] = {
    "namesake_other_dob": 0.5,  # same names, unrelated DOB
    "relative": 0.2,  # same surname, other forename, DOB a few years off (siblings, parent)
    "lookalike": 0.25,  # surname one letter off, same forename, unrelated DOB
    "double_conflicting_ids": 0.05,  # same names and DOB but a different staff/warrant number
}
# Independent of the engine's nickname table on purpose.
NICKNAMES = {
    "WILLIAM": ("Bill", "Will", "Billy", "Liam"), "ELIZABETH": ("Liz", "Beth", "Betty", "Lizzie"),
    "ROBERT": ("Bob", "Rob", "Robbie", "Bobby"), "JAMES": ("Jim", "Jimmy", "Jamie"),
    "CATHERINE": ("Kate", "Cathy", "Cath"), "KATHERINE": ("Kate", "Kathy", "Katie"),
    "DAVID": ("Dave", "Davy"), "MICHAEL": ("Mike", "Mick", "Micky"), "THOMAS": ("Tom", "Tommy"),
    "STEPHEN": ("Steve",), "STEVEN": ("Steve", "Stevie"), "SUSAN": ("Sue", "Susie"),
    "JENNIFER": ("Jenny", "Jen"), "CHRISTOPHER": ("Chris", "Kit"), "CHRISTINE": ("Chris", "Chrissie"),
    "ALEXANDER": ("Alex", "Sandy"), "ALEXANDRA": ("Alex", "Lexi"), "SAMUEL": ("Sam",),
    "SAMANTHA": ("Sam", "Sammy"), "JOANNE": ("Jo",), "NICHOLAS": ("Nick", "Nicky"),
    "ANDREW": ("Andy", "Drew"), "ANTHONY": ("Tony", "Ant"), "PETER": ("Pete",), "DANIEL": ("Dan", "Danny"),
    "MATTHEW": ("Matt",), "BENJAMIN": ("Ben", "Benny"), "REBECCA": ("Becky", "Becca"),
    "MARGARET": ("Maggie", "Peggy", "Meg"), "RICHARD": ("Rich", "Rick", "Dick"), "EDWARD": ("Ed", "Ted", "Eddie"),
    "JOSEPH": ("Joe", "Joey"), "JONATHAN": ("Jon", "Jonny"), "TIMOTHY": ("Tim",), "PATRICIA": ("Pat", "Trish"),
    "PATRICK": ("Pat", "Paddy"), "KENNETH": ("Ken", "Kenny"), "DEBORAH": ("Debbie", "Deb"),
    "VICTORIA": ("Vicky", "Tori"), "JACQUELINE": ("Jackie",), "PHILIP": ("Phil",), "GREGORY": ("Greg",),
    "JOSHUA": ("Josh",), "JESSICA": ("Jess",), "ZACHARY": ("Zach", "Zak"), "GERALD": ("Gerry",),
    "RONALD": ("Ron", "Ronnie"), "DONALD": ("Don",), "CHARLES": ("Charlie", "Chas"),
    "CHARLOTTE": ("Charlie", "Lottie"), "AMANDA": ("Mandy",), "PAMELA": ("Pam",), "JOHN": ("Jack", "Johnny"),
    "FREDERICK": ("Fred", "Freddie"), "HENRY": ("Harry",), "NATHAN": ("Nate", "Nat"), "LAWRENCE": ("Larry",),
}
_KEYS = ["QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"]


def _near_keys() -> dict[str, str]:
    near: dict[str, str] = {}
    for r, row in enumerate(_KEYS):
        for c, ch in enumerate(row):
            around = row[max(c - 1, 0) : c + 2].replace(ch, "")
            for other in (r - 1, r + 1):
                if 0 <= other < len(_KEYS):
                    around += _KEYS[other][max(c - 1, 0) : c + 1]
            near[ch] = around
    return near


NEAR_KEYS = _near_keys()


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _locale_names(attribute: str, locales: Sequence[str]) -> list[str]:
    names: set[str] = set()
    for locale in locales:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        names.update(_plain(n) for n in getattr(provider, attribute, ()) if n.replace("-", "").isalpha())
    return sorted(n for n in names if n.isascii())


class NamePool:
    """Draws names with a realistic mix of very common and rare ones."""

    def __init__(self, rng: random.Random) -> None:
        us = importlib.import_module("faker.providers.person.en_US").Provider
        gb = importlib.import_module("faker.providers.person.en_GB").Provider
        head = dict(us.last_names)
        for name, weight in gb.last_names.items():
            head[name] = head.get(name, 0.0) + weight / 40
        self._head, self._head_cum = _cumulative(head)
        tail_locales = ("en_IE", "en_NZ", "en_IN", "en_PK", "de_DE", "fr_FR", "it_IT", "nl_NL", "es_ES", "ga_IE")
        self._tail = _locale_names("last_names", tail_locales)
        self._made_up = [_made_up_surname(rng) for _ in range(150_000)]
        self._male, self._male_cum = _cumulative(dict(us.first_names_male))
        self._female, self._female_cum = _cumulative(dict(us.first_names_female))
        self._gb = {"M": list(gb.first_names_male), "F": list(gb.first_names_female)}
        self._other_first = _locale_names("first_names", ("en_IN", "en_IE", "de_DE", "it_IT", "es_ES", "nl_NL"))

    def surname(self, rng: random.Random) -> str:
        roll = rng.random()
        if roll < 0.5:
            return self._head[bisect.bisect(self._head_cum, rng.random() * self._head_cum[-1])]
        return rng.choice(self._tail) if roll < 0.75 else rng.choice(self._made_up)

    def forename(self, rng: random.Random, sex: str) -> str:
        roll = rng.random()
        if roll < 0.55:
            names, cum = (self._male, self._male_cum) if sex == "M" else (self._female, self._female_cum)
            return names[bisect.bisect(cum, rng.random() * cum[-1])]
        return rng.choice(self._gb[sex]) if roll < 0.9 else rng.choice(self._other_first)


def _cumulative(weights: dict[str, float]) -> tuple[list[str], list[float]]:
    names = sorted(weights)
    return names, list(itertools.accumulate(weights[n] for n in names))


_ONSETS = ("b", "br", "c", "ch", "d", "f", "g", "gr", "h", "k", "l", "m", "n", "p", "r", "s", "st", "t", "th", "w")
_VOWELS = ("a", "e", "i", "o", "u", "ea", "ou", "ay")
_ENDINGS = ("ton", "ley", "by", "ham", "son", "well", "wood", "field", "ford", "more", "er", "ett", "ick", "and")


def _made_up_surname(rng: random.Random) -> str:
    syllables = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(rng.randint(1, 2)))
    return (syllables + rng.choice(_ENDINGS)).capitalize()


@dataclass(frozen=True, slots=True)
class Member:
    entry: RegisterEntry
    sex: str
    middle: str | None


def random_dob(rng: random.Random, first: int, last: int) -> date:
    start, end = date(first, 1, 1).toordinal(), date(last, 12, 31).toordinal()
    return date.fromordinal(rng.randint(start, end))


def make_register(rng: random.Random, pool: NamePool, people: int) -> list[Member]:
    staff_numbers = rng.sample(range(100_000, 1_000_000), people)
    warrants = rng.sample(range(10_000, 99_999), min(people, 89_000))
    members = []
    for i in range(people):
        sex = rng.choice("MF")
        first, middle = pool.forename(rng, sex), pool.forename(rng, sex) if rng.random() < 0.4 else None
        surname = pool.surname(rng)
        if rng.random() < 0.03:
            surname = f"{pool.surname(rng)}-{surname}"
        previous: tuple[str, ...] = ()
        if sex == "F" and rng.random() < 0.25:
            previous = (f"{first} {pool.surname(rng)}",)
        dob = random_dob(rng, 1958, 2006)  # required in the register (records.Person)
        warrant = str(warrants[i % len(warrants)]) if rng.random() < 0.6 else None
        forenames = f"{first} {middle}" if middle else first
        entry = RegisterEntry(i + 1, str(staff_numbers[i]), surname, forenames, dob, warrant, previous)
        members.append(Member(entry, sex, middle))
    return members


@dataclass(slots=True)
class Draft:
    """A notice being written: the fields an issuer records, before the errors go in."""

    surname: str
    forenames: str
    dob: date | None
    staff: str | None = None
    warrant: str | None = None
    employer: str | None = None


def typo(rng: random.Random, word: str) -> str:
    """One keyboard slip: a neighbouring key, a dropped, doubled or swapped letter."""
    if len(word) < 2:
        return word
    at = 0 if rng.random() < 0.1 else rng.randrange(1, len(word))
    ch, roll = word[at], rng.random()
    if roll < 0.4 and ch.upper() in NEAR_KEYS:
        other = rng.choice(NEAR_KEYS[ch.upper()])
        return word[:at] + (other if ch.isupper() else other.lower()) + word[at + 1 :]
    if roll < 0.6 and len(word) > 3:
        return word[:at] + word[at + 1 :]
    if roll < 0.8:
        return word[:at] + ch.lower() + word[at:] if at else word[0] + word
    at = min(at, len(word) - 2)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def slip(rng: random.Random, value: date) -> date:
    """One wrong digit or two neighbouring digits transposed, still a valid, plausible date."""
    text = f"{value.year:04d}{value.month:02d}{value.day:02d}"
    for _ in range(50):
        digits = list(text)
        at = rng.randrange(2, 8)
        if rng.random() < 0.75:
            digits[at] = rng.choice([d for d in "0123456789" if d != digits[at]])
        elif at < 7:
            digits[at], digits[at + 1] = digits[at + 1], digits[at]
        candidate = "".join(digits)
        try:
            result = date(int(candidate[:4]), int(candidate[4:6]), int(candidate[6:]))
        except ValueError:
            continue
        if result != value and 1925 <= result.year <= 2010:
            return result
    return value


def _swap(value: date) -> date | None:
    if value.day > 12 or value.day == value.month:
        return None
    return value.replace(month=value.day, day=value.month)


def apply_error(kind: str, draft: Draft, member: Member, pool: NamePool, rng: random.Random) -> bool:
    """Put one error of this kind into the draft; False if it cannot apply to this person."""
    entry, names = member.entry, draft.forenames.split()
    first = names[0] if names else ""
    if kind == "surname_typo":
        draft.surname = typo(rng, draft.surname)
    elif kind == "forename_typo" and first:
        draft.forenames = " ".join([typo(rng, first), *names[1:]])
    elif kind == "nickname" and first.upper() in NICKNAMES:
        draft.forenames = " ".join([rng.choice(NICKNAMES[first.upper()]), *names[1:]])
    elif kind == "initials" and names:
        initials = [n[0] for n in names] if rng.random() < 0.5 else [first[0]]
        draft.forenames = " ".join(i + "." for i in initials) if rng.random() < 0.3 else " ".join(initials)
    elif kind == "middle_name_first" and len(names) > 1:
        draft.forenames = names[1] if rng.random() < 0.5 else " ".join([*names[1:], names[0]])
    elif kind == "previous_name" and entry.previous_names:
        draft.surname = rng.choice(entry.previous_names).split()[-1]
    elif kind == "hyphenation":
        parts = draft.surname.split("-")
        if len(parts) > 1:
            draft.surname = rng.choice([*parts, " ".join(parts)])
        else:
            draft.surname = f"{pool.surname(rng)}-{draft.surname}"
    elif kind == "transposed" and first:
        draft.surname, draft.forenames = first, draft.surname
    elif kind == "dob_swapped" and draft.dob and _swap(draft.dob):
        draft.dob = _swap(draft.dob)
    elif kind == "dob_slip" and draft.dob:
        draft.dob = slip(rng, draft.dob)
    elif kind == "dob_missing" and draft.dob:
        draft.dob = None
    elif kind == "spelling_noise":
        draft.surname = rng.choice([draft.surname.upper(), draft.surname.lower(), " " + draft.surname + " "])
        draft.forenames = draft.forenames.upper() if rng.random() < 0.5 else draft.forenames.lower()
    else:
        return False
    return True


def _pick(rng: random.Random, mix: dict[str, float]) -> str | None:
    roll = rng.random()
    for kind, share in mix.items():
        if roll < share:
            return kind
        roll -= share
    return None


def _error(rng: random.Random) -> str:
    while (kind := _pick(rng, TRUE_MIX)) is None:
        pass
    return kind


def true_draft(member: Member, pool: NamePool, rng: random.Random) -> tuple[Draft, str]:
    entry = member.entry
    draft = Draft(entry.surname, entry.forenames, entry.date_of_birth)
    roll = rng.random()
    draft.employer = HOME if roll < 0.25 else (rng.choice(OTHER_FORCES) if roll < 0.35 else None)
    if draft.employer in (HOME, None):
        draft.staff = entry.staff_number if rng.random() < 0.10 else None
        draft.warrant = entry.warrant_number if rng.random() < 0.08 else None
    kinds: list[str] = []
    first = _pick(rng, TRUE_MIX)
    wanted = [] if first is None else [first] * (2 if rng.random() < SECOND_ERROR else 1)
    for number, kind in enumerate(wanted):
        kind = kind if number == 0 else _error(rng)
        for _ in range(8):
            if apply_error(kind, draft, member, pool, rng):
                kinds.append(kind)
                break
            kind = _error(rng)
    return draft, "+".join(kinds) or "clean"


def _unrelated_dob(rng: random.Random, near: date | None, years: int = 0) -> date:
    from app.domain.matching.dates import agreement
    from app.domain.matching.levels import Dob

    while True:
        if near is not None and years:
            value = date.fromordinal(near.toordinal() + rng.choice((-1, 1)) * rng.randint(2 * 365, years * 365))
        else:
            value = random_dob(rng, 1958, 2006)
        if agreement(value, near) in (Dob.DIFFERENT, Dob.MISSING):
            return value


def hard_draft(member: Member, pool: NamePool, rng: random.Random) -> tuple[Draft, str]:
    entry = member.entry
    kind = _pick(rng, HARD_MIX) or "namesake_other_dob"
    draft = Draft(entry.surname, entry.forenames, _unrelated_dob(rng, entry.date_of_birth))
    if kind == "relative":
        draft.forenames = pool.forename(rng, rng.choice("MF"))
        draft.dob = _unrelated_dob(rng, entry.date_of_birth, years=30)
    elif kind == "lookalike":
        draft.surname = typo(rng, entry.surname)
    elif kind == "double_conflicting_ids":
        draft.dob = entry.date_of_birth
        draft.employer = rng.choice((HOME, None))
        draft.staff = str(rng.randint(100_000, 999_999))
        if draft.staff == entry.staff_number:
            draft.staff = str(int(draft.staff) + 1)
    return draft, kind


def bulk_draft(pool: NamePool, rng: random.Random) -> Draft:
    sex = rng.choice("MF")
    forenames = pool.forename(rng, sex)
    if rng.random() < 0.4:
        forenames += " " + pool.forename(rng, sex)
    surname = pool.surname(rng)
    if rng.random() < 0.03:
        surname = f"{pool.surname(rng)}-{surname}"
    dob = None if rng.random() < 0.02 else random_dob(rng, 1940, 2007)
    draft = Draft(surname, forenames, dob)
    if rng.random() < 0.15:
        draft.employer = rng.choice(OTHER_FORCES)
        draft.staff = str(rng.randint(10_000, 9_999_999)) if rng.random() < 0.5 else None
    return draft


@dataclass(frozen=True, slots=True)
class NoticeFile:
    notices: list[NoticeEntry]
    truth: list[int]  # person_id a notice concerns, 0 for none
    kinds: list[str]  # "true:<errors>", "hard:<kind>" or "bulk"


def make_notices(
    rng: random.Random, pool: NamePool, members: list[Member], count: int,
    true_share: float = 0.01, hard_share: float = 0.001,
) -> NoticeFile:
    notices, truth, kinds = [], [], []
    for key in range(1, count + 1):
        roll = rng.random()
        if roll < true_share:
            member = rng.choice(members)
            draft, kind = true_draft(member, pool, rng)
            truth.append(member.entry.person_id)
            kinds.append("true:" + kind)
        elif roll < true_share + hard_share:
            draft, kind = hard_draft(rng.choice(members), pool, rng)
            truth.append(0)
            kinds.append("hard:" + kind)
        else:
            draft = bulk_draft(pool, rng)
            truth.append(0)
            kinds.append("bulk")
        issuer = rng.choice(ISSUERS)
        notices.append(NoticeEntry(key, f"{issuer}-{key:07d}", issuer, draft.surname, draft.forenames,
                                   draft.dob, draft.staff, draft.warrant, None, draft.employer))
    return NoticeFile(notices, truth, kinds)
