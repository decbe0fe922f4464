"""Retention (DOMAIN.md §7): closed cases are reviewed for disposal on their retention review date
(policy RETENTION_YEARS after closure, set by the CLOSURE decision; a barred-list matter has none
and is kept indefinitely); disposal is an approved decision that erases the personal data and is
logged as an ERASURE.

What disposal keeps is an anonymised statistical record, so that past survey returns, outcome
breakdowns and annual reports still add up: the case's reference, dates, route and type; each
allegation's recorded date, conduct dates, abuse types, aggravating features and breaches; the
decisions (outcomes, restrictions, IOPC referral and decision, investigating body, dates); and,
in place of each subject, a *stub* person (`PersonRow.anonymised`, never part of the workforce
register) holding only what the returns count: workforce type, rank or grade, sex, ethnicity,
employment status and end date, and a made-up date of birth giving the same age band at the
allegation's recorded date.

What it erases: the link to the real subject; the victims' details and contact details (a victim
keeps only a new pseudonym, the relationship and whether they are police workforce); allegation
summaries and crime references; every decision's rationale, options considered and free-text
values (offence, sentence, references, results, methods, reasons); notes of declared connections
to the case; the link from a notice match to the case; the whole case file (log entries, tasks,
documents with their stored content: app.services.casefile.erasure).

Limits: one stub stands for one subject of one case, so an individual who also has an allegation
in a case still held, recorded in the same period, counts twice in that period's "individuals"
after disposal. Access-log entries stay as written (the chain is append-only; they carry no
personal data by design, though a reveal's reason is the user's own words).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation, AgeBand, CaseStatus, DecisionKind
from app.domain.errors import InvalidInput, RuleRefused
from app.domain.permissions import Action, require, require_different_user
from app.domain.records import Decision, User
from app.domain.workflow.common import iso, make_decision
from app.persistence.models import (
    AllegationRow,
    AssociateRow,
    CaseRow,
    DecisionRow,
    NoticeMatchRow,
    PersonRow,
    ProposedDecisionRow,
    VictimRow,
)
from app.persistence.uow import UnitOfWork
from app.services import audit, case_summary, clock
from app.services.case_queries import visible_clause
from app.services.case_state import person_record
from app.services.casefile.erasure import erase_case_file
from app.services.casework.common import (
    CASE_RECORD,
    CaseWrite,
    append,
    begin,
    current_user,
    require_approver_access,
    set_case_fields,
)
from app.services.reporting import age_band

MIN_REASON = 10
ERASED = "ERASED"
STUB_PREFIX = "ERASED-"
# Payload values written as free text by users (or copied from other systems): erased.
FREE_TEXT_KEYS = frozenset({"offence", "sentence", "reference", "iopc_reference", "result", "method", "reasons"})
# An age inside each band, for a stub's made-up date of birth.
_AGE_IN_BAND = {AgeBand.UNDER_18: 17, AgeBand.AGE_18_24: 21, AgeBand.AGE_25_34: 30, AgeBand.AGE_35_44: 40,
                AgeBand.AGE_45_54: 50, AgeBand.AGE_55_PLUS: 60}


# ---- the review report ------------------------------------------------------------------------

@dataclass(frozen=True)
class DueForReview:
    case_id: int
    reference: str
    closed_date: date | None
    review_date: date
    overdue_days: int  # days since the review date (0: due today)


def due(uow: UnitOfWork, actor: User, on: date | None = None) -> list[DueForReview]:
    """Closed cases whose retention review date is on or before `on` (today), oldest first, as far
    as the actor may see them. Barred-list matters (no review date) never appear."""
    require(actor, Action.DECIDE)
    day = on or clock.today()
    stmt = (select(CaseRow.id, CaseRow.reference, CaseRow.closed_date, CaseRow.retention_review_date)
            .where(CaseRow.status == CaseStatus.CLOSED.name, CaseRow.retention_review_date.is_not(None),
                   CaseRow.retention_review_date <= day, visible_clause(actor))
            .order_by(CaseRow.retention_review_date, CaseRow.reference))
    with uow:
        rows = uow.session.execute(stmt).all()
        audit.record(uow.session, actor, AccessOperation.CONSULTATION, "retention_review", None,
                     detail=f"cases due for retention review on {day.isoformat()}: {len(rows)}")
        uow.commit()
    return [DueForReview(r.id, r.reference, r.closed_date, r.retention_review_date,
                         (day - r.retention_review_date).days) for r in rows]


# ---- disposal ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Disposed:
    reference: str
    allegations: int
    victims: int
    decisions_scrubbed: int
    case_version: int


def dispose(uow: UnitOfWork, actor: User, case_id: int, reason: str, approver: User | None, *,
            expected_version: int | None = None) -> Disposed:
    """Dispose of a closed case past its review date: requested by a SUPERVISOR or HEAD_OF_PSD,
    approved by a HEAD_OF_PSD who is not the requester; both must be entitled to see the case."""
    require(actor, Action.DECIDE)
    text = (reason or "").strip()
    if len(text) < MIN_REASON:
        raise InvalidInput("reason: say why the case can be disposed of (it is kept with the decision).")
    if approver is None:
        raise RuleRefused("Disposal needs the approval of a HEAD_OF_PSD other than the person requesting it.")
    require(approver, Action.DISPOSE)
    require_different_user(actor.id, approver)
    with uow:
        w = begin(uow.session, actor, case_id, Action.DECIDE, expected_version)
        checked = current_user(w.session, approver, "approve a disposal")
        require(checked, Action.DISPOSE)
        require_approver_access(w.session, checked, case_row_of(w))
        _check_disposable(w)
        result = _erase(w, text, checked)
        uow.commit()
    return result


def case_row_of(w: CaseWrite) -> CaseRow:
    row = w.session.get(CaseRow, w.case_id)
    assert row is not None
    return row


def _check_disposable(w: CaseWrite) -> None:
    row = case_row_of(w)
    if row.status != CaseStatus.CLOSED.name:
        state = "has already been disposed of" if row.status == CaseStatus.DISPOSED.name else "is still open"
        raise RuleRefused(f"Case {w.reference} {state}: only a closed case past its review date can be disposed of.")
    if row.retention_review_date is None:
        raise RuleRefused(f"Case {w.reference} is a barred-list matter: it is kept indefinitely and never disposed of.")
    if row.retention_review_date > w.act.today:
        raise RuleRefused(f"Case {w.reference} is kept until its retention review on "
                          f"{row.retention_review_date.isoformat()}; it cannot be disposed of before then.")


def _erase(w: CaseWrite, reason: str, approver: User) -> Disposed:
    s = w.session
    others = _cases_of_subjects(s, w.case_id)
    stubs = _replace_subjects(s, w.case_id)
    refs = _erase_victims(s, w.case_id)
    _erase_allegations(s, w.case_id, refs)
    scrubbed = _scrub_decisions(s, w.case_id, stubs, refs)
    s.execute(update(AssociateRow).where(AssociateRow.case_id == w.case_id).values(note=None))
    s.execute(update(NoticeMatchRow).where(NoticeMatchRow.case_id == w.case_id).values(case_id=None))
    # Proposals are working papers (their arguments hold rationale text and person ids); an
    # approved one's decision is kept, scrubbed, above.
    s.execute(delete(ProposedDecisionRow).where(ProposedDecisionRow.case_id == w.case_id))
    case_file = erase_case_file(s, w.case_id)  # log entries, tasks, documents and their content
    set_case_fields(s, w.case_id, crime_refs="", status=CaseStatus.DISPOSED.name, retention_review_date=None)
    s.flush()
    append(w, [_disposal_decision(w, reason, approver, len(stubs))])
    case_summary.refresh(s, {w.case_id} | others)
    audit.record(s, w.actor, AccessOperation.ERASURE, CASE_RECORD, w.reference, reason=reason,
                 detail=f"personal data erased; statistical record kept ({len(stubs)} allegations); "
                        f"{case_file}; approved by {approver.username}")
    return Disposed(w.reference, len(stubs), len(refs), scrubbed, w.version)


def _disposal_decision(w: CaseWrite, reason: str, approver: User, allegations: int) -> Decision:
    payload = {"disposed_on": iso(w.act.today), "allegations": allegations}
    return make_decision(DecisionKind.RETENTION_DISPOSAL, w.act, payload, rationale=reason, approver=approver)


def _cases_of_subjects(s: Session, case_id: int) -> set[int]:
    """The other cases of this case's subjects (their repeat and serial flags change)."""
    subjects = select(AllegationRow.subject_id).where(AllegationRow.case_id == case_id)
    return set(s.scalars(select(AllegationRow.case_id).where(AllegationRow.subject_id.in_(subjects)))) - {case_id}


# ---- the erasure, part by part ------------------------------------------------------------------

def _replace_subjects(s: Session, case_id: int) -> dict[int, int]:
    """Point each allegation at a new stub of its subject; {real person id: stub id}."""
    stubs: dict[int, int] = {}
    for allegation in s.scalars(select(AllegationRow).where(AllegationRow.case_id == case_id)):
        person = s.get(PersonRow, allegation.subject_id)
        assert person is not None
        stub = _stub_of(person, allegation.recorded_date)
        s.add(stub)
        s.flush()
        stubs[person.id] = stub.id
        allegation.subject_id = stub.id
    return stubs


def _stub_of(person: PersonRow, recorded: date) -> PersonRow:
    """A person with nothing but what the returns count about the subject of one allegation."""
    return PersonRow(
        staff_number=STUB_PREFIX + secrets.token_hex(8), warrant_number=None, surname=ERASED, forenames=ERASED,
        date_of_birth=stub_birth_date(person, recorded), sex=person.sex, ethnicity=person.ethnicity,
        workforce_type=person.workforce_type, rank_or_grade=person.rank_or_grade, unit=None, line_manager_id=None,
        role_flags="", employment_status=person.employment_status, start_date=None, end_date=person.end_date,
        vetting_level=None, vetting_review_due=None, list_status="NONE", anonymised=True)


def stub_birth_date(person: PersonRow, recorded: date) -> date:
    """1 January of the year that makes the stub the band's typical age on `recorded`."""
    band = age_band(person_record(person), recorded)
    return date(recorded.year - _AGE_IN_BAND[band], 1, 1)


def _erase_victims(s: Session, case_id: int) -> dict[str, str]:
    """Victims keep a new pseudonym, their relationship and workforce status; {old ref: new ref}."""
    victims = list(s.scalars(select(VictimRow).where(VictimRow.case_id == case_id).order_by(VictimRow.id)))
    original = {v.id: v.reference for v in victims}
    for v in victims:  # two steps, so a new pseudonym never collides with an old one
        v.reference = f"~{v.id}"
    s.flush()
    refs: dict[str, str] = {}
    for i, v in enumerate(victims, start=1):
        refs[original[v.id]] = v.reference = f"V{i}"
        v.person_id = v.sex = v.age_band = v.dash_risk = v.dash_date = v.dash_assessor_user_id = None
        v.contact_details = None
        v.marac_referred = v.advocate_offered = v.advocate_accepted = False
    return refs


def _erase_allegations(s: Session, case_id: int, refs: dict[str, str]) -> None:
    for a in s.scalars(select(AllegationRow).where(AllegationRow.case_id == case_id)):
        a.summary = None
        a.crime_ref = None
        a.victim_refs = ";".join(refs.get(r, r) for r in a.victim_refs.split(";") if r)


def _scrub_decisions(s: Session, case_id: int, stubs: dict[int, int], refs: dict[str, str]) -> int:
    count = 0
    for d in s.scalars(select(DecisionRow).where(DecisionRow.case_id == case_id)):
        d.payload = scrub_payload(d.payload or {}, stubs, refs)
        d.rationale = None
        d.options_considered = []
        count += 1
    return count


def scrub_payload(payload: dict[str, Any], stubs: dict[int, int], refs: dict[str, str]) -> dict[str, Any]:
    """The payload without free text; subjects replaced by their stubs, victims by their new pseudonyms."""
    out: dict[str, Any] = {}
    for key, value in payload.items():
        if key in FREE_TEXT_KEYS:
            out[key] = [] if isinstance(value, list) else None
        elif key == "person_id" and value in stubs:
            out[key] = stubs[value]
        elif key == "victim_ref" and isinstance(value, str):
            out[key] = refs.get(value, value)
        else:
            out[key] = value
    return out
