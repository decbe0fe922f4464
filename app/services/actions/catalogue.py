"""The registry of case actions: every action a person can take on a case, as one command object
each — its name (the same in the window, the command line and the proposal store), title,
arguments and how they are read, who may (the permission table of DOMAIN.md §7), what the rules
need (an approval? whose authority?), whether it can be proposed for approval, and what the
case's state must be for it to be tried. `perform` reads the arguments and calls the casework
service; the window, `ppda-tracker case do` and the approval of a proposal all go through it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.domain import workflow as wf
from app.domain.enums import (
    AbuseType,
    AgeBand,
    AggravatingFeature,
    AssignmentRole,
    BreachType,
    CaseType,
    CriminalOutcome,
    DashRisk,
    IopcDecision,
    ListStatus,
    MandatoryGround,
    MisconductOutcome,
    RestrictionOption,
    ReviewOutcome,
    Severity,
    Sex,
    VictimRelationship,
    VictimWorkforce,
)
from app.domain.errors import InvalidInput
from app.domain.permissions import CASE_ACTIONS, Action, allowed
from app.domain.records import User
from app.domain.workflow import Approval, ExternalEvent
from app.persistence.uow import UnitOfWork
from app.services import casework as cw
from app.services.actions import state
from app.services.actions.arguments import (
    Arg,
    clearable,
    read_all,
    read_bool,
    read_conditions,
    read_date,
    read_enum,
    read_enums,
    read_int,
    read_text,
    read_texts,
)
from app.services.actions.state import CaseState
from app.services.case_queries import find_case

Call = Callable[[UnitOfWork, User, int, dict[str, Any], User | None, int | None], Any]
Ready = Callable[[CaseState], str | None]


@dataclass(frozen=True)
class CaseAction:
    name: str
    title: str
    args: tuple[Arg, ...]
    call: Call  # (uow, actor, case_id, read arguments, approver, expected_version) -> the service's result
    approval: Approval | None = None  # the approval a rule may need
    approval_for: Callable[[Mapping[str, Any]], Approval | None] | None = None  # ... for these arguments
    proposable: bool = False  # a supervisor's decision an investigator may propose, or a decider submit for approval
    ready: Ready | None = None  # why not now, from the case's state (None: it can be tried)
    referral: bool = False  # the IOPC liaison's reach to refer a case not yet referred

    @property
    def permission(self) -> Action | None:
        """Who may (DOMAIN.md §7): app.domain.permissions.CASE_ACTIONS; None: anyone who may see the case."""
        return CASE_ACTIONS[self.name]

    def read(self, given: Mapping[str, Any]) -> dict[str, Any]:
        return read_all(self.title, self.args, given)

    def needs_approval(self, arguments: Mapping[str, Any]) -> Approval | None:
        """The approval these arguments need (read or as typed in the window)."""
        if self.approval_for is not None:
            return self.approval_for(arguments)
        return self.approval

    @property
    def takes_approver(self) -> bool:
        return self.approval is not None or (self.proposable and self.permission == Action.DECIDE)


def _service(fn: Callable[..., Any], positional: tuple[str, ...] = (), *, approver: bool = False,
             versioned: bool = True, unless_given: Mapping[str, Any] | None = None) -> Call:
    """Call a casework service: `positional` arguments in order, the others by name; `unless_given`:
    what the service receives for an argument not given (so that its rule, not the reading, says
    what is missing: "A vetting review needs its result.")."""
    def call(uow: UnitOfWork, actor: User, case_id: int, args: dict[str, Any], second: User | None,
             version: int | None) -> Any:
        rest = {**(unless_given or {}), **args}
        first = [rest.pop(n) for n in positional]
        if approver:
            rest["approver"] = second
        elif second is not None:
            raise InvalidInput("This action takes no approver or co-signer.")
        if versioned:
            rest["expected_version"] = version
        return fn(uow, actor, case_id, *first, **rest)
    return call


def _built(fn: Callable[..., Any], build: Callable[[dict[str, Any]], Any], positional: tuple[str, ...] = ()) -> Call:
    """Call a casework service taking one input record (a victim, an allegation) built from the arguments."""
    def call(uow: UnitOfWork, actor: User, case_id: int, args: dict[str, Any], second: User | None,
             version: int | None) -> Any:
        if second is not None:
            raise InvalidInput("This action takes no approver or co-signer.")
        rest = dict(args)
        first = [rest.pop(n) for n in positional]
        return fn(uow, actor, case_id, *first, build(rest), expected_version=version)
    return call


def _declare(uow: UnitOfWork, actor: User, case_id: int, args: dict[str, Any], second: User | None,
             _version: int | None) -> Any:
    if second is not None:
        raise InvalidInput("This action takes no approver or co-signer.")
    return cw.declare_association(uow, actor, case_id, **args)


# ---- arguments shared by several actions --------------------------------------------------------

ON = Arg("on", read_date, "the date it took effect (YYYY-MM-DD; default today)")
RATIONALE = Arg("rationale", read_text, "why (kept with the decision)")
ALLEGATION = Arg("allegation_id", read_int, "the allegation (its number: see 'case timeline')", required=True)
WHOLE_CASE = Arg("allegation_id", read_int, "the allegation (its number: see 'case timeline'); none: the whole case")
CONDITIONS = Arg("conditions", read_conditions, "the suspension conditions that hold: "
                 "redeployment_considered_not_appropriate; investigation_may_be_prejudiced; public_interest_requires")


def _text(name: str, help: str, *, required: bool = False) -> Arg:
    return Arg(name, read_text, help, required)


def _restriction_approval(a: Mapping[str, Any]) -> Approval | None:
    return wf.restriction_approval(a.get("options") or ())


def _recording_approval(a: Mapping[str, Any]) -> Approval | None:
    return wf.recording_approval(a.get("recordable") is not False)


_VICTIM_ARGS = (
    Arg("police_workforce", read_enum(VictimWorkforce), "NO, SAME_FORCE or OTHER_FORCE"),
    _text("staff_number", "a same-force victim's staff number (the linked colleague)"),
    Arg("sex", read_enum(Sex), "F, M, X or U"), Arg("age_band", read_enum(AgeBand), "the age band"),
    Arg("dash_risk", read_enum(DashRisk), "STANDARD, MEDIUM or HIGH"),
    Arg("dash_date", read_date, "the date of the DASH assessment"),
    _text("dash_assessor", "the DASH assessor's user name"),
    Arg("marac_referred", read_bool, "yes or no"), Arg("advocate_offered", read_bool, "IDVA/ISVA support offered"),
    Arg("advocate_accepted", read_bool, "IDVA/ISVA support accepted"),
    _text("contact_details", "how to contact the victim (masked on every screen)"),
)
_CLEARABLE = frozenset({"staff_number", "sex", "age_band", "dash_risk", "dash_date", "dash_assessor",
                        "contact_details"})


def _correction(a: Arg) -> Arg:
    return Arg(a.name, clearable(a.read), a.help + "; CLEAR removes it") if a.name in _CLEARABLE else a


def _actions() -> tuple[CaseAction, ...]:
    return (
        # -- recording, threshold, severity (DOMAIN.md §3.1, §3.2) ------------------------------
        CaseAction("recording", "Recording", (
            WHOLE_CASE, Arg("recordable", read_bool, "no: not recordable (needs a rationale and approval)"),
            Arg("case_type", read_enum(CaseType), "COMPLAINT, CONDUCT_MATTER or RECORDABLE_CONDUCT_MATTER"),
            RATIONALE, ON), _service(cw.record_recording, approver=True),
            approval=wf.NOT_RECORDABLE, approval_for=_recording_approval, proposable=True),
        CaseAction("threshold", "Threshold for investigation", (
            ALLEGATION, Arg("met", read_bool, "yes (default) or no"), RATIONALE, ON),
            _service(cw.record_threshold, ("allegation_id",), approver=True), proposable=True),
        CaseAction("severity", "Severity assessment", (
            Arg("severity", read_enum(Severity), "NO_MISCONDUCT, MISCONDUCT or GROSS_MISCONDUCT", required=True),
            WHOLE_CASE, RATIONALE, ON), _service(cw.record_severity, ("severity",), approver=True), proposable=True),
        # -- restriction (§3.2) -----------------------------------------------------------------
        CaseAction("restriction", "Restriction decision", (
            ALLEGATION, Arg("options", read_enums(RestrictionOption), "the measures, or NO_RESTRICTION", required=True),
            CONDITIONS, RATIONALE, Arg("options_considered", read_enums(RestrictionOption), "options considered"), ON),
            _service(cw.record_restriction, ("allegation_id", "options"), approver=True),
            approval=wf.NO_RESTRICTION, approval_for=_restriction_approval, proposable=True),
        CaseAction("restriction_review", "Restriction review", (
            ALLEGATION, Arg("outcome", read_enum(ReviewOutcome), "CONTINUE, VARY or LIFT", required=True),
            Arg("options", read_enums(RestrictionOption), "VARY: the complete new set of measures"),
            CONDITIONS, RATIONALE, ON),
            _service(cw.record_restriction_review, ("allegation_id", "outcome"), approver=True), proposable=True,
            ready=state.measures_in_force),
        CaseAction("suspension_exception", "Not suspending after charge or arrest", (
            ALLEGATION, _text("rationale", "the exceptional circumstances (required by the rule)"), ON),
            _service(cw.record_suspension_exception, ("allegation_id",), approver=True,
                     unless_given={"rationale": None}),
            approval=wf.NO_SUSPENSION, proposable=True, ready=state.suspension_outstanding),
        # -- criminal track ---------------------------------------------------------------------
        CaseAction("arrest", "Arrest", (
            ALLEGATION, _text("offence", "the offence (required by the rule)"),
            Arg("da_or_sexual_offence", read_bool, "a domestic-abuse or sexual offence (default yes)"), ON),
            _service(cw.record_arrest, ("allegation_id",), unless_given={"offence": ""}), ready=state.criminal),
        CaseAction("criminal_outcome", "Criminal outcome", (
            ALLEGATION, Arg("outcome", read_enum(CriminalOutcome), "e.g. CHARGED, CONVICTED", required=True),
            _text("offence", "the offence"), Arg("da_related", read_bool, "domestic-abuse related (default yes)"),
            Arg("indictable_only", read_bool, "an indictable-only offence"), _text("sentence", "the sentence"), ON),
            _service(cw.record_criminal_outcome, ("allegation_id", "outcome"), approver=True), proposable=True,
            ready=state.criminal),
        # -- IOPC and investigating body (§3.3) -------------------------------------------------
        CaseAction("iopc_referral", "IOPC referral", (
            WHOLE_CASE, Arg("on", read_date, "the date sent (default today)"),
            _text("iopc_reference", "the IOPC's reference"),
            Arg("extra_grounds", read_enums(MandatoryGround), "further mandatory grounds"), RATIONALE),
            _service(cw.record_iopc_referral), referral=True),
        CaseAction("iopc_decision", "IOPC decision", (
            Arg("decision", read_enum(IopcDecision), "the IOPC's decision", required=True), WHOLE_CASE, ON,
            _text("iopc_reference", "the IOPC's reference")),
            _service(cw.record_iopc_decision, ("decision",)), ready=state.referred),
        CaseAction("investigating_body", "Investigating body", (
            _text("body", "HOME, IOPC or another force's code (required by the rule)"), WHOLE_CASE, ON),
            _service(cw.assign_investigating_body, ("body",), approver=True, unless_given={"body": ""}),
            proposable=True),
        CaseAction("external_exception", "In-force investigation against guidance", (
            _text("rationale", "why the home force investigates (required by the rule)"), ON),
            _service(cw.record_external_investigation_exception, approver=True, unless_given={"rationale": None}),
            approval=wf.HOME_AGAINST_GUIDANCE, proposable=True, ready=state.guidance_applies),
        CaseAction("external_progress", "External investigation progress", (
            Arg("event", read_enum(ExternalEvent), "REQUESTED, ACCEPTED, HANDED_OVER or RETURNED", required=True),
            ON, _text("reference", "the other body's reference"), WHOLE_CASE),
            _service(cw.record_external_progress, ("event",)), ready=state.external_body),
        # -- outcomes, notifications, reports (§3.4) --------------------------------------------
        CaseAction("misconduct_outcome", "Misconduct outcome", (
            ALLEGATION, Arg("outcome", read_enum(MisconductOutcome), "the next misconduct-track value", required=True),
            Arg("final_written_warning_in_force", read_bool, "a final written warning is in force"),
            Arg("multiple_unconnected_incidents", read_bool, "the finding rests on several unconnected incidents"),
            RATIONALE, ON),
            _service(cw.record_misconduct_outcome, ("allegation_id", "outcome"), approver=True), proposable=True),
        CaseAction("list_notification", "Barred or Advisory List notification", (
            Arg("person_id", read_int, "the subject (their number: see 'case timeline')", required=True),
            Arg("list_status", read_enum(ListStatus), "BARRED or ADVISORY", required=True),
            _text("reference", "the College's reference"), ON),
            _service(cw.record_list_notification, ("person_id", "list_status"), approver=True), proposable=True),
        CaseAction("vetting_review", "Vetting review", (
            Arg("person_id", read_int, "the subject (their number: see 'case timeline')", required=True),
            _text("result", "the result of the review (required by the rule)"), ON),
            _service(cw.record_vetting_review, ("person_id",), approver=True, unless_given={"result": ""}),
            proposable=True),
        CaseAction("pcc_report", "Report to the local policing body", (
            Arg("on", read_date, "the date sent (default today)"),),
            _service(cw.record_pcc_report, approver=True), proposable=True),
        CaseAction("victim_update", "Victim update", (
            _text("victim_ref", "the victim's reference", required=True), ON,
            _text("method", "visit, telephone call, letter, email")),
            _service(cw.record_victim_update, ("victim_ref",))),
        CaseAction("close_case", "Close the case", (Arg("on", read_date, "the closing date"),),
                   _service(cw.close_case, approver=True), proposable=True, ready=state.closable),
        # -- the case record --------------------------------------------------------------------
        CaseAction("add_victim", "Add a victim", (
            _text("reference", "the victim's pseudonymous reference", required=True),
            Arg("relationship", read_enum(VictimRelationship), "relationship to the subject", required=True),
            *_VICTIM_ARGS), _built(cw.add_victim, lambda a: cw.VictimInput(**a))),
        CaseAction("edit_victim", "Edit a victim", (
            _text("victim_ref", "the victim's reference", required=True),
            Arg("relationship", read_enum(VictimRelationship), "relationship to the subject"),
            *(_correction(a) for a in _VICTIM_ARGS)),
            _built(cw.update_victim, lambda a: cw.VictimUpdate(**a), ("victim_ref",))),
        CaseAction("add_allegation", "Add an allegation", (
            _text("subject_staff_number", "the subject's staff number", required=True),
            Arg("victim_refs", read_texts, "the victims' references", required=True),
            Arg("abuse_types", read_enums(AbuseType), "at least one abuse type", required=True),
            Arg("aggravating_features", read_enums(AggravatingFeature), "aggravating features"),
            Arg("breaches", read_enums(BreachType), "Standards of Professional Behaviour breached"),
            Arg("conduct_from", read_date, "the conduct's first date"), Arg("conduct_to", read_date, "its last date"),
            Arg("criminal", read_bool, "a criminal allegation"), _text("crime_ref", "the crime reference"),
            _text("summary", "a short summary")),
            _built(cw.add_allegation, lambda a: cw.AllegationInput(**(a | {
                k: frozenset(a[k]) for k in ("abuse_types", "aggravating_features", "breaches") if k in a})))),
        # -- team and access (§3.3, §7) ---------------------------------------------------------
        CaseAction("assign_member", "Assign to the case team", (
            _text("username", "the user to assign", required=True),
            Arg("role", read_enum(AssignmentRole), "INVESTIGATOR, DECISION_MAKER or DASH_ASSESSOR", required=True),
            Arg("declared_no_prior_connection", read_bool, "they declared no prior connection", required=True)),
            _service(cw.assign_member, ("username", "role", "declared_no_prior_connection"))),
        CaseAction("end_assignment", "End an assignment", (
            _text("username", "the member", required=True),
            Arg("role", read_enum(AssignmentRole), "their role on the case", required=True),
            _text("reason", "why")), _service(cw.end_assignment, ("username", "role")), ready=state.someone_assigned),
        CaseAction("restrict_case", "Restrict to named users", (
            Arg("usernames", read_texts, "the users named on the case", required=True),),
            _service(cw.restrict_case, ("usernames",))),
        CaseAction("declare_association", "Declare my association", (
            _text("associate_staff_number", "the colleague you are connected to"),
            _text("victim_ref", "or the victim you are connected to"), _text("note", "a short note")),
            _declare, ready=state.linked_to_register),
    )


ACTIONS: dict[str, CaseAction] = {a.name: a for a in _actions()}
assert ACTIONS.keys() == CASE_ACTIONS.keys(), "every case action has its permission in app.domain.permissions"


def action(name: str) -> CaseAction:
    found = ACTIONS.get(name)
    if found is None:
        raise InvalidInput(f"There is no case action \"{name}\"; the actions are: {', '.join(ACTIONS)}.")
    return found


def perform(uow: UnitOfWork, actor: User, case_id: int, name: str, arguments: Mapping[str, Any], *,
            approver: User | None = None, expected_version: int | None = None) -> Any:
    """Do case action `name` with `arguments` (typed, stored or as text), through its service."""
    spec = action(name)
    return spec.call(uow, actor, case_id, spec.read(arguments), approver, expected_version)


def role_may(user: User, name: str) -> bool:
    """Whether `user`'s roles let them take action `name` at all, on a case they reach: its
    permission, or (a supervisor's decision) proposing it."""
    spec = action(name)
    p = spec.permission
    return p is None or allowed(user, p) or (
        p == Action.DECIDE and spec.proposable and allowed(user, Action.PROPOSE_DECISION))


def case_id(uow: UnitOfWork, reference: str) -> int:
    """The id of the case with this reference (whether the user may reach it is checked by each action)."""
    return find_case(uow, reference)
