"""`import cases`: migration from spreadsheets or another case system. One row per allegation;
rows with the same case_ref form one case. Natural key: (case_ref, subject_staff_number).

Decisions in the file become *imported* decision records (who imported, from which file), never
decisions made in the application; the workflow rules then derive the same due items and flags
as for cases made here. Bulk inserts keep a 100,000-row file well inside a minute on SQLite.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from app.domain.enums import (
    AbuseType, AccessOperation, AggravatingFeature, CaseStatus, CaseType, CriminalOutcome, DashRisk, IopcDecision,
    MisconductOutcome, ReportingRoute, RestrictionOption, VictimRelationship, VictimWorkforce,
)
from app.domain.errors import RowError
from app.domain.imported import imported_closure, imported_decisions
from app.domain.workflow import ImportedRowProblem, check_imported_outcomes
from app.domain.permissions import Action, require
from app.domain.records import User
from app.persistence.models import AllegationRow, CaseRow, DecisionRow, PersonRow, VictimRow
from app.persistence.uow import UnitOfWork
from app.services import audit, case_summary, clock, policies
from app.services import policies as policy_service
from app.services.case_state import person_record
from app.domain.workflow import closure_blockers
from app.services.case_state import load_snapshots
from app.services.imports.notices import force_codes
from app.services.imports.table import (
    Column, Row, bounded, enum_of, enum_set, iso_date, one_of, read, yes_no,
)
from app.services.imports.workforce import ImportSummary

COLUMNS = (
    Column("case_ref", True, bounded(40)),
    Column("recorded_date", True, iso_date),
    Column("reporting_route", True, enum_of(ReportingRoute)),
    Column("case_type", True, enum_of(CaseType)),
    Column("subject_staff_number", True, bounded(32)),
    Column("victim_ref", True, bounded(40)),
    Column("victim_relationship", True, enum_of(VictimRelationship)),
    Column("victim_is_police_workforce", False, enum_of(VictimWorkforce)),
    Column("dash_risk", False, enum_of(DashRisk)),
    Column("abuse_types", True, enum_set(AbuseType)),
    Column("aggravating_features", False, enum_set(AggravatingFeature)),
    Column("criminal", False, yes_no),
    Column("crime_ref", False, bounded(60)),
    Column("threshold_met_date", False, iso_date),
    Column("restrictions", False, enum_set(RestrictionOption)),
    Column("restriction_date", False, iso_date),
    Column("iopc_referral_date", False, iso_date),
    Column("iopc_decision", False, enum_of(IopcDecision)),
    Column("investigating_body", False, lambda t: t.strip()),
    Column("misconduct_outcomes", False, enum_set(MisconductOutcome)),
    Column("criminal_outcome", False, enum_of(CriminalOutcome)),
    Column("outcome_date", False, iso_date),
)
CASE_FIELDS = ("reporting_route", "case_type")
# Render NULLs so rows with and without optional values share one INSERT batch (otherwise the
# batches alternate and returning rows in order becomes quadratic).
_ONE_BATCH = {"render_nulls": True}
VICTIM_FIELDS = ("victim_relationship", "victim_is_police_workforce", "dash_risk")


def import_cases(uow: UnitOfWork, actor: User, path: Path) -> ImportSummary:
    require(actor, Action.IMPORT_CASES)
    table = read(path, COLUMNS)
    rows = table.rows
    with uow:
        session = uow.session
        people = {sn: (pid, name) for sn, pid, name in session.execute(
            select(PersonRow.staff_number, PersonRow.id, PersonRow.surname + " " + PersonRow.forenames))}
        codes = force_codes(session)
        table.reject_if_errors(_row_checks(rows, people, codes) + _outcome_errors(session, rows)
                               + _disposed_errors(session, rows))
        writer = _Writer(session, actor, path.name, people, codes)
        added, updated = writer.write(rows)
        if added or updated:
            case_summary.refresh(session, writer.case_ids.values())
            audit.record(session, actor, AccessOperation.COLLECTION, "case_import", path.name,
                         detail=f"{added} allegations added, {updated} updated from {len(rows)} rows")
        uow.commit()
    return ImportSummary(path.name, len(rows), added, updated, len(rows) - added - updated)


def _row_checks(rows: list[Row], people: dict[str, Any], codes: dict[str, str]) -> list[RowError]:
    errors: list[RowError] = []
    first_of_case: dict[str, Row] = {}
    victims: dict[tuple[str, str], Row] = {}
    seen: dict[tuple[str, str], int] = {}
    for r in rows:
        errors.extend(_row_errors(r, people, codes))
        key = (r["case_ref"], r["subject_staff_number"])
        if key in seen:
            errors.append(RowError(r.line, "subject_staff_number",
                                   f"{key[1]} already has an allegation in case {key[0]} on line {seen[key]}"))
        seen.setdefault(key, r.line)
        first = first_of_case.setdefault(r["case_ref"], r)
        errors.extend(_disagreements(r, first, CASE_FIELDS, f"case {r['case_ref']}"))
        vfirst = victims.setdefault((r["case_ref"], r["victim_ref"]), r)
        errors.extend(_disagreements(r, vfirst, VICTIM_FIELDS, f"victim {r['victim_ref']}"))
    return errors


def _outcome_errors(session: Session, rows: list[Row]) -> list[RowError]:
    """The outcome matrix (DOMAIN.md §3.4), as in the application, applied to each row's outcomes."""
    wanted = sorted({r["subject_staff_number"] for r in rows if r["misconduct_outcomes"] and r["subject_staff_number"]})
    subjects = {}
    for i in range(0, len(wanted), 900):
        subjects.update({p.staff_number: person_record(p) for p in session.scalars(
            select(PersonRow).where(PersonRow.staff_number.in_(wanted[i : i + 900])))})
    policies = policy_service.load(session) if subjects else None
    errors: list[RowError] = []
    for r in rows:
        subject = subjects.get(r["subject_staff_number"])
        if subject is None or policies is None or not r["misconduct_outcomes"] or not r["recorded_date"]:
            continue
        try:
            check_imported_outcomes(r["misconduct_outcomes"], subject, r["recorded_date"], policies)
        except ImportedRowProblem as problem:
            errors.append(RowError(r.line, problem.column, problem.message))
    return errors


def _disposed_errors(session: Session, rows: list[Row]) -> list[RowError]:
    """A case disposed of under the retention policy takes no more rows (its personal data is erased)."""
    refs = sorted({r["case_ref"] for r in rows if r["case_ref"]})
    disposed: set[str] = set()
    for i in range(0, len(refs), 900):
        disposed.update(session.scalars(select(CaseRow.reference).where(
            CaseRow.reference.in_(refs[i : i + 900]), CaseRow.status == CaseStatus.DISPOSED.name)))
    return [RowError(r.line, "case_ref", f"{r['case_ref']} was disposed of under the retention policy")
            for r in rows if r["case_ref"] in disposed]


def _disagreements(r: Row, first: Row, fields: Iterable[str], what: str) -> list[RowError]:
    return [RowError(r.line, f, f"differs from line {first.line} for the same {what}")
            for f in fields if r is not first and None not in (r[f], first[f]) and r[f] != first[f]]


def _row_errors(r: Row, people: dict[str, Any], codes: dict[str, str]) -> list[RowError]:
    errs: list[RowError] = []
    add = lambda col, why: errs.append(RowError(r.line, col, why))  # noqa: E731
    if r["subject_staff_number"] and r["subject_staff_number"] not in people:
        add("subject_staff_number", f"{r['subject_staff_number']} is not in the workforce register")
    if r["restrictions"] and not r["restriction_date"]:
        add("restriction_date", "required when restrictions are given")
    if r["restriction_date"] and not r["restrictions"]:
        add("restrictions", "restriction_date is given but no restrictions")
    restrictions = r["restrictions"] or frozenset()
    if RestrictionOption.NO_RESTRICTION in restrictions and len(restrictions) > 1:
        add("restrictions", "NO_RESTRICTION cannot be combined with a restriction")
    if (r["misconduct_outcomes"] or r["criminal_outcome"]) and not r["outcome_date"]:
        add("outcome_date", "required when an outcome is given")
    if r["iopc_decision"] and not r["iopc_referral_date"]:
        add("iopc_referral_date", "required when an IOPC decision is given")
    body = r["investigating_body"]
    if body and body.upper() not in ("HOME", "IOPC") and body.lower() not in codes:
        add("investigating_body", f"'{body}' is not HOME, IOPC or a known force code")
    errs.extend(_date_order(r))
    return errs


def _date_order(r: Row) -> list[RowError]:
    errs = []
    recorded: date | None = r["recorded_date"]
    for col in ("threshold_met_date", "restriction_date", "iopc_referral_date", "outcome_date"):
        if recorded and r[col] and r[col] < recorded:
            errs.append(RowError(r.line, col, f"{r[col]} is before recorded_date {recorded}"))
    if recorded and recorded > clock.today():
        errs.append(RowError(r.line, "recorded_date", f"{recorded} is in the future"))
    return errs


class _Writer:
    """Writes validated rows with bulk inserts; existing allegations only gain new imported decisions."""

    def __init__(self, session: Session, actor: User, source: str, people: dict[str, Any], codes: dict[str, str]) -> None:
        self.s, self.actor, self.source, self.people, self.codes = session, actor, source, people, codes
        self.now = clock.now()
        self.case_ids: dict[str, int] = {}

    def write(self, rows: list[Row]) -> tuple[int, int]:
        by_case: dict[str, list[Row]] = defaultdict(list)
        for r in rows:
            by_case[r["case_ref"]].append(r)
        case_ids = self.case_ids = self._cases(by_case)
        self._victims(by_case, case_ids)
        allegation_ids, new_keys = self._allegations(by_case, case_ids)
        updated = self._decisions(rows, case_ids, allegation_ids, new_keys)
        self._close_finished(by_case, case_ids)
        return len(new_keys), updated

    def _close_finished(self, by_case: dict[str, list[Row]], case_ids: dict[str, int]) -> None:
        """A historical case whose every allegation has a final outcome, and that owes nothing the
        rules would block closure for, was closed in the system it came from; the file has no
        closure column, so an imported closure records that. Anything still owed keeps it open."""
        policy_set = policies.load(self.s)
        still_open = set(self.s.scalars(select(CaseRow.id).where(CaseRow.status == "OPEN", CaseRow.imported_from.is_not(None))))
        candidates = {case_ids[ref]: imported_closure([r.values for r in rs], policy_set)
                      for ref, rs in by_case.items() if case_ids[ref] in still_open}
        wanted = sorted(cid for cid, c in candidates.items() if c is not None)
        closures = []
        for i in range(0, len(wanted), 900):
            for cid, snap in load_snapshots(self.s, wanted[i : i + 900]).items():
                if snap.case.status.name == "OPEN" and snap.case.imported_from and not closure_blockers(snap, policy_set):
                    closures.append((cid, candidates[cid]))
        if closures:
            table = CaseRow.__table__
            self.s.execute(update(table).where(table.c.id == bindparam("cid")), [
                {"cid": cid, "status": "CLOSED", "closed_date": c.effective_date,
                 "retention_review_date": _date_or_none(c.payload["retention_review_date"])}
                for cid, c in closures if c is not None])
        if closures:
            self.s.execute(insert(DecisionRow), [{
                "case_id": cid, "allegation_id": None, "kind": c.kind.name, "payload": c.payload, "options_considered": [],
                "rationale": c.rationale, "decided_by": None, "decided_at": self.now, "effective_date": c.effective_date,
                "imported_from": self.source} for cid, c in closures if c is not None], execution_options=_ONE_BATCH)

    def _cases(self, by_case: dict[str, list[Row]]) -> dict[str, int]:
        existing = dict(self.s.execute(select(CaseRow.reference, CaseRow.id).where(CaseRow.reference.in_(list(by_case)))).all()) \
            if len(by_case) < 30000 else dict(self.s.execute(select(CaseRow.reference, CaseRow.id)).all())
        new = [self._case_values(ref, rs) for ref, rs in by_case.items() if ref not in existing]
        if new:
            result = self.s.execute(insert(CaseRow).returning(CaseRow.reference, CaseRow.id, sort_by_parameter_order=True),
                                 new, execution_options=_ONE_BATCH)
            existing.update({ref: cid for ref, cid in result})
        return {ref: existing[ref] for ref in by_case}

    def _case_values(self, ref: str, rs: list[Row]) -> dict[str, Any]:
        first = rs[0]
        crime_refs = sorted({r["crime_ref"] for r in rs if r["crime_ref"]})
        names = " ".join(f"{self.people[r['subject_staff_number']][1]} {r['subject_staff_number']}" for r in rs)
        return {
            "reference": ref, "received_date": min(r["recorded_date"] for r in rs),
            "reporting_route": first["reporting_route"].name, "case_type": first["case_type"].name,
            "status": "OPEN", "crime_refs": ";".join(crime_refs), "imported_from": self.source,
            "created_by": self.actor.id, "created_at": self.now, "version": 1,
            "restricted_to_named": False, "search_text": f"{ref} {names} {' '.join(crime_refs)}".lower(),
        }

    def _victims(self, by_case: dict[str, list[Row]], case_ids: dict[str, int]) -> None:
        ids = list(case_ids.values())
        existing = {(c, ref): vid for c, ref, vid in self.s.execute(
            select(VictimRow.case_id, VictimRow.reference, VictimRow.id).where(VictimRow.case_id.in_(ids)))} \
            if len(ids) < 30000 else {(c, ref): vid for c, ref, vid in self.s.execute(
                select(VictimRow.case_id, VictimRow.reference, VictimRow.id))}
        new: dict[tuple[int, str], dict[str, Any]] = {}
        for ref, rs in by_case.items():
            for r in rs:
                key = (case_ids[ref], r["victim_ref"])
                if key not in existing and key not in new:
                    new[key] = {
                        "case_id": key[0], "reference": key[1],
                        "relationship_to_subject": r["victim_relationship"].name,
                        "police_workforce": (r["victim_is_police_workforce"] or VictimWorkforce.NO).name,
                        "dash_risk": r["dash_risk"].name if r["dash_risk"] else None,
                        "marac_referred": False, "advocate_offered": False, "advocate_accepted": False,
                    }
        if new:
            self.s.execute(insert(VictimRow), list(new.values()), execution_options=_ONE_BATCH)

    def _allegations(self, by_case: dict[str, list[Row]], case_ids: dict[str, int]) -> tuple[dict[tuple[int, int], int], set[tuple[int, int]]]:
        ids = list(case_ids.values())
        stmt = select(AllegationRow.case_id, AllegationRow.subject_id, AllegationRow.id)
        if len(ids) < 30000:
            stmt = stmt.where(AllegationRow.case_id.in_(ids))
        existing = {(c, s): a for c, s, a in self.s.execute(stmt)}
        new = []
        for ref, rs in by_case.items():
            for r in rs:
                key = (case_ids[ref], self.people[r["subject_staff_number"]][0])
                if key not in existing:
                    new.append(self._allegation_values(key, r))
        new_keys: set[tuple[int, int]] = set()
        if new:
            result = self.s.execute(insert(AllegationRow).returning(
                AllegationRow.case_id, AllegationRow.subject_id, AllegationRow.id, sort_by_parameter_order=True),
                new, execution_options=_ONE_BATCH)
            for c, s, a in result:
                existing[(c, s)] = a
                new_keys.add((c, s))
        return existing, new_keys

    @staticmethod
    def _allegation_values(key: tuple[int, int], r: Row) -> dict[str, Any]:
        return {
            "case_id": key[0], "subject_id": key[1], "recorded_date": r["recorded_date"],
            "abuse_types": ";".join(sorted(a.name for a in r["abuse_types"])),
            "aggravating_features": ";".join(sorted(a.name for a in (r["aggravating_features"] or ()))),
            "breaches": "DISCREDITABLE_CONDUCT", "criminal": bool(r["criminal"]) or bool(r["crime_ref"]),
            "crime_ref": r["crime_ref"], "victim_refs": r["victim_ref"],
        }

    def _decisions(self, rows: list[Row], case_ids: dict[str, int], allegation_ids: dict[tuple[int, int], int],
                   new_keys: set[tuple[int, int]]) -> int:
        old_keys = {allegation_ids[k] for k in allegation_ids if k not in new_keys}
        held = self._held_imported(old_keys)
        values: list[dict[str, Any]] = []
        touched: set[int] = set()
        for r in rows:
            key = (case_ids[r["case_ref"]], self.people[r["subject_staff_number"]][0])
            aid = allegation_ids[key]
            for d in imported_decisions(r.values, self._body(r["investigating_body"])):
                if aid in old_keys and (d.kind.name, _canon(d.payload), d.effective_date) in held.get(aid, set()):
                    continue
                if aid in old_keys:
                    touched.add(aid)
                values.append({
                    "case_id": key[0], "allegation_id": aid, "kind": d.kind.name, "payload": d.payload,
                    "options_considered": [], "rationale": d.rationale, "decided_by": None,
                    "decided_at": self.now, "effective_date": d.effective_date, "imported_from": self.source,
                })
        if values:
            self.s.execute(insert(DecisionRow), values, execution_options=_ONE_BATCH)
        return len(touched)

    def _body(self, body: str | None) -> str | None:
        if not body:
            return None
        return body.upper() if body.upper() in ("HOME", "IOPC") else self.codes[body.lower()]

    def _held_imported(self, allegation_ids: set[int]) -> dict[int, set[tuple[str, str, date]]]:
        held: dict[int, set[tuple[str, str, date]]] = defaultdict(set)
        if not allegation_ids:
            return held
        stmt = select(DecisionRow.allegation_id, DecisionRow.kind, DecisionRow.payload, DecisionRow.effective_date).where(
            DecisionRow.imported_from.is_not(None))
        for aid, kind, payload, eff in self.s.execute(stmt):
            if aid in allegation_ids:
                held[aid].add((kind, _canon(payload), eff))
        return held


def _canon(payload: dict[str, Any]) -> str:
    import json
    return json.dumps(payload, sort_keys=True)



def _date_or_none(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)
