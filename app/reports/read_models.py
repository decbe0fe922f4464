"""Read models: the plain rows the service layer builds from the database for the reports.

They are the contract between the services (which query) and the writers in this package (which
count and lay out). Every figure in the survey return, the outcome breakdowns, the annual report and
the national aggregation is computed from these rows and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.domain.enums import (
    AbuseType,
    AgeBand,
    CriminalOutcome,
    EmploymentStatus,
    Ethnicity,
    GuidanceCoverage,
    IopcDecision,
    MisconductOutcome,
    RestrictionOption,
    Sex,
    WorkforceType,
)

HOME = "HOME"
"""`investigating_body` value for the home force (FORMATS.md, `import cases`)."""
IOPC = "IOPC"
"""`investigating_body` value for the Independent Office for Police Conduct."""


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period, both ends inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"period start {self.start} is after its end {self.end}")

    @classmethod
    def survey_year(cls, year: int) -> Period:
        """The 12 months ending 31 March of `year` (FORMATS.md: `--year Y`)."""
        return cls(date(year - 1, 4, 1), date(year, 3, 31))

    @property
    def is_survey_year(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (4, 1, 3, 31) and (
            self.end.year == self.start.year + 1
        )

    def previous_year(self) -> Period:
        """The same dates one year earlier (for a survey year: the previous survey year)."""
        if self.is_survey_year:
            return Period.survey_year(self.end.year - 1)
        return Period(_year_earlier(self.start), _year_earlier(self.end))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def label(self) -> str:
        """`2023/24` for a survey year, otherwise `1 April 2023 to 31 March 2024`."""
        if self.is_survey_year:
            return f"{self.start.year}/{self.end.year % 100:02d}"
        return self.long_label

    @property
    def long_label(self) -> str:
        return f"{long_date(self.start)} to {long_date(self.end)}"


def long_date(day: date) -> str:
    """`1 April 2024` (no leading zero, English month name, locale-independent)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True, slots=True)
class AllegationFact:
    """One allegation with everything any report counts about it, as known at export time.

    Built by the service layer from the case, its allegation, the subject and the current
    (non-superseded) decisions. Rules for the fields:

    - `recorded_date`: the date the PSD recorded the allegation; the survey counts by it.
      `received_date`: the date the case came to the force's attention (time to outcome counts
      from it).
    - Subject fields (`workforce_type`, `rank_or_grade`, `sex`, `ethnicity`) are the person's
      current values; `age_band` is the subject's age at `recorded_date`.
    - `investigation_mode`: the IOPC's decision, None when not referred or not yet decided.
      `investigating_body`: `HOME`, `IOPC` or another force's code; None when not yet decided.
      The service must normalise the home force's own code to `HOME`.
    - `misconduct_outcomes`: every misconduct-track value recorded for the allegation
      (determination, proceedings, finding, action); empty when none is recorded yet.
      `outcome_date`: the date of the latest outcome recorded (either track), None if none.
    - `restrictions_imposed`: every restriction option imposed in connection with the
      allegation at any time (including `NO_RESTRICTION` when that was the decision).
    - `restriction_decision_due`: when the first restriction decision fell due (threshold met
      + policy deadline); `restriction_decision_date`: when it was made (None if not yet).
      `restriction_reviews_due`: reviews that have fallen due so far; `..._on_time`: how many
      of them were recorded by their review date.
    - `iopc_mandatory`: a mandatory referral ground applies; `iopc_referred`: a referral was
      sent (mandatory or voluntary); `iopc_referral_on_time`: for a mandatory referral, whether
      it was sent by its deadline (None when not mandatory or not sent).
    - The two `*_exception` flags record approved overrides (no suspension on charge; home
      force investigating against the external-investigation guidance).
    """

    case_ref: str
    allegation_id: int
    subject_id: int
    subject_staff_number: str
    received_date: date
    recorded_date: date
    workforce_type: WorkforceType
    age_band: AgeBand = AgeBand.UNKNOWN
    rank_or_grade: str | None = None
    sex: Sex | None = None
    ethnicity: Ethnicity | None = None
    abuse_types: frozenset[AbuseType] = frozenset()
    criminal: bool = False
    investigation_mode: IopcDecision | None = None
    investigating_body: str | None = None
    misconduct_outcomes: frozenset[MisconductOutcome] = frozenset()
    criminal_outcome: CriminalOutcome | None = None
    outcome_date: date | None = None
    restrictions_imposed: frozenset[RestrictionOption] = frozenset()
    subject_employment_status: EmploymentStatus = EmploymentStatus.SERVING
    subject_end_date: date | None = None
    threshold_met_date: date | None = None
    restriction_decision_due: date | None = None
    restriction_decision_date: date | None = None
    restriction_reviews_due: int = 0
    restriction_reviews_on_time: int = 0
    iopc_mandatory: bool = False
    iopc_referred: bool = False
    iopc_referral_on_time: bool | None = None
    suspension_on_charge_exception: bool = False
    external_investigation_exception: bool = False

    @property
    def external(self) -> bool:
        """Investigated by a body other than the home force (another force or the IOPC)."""
        return self.investigating_body is not None and self.investigating_body != HOME


@dataclass(frozen=True, slots=True)
class ReturnContext:
    """What a report needs besides the allegations: who, for which force and period, and when.

    `headcount` is the workforce headcount recorded for the period (None when not recorded);
    the two guidance coverages are the force policies in force on the period's last day (None
    when no policy is recorded). `previous_headcount` is only used by the annual report's
    comparison with the previous year.
    """

    force_code: str
    force_name: str
    period: Period
    exported_by: str
    exported_at: datetime
    systems_used: str = ""
    headcount: int | None = None
    role_restriction_guidance: GuidanceCoverage | None = None
    external_investigation_guidance: GuidanceCoverage | None = None
    previous_headcount: int | None = None

    def __post_init__(self) -> None:
        for name in ("headcount", "previous_headcount"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be a positive number, not {value}")

    @property
    def as_of(self) -> date:
        """The day the facts describe: items due after it are not yet overdue."""
        return self.exported_at.date()
