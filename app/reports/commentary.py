"""The annual report's summary: plain sentences built from the audited publication only.

Which figures the summary gives is a rule, not a choice made per report (SUMMARY_RULES, printed on
the method page): the headline volume; the most common outcome and dismissals; every deadline the
report measures, worst first, so the worst compliance figure always stands beside the best; the
time to outcome and the oldest open allegations. Every comparison with the previous year is said
the same way whichever way it goes ("up from"/"down from", "rose from"/"fell from"). A figure that
is not printed (`<5`, `[c]`) is never stated and never compared.
"""

from __future__ import annotations

from app.reports.charts import COMPLIANCE
from app.reports.counting import BUCKET_LABELS, BUCKETS, Bucket
from app.reports.figures import PublishedFigures

SUMMARY_RULES: tuple[str, ...] = (
    "The summary always gives, whatever they show: the allegations recorded and the individuals they "
    "concern; the most common outcome and the number dismissed; every deadline the report measures "
    "(restriction decisions, restriction reviews, mandatory IOPC referrals), worst first and naming the "
    "worst; restriction decisions overdue and mandatory referrals not made; the median time to outcome and "
    "the allegations still open after 12 months.",
    "Each is compared with the previous year in the same words whichever way it moved: 'up from' or "
    "'down from' for counts, 'rose from' or 'fell from' for percentages and times.",
    "A figure shown as <5 or [c] is not stated or compared; the sentence says it is not shown.",
)


def _count_change(figures: PublishedFigures, name: str, *rest: object) -> str:
    if figures.previous is None:
        return ""
    before_year = figures.previous.period.label
    now, before = figures.shown(name, figures.year, *rest), figures.shown(name, before_year, *rest)
    if now is None or before is None:
        return f" (not compared with {before_year}: a figure is not shown to protect small numbers)"
    if now == before:
        return f", the same as in {before_year}"
    direction = "up" if now > before else "down"
    percent = f" ({(now - before) * 100 / before:+.0f}%)" if before else ""
    return f", {direction} from {before:,} in {before_year}{percent}"


def _moved(now: float | None, before: float | None, unit: str, places: int) -> str:
    """'rose from 80.0% to 88.2%' / 'fell from …' / 'unchanged at …' ('' when one is not shown)."""
    if now is None or before is None:
        return ""
    a, b = f"{before:.{places}f}{unit}", f"{now:.{places}f}{unit}"
    if a == b:
        return f"unchanged at {b}"
    return f"{'rose' if now > before else 'fell'} from {a} to {b}"


def commentary(figures: PublishedFigures) -> list[str]:
    """The summary's sentences, by the rules above."""
    year = figures.year
    if not figures.current.counted:
        return [f"No PPDA allegations were recorded in {year}."]
    lines = [
        f"{figures.text('allegations', year)} PPDA allegations were recorded in {year}"
        f"{_count_change(figures, 'allegations')}. They concern {figures.text('individuals', year)} individuals"
        f"{_workforce(figures)}."
    ]
    if figures.previous is None:
        lines.append("No allegations are recorded for the previous year, so no comparison is made.")
    lines += [_most_common(figures), _dismissed(figures), *_deadlines(figures), *_timeliness(figures)]
    return [line for line in lines if line]


def _workforce(figures: PublishedFigures) -> str:
    share = figures.workforce_share(figures.year)
    return f" ({share} of the workforce)" if share.endswith("%") else ""


def _most_common(figures: PublishedFigures) -> str:
    shown = [(figures.shown("outcome_individuals", figures.year, b.value), b) for b in BUCKETS
             if b is not Bucket.ONGOING]
    counted = [(n, b) for n, b in shown if n is not None]
    if not counted or max(counted)[0] == 0:
        return "No outcome is recorded yet for enough individuals to report."
    n, bucket = max(counted, key=lambda pair: pair[0])
    rate = figures.pub.rate(("outcome_individuals", figures.year, bucket.value), ("individuals", figures.year))
    return f"The most common outcome was {BUCKET_LABELS[bucket].lower()}: {n:,} individuals ({rate} of individuals)."


def _dismissed(figures: PublishedFigures) -> str:
    year, dismissed = figures.year, Bucket.DISMISSED.value
    line = (f"{figures.text('outcome_individuals', year, dismissed)} individuals were dismissed or would have "
            f"been dismissed{_count_change(figures, 'outcome_individuals', dismissed)}")
    open_ = figures.text("outcome_individuals", year, Bucket.ONGOING.value)
    return f"{line}. {open_} individuals have an allegation with no misconduct outcome yet."


def _deadlines(figures: PublishedFigures) -> list[str]:
    """Every deadline, worst first; not-shown rates last, said so."""
    year = figures.year
    found = []
    for name, part, whole in COMPLIANCE:
        due = figures.shown(whole, year)
        if due == 0:
            continue
        rate = figures.rate_value(part, whole, year)
        before = figures.rate_value(part, whole, figures.previous.period.label) if figures.previous else None
        found.append((rate, name, figures.text(whole, year), _moved(rate, before, "%", 1)))
    if not found:
        return ["No restriction decision, restriction review or mandatory IOPC referral fell due."]
    shown = sorted((f for f in found if f[0] is not None), key=lambda f: f[0] or 0.0)
    parts = [f"{rate:.1f}% of {due} {_lower(name)} were on time" + (f" ({moved})" if moved else "")
             for rate, name, due, moved in shown]
    hidden = [_lower(name) for rate, name, _, _ in found if rate is None]
    line = "Deadlines: " + "; ".join(parts) if parts else "Deadlines:"
    if len(shown) > 1:
        line += f". The lowest was {_lower(shown[0][1])}"
    if hidden:
        line += f"{'.' if parts else ''} The share on time is not shown for {' and '.join(hidden)} (small numbers)"
    lines = [line + "."]
    overdue, missed = figures.text("decisions_overdue", year), figures.text("mandatory_not_referred", year)
    lines.append(f"{overdue} restriction decisions are overdue and not yet made; {missed} allegations with a "
                 "mandatory referral ground were not referred to the IOPC.")
    return lines


def _lower(name: str) -> str:
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in name.split())


def _timeliness(figures: PublishedFigures) -> list[str]:
    year = figures.year
    median = figures.median_days(year)
    lines = []
    if median is not None:
        before = figures.median_days(figures.previous.period.label) if figures.previous else None
        moved = _moved(median, before, " days", 0)
        said = f" ({moved})" if moved else ""
        lines.append(f"The median time from receipt to outcome was {median:,.0f} days{said}.")
    lines.append(f"{figures.text('open_12m', year)} allegations received over 12 months ago have no outcome yet.")
    return lines
