"""Reading the force's policy records into the domain's PolicySet (every record, superseded ones
included: the set answers both "what applies" and "what was recorded when").

It sits below the services so that everything deriving from policy (the case list's projection,
the work queue, the rules) reads policies the same way without importing the service that
changes them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.policy import PolicyName, PolicySet, PolicyValue, parse_policy_value
from app.persistence.models import PolicyRow, UserRow


def load(session: Session) -> PolicySet:
    """Every policy record of the force over the shipped defaults."""
    rows = session.execute(
        select(PolicyRow, UserRow.username).outerjoin(UserRow, UserRow.id == PolicyRow.set_by)
        .order_by(PolicyRow.recorded_at, PolicyRow.id))
    values = []
    for row, username in rows:
        name = PolicyName(row.name)
        value = parse_policy_value(name, row.value) if row.value else None
        values.append(PolicyValue(name, value, row.effective_from, row.recorded_at, username, row.reason))
    return PolicySet(values)
