"""The IOPC liaison's referral register (issue 16): every referral to the IOPC sent in a period, on
the cases the user may open (DOMAIN.md §7 need to know; the liaison reads referred cases), without
victim details; exported as a workbook and logged as a disclosure to the IOPC."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.domain.enums import AccessOperation, CaseStatus, DecisionKind, MisconductOutcome
from app.domain.errors import InvalidInput
from app.domain.forces import force_name
from app.domain.permissions import Action, require
from app.domain.policy import PolicySet
from app.domain.records import CaseSnapshot, Decision, User
from app.domain.workflow.common import history, latest
from app.domain.workflow.investigation import HOME, investigating_body
from app.domain.workflow.iopc import iopc_decision, referral_due_date, referral_grounds
from app.persistence.models import CaseRow, DecisionRow
from app.persistence.uow import UnitOfWork
from app.reports.files import atomic_path
from app.reports.read_models import Period
from app.reports.referral_register import ReferralRow, write_referral_register  # openpyxl only when writing
from app.reports.words import word, words
from app.services import audit, clock, installation, policies
from app.services.case_queries import visible_clause
from app.services.case_state import load_snapshots

MODES = {
    "NOT_NECESSARY_TO_INVESTIGATE": "By the force (returned by the IOPC)",
    "LOCAL_INVESTIGATION": "Local investigation",
    "DIRECTED_INVESTIGATION": "Directed investigation",
    "INDEPENDENT_INVESTIGATION": "Independent investigation",
}


def referral_register(uow: UnitOfWork, actor: User, start: date, end: date) -> list[ReferralRow]:
    """One row per referred allegation, referrals sent from `start` to `end`, in date order."""
    require(actor, Action.EXPORT_REFERRALS)
    if start > end:
        raise InvalidInput(f"--from {start.isoformat()} is after --to {end.isoformat()}.")
    home = installation.home_force(uow).code
    with uow:
        s = uow.session
        case_ids = s.scalars(
            select(DecisionRow.case_id).join(CaseRow, CaseRow.id == DecisionRow.case_id)
            .where(DecisionRow.kind == DecisionKind.IOPC_REFERRAL.name, DecisionRow.effective_date >= start,
                   DecisionRow.effective_date <= end, visible_clause(actor)).distinct()
        ).all()
        snapshots = load_snapshots(s, list(case_ids))
        rules = policies.load(s)
    rows = [row for snap in snapshots.values() for row in _rows(snap, start, end, rules, home)]
    return sorted(rows, key=lambda r: (r.referred_on, r.case_ref, r.subject))


def _rows(snap: CaseSnapshot, start: date, end: date, rules: PolicySet, home: str) -> list[ReferralRow]:
    found = []
    for sent in history(snap, [DecisionKind.IOPC_REFERRAL]):
        if not start <= sent.effective_date <= end:
            continue
        ids = [sent.allegation_id] if sent.allegation_id is not None else [a.id for a in snap.allegations]
        found += [_row(snap, sent, aid, rules, home) for aid in ids if aid is not None]
    return found


def _row(snap: CaseSnapshot, sent: Decision, aid: int, rules: PolicySet, home: str) -> ReferralRow:
    allegation = next(a for a in snap.allegations if a.id == aid)
    person = snap.subjects[allegation.subject_id]
    derived = sorted({g.ground.name for g in referral_grounds(snap, aid)})
    grounds = list(sent.payload.get("grounds") or derived)  # imported referrals record no grounds
    mandatory = bool(derived) or bool(sent.payload.get("mandatory"))  # as the reports count them
    due = referral_due_date(snap, aid, rules) if mandatory else None
    decided = latest(snap, [DecisionKind.IOPC_DECISION], aid)
    decision = iopc_decision(snap, aid)
    return ReferralRow(
        case_ref=snap.case.reference,
        subject=f"{person.full_name} ({person.staff_number})",
        grounds=words(grounds) if mandatory else "Voluntary",
        referred_on=sent.effective_date,
        due_on=due,
        within_deadline=("Yes" if sent.effective_date <= due else "No, late") if due else "No deadline (voluntary)",
        iopc_reference=str((decided.payload.get("iopc_reference") if decided else None)
                           or sent.payload.get("iopc_reference") or ""),
        decision=word(decision.name) if decision else "Awaiting the IOPC's decision",
        decision_on=decided.effective_date if decided else None,
        mode=MODES[decision.name] if decision else "Not yet known",
        investigating_body=_body(investigating_body(snap, aid), home),
        state=_state(snap, aid),
    )


def _body(body: str | None, home: str) -> str:
    if body is None:
        return "Not yet decided"
    if body in (HOME, home):
        return "Home force"
    return "IOPC" if body == "IOPC" else force_name(body)


def _state(snap: CaseSnapshot, aid: int) -> str:
    if snap.case.status is not CaseStatus.OPEN:
        return f"Case {snap.case.status.name.lower()}"
    outcomes = {MisconductOutcome[d.payload["outcome"]] for d in history(snap, [DecisionKind.MISCONDUCT_OUTCOME], aid)}
    if outcomes:
        return "Open: outcome recorded (" + words(sorted(o.name for o in outcomes), ", ").lower() + ")"
    if iopc_decision(snap, aid) is None:
        return "Open: awaiting the IOPC's decision"
    return "Open: under investigation"


def export_referral_register(uow: UnitOfWork, actor: User, start: date, end: date, out: Path) -> list[ReferralRow]:
    """`export referrals --from --to --out`: the register as a workbook, logged as a disclosure to the IOPC."""
    rows = referral_register(uow, actor, start, end)
    force = installation.home_force(uow)
    with atomic_path(out) as temp:
        write_referral_register(temp, rows, Period(start, end), force.name, actor.username, clock.local_now())
        with uow:
            audit.record(uow.session, actor, AccessOperation.DISCLOSURE, "referral_register", out.name,
                         recipient=f"IOPC (file {out.name}, OFFICIAL-SENSITIVE)",
                         detail=f"IOPC referral register {start.isoformat()} to {end.isoformat()}: {len(rows)} rows")
            uow.commit()
    return rows
