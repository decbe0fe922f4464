"""Cross-force prior notices against the workforce register (DOMAIN.md §4): matching after each
import, the whole data wash, and the due items the candidates raise. A person confirms or
rejects a candidate in the review queue (app.services.notice_review).

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

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation, MatchState
from app.domain.errors import RuleRefused
from app.domain.matching.engine import collector_paused
from app.domain.matching import Candidate, MatchIndex, NoticeEntry, NoticeIndex, RegisterEntry, Thresholds
from app.domain.permissions import Action, require
from app.domain.policy import PolicyName, PolicySet
from app.domain.records import User
from app.domain.workflow import ConfirmedMatch, DueItem, PendingNotice, notice_due_items
from app.persistence.models import NoticeMatchRow, NoticeRow, PersonRow, PreviousNameRow, SettingRow
from app.persistence.uow import UnitOfWork
from app.reports.cells import csv_row
from app.reports.files import atomic_path
from app.services import audit, clock, policies

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
    """Cells a spreadsheet would run as formulas (from another force's notice ids…) are neutralised."""
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(REPORT_HEADER)
        for c in found:
            n = notices[c.notice_key]
            w.writerow(csv_row([n.notice_id, n.issuing_force, people[c.person_id].staff_number, f"{c.score:.3f}",
                                c.decision.name, "; ".join(c.reasons)]))


def notice_items(session: Session, policy_set: PolicySet, today: date) -> list[DueItem]:
    """NOTICE_TRIAGE for notices with untriaged candidates; VETTING_REVIEW after a confirmed match."""
    pending = {ref: (received, summary) for ref, received, summary in session.execute(
        select(NoticeRow.notice_ref, NoticeRow.received_at, NoticeRow.record_type)
        .join(NoticeMatchRow, NoticeMatchRow.notice_id == NoticeRow.id)
        .where(NoticeMatchRow.state == MatchState.PROPOSED.name))}
    confirmed = [ConfirmedMatch(ref, pid, f"{fore} {sur}", clock.local_date(at),
                                 clock.local_date(done) if done else None)
                 for ref, pid, fore, sur, at, done in session.execute(
                     select(NoticeRow.notice_ref, PersonRow.id, PersonRow.forenames, PersonRow.surname,
                            NoticeMatchRow.reviewed_at, NoticeMatchRow.vetting_reviewed_at)
                     .join(NoticeRow, NoticeRow.id == NoticeMatchRow.notice_id)
                     .join(PersonRow, PersonRow.id == NoticeMatchRow.person_id)
                     .where(NoticeMatchRow.state == MatchState.CONFIRMED.name))]
    pend = [PendingNotice(ref, clock.local_date(received), summary.replace("_", " ").lower()) for ref, (received, summary) in pending.items()]
    return notice_due_items(pend, confirmed, policy_set, today)

