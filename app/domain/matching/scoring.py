"""The evidence one notice and one register person give that they are the same individual.

Each field shows one comparison level (``levels``); the model gives each level a weight, log(m/u),
adjusted for how common an agreeing name is. The prior log-odds plus the weights is the pair's
log-odds, turned into a score between 0 and 1 by the logistic function: the chance that the pair is
the same person, if the model's assumptions hold (``decisions`` then shares it among rivals).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.domain.matching.evidence import NameComparison, compare_names, name_weights
from app.domain.matching.levels import Dob, Employer, Forename, Identifier, Surname
from app.domain.matching.parameters import Model
from app.domain.matching.profiles import Profile


@dataclass(frozen=True, slots=True)
class Assessment:
    """One pair's comparison vector, its weights and its log-odds."""

    log_odds: float
    names: NameComparison
    name_weights: tuple[float, float, float]
    dob: Dob
    dob_weight: float
    ids: tuple[Identifier, Identifier, Identifier]  # staff, warrant, PNC
    employer: Employer
    other_weights: tuple[float, float, float, float]  # staff, warrant, PNC, employer
    identified: bool  # an exact identifier agrees
    names_agree: bool
    conflict: bool  # an identifier that should agree does not
    decade: int | None = None  # both born in it: forenames were as common as among people born then

    @property
    def dated(self) -> bool:
        """Whether a whole date of birth was compared (not missing, not just a year)."""
        return self.dob not in (Dob.MISSING, Dob.YEAR_ONLY)

    @property
    def may_be_automatic(self) -> bool:
        """Whether the pair may be proposed as a match without a person looking first: not when the
        date of birth is missing, only a year, or decades out, nor when a name wholly differs (a
        twin, a sibling, a father and son of the same name, a surname the register does not know)."""
        return (self.dated and self.dob is not Dob.YEAR_DECADE and self.names.forename is not Forename.DIFFERENT
                and self.names.surname is not Surname.DIFFERENT)


def logistic(log_odds: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, log_odds))))


def logit(probability: float) -> float:
    probability = min(max(probability, 1e-12), 1 - 1e-12)
    return math.log(probability / (1 - probability))


_SAME_GENERATION = frozenset({Dob.EXACT, Dob.SWAPPED, Dob.DAY, Dob.MONTH, Dob.YEAR_DIGIT, Dob.ONE_EDIT, Dob.NEAR,
                              Dob.YEAR_ONLY})


def born_in(person: Profile, dob: Dob) -> int | None:
    """The decade both sides of a pair were born in, when their dates of birth put them in one: a
    forename is then as common as it is among people born in it."""
    return person.dob.year // 10 if person.dob is not None and dob in _SAME_GENERATION else None


def identifier_levels(notice: Profile, person: Profile) -> tuple[Identifier, Identifier, Identifier]:
    staff = _level(notice.staff, person.staff)
    warrant = _level(notice.warrant, person.warrant)
    if notice.pnc and person.pnc:
        pnc = Identifier.CONFLICT if notice.pnc.isdisjoint(person.pnc) else Identifier.AGREE
    else:
        pnc = Identifier.NOT_COMPARED
    return staff, warrant, pnc


def _level(ours: str | None, theirs: str | None) -> Identifier:
    if not ours or not theirs:
        return Identifier.NOT_COMPARED
    return Identifier.AGREE if ours == theirs else Identifier.CONFLICT


def employer_level(notice: Profile) -> Employer:
    if notice.employer_is_home:
        return Employer.HOME
    return Employer.OTHER if notice.employer else Employer.NOT_STATED


def assess(
    notice: Profile, person: Profile, model: Model, dob: Dob, caps: tuple[float, float], floor: float
) -> Assessment | None:
    """All the evidence for one pair, or None when it cannot reach ``floor`` (log-odds).

    ``caps`` are the most the person's surnames and forenames could add (``evidence.name_caps``);
    they let hopeless pairs be dropped before the slower name comparisons.
    """
    ids = identifier_levels(notice, person)
    employer = employer_level(notice)
    others = (model.weight("staff", ids[0]), model.weight("warrant", ids[1]), model.weight("pnc", ids[2]),
              model.weight("employer", employer))
    dob_weight = model.weight("dob", dob)
    base = model.prior_log_odds + dob_weight + sum(others)
    identified = Identifier.AGREE in ids
    if not identified and base + caps[0] + caps[1] < floor:
        return None
    names = compare_names(notice, person)
    decade = born_in(person, dob)
    weights = name_weights(names, model, decade)
    log_odds = base + sum(weights)
    if not identified and log_odds < floor:
        return None
    # two of surname, forename and date of birth must agree for an identifier to decide alone: a
    # mistyped number can be another person's, who may share a similar surname by chance
    names_agree = (names.surname is not Surname.DIFFERENT) + (names.forename is not Forename.DIFFERENT) + (
        dob not in (Dob.DIFFERENT, Dob.YEAR_DECADE, Dob.MISSING)) >= 2
    conflict = Identifier.CONFLICT in ids
    return Assessment(
        log_odds, names, weights, dob, dob_weight, ids, employer, others, identified, names_agree, conflict, decade
    )
