"""A second synthetic register and notice file, written independently of benchmarks/matching_data.py
from published descriptions of the errors met when linking administrative data about people.
The engine is tuned on generator 1 only; this one is for evaluation (benchmarks/matching_eval.py
``--generator 2``), so that a score cannot be fitted to the quirks of one generator.

Where the error classes and their shape come from:

* **ONS** — the census-to-Census-Coverage-Survey linkage test data of the Office for National
  Statistics (github.com/ONSBigData/synthetic4linkage, "Delivery 2 — perturbation"): within-person
  disagreement in 35 % of forenames, 32 % of surnames, 15 % of days, 13 % of months and 13 % of
  years of birth. A PND extract is keyed more carefully than a survey form, so the rates here are
  lower, but the *shape* is kept: the day, the month and the year of birth are about equally
  likely to be wrong (the year is not safer than the day).
* **ONS** — Heasman, Baillie, Danielis, McLeod and Elkin, "Applications of record linkage to
  population statistics in the UK": missing values, and failures of conditional independence
  (errors in one field make errors in another more likely) — so here a record keyed carelessly
  tends to carry two errors, and missing fields cluster in the same records.
* **ONS** — Blackwell and Rogers, "Longitudinal linkage of administrative data: design principles
  and the total error framework" (2021): natural change over time (surnames on marriage or
  divorce) as distinct from recording error; default and placeholder values.
* **MoJ** — the Ministry of Justice's Splink team, synthetic data for benchmarking linkage
  (github.com/moj-analytical-services/splink_synthetic_data, corrupt/corrupt_dob.py and
  corrupt_name.py): date-of-birth typos on a numeric keypad (a neighbouring key) in the day, the
  month and the last two digits of the year; dates shifted by a few days (70 % of shifts), by up to
  two months (20 %) or by years (10 %); names replaced by an alternative form (nickname or variant
  spelling); keyboard (QWERTY) typos; middle names dropped with probability one half; first or last
  names missing.
* **MoJ / UCL** — Lam, Boyd, Linacre, Blackburn and Harron, "Generating synthetic identifiers to
  support development and evaluation of data linkage methods" (IJPDS, 2024): between two
  collections about the same person 18 % of surnames and 12 % of forenames disagree, from natural
  change and invalid entries; errors are more frequent for some groups (here: names outside the
  British head of the distribution are misspelt more often).

The population is British-like: surnames with the published frequencies of the 500 commonest
(Smith 1.15 %, Jones 0.94 %, ...; Faker's en_GB table) and a long tail of rare ones; forenames
concentrated as in the 1960–2000 birth cohorts (the commonest about 3.5 %). A national extract
therefore holds many different people sharing a full name — and, by chance, some whose dates of
birth are one digit apart — which no error process creates but every real extract has. Twins,
siblings and fathers and sons sharing a full name are added on purpose.
"""

from __future__ import annotations

import bisect
import importlib
import itertools
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.domain.matching import NoticeEntry, RegisterEntry

HOME = "NYP"
FORCES = ("AS", "BDF", "CAM", "CHS", "CLE", "CUM", "DER", "DEV", "DOR", "DUR", "ESS", "GLO", "GMP",
          "HAM", "HER", "HUM", "KEN", "LAN", "LEI", "LIN", "MER", "MPS", "NOR", "NTH", "NTT", "SOY")
ISSUERS = ("PND",) * 6 + FORCES + ("COLLEGE_BARRED_LIST", "COLLEGE_ADVISORY_LIST")

# Alternative forms of forenames as a PND record may hold them (written for this generator).
ALTERNATIVES = {
    "DAVID": ("Dave", "Dai"), "PAUL": ("Paulie",), "CHRISTOPHER": ("Chris", "Christoper"),
    "THOMAS": ("Tom", "Tommy"), "JOHN": ("Jon", "Johnny", "Jack"), "MARK": ("Marc",),
    "JAMES": ("Jim", "Jimmy", "Jamie"), "STEPHEN": ("Steven", "Steve"), "ANDREW": ("Andy", "Drew"),
    "MICHAEL": ("Mike", "Mick"), "PETER": ("Pete",), "RICHARD": ("Rick", "Richie", "Dick"),
    "ROBERT": ("Rob", "Bob", "Bobby"), "WILLIAM": ("Will", "Bill", "Billy", "Liam"),
    "DANIEL": ("Dan", "Danny"), "MATTHEW": ("Matt", "Mathew"), "ANTHONY": ("Tony", "Antony"),
    "JONATHAN": ("Jonathon", "Jon"), "NICHOLAS": ("Nick", "Nicolas"), "PHILIP": ("Phillip", "Phil"),
    "SUSAN": ("Sue", "Susanne"), "SARAH": ("Sara",), "REBECCA": ("Becky", "Rebekah"),
    "CLAIRE": ("Clare",), "LAURA": ("Lora",), "CHRISTINE": ("Chris", "Kristine"),
    "KAREN": ("Karin",), "NICOLA": ("Nicky", "Nikki"), "GEMMA": ("Jemma",), "JESSICA": ("Jess",),
    "MARGARET": ("Maggie", "Peggy", "Margret"), "JACQUELINE": ("Jackie",), "ELIZABETH": ("Liz", "Beth", "Elisabeth"),
    "CATHERINE": ("Kate", "Katherine", "Kathryn"), "KATHERINE": ("Kate", "Catherine", "Kathryn"),
    "VICTORIA": ("Vicky", "Vikki"), "JENNIFER": ("Jenny", "Jen"), "SAMANTHA": ("Sam",),
    "ALEXANDER": ("Alex", "Alexandre"), "JOSEPH": ("Joe",), "EDWARD": ("Ed", "Ted"),
    "HELEN": ("Helena",), "ZOE": ("Zoey",), "AMANDA": ("Mandy",), "DEBORAH": ("Debbie", "Debra"),
}
# Variant spellings of surnames that sound alike (one of the MoJ name-alternative classes).
SOUND_ALIKE = (("SMITH", "Smyth"), ("THOMPSON", "Thomson"), ("DAVIES", "Davis"), ("MACDONALD", "McDonald"),
               ("STEVENS", "Stephens"), ("PHILLIPS", "Philips"), ("MATTHEWS", "Mathews"), ("REID", "Reed"),
               ("GRAY", "Grey"), ("CLARKE", "Clark"), ("ROBERTSON", "Robinson"), ("JOHNSTON", "Johnstone"),
               ("BROWNE", "Brown"), ("MOORE", "More"), ("HUGHES", "Hughs"), ("WATTS", "Watt"))
KEYPAD = {"0": "12", "1": "0245", "2": "1353", "3": "26", "4": "1575", "5": "24682", "6": "359",
          "7": "48", "8": "5797", "9": "68"}  # neighbours on a numeric keypad (7 8 9 / 4 5 6 / 1 2 3 / 0)
QWERTY = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


class Population:
    """British-like names: a published head and a long tail, drawn by weight."""

    def __init__(self, rng: random.Random) -> None:
        gb = importlib.import_module("faker.providers.person.en_GB").Provider
        ie = importlib.import_module("faker.providers.person.en_IE").Provider
        india = importlib.import_module("faker.providers.person.en_IN").Provider
        weights = {name: share / 100 for name, share in gb.last_names.items()}
        head_total = sum(weights.values())
        rare = sorted({_rare_surname(rng) for _ in range(120_000)})
        others = sorted({_ascii(n) for n in (*ie.last_names, *india.last_names) if n.isalpha()} - set(weights))
        # the tail: rare British-looking names (Zipf-like), Irish and South Asian names
        tail_rare = (1 - head_total) * 0.8
        for rank, name in enumerate(rng.sample(rare, len(rare)), start=1):
            weights[name] = weights.get(name, 0.0) + tail_rare / (rank + 400) / _harmonic(len(rare), 400)
        for name in others:
            weights[name] = weights.get(name, 0.0) + (1 - head_total) * 0.2 / len(others)
        self._surnames, self._surname_cum = _cumulative(weights)
        self._male = self._forename_table(gb.first_names_male, ie.first_names_male, india.first_names_male)
        self._female = self._forename_table(gb.first_names_female, ie.first_names_female, india.first_names_female)

    @staticmethod
    def _forename_table(british: object, irish: object, indian: object) -> tuple[list[str], list[float]]:
        weights: dict[str, float] = {}
        ranked = list(british)  # Faker's en_GB lists are in order of popularity
        for rank, name in enumerate(ranked, start=1):
            weights[name] = 0.85 / (rank + 8) / _harmonic(len(ranked), 8)
        others = sorted({_ascii(n) for n in (*irish, *indian) if n.isalpha()} - set(weights))  # type: ignore[misc]
        for name in others:
            weights[name] = 0.15 / len(others)
        return _cumulative(weights)

    def surname(self, rng: random.Random) -> str:
        return self._surnames[bisect.bisect(self._surname_cum, rng.random() * self._surname_cum[-1])]

    def forename(self, rng: random.Random, sex: str) -> str:
        names, cum = self._male if sex == "M" else self._female
        return names[bisect.bisect(cum, rng.random() * cum[-1])]


def _harmonic(n: int, shift: int) -> float:
    return sum(1 / (r + shift) for r in range(1, n + 1))


def _cumulative(weights: dict[str, float]) -> tuple[list[str], list[float]]:
    names = sorted(weights)
    return names, list(itertools.accumulate(weights[n] for n in names))


_ROOTS = ("ash", "brad", "cal", "dun", "els", "fen", "gil", "hal", "ing", "kel", "lang", "mar", "nor",
          "old", "pen", "rad", "shel", "tal", "wal", "whit", "york", "bram", "crow", "hart", "lock")
_SUFFIXES = ("worth", "shaw", "croft", "bury", "thorpe", "combe", "hurst", "stead", "wick", "ridge",
             "dale", "holme", "ington", "low", "cott", "den", "sey", "ham", "by", "ton")


def _rare_surname(rng: random.Random) -> str:
    middle = rng.choice(("", "e", "er", "in", "ing", "s")) if rng.random() < 0.5 else ""
    return (rng.choice(_ROOTS) + middle + rng.choice(_SUFFIXES)).capitalize()


@dataclass(slots=True)
class Person:
    """Someone in the population: in the register, or only in the extract."""

    surname: str
    first: str
    middle: str | None
    sex: str
    dob: date
    previous_surname: str | None = None
    register_knows_previous: bool = False
    staff: str | None = None
    warrant: str | None = None


def _birth_date(rng: random.Random, first_year: int, last_year: int, peak: int) -> date:
    year = round(rng.triangular(first_year, last_year, peak))
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def person(rng: random.Random, pop: Population, first_year: int = 1958, last_year: int = 2006) -> Person:
    sex = rng.choice("MF")
    middle = pop.forename(rng, sex) if rng.random() < 0.55 else None
    dob = _birth_date(rng, first_year, last_year, (first_year + last_year) // 2 + 5)
    p = Person(pop.surname(rng), pop.forename(rng, sex), middle, sex, dob)
    if sex == "F" and rng.random() < 0.3:  # changed surname on marriage
        p.previous_surname = pop.surname(rng)
        p.register_knows_previous = rng.random() < 0.6
    return p


def relative(rng: random.Random, pop: Population, of: Person) -> tuple[Person, str]:
    """A different person who looks like ``of``: a twin, a sibling, or a father/son of the same name."""
    roll = rng.random()
    if roll < 0.3:  # twin: same surname and date of birth, another forename
        sex = rng.choice("MF")
        return Person(of.surname, pop.forename(rng, sex), None, sex, of.dob), "twin"
    if roll < 0.7:  # sibling: same surname, a few years apart
        sex = rng.choice("MF")
        dob = of.dob + timedelta(days=rng.choice((-1, 1)) * rng.randint(300, 3650))
        return Person(of.surname, pop.forename(rng, sex), None, sex, dob), "sibling"
    years = rng.randint(20, 35) * rng.choice((-1, 1))  # father or son named after him
    dob = date(of.dob.year + years, of.dob.month, min(of.dob.day, 28))
    return Person(of.surname, of.first, of.middle if rng.random() < 0.5 else None, of.sex, dob), "same_name_generation"


# ---- recording errors ----------------------------------------------------------------------------

def qwerty_typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    at = rng.randrange(len(word))
    low = word[at].lower()
    for row in QWERTY:
        if low in row:
            i = row.index(low)
            near = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            new = rng.choice(near)
            return word[:at] + (new.upper() if word[at].isupper() else new) + word[at + 1:]
    return word


def phonetic_variant(rng: random.Random, surname: str) -> str:
    upper = surname.upper()
    for a, b in SOUND_ALIKE:
        if upper == a:
            return b
        if upper == b.upper():
            return a.title()
    for old, new in (("ph", "f"), ("ie", "y"), ("ey", "y"), ("son", "sen"), ("mc", "mac"), ("ck", "k")):
        if old in surname.lower():
            lowered = surname.lower().replace(old, new, 1)
            return lowered[:1].upper() + lowered[1:]
    return surname + "e" if not surname.endswith("e") else surname[:-1]


def keypad_slip(rng: random.Random, value: date, part: str) -> date | None:
    """One keypad neighbour in the day, the month or the last two digits of the year (MoJ)."""
    text = f"{value.day:02d}{value.month:02d}{value.year:04d}"
    positions = {"day": (0, 1), "month": (2, 3), "year": (6, 7)}[part]
    for _ in range(20):
        at = rng.choice(positions)
        digits = list(text)
        digits[at] = rng.choice(KEYPAD[digits[at]])
        new = "".join(digits)
        try:
            result = date(int(new[4:]), int(new[2:4]), int(new[:2]))
        except ValueError:
            continue
        if result != value:
            return result
    return None


def shifted(rng: random.Random, value: date) -> date:
    """A date shifted as MoJ's corruption does: days (70 %), up to two months (20 %), years (10 %)."""
    roll = rng.random()
    if roll < 0.7:
        days = rng.choice((-1, 1)) * rng.randint(1, 5)
    elif roll < 0.9:
        days = rng.choice((-1, 1)) * rng.randint(6, 61)
    else:
        return date(value.year + rng.choice((-1, 1)), value.month, min(value.day, 28))
    return value + timedelta(days=days)


@dataclass(slots=True)
class Record:
    surname: str
    forenames: str
    dob: date | None
    year_only: bool = False
    staff: str | None = None
    warrant: str | None = None
    employer: str | None = None
    errors: list[str] = field(default_factory=list)


def _true_record(rng: random.Random, pop: Population, p: Person, careless: bool) -> Record:
    """What an issuer records about a register person; a careless record gets more errors."""
    scale = 2.5 if careless else 1.0
    forenames = p.first + (" " + p.middle if p.middle and rng.random() >= 0.5 else "")  # middle dropped half the time
    surname = p.previous_surname if p.previous_surname and rng.random() < 0.35 else p.surname
    rec = Record(surname, forenames, p.dob)
    if surname != p.surname:
        rec.errors.append("previous_surname_known" if p.register_knows_previous else "previous_surname_unknown")
    _name_errors(rng, pop, p, rec, scale)
    _dob_errors(rng, rec, scale)
    roll = rng.random()
    rec.employer = HOME if roll < 0.3 else (None if roll < 0.9 else rng.choice(FORCES))
    if rec.employer != HOME or rng.random() < 0.5:
        if p.staff and rng.random() < 0.08:
            rec.staff = p.staff if rng.random() > 0.05 else _digit_typo(rng, p.staff)
        if p.warrant and rng.random() < 0.06:
            rec.warrant = p.warrant
    return rec


def _name_errors(rng: random.Random, pop: Population, p: Person, rec: Record, scale: float) -> None:
    name_scale = scale * (1.6 if rng.random() < 0.2 else 1.0)  # Lam et al.: rates differ between groups
    roll = rng.random() / name_scale
    if roll < 0.04:
        rec.surname = qwerty_typo(rng, rec.surname)
        rec.errors.append("surname_typo")
    elif roll < 0.06:
        rec.surname = phonetic_variant(rng, rec.surname)
        rec.errors.append("surname_variant")
    elif roll < 0.07 and len(rec.surname) > 9:
        rec.surname = rec.surname[:8]
        rec.errors.append("surname_truncated")
    roll = rng.random() / name_scale
    words = rec.forenames.split()
    if roll < 0.04 and words[0].upper() in ALTERNATIVES:
        words[0] = rng.choice(ALTERNATIVES[words[0].upper()])
        rec.errors.append("forename_alternative")
    elif roll < 0.065:
        words[0] = qwerty_typo(rng, words[0])
        rec.errors.append("forename_typo")
    elif roll < 0.08 and p.middle:
        words = [p.middle] if rng.random() < 0.6 else [p.middle, p.first]
        rec.errors.append("known_by_middle_name")
    elif roll < 0.095:
        words = [w[0] for w in words]
        rec.errors.append("initials_only")
    elif roll < 0.1:
        rec.surname, words = words[0], [p.surname]
        rec.errors.append("names_transposed")
    rec.forenames = " ".join(words)


def _dob_errors(rng: random.Random, rec: Record, scale: float) -> None:
    assert rec.dob is not None
    roll = rng.random() / scale
    value = rec.dob
    kinds = (("dob_day_keypad", 0.02), ("dob_month_keypad", 0.035), ("dob_year_keypad", 0.05),
             ("dob_shifted", 0.075), ("dob_us_format", 0.09), ("dob_1_january", 0.10),
             ("dob_year_only", 0.11), ("dob_missing", 0.14))
    kind = next((name for name, upto in kinds if roll < upto), None)
    if kind is None:
        return
    if kind.endswith("keypad"):
        new = keypad_slip(rng, value, kind.split("_")[1])
        if new is None:
            return
        rec.dob = new
    elif kind == "dob_shifted":
        rec.dob = shifted(rng, value)
    elif kind == "dob_us_format":
        if value.day > 12 or value.day == value.month:
            return
        rec.dob = date(value.year, value.day, value.month)
    elif kind == "dob_1_january":
        rec.dob = date(value.year, 1, 1)
    elif kind == "dob_year_only":
        rec.dob, rec.year_only = date(value.year, 1, 1), True
    else:
        rec.dob = None
    rec.errors.append(kind)


def _digit_typo(rng: random.Random, number: str) -> str:
    at = rng.randrange(len(number))
    return number[:at] + rng.choice(KEYPAD.get(number[at], "0")) + number[at + 1:]


def _stranger_record(rng: random.Random, p: Person) -> Record:
    forenames = p.first + (" " + p.middle if p.middle and rng.random() < 0.5 else "")
    rec = Record(p.surname, forenames, p.dob)
    roll = rng.random()
    if roll < 0.03:
        rec.dob = None
    elif roll < 0.04:
        rec.dob, rec.year_only = date(p.dob.year, 1, 1), True
    if rng.random() < 0.1:
        rec.employer = rng.choice(FORCES)
        rec.staff = str(rng.randint(1000, 999_999)) if rng.random() < 0.4 else None
    return rec


# ---- the files -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Data:
    register: list[RegisterEntry]
    notices: list[NoticeEntry]
    truth: list[int]  # person_id a notice concerns, 0 for none
    kinds: list[str]  # "true:<errors>", "hard:<kind>" or "bulk"


def _register_entry(pid: int, p: Person) -> RegisterEntry:
    previous = (f"{p.first} {p.previous_surname}",) if p.previous_surname and p.register_knows_previous else ()
    forenames = f"{p.first} {p.middle}" if p.middle else p.first
    return RegisterEntry(pid, p.staff or str(pid), p.surname, forenames, p.dob, p.warrant, previous)


def generate(seed: int, people: int, notices: int, true_share: float = 0.01) -> Data:
    """A register of ``people`` and an extract of ``notices``: ``true_share`` of them about register
    people (some people more than once), 2 % of the rest about their relatives, the others strangers."""
    rng = random.Random(seed)
    pop = Population(rng)
    members = [person(rng, pop) for _ in range(people)]
    staff = rng.sample(range(10_000, 990_000), people)
    for i, m in enumerate(members):
        m.staff = f"{staff[i]:06d}"
        m.warrant = str(rng.randint(1000, 99999)) if rng.random() < 0.55 else None
    register = [_register_entry(i + 1, m) for i, m in enumerate(members)]
    repeaters = rng.sample(range(people), max(1, people // 40))
    out: list[NoticeEntry] = []
    truth: list[int] = []
    kinds: list[str] = []
    for key in range(1, notices + 1):
        roll = rng.random()
        if roll < true_share:
            index = rng.choice(repeaters) if rng.random() < 0.25 else rng.randrange(people)
            rec = _true_record(rng, pop, members[index], careless=rng.random() < 0.08)
            truth.append(index + 1)
            kinds.append("true:" + ("+".join(rec.errors) or "clean"))
        elif roll < true_share + 0.02:
            other, kind = relative(rng, pop, members[rng.randrange(people)])
            rec = _stranger_record(rng, other)
            truth.append(0)
            kinds.append("hard:" + kind)
        else:
            rec = _stranger_record(rng, person(rng, pop, 1935, 2008))
            truth.append(0)
            kinds.append("bulk")
        issuer = rng.choice(ISSUERS)
        out.append(NoticeEntry(key, f"{issuer}/{key:08d}", issuer, rec.surname, rec.forenames, rec.dob,
                               rec.staff, rec.warrant, None, rec.employer, dob_year_only=rec.year_only))
    return Data(register, out, truth, kinds)
