"""Reports to the PCC and updates to victims (DOMAIN.md §2, §3.4).

- TWELVE_MONTH_REPORT: while the investigation is open, a report to the local policing body is
  due TWELVE_MONTH_REPORT_MONTHS after the case was received and every
  TWELVE_MONTH_REPORT_REPEAT_MONTHS after that (policy on the received date). The n-th report
  recorded answers the n-th due date. The investigation is finished when every allegation has a
  case-to-answer determination or a final outcome.
- VICTIM_UPDATE: every victim is updated at least every VICTIM_UPDATE_DAYS while the case is
  open, counted from the last update (or the received date); sooner when the last update agreed
  an earlier next contact with the victim (the case log's contact with the victim).

Payloads:
- TWELVE_MONTH_REPORT `{"report_number": int, "due_date": ISO}` — case-level.
- VICTIM_UPDATE `{"victim_ref": str, "method": str | None, "next_contact": ISO (optional)}` — case-level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.calendar import add_months
from app.domain.enums import DecisionKind
from app.domain.enums import MisconductOutcome as O
from app.domain.errors import RuleRefused
from app.domain.policy import PolicyName, PolicySet
from app.domain.records import CaseSnapshot, Decision
from app.domain.workflow.common import Act, history, iso, make_decision, payload_date, require_open
from app.domain.workflow.outcomes import Stage, final_outcome, outcome_decisions, stage_of


def investigation_finished(snapshot: CaseSnapshot) -> bool:
    for a in snapshot.allegations:
        if a.id is None:
            continue
        stages = {stage_of(O[d.payload["outcome"]]) for d in outcome_decisions(snapshot, a.id)}
        if Stage.DETERMINATION not in stages and final_outcome(snapshot, a.id) is None:
            return False
    return bool(snapshot.allegations)


def report_due_date(snapshot: CaseSnapshot, policies: PolicySet, number: int) -> date:
    """When the `number`-th report (1-based) to the PCC is due."""
    received = snapshot.case.received_date
    first = policies.int_on(PolicyName.TWELVE_MONTH_REPORT_MONTHS, received)
    repeat = policies.int_on(PolicyName.TWELVE_MONTH_REPORT_REPEAT_MONTHS, received)
    return add_months(received, first + repeat * (number - 1))


def next_pcc_report(snapshot: CaseSnapshot, policies: PolicySet) -> tuple[int, date] | None:
    """The number and due date of the next report owed, or None once the investigation ended."""
    if investigation_finished(snapshot):
        return None
    number = len(history(snapshot, [DecisionKind.TWELVE_MONTH_REPORT])) + 1
    return number, report_due_date(snapshot, policies, number)


def record_pcc_report(snapshot: CaseSnapshot, act: Act, policies: PolicySet, *, on: date | None = None) -> Decision:
    """Record that the 12-month (or further 6-month) report was sent to the PCC."""
    require_open(snapshot)
    owed = next_pcc_report(snapshot, policies)
    if owed is None:
        raise RuleRefused("The investigation is finished: no report to the PCC is due.")
    number, due = owed
    payload = {"report_number": number, "due_date": iso(due)}
    return make_decision(DecisionKind.TWELVE_MONTH_REPORT, act, payload, on=on)


@dataclass(frozen=True)
class VictimUpdateDue:
    victim_ref: str
    last_update: date | None
    due_date: date
    agreed: bool = False  # due on the next contact agreed with the victim, before the policy's limit


def victim_updates_due(snapshot: CaseSnapshot, policies: PolicySet) -> list[VictimUpdateDue]:
    """The next update owed to each victim of the case."""
    updates = history(snapshot, [DecisionKind.VICTIM_UPDATE])
    result = []
    for victim in snapshot.victims:
        own = [d for d in updates if d.payload.get("victim_ref") == victim.reference]
        latest = max(own, key=lambda d: d.effective_date) if own else None
        last = latest.effective_date if latest else None
        start = last or snapshot.case.received_date
        due = start + timedelta(days=policies.int_on(PolicyName.VICTIM_UPDATE_DAYS, start))
        agreed = payload_date(latest.payload, "next_contact") if latest else None
        result.append(VictimUpdateDue(victim.reference, last, min(due, agreed or due), bool(agreed and agreed < due)))
    return result


def record_victim_update(
    snapshot: CaseSnapshot, act: Act, victim_ref: str, *, on: date | None = None,
    method: str | None = None, next_contact: date | None = None,
) -> Decision:
    """Record an update given to a victim (visit, call, letter...), with the next contact agreed."""
    require_open(snapshot)
    if victim_ref not in {v.reference for v in snapshot.victims}:
        raise RuleRefused(f"There is no victim {victim_ref} in case {snapshot.case.reference}.")
    payload = {"victim_ref": victim_ref, "method": method.strip() if method else None}
    if next_contact is not None:
        if next_contact <= (on or act.at.date()):
            raise RuleRefused("The next contact with the victim is after this update.")
        payload["next_contact"] = iso(next_contact)
    return make_decision(DecisionKind.VICTIM_UPDATE, act, payload, on=on)
