"""The criminal track of an allegation (DOMAIN.md §3.4): arrest, charge, outcome, conviction.

Payloads (allegation_id always set; effective_date is the date of the event):
- ARREST      `{"offence": str, "da_or_sexual_offence": bool}`
- CHARGE      `{"outcome": "CHARGED", "offence": str, "da_related": bool}`
- CONVICTION  `{"outcome": "CONVICTED", "offence": str, "indictable_only": bool,
                "sentence": str | None, "dismissal_expected": true}`
- CRIMINAL_OUTCOME `{"outcome": CriminalOutcome name, "offence": str | None,
                "sentence": str | None}` — the other outcomes; imported rows may also carry
  CHARGED or CONVICTED here. A charge is DA-related unless `da_related` (or the importer's
  `domestic_abuse_related`) is false: the allegation is PPDA. A CHARGE or CONVICTION without
  `outcome` is read as CHARGED / CONVICTED; two records of one event on one date count once.

The current criminal outcome is the `outcome` of the latest of CHARGE, CONVICTION and
CRIMINAL_OUTCOME decisions, so imported and in-app records read the same way.
"""

from __future__ import annotations

from datetime import date

from app.domain.enums import CriminalOutcome, DecisionKind, Severity
from app.domain.errors import RuleRefused
from app.domain.policy import PolicyName, PolicySet
from app.domain.records import CaseSnapshot, Decision
from app.domain.workflow.common import Act, allegation_of, history, make_decision, own_history, require_open

CRIMINAL_KINDS = (DecisionKind.CHARGE, DecisionKind.CONVICTION, DecisionKind.CRIMINAL_OUTCOME)
FINAL_CRIMINAL_OUTCOMES = frozenset(CriminalOutcome) - {CriminalOutcome.CHARGED}


def criminal_kind(outcome: CriminalOutcome) -> DecisionKind:
    """The decision kind that records `outcome`."""
    if outcome == CriminalOutcome.CHARGED:
        return DecisionKind.CHARGE
    if outcome == CriminalOutcome.CONVICTED:
        return DecisionKind.CONVICTION
    return DecisionKind.CRIMINAL_OUTCOME


def _require_criminal(snapshot: CaseSnapshot, allegation_id: int) -> None:
    require_open(snapshot)
    if not allegation_of(snapshot, allegation_id).criminal:
        raise RuleRefused(
            f"Allegation {allegation_id} is not recorded as having a criminal dimension; record it "
            "as criminal (with the crime reference) before recording an arrest, charge or outcome."
        )


def record_arrest(
    snapshot: CaseSnapshot,
    act: Act,
    allegation_id: int,
    *,
    offence: str,
    da_or_sexual_offence: bool = True,
    on: date | None = None,
) -> Decision:
    """An arrest; from 13 July 2026 (SUSPEND_ON_ARREST) an arrest for a domestic-abuse or sexual
    offence makes suspension due as a charge does."""
    _require_criminal(snapshot, allegation_id)
    if not offence.strip():
        raise RuleRefused("An arrest needs the offence it was for.")
    payload = {"offence": offence.strip(), "da_or_sexual_offence": da_or_sexual_offence}
    return make_decision(DecisionKind.ARREST, act, payload, on=on, allegation_id=allegation_id)


def record_criminal_outcome(
    snapshot: CaseSnapshot,
    act: Act,
    allegation_id: int,
    outcome: CriminalOutcome,
    policies: PolicySet,
    *,
    on: date | None = None,
    offence: str | None = None,
    da_related: bool = True,
    indictable_only: bool = False,
    sentence: str | None = None,
) -> list[Decision]:
    """Record a criminal-track outcome with its date (`on`).

    CHARGED with `da_related` makes suspension due (SUSPEND_ON_CHARGE). CONVICTED flags the
    case "dismissal expected" (an accelerated misconduct hearing is due); a conviction for an
    indictable-only offence also returns a GROSS_MISCONDUCT severity decision.
    """
    _require_criminal(snapshot, allegation_id)
    offence = offence.strip() if offence else None
    if outcome in (CriminalOutcome.CHARGED, CriminalOutcome.CONVICTED) and not offence:
        raise RuleRefused(f"Recording {outcome.name} needs the offence.")
    payload = _payload(outcome, offence, da_related, indictable_only, sentence)
    decision = make_decision(criminal_kind(outcome), act, payload, on=on, allegation_id=allegation_id)
    if outcome == CriminalOutcome.CONVICTED and _indictable_rule(decision, policies):
        return [decision, make_decision(
            DecisionKind.SEVERITY, act, {"severity": Severity.GROSS_MISCONDUCT.name},
            on=decision.effective_date, allegation_id=allegation_id,
            rationale="A conviction for an indictable-only offence is always gross misconduct.",
        )]
    return [decision]


def _payload(outcome: CriminalOutcome, offence: str | None, da_related: bool,
             indictable_only: bool, sentence: str | None) -> dict[str, object]:
    payload: dict[str, object] = {"outcome": outcome.name, "offence": offence}
    if outcome == CriminalOutcome.CHARGED:
        payload["da_related"] = da_related
        return payload
    if outcome == CriminalOutcome.CONVICTED:
        payload.update(indictable_only=indictable_only, dismissal_expected=True)
    payload["sentence"] = sentence.strip() if sentence else None
    return payload


_IMPLIED = {DecisionKind.CHARGE: CriminalOutcome.CHARGED, DecisionKind.CONVICTION: CriminalOutcome.CONVICTED}


def outcome_of(decision: Decision) -> CriminalOutcome | None:
    """The criminal outcome a decision records (CHARGE/CONVICTION imply theirs)."""
    name = decision.payload.get("outcome")
    if name:
        return CriminalOutcome[name]
    return _IMPLIED.get(decision.kind)


def is_da_related(charge: Decision) -> bool:
    """Whether a charge is for a domestic-abuse-related offence (true unless recorded otherwise)."""
    flag = charge.payload.get("da_related", charge.payload.get("domestic_abuse_related"))
    return True if flag is None else bool(flag)


def criminal_history(snapshot: CaseSnapshot, allegation_id: int) -> list[Decision]:
    return [d for d in history(snapshot, CRIMINAL_KINDS, allegation_id) if outcome_of(d)]


def current_criminal_outcome(snapshot: CaseSnapshot, allegation_id: int) -> CriminalOutcome | None:
    found = criminal_history(snapshot, allegation_id)
    return outcome_of(found[-1]) if found else None


def events(snapshot: CaseSnapshot, allegation_id: int, outcome: CriminalOutcome) -> list[Decision]:
    """The decisions recording `outcome` (e.g. every charge), one per date, for the allegation."""
    by_date: dict[date, Decision] = {}
    for d in criminal_history(snapshot, allegation_id):
        if outcome_of(d) == outcome:
            by_date.setdefault(d.effective_date, d)
    return list(by_date.values())


def arrests(snapshot: CaseSnapshot, allegation_id: int) -> list[Decision]:
    return own_history(snapshot, [DecisionKind.ARREST], allegation_id)


def _indictable_rule(conviction: Decision, policies: PolicySet) -> bool:
    return bool(conviction.payload.get("indictable_only")) and policies.bool_on(
        PolicyName.INDICTABLE_ONLY_CONVICTION_IS_GROSS_MISCONDUCT, conviction.effective_date
    )


def has_indictable_only_conviction(
    snapshot: CaseSnapshot, allegation_id: int, policies: PolicySet
) -> bool:
    """Whether a conviction that is always gross misconduct is recorded for the allegation."""
    return any(
        _indictable_rule(d, policies) for d in events(snapshot, allegation_id, CriminalOutcome.CONVICTED)
    )
