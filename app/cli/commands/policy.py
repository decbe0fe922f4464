"""`policy set | list | history`: the force's dated policies, their corrections and what was
recorded when (app/services/policies.py)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.commands.base import Sub, command, iso_date

if TYPE_CHECKING:
    from app.cli.session import CliSession
    from app.services.policies import PolicyEntry, PolicyLine

AS_RECORDED_HELP = "as the policies were recorded at the end of this day (default: as recorded now)"


def register(sub: Sub) -> None:
    p = sub.add_parser("policy", help="force policies (dated values, with their corrections)")
    ps = p.add_subparsers(dest="policy_command", required=True)
    c = command(ps, "set", cmd_policy_set, "set a policy value from a date, e.g. external-investigation-guidance ALL")
    c.add_argument("name")
    c.add_argument("value")
    c.add_argument("--from", dest="effective_from", required=True, type=iso_date, metavar="DATE")
    c.add_argument("--reason", help="why: needed when DATE is before today (a correction of what applied then)")
    ls = command(ps, "list", cmd_policy_list, "list the policies and their value on a date (default today)")
    ls.add_argument("--on", type=iso_date, metavar="DATE", help="the value in force on this date (default: today)")
    ls.add_argument("--as-recorded-on", type=iso_date, metavar="DATE", help=AS_RECORDED_HELP)
    h = command(ps, "history", cmd_policy_history,
                "one policy's history: every value, when and by whom it was recorded, corrections with their reason")
    h.add_argument("name")
    h.add_argument("--as-recorded-on", type=iso_date, metavar="DATE", help=AS_RECORDED_HELP)


def cmd_policy_set(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import policies

    change = policies.set_policy(s.uow(), s.user(), a.name, a.value, a.effective_from, reason=a.reason)
    v = change.value
    was = change.previous or "not set"
    print(f"Policy {v.name.cli_name} = {v.text} from {v.effective_from.isoformat()} (was {was}).")
    if change.correction:
        print(f"Recorded as a correction of what applied from {v.effective_from.isoformat()}, with the reason given; "
              "the policy history shows it.")
    print(f"{change.cases_with_new_due_dates} open case(s) have a new next due date.")
    return 0


def cmd_policy_list(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import policies

    lines = policies.describe_all(s.uow(), s.user(), on=a.on, as_recorded_on=a.as_recorded_on)
    if lines:
        print(_heading(lines[0]))
    for line in lines:
        mark = " (corrected)" if any(e.correction for e in line.entries) else ""
        print(f"{line.name:48} {line.value + mark:24} {line.description}")
    return 0


def cmd_policy_history(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import policies

    line = policies.describe(s.uow(), s.user(), a.name, as_recorded_on=a.as_recorded_on)
    print(f"{line.name}: {line.description}")
    print(_heading(line).rstrip(":") + f": {line.value or 'not set'}")
    print(f"{'effective from':16} {'value':24} recorded")
    for entry in line.entries:
        print(entry_text(entry))
    return 0


def _heading(line: PolicyLine) -> str:
    when = "now" if line.as_recorded_on is None else f"at the end of {line.as_recorded_on.isoformat()}"
    return f"In force on {line.on.isoformat()}, as recorded {when}:"


def entry_text(e: PolicyEntry) -> str:
    """One history line: `2020-01-01  14  recorded 2026-07-14 00:30 by admin; CORRECTION: reason`."""
    start = e.effective_from.isoformat() if e.effective_from else "always"
    who = "shipped default" if e.recorded_at is None else f"recorded {e.recorded_at:%Y-%m-%d %H:%M} by {e.recorded_by}"
    notes = [n for n in (f"CORRECTION: {e.reason or 'no reason recorded'}" if e.correction else
                         (f"reason: {e.reason}" if e.reason else ""),
                         "superseded by a later record" if e.superseded else "") if n]
    return f"{start:16} {e.value:24} {who}" + ("; " + "; ".join(notes) if notes else "")
