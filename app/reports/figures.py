"""The published figures of a period (and the year before it): every count the annual report, the
dashboard and the force lead's outcome workbook print, with the relations a reader can use between
them (app.reports.disclosure.model).

Keys name a figure the same way wherever it is printed — `("allegations", "2024/25")` is the
cover tile, the key-figures row, the total of every profile table and the base of every sentence —
so the chart, the table and the sentence are one figure, suppressed or shown together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.reports.breakdowns import NOT_REFERRED, OutcomeBreakdowns
from app.reports.counting import BUCKET_LABELS, BUCKETS, Bucket, left_without_end_date
from app.reports.disclosure.model import Key, Model, Role
from app.reports.profiles import (
    MAIN_OUTCOME_LABELS,
    MAIN_OUTCOMES,
    MainOutcome,
    Profile,
    category,
    main_outcome_totals,
    profiles,
)
from app.reports.publication import NOT_SHOWN, Publication

CELL, MARGIN, TOTAL = Role.CELL, Role.MARGIN, Role.TOTAL
_DISCIPLINARY = (Bucket.WRITTEN_WARNING, Bucket.FINAL_WRITTEN_WARNING, Bucket.REDUCTION_IN_RANK)


def build_model(current: OutcomeBreakdowns, previous: OutcomeBreakdowns | None,
                with_profiles: bool = True) -> tuple[Model, tuple[Profile, ...]]:
    """The model of everything published for `current` (and `previous`, for comparison)."""
    model = Model()
    made = profiles(current.counted, current.period) if with_profiles else ()
    _Year(model, current, main_totals=True).everything(made)
    if previous is not None:
        _Year(model, previous, main_totals=False).everything(())
    model.check()
    return model, made


class _Year:
    def __init__(self, model: Model, data: OutcomeBreakdowns, main_totals: bool) -> None:
        self.m, self.d, self.y = model, data, data.period.label
        self.main_totals = main_totals

    def add(self, name: str, *rest: object, value: int, role: Role, label: str) -> int:
        return self.m.add((name, self.y, *rest), value, role, f"{label}, {self.y}")

    def everything(self, made: Sequence[Profile]) -> None:
        self.headline()
        self.outcomes()
        self.quarters()
        self.time_to_outcome()
        self.compliance()
        for profile in made:
            self.profile(profile)

    # -- headline figures and outcomes --------------------------------------------------------
    def headline(self) -> None:
        d = self.d
        self.a = self.add("allegations", value=len(d.counted), role=TOTAL, label="PPDA allegations recorded")
        self.i = self.add("individuals", value=d.individuals, role=TOTAL, label="Individuals with PPDA allegations")
        self.m.at_most([self.i], [self.a])
        missing = left_without_end_date(d.counted)
        gone = self.add("missing_end_date", value=missing, role=CELL,
                        label="Individuals recorded as resigned or retired without an end date")
        self.m.at_most([gone], [self.i])
        if self.main_totals:
            totals = main_outcome_totals(d.counted)
            self.t = {o: self.add("main", o.value, value=n, role=TOTAL,
                                  label=f"Allegations with main outcome {MAIN_OUTCOME_LABELS[o].lower()}")
                      for o, n in zip(MAIN_OUTCOMES, totals, strict=True)}
            self.m.equal(self.a, self.t.values())

    def outcomes(self) -> None:
        self.ib = {}
        for b, n in zip(BUCKETS, self.d.individuals_by_outcome, strict=True):
            q = self.add("outcome_individuals", b.value, value=n, role=MARGIN,
                         label=f"Individuals with outcome {BUCKET_LABELS[b].lower()}")
            self.m.at_most([q], [self.i])
            self.ib[b] = q
        if not self.main_totals:
            return
        t, o = self.t, MainOutcome
        self.m.at_most([self.ib[Bucket.DISMISSED]], [t[o.DISMISSED]])
        self.m.at_most([self.ib[Bucket.ONGOING]], [t[o.NO_OUTCOME_YET]])
        for b in _DISCIPLINARY:
            self.m.at_most([self.ib[b]], [t[o.DISCIPLINARY_ACTION], t[o.DISMISSED]])
        self.m.at_most([self.ib[Bucket.LEARNING_OUTCOME]],
                       [t[o.LEARNING_OUTCOME], t[o.DISCIPLINARY_ACTION], t[o.DISMISSED]])
        self.m.at_most([self.ib[Bucket.NO_CASE_TO_ANSWER]],
                       [t[o.NO_CASE_TO_ANSWER], t[o.LEARNING_OUTCOME], t[o.DISCIPLINARY_ACTION], t[o.DISMISSED]])

    # -- quarters and time to outcome --------------------------------------------------------------
    def quarters(self) -> None:
        rows = self.d.breakdown("quarter").rows
        counts = [self.add("quarter", r.label, value=r.allegations, role=CELL,
                           label=f"Allegations recorded in {r.label}") for r in rows]
        self.m.equal(self.a, counts)
        people = [self.add("quarter_individuals", r.label, value=r.individuals, role=CELL,
                           label=f"Individuals with allegations recorded in {r.label}") for r in rows]
        self._overlapping(people, counts)

    def _overlapping(self, people: list[int], counts: list[int]) -> None:
        """Individuals of rows a person can be in several of: each at most its allegations and all
        individuals; together at least all individuals."""
        for p, c in zip(people, counts, strict=True):
            self.m.at_most([p], [c])
            self.m.at_most([p], [self.i])
        self.m.at_most([self.i], people)

    def time_to_outcome(self) -> None:
        t = self.d.time_to_outcome
        self.w = self.add("with_outcome", value=t.with_outcome, role=TOTAL, label="Allegations with an outcome")
        bands = [self.add("band", label, value=n, role=CELL, label=f"Outcomes {label.lower()} after receipt")
                 for label, n in t.bands]
        self.m.equal(self.w, bands)
        self.open = self.add("open", value=t.open_allegations, role=MARGIN, label="Allegations with no outcome yet")
        self.m.equal(self.a, [self.w, self.open])
        old = self.add("open_12m", value=t.open_over_12_months, role=CELL,
                       label="Allegations with no outcome, received over 12 months ago")
        self.m.at_most([old], [self.open])
        if self.main_totals:
            self.m.at_most([self.open], [self.t[MainOutcome.NO_OUTCOME_YET]])

    # -- compliance --------------------------------------------------------------------------------
    def compliance(self) -> None:
        r, i = self.d.restrictions, self.d.referrals

        def part(name: str, value: int, label: str, role: Role = CELL) -> int:
            return self.add(name, value=value, role=role, label=label)

        due = part("decisions_due", r.decisions_due, "Restriction decisions due", MARGIN)
        self.m.equal(due, [part("decisions_on_time", r.decided_on_time, "Restriction decisions made on time"),
                           part("decisions_late", r.decided_late, "Restriction decisions made late"),
                           part("decisions_overdue", r.overdue_undecided, "Restriction decisions overdue, not made")])
        reviews = part("reviews_due", r.reviews_due, "Restriction reviews due", MARGIN)
        self.m.equal(reviews, [part("reviews_on_time", r.reviews_on_time, "Restriction reviews on time"),
                               part("reviews_late", r.reviews_due - r.reviews_on_time, "Restriction reviews late")])
        on_time = part("mandatory_on_time", i.mandatory_referred_on_time, "Mandatory referrals made on time")
        late = part("mandatory_late", i.mandatory_referred - i.mandatory_referred_on_time,
                    "Mandatory referrals made late")
        mandatory = part("mandatory", i.mandatory, "Allegations with a mandatory referral ground", MARGIN)
        self.m.equal(mandatory, [on_time, late, part("mandatory_not_referred", i.mandatory_not_referred,
                                                     "Mandatory referrals not made")])
        self.referred = part("referred", i.referred, "Allegations referred to the IOPC", TOTAL)
        self.m.equal(self.referred, [on_time, late, part("voluntary", i.voluntary_referred, "Voluntary referrals")])
        suspensions = part("suspensions", r.suspensions, "Allegations with a suspension")
        self.m.at_most([self.ib[Bucket.SUSPENSION]], [suspensions])
        part("no_restriction", r.no_restriction_decisions, "Decisions of no restriction")
        part("exception_charge", r.suspension_on_charge_exceptions, "Exceptions approved: no suspension on charge")
        part("exception_external", r.external_investigation_exceptions,
             "Exceptions approved: investigated in force against guidance")

    # -- profile tables ------------------------------------------------------------------------------
    def profile(self, p: Profile) -> None:
        rows, people = [], []
        cells: dict[MainOutcome, list[int]] = {o: [] for o in MAIN_OUTCOMES}
        for row in p.rows:
            where = f"{p.dimension.lower()} {category(p.key, row.label)}"
            mine = [self.add("profile", p.key, row.label, o.value, value=n, role=CELL,
                             label=f"Allegations, {where}, {MAIN_OUTCOME_LABELS[o].lower()}")
                    for o, n in zip(MAIN_OUTCOMES, row.outcomes, strict=True)]
            for o, q in zip(MAIN_OUTCOMES, mine, strict=True):
                cells[o].append(q)
            total = self.add("profile", p.key, row.label, "allegations", value=row.allegations, role=MARGIN,
                             label=f"Allegations, {where}")
            self.m.equal(total, mine)
            rows.append(total)
            people.append(self.add("profile", p.key, row.label, "individuals", value=row.individuals, role=CELL,
                                   label=f"Individuals, {where}"))
        if p.multi_valued:
            self._multi_valued(cells, len(p.rows))
        else:
            self.m.equal(self.a, rows)
            for o in MAIN_OUTCOMES:
                self.m.equal(self.t[o], cells[o])
        per_person = sum(row.individuals for row in p.rows) == self.d.individuals  # one row per person
        if p.subject_level and per_person:
            self.m.equal(self.i, people)
            for person, allegations in zip(people, rows, strict=True):
                self.m.at_most([person], [allegations])
        else:
            self._overlapping(people, rows)
        for person, allegations in zip(people, rows, strict=True):
            self.m.breaks_down(allegations, [person])
        if p.key == "investigation_mode":
            referred = sum(row.allegations for row in p.rows if row.label != NOT_REFERRED)
            if referred == self.m.quantities[self.referred].value:  # false only on inconsistent imports
                self.m.equal(self.referred, [q for q, row in zip(rows, p.rows, strict=True)
                                             if row.label != NOT_REFERRED])

    def _multi_valued(self, cells: dict[MainOutcome, list[int]], n_rows: int) -> None:
        """An allegation is in at least one row and at most every row of each outcome column."""
        for o, column in cells.items():
            self.m.breaks_down(self.t[o], column)
            for q in column:
                self.m.at_most([q], [self.t[o]])
            self.m.at_most([self.t[o]], column)
            self.m.at_most(column, {self.t[o]: n_rows})


def key(name: str, year: str, *rest: object) -> Key:
    """The key of a figure (as `_Year.add` makes it), for the writers."""
    return (name, year, *rest)


# -- the published bundle ------------------------------------------------------------------------

@dataclass(frozen=True)
class PublishedFigures:
    """Everything a writer needs to print a period's figures, protected and audited."""

    pub: Publication
    current: OutcomeBreakdowns
    previous: OutcomeBreakdowns | None
    profiles: tuple[Profile, ...]
    headcount: int | None = None
    previous_headcount: int | None = None

    @property
    def years(self) -> tuple[str, ...]:
        return (self.current.period.label,) + ((self.previous.period.label,) if self.previous else ())

    @property
    def year(self) -> str:
        return self.current.period.label

    def data(self, year: str) -> OutcomeBreakdowns:
        if year == self.year:
            return self.current
        assert self.previous is not None and year == self.previous.period.label
        return self.previous

    def quarter_labels(self, year: str) -> tuple[str, ...]:
        return tuple(r.label for r in self.data(year).breakdown("quarter").rows)

    def text(self, name: str, year: str, *rest: object) -> str:
        return self.pub.text(key(name, year, *rest))

    def shown(self, name: str, year: str, *rest: object) -> int | None:
        return self.pub.shown(key(name, year, *rest))

    def rate(self, part: str, whole: str, year: str, places: int = 1) -> str:
        return self.pub.rate(key(part, year), key(whole, year), places)

    def rate_value(self, part: str, whole: str, year: str) -> float | None:
        return self.pub.rate_value(key(part, year), key(whole, year))

    def median_days(self, year: str) -> float | None:
        """The median time to outcome, when it summarises a printed count of 5 or more outcomes."""
        t = self.data(year).time_to_outcome
        shown = self.shown("with_outcome", year)
        return t.median_days if shown is not None and shown >= 5 else None

    def workforce_share(self, year: str) -> str:
        count = self.headcount if year == self.year else self.previous_headcount
        individuals = self.shown("individuals", year)
        if not count:
            return "not known"
        return NOT_SHOWN if individuals is None else f"{individuals * 100 / count:.2f}%"


def publish_figures(current: OutcomeBreakdowns, previous: OutcomeBreakdowns | None, what: str,
                    headcount: int | None = None, previous_headcount: int | None = None,
                    with_profiles: bool = True) -> PublishedFigures:
    """Model, suppress and audit the figures of `current` (and `previous`); DisclosureRefused
    (nothing to write) if the audit fails."""
    if previous is not None and not previous.counted:
        previous = None
    model, made = build_model(current, previous, with_profiles)
    return PublishedFigures(Publication.of(model, what), current, previous, made, headcount, previous_headcount)
