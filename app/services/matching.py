"""Cross-force prior notices against the workforce register (DOMAIN.md §4): matching after each
import, the whole data wash, and the due items the candidates raise. A person confirms or
rejects a candidate in the review queue (app.services.notice_review).

Each notice records the version last matched: a notice imported but not yet matched (the process
stopped after the import's commit) is matched by the next import or data wash. The model is
estimated afresh from the register and all held notices each time (app.domain.matching.estimation).

Every run is logged as a combination. A pair a reviewer rejected is not proposed again unless
the notice or the person changed since (their versions are kept with the pair).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple, cast

from sqlalchemy import String, Table, bindparam, func, or_, select, type_coerce, update
from sqlalchemy.orm import Session

from app.domain.collector import collector_paused
from app.domain.enums import AccessOperation, MatchState
from app.domain.errors import RuleRefused
from app.domain.matching import Candidate, MatchIndex, NoticeEntry, NoticeIndex, RegisterEntry, Thresholds
from app.domain.matching.engine import washed
from app.domain.permissions import Action, require
from app.domain.policy import PolicyName, PolicySet
from app.domain.records import User
from app.domain.workflow import ConfirmedMatch, DueItem, PendingNotice, notice_due_items
from app.persistence import bulk
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
    """The register (current and former people, not anonymised), with previous names and the PNC
    ids of notices already confirmed as each person."""
    names: dict[int, list[str]] = defaultdict(list)
    pncs: dict[int, list[str]] = defaultdict(list)
    people = select(PersonRow.id, PersonRow.staff_number, PersonRow.surname, PersonRow.forenames,
                    PersonRow.date_of_birth, PersonRow.warrant_number).where(PersonRow.anonymised.is_(False))
    wanted = None if person_ids is None else set(person_ids)
    for pid, full in session.execute(select(PreviousNameRow.person_id, PreviousNameRow.full_name)):
        names[pid].append(full)
    for pid, pnc in session.execute(select(NoticeMatchRow.person_id, NoticeRow.pnc_id)
                                    .join(NoticeRow, NoticeRow.id == NoticeMatchRow.notice_id)
                                    .where(NoticeMatchRow.state == MatchState.CONFIRMED.name,
                                           NoticeRow.pnc_id.is_not(None))):
        if pnc is not None:  # always (the query asks for a PNC id), said for the type checker
            pncs[pid].append(pnc)
    return [RegisterEntry(pid, sn, sur, fore, dob, warrant, tuple(names.get(pid, ())), tuple(pncs.get(pid, ())))
            for pid, sn, sur, fore, dob, warrant in session.execute(people)
            if wanted is None or pid in wanted]


@dataclass(frozen=True)
class HeldNotices:
    """Every held notice, and which of them (positions) still wait to be matched in their version."""

    entries: list[NoticeEntry]
    versions: list[int]
    pending: list[int]


def held_notices(session: Session) -> HeldNotices:
    """All notices in one streamed query, plain rows, no ORM objects (no list of ids: a million
    would overflow SQLite's limit of bound variables, as it once did after a large import; on
    PostgreSQL plain tuples, app.persistence.bulk). The date of birth is read as the driver gives
    it and parsed here (SQLite: text, parsed in C)."""
    born = type_coerce(NoticeRow.date_of_birth, String)
    stmt = select(NoticeRow.id, NoticeRow.notice_ref, NoticeRow.issuing_force, NoticeRow.surname, NoticeRow.forenames,
                  born, NoticeRow.staff_number, NoticeRow.warrant_number, NoticeRow.pnc_id,
                  NoticeRow.employing_force, NoticeRow.dob_year_only, NoticeRow.version, NoticeRow.matched_version)
    entries: list[NoticeEntry] = []
    versions: list[int] = []
    pending: list[int] = []
    make, as_date = NoticeEntry._make, date.fromisoformat
    dob: date | str | None  # as the driver gives it: text (SQLite) or a date
    with collector_paused():
        result = bulk.stream_rows(session, stmt.order_by(NoticeRow.id))
        for key, ref, issuer, sur, fore, dob, staff, warrant, pnc, employer, year_only, version, matched in result:
            if matched != version:
                pending.append(len(entries))
            if dob is not None and not isinstance(dob, date):
                dob = as_date(dob)
            entries.append(make((key, ref, issuer, sur, fore, dob, staff, warrant, pnc, employer, bool(year_only))))
            versions.append(version)
    return HeldNotices(entries, versions, pending)


def notice_entries(session: Session) -> list[NoticeEntry]:
    return held_notices(session).entries


# ---- storing candidates ----------------------------------------------------------------------

def store(session: Session, candidates: Iterable[Candidate]) -> int:
    """Keep new candidates; re-propose a rejected pair only when the notice or person changed."""
    found = list(candidates)
    if not found:
        return 0
    notice_v = _versions(session, NoticeRow, {c.notice_key for c in found})
    person_v = _versions(session, PersonRow, {c.person_id for c in found})
    held = _held(session, {c.notice_key for c in found})
    now, stored = clock.now(), 0
    fresh: list[dict[str, object]] = []
    again: dict[int, Candidate] = {}  # the row id of a rejected pair proposed again
    for c in found:
        old = held.get((c.notice_key, c.person_id))
        nv, pv = notice_v[c.notice_key], person_v[c.person_id]
        unchanged = old is not None and (old.notice_version, old.person_version) == (nv, pv)
        if old is not None and (old.state != MatchState.REJECTED.name or unchanged):
            continue
        if old is None:
            fresh.append({"notice_id": c.notice_key, "person_id": c.person_id, "score": c.score,
                          "decision": c.decision.name, "reasons": "; ".join(c.reasons),
                          "state": MatchState.PROPOSED.name, "found_at": now, "notice_version": nv,
                          "person_version": pv})
        else:
            again[old.id] = c
        stored += 1
    for row in _rows(session, again):
        c = again[row.id]
        row.score, row.decision, row.reasons = c.score, c.decision.name, "; ".join(c.reasons)
        row.state, row.found_at = MatchState.PROPOSED.name, now
        row.notice_version, row.person_version = notice_v[c.notice_key], person_v[c.person_id]
        row.reviewed_by = row.reviewed_at = row.triage_outcome = row.rationale = None
    session.flush()  # the re-proposed pairs, then the new ones as plain rows (tens of thousands after an import)
    bulk.insert_rows(session, cast(Table, NoticeMatchRow.__table__), fresh)
    return stored


def _versions(session: Session, model: type[NoticeRow] | type[PersonRow], ids: set[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for where in bulk.id_in(session, model.id, ids, CHUNK):
        out.update((key, version) for key, version in session.execute(select(model.id, model.version).where(where)))
    return out


class _HeldPair(NamedTuple):
    id: int
    state: str
    notice_version: int
    person_version: int


def _held(session: Session, notice_ids: set[int]) -> dict[tuple[int, int], _HeldPair]:
    """The pairs already held for these notices, as plain rows (after a data wash, every pair the
    engine found: an ORM object each cost more than the rest of storing them)."""
    out: dict[tuple[int, int], _HeldPair] = {}
    m = NoticeMatchRow
    for where in bulk.id_in(session, m.notice_id, notice_ids, CHUNK):
        for key, notice, person, state, nv, pv in session.execute(
                select(m.id, m.notice_id, m.person_id, m.state, m.notice_version, m.person_version).where(where)):
            out[notice, person] = _HeldPair(key, state, nv, pv)
    return out


def _rows(session: Session, ids: Iterable[int]) -> list[NoticeMatchRow]:
    out: list[NoticeMatchRow] = []
    for where in bulk.id_in(session, NoticeMatchRow.id, set(ids), CHUNK):
        out += list(session.scalars(select(NoticeMatchRow).where(where)))
    return out


def _mark_matched(session: Session, held: HeldNotices, positions: Sequence[int]) -> None:
    """Record that these notices were matched in the version loaded: runs of consecutive ids of one
    version in one UPDATE each (an import's notices are one run); a row changed meanwhile keeps
    its newer version unmatched. The notes of undated notices are cleared (``_note_undated``). A row
    already so is left alone (a data wash after an import would rewrite a million rows for nothing)."""
    runs: list[tuple[int, int, int]] = []
    for position in positions:
        key, version = held.entries[position].key, held.versions[position]
        if runs and runs[-1][1] == key - 1 and runs[-1][2] == version:
            runs[-1] = (runs[-1][0], key, version)
        else:
            runs.append((key, key, version))
    table = cast(Table, NoticeRow.__table__)
    if not runs:
        return
    session.execute(update(table).where(table.c.id.between(bindparam("low"), bindparam("high")),
                                        table.c.version == bindparam("v"),
                                        or_(table.c.matched_version.is_distinct_from(bindparam("v")),
                                            table.c.match_note.is_not(None)))
                    .values(matched_version=bindparam("v"), match_note=None),
                    [{"low": a, "high": b, "v": v} for a, b, v in runs])


def _note_undated(session: Session, notes: dict[int, str]) -> None:
    """Why each undated notice with a common name was not put to review (after ``_mark_matched``)."""
    bulk.update_rows(session, cast(Table, NoticeRow.__table__),
                     [{"id": key, "match_note": note} for key, note in notes.items()])


# ---- runs ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Matched:
    candidates: list[Candidate]
    undated_common: dict[int, str]  # notice key -> why it was not put to review


def _match(index: MatchIndex, notices: Sequence[NoticeEntry], workers: int = 1,
           meanwhile: Callable[[], object] | None = None) -> Matched:
    """Candidates for these notices; an undated notice with none, whose name register people
    bear, is noted: too common to review without a date of birth (counted and reported).
    ``meanwhile`` runs while forked workers match (the database work that does not need them)."""
    with collector_paused():  # a million notices in memory: collections would cost ~45 %
        result = washed(index, notices, workers, meanwhile)
    year_only = {n.key for n in notices if n.dob_year_only} if result.namesakes else set()
    notes = {key: undated_note(people, key in year_only) for key, people in result.namesakes.items()}
    return Matched(result.candidates, notes)


def undated_note(people: int, year_only: bool) -> str:
    what = "only a year of birth" if year_only else "no date of birth"
    return (f"{what}, and {people} {'person' if people == 1 else 'people'} in the register bear the name: "
            "too common to review without one; ask the issuer for the date of birth")


def match_pending(uow: UnitOfWork, actor: User, workers: int = 1) -> int:
    """Every notice not yet matched in its current version, against the whole register: runs after
    each notice import, and picks up what a crash between an import's commit and its matching left.
    ``workers`` > 1 shares a large file out among forked processes (the command line only)."""
    with uow, collector_paused():  # as in data_wash
        s = uow.session
        held = held_notices(s)
        if not held.pending:
            return 0
        register = register_entries(s)
        index = MatchIndex(register, _home(s), thresholds(policies.load(s), clock.today()), notices=held.entries,
                           workers=workers)
        matched = _match(index, [held.entries[p] for p in held.pending], workers,
                         meanwhile=lambda: _mark_matched(s, held, held.pending))
        stored = store(s, matched.candidates)
        _note_undated(s, matched.undated_common)
        audit.record(s, actor, AccessOperation.COMBINATION, "notice_match", None,
                     detail=f"{len(held.pending)} notices matched against the register: {stored} candidates")
        uow.commit()
    return stored


def match_notices(uow: UnitOfWork, actor: User, notice_ids: Sequence[int] = (), workers: int = 1) -> int:
    """New or changed notices against the whole register (after a notice import): every pending
    notice, so that notices an interrupted run left are matched too (``notice_ids`` is not needed)."""
    return match_pending(uow, actor, workers)


def match_people(uow: UnitOfWork, actor: User, person_ids: Sequence[int]) -> int:
    """New or changed people against every held notice (runs after a workforce import)."""
    if not person_ids:
        return 0
    with uow:
        s = uow.session
        notices = notice_entries(s)
        if not notices:
            return 0
        register = register_entries(s)
        home = _home(s)
        model = MatchIndex(register, home, notices=notices).model
        index = NoticeIndex(notices, home, thresholds(policies.load(s), clock.today()), model)
        wanted = set(person_ids)
        found = [c for p in register if p.person_id in wanted for c in index.match_person(p)]
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
    undated_common: int = 0  # notices without a (whole) date of birth whose name is too common to review

    def __str__(self) -> str:
        tail = f"; report written to {self.report}" if self.report else ""
        undated = (f"; {self.undated_common} notices without a date of birth name people too common in the register "
                   f"to review{' (NO_DOB rows in the report)' if self.report else ''}") if self.undated_common else ""
        return (f"Data wash: {self.people} people against {self.notices} notices: {self.candidates} candidates "
                f"({self.matches} MATCH, {self.reviews} REVIEW), {self.new} new for review{undated}{tail}.")


def data_wash(uow: UnitOfWork, actor: User, out: Path | None = None, *, workers: int = 1) -> WashSummary:
    """The whole workforce against every held notice (`ppda-tracker match [--out FILE.csv]`);
    ``workers`` > 1 shares a large file out among forked processes (the command line only)."""
    require(actor, Action.DATA_WASH)
    with uow, collector_paused():  # a million notices loaded: each collection meanwhile would walk them all
        s = uow.session
        register = register_entries(s)
        held = held_notices(s)
        index = MatchIndex(register, _home(s), thresholds(policies.load(s), clock.today()), notices=held.entries,
                           workers=workers)
        matched = _match(index, held.entries, workers,
                         meanwhile=lambda: _mark_matched(s, held, range(len(held.entries))))
        found = matched.candidates
        new = store(s, found)
        _note_undated(s, matched.undated_common)
        audit.record(s, actor, AccessOperation.COMBINATION, "data_wash", None,
                     detail=f"{len(register)} people against {len(held.entries)} notices: {len(found)} candidates; "
                            f"model {index.model.source}")
        if out is None:
            uow.commit()
        else:  # the report takes its name only once its disclosure is committed (a cancelled wash leaves none)
            with atomic_path(out) as temp:
                named = {c.notice_key for c in found}.union(matched.undated_common)
                notices = {n.key: n for n in held.entries if n.key in named}
                _write_report(temp, found, notices, {r.person_id: r for r in register}, matched.undated_common)
                audit.record(s, actor, AccessOperation.DISCLOSURE, "match_report", out.name,
                             recipient="file (OFFICIAL-SENSITIVE)", detail=f"{len(found)} candidate pairs")
                uow.commit()
    matches = sum(1 for c in found if c.decision.name == "MATCH")
    return WashSummary(len(register), len(held.entries), len(found), matches, len(found) - matches, new, out,
                       len(matched.undated_common))


def _write_report(out: Path, found: list[Candidate], notices: dict[int, NoticeEntry], people: dict[int, RegisterEntry],
                  undated: dict[int, str]) -> None:
    """Cells a spreadsheet would run as formulas (from another force's notice ids…) are neutralised."""
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(REPORT_HEADER)
        for c in found:
            n = notices[c.notice_key]
            w.writerow(csv_row([n.notice_id, n.issuing_force, people[c.person_id].staff_number, f"{c.score:.3f}",
                                c.decision.name, "; ".join(c.reasons)]))
        for key, note in undated.items():  # counted and reported, never silently dropped
            n = notices[key]
            w.writerow(csv_row([n.notice_id, n.issuing_force, "", "", "NO_DOB", note]))


def undated_common_count(uow: UnitOfWork, actor: User) -> int:
    """How many held notices lack a (whole) date of birth and name people too common in the register
    to review: shown in the Notices section. A number discloses no one's personal data."""
    require(actor, Action.TRIAGE_NOTICE)
    with uow:
        return uow.session.scalar(select(func.count(NoticeRow.id)).where(NoticeRow.match_note.is_not(None))) or 0


def notice_items(session: Session, policy_set: PolicySet, today: date) -> list[DueItem]:
    """NOTICE_TRIAGE for notices with untriaged candidates; VETTING_REVIEW after a confirmed match."""
    pending = {ref: (received, summary) for ref, received, summary in session.execute(
        select(NoticeRow.notice_ref, NoticeRow.received_at, NoticeRow.record_type)
        .join(NoticeMatchRow, NoticeMatchRow.notice_id == NoticeRow.id)
        .where(NoticeMatchRow.state == MatchState.PROPOSED.name))}
    confirmed = [ConfirmedMatch(ref, pid, f"{fore} {sur}", clock.local_date(cast(datetime, at)),  # confirmed: reviewed
                                 clock.local_date(done) if done else None)
                 for ref, pid, fore, sur, at, done in session.execute(
                     select(NoticeRow.notice_ref, PersonRow.id, PersonRow.forenames, PersonRow.surname,
                            NoticeMatchRow.reviewed_at, NoticeMatchRow.vetting_reviewed_at)
                     .join(NoticeRow, NoticeRow.id == NoticeMatchRow.notice_id)
                     .join(PersonRow, PersonRow.id == NoticeMatchRow.person_id)
                     .where(NoticeMatchRow.state == MatchState.CONFIRMED.name))]
    pend = [PendingNotice(ref, clock.local_date(received), summary.replace("_", " ").lower())
            for ref, (received, summary) in pending.items()]
    return notice_due_items(pend, confirmed, policy_set, today)

