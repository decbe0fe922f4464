"""The case actions' forms: for each action of the registry (app.services.actions), the fields its
dialog offers — named as the action's arguments, offering only the values the rules know, preset
from what the case records. Everything else comes from the services: the title, whether a
co-signer or an approver signs in, and whether it can be proposed for approval
(`available_actions`); the call itself (`actions.perform` / `actions.propose`, with the case
version the user opened). No rule is decided here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from app.domain.enums import (
    AbuseType,
    AgeBand,
    AggravatingFeature,
    AssignmentRole,
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
from app.domain.errors import ExpectedError
from app.domain.workflow import ExternalEvent
from app.services import actions, person_search
from app.services.actions import Availability
from app.services.case_facts import CaseFacts
from app.services.case_queries import CaseDetail, VictimView
from app.services.casework import team
from app.services.casework.inputs import CLEAR
from app.ui.context import AppContext
from app.ui.dialogs.decision_form import ActionSpec, Field, Values, enum_options
from app.ui.labels import day, human, human_text

SUSPENDED = RestrictionOption.SUSPENDED
CONDITIONS = (("redeployment_considered_not_appropriate",
               "Temporary redeployment was considered and is not appropriate"),
              ("investigation_may_be_prejudiced", "The investigation may be prejudiced"),
              ("public_interest_requires", "The public interest requires it"))
METHODS = ("visit", "telephone call", "letter", "email")


@dataclass(frozen=True)
class Form:
    """An action's form: the text above the fields, the OK button's text, the fields (keyed by
    the action's argument names) and how their values become the action's arguments."""

    intro: str
    ok: str
    fields: list[Field]
    extra: list[str] = field(default_factory=list)
    args: Callable[[Values], dict[str, Any]] | None = None  # default: every field but the approver


def _recorded(key: str, label: str, kind: type[Enum], current: str | None, none: str) -> Field:
    """A choice of `kind`, preset to the recorded value; `none` ("Not recorded") takes it away."""
    return Field(key, label, "choice", [(none, None), *enum_options(kind)], kind[current] if current else None)


def _or_clear(value: Any, recorded: Any) -> Any:
    """What a correction says for a field the form showed prefilled: emptied means cleared."""
    return CLEAR if value is None and recorded is not None else value


def _suspended(v: Values) -> bool:
    return SUSPENDED in (v.get("options") or ())


class ActionCatalogue:
    """Builds the ActionSpec of each case action for one opened case."""

    def __init__(self, ctx: AppContext, detail: CaseDetail, facts: CaseFacts, bodies: dict[str, str],
                 available: dict[str, Availability]) -> None:
        self.ctx, self.d, self.f, self.bodies, self.available = ctx, detail, facts, bodies, available

    def spec(self, key: str, aid: int | None = None, **chosen: Any) -> ActionSpec:
        form: Form = getattr(self, key)(aid, **chosen)
        registered, a = actions.action(key), self.available[key]
        args = form.args or (lambda v: {k: x for k, x in v.items() if k != "approver"})
        fields, extra = list(form.fields), list(form.extra)
        # A decider needs the second person (and may propose instead) only when these values need an approval.
        need = (lambda v: registered.needs_approval(args(v)) is not None) if a.decides else None
        if a.second is not None:
            extra.append(human_text(a.second[0].upper() + a.second[1:] + "."))
            fields.append(Field("approver", "Co-signer:" if not a.decides else "Approver:", "approver", when=need,
                                help=human_text(a.second)))
        uow, user, case = self.ctx.uow, self.ctx.user, self.d.id

        def call(v: Values) -> Any:
            return actions.perform(uow(), user, case, key, args(v), approver=v.get("approver"),
                                   expected_version=self.d.version)

        def propose(v: Values) -> Any:
            return actions.propose(uow(), user, case, key, args(v), expected_version=self.d.version)

        return ActionSpec(key, registered.title, form.intro, form.ok, fields, call, extra,
                          propose=propose if a.may_propose else None, propose_when=need)

    # -- shared fields ----------------------------------------------------------------------
    def _allegation(self, chosen: int | None, *, whole_case: bool = False) -> Field:
        options: list[tuple[str, Any]] = [("The whole case", None)] if whole_case else []
        options += [(f"{a.subject} ({a.subject_staff_number})", a.id) for a in self.d.allegations]
        return Field("allegation_id", "Allegation:", "choice", options,
                     chosen if chosen is not None else options[0][1])

    def _on(self, label: str = "Date:") -> Field:
        return Field("on", label, "date", default=self.f.today)

    def _conditions(self, when: Callable[[Values], bool]) -> Field:
        return Field("conditions", "Suspension conditions:", "choices", [(text, name) for name, text in CONDITIONS],
                     when=when, columns=1)

    def _people(self) -> list[tuple[str, Any]]:
        seen: dict[int, str] = {}
        for a in self.d.allegations:
            seen.setdefault(a.subject_person_id, f"{a.subject} ({a.subject_staff_number})")
        return [(name, pid) for pid, name in seen.items()]

    # -- recording, threshold, severity -----------------------------------------------------
    def recording(self, aid: int | None = None) -> Form:
        def not_recordable(v: Values) -> bool:
            return v.get("recordable") is False

        return Form("How the case, or one allegation, is recorded. \"Not recordable\" needs a rationale and a "
                    "supervisor's approval.", "Record",
                    [self._allegation(aid, whole_case=True),
                     Field("recordable", "Recorded:", "choice", [("Recordable", True), ("Not recordable", False)],
                           True),
                     Field("case_type", "As:", "choice", enum_options(CaseType), CaseType[self.d.case_type],
                           when=lambda v: not not_recordable(v)),
                     Field("rationale", "Rationale:", "long"), self._on()])

    def threshold(self, aid: int | None = None) -> Form:
        return Form("Is there an indication that the subject may have committed a criminal offence or behaved in "
                    "a way that would justify disciplinary proceedings? When met, a restriction decision becomes "
                    "due.", "Record threshold",
                    [self._allegation(aid),
                     Field("met", "Threshold:", "choice", [("Met", True), ("Not met", False)], True),
                     Field("rationale", "Rationale:", "long"), self._on()])

    def severity(self, aid: int | None = None) -> Form:
        return Form("The severity of the alleged conduct (reviewable; each assessment is kept).", "Record severity",
                    [self._allegation(aid, whole_case=True),
                     Field("severity", "Severity:", "choice", enum_options(Severity), Severity.MISCONDUCT),
                     Field("rationale", "Rationale:", "long"), self._on()])

    # -- restriction ------------------------------------------------------------------------
    def restriction(self, aid: int | None = None) -> Form:
        return Form("The measures for the subject while the allegation is investigated; several may be combined. "
                    "No restriction needs a rationale and a supervisor's approval; suspension needs the statutory "
                    "conditions.", "Record restriction",
                    [self._allegation(aid), Field("options", "Measures:", "choices", enum_options(RestrictionOption)),
                     self._conditions(_suspended), Field("rationale", "Rationale:", "long"), self._on()])

    def restriction_review(self, aid: int | None = None) -> Form:
        a = self.f.allegation(aid) if aid is not None else next((x for x in self.f.allegations if x.in_force), None)
        def vary(v: Values) -> bool:
            return v.get("outcome") == ReviewOutcome.VARY

        current = ", ".join(human(o) for o in a.in_force) if a and a.in_force else "none"
        measures = [o for o in RestrictionOption if o != RestrictionOption.NO_RESTRICTION]
        return Form("Continue, vary (choose the complete new set) or lift the measures in force.", "Record review",
                    [self._allegation(a.allegation_id if a else aid),
                     Field("outcome", "Outcome:", "choice", enum_options(ReviewOutcome), ReviewOutcome.CONTINUE),
                     Field("options", "New measures:", "choices", enum_options(RestrictionOption, measures), when=vary),
                     self._conditions(lambda v: vary(v) and _suspended(v)),
                     Field("rationale", "Rationale:", "long"), self._on()],
                    [f"Measures in force now: {current}."])

    def suspension_exception(self, aid: int | None = None) -> Form:
        return Form("Exceptional circumstances: not suspending after a charge or arrest needs the head of PSD — "
                    "deciding it, or approving it.", "Record exception",
                    [self._allegation(aid), Field("rationale", "Exceptional circumstances:", "long"), self._on()])

    # -- criminal track ---------------------------------------------------------------------
    def arrest(self, aid: int | None = None) -> Form:
        return Form("The subject was arrested.", "Record arrest",
                    [self._allegation(aid), Field("offence", "Offence:", "text"),
                     Field("da_or_sexual_offence", "", "bool", default=True, help="A domestic-abuse or sexual offence"),
                     self._on()])

    def criminal_outcome(self, aid: int | None = None) -> Form:
        return Form("A charge makes suspension due (policy); a conviction flags \"dismissal expected\".",
                    "Record outcome",
                    [self._allegation(aid), Field("outcome", "Outcome:", "choice", enum_options(CriminalOutcome)),
                     Field("offence", "Offence:", "text"),
                     Field("da_related", "", "bool", default=True, help="Domestic-abuse related"),
                     Field("indictable_only", "", "bool", help="Indictable-only offence"),
                     Field("sentence", "Sentence:", "text"), self._on()])

    # -- IOPC and investigating body --------------------------------------------------------
    def iopc_referral(self, aid: int | None = None) -> Form:
        grounds = [f"{a.subject}: {human(g)} ({why})" for a in self.f.allegations for g, why in a.grounds]
        return Form("The referral sent to the IOPC.", "Record referral",
                    [self._allegation(aid, whole_case=True), self._on("Date sent:"),
                     Field("iopc_reference", "IOPC reference:", "text"),
                     Field("extra_grounds", "Further grounds:", "choices", enum_options(MandatoryGround)),
                     Field("rationale", "Rationale:", "long")],
                    ["Mandatory referral grounds found: " + ("; ".join(grounds) if grounds else
                                                             "none (a voluntary referral is always possible).")])

    def iopc_decision(self, aid: int | None = None) -> Form:
        return Form("The IOPC's decision on the referral; the investigation mode follows from it.", "Record decision",
                    [Field("decision", "Decision:", "choice", enum_options(IopcDecision)),
                     self._allegation(aid, whole_case=True), self._on(),
                     Field("iopc_reference", "IOPC reference:", "text")])

    def investigating_body(self, aid: int | None = None) -> Form:
        reasons = self.f.external_reasons
        options = [("Home force", "HOME"), ("IOPC", "IOPC"), *sorted(
            ((name, code) for code, name in self.bodies.items() if code not in ("HOME", "IOPC")), key=lambda p: p[0])]
        return Form("Who investigates: the home force, another force, or the IOPC.", "Assign",
                    [Field("body", "Body:", "choice", options), self._allegation(aid, whole_case=True), self._on()],
                    ["Force guidance requires an external investigation: " + "; ".join(reasons) + ". The home force "
                     "needs an exception approved by the head of PSD."] if reasons else [])

    def external_exception(self, aid: int | None = None) -> Form:
        reasons = "; ".join(self.f.external_reasons) or "none apply today"
        return Form("An exception to the external-investigation guidance: it needs the head of PSD — deciding it, "
                    "or approving it.", "Record exception",
                    [Field("rationale", "Rationale:", "long"), self._on()], [f"Guidance reasons: {reasons}."])

    def external_progress(self, aid: int | None = None) -> Form:
        return Form("Requested, accepted (with the other body's reference), handed over, returned — in that order.",
                    "Record", [Field("event", "Event:", "choice", enum_options(ExternalEvent)), self._on(),
                               Field("reference", "Their reference:", "text"), self._allegation(aid, whole_case=True)])

    # -- outcomes ---------------------------------------------------------------------------
    def misconduct_outcome(self, aid: int | None = None) -> Form:
        return Form("The next step of the misconduct track; checked against the outcome matrix (e.g. a meeting "
                    "cannot dismiss).", "Record outcome",
                    [self._allegation(aid), Field("outcome", "Outcome:", "choice", enum_options(MisconductOutcome)),
                     Field("final_written_warning_in_force", "", "bool", help="A final written warning is in force"),
                     Field("multiple_unconnected_incidents", "", "bool", help="Multiple unconnected incidents"),
                     Field("rationale", "Rationale:", "long"), self._on()])

    def list_notification(self, aid: int | None = None) -> Form:
        tasks = [t for t in self.f.tasks if t.list_status is not None and not t.done]
        names = {pid: name for name, pid in self._people()}
        return Form("The College of Policing was notified.", "Record notification",
                    [Field("person_id", "Person:", "choice", self._people()),
                     Field("list_status", "List:", "choice",
                           enum_options(ListStatus, [ListStatus.BARRED, ListStatus.ADVISORY]),
                           tasks[0].list_status if tasks else None),
                     Field("reference", "Reference:", "text"), self._on()],
                    [f"Due: {human(t.list_status.name if t.list_status else '')} List for "
                     f"{names.get(t.person_id, 'a subject')}, by {day(t.due_date)} ({t.trigger})" for t in tasks])

    def vetting_review(self, aid: int | None = None) -> Form:
        return Form("The result of the vetting review of a subject.", "Record review",
                    [Field("person_id", "Person:", "choice", self._people()), Field("result", "Result:", "text"),
                     self._on()])

    def pcc_report(self, aid: int | None = None) -> Form:
        return Form("The 12-month (or further 6-month) report on an unfinished investigation was sent.",
                    "Record report", [self._on("Date sent:")])

    def victim_update(self, aid: int | None = None) -> Form:
        return Form("An update given to a victim.", "Record update",
                    [Field("victim_ref", "Victim:", "choice", [(v.reference, v.reference) for v in self.d.victims]),
                     self._on(), Field("method", "How:", "choice", [(m.capitalize(), m) for m in METHODS])])

    def close_case(self, aid: int | None = None) -> Form:
        blockers = self.f.closure_blockers
        return Form("A case closes only when every allegation has a final outcome, every restriction has ended "
                    "and its notifications are done.", "Close case", [self._on("Closed on:")],
                    ["Still to do before closing: " + "; ".join(blockers) + "."] if blockers else [])

    # -- the case record --------------------------------------------------------------------
    def add_victim(self, aid: int | None = None) -> Form:
        def args(v: Values) -> dict[str, Any]:
            return {**v, "dash_date": self.f.today if v.get("dash_risk") else None}
        return Form("A further victim of this case.", "Add victim",
                    [Field("reference", "Reference:", "text", default=f"V{len(self.d.victims) + 1}"),
                     Field("relationship", "Relationship:", "choice", enum_options(VictimRelationship)),
                     Field("dash_risk", "DASH risk:", "choice", [("Not assessed", None), *enum_options(DashRisk)]),
                     Field("contact_details", "Contact details:", "long")], args=args)

    def edit_victim(self, aid: int | None = None, victim: VictimView | None = None,
                    revealed: str | None = None) -> Form:
        """The victim's details as recorded, each of which can be corrected or emptied ("Not
        recorded"); contact details only when `revealed` (what the reveal returned), else the field
        is empty and left empty keeps them."""
        v = victim or self.d.victims[0]
        def assessed(x: Values) -> bool:
            return x.get("dash_risk") is not None

        def colleague(x: Values) -> bool:
            return x.get("police_workforce") == VictimWorkforce.SAME_FORCE

        linked = v.colleague_staff_number
        unlink = [Field("unlink", "", "bool", when=colleague, help=f"Remove the link to colleague {linked}")] \
            if linked else []
        fields = [
            Field("relationship", "Relationship:", "choice", enum_options(VictimRelationship),
                  VictimRelationship[v.relationship]),
            Field("police_workforce", "Police workforce:", "choice", enum_options(VictimWorkforce),
                  VictimWorkforce[v.police_workforce]),
            Field("staff_number", "Colleague:", "person", default=linked,
                  when=lambda x: colleague(x) and not x.get("unlink"),
                  placeholder=f"Linked to {linked}: unchanged unless you choose someone." if linked else
                  "No colleague linked."),
            *unlink,
            _recorded("sex", "Sex:", Sex, v.sex, "Not recorded"),
            _recorded("age_band", "Age band:", AgeBand, v.age_band, "Not recorded"),
            _recorded("dash_risk", "DASH risk:", DashRisk, v.dash_risk, "Not assessed"),
            Field("dash_date", "DASH date:", "date", default=v.dash_date or self.f.today, when=assessed),
            Field("dash_assessor", "DASH assessor:", "staff", [(p.label, p) for p in self._assessors()],
                  default=v.dash_assessor, when=assessed, placeholder="No assessor recorded"),
            Field("marac_referred", "Support:", "bool", default=v.marac_referred, help="Referred to MARAC"),
            Field("advocate_offered", "", "bool", default=v.advocate_offered, help="IDVA/ISVA support offered"),
            Field("advocate_accepted", "", "bool", default=v.advocate_accepted, help="IDVA/ISVA support accepted"),
            Field("contact_details", "Contact details:", "long", default=revealed or "",
                  placeholder="Empty clears the contact details." if revealed is not None else
                  "Hidden: leave empty to keep them unchanged; anything typed replaces them.")]
        return Form("Correct or complete what is recorded about the victim; \"Not recorded\" or an emptied field "
                    "removes a value. Moving the victim out of the same force's workforce, or the DASH risk to \"Not "
                    "assessed\", removes what depends on it.", "Save victim", fields,
                    args=lambda x: self._victim_update(v, x, revealed))

    def _assessors(self) -> list[team.Allocatable]:
        """Who may be a DASH assessor, to pick by name (the service checks their independence)."""
        try:
            return team.assessors(self.ctx.uow(), self.ctx.user)
        except ExpectedError:
            return []

    def _victim_update(self, v: VictimView, x: Values, revealed: str | None) -> dict[str, Any]:
        new_assessment = x["dash_risk"] != (DashRisk[v.dash_risk] if v.dash_risk else None)
        moved = x["dash_date"] != (v.dash_date or self.f.today)  # the date field starts there
        contact = x["contact_details"]
        return {
            "victim_ref": v.reference, "relationship": x["relationship"], "police_workforce": x["police_workforce"],
            "staff_number": CLEAR if x.get("unlink") else x["staff_number"],
            "sex": _or_clear(x["sex"], v.sex), "age_band": _or_clear(x["age_band"], v.age_band),
            "dash_risk": _or_clear(x["dash_risk"], v.dash_risk),
            "dash_date": x["dash_date"] if new_assessment or moved else None,
            "dash_assessor": _or_clear(x["dash_assessor"], v.dash_assessor),
            "marac_referred": bool(x["marac_referred"]), "advocate_offered": bool(x["advocate_offered"]),
            "advocate_accepted": bool(x["advocate_accepted"]),
            "contact_details": (contact or CLEAR) if revealed is not None else contact}

    def add_allegation(self, aid: int | None = None) -> Form:
        refs = [v.reference for v in self.d.victims]
        return Form("An allegation against a further subject (one allegation per subject).", "Add allegation",
                    [Field("subject_staff_number", "Subject:", "person",
                           help="Search by surname, forenames or staff number"),
                     Field("victim_refs", "Victims:", "choices", [(r, r) for r in refs], default=refs),
                     Field("abuse_types", "Abuse types:", "choices", enum_options(AbuseType)),
                     Field("aggravating_features", "Aggravating features:", "choices",
                           enum_options(AggravatingFeature)),
                     Field("criminal", "", "bool", help="Criminal allegation"),
                     Field("crime_ref", "Crime reference:", "text")],
                    args=lambda v: {**v, "victim_refs": tuple(r for r in refs if r in v["victim_refs"])})

    # -- team and access --------------------------------------------------------------------
    def assign_member(self, aid: int | None = None) -> Form:
        try:  # the people who may be on a case team, by name and team (typing a name's start finds it)
            people = [(a.label, a.username) for a in team.allocatable(self.ctx.uow(), self.ctx.user)]
        except ExpectedError:
            people = []
        return Form("Refused with the reason when the person is not independent of the subjects and victims.",
                    "Assign", [Field("username", "Person:", "choice", [("— choose a person —", None), *people]),
                               Field("role", "Role:", "choice", enum_options(AssignmentRole)),
                               Field("declared_no_prior_connection", "", "bool",
                                     help="They have declared no prior connection to the subjects or victims")])

    def end_assignment(self, aid: int | None = None, member: tuple[str, str] | None = None) -> Form:
        """`member`: (display name, AssignmentRole name) of the team-table row to preselect."""
        team = person_search.current_team(self.ctx.uow(), self.ctx.user, self.d.id)
        options = [(f"{m.display_name} ({m.username}) — {human(m.role.name).lower()}", i) for i, m in enumerate(team)]
        chosen = next((i for i, m in enumerate(team) if member == (m.display_name, m.role.name)), 0)

        def args(v: Values) -> dict[str, Any]:
            m = team[v["member"]] if v["member"] is not None else None
            return {"username": m.username if m else None, "role": m.role if m else None, "reason": v["reason"]}

        return Form("Take a member off the case team. The ending is recorded as a decision; they keep no access to "
                    "the case unless their role gives it.", "End assignment",
                    [Field("member", "Member:", "choice", options, chosen), Field("reason", "Reason:", "long")],
                    args=args)

    def declare_association(self, aid: int | None = None) -> Form:
        return Form("You are connected to a subject or a victim of this case, or to the case. You will be taken off "
                    "its team and will no longer see it.", "Declare",
                    [Field("associate_staff_number", "Colleague's staff number:", "text"),
                     Field("victim_ref", "Or victim:", "choice",
                           [("—", None)] + [(v.reference, v.reference) for v in self.d.victims]),
                     Field("note", "Note:", "long")])

    def restrict_case(self, aid: int | None = None) -> Form:
        return Form("Only the named users (and the case team) will see this case; you stay named.", "Restrict",
                    [Field("usernames", "User names (comma separated):", "text")])
