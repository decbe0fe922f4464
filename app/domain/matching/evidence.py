"""Name evidence: how far a notice's surname and forenames agree with a register person's.

Each comparison gives a weight, log(m/u) (see ``scoring``), and the reason shown to the reviewer.
Agreeing on a rare name counts more than on a common one (``NameFrequencies``); a near miss, a
nickname or an initial counts less than the name spelt the same; disagreeing counts against.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapidfuzz.distance import OSA, JaroWinkler

from app.domain.matching.frequencies import NameFrequencies
from app.domain.matching.names import (
    SurnameForm,
    forms_of,
    initials_of,
    is_initial,
    shared_full_name,
    surname_form,
)
from app.domain.matching.profiles import Profile

SURNAME_M = 0.95
FORENAME_M = 0.9
SURNAME_DIFFERS = -4.0
FORENAME_DIFFERS = -5.3  # m ~0.5% (an unrelated "known as" name), u ~1
TRANSPOSED_PENALTY = 1.0
NICKNAME_M = 0.08  # share of true pairs where the notice uses another form of the forename
SLIP_M = 0.05  # share of true pairs with a slip in the surname, or in the forename
MIDDLE_DIFFERS = -2.5
FUZZY_SURNAME = 0.84  # Jaro-Winkler similarity from which two surnames count as a typo apart
FUZZY_FORENAME = 0.85


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one comparison adds to the log-odds, the reason shown for it, and whether it agrees."""

    weight: float
    reason: str
    agrees: bool = True


def surname_cap(person: Profile, freq: NameFrequencies) -> float:
    """The most a person's surnames can contribute (one of them agreeing exactly)."""
    return max((_surname_base(f.joined, freq) for f in person.surnames), default=0.0)


def forename_cap(person: Profile, freq: NameFrequencies) -> float:
    """The most a person's forenames can contribute (first and middle names agreeing)."""
    if not person.forenames:
        return 0.0
    first = person.forenames[0]
    best = max(_forename_base(first, freq), math.log(FORENAME_M / freq.initial(first[0])))
    if len(person.forenames) > 1:
        best += max(_middle_bonus(person.forenames[1], freq), 0.7)
    return best


def name_caps(person: Profile, freq: NameFrequencies) -> tuple[float, float]:
    """The most this person's surnames and forenames can contribute."""
    return max(surname_cap(person, freq), 0.0), max(forename_cap(person, freq), 0.0)


def name_evidence(
    notice: Profile, person: Profile, freq: NameFrequencies, surname_needed: float | None = None
) -> tuple[Evidence, Evidence] | None:
    """Surname and forename evidence, trying the notice's names the other way round as well.

    None if the surname adds less than ``surname_needed`` and the names cannot be transposed.
    """
    surname = surname_evidence(notice.surnames, person.surnames, freq)
    crossing = not surname.agrees and _may_be_transposed(notice, person)
    if surname_needed is not None and surname.weight < surname_needed and not crossing:
        return None
    forename = forename_evidence(notice.forenames, person.forenames, freq)
    crossed = _transposed(notice, person, freq) if crossing else None
    if crossed is not None and crossed[0].weight + crossed[1].weight > surname.weight + forename.weight:
        return crossed
    return surname, forename


def _may_be_transposed(notice: Profile, person: Profile) -> bool:
    if not (notice.forenames and notice.surnames and person.forenames):
        return False
    return _crossable(notice.forenames[0], person)


def _crossable(notice_forename: str, person: Profile) -> bool:
    """Whether a notice's first forename looks like the person's surname (names transposed)."""
    if not person.surnames:
        return False
    return similarity(notice_forename, person.surnames[0].joined, FUZZY_SURNAME) is not None


def forename_may_agree(notice_forename: str, person: Profile) -> bool:
    """Whether a notice's first forename is close to the person's despite a different initial."""
    if not person.forenames:
        return False
    return similarity(notice_forename, person.forenames[0], FUZZY_FORENAME) is not None


def surname_bound(notice: SurnameForm | None, notice_forename: str, person: Profile, cap: float) -> float:
    """The most the surnames can add to this pair: ``cap`` if they may agree in any way (or the
    names may be transposed), else the weight of disagreeing. The engine's cheap test."""
    if notice is None:
        return 0.0
    for form in person.surnames:
        names = (form.joined, *form.parts)
        if notice.joined in names or not set(notice.parts).isdisjoint(names):
            return cap
        if any(similarity(notice.joined, other, FUZZY_SURNAME) for other in names):
            return cap
    if notice_forename and person.forenames and _crossable(notice_forename, person):
        return cap
    return SURNAME_DIFFERS


def _transposed(notice: Profile, person: Profile, freq: NameFrequencies) -> tuple[Evidence, Evidence] | None:
    as_surname = surname_form(notice.forenames[0].title())
    if as_surname is None:
        return None
    surname = surname_evidence((as_surname,), person.surnames, freq)
    forename = forename_evidence((notice.surnames[0].joined, *notice.forenames[1:]), person.forenames, freq)
    if not (surname.agrees and forename.agrees):
        return None
    reason = f"forename and surname transposed; {surname.reason}"
    return Evidence(surname.weight - TRANSPOSED_PENALTY, reason), forename


def surname_evidence(
    notice: tuple[SurnameForm, ...], person: tuple[SurnameForm, ...], freq: NameFrequencies
) -> Evidence:
    if not notice or not person:
        return Evidence(0.0, "surname not recorded", agrees=False)
    ours = notice[0]
    candidates = [_surname_pair(ours, theirs, freq) for theirs in person]
    return max(candidates, key=lambda e: (e.agrees, e.weight))


def _surname_base(joined: str, freq: NameFrequencies) -> float:
    return math.log(SURNAME_M / freq.surname(joined))


def _surname_pair(notice: SurnameForm, person: SurnameForm, freq: NameFrequencies) -> Evidence:
    previous = f"matched previous name {person.previous_name}" if person.previous_name else None
    penalty = 0.3 if previous else 0.0
    if notice.joined == person.joined:
        return Evidence(_surname_base(person.joined, freq) - penalty, previous or "surname identical")
    shared = ({notice.joined, *notice.parts} & {person.joined, *person.parts}) - {""}
    if shared:
        part = max(shared, key=len)
        reason = f"surname {notice.shown}/{person.shown} share {part.title()}"
        reason += " (hyphenated or double-barrelled)"
        weight = _surname_base(part, freq) - 0.5 - penalty
        return Evidence(weight, f"{previous}; {reason}" if previous else reason)
    shown = f"({notice.shown}/{person.shown})"
    best: tuple[tuple[float, int], str] | None = None
    for other in (person.joined, *person.parts):
        close = similarity(notice.joined, other, FUZZY_SURNAME)
        if close is not None and (best is None or close[0] > best[0][0]):
            best = (close, other)
    if best is None:
        return Evidence(SURNAME_DIFFERS, f"surname differs {shown}", agrees=False)
    weight = min(_fuzzy_weight(_surname_base(best[1], freq), best[0]), _as_spelt(freq.surname(notice.joined)))
    weight -= penalty
    reason = f"surname Jaro-Winkler {best[0][0]:.2f} {shown}"
    return Evidence(weight, f"{previous}; {reason}" if previous else reason)


def similarity(a: str, b: str, threshold: float) -> tuple[float, int] | None:
    """Jaro-Winkler similarity and OSA edits of two names that may be one slip apart, else None.

    Names count as close at ``threshold`` Jaro-Winkler, or one edit apart if neither is very short
    (Jaro-Winkler alone misses a slip in the first letters: Oynn/Lynn 0.83).
    """
    jaro_winkler = JaroWinkler.similarity(a, b)
    edits = OSA.distance(a, b, score_cutoff=3)
    if jaro_winkler >= threshold or (edits <= 1 and min(len(a), len(b)) >= 3):
        return jaro_winkler, edits
    return None


def _fuzzy_weight(base: float, close: tuple[float, int]) -> float:
    """A name with a slip agrees less than an exact one, and never counts as much as a rare one.

    Beyond one slip (a wrong, missing, extra or swapped letter) two names are more likely different.
    """
    jaro_winkler, edits = close
    return min(base, 9.0) - 1.0 - 20.0 * (1.0 - jaro_winkler) - 2.5 * max(edits - 1, 0)


def _forename_base(name: str, freq: NameFrequencies) -> float:
    return math.log(FORENAME_M / freq.forename(name))


def forename_evidence(notice: tuple[str, ...], person: tuple[str, ...], freq: NameFrequencies) -> Evidence:
    """The first forenames decide; agreeing or clashing middle names then add or take a little."""
    if not notice or not person:
        return Evidence(0.0, "forename not recorded", agrees=False)
    first, aligned = _first_forename(notice, person, freq)
    if not (first.agrees and aligned) or len(notice) < 2 or len(person) < 2:
        return first
    ours, theirs = notice[1], person[1]
    if is_initial(ours) or is_initial(theirs):
        if ours[0] == theirs[0]:
            return Evidence(first.weight + 0.7, f"{first.reason}; middle initial {ours[0]} agrees")
        return first
    if ours == theirs or shared_full_name(ours, theirs):
        return Evidence(first.weight + _middle_bonus(theirs, freq), f"{first.reason}; middle name agrees")
    if similarity(ours, theirs, FUZZY_FORENAME) is None:
        weight = first.weight + MIDDLE_DIFFERS
        return Evidence(weight, f"{first.reason}; middle name differs ({ours.title()}/{theirs.title()})")
    return first


def _middle_bonus(name: str, freq: NameFrequencies) -> float:
    return min(_forename_base(name, freq), 3.0) - 0.5


def _first_forename(
    notice: tuple[str, ...], person: tuple[str, ...], freq: NameFrequencies
) -> tuple[Evidence, bool]:
    """Evidence from the first forenames, and whether the later forenames line up for comparison."""
    ours, theirs = notice[0], person[0]
    if is_initial(ours) or is_initial(theirs):
        return _initials(notice, person, freq), False
    if ours == theirs:
        return Evidence(_forename_base(theirs, freq), "forename identical"), True
    shown = f"{ours.title()}/{theirs.title()}"
    full = shared_full_name(ours, theirs)
    if full:
        return Evidence(_nickname_weight(full, theirs, freq), f"forename nickname {shown}"), True
    if len(notice) > 1 and sorted(notice) == sorted(person):
        return Evidence(_forename_base(theirs, freq) - 0.5, "forenames in a different order"), False
    if ours in person[1:] or theirs in notice[1:]:
        name = ours if ours in person[1:] else theirs
        return Evidence(_forename_base(name, freq) - 1.2, f"forename {name.title()} is a middle name"), False
    close = similarity(ours, theirs, FUZZY_FORENAME)
    if close is not None:
        weight = min(_fuzzy_weight(_forename_base(theirs, freq), close), _as_spelt(freq.forename(ours)))
        return Evidence(weight, f"forename Jaro-Winkler {close[0]:.2f} ({shown})"), True
    return Evidence(FORENAME_DIFFERS, f"forename differs ({shown})", agrees=False), False


def _nickname_weight(full: str, theirs: str, freq: NameFrequencies) -> float:
    """Agreeing through a nickname: anyone called by any form of the name would agree as well."""
    group = sum(freq.forename(name) for name in forms_of(full))
    return min(math.log(NICKNAME_M / group), _forename_base(theirs, freq) - 0.5)


def _as_spelt(frequency: float) -> float:
    """The most a near miss can count when the notice's spelling is a common name of its own
    (Cristian for Cristina is more likely another person than a slip)."""
    return math.log(SLIP_M / frequency)


def _initials(notice: tuple[str, ...], person: tuple[str, ...], freq: NameFrequencies) -> Evidence:
    ours, theirs = notice[0], person[0]
    if ours[0] not in initials_of(theirs) and theirs[0] not in initials_of(ours):
        return Evidence(FORENAME_DIFFERS, f"forename initial differs ({ours[0]}/{theirs[0]})", agrees=False)
    weight = math.log(FORENAME_M / freq.initial(theirs[0])) - 0.7
    more = min(len(notice), len(person))
    if more > 1 and all(a[0] == b[0] for a, b in zip(notice[1:more], person[1:more], strict=True)):
        weight += 0.7
        return Evidence(weight, f"initials {' '.join(t[0] for t in notice)} only, agreeing")
    return Evidence(weight, f"forename initial {ours[0]} only, agreeing")
