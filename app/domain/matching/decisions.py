"""From evidence to a decision: MATCH, REVIEW or not listed (DOMAIN.md §4)."""

from __future__ import annotations

import math

from app.domain.enums import MatchDecision
from app.domain.matching.frequencies import NameFrequencies
from app.domain.matching.levels import Dob
from app.domain.matching.model import Candidate, Thresholds
from app.domain.matching.reasons import explain
from app.domain.matching.scoring import Assessment, logistic


def decide_notice(
    notice_key: int, found: list[tuple[int, Assessment]], thresholds: Thresholds, freq: NameFrequencies
) -> list[Candidate]:
    """Score and decide the register people one notice may concern, best first.

    A notice concerns one person at most, so the people it fits share the chance between them:
    a second person who fits a little is not listed beside one who fits very well, and two who fit
    equally well (twins, a notice with initials only) both go to review rather than being proposed.
    ``found`` pairs each person id with the evidence for it.
    """
    shares = _shares([result.log_odds for _, result in found])
    candidates = []
    for (person_id, result), share in zip(found, shares, strict=True):
        alone = logistic(result.log_odds)
        crowded = share < thresholds.match <= alone
        note = (
            f"{len(found)} people in the register fit this notice: the chance is shared between them"
            if crowded
            else None
        )
        candidate = to_candidate(notice_key, person_id, result, thresholds, freq, share, note)
        if candidate is not None:
            candidates.append(candidate)
    return sorted(candidates, key=rank)


def _shares(log_odds: list[float]) -> list[float]:
    """P(the notice is about person i) when it is about at most one of them: odds_i / (1 + sum)."""
    top = max([0.0, *log_odds])
    weights = [math.exp(value - top) for value in log_odds]
    total = math.exp(-top) + sum(weights)
    return [weight / total for weight in weights]


def to_candidate(
    notice_key: int,
    person_id: int,
    result: Assessment,
    thresholds: Thresholds,
    freq: NameFrequencies,
    share: float | None = None,
    note: str | None = None,
) -> Candidate | None:
    """Score and decide one pair (``share``: its score among rivals, if not ``logistic(log_odds)``).

    An agreeing staff, warrant or PNC number decides at once (score 1), unless the names and DOB
    flatly disagree or another identifier conflicts: then the pair goes to review, never further.
    Without a whole date of birth on both sides, with one decades out or a wholly different name, a
    pair goes to review at most: a person looks first (``Assessment.may_be_automatic``). The score
    itself is never changed to say so: it stays the model's chance that the pair is one person.
    """
    if result.identified and result.names_agree and not result.conflict:
        return Candidate(notice_key, person_id, 1.0, MatchDecision.MATCH, explain(result, freq))
    score = round(logistic(result.log_odds) if share is None else share, 3)
    extra: list[str] = [note] if note else []
    if result.identified and not result.names_agree:
        extra.append("an identifier agrees but the names and date of birth do not: check before confirming")
        score = max(score, thresholds.review)
    decision = thresholds.decide(score)
    if decision is None:
        return None
    held = _held_back(result)
    if decision is MatchDecision.MATCH and held:  # the score stays what it is; a person looks first
        decision = MatchDecision.REVIEW
        extra.append(f"not proposed as a match without a person looking: {held}")
    return Candidate(notice_key, person_id, score, decision, (*explain(result, freq), *extra))


def _held_back(result: Assessment) -> str | None:
    """Why a pair may not be proposed as a match however high its score, if it may not."""
    if result.identified or result.conflict:
        return "an identifier recorded on both sides differs" if result.conflict else "the names do not agree"
    if result.may_be_automatic:
        return None
    if not result.dated:
        return "no whole date of birth to compare"
    if result.dob is Dob.YEAR_DECADE:
        return "the years of birth are decades apart"
    return "a name differs wholly (a relative, or a name the register does not hold)"


def rank(candidate: Candidate) -> tuple[float, int, int]:
    return (-candidate.score, candidate.notice_key, candidate.person_id)
