"""What the rules say about a case now, for the case view to show (read-only): the measures in
force and their review date, the mandatory IOPC referral grounds, why force guidance wants an
external investigation, the criminal and misconduct tracks, the notification tasks and what still
blocks closure. Every figure is the domain's (app.domain.workflow); the services still decide
every write.

Need to know as opening the case: the case team and supervisors, the IOPC liaison on a referred
case. Reading the facts is part of opening the case, which logs the consultation: nothing more is
logged, except a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.domain import workflow as wf
from app.domain.enums import AccessOperation, DecisionKind
from app.domain.errors import PermissionDenied
from app.domain.permissions import Action, require
from app.domain.policy import PolicySet
from app.domain.records import CaseSnapshot, User
from app.domain.workflow.investigation import investigating_body
from app.domain.workflow.notifications import Task
from app.domain.workflow.recording import threshold_met_date
from app.persistence.models import CaseRow
from app.persistence.uow import UnitOfWork
from app.services import audit, clock, policies
from app.services.case_queries import visible_clause
from app.services.case_state import load_snapshots


@dataclass(frozen=True)
class AllegationFacts:
    allegation_id: int
    subject: str
    subject_person_id: int
    in_force: tuple[str, ...]  # RestrictionOption names
    restriction_decided: bool
    review_due: date | None
    grounds: tuple[tuple[str, str], ...]  # (MandatoryGround name, why it applies)
    criminal: str | None  # CriminalOutcome name
    misconduct: str | None  # the final misconduct outcome's name
    accelerated_hearing_due: date | None  # a conviction flags "dismissal expected"
    body: str | None
    threshold_met: date | None


@dataclass(frozen=True)
class CaseFacts:
    today: date
    allegations: tuple[AllegationFacts, ...]
    external_reasons: tuple[str, ...]
    closure_blockers: tuple[str, ...]
    tasks: tuple[Task, ...]
    body: str | None
    referred: bool

    def allegation(self, allegation_id: int | None) -> AllegationFacts | None:
        return next((a for a in self.allegations if a.allegation_id == allegation_id), None)


def case_facts(uow: UnitOfWork, actor: User, case_id: int) -> CaseFacts:
    """The facts of a case `actor` may read."""
    today = clock.today()
    with uow:
        s = uow.session
        require(actor, Action.READ_CASE)
        reference = s.scalar(select(CaseRow.reference).where(CaseRow.id == case_id))
        if s.scalar(select(CaseRow.id).where(CaseRow.id == case_id, visible_clause(actor))) is None:
            audit.record_refusal(s, actor, AccessOperation.CONSULTATION, "case", reference or case_id, "case facts")
            uow.commit()
            raise PermissionDenied(f"You may not open case {reference or case_id}.")
        snap = load_snapshots(s, [case_id])[case_id]
        policy_set = policies.load(s)
    return CaseFacts(
        today, tuple(_allegation(snap, a.id, policy_set) for a in snap.allegations if a.id is not None),
        tuple(wf.external_investigation_reasons(snap, policy_set, today)),
        tuple(wf.closure_blockers(snap, policy_set)), tuple(wf.notification_tasks(snap, policy_set)),
        investigating_body(snap), bool(snap.decisions_of(DecisionKind.IOPC_REFERRAL)))


def _allegation(snap: CaseSnapshot, aid: int, policy_set: PolicySet) -> AllegationFacts:
    a = next(x for x in snap.allegations if x.id == aid)
    person = snap.subjects[a.subject_id]
    state = wf.measures(snap, aid)
    final = wf.final_outcome(snap, aid)
    criminal = wf.current_criminal_outcome(snap, aid)
    return AllegationFacts(
        aid, f"{person.surname}, {person.forenames}", a.subject_id, tuple(sorted(o.name for o in state.in_force)),
        state.decided, wf.review_due(snap, aid, policy_set),
        tuple((g.ground.name, g.reason) for g in wf.referral_grounds(snap, aid)),
        criminal.name if criminal else None, str(final.payload["outcome"]) if final else None,
        next((d.accelerated_hearing_due for d in wf.dismissal_expected(snap, policy_set) if d.allegation_id == aid),
             None), investigating_body(snap, aid), threshold_met_date(snap, aid))
