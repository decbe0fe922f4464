"""Flags on a person (DOMAIN.md §5), over plain allegation summaries of any number of cases.

- REPEAT: allegations in two or more cases, whatever their outcome (withdrawn and no further
  action count). Allegations without a case reference count as separate cases.
- SERIAL: two allegations, SERIAL_WINDOW_YEARS (3) or less apart, with different victims.
  Victims are compared by `victim_keys`: give a force-wide key where one exists, otherwise
  "case_ref/victim_ref" (a victim reference is only unique within its case).
- PRIOR_NOTICE: a confirmed prior-notice match (person ids given by the caller).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from app.domain.calendar import add_years
from app.domain.enums import AbuseType, AggravatingFeature, DashRisk
from app.domain.policy import PolicyName, PolicySet


@dataclass(frozen=True)
class AllegationSummary:
    subject_id: int
    recorded_date: date
    victim_keys: tuple[str, ...]
    abuse_types: frozenset[AbuseType] = frozenset()
    aggravating_features: frozenset[AggravatingFeature] = frozenset()
    dash_risk: DashRisk | None = None
    case_ref: str = ""
    allegation_id: int | None = None
    conduct_date: date | None = None

    @property
    def when(self) -> date:
        return self.conduct_date or self.recorded_date


@dataclass(frozen=True)
class PersonFlags:
    subject_id: int
    repeat: bool
    serial: bool
    prior_notice: bool
    reasons: tuple[str, ...]


def by_subject(summaries: Iterable[AllegationSummary]) -> dict[int, list[AllegationSummary]]:
    grouped: dict[int, list[AllegationSummary]] = defaultdict(list)
    for s in summaries:
        grouped[s.subject_id].append(s)
    return dict(grouped)


def repeat_reason(allegations: list[AllegationSummary]) -> str | None:
    cases = {s.case_ref or f"#{i}" for i, s in enumerate(allegations)}
    if len(cases) < 2:
        return None
    return f"repeat: PPDA allegations in {len(cases)} cases"


def serial_reason(allegations: list[AllegationSummary], window_years: int) -> str | None:
    for a, b in combinations(sorted(allegations, key=lambda s: s.when), 2):
        if b.when > add_years(a.when, window_years):
            continue
        pairs = [(va, vb) for va in a.victim_keys for vb in b.victim_keys if va != vb]
        if pairs:
            return (f"serial: different victims on {a.when.isoformat()} and {b.when.isoformat()}, "
                    f"within {window_years} years")
    return None


def person_flags(summaries: Iterable[AllegationSummary], policies: PolicySet, on: date,
                 confirmed_notice_person_ids: Collection[int] = ()) -> dict[int, PersonFlags]:
    """The flags of every subject in `summaries` (plus people with confirmed notices only)."""
    window = policies.int_on(PolicyName.SERIAL_WINDOW_YEARS, on)
    grouped = by_subject(summaries)
    result = {}
    for pid in sorted(set(grouped) | set(confirmed_notice_person_ids)):
        own = grouped.get(pid, [])
        reasons = [r for r in (repeat_reason(own), serial_reason(own, window)) if r]
        notice = pid in confirmed_notice_person_ids
        if notice:
            reasons.append("confirmed prior notice from another force or the PND")
        result[pid] = PersonFlags(pid, repeat_reason(own) is not None,
                                  serial_reason(own, window) is not None, notice, tuple(reasons))
    return result
