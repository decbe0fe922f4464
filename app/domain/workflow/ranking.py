"""RFGV harm ranking of subjects (DOMAIN.md §5; MATAC's Recency, Frequency, Gravity, Victims).

Each factor scores 1-5 points (0 for frequency when nothing is recent); the score is the
weighted sum with the RFGV_WEIGHT_* policies. The point bands and the gravity table below are
ILLUSTRATIVE, as are the shipped weights: the real MATAC matrices are not public.
- Recency: latest allegation <= 6 months ago 5, <= 12: 4, <= 24: 3, <= 36: 2, older 1.
- Frequency: allegations in the last 3 years, at most 5.
- Gravity: the gravest allegation (table below), +1 for a weapon or HIGH DASH risk, at most 5.
- Victims: distinct victims over all allegations, at most 5.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.domain.calendar import add_months, add_years
from app.domain.enums import AbuseType, AggravatingFeature, DashRisk
from app.domain.policy import PolicyName, PolicySet, default_values
from app.domain.workflow.flags import AllegationSummary, by_subject

GRAVITY_POINTS: dict[AbuseType, int] = {  # illustrative
    AbuseType.NON_FATAL_STRANGULATION: 5,
    AbuseType.SEXUAL: 5,
    AbuseType.PHYSICAL: 4,
    AbuseType.THREATS: 3,
    AbuseType.STALKING_HARASSMENT: 3,
    AbuseType.COERCIVE_CONTROL: 3,
    AbuseType.TECHNOLOGY_FACILITATED: 2,
    AbuseType.ECONOMIC: 2,
    AbuseType.EMOTIONAL_PSYCHOLOGICAL: 2,
}
_RECENCY_BANDS = ((6, 5), (12, 4), (24, 3), (36, 2))
_WEIGHTS = (PolicyName.RFGV_WEIGHT_RECENCY, PolicyName.RFGV_WEIGHT_FREQUENCY,
            PolicyName.RFGV_WEIGHT_GRAVITY, PolicyName.RFGV_WEIGHT_VICTIMS)


@dataclass(frozen=True)
class HarmScore:
    subject_id: int
    score: float
    recency: int
    frequency: int
    gravity: int
    victims: int
    explanation: str


def recency_points(latest: date, today: date) -> int:
    for months, points in _RECENCY_BANDS:
        if latest >= add_months(today, -months):
            return points
    return 1


def gravity_of(s: AllegationSummary) -> tuple[int, str]:
    if not s.abuse_types:
        return 1, "no abuse type recorded"
    worst = max(s.abuse_types, key=lambda t: (GRAVITY_POINTS[t], t.name))
    points, why = GRAVITY_POINTS[worst], worst.name.lower().replace("_", " ")
    if AggravatingFeature.WEAPON in s.aggravating_features or s.dash_risk == DashRisk.HIGH:
        points, why = points + 1, why + (" with a weapon" if AggravatingFeature.WEAPON in
                                         s.aggravating_features else ", HIGH DASH risk")
    return min(points, 5), why


def _illustrative(policies: PolicySet, today: date) -> bool:
    shipped = {v.name: v.value for v in default_values()}
    return all(policies.float_on(n, today) == shipped[n] for n in _WEIGHTS)


def score_subject(subject_id: int, allegations: list[AllegationSummary], policies: PolicySet,
                  today: date) -> HarmScore:
    latest = max(s.when for s in allegations)
    r = recency_points(latest, today)
    f = min(5, sum(1 for s in allegations if s.when >= add_years(today, -3)))
    g, why = max(gravity_of(s) for s in allegations)
    v = min(5, len({k for s in allegations for k in s.victim_keys}))
    w = [policies.float_on(n, today) for n in _WEIGHTS]
    score = round(w[0] * r + w[1] * f + w[2] * g + w[3] * v, 2)
    text = (f"R {r} (latest {latest.isoformat()}) x{w[0]:g} + F {f} (allegations in 3 years) "
            f"x{w[1]:g} + G {g} ({why}) x{w[2]:g} + V {v} (victims) x{w[3]:g} = {score:g}")
    if _illustrative(policies, today):
        text += " [illustrative weights]"
    return HarmScore(subject_id, score, r, f, g, v, text)


def harm_ranking(summaries: Iterable[AllegationSummary], policies: PolicySet, today: date) -> list[HarmScore]:
    """Subjects by harm, highest first (ties by subject id), each score explained."""
    scores = [score_subject(pid, own, policies, today) for pid, own in by_subject(summaries).items()]
    return sorted(scores, key=lambda h: (-h.score, h.subject_id))
