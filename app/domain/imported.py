"""How a row of an imported case file becomes imported decision records (FORMATS.md "Cases").

The payload keys are the same ones the workflow rules read for decisions made in the
application, so imported cases get the same derived state (due items, flags).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from app.domain.calendar import add_years
from app.domain.enums import FINAL_MISCONDUCT_OUTCOMES, CriminalOutcome, DecisionKind, MisconductOutcome
from app.domain.policy import PolicyName, PolicySet


@dataclass(frozen=True)
class ImportedDecision:
    kind: DecisionKind
    payload: dict[str, Any]
    effective_date: date
    rationale: str = "Imported from another case system"


def imported_decisions(row: Mapping[str, Any], investigating_body: str | None) -> list[ImportedDecision]:
    """The decisions a validated row states (empty cells state nothing)."""
    out: list[ImportedDecision] = []
    recorded: date = row["recorded_date"]
    if row.get("threshold_met_date"):
        out.append(ImportedDecision(DecisionKind.THRESHOLD, {"met": True}, row["threshold_met_date"]))
    if row.get("restrictions"):
        options = sorted(o.name for o in row["restrictions"])
        out.append(ImportedDecision(DecisionKind.RESTRICTION, {"options": options}, row["restriction_date"]))
    if row.get("iopc_referral_date"):
        out.append(ImportedDecision(DecisionKind.IOPC_REFERRAL, {"referred": True, "voluntary": False},
                                    row["iopc_referral_date"]))
    if row.get("iopc_decision"):
        out.append(ImportedDecision(DecisionKind.IOPC_DECISION, {"decision": row["iopc_decision"].name},
                                    row["iopc_referral_date"]))
    if investigating_body:
        out.append(ImportedDecision(DecisionKind.INVESTIGATING_BODY, {"body": investigating_body}, recorded))
    outcome_date = cast(date, row.get("outcome_date"))  # a validated row has it when it states an outcome
    for outcome in sorted(row.get("misconduct_outcomes") or (), key=lambda o: o.name):
        out.append(ImportedDecision(DecisionKind.MISCONDUCT_OUTCOME, {"outcome": outcome.name}, outcome_date))
    criminal = row.get("criminal_outcome")
    if criminal is not None:
        if criminal == CriminalOutcome.CHARGED:
            out.append(ImportedDecision(DecisionKind.CHARGE, {"offence": None, "domestic_abuse_related": True},
                                        outcome_date))
        out.append(ImportedDecision(DecisionKind.CRIMINAL_OUTCOME, {"outcome": criminal.name}, outcome_date))
    return out


BARRED_LIST_OUTCOMES = frozenset({MisconductOutcome.DISMISSAL_WITHOUT_NOTICE,
                                  MisconductOutcome.WOULD_HAVE_BEEN_DISMISSED})


def imported_closure(rows: list[Mapping[str, Any]], policies: PolicySet) -> ImportedDecision | None:
    """The closure of a historical case, when every one of its rows has a final misconduct
    outcome and no criminal matter still pending (charged); None while anything is open.

    Dated the last outcome; kept for review RETENTION_YEARS later, or indefinitely for a
    barred-list matter (a dismissal or "would have been dismissed")."""
    outcomes = [frozenset(r.get("misconduct_outcomes") or ()) for r in rows]
    if not rows or any(not (o & FINAL_MISCONDUCT_OUTCOMES) for o in outcomes):
        return None
    if any(r.get("criminal_outcome") == CriminalOutcome.CHARGED for r in rows):
        return None
    closed: date = max(r["outcome_date"] for r in rows)
    barred = any(o & BARRED_LIST_OUTCOMES for o in outcomes)
    review = None if barred else add_years(closed, policies.int_on(PolicyName.RETENTION_YEARS, closed)).isoformat()
    payload = {"closed_date": closed.isoformat(), "retention_review_date": review, "barred_list_matter": barred}
    return ImportedDecision(DecisionKind.CLOSURE, payload, closed,
                            "Closed in the system it was imported from: every allegation has a final outcome")
