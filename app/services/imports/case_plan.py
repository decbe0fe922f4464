"""What each row of a cases file would change, worked out against the records already held.

A row adds a case, a victim or an allegation when they are not held yet, and the imported
decisions it states that are not held yet (the same kind, payload and date). A row that would add
nothing is unchanged: re-importing a file changes nothing. The checks (case_checks) and the writer
(case_writer) both work from these plans, so what is checked is what is written.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import VictimWorkforce
from app.domain.imported import ImportedDecision, imported_decisions
from app.persistence.models import AllegationRow, CaseRow, DecisionRow, VictimRow
from app.services.imports.table import Row

CHUNK = 900


@dataclass(frozen=True)
class Subject:
    id: int
    name: str
    date_of_birth: date


@dataclass(frozen=True)
class HeldCase:
    id: int
    reference: str
    status: str
    imported: bool  # created by an import (imported_from set)
    app_decisions: bool  # has a decision recorded in the application
    fields: dict[str, str]  # reporting_route, case_type


@dataclass(frozen=True)
class HeldAllegation:
    id: int
    fields: dict[str, Any]  # recorded_date, abuse_types, aggravating_features, criminal, crime_ref


@dataclass
class Held:
    cases: dict[str, HeldCase] = field(default_factory=dict)
    allegations: dict[tuple[int, int], HeldAllegation] = field(default_factory=dict)
    victims: dict[tuple[int, str], dict[str, str | None]] = field(default_factory=dict)
    decisions: dict[int, set[tuple[str, str, date]]] = field(default_factory=lambda: defaultdict(set))


@dataclass
class RowPlan:
    row: Row
    subject: Subject
    body: str | None  # HOME, IOPC or the stored force code
    case: HeldCase | None
    allegation: HeldAllegation | None
    victim_held: bool
    decisions: list[ImportedDecision]
    approved: set[int] = field(default_factory=set)  # indexes into decisions approved at import
    exception_before: dict[int, ImportedDecision] = field(default_factory=dict)  # index → exception decision

    @property
    def alters(self) -> bool:
        return self.case is None or self.allegation is None or not self.victim_held or bool(self.decisions)


def canonical(payload: Mapping[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True)


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


def load_held(session: Session, refs: Iterable[str]) -> Held:
    held = Held()
    for chunk in _chunks(sorted(set(refs))):
        for c in session.execute(select(CaseRow.id, CaseRow.reference, CaseRow.status, CaseRow.imported_from,
                                        CaseRow.reporting_route, CaseRow.case_type)
                                 .where(CaseRow.reference.in_(chunk))):
            held.cases[c.reference] = HeldCase(c.id, c.reference, c.status, c.imported_from is not None, False,
                                               {"reporting_route": c.reporting_route, "case_type": c.case_type})
    ids = sorted(c.id for c in held.cases.values())
    app_made: set[int] = set()
    for chunk in _chunks(ids):
        app_made.update(session.scalars(select(DecisionRow.case_id).where(
            DecisionRow.case_id.in_(chunk), DecisionRow.imported_from.is_(None)).distinct()))
        _load_parts(session, held, chunk)
    held.cases = {ref: (HeldCase(c.id, c.reference, c.status, c.imported, True, c.fields) if c.id in app_made else c)
                  for ref, c in held.cases.items()}
    return held


def _load_parts(session: Session, held: Held, case_ids: list[int]) -> None:
    a = AllegationRow
    for cid, sid, aid, recorded, abuse, features, criminal, crime_ref in session.execute(
            select(a.case_id, a.subject_id, a.id, a.recorded_date, a.abuse_types, a.aggravating_features, a.criminal,
                   a.crime_ref).where(a.case_id.in_(case_ids))):
        held.allegations[(cid, sid)] = HeldAllegation(aid, {
            "recorded_date": recorded, "abuse_types": abuse, "aggravating_features": features, "criminal": criminal,
            "crime_ref": crime_ref})
    v = VictimRow
    for cid, ref, relationship, workforce, dash in session.execute(
            select(v.case_id, v.reference, v.relationship_to_subject, v.police_workforce, v.dash_risk)
            .where(v.case_id.in_(case_ids))):
        held.victims[(cid, ref)] = {"victim_relationship": relationship, "victim_is_police_workforce": workforce,
                                    "dash_risk": dash}
    for aid, kind, payload, eff in session.execute(
            select(DecisionRow.allegation_id, DecisionRow.kind, DecisionRow.payload, DecisionRow.effective_date)
            .where(DecisionRow.case_id.in_(case_ids), DecisionRow.imported_from.is_not(None),
                   DecisionRow.allegation_id.is_not(None))):
        held.decisions[aid].add((kind, canonical(payload), eff))


def allegation_fields(r: Row) -> dict[str, Any]:
    """The allegation columns as stored."""
    return {
        "recorded_date": r["recorded_date"],
        "abuse_types": ";".join(sorted(a.name for a in r["abuse_types"])),
        "aggravating_features": ";".join(sorted(a.name for a in (r["aggravating_features"] or ()))),
        "criminal": bool(r["criminal"]) or bool(r["crime_ref"]), "crime_ref": r["crime_ref"],
    }


def victim_fields(r: Row) -> dict[str, str | None]:
    return {
        "victim_relationship": r["victim_relationship"].name,
        "victim_is_police_workforce": (r["victim_is_police_workforce"] or VictimWorkforce.NO).name,
        "dash_risk": r["dash_risk"].name if r["dash_risk"] else None,
    }


def body_code(body: str | None, codes: Mapping[str, str]) -> str | None:
    if not body:
        return None
    return body.upper() if body.upper() in ("HOME", "IOPC") else codes[body.lower()]


def plan_row(r: Row, subject: Subject, held: Held, codes: Mapping[str, str]) -> RowPlan:
    case = held.cases.get(r["case_ref"])
    allegation = held.allegations.get((case.id, subject.id)) if case else None
    body = body_code(r["investigating_body"], codes)
    stated = imported_decisions(r.values, body)
    if allegation is not None:
        have = held.decisions.get(allegation.id, set())
        stated = [d for d in stated if (d.kind.name, canonical(d.payload), d.effective_date) not in have]
    victim_held = case is not None and (case.id, r["victim_ref"]) in held.victims
    return RowPlan(r, subject, body, case, allegation, victim_held, stated)
