"""The published figures of a national aggregation: each counted force's allegations, individuals
and outcomes, and the national sums, with the relations a reader can use (a national figure is the
sum of the forces'; a force's individuals are at most its allegations; individuals with an outcome at
most its individuals), protected and audited like the annual report (app.reports.disclosure).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.forces import force_name
from app.reports.aggregate import Aggregation, CountedReturn
from app.reports.counting import BUCKET_LABELS, BUCKETS
from app.reports.disclosure.model import Key, Model, Role
from app.reports.publication import NOT_SHOWN, Publication

REPORT = "national report"
WITH_HEADCOUNT = "individuals_with_headcount"


def force_key(code: str, measure: str) -> Key:
    return ("force", code, measure)


def national_key(measure: str) -> Key:
    return ("national", measure)


def build_national_model(result: Aggregation) -> Model:
    model = Model()
    measures = ["allegations", "individuals", *(b.value for b in BUCKETS)]
    columns: dict[str, list[int]] = {m: [] for m in measures}
    with_headcount: list[int] = []
    for r in result.counted:
        mine = _force(model, r)
        for m in measures:
            columns[m].append(mine[m])
        if r.figures.headcount is not None:
            with_headcount.append(mine["individuals"])
    for m, cells in columns.items():
        label = "PPDA allegations recorded" if m == "allegations" else (
            "Individuals with PPDA allegations" if m == "individuals" else f"Individuals with outcome {_outcome(m)}")
        total = model.add(national_key(m), sum(model.quantities[c].value for c in cells), Role.TOTAL,
                          f"{label}, all forces")
        model.equal(total, cells)
    counted = model.add(national_key(WITH_HEADCOUNT), sum(model.quantities[c].value for c in with_headcount),
                        Role.MARGIN, "Individuals in the forces that gave a workforce headcount")
    model.equal(counted, with_headcount)
    model.check()
    return model


def _outcome(bucket: str) -> str:
    return next(BUCKET_LABELS[b] for b in BUCKETS if b.value == bucket).lower()


def _force(model: Model, r: CountedReturn) -> dict[str, int]:
    f, name = r.figures, force_name(r.figures.force)
    mine = {
        "allegations": model.add(force_key(f.force, "allegations"), f.allegations, Role.MARGIN,
                                 f"PPDA allegations recorded, {name}"),
        "individuals": model.add(force_key(f.force, "individuals"), f.individuals, Role.CELL,
                                 f"Individuals with PPDA allegations, {name}"),
    }
    model.at_most([mine["individuals"]], [mine["allegations"]])
    for o in f.outcomes:
        q = model.add(force_key(f.force, o.bucket.value), o.individuals, Role.CELL,
                      f"Individuals with outcome {BUCKET_LABELS[o.bucket].lower()}, {name}")
        model.at_most([q], [mine["individuals"]])
        mine[o.bucket.value] = q
    return mine


@dataclass(frozen=True)
class NationalPublication:
    result: Aggregation
    pub: Publication

    def force(self, code: str, measure: str) -> str:
        return self.pub.text(force_key(code, measure))

    def national(self, measure: str) -> str:
        return self.pub.text(national_key(measure))

    def workforce_share(self, code: str, headcount: int | None) -> str:
        individuals = self.pub.shown(force_key(code, "individuals"))
        if not headcount:
            return "not provided"
        return NOT_SHOWN if individuals is None else f"{individuals * 100 / headcount:.2f}%"

    def national_share(self) -> str:
        n = self.result.national
        individuals = self.pub.shown(national_key(WITH_HEADCOUNT))
        if not n.headcount:
            return "not known"
        return NOT_SHOWN if individuals is None else f"{individuals * 100 / n.headcount:.2f}%"

    def outcome_rate(self, bucket: str) -> str:
        return self.pub.rate(national_key(bucket), national_key("individuals"))


def publish_national(result: Aggregation) -> NationalPublication:
    """Suppress and audit the national figures (DisclosureRefused if the audit fails)."""
    return NationalPublication(result, Publication.of(build_national_model(result), REPORT))
