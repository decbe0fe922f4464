"""Read-only look-ups of people to choose from in a dialog, beside the workforce register's own
search (app.services.people_queries.search_people): the current members of a case team with
their user names, so that ending an assignment (app.services.casework.end_assignment) is a choice
among the members rather than a typed user name.

Need to know as for the case view: only a reader of the case (app.services.case_queries.
visible_clause) is told who is on its team, and a refusal is written to the access log as a
refused consultation, as opening the case would be. Nothing is logged through `logging`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.domain.enums import AccessOperation, AssignmentRole
from app.domain.errors import NotFound, PermissionDenied
from app.domain.permissions import Action, require
from app.domain.records import User
from app.persistence.models import CaseMemberRow, CaseRow, UserRow
from app.persistence.uow import UnitOfWork
from app.services import audit
from app.services.case_queries import visible_clause

ASSIGNMENT_ROLES = tuple(r.name for r in AssignmentRole)  # not NAMED_ACCESS: that is not a team role


@dataclass(frozen=True)
class TeamChoice:
    username: str
    display_name: str
    role: AssignmentRole
    declared_no_prior_connection: bool


def current_team(uow: UnitOfWork, actor: User, case_id: int) -> list[TeamChoice]:
    """The case team's members whose assignment has not ended, by role then user name."""
    require(actor, Action.READ_CASE)
    with uow:
        s = uow.session
        reference = s.scalar(select(CaseRow.reference).where(CaseRow.id == case_id))
        if reference is None:
            raise NotFound(f"There is no case with id {case_id}.")
        if s.scalar(select(CaseRow.id).where(CaseRow.id == case_id, visible_clause(actor))) is None:
            audit.record_refusal(s, actor, AccessOperation.CONSULTATION, "case", reference, "case team")
            raise PermissionDenied(f"You may not see the team of case {reference}: only its case team and "
                                   "supervisors may, and never someone connected to a subject or victim.")
        rows = s.execute(
            select(UserRow.username, UserRow.display_name, CaseMemberRow.role,
                   CaseMemberRow.declared_no_prior_connection)
            .join(UserRow, UserRow.id == CaseMemberRow.user_id)
            .where(CaseMemberRow.case_id == case_id, CaseMemberRow.ended_at.is_(None),
                   CaseMemberRow.role.in_(ASSIGNMENT_ROLES))
            .order_by(CaseMemberRow.role, UserRow.username)).all()
    return [TeamChoice(r.username, r.display_name, AssignmentRole[r.role], r.declared_no_prior_connection)
            for r in rows]
