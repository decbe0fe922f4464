"""The plain records that go into and come out of the matching engine (DOMAIN.md §4)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from app.domain.enums import MatchDecision


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """One member of the home force's workforce, current or former."""

    person_id: int
    staff_number: str
    surname: str
    forenames: str
    date_of_birth: date | None
    warrant_number: str | None = None
    previous_names: tuple[str, ...] = ()  # full names, e.g. ("Jane Smith", "Jane Doe-Smith")
    pnc_ids: tuple[str, ...] = ()  # PNC ids of notices already confirmed as this person


class NoticeEntry(NamedTuple):
    """The identifying part of one inbound prior notice, as the issuer recorded it (a named tuple:
    a data wash makes a million of them, twice as fast as a frozen dataclass)."""

    key: int  # database id of the notice
    notice_id: str  # issuer's reference
    issuing_force: str  # force code, or PND / COLLEGE_BARRED_LIST / COLLEGE_ADVISORY_LIST
    surname: str
    forenames: str
    date_of_birth: date | None = None
    staff_number: str | None = None
    warrant_number: str | None = None
    pnc_id: str | None = None
    employing_force: str | None = None
    dob_year_only: bool = False  # the issuer knew only the year of birth (date_of_birth is 1 January)


@dataclass(frozen=True)
class Thresholds:
    """Score cut-offs: at/above ``match`` a match is proposed; from ``review`` it goes to review.

    A score is the chance, under the matching model, that the pair is the same person (calibrated:
    of pairs scored 0.9, about 9 in 10 are). From 0.9 a match is proposed; from 0.01 — a one-in-a-hundred
    chance — a person looks: on both evaluation generators that finds about 98 in 100 true notices
    or more (0.9798 on the worst held-back set) with fewer review rows than true matches
    (``docs/benchmarks.md``, matching: the calibration table and the review-threshold sweep). A
    force sets its own in the policy MATCH_REVIEW_THRESHOLD.
    """

    match: float = 0.9
    review: float = 0.01

    def __post_init__(self) -> None:
        if not 0.0 < self.review < self.match <= 1.0:
            raise ValueError("thresholds must satisfy 0 < review < match <= 1")

    @property
    def review_ceiling(self) -> float:
        """The highest score a pair that must be reviewed can show: just below ``match``."""
        return max(self.review, (math.ceil(self.match * 1000) - 1) / 1000)

    def decide(self, score: float) -> MatchDecision | None:
        if score >= self.match:
            return MatchDecision.MATCH
        if score >= self.review:
            return MatchDecision.REVIEW
        return None


@dataclass(frozen=True, slots=True)
class Candidate:
    """One proposed pairing of a notice with a register person, with the reasons for it."""

    notice_key: int
    person_id: int
    score: float  # 0..1, rounded to 3 dp
    decision: MatchDecision
    reasons: tuple[str, ...]
