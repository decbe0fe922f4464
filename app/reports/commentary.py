"""Short generated commentary for the annual report, comparing a year with the one before.

Every number goes through `suppression`, so no sentence reveals a count of 1 to 4 (directly, or
as a difference or a percentage).
"""

from __future__ import annotations

from app.reports.breakdowns import OutcomeBreakdowns
from app.reports.counting import BUCKET_LABELS, BUCKETS, Bucket
from app.reports.suppression import WITHHELD, is_suppressed, show_count, show_rate, show_statistic


def _individuals(data: OutcomeBreakdowns, bucket: Bucket) -> int:
    return data.individuals_by_outcome[BUCKETS.index(bucket)]


def _change(now: int, before: int, previous: OutcomeBreakdowns | None) -> str:
    if previous is None:
        return ""
    label = previous.period.label
    if is_suppressed(now) or is_suppressed(before):
        return f" (no comparison with {label} is shown because a figure is fewer than 5)"
    if now == before:
        return f", the same as in {label}"
    direction = "up" if now > before else "down"
    change = f" ({(now - before) * 100 / before:+.0f}%)" if before else ""
    return f", {direction} from {before:,} in {label}{change}"


def _share(part: int, whole: int) -> str:
    rate = show_rate(part, whole)
    return f"{rate} of individuals" if rate[-1] == "%" else "percentage not shown for small numbers"


def commentary(
    current: OutcomeBreakdowns,
    previous: OutcomeBreakdowns | None,
    headcount: int | None = None,
    previous_headcount: int | None = None,
) -> list[str]:
    """A few plain sentences; `previous` is None (or empty) when there is nothing to compare."""
    if previous is not None and not previous.counted:
        previous = None
    year = current.period.label
    n, people = len(current.counted), current.individuals
    if n == 0:
        return [f"No PPDA allegations were recorded in {year}."]
    before = len(previous.counted) if previous else 0
    lines = [
        f"{show_count(n)} PPDA allegations were recorded in {year}{_change(n, before, previous)}. "
        f"They concern {show_count(people)} individuals."
    ]
    if previous is None:
        lines.append("No allegations are recorded for the previous year, so no comparison is made.")
    if headcount and not is_suppressed(people):
        line = f"The individuals are {people * 100 / headcount:.2f}% of the workforce"
        if previous and previous_headcount and not is_suppressed(previous.individuals):
            line += f" ({previous.individuals * 100 / previous_headcount:.2f}% in {previous.period.label})"
        lines.append(line + ".")
    lines.append(_most_common(current))
    lines.append(_dismissals(current, previous))
    ongoing = _individuals(current, Bucket.ONGOING)
    if ongoing:
        lines.append(
            f"{show_count(ongoing)} individuals ({_share(ongoing, people)}) have an allegation with no "
            "misconduct outcome recorded yet."
        )
    lines += _compliance(current, previous)
    return [line for line in lines if line]


def _most_common(data: OutcomeBreakdowns) -> str:
    concluded = [(_individuals(data, b), b) for b in BUCKETS if b is not Bucket.ONGOING]
    count, bucket = max(concluded, key=lambda pair: pair[0])
    if count == 0:
        return "No outcomes have been recorded yet."
    if is_suppressed(count):
        return "Fewer than 5 individuals have any one outcome recorded."
    return (
        f"The most common outcome was {BUCKET_LABELS[bucket].lower()}: {count:,} individuals "
        f"({_share(count, data.individuals)})."
    )


def _dismissals(current: OutcomeBreakdowns, previous: OutcomeBreakdowns | None) -> str:
    now = _individuals(current, Bucket.DISMISSED)
    line = (
        f"{show_count(now)} individuals were dismissed or would have been dismissed "
        f"({_share(now, current.individuals)})"
    )
    if now == 0:
        line = "No individual was dismissed"
    if previous is not None:
        before = _individuals(previous, Bucket.DISMISSED)
        line += f"; {show_count(before)} in {previous.period.label} ({_share(before, previous.individuals)})"
    return line + "."


def _compliance(current: OutcomeBreakdowns, previous: OutcomeBreakdowns | None) -> list[str]:
    lines = []
    r = current.restrictions
    if r.decisions_due:
        rate = show_rate(r.decided_on_time, r.decisions_due)
        line = f"{rate} of restriction decisions due were made on time"
        if rate == WITHHELD:
            line = (
                "The share of restriction decisions made on time is not shown because the numbers are small"
            )
        elif previous and previous.restrictions.decisions_due:
            before = previous.restrictions
            line += _in_previous(show_rate(before.decided_on_time, before.decisions_due), previous)
        lines.append(line + ".")
    i = current.referrals
    if i.mandatory:
        rate = show_rate(i.mandatory_referred, i.mandatory)
        referred = f"{rate} of them were referred" if rate != WITHHELD else "the share referred is not shown"
        lines.append(
            f"{show_count(i.mandatory)} allegations met a mandatory ground for referral to the IOPC; {referred}."
        )
    t = current.time_to_outcome
    median = show_statistic(t.median_days, t.with_outcome, " days")
    if t.with_outcome and median != WITHHELD:
        line = f"The median time from receipt to outcome was {median}"
        if previous and previous.time_to_outcome.with_outcome:
            earlier = previous.time_to_outcome
            line += _in_previous(show_statistic(earlier.median_days, earlier.with_outcome, " days"), previous)
        lines.append(line + ".")
    return lines


def _in_previous(figure: str, previous: OutcomeBreakdowns) -> str:
    return "" if figure == WITHHELD else f" ({figure} in {previous.period.label})"
