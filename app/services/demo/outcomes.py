"""Recorded outcomes for the synthetic allegations, settled person by person.

A subject whose allegation ends in gross misconduct is dismissed on the outcome date; some
subjects resign or retire while under investigation, and any outcome after they left is one a
former officer can receive (no case to answer, discontinued, would have been dismissed). Recent
allegations stay ongoing, a few of them deliberately owing due items for the work queue.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.enums import CriminalOutcome, EmploymentStatus, MisconductOutcome, RestrictionOption, WorkforceType
from app.services.demo.cases import CHARGED_PATH, CONVICTED_PLAN, Allegation, Case
from app.services.demo.people import Member

M = MisconductOutcome
E = EmploymentStatus
R = RestrictionOption
CTA_M, CTA_G = M.CASE_TO_ANSWER_MISCONDUCT, M.CASE_TO_ANSWER_GROSS_MISCONDUCT
DISMISSAL_PLANS = frozenset({"GROSS", CONVICTED_PLAN})
SERIOUS_PLANS = DISMISSAL_PLANS | {"FWW", "RIR"}
CASE_TO_ANSWER_PLANS = {"WW": CTA_M, "FWW": CTA_M, "NOT_PROVEN": CTA_M, "DISCONTINUED": CTA_M,
                        "RIR": CTA_G, "GROSS": CTA_G, CONVICTED_PLAN: CTA_G}


@dataclass(frozen=True)
class PlantedDue:
    restriction_decisions: int
    suspensions_on_charge: int
    iopc_referrals: int


def settle(rng: random.Random, cases: list[Case], today: date) -> None:
    by_subject: dict[str, list[Allegation]] = defaultdict(list)
    for case in cases:
        for a in case.allegations:
            by_subject[a.subject.staff_number].append(a)
    for allegations in by_subject.values():
        _settle_person(rng, today, allegations[0].subject, allegations)


def _settle_person(rng: random.Random, today: date, m: Member, allegations: list[Allegation]) -> None:
    concluded = sorted((a for a in allegations if a.finish <= today), key=lambda a: a.finish)
    dismissed = next((a.finish for a in concluded if a.plan in DISMISSAL_PLANS), None)
    left = _left_under_investigation(rng, today, m, allegations)
    if dismissed is not None and (left is None or dismissed <= left[1]):
        m.status, m.end_date = E.DISMISSED, dismissed
    elif left is not None:
        m.status, m.end_date = left
    gone = m.end_date if m.status.has_left else None
    for a in allegations:
        former = gone is not None and a.finish > gone
        if a.finish <= today:
            a.misconduct = _final(rng, a, former)
            a.criminal_outcome, a.outcome_date = a.criminal_plan, a.finish
        else:
            _ongoing(today, a, gone)


def _left_under_investigation(rng: random.Random, today: date, m: Member,
                              allegations: list[Allegation]) -> tuple[EmploymentStatus, date] | None:
    serious = [a for a in allegations if a.plan in SERIOUS_PLANS]
    if rng.random() >= (0.25 if serious else 0.03):
        return None
    target = rng.choice(serious or allegations)
    first, last = target.recorded + timedelta(days=14), min(target.finish, today) - timedelta(days=1)
    if last < first:
        return None
    day = first + timedelta(days=rng.randint(0, (last - first).days))
    retiring = m.age_on(day) >= 55 or (day - m.start_date).days >= 28 * 365
    return (E.RETIRED if retiring else E.RESIGNED), day


def _final(rng: random.Random, a: Allegation, former: bool) -> tuple[MisconductOutcome, ...]:
    plan, m = a.plan, a.subject
    hearing = M.ACCELERATED_MISCONDUCT_HEARING if plan == CONVICTED_PLAN else M.MISCONDUCT_HEARING
    if former:
        if plan in DISMISSAL_PLANS:
            return CTA_G, hearing, M.GROSS_MISCONDUCT, M.WOULD_HAVE_BEEN_DISMISSED
        return (M.NO_CASE_TO_ANSWER,) if rng.random() < 0.6 else (M.DISCONTINUED,)
    if plan in DISMISSAL_PLANS:
        return CTA_G, hearing, M.GROSS_MISCONDUCT, M.DISMISSAL_WITHOUT_NOTICE
    if plan == "RIR" and m.workforce_type == WorkforceType.POLICE_OFFICER and m.level >= 1:
        return CTA_G, M.MISCONDUCT_HEARING, M.GROSS_MISCONDUCT, M.REDUCTION_IN_RANK
    if plan in ("FWW", "RIR"):
        if rng.random() < 0.6:
            return CTA_M, M.MISCONDUCT_MEETING, M.MISCONDUCT, M.FINAL_WRITTEN_WARNING
        return CTA_G, M.MISCONDUCT_HEARING, M.GROSS_MISCONDUCT, M.FINAL_WRITTEN_WARNING
    if plan == "WW":
        return CTA_M, M.MISCONDUCT_MEETING, M.MISCONDUCT, M.WRITTEN_WARNING
    if plan == "NOT_PROVEN":
        return (CTA_M if rng.random() < 0.7 else CTA_G), M.MISCONDUCT_HEARING, M.NOT_PROVEN
    if plan == "DISCONTINUED":
        return CTA_M, M.DISCONTINUED
    if plan == "LEARNING":  # RPRP is for officers and specials; staff get management action
        return (M.REFLECTIVE_PRACTICE,) if m.workforce_type.statutory_conduct else (M.MANAGEMENT_ACTION,)
    return (M.NO_CASE_TO_ANSWER,)


def _ongoing(today: date, a: Allegation, gone: date | None) -> None:
    """An open allegation may already have a criminal decision, or a case to answer."""
    if a.criminal_plan is not None and a.criminal_date is not None and a.criminal_date <= today:
        a.criminal_outcome = CriminalOutcome.CHARGED if a.criminal_plan in CHARGED_PATH else a.criminal_plan
        a.outcome_date = a.criminal_date
        return
    step = CASE_TO_ANSWER_PLANS.get(a.plan)
    when = a.recorded + (a.finish - a.recorded) * 3 // 5
    if step is not None and when <= today and (gone is None or (when <= gone or step == CTA_G)):
        a.misconduct, a.outcome_date = (step,), when


def plant_due_items(rng: random.Random, cases: list[Case], today: date) -> PlantedDue:
    """Leave a handful of open allegations owing decisions, so the work queue has overdue items."""
    ongoing = [a for c in cases for a in c.allegations if a.finish > today and not a.subject.status.has_left]
    ongoing.sort(key=lambda a: a.recorded, reverse=True)  # the most recent first
    handful = max(2, len(ongoing) // 100)
    week_ago = today - timedelta(days=7)

    owing = [a for a in ongoing if a.threshold and a.threshold <= week_ago and a.criminal_outcome is None]
    restriction = set(_some(rng, owing, handful))
    for a in restriction:  # threshold met, no restriction decision yet
        a.restrictions, a.restriction_date = set(), None

    charged = [a for a in ongoing if a.criminal_outcome == CriminalOutcome.CHARGED and a not in restriction]
    if not charged:  # make one: a recent criminal allegation charged last week
        charged = [a for a in owing if a not in restriction and a.criminal][:1]
        for a in charged:
            a.criminal_outcome, a.misconduct = CriminalOutcome.CHARGED, ()
            a.outcome_date = max(a.threshold or a.recorded, today - timedelta(days=6))
    suspension = set(_some(rng, charged, max(1, len(charged) // 20)))
    for a in suspension:  # charged, restricted but not suspended
        a.restrictions = {R.RESTRICTED_DUTIES, R.NO_CONTACT_WITH_VICTIMS_OR_WITNESSES}

    serious = [a for a in ongoing if a.mandatory and a.iopc_referral and a.recorded <= week_ago
               and a not in restriction and a not in suspension]
    referral = _some(rng, serious, max(1, handful // 2))
    for a in referral:  # a mandatory referral not yet made
        a.iopc_referral, a.iopc_decision = None, None
        if a.body == "IOPC":
            a.body = "HOME"
    return PlantedDue(len(restriction), len(suspension), len(referral))


def _some(rng: random.Random, candidates: list[Allegation], k: int) -> list[Allegation]:
    """k of the most recent candidates (drawn from the newest few), newest first."""
    recent = candidates[: max(k * 3, k)]
    return sorted(rng.sample(recent, min(k, len(recent))), key=lambda a: a.recorded, reverse=True)


def mark_suspended(cases: list[Case], today: date) -> None:
    """A serving subject suspended in an open allegation is SUSPENDED in the register."""
    for case in cases:
        for a in case.allegations:
            if a.finish > today and R.SUSPENDED in a.restrictions and a.subject.status == E.SERVING:
                a.subject.status = E.SUSPENDED


CSV_HEADER = ["case_ref", "recorded_date", "reporting_route", "case_type", "subject_staff_number", "victim_ref",
              "victim_relationship", "victim_is_police_workforce", "dash_risk", "abuse_types", "aggravating_features",
              "criminal", "crime_ref", "threshold_met_date", "restrictions", "restriction_date", "iopc_referral_date",
              "iopc_decision", "investigating_body", "misconduct_outcomes", "criminal_outcome", "outcome_date"]


def csv_row(case: Case, a: Allegation) -> list[str]:
    def d(day: date | None) -> str:
        return day.isoformat() if day else ""

    def names(values: object) -> str:
        return ";".join(sorted(v.name for v in values))  # type: ignore[attr-defined]

    v = a.victim
    return [
        case.ref, d(a.recorded), case.route.name, case.case_type.name, a.subject.staff_number, v.ref,
        v.relationship.name, v.workforce.name, v.dash.name if v.dash else "", names(a.abuse), names(a.features),
        "Y" if a.criminal else "N", a.crime_ref or "", d(a.threshold), names(a.restrictions), d(a.restriction_date),
        d(a.iopc_referral), a.iopc_decision.name if a.iopc_decision else "", a.body or "",
        ";".join(o.name for o in a.misconduct), a.criminal_outcome.name if a.criminal_outcome else "",
        d(a.outcome_date),
    ]
