"""The outcome breakdowns of DOMAIN.md §6, computed from counted allegations.

Breakdown tables count allegations (an allegation has one quarter, one rank at the time, several
abuse types...), with the distinct individuals alongside; each allegation's outcomes are the survey
buckets of `counting.allegation_buckets`, so these tables and the survey return agree.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from itertools import chain
from operator import attrgetter, itemgetter

from app.domain.enums import (
    AbuseType,
    AgeBand,
    Ethnicity,
    IopcDecision,
    RestrictionOption,
    Sex,
    WorkforceType,
)
from app.reports.counting import BUCKETS, Bucket, CountedAllegation, count_period, individuals_by_bucket
from app.reports.read_models import HOME, IOPC, AllegationFact, Period, ReturnContext

NOT_RECORDED = "Not recorded"
NOT_REFERRED = "NOT_REFERRED"
AWAITING_DECISION = "AWAITING_IOPC_DECISION"
BODY_INTERNAL = "Internal: home force"
BODY_OTHER_FORCE = "External: another force"
BODY_IOPC = "External: IOPC"
BODY_UNDECIDED = "Not yet decided"


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    allegations: int
    individuals: int
    outcomes: tuple[int, ...]
    """Allegations with each bucket, in `BUCKETS` order."""

    def outcome(self, bucket: Bucket) -> int:
        return self.outcomes[BUCKETS.index(bucket)]


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    dimension: str
    rows: tuple[BreakdownRow, ...]
    total: BreakdownRow
    multi_valued: bool = False
    """True when an allegation can count in several rows (abuse types): rows sum to more than the total."""

    def row(self, label: str) -> BreakdownRow:
        return next(r for r in self.rows if r.label == label)


Labeller = Callable[[AllegationFact], Iterable[str]]
"""The categories (plain strings) an allegation falls in."""


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    dimension: str
    labels: Labeller
    fixed: tuple[str, ...] = ()
    """Categories always listed (in this order), even with no allegations."""
    multi_valued: bool = False


def _one(value: str | None) -> tuple[str, ...]:
    """`(value,)` as a plain str (labels are hashed a lot; an enum member hashes in Python)."""
    return (NOT_RECORDED,) if value is None or value == "" else (str(value),)


def investigation_mode_label(f: AllegationFact) -> str:
    if f.investigation_mode is not None:
        return str(f.investigation_mode)
    return AWAITING_DECISION if f.iopc_referred else NOT_REFERRED


def investigating_body_label(f: AllegationFact) -> str:
    body = f.investigating_body
    if body is None:
        return BODY_UNDECIDED
    if body == HOME:
        return BODY_INTERNAL
    return BODY_IOPC if body == IOPC else BODY_OTHER_FORCE


def quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarter_label(start: date) -> str:
    months = ("Jan–Mar", "Apr–Jun", "Jul–Sep", "Oct–Dec")
    return f"{months[(start.month - 1) // 3]} {start.year}"


def quarters(period: Period) -> tuple[str, ...]:
    labels = []
    q = quarter_start(period.start)
    while q <= period.end:
        labels.append(quarter_label(q))
        q = date(q.year + (q.month == 10), (q.month + 2) % 12 + 1, 1)
    return tuple(labels)


def _names(enum: type[StrEnum], extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(map(str, enum)) + extra


@lru_cache(maxsize=512)
def _quarter_of(day: date) -> str:
    return quarter_label(quarter_start(day))


def dimensions(period: Period) -> tuple[Dimension, ...]:
    """The breakdowns of DOMAIN.md §6, in the order the workbook and report show them."""
    return (
        Dimension("workforce_type", "Outcomes by workforce type", "Workforce type",
                  lambda f: (str(f.workforce_type),), _names(WorkforceType)),
        Dimension("rank", "Outcomes by rank or grade", "Rank or grade", lambda f: _one(f.rank_or_grade)),
        Dimension("abuse_type", "Outcomes by abuse type", "Abuse type",
                  lambda f: tuple(map(str, f.abuse_types)) or (NOT_RECORDED,), _names(AbuseType),
                  multi_valued=True),
        Dimension("investigation_mode", "Outcomes by investigation mode", "Investigation mode",
                  lambda f: (investigation_mode_label(f),),
                  (NOT_REFERRED, AWAITING_DECISION, *_names(IopcDecision))),
        Dimension("investigating_body", "Outcomes by investigating body", "Investigating body",
                  lambda f: (investigating_body_label(f),),
                  (BODY_INTERNAL, BODY_OTHER_FORCE, BODY_IOPC, BODY_UNDECIDED)),
        Dimension("quarter", "Outcomes by quarter recorded", "Quarter recorded",
                  lambda f: (_quarter_of(f.recorded_date),), quarters(period)),
        Dimension("sex", "Outcomes by sex of subject", "Sex", lambda f: _one(f.sex),
                  _names(Sex, (NOT_RECORDED,))),
        Dimension("ethnicity", "Outcomes by ethnicity of subject", "Ethnicity",
                  lambda f: _one(f.ethnicity), _names(Ethnicity, (NOT_RECORDED,))),
        Dimension("age_band", "Outcomes by age band of subject", "Age band at recording",
                  lambda f: (str(f.age_band),), _names(AgeBand)),
    )  # fmt: skip


@dataclass(frozen=True)
class _Columns:
    """The counted allegations as parallel lists, built once for all the breakdowns."""

    facts: list[AllegationFact]
    subjects: list[int]
    buckets: list[frozenset[Bucket]]

    @classmethod
    def of(cls, counted: Sequence[CountedAllegation]) -> _Columns:
        return cls(
            [c.fact for c in counted], list(map(_SUBJECT_OF, counted)), list(map(_BUCKETS_OF, counted))
        )


def breakdown(
    counted: Sequence[CountedAllegation],
    dim: Dimension,
    total: BreakdownRow | None = None,
    columns: _Columns | None = None,
) -> Breakdown:
    """One table: a row per category (fixed ones first, in order; others biggest first).

    Counts (category, outcome set) and (category, subject) pairs rather than looping per
    allegation and bucket: there are few distinct pairs, so 100,000 allegations are quick.
    """
    cols = columns or _Columns.of(counted)
    subjects, buckets = cols.subjects, cols.buckets
    if dim.multi_valued:
        pairs = [(label, i) for i, f in enumerate(cols.facts) for label in dim.labels(f)]
        labels = [label for label, _ in pairs]
        subjects = [subjects[i] for _, i in pairs]
        buckets = [buckets[i] for _, i in pairs]
    else:
        labels = [label for (label,) in map(dim.labels, cols.facts)]
    allegations: Counter[str] = Counter()
    outcomes: dict[str, Counter[Bucket]] = {}
    for (label, bucket_set), n in Counter(zip(labels, buckets, strict=True)).items():
        allegations[label] += n
        tally = outcomes.setdefault(label, Counter())
        for b in bucket_set:
            tally[b] += n
    people = Counter(map(_FIRST, set(zip(labels, subjects, strict=True))))
    fixed = set(dim.fixed)
    extra = sorted(
        (k for k in allegations if k not in fixed), key=lambda k: (k == NOT_RECORDED, -allegations[k], k)
    )
    rows = tuple(
        BreakdownRow(str(k), allegations[k], people[k], tuple(outcomes.get(k, Counter())[b] for b in BUCKETS))
        for k in (*dim.fixed, *extra)
    )
    return Breakdown(dim.key, dim.title, dim.dimension, rows, total or total_row(counted), dim.multi_valued)


_FIRST = itemgetter(0)
_BUCKETS_OF = attrgetter("buckets")
_SUBJECT_OF = attrgetter("fact.subject_id")


def total_row(counted: Sequence[CountedAllegation], label: str = "Total") -> BreakdownRow:
    tally: Counter[Bucket] = Counter(chain.from_iterable(map(_BUCKETS_OF, counted)))
    subjects = set(map(_SUBJECT_OF, counted))
    return BreakdownRow(label, len(counted), len(subjects), tuple(tally[b] for b in BUCKETS))


def all_breakdowns(
    counted: Sequence[CountedAllegation], period: Period, keys: Collection[str] | None = None
) -> tuple[Breakdown, ...]:
    """Every breakdown of `dimensions` (or only those whose key is in `keys`)."""
    total, columns = total_row(counted), _Columns.of(counted)
    wanted = [d for d in dimensions(period) if keys is None or d.key in keys]
    return tuple(breakdown(counted, d, total, columns) for d in wanted)


# --- time from receipt to outcome -------------------------------------------------------------

DURATION_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("Up to 90 days", 0, 90),
    ("91 to 182 days", 91, 182),
    ("183 to 365 days", 183, 365),
    ("Over 365 days", 366, None),
)


@dataclass(frozen=True)
class TimeToOutcome:
    with_outcome: int
    median_days: float | None
    mean_days: float | None
    p90_days: float | None
    bands: tuple[tuple[str, int], ...]
    open_allegations: int
    open_over_12_months: int


def time_to_outcome(counted: Sequence[CountedAllegation], as_of: date) -> TimeToOutcome:
    """Days from the case's receipt to the allegation's outcome; open ones aged at `as_of`."""
    days = sorted(
        (c.fact.outcome_date - c.fact.received_date).days for c in counted if c.fact.outcome_date is not None
    )
    band_counts = [
        (label, sum(1 for d in days if low <= d and (high is None or d <= high)))
        for label, low, high in DURATION_BANDS
    ]
    open_ = [c for c in counted if c.fact.outcome_date is None]
    return TimeToOutcome(
        with_outcome=len(days),
        median_days=statistics.median(days) if days else None,
        mean_days=statistics.fmean(days) if days else None,
        p90_days=statistics.quantiles(days, n=10, method="inclusive")[-1] if len(days) >= 2 else None,
        bands=tuple(band_counts),
        open_allegations=len(open_),
        open_over_12_months=sum(1 for c in open_ if (as_of - c.fact.received_date).days > 365),
    )


# --- restriction and referral compliance ------------------------------------------------------


@dataclass(frozen=True)
class RestrictionCompliance:
    threshold_met: int
    decisions_due: int
    decided_on_time: int
    decided_late: int
    overdue_undecided: int
    not_yet_due: int
    no_restriction_decisions: int
    suspensions: int
    reviews_due: int
    reviews_on_time: int
    suspension_on_charge_exceptions: int
    external_investigation_exceptions: int


def restriction_compliance(counted: Sequence[CountedAllegation], as_of: date) -> RestrictionCompliance:
    on_time = late = overdue = not_due = 0
    for c in counted:
        due, made = c.fact.restriction_decision_due, c.fact.restriction_decision_date
        if due is None:
            continue
        if made is not None:
            on_time, late = (on_time + 1, late) if made <= due else (on_time, late + 1)
        elif due < as_of:
            overdue += 1
        else:
            not_due += 1
    facts = [c.fact for c in counted]
    return RestrictionCompliance(
        threshold_met=sum(1 for f in facts if f.threshold_met_date is not None),
        decisions_due=on_time + late + overdue,
        decided_on_time=on_time,
        decided_late=late,
        overdue_undecided=overdue,
        not_yet_due=not_due,
        no_restriction_decisions=sum(
            1 for f in facts if RestrictionOption.NO_RESTRICTION in f.restrictions_imposed
        ),
        suspensions=sum(1 for f in facts if RestrictionOption.SUSPENDED in f.restrictions_imposed),
        reviews_due=sum(f.restriction_reviews_due for f in facts),
        reviews_on_time=sum(f.restriction_reviews_on_time for f in facts),
        suspension_on_charge_exceptions=sum(1 for f in facts if f.suspension_on_charge_exception),
        external_investigation_exceptions=sum(1 for f in facts if f.external_investigation_exception),
    )


@dataclass(frozen=True)
class IopcReferrals:
    allegations: int
    mandatory: int
    mandatory_referred: int
    mandatory_referred_on_time: int
    mandatory_not_referred: int
    voluntary_referred: int
    referred: int
    decisions: tuple[tuple[str, int], ...]
    """Referred allegations by the IOPC's decision (or awaiting one)."""


def iopc_referrals(counted: Sequence[CountedAllegation]) -> IopcReferrals:
    facts = [c.fact for c in counted]
    mandatory = [f for f in facts if f.iopc_mandatory]
    referred = [f for f in facts if f.iopc_referred]
    decisions = [(AWAITING_DECISION, sum(1 for f in referred if f.investigation_mode is None))]
    decisions += [(d.name, sum(1 for f in referred if f.investigation_mode is d)) for d in IopcDecision]
    return IopcReferrals(
        allegations=len(facts),
        mandatory=len(mandatory),
        mandatory_referred=sum(1 for f in mandatory if f.iopc_referred),
        mandatory_referred_on_time=sum(1 for f in mandatory if f.iopc_referred and f.iopc_referral_on_time),
        mandatory_not_referred=sum(1 for f in mandatory if not f.iopc_referred),
        voluntary_referred=sum(1 for f in referred if not f.iopc_mandatory),
        referred=len(referred),
        decisions=tuple(decisions),
    )


# --- everything for one period -----------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeBreakdowns:
    """Everything the outcome workbook and the annual report show for one period."""

    period: Period
    counted: tuple[CountedAllegation, ...]
    individuals: int
    individuals_by_outcome: tuple[int, ...]
    """Distinct individuals in each bucket (the survey figure), in `BUCKETS` order."""
    breakdowns: tuple[Breakdown, ...]
    time_to_outcome: TimeToOutcome
    restrictions: RestrictionCompliance
    referrals: IopcReferrals

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.key == key)


def compute_outcome_breakdowns(
    facts: Iterable[AllegationFact],
    period: Period,
    context: ReturnContext,
    breakdown_keys: Collection[str] | None = None,
) -> OutcomeBreakdowns:
    """Count the allegations recorded in `period`; compliance is as at `context.as_of`.

    `breakdown_keys` limits the breakdown tables computed (all of them by default).
    """
    counted = tuple(count_period(facts, period))
    by_bucket = individuals_by_bucket(counted)
    return OutcomeBreakdowns(
        period=period,
        counted=counted,
        individuals=len({c.fact.subject_id for c in counted}),
        individuals_by_outcome=tuple(len(by_bucket[b]) for b in BUCKETS),
        breakdowns=all_breakdowns(counted, period, breakdown_keys),
        time_to_outcome=time_to_outcome(counted, context.as_of),
        restrictions=restriction_compliance(counted, context.as_of),
        referrals=iopc_referrals(counted),
    )
