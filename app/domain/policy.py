"""Force policies as dated data (DOMAIN.md: "policy" means a value with an `effective_from` date).

Every policy has shipped defaults (some of which change on a date, e.g. the 2026 amendment
regulations) and may be set by the administrator with `policy set NAME VALUE --from DATE`.
The value in force on a date is the one with the latest `effective_from` on or before that date;
a force's own value on the same date as a shipped default wins over it.

Policies are bitemporal: each value the force sets also carries when it was recorded
(`recorded_at`, naive UTC), by whom and, for a correction, why. A value whose `effective_from` is
before the local date it was recorded on is a **correction**: it changes what applied on days that
have passed. Nothing is overwritten: a later record for the same `effective_from` supersedes the
earlier one from its `recorded_at` on, and `PolicySet.as_recorded(moment)` gives back the policies
exactly as they were recorded at any earlier moment. The rules always use the latest knowledge
(a correction applies, also to due dates already past); `workflow.due` marks the due items whose
date a correction changed, with when, by whom and why.

Values are typed: int, bool, float, `GuidanceCoverage`, `frozenset[ExternalCriterion]` or a rank
string. `PolicyValue.text` and `parse_policy_value` give a lossless text form for storage.
Defaults marked "illustrative" are starting values that a force is expected to confirm or set.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from app.domain.calendar import local_date
from app.domain.enums import GuidanceCoverage
from app.domain.errors import InvalidInput
from app.domain.ranks import rank_level

ALWAYS = date(1900, 1, 1)
_EARLIEST = datetime(1900, 1, 1)
AMENDMENT_2026 = date(2026, 7, 13)  # Police (Conduct and Vetting etc.) (Amendment) Regs 2026
AMENDMENT_2025 = date(2025, 5, 28)  # SI 2025/558

PolicyScalar = int | bool | float | str | GuidanceCoverage | frozenset["ExternalCriterion"]


class ExternalCriterion(StrEnum):
    """When EXTERNAL_INVESTIGATION_GUIDANCE is SOME, the case features that bring it into play."""

    SUBJECT_AT_OR_ABOVE_RANK = "SUBJECT_AT_OR_ABOVE_RANK"  # see EXTERNAL_INVESTIGATION_MIN_RANK
    SUBJECT_IN_PSD_OR_DA_ROLE = "SUBJECT_IN_PSD_OR_DA_ROLE"
    VICTIM_IS_POLICE_WORKFORCE = "VICTIM_IS_POLICE_WORKFORCE"
    HIGH_RISK_DASH = "HIGH_RISK_DASH"
    CRIMINAL_ALLEGATION = "CRIMINAL_ALLEGATION"


class PolicyName(StrEnum):
    RESTRICTION_DECISION_DEADLINE_WORKING_DAYS = "RESTRICTION_DECISION_DEADLINE_WORKING_DAYS"
    RESTRICTION_REVIEW_DAYS = "RESTRICTION_REVIEW_DAYS"
    SUSPENSION_REVIEW_WEEKS = "SUSPENSION_REVIEW_WEEKS"
    SUSPEND_ON_CHARGE = "SUSPEND_ON_CHARGE"
    SUSPEND_ON_ARREST = "SUSPEND_ON_ARREST"
    SUSPENSION_ON_CHARGE_DEADLINE_WORKING_DAYS = "SUSPENSION_ON_CHARGE_DEADLINE_WORKING_DAYS"
    IOPC_REFERRAL_DEADLINE_WORKING_DAYS = "IOPC_REFERRAL_DEADLINE_WORKING_DAYS"
    VICTIM_UPDATE_DAYS = "VICTIM_UPDATE_DAYS"
    ROLE_RESTRICTION_GUIDANCE = "ROLE_RESTRICTION_GUIDANCE"
    EXTERNAL_INVESTIGATION_GUIDANCE = "EXTERNAL_INVESTIGATION_GUIDANCE"
    EXTERNAL_INVESTIGATION_CRITERIA = "EXTERNAL_INVESTIGATION_CRITERIA"
    EXTERNAL_INVESTIGATION_MIN_RANK = "EXTERNAL_INVESTIGATION_MIN_RANK"
    TWELVE_MONTH_REPORT_MONTHS = "TWELVE_MONTH_REPORT_MONTHS"
    TWELVE_MONTH_REPORT_REPEAT_MONTHS = "TWELVE_MONTH_REPORT_REPEAT_MONTHS"
    INDICTABLE_ONLY_CONVICTION_IS_GROSS_MISCONDUCT = "INDICTABLE_ONLY_CONVICTION_IS_GROSS_MISCONDUCT"
    ACCELERATED_HEARING_DUE_WORKING_DAYS = "ACCELERATED_HEARING_DUE_WORKING_DAYS"
    MANAGEMENT_ACTION_ALLOWED = "MANAGEMENT_ACTION_ALLOWED"
    LIST_NOTIFICATION_DAYS = "LIST_NOTIFICATION_DAYS"
    VETTING_REVIEW_DAYS = "VETTING_REVIEW_DAYS"
    NOTICE_TRIAGE_WORKING_DAYS = "NOTICE_TRIAGE_WORKING_DAYS"
    RETENTION_YEARS = "RETENTION_YEARS"
    IDLE_LOCK_MINUTES = "IDLE_LOCK_MINUTES"
    MATCH_AUTO_THRESHOLD = "MATCH_AUTO_THRESHOLD"
    MATCH_REVIEW_THRESHOLD = "MATCH_REVIEW_THRESHOLD"
    SERIAL_WINDOW_YEARS = "SERIAL_WINDOW_YEARS"
    RFGV_WEIGHT_RECENCY = "RFGV_WEIGHT_RECENCY"
    RFGV_WEIGHT_FREQUENCY = "RFGV_WEIGHT_FREQUENCY"
    RFGV_WEIGHT_GRAVITY = "RFGV_WEIGHT_GRAVITY"
    RFGV_WEIGHT_VICTIMS = "RFGV_WEIGHT_VICTIMS"
    DOCUMENT_MAX_MEGABYTES = "DOCUMENT_MAX_MEGABYTES"
    DOCUMENT_TYPES = "DOCUMENT_TYPES"

    @property
    def cli_name(self) -> str:
        """The name used on the command line, e.g. `role-restriction-guidance`."""
        return self.value.lower().replace("_", "-")

    @classmethod
    def parse(cls, text: str) -> PolicyName:
        key = text.strip().upper().replace("-", "_")
        try:
            return cls[key]
        except KeyError:
            known = ", ".join(sorted(n.cli_name for n in cls))
            raise InvalidInput(f"Unknown policy '{text.strip()}'. Known policies: {known}.") from None


@dataclass(frozen=True)
class PolicyValue:
    name: PolicyName
    value: PolicyScalar | None  # None: the policy is not in force from this date
    effective_from: date
    recorded_at: datetime | None = None  # naive UTC; None for a shipped default
    recorded_by: str | None = None
    reason: str | None = None  # why a correction was made

    @property
    def text(self) -> str:
        """Canonical text for storage and display; `parse_policy_value` reads it back."""
        return format_policy_value(self.value)

    @property
    def correction(self) -> bool:
        """Recorded after its effective date had passed: it changed what applied on past days."""
        return self.recorded_at is not None and self.effective_from < local_date(self.recorded_at)


@dataclass(frozen=True)
class PolicySpec:
    """How one policy's values are written, checked and defaulted."""

    kind: str  # "int" | "bool" | "float" | "coverage" | "criteria" | "rank"
    description: str
    defaults: tuple[tuple[date, PolicyScalar | None], ...]
    minimum: float = 0
    maximum: float = 10_000

    def parse(self, name: PolicyName, text: str) -> PolicyScalar:
        try:
            return _PARSERS[self.kind](self, text.strip())
        except _Wanted as wanted:
            raise InvalidInput(
                f"Policy {name.cli_name} ({self.description}) needs {wanted}; "
                f"'{text.strip()}' is not one."
            ) from None


def parse_policy_value(name: PolicyName, text: str) -> PolicyScalar:
    """Parse and validate `text` as a value of `name`; InvalidInput says what is accepted."""
    return SPECS[name].parse(name, text)


def parse_policy_input(name_text: str, value_text: str, effective_from: date) -> PolicyValue:
    """`policy set NAME VALUE --from DATE`: NAME in CLI form (`external-investigation-guidance`)."""
    name = PolicyName.parse(name_text)
    return PolicyValue(name, parse_policy_value(name, value_text), effective_from)


def describe_policy(name: PolicyName) -> str:
    return SPECS[name].description


class PolicySet:
    """The policies of one force: shipped defaults overlaid with the force's dated values.

    `values` are every record the force made (superseded ones included); on the same
    effective_from the latest recorded wins, and a force's record wins over a shipped default.
    """

    def __init__(self, values: Iterable[PolicyValue] = (), *, with_defaults: bool = True) -> None:
        self._own = tuple(values)
        self._with_defaults = with_defaults
        shipped = default_values() if with_defaults else []
        ranked = [((v.effective_from, 0, _EARLIEST, i), v) for i, v in enumerate(shipped)]
        ranked += [((v.effective_from, 1, v.recorded_at or _EARLIEST, i), v) for i, v in enumerate(self._own)]
        self._history: dict[PolicyName, list[PolicyValue]] = {n: [] for n in PolicyName}
        for _, value in sorted(ranked, key=lambda r: r[0]):
            line = self._history[value.name]
            if line and line[-1].effective_from == value.effective_from:
                line[-1] = value  # superseded by the later record for the same date
            else:
                line.append(value)

    def with_value(self, value: PolicyValue) -> PolicySet:
        """A new set with one more record (to preview a `policy set`)."""
        return PolicySet((*self._own, value), with_defaults=self._with_defaults)

    def as_recorded(self, moment: datetime) -> PolicySet:
        """The policies as they were recorded at `moment` (naive UTC): later records left out."""
        kept = [v for v in self._own if v.recorded_at is None or v.recorded_at <= moment]
        return PolicySet(kept, with_defaults=self._with_defaults)

    def recorded_before(self, moment: datetime) -> PolicySet:
        """The policies as recorded just before `moment` (records made at `moment` left out)."""
        kept = [v for v in self._own if v.recorded_at is None or v.recorded_at < moment]
        return PolicySet(kept, with_defaults=self._with_defaults)

    def history(self, name: PolicyName) -> list[PolicyValue]:
        """What applies from each date, as now recorded (superseded records left out)."""
        return list(self._history[name])

    def records(self, name: PolicyName) -> list[PolicyValue]:
        """Every record the force made for `name`, superseded ones included, in recorded order."""
        own = [v for v in self._own if v.name == name]
        return sorted(own, key=lambda v: v.recorded_at or _EARLIEST)

    def superseded(self, value: PolicyValue) -> bool:
        """Whether a later record for the same policy and date replaced `value`."""
        return value not in self._history[value.name]

    def corrections(self) -> list[PolicyValue]:
        """The force's corrections (back-dated records), oldest first."""
        return sorted((v for v in self._own if v.correction), key=lambda v: v.recorded_at or _EARLIEST)

    def value_on(self, name: PolicyName, on: date) -> PolicyScalar | None:
        """The value in force on `on` (latest effective_from <= on), or None if none is."""
        current: PolicyScalar | None = None
        for value in self._history[name]:
            if value.effective_from > on:
                break
            current = value.value
        return current

    def _required(self, name: PolicyName, on: date) -> PolicyScalar:
        value = self.value_on(name, on)
        if value is None:
            raise InvalidInput(f"Policy {name.cli_name} has no value in force on {on.isoformat()}.")
        return value

    def int_on(self, name: PolicyName, on: date) -> int:
        value = self._required(name, on)
        assert isinstance(value, int) and not isinstance(value, bool), name
        return value

    def optional_int_on(self, name: PolicyName, on: date) -> int | None:
        return None if self.value_on(name, on) is None else self.int_on(name, on)

    def bool_on(self, name: PolicyName, on: date) -> bool:
        value = self.value_on(name, on)
        return bool(value) if value is not None else False

    def float_on(self, name: PolicyName, on: date) -> float:
        value = self._required(name, on)
        assert isinstance(value, (int, float)) and not isinstance(value, bool), name
        return float(value)

    def coverage_on(self, name: PolicyName, on: date) -> GuidanceCoverage:
        value = self.value_on(name, on)
        return value if isinstance(value, GuidanceCoverage) else GuidanceCoverage.NONE

    def criteria_on(self, on: date) -> frozenset[ExternalCriterion]:
        value = self.value_on(PolicyName.EXTERNAL_INVESTIGATION_CRITERIA, on)
        return value if isinstance(value, frozenset) else frozenset()

    def text_on(self, name: PolicyName, on: date) -> str | None:
        value = self.value_on(name, on)
        return None if value is None else str(value)


def default_values() -> list[PolicyValue]:
    """The shipped defaults, each with the date it takes effect."""
    return [PolicyValue(n, v, d) for n, spec in SPECS.items() for d, v in spec.defaults]


def spec_of(name: PolicyName) -> PolicySpec:
    return SPECS[name]


# --- value parsing ------------------------------------------------------------------------

_TRUE = {"ON", "YES", "Y", "TRUE", "1"}
_FALSE = {"OFF", "NO", "N", "FALSE", "0"}


class _Wanted(Exception):
    """Raised by a parser with the description of what it accepts."""


def _refuse(spec: PolicySpec, text: str, wanted: str) -> _Wanted:
    return _Wanted(wanted)


def _parse_int(spec: PolicySpec, text: str) -> PolicyScalar:
    wanted = f"a whole number from {int(spec.minimum)} to {int(spec.maximum)}"
    if not text.isdigit() or not spec.minimum <= int(text) <= spec.maximum:
        raise _refuse(spec, text, wanted)
    return int(text)


def _parse_float(spec: PolicySpec, text: str) -> PolicyScalar:
    wanted = f"a number from {spec.minimum:g} to {spec.maximum:g}"
    try:
        value = float(text)
    except ValueError:
        raise _refuse(spec, text, wanted) from None
    if not spec.minimum <= value <= spec.maximum:
        raise _refuse(spec, text, wanted)
    return value


def _parse_bool(spec: PolicySpec, text: str) -> PolicyScalar:
    if text.upper() in _TRUE:
        return True
    if text.upper() in _FALSE:
        return False
    raise _refuse(spec, text, "ON or OFF")


def _parse_coverage(spec: PolicySpec, text: str) -> PolicyScalar:
    try:
        return GuidanceCoverage[text.upper()]
    except KeyError:
        raise _refuse(spec, text, "NONE, SOME or ALL") from None


def _parse_criteria(spec: PolicySpec, text: str) -> PolicyScalar:
    names = [p.strip().upper().replace("-", "_") for p in text.replace(";", ",").split(",")]
    allowed = ", ".join(c.value.lower().replace("_", "-") for c in ExternalCriterion)
    try:
        criteria = frozenset(ExternalCriterion[n] for n in names if n)
    except KeyError:
        raise _refuse(spec, text, f"one or more of {allowed} (comma-separated)") from None
    if not criteria:
        raise _refuse(spec, text, f"one or more of {allowed} (comma-separated)")
    return criteria


def _parse_rank(spec: PolicySpec, text: str) -> PolicyScalar:
    if rank_level(text) is None:
        raise _refuse(spec, text, "a police rank such as PS, Insp, CI, Supt or ACC")
    return text


_PARSERS = {
    "int": _parse_int,
    "float": _parse_float,
    "bool": _parse_bool,
    "coverage": _parse_coverage,
    "criteria": _parse_criteria,
    "rank": _parse_rank,
}


def format_policy_value(value: PolicyScalar | None) -> str:
    """Text that `parse_policy_value` reads back (booleans as ON/OFF, criteria comma-separated)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ON" if value else "OFF"
    if isinstance(value, frozenset):
        return ",".join(sorted(c.value.lower().replace("_", "-") for c in value))
    return str(value)


# --- the policies and their shipped defaults ------------------------------------------------

_ALL_CRITERIA: frozenset[ExternalCriterion] = frozenset(ExternalCriterion)


def _spec(kind: str, description: str, default: PolicyScalar, lo: float = 0, hi: float = 10_000) -> PolicySpec:
    return PolicySpec(kind, description, ((ALWAYS, default),), lo, hi)


SPECS: dict[PolicyName, PolicySpec] = {
    PolicyName.RESTRICTION_DECISION_DEADLINE_WORKING_DAYS: _spec(
        "int", "the restriction decision deadline in working days after the threshold is met", 2, 0, 30),
    PolicyName.RESTRICTION_REVIEW_DAYS: _spec(
        "int", "the days between reviews of a restriction", 28, 1, 366),
    PolicyName.SUSPENSION_REVIEW_WEEKS: PolicySpec(
        "int", "the weeks between reviews of a suspension for conduct from this date",
        ((ALWAYS, None), (AMENDMENT_2026, 12)), 1, 52),
    PolicyName.SUSPEND_ON_CHARGE: _spec(
        "bool", "whether a charge for a domestic-abuse-related offence makes suspension due", True),
    PolicyName.SUSPEND_ON_ARREST: PolicySpec(
        "bool", "whether an arrest for a domestic-abuse or sexual offence makes suspension due",
        ((ALWAYS, False), (AMENDMENT_2026, True))),
    PolicyName.SUSPENSION_ON_CHARGE_DEADLINE_WORKING_DAYS: _spec(
        "int", "the suspension deadline in working days after a charge or arrest", 1, 0, 30),
    PolicyName.IOPC_REFERRAL_DEADLINE_WORKING_DAYS: _spec(
        "int", "the IOPC referral deadline in working days (1 = end of the next working day)", 1, 0, 30),
    PolicyName.VICTIM_UPDATE_DAYS: _spec(
        "int", "the most days between updates to a victim while the case is open", 28, 1, 366),
    PolicyName.ROLE_RESTRICTION_GUIDANCE: _spec(
        "coverage", "the force's guidance restricting roles (survey answer)", GuidanceCoverage.NONE),
    PolicyName.EXTERNAL_INVESTIGATION_GUIDANCE: _spec(
        "coverage", "the force's guidance requiring external investigation", GuidanceCoverage.NONE),
    PolicyName.EXTERNAL_INVESTIGATION_CRITERIA: _spec(
        "criteria", "the criteria that bring SOME external-investigation guidance into play",
        _ALL_CRITERIA),
    PolicyName.EXTERNAL_INVESTIGATION_MIN_RANK: _spec(
        "rank", "the lowest subject rank that brings external investigation into play", "Insp"),
    PolicyName.TWELVE_MONTH_REPORT_MONTHS: _spec(
        "int", "the months after receipt when the first report to the PCC is due", 12, 1, 60),
    PolicyName.TWELVE_MONTH_REPORT_REPEAT_MONTHS: _spec(
        "int", "the months between further reports to the PCC", 6, 1, 60),
    PolicyName.INDICTABLE_ONLY_CONVICTION_IS_GROSS_MISCONDUCT: PolicySpec(
        "bool", "whether a conviction for an indictable-only offence is always gross misconduct",
        ((ALWAYS, False), (AMENDMENT_2025, True))),
    PolicyName.ACCELERATED_HEARING_DUE_WORKING_DAYS: _spec(
        "int", "the working days after a conviction by which an accelerated hearing is expected "
        "(illustrative)", 15, 1, 100),
    PolicyName.MANAGEMENT_ACTION_ALLOWED: _spec(
        "bool", "whether the staff process allows management action", True),
    PolicyName.LIST_NOTIFICATION_DAYS: _spec(
        "int", "the days to notify the College of a barred or advisory list entry (illustrative)",
        7, 1, 366),
    PolicyName.VETTING_REVIEW_DAYS: _spec(
        "int", "the days to complete a vetting review once triggered (illustrative)", 28, 1, 366),
    PolicyName.NOTICE_TRIAGE_WORKING_DAYS: _spec(
        "int", "the working days to triage a prior notice (illustrative)", 5, 0, 60),
    PolicyName.RETENTION_YEARS: _spec(
        "int", "the years after closure when a case is reviewed for disposal", 6, 1, 100),
    PolicyName.IDLE_LOCK_MINUTES: _spec(
        "int", "the idle minutes before the window locks", 15, 1, 240),
    PolicyName.MATCH_AUTO_THRESHOLD: _spec(
        "float", "the score from which a notice match is proposed (tuned on benchmarks/matching_eval.py)", 0.9, 0, 1),
    PolicyName.MATCH_REVIEW_THRESHOLD: _spec(
        "float",
        "the score from which a notice match goes to review: the chance, from the matching model, that the pair is one "
        "person (0.01: a 1-in-100 chance is worth a person's look; raise it to shorten the review queue, at the cost "
        "of missed matches — docs/benchmarks.md, the review-threshold sweep)", 0.01, 0, 1),
    PolicyName.SERIAL_WINDOW_YEARS: _spec(
        "int", "the years within which two victims make a serial perpetrator", 3, 1, 20),
    PolicyName.RFGV_WEIGHT_RECENCY: _spec(
        "float", "the RFGV recency weight (illustrative)", 1.0, 0, 100),
    PolicyName.RFGV_WEIGHT_FREQUENCY: _spec(
        "float", "the RFGV frequency weight (illustrative)", 1.0, 0, 100),
    PolicyName.RFGV_WEIGHT_GRAVITY: _spec(
        "float", "the RFGV gravity weight (illustrative)", 1.5, 0, 100),
    PolicyName.RFGV_WEIGHT_VICTIMS: _spec(
        "float", "the RFGV victims weight (illustrative)", 1.5, 0, 100),
}


# --- case documents (issue #15): the largest file and the types a force accepts ---------------

def _parse_file_types(spec: PolicySpec, text: str) -> PolicyScalar:
    from app.domain.file_types import known_keys, parse_type_list

    try:
        return ",".join(parse_type_list(text))
    except InvalidInput:
        raise _refuse(spec, text, f"one or more of {', '.join(known_keys())} (comma-separated)") from None


_PARSERS["file_types"] = _parse_file_types
SPECS[PolicyName.DOCUMENT_MAX_MEGABYTES] = _spec(
    "int", "the largest document that can be attached to a case, in megabytes", 100, 1, 2000)
SPECS[PolicyName.DOCUMENT_TYPES] = _spec(
    "file_types", "the document types that can be attached to a case, each checked by its content",
    "doc,docx,eml,jpg,m4a,mp3,mp4,msg,odt,pdf,png,rtf,tif,txt,wav,xls,xlsx")
