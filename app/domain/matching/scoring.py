"""The evidence one notice and one register person give that they are the same individual.

Each field contributes a weight, log(m/u): m is how often the field looks like this when the two
records are the same person, u how often it does for two different people (Fellegi and Sunter).
Name weights (``evidence``) use the frequencies of the names, so agreeing on a rare name counts
more. The sum, plus the prior log-odds, is turned into a score between 0 and 1 by the logistic
function: roughly the chance that the pair is the same person, in a data wash where about one
notice in a hundred concerns a member of the register.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.domain.matching.dates import DobAgreement, describe
from app.domain.matching.evidence import name_evidence
from app.domain.matching.frequencies import NameFrequencies
from app.domain.matching.profiles import Profile

# Prior log-odds that a notice and a given register person are the same individual: about one
# notice in a hundred concerns someone in a register of tens of thousands of people.
PRIOR = -15.0
DOB_WEIGHTS = {
    DobAgreement.EXACT: 9.6,  # m 0.9, u 1/16,000 (birth dates spread over ~45 years)
    DobAgreement.SWAPPED: 6.8,  # m 0.02, u ~2e-5
    DobAgreement.SLIP: 2.7,  # m 0.03, u ~2e-3 (a date has ~40 one-slip neighbours)
    DobAgreement.MISSING: 0.0,
    DobAgreement.DIFFERENT: -5.3,
}
EMPLOYER_HOME_WEIGHT = 3.0  # the issuer believes the person works (or worked) here: m 0.2, u 0.01
IDENTIFIER_WEIGHT = 11.0
CONFLICT_WEIGHT = -4.0  # a staff or warrant number that should agree and does not


@dataclass(frozen=True, slots=True)
class Assessment:
    log_odds: float
    reasons: tuple[str, ...]
    identified: bool  # an exact identifier (staff or warrant number) agrees
    names_agree: bool
    conflict: bool  # an identifier that should agree does not


def logistic(log_odds: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, log_odds))))


def logit(probability: float) -> float:
    probability = min(max(probability, 1e-12), 1 - 1e-12)
    return math.log(probability / (1 - probability))


def assess(
    notice: Profile,
    person: Profile,
    freq: NameFrequencies,
    dob: DobAgreement,
    caps: tuple[float, float],
    floor: float,
) -> Assessment | None:
    """All the evidence for one pair, or None when it cannot reach ``floor`` (log-odds).

    ``caps`` are the most the person's surnames and forenames could add (``evidence.name_caps``);
    they let hopeless pairs be dropped before the slower name comparisons.
    """
    matched, conflicts = identifier_evidence(notice, person)
    base = PRIOR + DOB_WEIGHTS[dob] + (EMPLOYER_HOME_WEIGHT if notice.employer_is_home else 0.0)
    base += IDENTIFIER_WEIGHT * len(matched) + CONFLICT_WEIGHT * len(conflicts)
    unidentified = not matched
    if unidentified and base + caps[0] + caps[1] < floor:
        return None
    names = name_evidence(notice, person, freq, floor - base - caps[1] if unidentified else None)
    if names is None:
        return None
    surname, forename = names
    log_odds = base + surname.weight + forename.weight
    if unidentified and log_odds < floor:
        return None
    reasons = [f"{label} identical ({_employer_note(notice)})" for label in matched]
    if notice.employer_is_home:
        reasons.append(f"notice names {notice.employer} as employer")
    reasons += [surname.reason, forename.reason, describe(dob)]
    reasons += [f"{label} differs" for label in conflicts]
    names_agree = surname.agrees or (forename.agrees and dob in (DobAgreement.EXACT, DobAgreement.SWAPPED))
    return Assessment(log_odds, tuple(reasons), bool(matched), names_agree, bool(conflicts))


def identifier_evidence(notice: Profile, person: Profile) -> tuple[list[str], list[str]]:
    matched: list[str] = []
    conflicts: list[str] = []
    for label, ours, theirs in (
        ("staff number", person.staff, notice.staff),
        ("warrant number", person.warrant, notice.warrant),
    ):
        if ours and theirs:
            (matched if ours == theirs else conflicts).append(label)
    return matched, conflicts


def _employer_note(notice: Profile) -> str:
    return "employing force is home force" if notice.employer_is_home else "employing force not stated"
