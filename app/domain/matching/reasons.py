"""The evidence that moved a pair's score, in plain words for the person reviewing it.

Each comparison becomes one sentence ("date of birth: day and month swapped") with how much it
counted, strongest first: what speaks for the pair, then what speaks against it. Names are said to
be rare or common by how often they occur among the register and the notices together.
"""

from __future__ import annotations

from app.domain.matching.evidence import NameComparison
from app.domain.matching.frequencies import NameFrequencies
from app.domain.matching.levels import Dob, Employer, Forename, Identifier, Middle, Surname
from app.domain.matching.scoring import Assessment

DOB_WORDS = {
    Dob.EXACT: "date of birth the same",
    Dob.SWAPPED: "date of birth: day and month swapped",
    Dob.DAY: "date of birth: only the day differs",
    Dob.MONTH: "date of birth: only the month differs",
    Dob.YEAR_DIGIT: "date of birth: only the year differs, by one year or in its last digit",
    Dob.YEAR_DECADE: "date of birth: only the year differs, by one digit, decades apart",
    Dob.YEAR_ONLY: "only the year of birth is known, and it agrees",
    Dob.ONE_EDIT: "date of birth: one digit different",
    Dob.NEAR: "date of birth: within two months",
    Dob.MISSING: "no date of birth on one side: not compared",
    Dob.DIFFERENT: "date of birth differs",
}
_ID_NAMES = ("staff number", "warrant number", "PNC id")
_FULL_NAME_LEVELS = (Surname.EXACT, Surname.PREVIOUS, Surname.PART)  # as evidence.name_weights
TOGETHER = "together commoner than the two names apart"


def strength(weight: float) -> str:
    """How much one piece of evidence counted, in words."""
    size = abs(weight)
    word = "strong evidence" if size >= 6 else ("evidence" if size >= 2 else "weak evidence")
    return f"{word} {'for' if weight > 0 else 'against'}"


def how_common(frequency: float) -> str:
    """'rare: 1 in 40,000' / 'common: 1 in 90' — among the people in the register and the notices."""
    people = _round(1 / max(frequency, 1e-9))
    if people >= 5000:
        return f"rare: 1 in {people:,}"
    if people <= 300:
        return f"common: 1 in {people:,}"
    return f"1 in {people:,}"


def _round(value: float) -> int:
    if value < 100:
        return max(1, round(value))
    digits = len(str(int(value))) - 2
    return int(round(value, -digits))


def explain(a: Assessment, freq: NameFrequencies) -> tuple[str, ...]:
    """Every comparison that counted, in words, strongest evidence for first, then against."""
    items = [*_identifiers(a), *_names(a.names, a.name_weights, freq, a.decade), (a.dob_weight, DOB_WORDS[a.dob])]
    if a.employer is not Employer.NOT_STATED:
        text = ("the notice names this force as employer" if a.employer is Employer.HOME
                else "the notice names another force as employer")
        items.append((a.other_weights[3], text))
    shown = [(w, t) for w, t in items if t and (abs(w) >= 0.3 or TOGETHER in t)]  # why a full name counted little
    ordered = sorted((x for x in shown if x[0] > 0), key=lambda x: -x[0]) + sorted(
        (x for x in shown if x[0] < 0), key=lambda x: x[0])
    return tuple(f"{text} ({strength(weight)})" for weight, text in ordered)


def _identifiers(a: Assessment) -> list[tuple[float, str]]:
    items = []
    for name, level, weight in zip(_ID_NAMES, a.ids, a.other_weights[:3], strict=True):
        if level is Identifier.AGREE:
            items.append((weight, f"{name} the same"))
        elif level is Identifier.CONFLICT:
            items.append((weight, f"{name} differs"))
    return items


def _names(n: NameComparison, weights: tuple[float, float, float], freq: NameFrequencies,
           decade: int | None = None) -> list[tuple[float, str]]:
    return [(weights[0], surname_words(n, freq)), (weights[1], forename_words(n, freq, decade)),
            (weights[2], middle_words(n, freq, decade))]


def _rarity_born(freq: NameFrequencies, name: str, decade: int | None) -> str:
    """How common a forename is, among people born in the pair's decade when it is commoner there."""
    overall, born = freq.forename(name), freq.forename_born(name, decade)
    if decade is not None and born > overall:
        return f"{how_common(born)} among people born in the {decade * 10}s"
    return how_common(overall)


def surname_words(n: NameComparison, freq: NameFrequencies) -> str:
    pair = f"{n.notice_surname} / {n.person_surname}"
    rarity = how_common(freq.surname(n.surname_value))
    return {
        Surname.EXACT: f"surname the same ({n.person_surname}, {rarity})",
        Surname.PREVIOUS: f"surname the same as their previous name {n.previous_name} ({rarity})",
        Surname.PART: f"surnames share {n.surname_value.title()}: hyphenated or double-barrelled ({pair})",
        Surname.TYPO: f"surnames almost identical ({pair}: one letter different)",
        Surname.SIMILAR: f"surnames similar ({pair})",
        Surname.TRANSPOSED: f"forename and surname the wrong way round ({n.notice_surname} as a forename)",
        Surname.DIFFERENT: f"surname differs ({pair})",
    }[n.surname]


def forename_words(n: NameComparison, freq: NameFrequencies, decade: int | None = None) -> str:
    ours, theirs = n.notice_forename.title(), n.person_forename.title()
    pair = f"{ours} / {theirs}"
    excess = (freq.full_name_excess(n.surname_value, n.forename_value)
              if n.forename is Forename.EXACT and n.surname in _FULL_NAME_LEVELS else 0.0)
    together = f" — {theirs} {n.surname_value.title()} {TOGETHER}" if excess else ""  # never "; ": it parts reasons
    return {
        Forename.EXACT: f"forename the same ({theirs}, {_rarity_born(freq, n.forename_value, decade)}{together})",
        Forename.NICKNAME: f"forenames are two forms of one name ({pair})",
        Forename.TYPO: f"forenames almost identical ({pair}: one letter different)",
        Forename.SIMILAR: f"forenames similar ({pair})",
        Forename.MIDDLE: f"the notice's forename {ours} is another of their forenames",
        Forename.INITIAL: f"only initials given, and they agree ({pair})",
        Forename.DIFFERENT: f"forename differs ({pair})",
    }[n.forename]


def middle_words(n: NameComparison, freq: NameFrequencies, decade: int | None = None) -> str:
    if n.middle is Middle.AGREE:
        among = freq.middle(n.middle_value, decade)
        rarity = (f"{how_common(among)} as a middle name" if among > freq.forename_born(n.middle_value, decade)
                  else _rarity_born(freq, n.middle_value, decade))
        return f"middle name the same ({n.middle_value.title()}, {rarity})"
    if n.middle is Middle.INITIAL:
        return "middle initial agrees"
    if n.middle is Middle.DIFFERENT:
        return "middle name differs"
    return ""
