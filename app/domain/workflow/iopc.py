"""Mandatory IOPC referral grounds, referral and the IOPC's decision (DOMAIN.md §3.3).

Grounds derived from an allegation's features (indicative: the referring officer confirms them;
`extra_grounds` adds what features cannot show, e.g. DISCRIMINATION_AGGRAVATED):
- NON_FATAL_STRANGULATION                         -> SERIOUS_ASSAULT
- PHYSICAL with WEAPON                            -> SERIOUS_ASSAULT
- SEXUAL                                          -> SERIOUS_SEXUAL_OFFENCE
- USE_OF_POLICE_POWERS_OR_STATUS                  -> SERIOUS_CORRUPTION (abuse of position)
- MISUSE_OF_POLICE_SYSTEMS                        -> SERIOUS_CORRUPTION (abuse of position)
- criminal, with SEXUAL, THREATS (threats to kill), STALKING_HARASSMENT (stalking involving
  fear of violence) or PHYSICAL with WEAPON       -> RELEVANT_OFFENCE (7 years or more for an
                                                     adult of good character)
- another allegation of the case with a ground of its own, the same victim and overlapping
  conduct dates                                   -> SAME_INCIDENT
The referral is due IOPC_REFERRAL_DEADLINE_WORKING_DAYS (1: end of the next working day) after
the allegation was recorded (its RECORDING decision, else the case's received date).

Payloads:
- IOPC_REFERRAL `{"mandatory": bool, "grounds": [MandatoryGround names], "iopc_reference":
  str | None}` — effective_date is the date sent; allegation_id, or None for the whole case.
- IOPC_DECISION `{"decision": IopcDecision name, "mode": InvestigationMode name,
  "iopc_reference": str | None}` — same allegation_id convention.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.calendar import add_working_days
from app.domain.enums import AbuseType, AggravatingFeature, DecisionKind, IopcDecision, MandatoryGround
from app.domain.errors import RuleRefused
from app.domain.policy import PolicyName, PolicySet
from app.domain.records import Allegation, CaseSnapshot, Decision
from app.domain.workflow.common import (
    Act,
    allegation_ids,
    allegation_of,
    latest,
    make_decision,
    names,
    require_open,
)


class InvestigationMode(StrEnum):
    FORCE = "FORCE"  # not referred, or returned by the IOPC: the force deals with it itself
    LOCAL = "LOCAL"
    DIRECTED = "DIRECTED"
    INDEPENDENT = "INDEPENDENT"


MODE_OF_DECISION = {
    IopcDecision.NOT_NECESSARY_TO_INVESTIGATE: InvestigationMode.FORCE,
    IopcDecision.LOCAL_INVESTIGATION: InvestigationMode.LOCAL,
    IopcDecision.DIRECTED_INVESTIGATION: InvestigationMode.DIRECTED,
    IopcDecision.INDEPENDENT_INVESTIGATION: InvestigationMode.INDEPENDENT,
}

_RELEVANT_OFFENCE_TYPES = {
    AbuseType.SEXUAL: "a sexual offence",
    AbuseType.THREATS: "threats to kill",
    AbuseType.STALKING_HARASSMENT: "stalking involving fear of violence",
}


@dataclass(frozen=True)
class Ground:
    ground: MandatoryGround
    reason: str


def _assault_and_sexual(a: Allegation) -> list[Ground]:
    found = []
    if AbuseType.NON_FATAL_STRANGULATION in a.abuse_types:
        found.append(Ground(MandatoryGround.SERIOUS_ASSAULT, "non-fatal strangulation"))
    if AbuseType.PHYSICAL in a.abuse_types and AggravatingFeature.WEAPON in a.aggravating_features:
        found.append(Ground(MandatoryGround.SERIOUS_ASSAULT, "physical abuse with a weapon"))
    if AbuseType.SEXUAL in a.abuse_types:
        found.append(Ground(MandatoryGround.SERIOUS_SEXUAL_OFFENCE, "sexual abuse"))
    return found


def _corruption_and_relevant(a: Allegation) -> list[Ground]:
    found = []
    for feature, text in (
        (AggravatingFeature.USE_OF_POLICE_POWERS_OR_STATUS, "use of police powers or status"),
        (AggravatingFeature.MISUSE_OF_POLICE_SYSTEMS, "misuse of police systems"),
    ):
        if feature in a.aggravating_features:
            found.append(Ground(MandatoryGround.SERIOUS_CORRUPTION, f"abuse of position: {text}"))
    if a.criminal:
        offences = [t for k, t in _RELEVANT_OFFENCE_TYPES.items() if k in a.abuse_types]
        if AbuseType.PHYSICAL in a.abuse_types and AggravatingFeature.WEAPON in a.aggravating_features:
            offences.append("a wounding with a weapon")
        if offences:
            reason = "criminal allegation of " + " and ".join(offences) + " (7 years or more)"
            found.append(Ground(MandatoryGround.RELEVANT_OFFENCE, reason))
    return found


def own_grounds(allegation: Allegation) -> list[Ground]:
    """The grounds an allegation's own features show (no SAME_INCIDENT)."""
    return _assault_and_sexual(allegation) + _corruption_and_relevant(allegation)


def _same_incident(a: Allegation, b: Allegation) -> bool:
    if not set(a.victim_refs) & set(b.victim_refs):
        return False
    a_from, b_from = a.conduct_from, b.conduct_from
    if a_from is None or b_from is None:  # undated conduct: the same incident only if neither is dated
        return a_from is None and b_from is None
    a_to, b_to = a.conduct_to or a_from, b.conduct_to or b_from
    return a_from <= b_to and b_from <= a_to


def referral_grounds(snapshot: CaseSnapshot, allegation_id: int) -> list[Ground]:
    """Every mandatory referral ground of the allegation, each with its reason."""
    allegation = allegation_of(snapshot, allegation_id)
    found = own_grounds(allegation)
    for other in snapshot.allegations:
        if other.id != allegation_id and own_grounds(other) and _same_incident(allegation, other):
            found.append(Ground(MandatoryGround.SAME_INCIDENT, f"same incident as allegation {other.id}"))
    return found


def referral(snapshot: CaseSnapshot, allegation_id: int) -> Decision | None:
    """The referral covering the allegation (its own, or the whole case's)."""
    return latest(snapshot, [DecisionKind.IOPC_REFERRAL], allegation_id)


def referral_due_date(snapshot: CaseSnapshot, allegation_id: int, policies: PolicySet) -> date:
    recorded = latest(snapshot, [DecisionKind.RECORDING], allegation_id)
    start = recorded.effective_date if recorded else snapshot.case.received_date
    days = policies.int_on(PolicyName.IOPC_REFERRAL_DEADLINE_WORKING_DAYS, start)
    return add_working_days(start, days)


def record_iopc_referral(
    snapshot: CaseSnapshot,
    act: Act,
    *,
    allegation_id: int | None = None,
    on: date | None = None,
    iopc_reference: str | None = None,
    extra_grounds: Iterable[MandatoryGround] = (),
    rationale: str | None = None,
) -> Decision:
    """Record a referral sent on `on`; mandatory when grounds apply, else voluntary."""
    require_open(snapshot)
    ids = [allegation_id] if allegation_id is not None else allegation_ids(snapshot)
    grounds = {g.ground for aid in ids for g in referral_grounds(snapshot, aid)}
    grounds |= set(extra_grounds)
    for aid in ids:
        done = referral(snapshot, aid)
        if done is not None:
            raise RuleRefused(
                f"Allegation {aid} was already referred to the IOPC on "
                f"{done.effective_date.isoformat()}; record the IOPC's decision instead."
            )
    payload = {
        "mandatory": bool(grounds), "grounds": names(grounds),
        "iopc_reference": iopc_reference.strip() if iopc_reference else None,
    }
    return make_decision(
        DecisionKind.IOPC_REFERRAL, act, payload, on=on, allegation_id=allegation_id,
        rationale=rationale,
    )


def record_iopc_decision(
    snapshot: CaseSnapshot,
    act: Act,
    decision: IopcDecision,
    *,
    allegation_id: int | None = None,
    on: date | None = None,
    iopc_reference: str | None = None,
) -> list[Decision]:
    """The IOPC's decision on a referral; INDEPENDENT also makes the IOPC the investigating body."""
    require_open(snapshot)
    sent = _referral_for(snapshot, allegation_id)
    if sent is None:
        raise RuleRefused(
            "The IOPC's decision can only be recorded after the referral: record the referral "
            "(date sent) first."
        )
    reference = iopc_reference or sent.payload.get("iopc_reference")
    payload = {"decision": decision.name, "mode": MODE_OF_DECISION[decision].name,
               "iopc_reference": reference}
    made = make_decision(DecisionKind.IOPC_DECISION, act, payload, on=on, allegation_id=allegation_id)
    if made.effective_date < sent.effective_date:
        raise RuleRefused(
            f"The IOPC's decision cannot be dated before the referral was sent "
            f"({sent.effective_date.isoformat()})."
        )
    result = [made]
    if decision == IopcDecision.INDEPENDENT_INVESTIGATION:
        body = {"body": "IOPC", "external": True}
        result.append(make_decision(DecisionKind.INVESTIGATING_BODY, act, body,
                                    on=made.effective_date, allegation_id=allegation_id))
    return result


def _referral_for(snapshot: CaseSnapshot, allegation_id: int | None) -> Decision | None:
    if allegation_id is not None:
        return referral(snapshot, allegation_id)
    return latest(snapshot, [DecisionKind.IOPC_REFERRAL])


def iopc_decision(snapshot: CaseSnapshot, allegation_id: int | None) -> IopcDecision | None:
    found = latest(snapshot, [DecisionKind.IOPC_DECISION], allegation_id)
    return IopcDecision[found.payload["decision"]] if found else None


def investigation_mode(snapshot: CaseSnapshot, allegation_id: int) -> InvestigationMode:
    """The investigation mode comes from the IOPC's decision; FORCE when there is none."""
    decided = iopc_decision(snapshot, allegation_id)
    return MODE_OF_DECISION[decided] if decided else InvestigationMode.FORCE
