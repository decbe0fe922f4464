"""Force policies: dated values read by the workflow rules; each change is a logged decision
(who, when, from which date), never an overwrite of the past."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation
from app.domain.errors import InvalidInput
from app.domain.permissions import Action, require
from app.domain.policy import (
    PolicyName, PolicySet, PolicyValue, describe_policy, format_policy_value, parse_policy_input,
    parse_policy_value,
)
from app.domain.records import User
from app.persistence.models import PolicyRow, UserRow
from app.persistence.uow import UnitOfWork
from app.services import audit, clock


def load(session: Session) -> PolicySet:
    values = []
    for row in session.scalars(select(PolicyRow).order_by(PolicyRow.effective_from, PolicyRow.id)):
        name = PolicyName(row.name)
        value = parse_policy_value(name, row.value) if row.value else None
        values.append(PolicyValue(name, value, row.effective_from))
    return PolicySet(values)


def current(uow: UnitOfWork) -> PolicySet:
    with uow:
        return load(uow.session)


def set_policy(uow: UnitOfWork, actor: User, name: str, value: str, effective_from: date) -> PolicyValue:
    """`policy set NAME VALUE --from DATE`. A value for the same policy and date is replaced by a
    new row only through a later date: the history of what applied when is never rewritten."""
    require(actor, Action.ADMINISTER)
    parsed = parse_policy_input(name, value, effective_from)
    with uow:
        _check_consistent(load(uow.session).with_value(parsed), parsed)
        clash = uow.session.scalar(select(PolicyRow).where(
            PolicyRow.name == parsed.name.value, PolicyRow.effective_from == effective_from))
        if clash is not None:
            raise InvalidInput(
                f"Policy {parsed.name.cli_name} already has a value ({clash.value}) from "
                f"{effective_from.isoformat()}; set a new value from a later date instead.")
        uow.session.add(PolicyRow(name=parsed.name.value, value=parsed.text, effective_from=effective_from,
                                  set_by=actor.id, set_at=clock.now()))
        audit.record(uow.session, actor, AccessOperation.ALTERATION, "policy", parsed.name.cli_name,
                     detail=f"{parsed.name.cli_name} = {parsed.text} from {effective_from.isoformat()}")
        from app.services import case_summary  # due dates and flags depend on policy

        case_summary.refresh_all(uow.session)
        uow.commit()
    return parsed


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


@dataclass(frozen=True)
class PolicyLine:
    name: str
    description: str
    value_today: str
    history: tuple[tuple[str, str, str], ...]  # (effective_from, value, set by)


def describe_all(uow: UnitOfWork, actor: User) -> list[PolicyLine]:
    today = clock.today()
    with uow:
        policies = load(uow.session)
        own = {(r.name, r.effective_from): r.set_by for r in uow.session.scalars(select(PolicyRow))}
        names = {u.id: u.username for u in uow.session.scalars(select(UserRow))}
    lines = []
    for name in PolicyName:
        history = tuple(
            (v.effective_from.isoformat(), format_policy_value(v.value),
             names.get(own[(name.value, v.effective_from)] or 0, "") if (name.value, v.effective_from) in own else "default")
            for v in policies.history(name)
        )
        lines.append(PolicyLine(name.cli_name, describe_policy(name),
                                format_policy_value(policies.value_on(name, today)), history))
    return lines
