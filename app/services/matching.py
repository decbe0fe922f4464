"""Cross-force prior notices against the workforce register (DOMAIN.md §4): matching after each
import, the whole data wash, and the review queue where a person confirms or rejects a candidate.

Every run is logged as a combination. A pair a reviewer rejected is not proposed again unless
the notice or the person changed since (their versions are kept with the pair).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true
from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation, MatchState, NoticeRecordType, TriageOutcome
from app.domain.errors import InvalidInput, NotFound, PermissionDenied, RuleRefused
from app.domain.matching.engine import collector_paused
from app.domain.matching import Candidate, MatchIndex, NoticeEntry, NoticeIndex, RegisterEntry, Thresholds
from app.domain.permissions import Action, require
from app.domain.policy import PolicyName, PolicySet
from app.domain.records import User
from app.domain.workflow import ConfirmedMatch, DueItem, PendingNotice, notice_due_items
from app.persistence.models import (
    AllegationRow, CaseRow, NoticeMatchRow, NoticeRow, PersonRow, PreviousNameRow, SettingRow,
)
from app.persistence.uow import UnitOfWork
from app.reports.files import atomic_path
from app.services import audit, case_summary, clock, policies

REPORT_HEADER = ["notice_id", "issuing_force", "staff_number", "score", "decision", "reasons"]
CHUNK = 900


def thresholds(policy_set: PolicySet, on: date) -> Thresholds:
    return Thresholds(match=policy_set.float_on(PolicyName.MATCH_AUTO_THRESHOLD, on),
                      review=policy_set.float_on(PolicyName.MATCH_REVIEW_THRESHOLD, on))


def _home(session: Session) -> str:
    row = session.get(SettingRow, "home_force")
    if row is None:
        raise RuleRefused("The database has not been set up.")
    return row.value


# ---- loading plain entries -------------------------------------------------------------------

def register_entries(session: Session, person_ids: Sequence[int] | None = None) -> list[RegisterEntry]:
    names: dict[int, list[str]] = defaultdict(list)
    stmt_names = select(PreviousNameRow.person_id, PreviousNameRow.full_name)
    people = select(PersonRow.id, PersonRow.staff_number, PersonRow.surname, PersonRow.forenames,
                    PersonRow.date_of_birth, PersonRow.warrant_number).where(PersonRow.anonymised.is_(False))
    if person_ids is not None:
        stmt_names = stmt_names.where(PreviousNameRow.person_id.in_(person_ids))
        people = people.where(PersonRow.id.in_(person_ids))
    for pid, full in session.execute(stmt_names):
        names[pid].append(full)
    return [RegisterEntry(pid, sn, sur, fore, dob, warrant, tuple(names.get(pid, ())))
            for pid, sn, sur, fore, dob, warrant in session.execute(people)]


def _notice_stmt():  # type: ignore[no-untyped-def]
    return select(NoticeRow.id, NoticeRow.notice_ref, NoticeRow.issuing_force, NoticeRow.surname, NoticeRow.forenames,
                  NoticeRow.date_of_birth, NoticeRow.staff_number, NoticeRow.warrant_number, NoticeRow.pnc_id,
                  NoticeRow.employing_force)


def notice_entries(session: Session, notice_ids: Sequence[int] | None = None) -> list[NoticeEntry]:
    stmt = _notice_stmt()
    if notice_ids is not None:
        stmt = stmt.where(NoticeRow.id.in_(notice_ids))
    return [NoticeEntry(*row) for row in session.execute(stmt.execution_options(yield_per=20000))]


# ---- storing candidates ----------------------------------------------------------------------

def store(session: Session, candidates: Iterable[Candidate]) -> int:
    """Keep new candidates; re-propose a rejected pair only when the notice or person changed."""
    found = list(candidates)
    if not found:
        return 0
    notice_v = _versions(session, NoticeRow, {c.notice_key for c in found})
    person_v = _versions(session, PersonRow, {c.person_id for c in found})
    held = {(m.notice_id, m.person_id): m for m in _held(session, {c.notice_key for c in found})}
    now, stored = clock.now(), 0
    for c in found:
        old = held.get((c.notice_key, c.person_id))
        nv, pv = notice_v[c.notice_key], person_v[c.person_id]
        if old is not None and (old.state != MatchState.REJECTED.name or (old.notice_version, old.person_version) == (nv, pv)):
            continue
        if old is None:
            session.add(NoticeMatchRow(notice_id=c.notice_key, person_id=c.person_id, score=c.score,
                                       decision=c.decision.name, reasons="; ".join(c.reasons), state=MatchState.PROPOSED.name,
                                       found_at=now, notice_version=nv, person_version=pv))
        else:
            old.score, old.decision, old.reasons = c.score, c.decision.name, "; ".join(c.reasons)
            old.state, old.found_at, old.notice_version, old.person_version = MatchState.PROPOSED.name, now, nv, pv
            old.reviewed_by = old.reviewed_at = old.triage_outcome = old.rationale = None
        stored += 1
    session.flush()
    return stored


def _versions(session: Session, model: type[NoticeRow] | type[PersonRow], ids: set[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), CHUNK):
        out.update({k: v for k, v in session.execute(select(model.id, model.version).where(model.id.in_(ordered[i:i + CHUNK])))})
    return out


def _held(session: Session, notice_ids: set[int]) -> list[NoticeMatchRow]:
    ordered, out = sorted(notice_ids), []
    for i in range(0, len(ordered), CHUNK):
        out += list(session.scalars(select(NoticeMatchRow).where(NoticeMatchRow.notice_id.in_(ordered[i:i + CHUNK]))))
    return out


# ---- runs ------------------------------------------------------------------------------------

def match_notices(uow: UnitOfWork, actor: User, notice_ids: Sequence[int]) -> int:
    """New or changed notices against the whole register (runs after a notice import)."""
    if not notice_ids:
        return 0
    with uow:
        s = uow.session
        index = MatchIndex(register_entries(s), _home(s), thresholds(policies.load(s), clock.today()))
        found = [c for n in notice_entries(s, notice_ids) for c in index.match(n)]
        stored = store(s, found)
        audit.record(s, actor, AccessOperation.COMBINATION, "notice_match", None,
                     detail=f"{len(notice_ids)} notices matched against the register: {stored} candidates")
        uow.commit()
    return stored


def match_people(uow: UnitOfWork, actor: User, person_ids: Sequence[int]) -> int:
    """New or changed people against every held notice (runs after a workforce import)."""
    if not person_ids:
        return 0
    with uow:
        s = uow.session
        notices = notice_entries(s)
        if not notices:
            return 0
        index = NoticeIndex(notices, _home(s), thresholds(policies.load(s), clock.today()))
        found = [c for p in register_entries(s, person_ids) for c in index.match_person(p)]
        stored = store(s, found)
        audit.record(s, actor, AccessOperation.COMBINATION, "notice_match", None,
                     detail=f"{len(person_ids)} people matched against held notices: {stored} candidates")
        uow.commit()
    return stored


@dataclass(frozen=True)
class WashSummary:
    people: int
    notices: int
    candidates: int
    matches: int
    reviews: int
    new: int
    report: Path | None

    def __str__(self) -> str:
        tail = f"; report written to {self.report}" if self.report else ""
        return (f"Data wash: {self.people} people against {self.notices} notices: {self.candidates} candidates "
                f"({self.matches} MATCH, {self.reviews} REVIEW), {self.new} new for review{tail}.")


def data_wash(uow: UnitOfWork, actor: User, out: Path | None = None) -> WashSummary:
    """The whole workforce against every held notice (`ppda-tracker match [--out FILE.csv]`)."""
    require(actor, Action.DATA_WASH)
    with uow:
        s = uow.session
        register = register_entries(s)
        index = MatchIndex(register, _home(s), thresholds(policies.load(s), clock.today()))
        notices = notice_entries(s)
        with collector_paused():  # a million notices in memory: collections would cost ~45 %
            found = [c for n in notices for c in index.match(n)]
        new = store(s, found)
        audit.record(s, actor, AccessOperation.COMBINATION, "data_wash", None,
                     detail=f"{len(register)} people against {len(notices)} notices: {len(found)} candidates")
        if out is None:
            uow.commit()
        else:  # the report takes its name only once its disclosure is committed (a cancelled wash leaves none)
            with atomic_path(out) as temp:
                _write_report(temp, found, {n.key: n for n in notices}, {r.person_id: r for r in register})
                audit.record(s, actor, AccessOperation.DISCLOSURE, "match_report", out.name,
                             recipient="file (OFFICIAL-SENSITIVE)", detail=f"{len(found)} candidate pairs")
                uow.commit()
    matches = sum(1 for c in found if c.decision.name == "MATCH")
    return WashSummary(len(register), len(notices), len(found), matches, len(found) - matches, new, out)


def _write_report(out: Path, found: list[Candidate], notices: dict[int, NoticeEntry], people: dict[int, RegisterEntry]) -> None:
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(REPORT_HEADER)
        for c in found:
            n = notices[c.notice_key]
            w.writerow([n.notice_id, n.issuing_force, people[c.person_id].staff_number, f"{c.score:.3f}",
                        c.decision.name, "; ".join(c.reasons)])


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
    stmt = _queue(actor, state, NoticeMatchRow, NoticeRow, PersonRow).order_by(NoticeMatchRow.score.desc(), NoticeMatchRow.id)
    with uow:
        s = uow.session
        rows = s.execute(stmt).all()
        cases = _case_references(s, actor, {m.case_id for m, _n, _p in rows if m.case_id is not None})
        views = [_view(m, n, p, cases.get(m.case_id)) for m, n, p in rows]
        audit.record(s, actor, AccessOperation.CONSULTATION, "notice_match", None, detail=f"review queue: {len(views)} pairs")
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
    from app.services.case_queries import visible_clause

    return dict(s.execute(select(CaseRow.id, CaseRow.reference)  # type: ignore[arg-type]
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
        m.vetting_reviewed_at.date() if m.vetting_reviewed_at else None, m.vetting_result, m.case_id, case_reference,
    )


def _match(s: Session, actor: User, match_id: int) -> tuple[NoticeMatchRow, NoticeRow, PersonRow]:
    """The pair, unless it is about `actor` or someone they line-manage."""
    row = s.execute(select(NoticeMatchRow, NoticeRow, PersonRow).join(NoticeRow, NoticeRow.id == NoticeMatchRow.notice_id)
                    .join(PersonRow, PersonRow.id == NoticeMatchRow.person_id).where(NoticeMatchRow.id == match_id)).first()
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


def confirm_match(uow: UnitOfWork, actor: User, match_id: int, outcome: TriageOutcome, rationale: str) -> MatchView:
    """Confirm: the person is flagged on every screen and open case, and a vetting review is due."""
    require(actor, Action.TRIAGE_NOTICE)
    text = _rationale(rationale)
    with uow:
        s = uow.session
        m, n, p = _pending_match(s, actor, match_id)
        m.state, m.reviewed_by, m.reviewed_at = MatchState.CONFIRMED.name, actor.id, clock.now()
        m.triage_outcome, m.rationale = outcome.name, text
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
        s = uow.session
        m, _n, _p = _pending_match(s, actor, match_id)
        m.state, m.reviewed_by, m.reviewed_at = MatchState.REJECTED.name, actor.id, clock.now()
        m.triage_outcome, m.rationale = TriageOutcome.NO_FURTHER_ACTION.name, text
        audit.record(s, actor, AccessOperation.COMBINATION, "notice_match", match_id, detail="rejected")
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
                              f"{m.vetting_reviewed_at:%d %b %Y}; a recorded review is never changed.")
        m.vetting_reviewed_by, m.vetting_reviewed_at, m.vetting_result = actor.id, clock.now(), result.strip()
        audit.record(uow.session, actor, AccessOperation.ALTERATION, "notice_match", match_id, detail="vetting review recorded")
        uow.commit()


def _linkable(s: Session, actor: User, match_id: int) -> NoticeMatchRow:
    m = _confirmed_match(s, actor, match_id, "Only a confirmed match can be linked to a PPDA case.")
    if m.case_id is not None:
        raise RuleRefused("This match is already linked to a PPDA case; a notice opens one case only.")
    return m


def check_linkable(uow: UnitOfWork, actor: User, match_id: int) -> None:
    """Refuse now what `link_case` would refuse, before a case is opened for the match."""
    require(actor, Action.EDIT_CASE)
    with uow:
        _linkable(uow.session, actor, match_id)


def link_case(uow: UnitOfWork, actor: User, match_id: int, case_id: int) -> None:
    """Remember the PPDA case opened from a confirmed domestic-abuse notice (one case per match)."""
    require(actor, Action.EDIT_CASE)
    from app.services.case_queries import visible_clause

    with uow:
        if uow.session.scalar(select(CaseRow.id).where(CaseRow.id == case_id, visible_clause(actor))) is None:
            raise NotFound("No such case that you may see.")
        m = _linkable(uow.session, actor, match_id)
        m.case_id = case_id
        audit.record(uow.session, actor, AccessOperation.ALTERATION, "notice_match", match_id, detail="linked to a case")
        uow.commit()


def notice_items(session: Session, policy_set: PolicySet, today: date) -> list[DueItem]:
    """NOTICE_TRIAGE for notices with untriaged candidates; VETTING_REVIEW after a confirmed match."""
    pending = {ref: (received, summary) for ref, received, summary in session.execute(
        select(NoticeRow.notice_ref, NoticeRow.received_at, NoticeRow.record_type)
        .join(NoticeMatchRow, NoticeMatchRow.notice_id == NoticeRow.id)
        .where(NoticeMatchRow.state == MatchState.PROPOSED.name))}
    confirmed = [ConfirmedMatch(ref, pid, f"{fore} {sur}", at.date(), done.date() if done else None)
                 for ref, pid, fore, sur, at, done in session.execute(
                     select(NoticeRow.notice_ref, PersonRow.id, PersonRow.forenames, PersonRow.surname,
                            NoticeMatchRow.reviewed_at, NoticeMatchRow.vetting_reviewed_at)
                     .join(NoticeRow, NoticeRow.id == NoticeMatchRow.notice_id)
                     .join(PersonRow, PersonRow.id == NoticeMatchRow.person_id)
                     .where(NoticeMatchRow.state == MatchState.CONFIRMED.name))]
    pend = [PendingNotice(ref, received.date(), summary.replace("_", " ").lower()) for ref, (received, summary) in pending.items()]
    return notice_due_items(pend, confirmed, policy_set, today)

