"""From evidence to a decision: MATCH, REVIEW or not listed (DOMAIN.md §4)."""

from __future__ import annotations

import math

from app.domain.enums import MatchDecision
from app.domain.matching.model import Candidate, Thresholds
from app.domain.matching.scoring import Assessment, logistic


def decide_notice(
    notice_key: int, found: list[tuple[int, Assessment]], thresholds: Thresholds
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
        note = f"ambiguous: {len(found)} register people fit this notice" if crowded else None
        candidate = to_candidate(notice_key, person_id, result, thresholds, share, note)
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
    share: float | None = None,
    note: str | None = None,
) -> Candidate | None:
    """Score and decide one pair (``share``: its score among rivals, if not ``logistic(log_odds)``).

    An agreeing staff or warrant number decides at once (score 1), unless the names and DOB
    flatly disagree or another identifier conflicts: then the pair goes to review, never further.
    """
    reasons = result.reasons if note is None else (*result.reasons, note)
    if result.identified and result.names_agree and not result.conflict:
        return Candidate(notice_key, person_id, 1.0, MatchDecision.MATCH, reasons)
    score = round(logistic(result.log_odds) if share is None else share, 3)
    if result.identified and not result.names_agree:
        reasons += ("identifier agrees but names and DOB do not: check before confirming",)
        score = max(score, thresholds.review)
    if result.identified or result.conflict:
        score = min(score, thresholds.review_ceiling)
    decision = thresholds.decide(score)
    return None if decision is None else Candidate(notice_key, person_id, score, decision, reasons)


def rank(candidate: Candidate) -> tuple[float, int, int]:
    return (-candidate.score, candidate.notice_key, candidate.person_id)
