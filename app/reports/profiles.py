"""Profile tables for published reports: allegations by a characteristic, split by their *main
outcome*, so that each row's outcome columns add up to its allegations.

The survey buckets overlap (an allegation can be "no case to answer" and then "learning outcome"),
which is right for the Commissioner's per-individual figures but makes a table whose columns do not
add up: a reader cannot check it, and a disclosure check cannot use the sums. The main outcome is
the most serious outcome recorded for the allegation, in this order: dismissed; disciplinary
action (written warning, final written warning, reduction in rank); learning outcome; no case to
answer; another misconduct outcome (a case to answer, proceedings or a finding, with no action yet);
no misconduct outcome yet.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.reports.breakdowns import dimensions
from app.reports.counting import Bucket, CountedAllegation
from app.reports.read_models import Period
from app.reports.words import word


class MainOutcome(StrEnum):
    DISMISSED = "DISMISSED"
    DISCIPLINARY_ACTION = "DISCIPLINARY_ACTION"
    LEARNING_OUTCOME = "LEARNING_OUTCOME"
    NO_CASE_TO_ANSWER = "NO_CASE_TO_ANSWER"
    OTHER_OUTCOME = "OTHER_OUTCOME"
    NO_OUTCOME_YET = "NO_OUTCOME_YET"


MAIN_OUTCOMES: tuple[MainOutcome, ...] = tuple(MainOutcome)
MAIN_OUTCOME_LABELS = {
    MainOutcome.DISMISSED: "Dismissed",
    MainOutcome.DISCIPLINARY_ACTION: "Disciplinary action",
    MainOutcome.LEARNING_OUTCOME: "Learning outcome",
    MainOutcome.NO_CASE_TO_ANSWER: "No case to answer",
    MainOutcome.OTHER_OUTCOME: "Other outcome",
    MainOutcome.NO_OUTCOME_YET: "No outcome yet",
}
MAIN_OUTCOME_RULE = (
    "Profile tables give each allegation its main outcome, the most serious recorded: dismissed (dismissal "
    "or would have been dismissed); disciplinary action (written warning, final written warning or reduction "
    "in rank); learning outcome (reflective practice or management action); no case to answer; other outcome "
    "(a case to answer, proceedings or a finding with no action yet); no outcome yet (no misconduct outcome "
    "recorded). Each allegation has exactly one, so every row adds up to its allegations."
)
_ACTIONS = frozenset({Bucket.WRITTEN_WARNING, Bucket.FINAL_WRITTEN_WARNING, Bucket.REDUCTION_IN_RANK})
SUBJECT_LEVEL = frozenset({"workforce_type", "rank", "sex", "ethnicity"})
"""Characteristics of the person (one row per person): a row's individuals add up to the total."""


def main_outcome(buckets: frozenset[Bucket]) -> MainOutcome:
    if Bucket.DISMISSED in buckets:
        return MainOutcome.DISMISSED
    if buckets & _ACTIONS:
        return MainOutcome.DISCIPLINARY_ACTION
    if Bucket.LEARNING_OUTCOME in buckets:
        return MainOutcome.LEARNING_OUTCOME
    if Bucket.NO_CASE_TO_ANSWER in buckets:
        return MainOutcome.NO_CASE_TO_ANSWER
    if Bucket.ONGOING in buckets:
        return MainOutcome.NO_OUTCOME_YET
    return MainOutcome.OTHER_OUTCOME


@dataclass(frozen=True)
class ProfileRow:
    label: str
    """The category as stored (a code or a rank as recorded); reports print `words.word(label)`."""
    individuals: int
    outcomes: tuple[int, ...]
    """Allegations by main outcome, in MAIN_OUTCOMES order."""

    @property
    def allegations(self) -> int:
        return sum(self.outcomes)


@dataclass(frozen=True)
class Profile:
    key: str
    dimension: str
    rows: tuple[ProfileRow, ...]
    multi_valued: bool
    """An allegation can be in several rows (abuse types): rows add up to more than the total."""

    @property
    def subject_level(self) -> bool:
        return self.key in SUBJECT_LEVEL


def main_outcome_totals(counted: Sequence[CountedAllegation]) -> tuple[int, ...]:
    tally = Counter(main_outcome(c.buckets) for c in counted)
    return tuple(tally[o] for o in MAIN_OUTCOMES)


OTHER = "Other categories"
"""The row that takes the categories with fewer than 5 allegations (published tables only)."""
OTHER_NOTE = (
    "Categories with fewer than 5 allegations in the year are counted together in the row 'Other categories' "
    "(a category with none is shown as 0)."
)


def profiles(counted: Sequence[CountedAllegation], period: Period, skip: frozenset[str] = frozenset({"quarter"})
             ) -> tuple[Profile, ...]:
    """One profile per breakdown dimension (app.reports.breakdowns.dimensions) but those in `skip`,
    with the categories of fewer than 5 allegations merged into OTHER. Counts (category, outcome)
    and (category, subject) pairs, as `breakdowns.breakdown` does, so 100,000 allegations are quick."""
    mains = [main_outcome(c.buckets) for c in counted]
    subjects = [c.fact.subject_id for c in counted]
    made = []
    for dim in dimensions(period):
        if dim.key in skip:
            continue
        found = [dim.labels(c.fact) for c in counted]
        if dim.multi_valued:
            pairs = [(label, i) for i, labels in enumerate(found) for label in labels]
        else:
            pairs = list(zip([labels[0] for labels in found], range(len(found)), strict=True))  # type: ignore[index]
        sizes = Counter(label for label, _ in pairs)
        small = {label for label, n in sizes.items() if n < 5}
        if small:
            pairs = list({(OTHER if label in small else label, i) for label, i in pairs})  # once per allegation
        keys = [label for label, _ in pairs]
        rows_of = [i for _, i in pairs]
        outcomes: dict[str, Counter[MainOutcome]] = defaultdict(Counter)
        for (label, main), n in Counter(zip(keys, map(mains.__getitem__, rows_of), strict=True)).items():
            outcomes[label][main] += n
        people = Counter(label for label, _ in set(zip(keys, map(subjects.__getitem__, rows_of), strict=True)))
        fixed = [label for label in dim.fixed if label not in small]
        extra = sorted((k for k in outcomes if k not in dim.fixed and k != OTHER),
                       key=lambda k: (k == "Not recorded", -sum(outcomes[k].values()), k))
        other = [OTHER] if OTHER in outcomes else []
        rows = tuple(ProfileRow(label, people[label], tuple(outcomes[label][o] for o in MAIN_OUTCOMES))
                     for label in (*fixed, *extra, *other))
        made.append(Profile(dim.key, dim.dimension, rows, dim.multi_valued))
    return tuple(made)


def category(profile_key: str, label: str) -> str:
    """A row's category in words (ranks are printed as recorded)."""
    return label if profile_key == "rank" or label == OTHER else word(label)
