"""Estimating the model from the register and the notices being matched (no labelled pairs needed).

* **u** — how often two *different* people show each level — from pairs drawn at random (almost
  all random pairs are different people), and for exact agreement from the two frequency tables.
* **m** — how often the *same* person shows each level — by expectation maximisation (EM) on the
  pairs of two blocks, as Splink does, with u held fixed:
  - pairs sharing an exact date of birth estimate m of the names, middle names, identifiers and
    employer (the date of birth, which chose these pairs, is left out of this model);
  - pairs sharing an exact surname and first forename estimate m of the date of birth.
  Each uses a sample of the notices, so the time does not grow with the size of the file.
* **the prior** — the share of register-notice pairs that are the same person — from the number
  of matches EM finds among the date-of-birth pairs, divided by m of an exact date of birth.

EM is kept stable: the starting values act as a prior (a few pseudo-matches spread as they are),
it stops when no m moves by more than 1e-5 or after 1,000 rounds, and a field whose estimate does
not separate matches from non-matches (m not above u when the names agree exactly, or too few
matches to learn from) keeps its starting values, saying so in ``Model.source``.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from app.domain.matching.dates import DobKey, compare, dob_key
from app.domain.matching.evidence import compare_names
from app.domain.matching.frequencies import NameFrequencies
from app.domain.matching.levels import FIELDS, Dob, Forename, Surname
from app.domain.matching.model import NoticeEntry
from app.domain.matching.parameters import STARTING_M, STARTING_U, Model, starting_model
from app.domain.matching.profiles import Profile, notice_profile
from app.domain.matching.scoring import employer_level, identifier_levels

SAMPLE_NOTICES = 25_000
RANDOM_PAIRS = 30_000
BLOCK_PAIRS = 60_000  # about as many pairs in each block as this
DOB_PAIRS = 150_000  # dates are cheap to compare: enough random pairs to see most levels
RARE_COUNT = 20  # a level random pairs show fewer times than this is not measured by them
# Sane bounds: a true record shows a wholly different name or date of birth rarely (the ONS and MoJ
# report a few per cent for surnames, which change on marriage). Without them EM takes relatives
# sharing a surname and a date of birth (twins), or a full name (father and son), for the same
# person. A first forename that is wholly different (not a nickname, a slip, an initial or the middle
# name used as the first) is rarer still: 1 in 200 (at 1 in 50, twins and siblings filled the review
# queue on the second evaluation generator).
MOST_DIFFERENT = {"surname": 0.05, "forename": 0.005, "middle": 0.05, "dob": 0.05}
MIN_MATCHES = 30.0
MIN_PEOPLE, MIN_NOTICES = 200, 2000  # fewer expected matches than this in a block: too few to learn m from
PSEUDO_MATCHES = 10.0
MAX_ROUNDS = 1000
CONVERGED = 1e-5
NAME_FIELDS = ("surname", "forename", "middle", "staff", "warrant", "pnc", "employer")
IDENTIFIERS = ("staff", "warrant", "pnc")  # too sparse to learn: fixed, see identifier_tables
DOB_FIELDS = ("dob", "middle", "employer")

Pattern = tuple[int, ...]


@dataclass(frozen=True)
class Session:
    """One EM run: what it estimated, from how many pairs, and whether it settled."""

    fields: tuple[str, ...]
    pairs: int
    matches: float  # expected number of matching pairs among them
    rounds: int
    converged: bool
    m: dict[str, tuple[float, ...]]

    def usable(self) -> bool:
        return self.converged and self.matches >= MIN_MATCHES


def estimate(register: Sequence[Profile], notices: Sequence[NoticeEntry], home: str, names: NameFrequencies,
             seed: int = 20240101) -> Model:
    """The model for matching these notices against this register."""
    start = starting_model(names, len(register))
    if len(register) < MIN_PEOPLE or len(notices) < MIN_NOTICES:
        return start  # too few pairs: random pairs would hold the true ones, EM too few matches
    rng = random.Random(seed + len(register) * 7919 + len(notices))
    dobs = [dob_key(p.dob) for p in register]
    picked = rng.sample(range(len(notices)), min(SAMPLE_NOTICES, len(notices)))
    sample = [(notice_profile(notices[i], home), dob_key(notices[i].date_of_birth, notices[i].dob_year_only))
              for i in picked]
    u = _u_values(register, dobs, sample, names, rng)
    by_dob, used = _sessions_by_dob(register, dobs, sample)
    by_name = _sessions_by_name(register, dobs, sample)
    a = _em(NAME_FIELDS, by_dob, u, _initial_share(by_dob, used))
    b = _em(DOB_FIELDS, by_name, u, _initial_share(by_name, len(sample)))
    model = _combine(start, u, a, b, len(notices) / used, len(register) * len(notices), names)
    return replace(model, related=_related(by_dob, model))


# ---- u -------------------------------------------------------------------------------------------

def _u_values(register: Sequence[Profile], dobs: list[DobKey | None], sample: list[tuple[Profile, DobKey | None]],
              names: NameFrequencies, rng: random.Random) -> dict[str, tuple[float, ...]]:
    pairs = min(RANDOM_PAIRS, 20 * len(sample) * max(1, min(len(register), 50)))
    counts = {name: Counter[int]() for name in FIELDS}
    for _ in range(pairs):
        notice, notice_dob = sample[rng.randrange(len(sample))]
        position = rng.randrange(len(register))
        for name, level in zip(FIELDS, _levels(notice, notice_dob, register[position], dobs[position]), strict=True):
            counts[name][level] += 1
    u = {name: _smoothed(counts[name], pairs, STARTING_U[name]) for name in FIELDS}
    u["surname"] = _set_exact(
        u["surname"], Surname.EXACT, names.chance_of_sharing(names.register_surnames, names.surnames)
    )
    u["forename"] = _set_exact(
        u["forename"], Forename.EXACT, names.chance_of_sharing(names.register_forenames, names.forenames)
    )
    u["dob"] = _dob_table(dobs, sample, rng)
    u.update(identifier_tables(len(register))[1])
    return u


def identifier_tables(register_size: int) -> tuple[dict[str, tuple[float, ...]], dict[str, tuple[float, ...]]]:
    """m and u of the identifiers, given that both sides record one: an identifier recorded on a
    notice is right 97 times in 100; two different people share one by chance 1 time in the size of
    the register. Not recorded on one side says nothing (weight 0)."""
    chance = 1 / max(register_size, 1000)
    m: dict[str, tuple[float, ...]] = dict.fromkeys(IDENTIFIERS, (0.97, 0.03, 1.0))
    u: dict[str, tuple[float, ...]] = dict.fromkeys(IDENTIFIERS, (chance, 1 - chance, 1.0))
    return m, u


def _levels(notice: Profile, notice_dob: DobKey | None, person: Profile, person_dob: DobKey | None) -> tuple[int, ...]:
    n = compare_names(notice, person)
    staff, warrant, pnc = identifier_levels(notice, person)
    return (
        n.surname, n.forename, n.middle, compare(notice_dob, person_dob), staff, warrant, pnc, employer_level(notice)
    )


def _smoothed(counts: Counter[int], total: int, start: tuple[float, ...]) -> tuple[float, ...]:
    weight = 10.0  # pseudo-pairs: a level never seen keeps a small chance, never zero
    return tuple((counts[level] + weight * s) / (total + weight) for level, s in enumerate(start))


def _set_exact(values: tuple[float, ...], level: int, exact: float) -> tuple[float, ...]:
    """Put the exact-agreement u from the frequency tables in, keeping the levels summing to one."""
    if exact <= 0:
        return values
    out = list(values)
    out[-1] = max(out[-1] + out[level] - exact, 1e-6)
    out[level] = exact
    total = sum(out)
    return tuple(v / total for v in out)


def _dob_table(
    dobs: list[DobKey | None], sample: list[tuple[Profile, DobKey | None]], rng: random.Random
) -> tuple[float, ...]:
    """u of the date-of-birth levels: exact agreement and a day/month swap counted from the two
    tables of dates (exactly: a swap is about as rare as an exact agreement, and 150,000 random pairs
    show a handful of either, or none); the other levels from random pairs, and a level those show
    too rarely to measure (fewer than 20 times) no rarer than half its starting value: a count of
    nought must not make the level's weight boundless (it did: a swapped date once outweighed an
    exact one, and a swap with a wholly different surname went to review)."""
    pairs = min(DOB_PAIRS, 50 * len(sample) * max(1, min(len(dobs), 100)))
    draw, notices, people = rng.random, len(sample), len(dobs)
    counts: Counter[int] = Counter(
        compare(sample[int(draw() * notices)][1], dobs[int(draw() * people)]) for _ in range(pairs)
    )
    values = list(_smoothed(counts, pairs, STARTING_U["dob"]))
    for level, start in enumerate(STARTING_U["dob"]):
        if counts[level] < RARE_COUNT:
            values[level] = max(values[level], start / 2)
    exact, swap = _dob_sharing(dobs, sample)
    values = list(_set_exact(tuple(values), Dob.EXACT, exact))
    if swap > 0:
        values = list(_set_exact(tuple(values), Dob.SWAPPED, swap))
    return tuple(values)


def _dob_sharing(dobs: list[DobKey | None], sample: list[tuple[Profile, DobKey | None]]) -> tuple[float, float]:
    """The chance that a notice and a register person taken at random share a date of birth, and
    that the notice's date is the person's with day and month exchanged."""
    register = Counter(d.value for d in dobs if d is not None)
    notices = Counter((d.value, d.swapped) for _, d in sample if d is not None and not d.year_only)
    people, count = max(len(dobs), 1), max(len(sample), 1)
    exact = sum(n / count * register[value] / people for (value, _), n in notices.items())
    swap = sum(n / count * register[other] / people for (_, other), n in notices.items() if other)
    return exact, swap


# ---- the two blocks ------------------------------------------------------------------------------

def _sessions_by_dob(register: Sequence[Profile], dobs: list[DobKey | None],
                     sample: list[tuple[Profile, DobKey | None]]) -> tuple[Counter[Pattern], int]:
    """Patterns of the pairs sharing a date of birth, and how many sampled notices they came from."""
    index: dict[int, list[int]] = {}
    for position, d in enumerate(dobs):
        if d is not None:
            index.setdefault(d.value, []).append(position)
    patterns: Counter[Pattern] = Counter()
    per_notice = len(register) / max(len(index), 1)
    used = sample[: max(1000, int(BLOCK_PAIRS / per_notice))]
    for notice, notice_dob in used:
        if notice_dob is None or notice_dob.year_only:
            continue
        for position in index.get(notice_dob.value, ()):
            levels = _levels(notice, notice_dob, register[position], dobs[position])
            patterns[levels[:3] + levels[4:]] += 1
    return patterns, len(used)


def _sessions_by_name(register: Sequence[Profile], dobs: list[DobKey | None],
                      sample: list[tuple[Profile, DobKey | None]]) -> Counter[Pattern]:
    index: dict[tuple[str, str], list[int]] = {}
    for position, person in enumerate(register):
        if person.surnames and person.forenames:
            index.setdefault((person.surnames[0].joined, person.forenames[0]), []).append(position)
    patterns: Counter[Pattern] = Counter()
    pairs = 0
    for notice, notice_dob in sample:
        if not (notice.surnames and notice.forenames):
            continue
        for position in index.get((notice.surnames[0].joined, notice.forenames[0]), ()):
            levels = _levels(notice, notice_dob, register[position], dobs[position])
            patterns[(levels[3], levels[2], levels[7])] += 1
        pairs = sum(patterns.values())
        if pairs >= BLOCK_PAIRS:  # a very common name must not make the block huge
            break
    return patterns


def _initial_share(patterns: Counter[Pattern], notices: int) -> float:
    pairs = sum(patterns.values())
    return min(0.5, max(1e-6, notices * 0.01 / max(pairs, 1)))


# ---- expectation maximisation --------------------------------------------------------------------

def _em(fields: tuple[str, ...], patterns: Counter[Pattern], u: dict[str, tuple[float, ...]], share: float) -> Session:
    """m of ``fields`` and the share of matches among the block's pairs, u held fixed."""
    m = {name: STARTING_M[name] for name in fields}
    pairs = sum(patterns.values())
    if not pairs:
        return Session(fields, 0, 0.0, 0, False, m)
    log_u = {name: [math.log(max(x, 1e-12)) for x in u[name]] for name in fields}
    rounds, converged, matches = 0, False, 0.0
    while rounds < MAX_ROUNDS and not converged:
        rounds += 1
        totals, matches = _expectation(fields, patterns, m, log_u, share)
        new = {name: _maximise(totals[i], STARTING_M[name], MOST_DIFFERENT.get(name)) for i, name in enumerate(fields)}
        change = max(abs(a - b) for name in fields for a, b in zip(new[name], m[name], strict=True))
        new_share = matches / pairs
        converged = change < CONVERGED and abs(new_share - share) <= CONVERGED * max(share, 1e-9) * 100
        m, share = new, new_share
    return Session(fields, pairs, matches, rounds, converged, m)


def _expectation(fields: tuple[str, ...], patterns: Counter[Pattern], m: dict[str, tuple[float, ...]],
                 log_u: dict[str, list[float]], share: float) -> tuple[list[defaultdict[int, float]], float]:
    log_m = {name: [math.log(max(x, 1e-12)) for x in m[name]] for name in fields}
    prior = math.log(share / (1 - share))
    totals: list[defaultdict[int, float]] = [defaultdict(float) for _ in fields]  # expected counts: fractions
    matches = 0.0
    for pattern, count in patterns.items():
        odds = prior + sum(log_m[name][level] - log_u[name][level] for name, level in zip(fields, pattern, strict=True))
        weight = count / (1.0 + math.exp(-max(-50.0, min(50.0, odds))))
        matches += weight
        for i, level in enumerate(pattern):
            totals[i][level] += weight
    return totals, matches


def _maximise(counts: Mapping[int, float], start: tuple[float, ...], most_different: float | None) -> tuple[float, ...]:
    """New m: the expected counts with the starting values as a few pseudo-matches; the last level
    (wholly different) held within its bound."""
    total = sum(counts.values()) + PSEUDO_MATCHES
    m = [(counts[level] + PSEUDO_MATCHES * s) / total for level, s in enumerate(start)]
    if most_different is not None and m[-1] > most_different:
        rest = sum(m[:-1])
        m = [x * (1 - most_different) / rest for x in m[:-1]] + [most_different]
    return tuple(m)


def _related(patterns: Counter[Pattern], model: Model) -> float:
    """Among pairs sharing a date of birth whose forenames wholly differ (almost all different
    people), the share that agree on a surname: relatives. At least what frequencies predict."""
    agreeing = {Surname.EXACT, Surname.PREVIOUS, Surname.PART}
    differ = [(p, n) for p, n in patterns.items() if p[1] == Forename.DIFFERENT]
    total = sum(n for _, n in differ)
    share = sum(n for p, n in differ if p[0] in agreeing) / total if total >= 200 else model.related
    floor = sum(model.u["surname"][level] for level in agreeing)
    return min(max(share, floor), 0.5)


# ---- the model -----------------------------------------------------------------------------------

def _separates(name: str, m: tuple[float, ...], u: tuple[float, ...]) -> bool:
    """An estimate is sane when exact agreement is likelier for matches and disagreement for non-matches."""
    return m[0] > u[0] and m[-1] < u[-1]


def _combine(start: Model, u: dict[str, tuple[float, ...]], a: Session, b: Session, scale: float,
             all_pairs: int, names: NameFrequencies) -> Model:
    m = {name: STARTING_M[name] for name in FIELDS}
    m.update(identifier_tables(names.register_people)[0])
    kept: list[str] = []
    for session in (a, b):
        for name in session.fields:
            if name in IDENTIFIERS or (name in ("middle", "employer") and session is b):
                continue  # the date-of-birth block learns them from fewer pairs
            if session.usable() and (
                name not in ("surname", "forename", "dob") or _separates(name, session.m[name], u[name])
            ):
                m[name] = session.m[name]
            else:
                kept.append(name)
    prior = start.prior
    if a.usable():
        prior = min(0.5, a.matches * scale / max(m["dob"][Dob.EXACT], 1e-3) / max(all_pairs, 1))
    note = f"; starting values kept for {', '.join(sorted(set(kept)))}" if kept else ""
    source = (f"estimated from {names.register_people:,} people and {names.notices_read:,} notices "
              f"(EM: {a.rounds} and {b.rounds} rounds, about {a.matches * scale:,.0f} matches){note}")
    return Model(m, u, prior, names, source)


