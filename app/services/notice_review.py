"""The review queue of candidate prior-notice matches (DOMAIN.md §4): a reviewer confirms or
rejects a pair with a rationale; a confirmed match raises a vetting review, recorded here once;
a confirmed domestic-abuse notice opens one PPDA case, created and linked in one transaction.

A reviewer never sees or decides a pair about themselves or someone they line-manage. Decisions
are logged as combinations, the vetting review and the link as alterations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, and_, func, or_, select, true, update
from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation, MatchState, NoticeRecordType, TriageOutcome
from app.domain.errors import InvalidInput, NotFound, PermissionDenied, RuleRefused
from app.domain.permissions import Action, require
from app.domain.records import User
from app.persistence.models import AllegationRow, CaseRow, NoticeMatchRow, NoticeRow, PersonRow
from app.persistence.uow import UnitOfWork
from app.services import audit, case_summary, clock
from app.services.case_queries import visible_clause
from app.services.casework.inputs import CaseIntake
from app.services.casework.intake import CaseCreated, create_case


def _refresh_confirmed_people(session: Session, person_ids: list[int]) -> None:
    if person_ids:
        case_ids = session.scalars(select(AllegationRow.case_id).where(AllegationRow.subject_id.in_(person_ids)))
        case_summary.refresh(session, set(case_ids))


# ---- the review queue ------------------------------------------------------------------------

@dataclass(frozen=True)
class MatchView:
    """One candidate pair, side by side, for a reviewer."""

    match_id: int
    state: str
    decision: str
    score: float
    reasons: tuple[str, ...]
    notice_id: str
    issuing_force: str
    notice_date: date
    record_type: str
    notice_name: str
    notice_dob: date | None
    notice_identifiers: str
    summary: str | None
    handling: str | None
    person_id: int
    staff_number: str
    person_name: str
    person_dob: date | None
    person_previous_names: str
    person_unit: str | None
    person_status: str
    triage_outcome: str | None = None
    rationale: str | None = None
    offers_case: bool = False
    vetting_reviewed_on: date | None = None  # the vetting review a confirmed match raised, once recorded
    vetting_result: str | None = None
    linked_case_id: int | None = None  # the PPDA case opened from the notice
    linked_case: str | None = None  # its reference, when the reader may see that case
    notice_dob_year_only: bool = False  # the notice gives only the year of birth

    @property
    def vetting_done(self) -> bool:
        return self.vetting_reviewed_on is not None

    @property
    def case_linked(self) -> bool:
        return self.linked_case_id is not None


def _conflicted(actor: User, person: PersonRow) -> bool:
    return actor.person_id is not None and actor.person_id in (person.id, person.line_manager_id)


def _not_conflicted(actor: User) -> ColumnElement[bool]:
    """`not _conflicted(actor, person)` in SQL: never a pair about the reviewer or someone they line-manage."""
    if actor.person_id is None:
        return true()
    return and_(PersonRow.id != actor.person_id,
                or_(PersonRow.line_manager_id.is_(None), PersonRow.line_manager_id != actor.person_id))


def _queue(actor: User, state: MatchState, *columns: Any) -> Select[Any]:
    """The pairs in `state` that `actor` may review: the one rule the queue and its count share."""
    require(actor, Action.TRIAGE_NOTICE)
    return (select(*columns).select_from(NoticeMatchRow)
            .join(NoticeRow, NoticeRow.id == NoticeMatchRow.notice_id)
            .join(PersonRow, PersonRow.id == NoticeMatchRow.person_id)
            .where(NoticeMatchRow.state == state.name, _not_conflicted(actor)))


def review_queue(uow: UnitOfWork, actor: User, state: MatchState = MatchState.PROPOSED) -> list[MatchView]:
    stmt = _queue(actor, state, NoticeMatchRow, NoticeRow, PersonRow).order_by(
        NoticeMatchRow.score.desc(), NoticeMatchRow.id
    )
    with uow:
        s = uow.session
        rows = s.execute(stmt).all()
        cases = _case_references(s, actor, {m.case_id for m, _n, _p in rows if m.case_id is not None})
        views = [_view(m, n, p, cases.get(m.case_id)) for m, n, p in rows]
        audit.record(
            s, actor, AccessOperation.CONSULTATION, "notice_match", None, detail=f"review queue: {len(views)} pairs"
        )
        uow.commit()
    return views


def pending_count(uow: UnitOfWork, actor: User) -> int:
    """How many pairs await `actor`'s review (the length of `review_queue`), counted by the database.
    Not logged: a number discloses no one's personal data."""
    stmt = _queue(actor, MatchState.PROPOSED, func.count(NoticeMatchRow.id))
    with uow:
        return uow.session.scalar(stmt) or 0


def _case_references(s: Session, actor: User, case_ids: set[int]) -> dict[int, str]:
    """The references of the linked cases that `actor` may see."""
    if not case_ids:
        return {}
    return dict(s.execute(select(CaseRow.id, CaseRow.reference)
                          .where(CaseRow.id.in_(sorted(case_ids)), visible_clause(actor))).all())


def _view(m: NoticeMatchRow, n: NoticeRow, p: PersonRow, case_reference: str | None = None) -> MatchView:
    ids = ", ".join(f"{k} {v}" for k, v in (("staff", n.staff_number), ("warrant", n.warrant_number),
                                             ("PNC", n.pnc_id), ("employer", n.employing_force)) if v)
    return MatchView(
        m.id, m.state, m.decision, m.score, tuple(r for r in m.reasons.split("; ") if r), n.notice_ref,
        n.issuing_force, n.notice_date, n.record_type, f"{n.forenames} {n.surname}", n.date_of_birth, ids,
        n.summary, n.handling, p.id, p.staff_number, f"{p.forenames} {p.surname}", p.date_of_birth,
        "; ".join(x.full_name for x in p.previous_names), p.unit, p.employment_status, m.triage_outcome,
        m.rationale, n.record_type == NoticeRecordType.DOMESTIC_ABUSE_INCIDENT.name,
        clock.local_date(m.vetting_reviewed_at) if m.vetting_reviewed_at else None, m.vetting_result, m.case_id,
        case_reference,
        bool(n.dob_year_only),
    )


def _match(s: Session, actor: User, match_id: int) -> tuple[NoticeMatchRow, NoticeRow, PersonRow]:
    """The pair, unless it is about `actor` or someone they line-manage."""
    row = s.execute(
        select(NoticeMatchRow, NoticeRow, PersonRow)
        .join(NoticeRow, NoticeRow.id == NoticeMatchRow.notice_id)
        .join(PersonRow, PersonRow.id == NoticeMatchRow.person_id)
        .where(NoticeMatchRow.id == match_id)
    ).first()
    if row is None:
        raise NotFound(f"No candidate match {match_id}.")
    m, n, p = row
    if _conflicted(actor, p):
        raise PermissionDenied("You cannot review a match about yourself or someone you line-manage.")
    return m, n, p


def _pending_match(s: Session, actor: User, match_id: int) -> tuple[NoticeMatchRow, NoticeRow, PersonRow]:
    m, n, p = _match(s, actor, match_id)
    if m.state != MatchState.PROPOSED.name:
        raise RuleRefused(f"This pair was already {m.state.lower()}; a decision on it is never changed.")
    return m, n, p


def _confirmed_match(s: Session, actor: User, match_id: int, refusal: str) -> NoticeMatchRow:
    m, _n, _p = _match(s, actor, match_id)
    if m.state != MatchState.CONFIRMED.name:
        raise RuleRefused(refusal)
    return m


def _rationale(text: str) -> str:
    if len((text or "").strip()) < 10:
        raise InvalidInput("Give the rationale for the decision (at least a sentence): reviewers and auditors read it.")
    return text.strip()


def _decide(s: Session, actor: User, match_id: int, state: MatchState, outcome: TriageOutcome,
            rationale: str) -> tuple[NoticeMatchRow, NoticeRow, PersonRow]:
    """Record the reviewer's decision on a pair still awaiting one."""
    m, n, p = _pending_match(s, actor, match_id)
    m.state, m.reviewed_by, m.reviewed_at = state.name, actor.id, clock.now()
    m.triage_outcome, m.rationale = outcome.name, rationale
    return m, n, p


def confirm_match(uow: UnitOfWork, actor: User, match_id: int, outcome: TriageOutcome, rationale: str) -> MatchView:
    """Confirm: the person is flagged on every screen and open case, and a vetting review is due."""
    require(actor, Action.TRIAGE_NOTICE)
    text = _rationale(rationale)
    with uow:
        s = uow.session
        m, n, p = _decide(s, actor, match_id, MatchState.CONFIRMED, outcome, text)
        _refresh_confirmed_people(s, [p.id])
        audit.record(s, actor, AccessOperation.COMBINATION, "notice_match", match_id,
                     detail=f"confirmed; triage {outcome.name}")
        view = _view(m, n, p)
        uow.commit()
    return view


def reject_match(uow: UnitOfWork, actor: User, match_id: int, rationale: str) -> None:
    require(actor, Action.TRIAGE_NOTICE)
    text = _rationale(rationale)
    with uow:
        _decide(uow.session, actor, match_id, MatchState.REJECTED, TriageOutcome.NO_FURTHER_ACTION, text)
        audit.record(uow.session, actor, AccessOperation.COMBINATION, "notice_match", match_id, detail="rejected")
        uow.commit()


def record_vetting_review(uow: UnitOfWork, actor: User, match_id: int, result: str) -> None:
    """The vetting review a confirmed match raised is done: recorded once, never changed."""
    require(actor, Action.DECIDE)
    if len((result or "").strip()) < 3:
        raise InvalidInput("Record the result of the vetting review.")
    with uow:
        m = _confirmed_match(uow.session, actor, match_id, "Only a confirmed match raises a vetting review.")
        if m.vetting_reviewed_at is not None:
            raise RuleRefused(f"The vetting review this match raised was already recorded on "
                              f"{clock.local(m.vetting_reviewed_at):%d %b %Y}; a recorded review is never changed.")
        m.vetting_reviewed_by, m.vetting_reviewed_at, m.vetting_result = actor.id, clock.now(), result.strip()
        audit.record(
            uow.session, actor, AccessOperation.ALTERATION, "notice_match", match_id, detail="vetting review recorded"
        )
        uow.commit()


ALREADY_LINKED = "This match is already linked to a PPDA case; a notice opens one case only."


def _linkable(s: Session, actor: User, match_id: int) -> NoticeMatchRow:
    m = _confirmed_match(s, actor, match_id, "Only a confirmed match can be linked to a PPDA case.")
    if m.case_id is not None:
        raise RuleRefused(ALREADY_LINKED)
    return m


def check_linkable(uow: UnitOfWork, actor: User, match_id: int) -> None:
    """Refuse now what `link_case` would refuse, before a case is opened for the match."""
    require(actor, Action.EDIT_CASE)
    with uow:
        _linkable(uow.session, actor, match_id)


def _link(s: Session, actor: User, match_id: int, case_id: int) -> None:
    """Link the match to the case, refused when someone else linked it first (the conditional
    UPDATE lets only one of two concurrent links succeed)."""
    m = _linkable(s, actor, match_id)
    table = cast(Table, NoticeMatchRow.__table__)
    done = s.execute(update(table).where(table.c.id == match_id, table.c.case_id.is_(None)).values(case_id=case_id))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise RuleRefused(ALREADY_LINKED)
    s.expire(m)
    audit.record(s, actor, AccessOperation.ALTERATION, "notice_match", match_id, detail="linked to a case")


def link_case(uow: UnitOfWork, actor: User, match_id: int, case_id: int) -> None:
    """Remember the PPDA case opened from a confirmed domestic-abuse notice (one case per match)."""
    require(actor, Action.EDIT_CASE)
    with uow:
        if uow.session.scalar(select(CaseRow.id).where(CaseRow.id == case_id, visible_clause(actor))) is None:
            raise NotFound("No such case that you may see.")
        _link(uow.session, actor, match_id, case_id)
        uow.commit()


def open_case_for_match(uow: UnitOfWork, actor: User, match_id: int, intake: CaseIntake) -> CaseCreated:
    """Open a PPDA case from a confirmed match and link it, in one transaction, logged as both a
    case collection and a link: when the match cannot be linked (e.g. another user linked it
    meanwhile), the case is not created either."""
    require(actor, Action.EDIT_CASE)
    return create_case(uow, actor, intake, then=lambda s, case_id: _link(s, actor, match_id, case_id))
