"""Name evidence: the level at which a notice's surname, first forename and middle name agree with a
register person's (``levels``), and what that level weighs under a model (``parameters``).

Agreeing on a rare name counts more than on a common one (the weight of an agreeing level is
log(m / f), f the name's frequency). A near miss never counts more than the notice's own spelling
would if it agreed exactly: "Cristian" for "Cristina" is more likely another person than a slip.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapidfuzz.distance import OSA, JaroWinkler

from app.domain.matching.levels import Forename, Middle, Surname
from app.domain.matching.names import SurnameForm, forms_of, initials_of, is_initial, shared_full_name, surname_form
from app.domain.matching.parameters import Model
from app.domain.matching.profiles import Profile

TYPO_SIMILARITY = 0.92  # Jaro-Winkler from which two names count as one slip apart
FUZZY_SURNAME = 0.84  # ... and from which two surnames count as similar
FUZZY_FORENAME = 0.85
_NAME_LEVELS = (Surname.EXACT, Surname.PREVIOUS, Surname.PART, Surname.TRANSPOSED)


@dataclass(frozen=True, slots=True)
class NameComparison:
    """The levels of one pair's names, with the values the reasons and the weights need."""

    surname: Surname
    forename: Forename
    middle: Middle
    surname_value: str  # the agreeing surname (or part) when the level is adjusted, else the notice's
    forename_value: str  # the person's first forename (the notice's spelling for near misses)
    middle_value: str
    notice_surname: str  # as shown
    person_surname: str
    notice_forename: str
    person_forename: str
    previous_name: str | None = None

    @property
    def agrees(self) -> bool:
        return self.surname is not Surname.DIFFERENT


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


def _close_level(a: str, b: str, threshold: float) -> bool | None:
    """True for one slip apart, False for merely similar, None for different."""
    close = similarity(a, b, threshold)
    if close is None:
        return None
    return close[1] <= 1 or close[0] >= TYPO_SIMILARITY


def compare_names(notice: Profile, person: Profile) -> NameComparison:
    """The names' levels, trying the notice's names the other way round as well."""
    straight = _compare(notice, person)
    if straight.surname is Surname.DIFFERENT and _may_be_transposed(notice, person):
        crossed = _transposed(notice, person)
        if crossed is not None:
            return crossed
    return straight


def _compare(notice: Profile, person: Profile) -> NameComparison:
    level, value, previous, theirs = surname_level(notice.surnames, person.surnames)
    forename, middle, first_value, middle_value = forename_levels(notice.forenames, person.forenames)
    return NameComparison(level, forename, middle, value, first_value, middle_value,
                          notice.surnames[0].shown if notice.surnames else "", theirs,
                          notice.first_forename, person.first_forename, previous)


def surname_level(
    notice: tuple[SurnameForm, ...], person: tuple[SurnameForm, ...]
) -> tuple[Surname, str, str | None, str]:
    """The best level of the notice's surname against any of the person's, the name it agrees on
    (or the notice's spelling), the previous name it came from, and the person's surname shown."""
    if not notice or not person:
        return Surname.DIFFERENT, "", None, person[0].shown if person else ""
    ours = notice[0]
    best: tuple[Surname, str, str | None, str] = (Surname.DIFFERENT, ours.joined, None, person[0].shown)
    for theirs in person:
        found = _surname_pair(ours, theirs)
        if found is not None and found[0] < best[0]:
            best = (found[0], found[1], theirs.previous_name, theirs.shown)
    return best


def _surname_pair(ours: SurnameForm, theirs: SurnameForm) -> tuple[Surname, str] | None:
    if ours.joined == theirs.joined:
        return (Surname.PREVIOUS if theirs.previous_name else Surname.EXACT), ours.joined
    shared = ({ours.joined, *ours.parts} & {theirs.joined, *theirs.parts}) - {""}
    if shared:
        return Surname.PART, max(shared, key=len)
    best: bool | None = None
    for other in (theirs.joined, *theirs.parts):
        close = _close_level(ours.joined, other, FUZZY_SURNAME)
        if close is not None:
            best = close or bool(best)
    if best is None:
        return None
    return (Surname.TYPO if best else Surname.SIMILAR), ours.joined


def forename_levels(notice: tuple[str, ...], person: tuple[str, ...]) -> tuple[Forename, Middle, str, str]:
    """First-forename level, middle-name level, and the names their weights depend on."""
    if not notice or not person:
        return Forename.DIFFERENT, Middle.NOT_COMPARED, "", ""
    first = _first_forename(notice, person)
    value = person[0] if first in (Forename.EXACT, Forename.NICKNAME) else notice[0]
    if first is Forename.MIDDLE or len(notice) < 2 or len(person) < 2:
        # compared whatever the first forenames do, so that the two comparisons stay independent
        return first, Middle.NOT_COMPARED, value, ""
    middle = middle_level(notice[1], person[1])
    return first, middle, value, person[1] if middle is Middle.AGREE else ""


def middle_level(ours: str, theirs: str) -> Middle:
    """How two second forenames agree, when they are compared (``forename_levels``)."""
    if is_initial(ours) or is_initial(theirs):
        return Middle.INITIAL if ours[0] == theirs[0] else Middle.DIFFERENT
    if ours == theirs or shared_full_name(ours, theirs):
        return Middle.AGREE
    if similarity(ours, theirs, FUZZY_FORENAME) is not None:
        return Middle.INITIAL  # a slip in a middle name counts as its initial
    return Middle.DIFFERENT


def _first_forename(notice: tuple[str, ...], person: tuple[str, ...]) -> Forename:
    ours, theirs = notice[0], person[0]
    if is_initial(ours) or is_initial(theirs):
        if ours[0] not in initials_of(theirs) and theirs[0] not in initials_of(ours):
            return Forename.DIFFERENT
        return Forename.INITIAL
    if ours == theirs:
        return Forename.EXACT
    if shared_full_name(ours, theirs):
        return Forename.NICKNAME
    if (len(notice) > 1 and sorted(notice) == sorted(person)) or ours in person[1:] or theirs in notice[1:]:
        return Forename.MIDDLE
    close = _close_level(ours, theirs, FUZZY_FORENAME)
    if close is not None:
        return Forename.TYPO if close else Forename.SIMILAR
    return Forename.DIFFERENT


def first_forenames_differ(ours: str, theirs: str) -> bool:
    """Whether two first forenames are wholly different by every test of ``_first_forename`` but
    the one that looks at the other forenames (a middle name used as the first): the engine's
    cheap test, kept in a cache by the engine (forenames repeat)."""
    if is_initial(ours) or is_initial(theirs):
        return ours[0] not in initials_of(theirs) and theirs[0] not in initials_of(ours)
    return ours != theirs and not shared_full_name(ours, theirs) and _close_level(ours, theirs, FUZZY_FORENAME) is None


def _may_be_transposed(notice: Profile, person: Profile) -> bool:
    if not (notice.forenames and notice.surnames and person.forenames):
        return False
    return crossable(notice.forenames[0], person)


def crossable(notice_forename: str, person: Profile) -> bool:
    """Whether a notice's first forename looks like the person's surname (names transposed)."""
    if not person.surnames:
        return False
    return similarity(notice_forename, person.surnames[0].joined, FUZZY_SURNAME) is not None


def _transposed(notice: Profile, person: Profile) -> NameComparison | None:
    as_surname = surname_form(notice.forenames[0].title())
    if as_surname is None:
        return None
    level, value, _previous, theirs = surname_level((as_surname,), person.surnames)
    crossed = (notice.surnames[0].joined, *notice.forenames[1:])
    forename, middle, first_value, middle_value = forename_levels(crossed, person.forenames)
    if level is Surname.DIFFERENT or forename is Forename.DIFFERENT:
        return None
    if level is not Surname.EXACT:
        value = person.surnames[0].joined  # weighed as the transposition of the person's surname
    return NameComparison(Surname.TRANSPOSED, forename, middle, value, first_value, middle_value,
                          as_surname.shown, theirs, crossed[0], person.first_forename)


def surnames_may_agree(notice: SurnameForm, person: Profile) -> bool:
    """Whether a notice's surname may agree with one of the person's in any way (exactly, in part,
    or close enough to be a slip or similar): the engine's cheap test, with ``crossable`` for the
    names the wrong way round, kept in a cache by the engine (surnames repeat)."""
    for form in person.surnames:
        names = (form.joined, *form.parts)
        if notice.joined in names or not set(notice.parts).isdisjoint(names):
            return True
        if any(similarity(notice.joined, other, FUZZY_SURNAME) for other in names):
            return True
    return False


# ---- weights -------------------------------------------------------------------------------------

def name_weights(names: NameComparison, model: Model, decade: int | None = None) -> tuple[float, float, float]:
    """The weights of the surname, first forename and middle name levels of one pair (``decade``:
    when both were born in it, forenames are as common as among people born then)."""
    freq = model.names
    surname = surname_weight(names.surname, names.surname_value, model)
    if names.surname in _NAME_LEVELS and names.forename is Forename.DIFFERENT:
        # a relative, more likely than a rare surname says
        surname = min(surname, model.adjusted("surname", names.surname, model.related))
    level = names.forename
    if level is Forename.EXACT:
        forename = model.adjusted("forename", level, freq.forename_born(names.forename_value, decade))
    elif level is Forename.NICKNAME:
        group = sum(freq.forename(name) for name in forms_of(_full_name(names)))
        forename = min(model.weight("forename", level), math.log(model.m["forename"][level] / group))
    elif level is Forename.INITIAL:
        forename = model.weight("forename", level) - math.log(freq.initial(names.person_forename[:1]) * 20)
    elif level in (Forename.TYPO, Forename.SIMILAR):
        forename = _near_miss("forename", level, freq.forename(names.forename_value), model)
    else:
        forename = model.weight("forename", level)
    if level is Forename.EXACT and names.surname in _NAME_LEVELS and names.surname is not Surname.TRANSPOSED:
        forename -= freq.full_name_excess(names.surname_value, names.forename_value)
    if names.middle is Middle.AGREE:
        middle = model.adjusted("middle", Middle.AGREE, freq.middle(names.middle_value, decade))
    else:
        middle = model.weight("middle", names.middle)
    return surname, forename, middle


def surname_weight(level: Surname, value: str, model: Model) -> float:
    """The weight of a surname level: for an agreement by how common the agreeing name (``value``)
    is, for a near miss at most what the notice's spelling would weigh; before a wholly different
    forename lowers an agreement's (``name_weights``)."""
    if level in _NAME_LEVELS:
        return model.adjusted("surname", level, model.names.surname(value))
    return _near_miss("surname", level, model.names.surname(value), model)


def _full_name(names: NameComparison) -> str:
    return shared_full_name(names.notice_forename, names.person_forename) or names.person_forename


def _near_miss(field_name: str, level: Surname | Forename, spelt: float, model: Model) -> float:
    """A slip's weight, at most what the notice's own spelling would weigh if it agreed exactly."""
    weight = model.weight(field_name, level)
    if level in (Surname.DIFFERENT, Forename.DIFFERENT):
        return weight
    return min(weight, math.log(model.m[field_name][level] / max(spelt, 1e-9)))


def surname_cap(person: Profile, model: Model) -> float:
    """The most a person's surnames can contribute (one of them agreeing exactly)."""
    freq, best = model.names, max(model.weight("surname", Surname.TYPO), model.weight("surname", Surname.SIMILAR))
    top = max(model.m_adjusted("surname", level) for level in _NAME_LEVELS)
    for form in person.surnames:
        for name in (form.joined, *form.parts):
            best = max(best, math.log(top / freq.surname(name)))
    return best


def forename_cap(person: Profile, model: Model) -> float:
    """The most a person's forenames can contribute (first and middle names agreeing)."""
    if not person.forenames:
        return 0.0
    freq, first = model.names, person.forenames[0]
    levels = [model.weight("forename", level) for level in Forename if level is not Forename.DIFFERENT]
    best = max(model.adjusted("forename", Forename.EXACT, freq.forename(first)), *levels)
    return best + middle_cap(person, model)


def middle_cap(person: Profile, model: Model) -> float:
    """The most a person's middle name can contribute, whatever the first forenames do."""
    middle = max(model.weights["middle"])
    if len(person.forenames) > 1:
        middle = max(middle, model.adjusted("middle", Middle.AGREE, model.names.forename(person.forenames[1])))
    return middle


def name_caps(person: Profile, model: Model) -> tuple[float, float]:
    """The most this person's surnames and forenames can contribute."""
    return max(surname_cap(person, model), 0.0), max(forename_cap(person, model), 0.0)
