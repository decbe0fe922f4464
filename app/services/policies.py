"""Force policies: dated values read by the workflow rules. Each change is a logged record (who,
when, from which date, and for a correction why), added beside what was recorded before, never
over it: `describe_all(..., as_recorded_on=DATE)` shows the policies as they stood on any earlier
day (DOMAIN.md "policy"; app/domain/policy.py explains the bitemporal model).

A back-dated value (effective before today, the force's local date) is a **correction**: it needs
a reason. It applies at once, also to due dates already past (a review that was not overdue may
become overdue); each due item whose date it moved says so in its detail, with when, by whom and
why (app/domain/workflow/due.py), and the policy's history shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation, CaseStatus
from app.domain.errors import InvalidInput
from app.domain.permissions import Action, require
from app.domain.policy import (
    ALWAYS,
    PolicyName,
    PolicySet,
    PolicyValue,
    default_values,
    describe_policy,
    format_policy_value,
    parse_policy_input,
)
from app.domain.records import User
from app.persistence import policy_store
from app.persistence.models import CaseRow, PolicyRow
from app.persistence.uow import UnitOfWork
from app.services import audit, case_summary, clock

load = policy_store.load  # every service reads policies the same way


def current(uow: UnitOfWork) -> PolicySet:
    with uow:
        return load(uow.session)


@dataclass(frozen=True)
class PolicyChange:
    """What `set_policy` recorded and what it changed."""

    value: PolicyValue
    previous: str  # the value that applied from the same date before this change ("" if none)
    correction: bool
    cases_with_new_due_dates: int  # open cases whose next due date moved


def set_policy(uow: UnitOfWork, actor: User, name: str, value: str, effective_from: date, *,
               reason: str | None = None) -> PolicyChange:
    """`policy set NAME VALUE --from DATE [--reason TEXT]`: a new record beside the old ones.
    A date before today corrects the past and is refused without a reason."""
    require(actor, Action.ADMINISTER)
    parsed = parse_policy_input(name, value, effective_from)
    now = clock.now()
    why = (reason or "").strip() or None
    correction = effective_from < clock.local_date(now)
    if correction and why is None:
        raise InvalidInput(
            f"{effective_from.isoformat()} is before today ({clock.local_date(now).isoformat()}): setting "
            f"{parsed.name.cli_name} from then corrects what applied on days that have passed, so it needs a "
            "reason (--reason on the command line, Reason in the window).")
    record = PolicyValue(parsed.name, parsed.value, effective_from, now, actor.username, why)
    with uow:
        s = uow.session
        before = load(s)
        previous = before.value_on(parsed.name, effective_from)
        _check_changes_something(before, record)
        _check_consistent(before.with_value(record), record)
        s.add(PolicyRow(name=parsed.name.value, value=parsed.text, effective_from=effective_from,
                        set_by=actor.id, recorded_at=now, reason=why))
        what = "correction: " if correction else ""
        audit.record(s, actor, AccessOperation.ALTERATION, "policy", parsed.name.cli_name, reason=why,
                     detail=f"{what}{parsed.name.cli_name} = {parsed.text} from {effective_from.isoformat()}"
                            f" (was {format_policy_value(previous) or 'not set'})")
        moved = _refresh_due_dates(s)
        uow.commit()
    return PolicyChange(record, format_policy_value(previous), correction, moved)


def _check_changes_something(before: PolicySet, record: PolicyValue) -> None:
    same_date = [v for v in before.history(record.name) if v.effective_from == record.effective_from]
    if same_date and same_date[0].value == record.value and same_date[0].recorded_at is not None:
        raise InvalidInput(
            f"Policy {record.name.cli_name} is already {record.text} from {record.effective_from.isoformat()}; "
            "nothing was changed.")


def _refresh_due_dates(s: Session) -> int:
    """Recompute every case's projection (due dates and flags depend on policy); how many open
    cases' next due date moved."""
    open_cases = select(CaseRow.id, CaseRow.next_due_date).where(CaseRow.status == CaseStatus.OPEN.name)
    before = dict(s.execute(open_cases).all())
    case_summary.refresh_all(s)
    after = dict(s.execute(open_cases).all())
    return sum(1 for cid, due in after.items() if before.get(cid) != due)


def _check_consistent(after: PolicySet, value: PolicyValue) -> None:
    """Refuse a value that would leave the matching thresholds upside down on any date it applies."""
    names = (PolicyName.MATCH_AUTO_THRESHOLD, PolicyName.MATCH_REVIEW_THRESHOLD)
    if value.name not in names:
        return
    dates = {v.effective_from for n in names for v in after.history(n) if v.effective_from >= value.effective_from}
    for day in sorted(dates | {value.effective_from}):
        match, review = after.float_on(names[0], day), after.float_on(names[1], day)
        if not 0 < review <= match:
            raise InvalidInput(
                f"From {day.isoformat()} the review threshold ({review:g}) would be above the match threshold "
                f"({match:g}); the review threshold must be above 0 and at most the match threshold.")


# ---- reading: what applies, and what was recorded when ----------------------------------------

@dataclass(frozen=True)
class PolicyEntry:
    """One dated value in a policy's history: a shipped default or a record the force made."""

    effective_from: date | None  # None: a shipped default that has always applied
    value: str
    recorded_by: str  # "shipped" for a default
    recorded_at: datetime | None  # the force's local time, aware; None for a default
    reason: str | None
    correction: bool  # recorded after its effective date had passed
    superseded: bool  # a later record for the same date replaced it


@dataclass(frozen=True)
class PolicyLine:
    name: str
    description: str
    on: date
    value: str  # the value in force on `on`, as recorded at the time asked for
    entries: tuple[PolicyEntry, ...]  # by effective date, then by when recorded
    as_recorded_on: date | None = None  # None: as recorded now

    @property
    def last_record(self) -> PolicyEntry | None:
        own = [e for e in self.entries if e.recorded_at is not None]
        return max(own, key=lambda e: e.recorded_at or datetime.min) if own else None


def describe_all(uow: UnitOfWork, actor: User, *, on: date | None = None,
                 as_recorded_on: date | None = None) -> list[PolicyLine]:
    """Every policy with its value on `on` (default today) and its history, as recorded now or,
    with `as_recorded_on`, as it stood at the end of that day."""
    with uow:
        policies = load(uow.session)
    return [_line(policies, name, on, as_recorded_on) for name in PolicyName]


def describe(uow: UnitOfWork, actor: User, name: str, *, on: date | None = None,
             as_recorded_on: date | None = None) -> PolicyLine:
    """`policy history NAME`: one policy's line."""
    wanted = PolicyName.parse(name)
    with uow:
        policies = load(uow.session)
    return _line(policies, wanted, on, as_recorded_on)


def _line(policies: PolicySet, name: PolicyName, on: date | None, as_recorded_on: date | None) -> PolicyLine:
    if as_recorded_on is not None:
        if as_recorded_on > clock.today():
            raise InvalidInput(f"--as-recorded-on {as_recorded_on.isoformat()} is in the future; give today "
                               "or an earlier date.")
        policies = policies.recorded_before(clock.start_of(as_recorded_on + timedelta(days=1)))
    day = on or clock.today()
    shipped = [PolicyEntry(None if v.effective_from == ALWAYS else v.effective_from, v.text, "shipped", None,
                           None, False, policies.superseded(v)) for v in default_values() if v.name == name]
    own = [PolicyEntry(v.effective_from, v.text, v.recorded_by or "", clock.local(v.recorded_at) if v.recorded_at
                       else None, v.reason, v.correction, policies.superseded(v)) for v in policies.records(name)]
    entries = shipped + sorted(own, key=lambda e: (e.effective_from or ALWAYS, e.recorded_at or datetime.min))
    return PolicyLine(name.cli_name, describe_policy(name), day, format_policy_value(policies.value_on(name, day)),
                      tuple(entries), as_recorded_on)

