"""Synthetic PPDA cases over about five years: who, which victim, what abuse, and the decisions
taken early in a case (threshold, restriction, IOPC referral, investigating body).

Each allegation also gets a *plan* — how its misconduct and criminal tracks would end and when.
`outcomes.py` turns the plans into recorded outcomes once it knows, person by person, who has
left the force and when, so that no outcome contradicts an employment record.
"""

from __future__ import annotations

import bisect
import random
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.domain import records
from app.domain.enums import (
    AbuseType,
    AggravatingFeature,
    CaseType,
    CriminalOutcome,
    DashRisk,
    EmploymentStatus,
    IopcDecision,
    MisconductOutcome,
    ReportingRoute,
    RestrictionOption,
    RoleFlag,
    VictimRelationship,
    VictimWorkforce,
    WorkforceType,
)
from app.domain.workflow.iopc import own_grounds
from app.services.demo.people import CHIEF_OFFICERS, PSD_UNIT, Member, weighted

A, F, R = AbuseType, AggravatingFeature, RestrictionOption
C = CriminalOutcome
YEARS_BACK = 5
SERIAL_WINDOW = timedelta(days=3 * 365)

ABUSE_RATES = ((A.EMOTIONAL_PSYCHOLOGICAL, 0.45), (A.PHYSICAL, 0.40), (A.COERCIVE_CONTROL, 0.36),
               (A.STALKING_HARASSMENT, 0.20), (A.THREATS, 0.18), (A.TECHNOLOGY_FACILITATED, 0.12),
               (A.ECONOMIC, 0.09), (A.SEXUAL, 0.07), (A.NON_FATAL_STRANGULATION, 0.05))
GRAVITY = {A.NON_FATAL_STRANGULATION: 3, A.SEXUAL: 2, A.PHYSICAL: 1, A.STALKING_HARASSMENT: 1,
           A.THREATS: 1, A.COERCIVE_CONTROL: 1}
ROUTES = ((ReportingRoute.VICTIM_DIRECT, 30), (ReportingRoute.CRIME_REPORT, 28), (ReportingRoute.THIRD_PARTY, 12),
          (ReportingRoute.COLLEAGUE, 12), (ReportingRoute.MARAC, 5), (ReportingRoute.OTHER_FORCE_NOTICE, 4),
          (ReportingRoute.ANONYMOUS, 4), (ReportingRoute.OTHER, 3), (ReportingRoute.PND_MATCH, 2))
RELATIONSHIPS = ((VictimRelationship.CURRENT_PARTNER, 42), (VictimRelationship.FORMER_PARTNER, 42),
                 (VictimRelationship.FAMILY_MEMBER, 12), (VictimRelationship.OTHER_HOUSEHOLD, 4))
VICTIM_WORKFORCE = ((VictimWorkforce.NO, 78), (VictimWorkforce.SAME_FORCE, 16), (VictimWorkforce.OTHER_FORCE, 6))
SUBJECT_TYPES = ((WorkforceType.POLICE_OFFICER, 72), (WorkforceType.POLICE_STAFF, 16), (WorkforceType.PCSO, 5),
                 (WorkforceType.SPECIAL_CONSTABLE, 5), (WorkforceType.DESIGNATED_VOLUNTEER, 1),
                 (WorkforceType.OTHER_VOLUNTEER, 1))
IOPC_DECISIONS = ((IopcDecision.LOCAL_INVESTIGATION, 50), (IopcDecision.NOT_NECESSARY_TO_INVESTIGATE, 25),
                  (IopcDecision.DIRECTED_INVESTIGATION, 15), (IopcDecision.INDEPENDENT_INVESTIGATION, 10))
CRIMINAL_PLANS = ((C.NO_FURTHER_ACTION, 68), (C.OUT_OF_COURT_RESOLUTION, 6), (C.CONVICTED, 6),
                  (C.ACQUITTED, 8), (C.DISCONTINUED, 6))
CHARGED_PATH = frozenset({C.CONVICTED, C.ACQUITTED, C.DISCONTINUED})

# Misconduct plans: weight when the threshold is met, and (min, max) days from recording to the outcome.
PLANS = {"NCTA": (50, (45, 365)), "LEARNING": (20, (60, 400)), "WW": (8.5, (150, 540)),
         "FWW": (6.5, (180, 600)), "NOT_PROVEN": (5, (200, 660)), "DISCONTINUED": (3, (90, 500)),
         "RIR": (1, (240, 720)), "GROSS": (1.8, (240, 780))}
PLAN_WEIGHTS = tuple((name, weight) for name, (weight, _) in PLANS.items())
CONVICTED_PLAN = "CONVICTED"
EXTRA_SUBJECTS = ((0, 82), (1, 14), (2, 4))


@dataclass(eq=False)
class Victim:
    ref: str
    relationship: VictimRelationship
    workforce: VictimWorkforce
    dash: DashRisk | None


@dataclass(eq=False)
class Allegation:
    case_ref: str
    recorded: date
    subject: Member
    victim: Victim
    abuse: set[AbuseType]
    features: set[AggravatingFeature]
    crime_ref: str | None = None
    criminal: bool = False
    threshold: date | None = None
    restrictions: set[RestrictionOption] = field(default_factory=set)
    restriction_date: date | None = None
    iopc_referral: date | None = None
    iopc_decision: IopcDecision | None = None
    body: str | None = None
    plan: str = "NCTA"
    criminal_plan: CriminalOutcome | None = None
    criminal_date: date | None = None  # charge date on the charged path, else the decision date
    finish: date = date.max  # when the misconduct track ends (after today: still ongoing)
    misconduct: tuple[MisconductOutcome, ...] = ()
    criminal_outcome: CriminalOutcome | None = None
    outcome_date: date | None = None

    @property
    def gravity(self) -> int:
        return sum(GRAVITY.get(a, 0) for a in self.abuse) + 3 * (F.WEAPON in self.features)

    mandatory: bool = False  # an IOPC referral is mandatory (the workflow rules' grounds)

    def own_grounds(self) -> bool:
        """Whether the allegation's own features give a mandatory referral ground (the domain rule)."""
        record = records.Allegation(None, 0, (self.victim.ref,), frozenset(self.abuse), frozenset(self.features),
                                    criminal=self.criminal)
        return bool(own_grounds(record))


@dataclass(eq=False)
class Case:
    ref: str
    number: int
    recorded: date
    route: ReportingRoute
    case_type: CaseType
    allegations: list[Allegation]


class CaseBuilder:
    """Draws cases in date order, so repeat and serial subjects follow a plausible timeline."""

    def __init__(self, rng: random.Random, members: list[Member], today: date, other_forces: list[str]) -> None:
        self.rng, self.today, self.other_forces = rng, today, other_forces
        self.pools: dict[tuple[WorkforceType, bool], list[Member]] = defaultdict(list)
        self.by_unit: dict[str, list[Member]] = defaultdict(list)
        for m in members:
            if m.status == EmploymentStatus.SERVING and m.unit not in (PSD_UNIT, CHIEF_OFFICERS):
                self.pools[(m.workforce_type, m.sex.name == "M")].append(m)
                self.by_unit[m.unit].append(m)
        self._primaries: list[tuple[date, Member]] = []
        self._used: set[str] = set()
        self._crime_serial = 0

    def build(self, count: int) -> list[Case]:
        start = self.today - timedelta(days=int(YEARS_BACK * 365.25))
        span = (self.today - start).days
        # Reporting has grown: later dates are a little more likely.
        days = sorted(start + timedelta(days=round(span * self.rng.random() ** 0.8)) for _ in range(count))
        return [self._case(n, d) for n, d in enumerate(days, start=1)]

    # ---- one case ----------------------------------------------------------------------------

    def _case(self, number: int, recorded: date) -> Case:
        rng = self.rng
        ref = f"PSD-{recorded.year}-{number:06d}"
        route = weighted(rng, ROUTES)
        primary = self._primary_subject(recorded)
        victim = self._victim(f"V-{number:06d}-1")
        allegations = [self._allegation(ref, recorded, primary, victim, self._abuse(), self._features(victim))]
        extra = weighted(rng, EXTRA_SUBJECTS)
        for i in range(extra):
            colleague = self._colleague(primary, recorded, {a.subject.staff_number for a in allegations})
            if colleague is None:
                break
            later = min(self.today, recorded + timedelta(days=rng.choice((0, 0, 0, 3, 10, 30))))
            if rng.random() < 0.25:  # a second, separate abuser in the same report
                own = self._victim(f"V-{number:06d}-{i + 2}")
                allegations.append(self._allegation(ref, later, colleague, own, self._abuse(), self._features(own)))
            else:  # a colleague who colluded or misused police systems for the abuser
                features = {F.COLLEAGUE_COLLUSION} | self._victim_feature(victim)
                if rng.random() < 0.5:
                    features.add(F.MISUSE_OF_POLICE_SYSTEMS)
                abuse = {rng.choice((A.EMOTIONAL_PSYCHOLOGICAL, A.THREATS, A.STALKING_HARASSMENT))}
                allegations.append(self._allegation(ref, later, colleague, victim, abuse, features, secondary=True))
        self._refer(allegations)
        return Case(ref, number, recorded, route, self._case_type(route, allegations), allegations)

    def _refer(self, allegations: list[Allegation]) -> None:
        """Referrals to the IOPC: every allegation with mandatory grounds, or about the same victim as
        one (the same incident), and a few voluntary ones; then who investigates."""
        rng = self.rng
        grounded = {a.victim.ref for a in allegations if a.own_grounds()}
        for a in allegations:
            a.mandatory = a.victim.ref in grounded
            if a.mandatory or (a.threshold is not None and rng.random() < 0.04):
                a.iopc_referral = self._soon(a.recorded, (0, 0, 1, 1))
                if (self.today - a.iopc_referral).days > 14:
                    a.iopc_decision = weighted(rng, IOPC_DECISIONS)
            if a.threshold is not None:
                a.body = self._investigating_body(a)

    def _case_type(self, route: ReportingRoute, allegations: list[Allegation]) -> CaseType:
        rng = self.rng
        if route in (ReportingRoute.VICTIM_DIRECT, ReportingRoute.THIRD_PARTY) and rng.random() < 0.75:
            return CaseType.COMPLAINT
        if any(a.iopc_referral for a in allegations) and rng.random() < 0.5:
            return CaseType.RECORDABLE_CONDUCT_MATTER
        return CaseType.CONDUCT_MATTER

    def _primary_subject(self, day: date) -> Member:
        rng = self.rng
        first = bisect.bisect_left(self._primaries, day - SERIAL_WINDOW, key=lambda p: p[0])
        if first < len(self._primaries) and rng.random() < 0.04:  # a repeat (serial) subject
            subject = self._primaries[rng.randrange(first, len(self._primaries))][1]
        else:
            subject = self._pick(day)
        self._primaries.append((day, subject))
        return subject

    def _pick(self, day: date, exclude: Collection[str] = ()) -> Member:
        rng = self.rng
        for _ in range(50):
            wtype = weighted(rng, SUBJECT_TYPES)
            male = rng.random() < (0.85 if wtype != WorkforceType.POLICE_STAFF else 0.7)
            pool = self.pools.get((wtype, male)) or self.pools.get((wtype, not male))
            if pool:
                m = rng.choice(pool)
                # Most subjects appear once; repeats come mainly from the serial subjects above.
                if m.start_date <= day and m.staff_number not in exclude and (
                        m.staff_number not in self._used or rng.random() < 0.2):
                    self._used.add(m.staff_number)
                    return m
        everyone = [m for pool in self.pools.values() for m in pool if m.staff_number not in exclude]
        return min(everyone, key=lambda m: m.start_date)

    def _colleague(self, primary: Member, day: date, exclude: set[str]) -> Member | None:
        rng = self.rng
        unit = self.by_unit.get(primary.unit, [])
        for _ in range(10):
            if unit:
                m = rng.choice(unit)
                if m.start_date <= day and m.staff_number not in exclude:
                    return m
        m = self._pick(day, exclude)
        return None if m.staff_number in exclude else m

    def _victim(self, ref: str) -> Victim:
        rng = self.rng
        return Victim(ref, weighted(rng, RELATIONSHIPS), weighted(rng, VICTIM_WORKFORCE), None)

    def _abuse(self) -> set[AbuseType]:
        rng = self.rng
        abuse = {a for a, rate in ABUSE_RATES if rng.random() < rate}
        return abuse or {rng.choice((A.EMOTIONAL_PSYCHOLOGICAL, A.COERCIVE_CONTROL))}

    def _victim_feature(self, victim: Victim) -> set[AggravatingFeature]:
        return {F.VICTIM_IS_POLICE_EMPLOYEE} if victim.workforce != VictimWorkforce.NO else set()

    def _features(self, victim: Victim) -> set[AggravatingFeature]:
        rng = self.rng
        features = self._victim_feature(victim)
        partner = victim.relationship in (VictimRelationship.CURRENT_PARTNER, VictimRelationship.FORMER_PARTNER)
        for feature, rate in ((F.CHILDREN_PRESENT, 0.25 if partner else 0.12), (F.MISUSE_OF_POLICE_SYSTEMS, 0.08),
                              (F.USE_OF_POLICE_POWERS_OR_STATUS, 0.09), (F.WEAPON, 0.03)):
            if rng.random() < rate:
                features.add(feature)
        return features

    # ---- one allegation ----------------------------------------------------------------------

    def _allegation(self, case_ref: str, recorded: date, subject: Member, victim: Victim, abuse: set[AbuseType],
                    features: set[AggravatingFeature], *, secondary: bool = False) -> Allegation:
        a = Allegation(case_ref, recorded, subject, victim, abuse, features)
        self._dash(a)
        self._criminal(a, secondary)
        self._plan(a, secondary)
        self._early_decisions(a, secondary)
        return a

    def _dash(self, a: Allegation) -> None:
        rng = self.rng
        if a.victim.dash is not None or rng.random() < 0.05:
            return  # the victim was already assessed in this case, or no DASH was recorded
        high = min(0.8, 0.07 + 0.09 * a.gravity)
        roll = rng.random()
        a.victim.dash = DashRisk.HIGH if roll < high else DashRisk.MEDIUM if roll < high + 0.45 else DashRisk.STANDARD

    def _criminal(self, a: Allegation, secondary: bool) -> None:
        rng = self.rng
        if a.abuse & {A.PHYSICAL, A.SEXUAL, A.NON_FATAL_STRANGULATION} or F.WEAPON in a.features:
            rate = 0.85
        elif a.abuse & {A.STALKING_HARASSMENT, A.THREATS, A.COERCIVE_CONTROL}:
            rate = 0.55
        else:
            rate = 0.15
        if rng.random() >= (0.2 if secondary else rate):
            return
        a.criminal = True
        self._crime_serial += 1
        if rng.random() < 0.92:
            a.crime_ref = f"CR-{a.recorded.year}-{self._crime_serial:06d}"
        a.criminal_plan = weighted(rng, CRIMINAL_PLANS)
        if a.criminal_plan in CHARGED_PATH:
            a.criminal_date = a.recorded + timedelta(days=rng.randint(7, 120))
        else:
            a.criminal_date = a.recorded + timedelta(days=rng.randint(14, 150))

    def _plan(self, a: Allegation, secondary: bool) -> None:
        rng = self.rng
        met = a.criminal_plan in CHARGED_PATH or rng.random() < (0.8 if secondary else 0.88)
        if met:
            a.threshold = self._soon(a.recorded, (0, 0, 1, 1, 2, 3))
        if a.criminal_plan == C.CONVICTED:
            a.plan = CONVICTED_PLAN
            assert a.criminal_date is not None
            a.finish = a.criminal_date + timedelta(days=rng.randint(90, 420))
            return
        if met:
            a.plan = weighted(rng, PLAN_WEIGHTS)
        else:
            a.plan = "NCTA" if rng.random() < 0.8 else "LEARNING"
        low, high = PLANS[a.plan][1] if met else (20, 150)
        a.finish = a.recorded + timedelta(days=rng.randint(low, high))
        if a.criminal_date is not None:  # misconduct proceedings usually wait for the criminal decision
            a.finish = max(a.finish, a.criminal_date + timedelta(days=rng.randint(10, 90)))

    def _soon(self, day: date, choices: tuple[int, ...]) -> date:
        return min(self.today, day + timedelta(days=self.rng.choice(choices)))

    def _early_decisions(self, a: Allegation, secondary: bool) -> None:
        if a.threshold is None:
            return
        a.restrictions = self._restrictions(a, secondary)
        a.restriction_date = self._soon(a.threshold, (0, 0, 1, 1, 2))

    def _restrictions(self, a: Allegation, secondary: bool) -> set[RestrictionOption]:
        rng = self.rng
        flags = a.subject.flags
        if a.criminal_plan in CHARGED_PATH:  # suspended on (or before) charge
            return {R.SUSPENDED}
        high = a.victim.dash == DashRisk.HIGH
        if not secondary and rng.random() < 0.03 + 0.12 * high + 0.12 * bool(a.abuse
                                                                             & {A.SEXUAL, A.NON_FATAL_STRANGULATION}):
            return {R.SUSPENDED}
        if rng.random() < (0.15 if high or a.criminal else 0.35):
            return {R.NO_RESTRICTION}
        chosen = {r for r, rate in ((R.RESTRICTED_DUTIES, 0.6), (R.NO_CONTACT_WITH_VICTIMS_OR_WITNESSES, 0.55),
                                    (R.REDEPLOYED_LOCATION, 0.15)) if rng.random() < rate}
        if rng.random() < (0.7 if F.MISUSE_OF_POLICE_SYSTEMS in a.features else 0.25):
            chosen.add(R.SYSTEMS_ACCESS_RESTRICTED)
        if RoleFlag.DA_SAFEGUARDING in flags and rng.random() < 0.9:
            chosen.add(R.REMOVED_FROM_DA_OR_SAFEGUARDING_ROLE)
        if RoleFlag.FIREARMS_TASER in flags and rng.random() < 0.9:
            chosen.add(R.FIREARMS_TASER_AUTHORITY_WITHDRAWN)
        return chosen or {R.RESTRICTED_DUTIES}

    def _investigating_body(self, a: Allegation) -> str:
        rng = self.rng
        if a.iopc_decision == IopcDecision.INDEPENDENT_INVESTIGATION:
            return "IOPC"
        reasons = (a.subject.level >= 4 or RoleFlag.DA_SAFEGUARDING in a.subject.flags
                   or a.victim.workforce != VictimWorkforce.NO or a.victim.dash == DashRisk.HIGH)
        if self.other_forces and rng.random() < (0.22 if reasons else 0.04):
            return rng.choice(self.other_forces)
        return "HOME"
