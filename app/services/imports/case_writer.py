"""Writing checked row plans with bulk inserts (a 100,000-row file stays well inside a minute on
SQLite). Every decision it writes is an imported decision: `imported_from` the file, `imported_by`
the importer, never `decided_by` (nobody decided it in the application); an approval given at the
import is `approved_by` the approver who signed in."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.orm import Session

from app.domain.enums import CaseStatus
from app.domain.imported import ImportedDecision, imported_closure
from app.domain.records import User
from app.domain.workflow import closure_blockers
from app.persistence.models import AllegationRow, CaseRow, DecisionRow, VictimRow
from app.services import clock, policies
from app.services.case_state import load_snapshots
from app.services.imports.case_plan import CHUNK, RowPlan, allegation_fields, victim_fields

# Render NULLs so rows with and without optional values share one INSERT batch (otherwise the
# batches alternate and returning rows in order becomes quadratic).
_ONE_BATCH = {"render_nulls": True}
Key = tuple[str, int]  # (case_ref, subject person id)


class CaseWriter:
    def __init__(self, session: Session, actor: User, approver: User | None, source: str) -> None:
        self.s, self.actor, self.approver, self.source = session, actor, approver, source
        self.now: datetime = clock.now()
        self.case_ids: dict[str, int] = {}
        self.added = 0

    def write_structure(self, plans: list[RowPlan]) -> dict[Key, tuple[int, int]]:
        """Cases, victims and allegations the plans add; (case id, allegation id) of every row."""
        self.case_ids = self._cases(plans)
        self._victims(plans)
        allegations = self._allegations(plans)
        return {(p.row["case_ref"], p.subject.id): (self.case_ids[p.row["case_ref"]],
                                                    allegations[(p.row["case_ref"], p.subject.id)])
                for p in plans}

    def _cases(self, plans: list[RowPlan]) -> dict[str, int]:
        ids = {p.row["case_ref"]: p.case.id for p in plans if p.case is not None}
        new: dict[str, list[RowPlan]] = defaultdict(list)
        for p in plans:
            if p.case is None:
                new[p.row["case_ref"]].append(p)
        if new:
            result = self.s.execute(insert(CaseRow).returning(CaseRow.reference, CaseRow.id,
                                                              sort_by_parameter_order=True),
                                    [self._case_values(ref, ps) for ref, ps in new.items()],
                                    execution_options=_ONE_BATCH)
            ids.update(dict(result.all()))
        return ids

    def _case_values(self, ref: str, plans: list[RowPlan]) -> dict[str, Any]:
        first = plans[0].row
        crime_refs = sorted({p.row["crime_ref"] for p in plans if p.row["crime_ref"]})
        names = " ".join(f"{p.subject.name} {p.row['subject_staff_number']}" for p in plans)
        return {
            "reference": ref, "received_date": min(p.row["recorded_date"] for p in plans),
            "reporting_route": first["reporting_route"].name, "case_type": first["case_type"].name,
            "status": CaseStatus.OPEN.name, "crime_refs": ";".join(crime_refs), "imported_from": self.source,
            "created_by": self.actor.id, "created_at": self.now, "version": 1,
            "restricted_to_named": False, "search_text": f"{ref} {names} {' '.join(crime_refs)}".lower(),
        }

    def _victims(self, plans: list[RowPlan]) -> None:
        new: dict[tuple[int, str], dict[str, Any]] = {}
        for p in plans:
            key = (self.case_ids[p.row["case_ref"]], p.row["victim_ref"])
            if not p.victim_held and key not in new:
                v = victim_fields(p.row)
                new[key] = {"case_id": key[0], "reference": key[1], "relationship_to_subject": v["victim_relationship"],
                            "police_workforce": v["victim_is_police_workforce"], "dash_risk": v["dash_risk"],
                            "marac_referred": False, "advocate_offered": False, "advocate_accepted": False}
        if new:
            self.s.execute(insert(VictimRow), list(new.values()), execution_options=_ONE_BATCH)

    def _allegations(self, plans: list[RowPlan]) -> dict[Key, int]:
        ids = {(p.row["case_ref"], p.subject.id): p.allegation.id for p in plans if p.allegation is not None}
        new = [p for p in plans if p.allegation is None]
        if new:
            result = self.s.execute(insert(AllegationRow).returning(
                AllegationRow.case_id, AllegationRow.subject_id, AllegationRow.id, sort_by_parameter_order=True),
                [self._allegation_values(p) for p in new], execution_options=_ONE_BATCH)
            refs = {cid: ref for ref, cid in self.case_ids.items()}
            for cid, sid, aid in result:
                ids[(refs[cid], sid)] = aid
            self.added = len(new)
        return ids

    def _allegation_values(self, p: RowPlan) -> dict[str, Any]:
        return {"case_id": self.case_ids[p.row["case_ref"]], "subject_id": p.subject.id, **allegation_fields(p.row),
                "breaches": "DISCREDITABLE_CONDUCT", "victim_refs": p.row["victim_ref"]}

    def write_decisions(self, plans: list[RowPlan], ids: Mapping[Key, tuple[int, int]]) -> int:
        """The plans' decisions; returns how many held allegations gained one (the rows updated)."""
        values: list[dict[str, Any]] = []
        updated = 0
        for p in plans:
            cid, aid = ids[(p.row["case_ref"], p.subject.id)]
            for i, d in enumerate(p.decisions):
                if i in p.exception_before:
                    values.append(self._values(cid, None, p.exception_before[i], approved=True))
                values.append(self._values(cid, aid, d, approved=i in p.approved))
            updated += p.allegation is not None and bool(p.decisions)
        if values:
            self.s.execute(insert(DecisionRow), values, execution_options=_ONE_BATCH)
        return updated

    def _values(self, case_id: int, aid: int | None, d: ImportedDecision, *, approved: bool) -> dict[str, Any]:
        approver = self.approver if approved else None
        return {"case_id": case_id, "allegation_id": aid, "kind": d.kind.name, "payload": d.payload,
                "options_considered": [], "rationale": d.rationale, "decided_by": None, "decided_at": self.now,
                "effective_date": d.effective_date, "imported_from": self.source, "imported_by": self.actor.id,
                "approved_by": approver.id if approver else None, "approved_at": self.now if approver else None}

    def close_finished(self, plans: list[RowPlan]) -> None:
        """A historical case whose every allegation has a final outcome, and that owes nothing the
        rules would block closure for, was closed in the system it came from; the file has no
        closure column, so an imported closure records that. Anything still owed keeps it open."""
        policy_set = policies.load(self.s)
        altered = {self.case_ids[p.row["case_ref"]] for p in plans if p.alters}
        by_case: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
        for p in plans:
            if self.case_ids[p.row["case_ref"]] in altered:
                by_case[self.case_ids[p.row["case_ref"]]].append(p.row.values)
        candidates = {cid: imported_closure(rows, policy_set) for cid, rows in by_case.items()}
        wanted = sorted(cid for cid, c in candidates.items() if c is not None)
        closures: list[tuple[int, ImportedDecision]] = []
        for i in range(0, len(wanted), CHUNK):
            for cid, snap in load_snapshots(self.s, wanted[i : i + CHUNK]).items():
                closure = candidates[cid]
                if (closure is not None and snap.case.status == CaseStatus.OPEN and snap.case.imported_from
                        and not closure_blockers(snap, policy_set)):
                    closures.append((cid, closure))
        if closures:
            table = cast(Table, CaseRow.__table__)
            self.s.execute(update(table).where(table.c.id == bindparam("cid")), [
                {"cid": cid, "status": CaseStatus.CLOSED.name, "closed_date": c.effective_date,
                 "retention_review_date": _date_or_none(c.payload["retention_review_date"])} for cid, c in closures])
            self.s.execute(insert(DecisionRow), [self._values(cid, None, c, approved=False) for cid, c in closures],
                           execution_options=_ONE_BATCH)


def _date_or_none(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)
