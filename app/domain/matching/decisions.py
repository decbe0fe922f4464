"""From evidence to a decision: MATCH, REVIEW or not listed (DOMAIN.md §4)."""

from __future__ import annotations

from dataclasses import replace

from app.domain.enums import MatchDecision
from app.domain.matching.model import Candidate, Thresholds
from app.domain.matching.scoring import Assessment, logistic


def to_candidate(
    notice_key: int, person_id: int, result: Assessment, thresholds: Thresholds
) -> Candidate | None:
    """Score and decide one pair.

    An agreeing staff or warrant number decides at once (score 1), unless the names and DOB
    flatly disagree or another identifier conflicts: then the pair goes to review, never further.
    """
    reasons = result.reasons
    if result.identified and result.names_agree and not result.conflict:
        return Candidate(notice_key, person_id, 1.0, MatchDecision.MATCH, reasons)
    score = round(logistic(result.log_odds), 3)
    if result.identified and not result.names_agree:
        reasons += ("identifier agrees but names and DOB do not: check before confirming",)
        score = max(score, thresholds.review)
    if result.identified or result.conflict:
        score = min(score, thresholds.review_ceiling)
    decision = thresholds.decide(score)
    return None if decision is None else Candidate(notice_key, person_id, score, decision, reasons)


def settle(found: list[tuple[Candidate, bool]], thresholds: Thresholds) -> list[Candidate]:
    """A notice concerns one person: if several would be proposed, they all go to review instead.

    ``found`` pairs each candidate of one notice with whether an exact identifier picked it; a
    single identifier match keeps its MATCH.
    """
    matches = [c for c, _ in found if c.decision is MatchDecision.MATCH]
    if len(matches) < 2:
        return sorted((c for c, _ in found), key=rank)
    by_identifier = [c for c, identified in found if identified and c.decision is MatchDecision.MATCH]
    keep = by_identifier[0] if len(by_identifier) == 1 else None
    note = (
        "the notice's staff or warrant number points to another person"
        if keep
        else f"ambiguous: {len(matches)} register people fit this notice"
    )
    settled = [
        c
        if c.decision is not MatchDecision.MATCH or c is keep
        else replace(
            c,
            score=min(c.score, thresholds.review_ceiling),
            decision=MatchDecision.REVIEW,
            reasons=(*c.reasons, note),
        )
        for c, _ in found
    ]
    return sorted(settled, key=rank)


def rank(candidate: Candidate) -> tuple[float, int, int]:
    return (-candidate.score, candidate.notice_key, candidate.person_id)
