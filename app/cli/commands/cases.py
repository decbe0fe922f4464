"""Subcommands on one case, driven by the registry of case actions (app.services.actions): what the
user may do next and why not, doing an action (or proposing it for approval), the proposals
awaiting approval, and the decision timeline with who proposed, decided and approved each.

    ppda-tracker case actions REF
    ppda-tracker case args [ACTION]
    ppda-tracker case do REF ACTION [--arg NAME=VALUE]... [--approver NAME | --propose]
    ppda-tracker case proposals | case approve ID | case reject ID --reason R | case withdraw ID
    ppda-tracker case timeline REF
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from app.cli.commands.base import ENV_APPROVER_PASSWORD, Sub, approver_password, command
from app.domain.errors import InvalidInput

if TYPE_CHECKING:
    from app.cli.session import CliSession
    from app.services.actions import Availability

USAGE = 2  # FORMATS.md: wrong usage


def register(sub: Sub, roles: list[str]) -> None:
    p = sub.add_parser("case", help="one case: what you may do next, do it or propose it, approvals, its timeline")
    cs = p.add_subparsers(dest="case_command", required=True)
    a = command(cs, "actions", cmd_actions, "every action on the case: whether you may take it now, and if not why")
    a.add_argument("reference", metavar="REF")
    g = command(cs, "args", cmd_args, "the arguments each action takes (--arg NAME=VALUE)")
    g.add_argument("action", nargs="?", metavar="ACTION")
    d = command(cs, "do", cmd_do, "take an action on the case (or propose it for approval with --propose)")
    d.add_argument("reference", metavar="REF")
    d.add_argument("action", metavar="ACTION", help="see 'case actions REF' and 'case args'")
    d.add_argument("--arg", action="append", default=[], metavar="NAME=VALUE", dest="args",
                   help="an argument of the action; lists separated by ';' (or the argument repeated)")
    who = d.add_mutually_exclusive_group()
    who.add_argument("--approver", metavar="NAME",
                     help=f"the co-signer or approver signing in beside you (password from {ENV_APPROVER_PASSWORD})")
    who.add_argument("--propose", action="store_true", help="propose it for approval later instead of recording it")
    command(cs, "proposals", cmd_proposals, "proposals awaiting your approval, and your own")
    ap = command(cs, "approve", cmd_approve, "approve a proposal: the decision is recorded now")
    ap.add_argument("proposal", type=int, metavar="ID")
    rj = command(cs, "reject", cmd_reject, "reject a proposal with a reason (the proposer sees it)")
    rj.add_argument("proposal", type=int, metavar="ID")
    rj.add_argument("--reason", required=True)
    wd = command(cs, "withdraw", cmd_withdraw, "withdraw your own proposal")
    wd.add_argument("proposal", type=int, metavar="ID")
    t = command(cs, "timeline", cmd_timeline, "the case's allegations (their numbers) and decisions, with who "
                "proposed, decided and approved each")
    t.add_argument("reference", metavar="REF")


# ---- what may I do next ---------------------------------------------------------------------------

def _line(a: Availability) -> str:
    if not a.may:
        return f"  no       {a.name:22} {a.title}: {a.why_not}"
    notes = [a.second] if a.second else []
    if a.may_propose:
        notes.append("or propose it (--propose)")
    mark = "co-sign" if not a.decides else "yes"
    return f"  {mark:8} {a.name:22} {a.title}" + (f" — {'; '.join(notes)}" if notes else "")


def cmd_actions(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import actions

    user = s.user()
    case_id = actions.case_id(s.uow(), a.reference)
    found = actions.available_actions(s.uow(), user, case_id)
    print(f"{a.reference.strip()}: what {user.username} may do next")
    for item in found:
        print(_line(item))
    print(f"{sum(x.may for x in found)} of {len(found)} actions open to you now.")
    return 0


def cmd_args(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import actions

    names = [a.action] if a.action else list(actions.ACTIONS)
    if a.action and a.action not in actions.ACTIONS:
        return _unknown(a.action)
    for name in names:
        spec = actions.ACTIONS[name]
        print(f"{name}: {spec.title}" + (" (may be proposed)" if spec.proposable else ""))
        for arg in spec.args:
            print(f"    {arg.name:32} {'required; ' if arg.required else ''}{arg.help}")
    return 0


def _unknown(name: str) -> int:
    from app.services import actions

    print(f"ppda-tracker case: there is no action '{name}'; the actions are: {', '.join(actions.ACTIONS)}.",
          file=sys.stderr)
    return USAGE


# ---- doing it -------------------------------------------------------------------------------------

def parse_args(pairs: list[str]) -> dict[str, Any]:
    """--arg NAME=VALUE pairs; a name given twice makes a list (joined with ';')."""
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"--arg {pair!r}: give it as NAME=VALUE, e.g. --arg allegation_id=12.")
        key = name.strip()
        found[key] = f"{found[key]};{value}" if key in found else value
    return found


def _done(result: Any, title: str, reference: str) -> str:
    from app.services import actions
    from app.services.casework import DecisionRecorded

    if isinstance(result, actions.Proposed):
        return f"{title} proposed for approval on {reference}: proposal {result.proposal_id}."
    if isinstance(result, DecisionRecorded):
        ids = ", ".join(map(str, result.decision_ids))
        return f"{title} recorded on {reference} (decision {ids}; case version {result.case_version})."
    return f"{title} done on {reference}."


def cmd_do(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import actions, users

    if a.action not in actions.ACTIONS:
        return _unknown(a.action)
    arguments = parse_args(a.args)
    actor = s.user()
    case_id = actions.case_id(s.uow(), a.reference)
    if a.propose:
        result = actions.propose(s.uow(), actor, case_id, a.action, arguments)
    else:
        second = users.authenticate(s.uow(), a.approver, approver_password(a.approver)) if a.approver else None
        result = actions.perform(s.uow(), actor, case_id, a.action, arguments, approver=second)
    print(_done(result, actions.ACTIONS[a.action].title, a.reference.strip()))
    return 0


# ---- proposals ------------------------------------------------------------------------------------

def cmd_proposals(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import actions

    user = s.user()
    rows = actions.pending_for(s.uow(), user)
    for p in rows:
        state = (f"rejected by {p.decided_by}: {p.reason}" if p.status == "REJECTED" else
                 f"awaiting approval by {p.awaiting}" + (" (yours to approve)" if p.yours_to_approve else ""))
        subject = f" ({p.subject})" if p.subject else ""
        print(f"  #{p.id:<5} {p.case_ref:18} {p.what}{subject} — proposed by {p.proposed_by} "
              f"on {p.proposed_at:%Y-%m-%d %H:%M}; {state}")
    print(f"{len(rows)} proposal(s).")
    return 0


def cmd_approve(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import actions

    done = actions.approve(s.uow(), s.user(), a.proposal)
    print(f"Proposal {a.proposal} approved: the decision is recorded (decision "
          f"{', '.join(map(str, done.decision_ids))}; case version {done.case_version}).")
    return 0


def cmd_reject(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import actions

    actions.reject(s.uow(), s.user(), a.proposal, a.reason)
    print(f"Proposal {a.proposal} rejected; the person who proposed it sees your reason.")
    return 0


def cmd_withdraw(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import actions

    actions.withdraw(s.uow(), s.user(), a.proposal)
    print(f"Proposal {a.proposal} withdrawn.")
    return 0


# ---- the timeline ---------------------------------------------------------------------------------

def cmd_timeline(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import actions, case_queries

    user = s.user()
    detail = case_queries.open_case(s.uow(), user, actions.case_id(s.uow(), a.reference))
    print(f"{detail.reference} ({detail.status.lower()})")
    for al in detail.allegations:
        print(f"  allegation {al.id}: {al.subject} ({al.subject_staff_number}), subject number {al.subject_person_id}")
    print(f"{len(detail.timeline)} decision(s):")
    for e in detail.timeline:
        people = "; ".join(x for x in (f"proposed by {e.proposed_by}" if e.proposed_by else "",
                                        e.decided_by if e.decided_by.startswith("imported")
                                        else f"decided by {e.decided_by}",
                                        f"approved by {e.approved_by}" if e.approved_by else "") if x)
        what = "; ".join(f"{k}: {v}" for k, v in e.details)
        print(f"  {e.effective_date.isoformat()}  {e.kind:32} {e.subject or 'whole case'} — {what or '-'} ({people})")
    return 0
