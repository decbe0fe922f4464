"""The case actions as data: for each, the fields its dialog offers (only the values the rules know)
and the service it calls with the case version the user opened. The rules stay in the services:
a field here never decides what is allowed, it only asks for what the service needs."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

from app.domain.enums import (
    AbuseType, AgeBand, AggravatingFeature, AssignmentRole, CaseType, DashRisk, VictimRelationship, CriminalOutcome, IopcDecision, ListStatus, MandatoryGround, MisconductOutcome,
    RestrictionOption, ReviewOutcome, Severity, Sex, VictimWorkforce,
)
from app.domain.permissions import Action
from app.domain.workflow import ExternalEvent, SuspensionConditions
from app.services import casework as cw
from app.services import person_search
from app.services.case_queries import CaseDetail, VictimView
from app.services.casework.inputs import CLEAR
from app.ui.context import AppContext
from app.ui.dialogs.decision_form import ActionSpec, Field, Values, enum_options
from app.ui.labels import day, human
from app.ui.sections.case_facts import CaseFacts

SUSPENDED = RestrictionOption.SUSPENDED
CONDITIONS = (("redeployment", "Temporary redeployment was considered and is not appropriate"),
              ("prejudiced", "The investigation may be prejudiced"),
              ("public_interest", "The public interest requires it"))


def _recorded(key: str, label: str, kind: type[Enum], current: str | None, none: str) -> Field:
    """A choice of `kind`, preset to the recorded value; `none` ("Not recorded") takes it away."""
    return Field(key, label, "choice", [(none, None), *enum_options(kind)], kind[current] if current else None)


def _or_clear(value: Any, recorded: Any) -> Any:
    """What the update says for a field the form showed prefilled: emptied means cleared."""
    return CLEAR if value is None and recorded is not None else value


class ActionCatalogue:
    """Builds the ActionSpec of each case action for one opened case."""

    def __init__(self, ctx: AppContext, detail: CaseDetail, facts: CaseFacts, bodies: dict[str, str]) -> None:
        self.ctx, self.d, self.f, self.bodies = ctx, detail, facts, bodies

    # -- shared fields ----------------------------------------------------------------------
    def _allegation(self, chosen: int | None, *, whole_case: bool = False) -> Field:
        options: list[tuple[str, Any]] = [("The whole case", None)] if whole_case else []
        options += [(f"{a.subject} ({a.subject_staff_number})", a.id) for a in self.d.allegations]
        return Field("allegation", "Allegation:", "choice", options, chosen if chosen is not None else options[0][1])

    def _on(self, label: str = "Date:") -> Field:
        return Field("on", label, "date", default=self.f.today)

    def _signer(self) -> list[Field]:
        """An investigator's DECIDE-level decision needs a supervisor's co-signature."""
        if self.ctx.may(Action.DECIDE):
            return []
        return [Field("approver", "Co-signer:", "approver",
                      help="A supervisor or the head of PSD co-signs your proposal")]

    def _proposal(self, key: str, arguments: Callable[[Values], dict[str, Any]]) -> Callable[[Values], Any] | None:
        """For an investigator (who needs a co-signer): propose the decision for approval later."""
        if self.ctx.may(Action.DECIDE) or not self.ctx.may(Action.PROPOSE_DECISION):
            return None
        return lambda v: cw.propose(self.ctx.uow(), self.ctx.user, self.d.id, key,
                                    {**arguments(v), "on": v.get("on")}, expected_version=self.d.version)

    def _common(self, v: Values) -> dict[str, Any]:
        return {"expected_version": self.d.version, "on": v.get("on")}

    def _run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return fn(self.ctx.uow(), self.ctx.user, self.d.id, *args, **kwargs)

    # -- recording, threshold, severity -----------------------------------------------------
    def recording(self, aid: int | None = None) -> ActionSpec:
        not_rec = lambda v: v.get("recordable") is False  # noqa: E731
        return ActionSpec("recording", "Recording", "How the case, or one allegation, is recorded. "
                          "\"Not recordable\" needs a rationale and a supervisor's approval.", "Record",
                          [self._allegation(aid, whole_case=True),
                           Field("recordable", "Recorded:", "choice", [("Recordable", True), ("Not recordable", False)], True),
                           Field("case_type", "As:", "choice", enum_options(CaseType), CaseType[self.d.case_type]),
                           Field("rationale", "Rationale:", "long"),
                           Field("approver", "Approver:", "approver", when=not_rec), self._on()],
                          lambda v: self._run(cw.record_recording, recordable=bool(v["recordable"]),
                                              case_type=v["case_type"], allegation_id=v["allegation"],
                                              rationale=v["rationale"], approver=v["approver"], **self._common(v)))

    def threshold(self, aid: int | None = None) -> ActionSpec:
        return ActionSpec("threshold", "Threshold for investigation",
                          "Is there an indication that the subject may have committed a criminal offence or "
                          "behaved in a way that would justify disciplinary proceedings? When met, a restriction "
                          "decision becomes due.", "Record threshold",
                          [self._allegation(aid), Field("met", "Threshold:", "choice", [("Met", True), ("Not met", False)], True),
                           Field("rationale", "Rationale:", "long"), self._on(), *self._signer()],
                          lambda v: self._run(cw.record_threshold, v["allegation"], met=bool(v["met"]),
                                              rationale=v["rationale"], approver=v.get("approver"), **self._common(v)),
                          propose=self._proposal("threshold", lambda v: {"allegation_id": v["allegation"], "met": bool(v["met"]),
                                                                         "rationale": v["rationale"]}))

    def severity(self, aid: int | None = None) -> ActionSpec:
        return ActionSpec("severity", "Severity assessment", "The severity of the alleged conduct (reviewable; "
                          "each assessment is kept).", "Record severity",
                          [self._allegation(aid, whole_case=True),
                           Field("severity", "Severity:", "choice", enum_options(Severity), Severity.MISCONDUCT),
                           Field("rationale", "Rationale:", "long"), self._on(), *self._signer()],
                          lambda v: self._run(cw.record_severity, v["severity"], allegation_id=v["allegation"],
                                              rationale=v["rationale"], approver=v.get("approver"), **self._common(v)),
                          propose=self._proposal("severity", lambda v: {"severity": v["severity"], "rationale": v["rationale"],
                                                                        "allegation_id": v["allegation"]}))

    # -- the case record --------------------------------------------------------------------
    def add_victim(self, aid: int | None = None) -> ActionSpec:
        return ActionSpec("add_victim", "Add a victim", "A further victim of this case.", "Add victim",
                          [Field("reference", "Reference:", "text", default=f"V{len(self.d.victims) + 1}"),
                           Field("relationship", "Relationship:", "choice", enum_options(VictimRelationship)),
                           Field("risk", "DASH risk:", "choice", [("Not assessed", None), *enum_options(DashRisk)]),
                           Field("contact", "Contact details:", "long")],
                          lambda v: self._run(cw.add_victim, cw.VictimInput(
                              v["reference"] or "", v["relationship"], dash_risk=v["risk"],
                              dash_date=self.f.today if v["risk"] else None, contact_details=v["contact"]),
                              expected_version=self.d.version))

    def edit_victim(self, aid: int | None = None, victim: VictimView | None = None,
                    revealed: str | None = None) -> ActionSpec:
        """The victim's details as recorded, each of which can be corrected or emptied ("Not
        recorded"); contact details only when `revealed` (what the reveal returned), else the field
        is empty and left empty keeps them."""
        v = victim or self.d.victims[0]
        assessed = lambda x: x.get("risk") is not None  # noqa: E731
        colleague = lambda x: x.get("workforce") == VictimWorkforce.SAME_FORCE  # noqa: E731
        contact_hint = ("Empty clears the contact details." if revealed is not None else
                        "Hidden: leave empty to keep them unchanged; anything typed replaces them.")
        linked = v.colleague_staff_number
        unlink = [Field("unlink", "", "bool", when=colleague, help=f"Remove the link to colleague {linked}")] \
            if linked else []
        fields = [
            Field("relationship", "Relationship:", "choice", enum_options(VictimRelationship),
                  VictimRelationship[v.relationship]),
            Field("workforce", "Police workforce:", "choice", enum_options(VictimWorkforce),
                  VictimWorkforce[v.police_workforce]),
            Field("colleague", "Colleague:", "person", default=linked,
                  when=lambda x: colleague(x) and not x.get("unlink"),
                  placeholder=f"Linked to {linked}: unchanged unless you choose someone." if linked else
                  "No colleague linked."),
            *unlink,
            _recorded("sex", "Sex:", Sex, v.sex, "Not recorded"),
            _recorded("age", "Age band:", AgeBand, v.age_band, "Not recorded"),
            _recorded("risk", "DASH risk:", DashRisk, v.dash_risk, "Not assessed"),
            Field("dash_date", "DASH date:", "date", default=v.dash_date or self.f.today, when=assessed),
            Field("assessor", "DASH assessor:", "text", default=v.dash_assessor, when=assessed,
                  placeholder="User name; empty: no assessor recorded"),
            Field("marac", "Support:", "bool", default=v.marac_referred, help="Referred to MARAC"),
            Field("offered", "", "bool", default=v.advocate_offered, help="IDVA/ISVA support offered"),
            Field("accepted", "", "bool", default=v.advocate_accepted, help="IDVA/ISVA support accepted"),
            Field("contact", "Contact details:", "long", default=revealed or "", placeholder=contact_hint)]
        return ActionSpec("edit_victim", f"Edit victim {v.reference}", "Correct or complete what is recorded about "
                          "the victim; \"Not recorded\" or an emptied field removes a value. Moving the victim out "
                          "of the same force's workforce, or the DASH risk to \"Not assessed\", removes what "
                          "depends on it.", "Save victim", fields,
                          lambda x: self._run(cw.update_victim, v.reference, self._victim_update(v, x, revealed),
                                              expected_version=self.d.version))

    def _victim_update(self, v: VictimView, x: Values, revealed: str | None) -> cw.VictimUpdate:
        new_assessment = x["risk"] != (DashRisk[v.dash_risk] if v.dash_risk else None)
        moved = x["dash_date"] != (v.dash_date or self.f.today)  # the date field starts there
        return cw.VictimUpdate(
            relationship=x["relationship"], police_workforce=x["workforce"],
            staff_number=CLEAR if x.get("unlink") else x["colleague"],
            sex=_or_clear(x["sex"], v.sex), age_band=_or_clear(x["age"], v.age_band),
            dash_risk=_or_clear(x["risk"], v.dash_risk),
            dash_date=x["dash_date"] if new_assessment or moved else None,
            dash_assessor=_or_clear(x["assessor"], v.dash_assessor),
            marac_referred=bool(x["marac"]), advocate_offered=bool(x["offered"]), advocate_accepted=bool(x["accepted"]),
            contact_details=(x["contact"] or "") if revealed is not None else x["contact"])

    def add_allegation(self, aid: int | None = None) -> ActionSpec:
        refs = [v.reference for v in self.d.victims]
        return ActionSpec("add_allegation", "Add an allegation", "An allegation against a further subject "
                          "(one allegation per subject).", "Add allegation",
                          [Field("staff", "Subject:", "person", help="Search by surname, forenames or staff number"),
                           Field("victims", "Victims:", "choices", [(r, r) for r in refs], default=refs),
                           Field("abuse", "Abuse types:", "choices", enum_options(AbuseType)),
                           Field("features", "Aggravating features:", "choices", enum_options(AggravatingFeature)),
                           Field("criminal", "", "bool", help="Criminal allegation"),
                           Field("crime_ref", "Crime reference:", "text")],
                          lambda v: self._run(cw.add_allegation, cw.AllegationInput(
                              v["staff"] or "", tuple(r for r in refs if r in v["victims"]),
                              frozenset(v["abuse"]), frozenset(v["features"]), criminal=bool(v["criminal"]),
                              crime_ref=v["crime_ref"]), expected_version=self.d.version))

    # -- restriction ------------------------------------------------------------------------
    def _conditions(self, when: Callable[[Values], bool]) -> list[Field]:
        return [Field(k, "" if i else "Suspension conditions:", "bool", help=text, when=when)
                for i, (k, text) in enumerate(CONDITIONS)]

    @staticmethod
    def _suspension(v: Values) -> SuspensionConditions:
        return SuspensionConditions(bool(v.get("redeployment")), bool(v.get("prejudiced")), bool(v.get("public_interest")))

    def restriction(self, aid: int | None = None) -> ActionSpec:
        suspended = lambda v: SUSPENDED in (v.get("options") or ())  # noqa: E731
        none = lambda v: RestrictionOption.NO_RESTRICTION in (v.get("options") or ())  # noqa: E731
        return ActionSpec("restriction", "Restriction decision", "The measures for the subject while the allegation "
                          "is investigated; several may be combined. No restriction needs a rationale and a "
                          "supervisor's approval; suspension needs the statutory conditions.", "Record restriction",
                          [self._allegation(aid), Field("options", "Measures:", "choices", enum_options(RestrictionOption)),
                           *self._conditions(suspended), Field("rationale", "Rationale:", "long"),
                           Field("approver", "Approver:", "approver", when=lambda v: none(v) or not self.ctx.may(Action.DECIDE)),
                           self._on()],
                          lambda v: self._run(cw.record_restriction, v["allegation"], tuple(v["options"]),
                                              conditions=self._suspension(v), rationale=v["rationale"],
                                              approver=v["approver"], **self._common(v)),
                          propose=self._proposal("restriction", lambda v: {
                              "allegation_id": v["allegation"], "options": tuple(v["options"]),
                              "conditions": self._suspension(v), "rationale": v["rationale"]}))

    def restriction_review(self, aid: int | None = None) -> ActionSpec:
        a = self.f.allegation(aid) if aid is not None else next((x for x in self.f.allegations if x.in_force), None)
        vary = lambda v: v.get("outcome") == ReviewOutcome.VARY  # noqa: E731
        current = ", ".join(human(o) for o in a.in_force) if a and a.in_force else "none"
        return ActionSpec("restriction_review", "Restriction review", "Continue, vary (choose the complete new set) "
                          "or lift the measures in force.", "Record review",
                          [self._allegation(a.allegation_id if a else aid),
                           Field("outcome", "Outcome:", "choice", enum_options(ReviewOutcome), ReviewOutcome.CONTINUE),
                           Field("options", "New measures:", "choices",
                                 enum_options(RestrictionOption, [o for o in RestrictionOption
                                                                  if o != RestrictionOption.NO_RESTRICTION]), when=vary),
                           *self._conditions(lambda v: vary(v) and SUSPENDED in (v.get("options") or ())),
                           Field("rationale", "Rationale:", "long"), self._on(), *self._signer()],
                          lambda v: self._run(cw.record_restriction_review, v["allegation"], v["outcome"],
                                              options=tuple(v["options"] or ()), conditions=self._suspension(v),
                                              rationale=v["rationale"], approver=v.get("approver"), **self._common(v)),
                          extra=[f"Measures in force now: {current}."],
                          propose=self._proposal("restriction_review", lambda v: {
                              "allegation_id": v["allegation"], "outcome": v["outcome"],
                              "options": tuple(v["options"] or ()), "conditions": self._suspension(v),
                              "rationale": v["rationale"]}))

    def suspension_exception(self, aid: int | None = None) -> ActionSpec:
        return ActionSpec("suspension_exception", "Not suspending after charge or arrest",
                          "Exceptional circumstances: decided by a supervisor and approved by the head of PSD.",
                          "Record exception", [self._allegation(aid), Field("rationale", "Exceptional circumstances:", "long"),
                                               Field("approver", "Head of PSD:", "approver"), self._on()],
                          lambda v: self._run(cw.record_suspension_exception, v["allegation"], rationale=v["rationale"],
                                              approver=v["approver"], **self._common(v)))

    # -- criminal track ---------------------------------------------------------------------
    def arrest(self, aid: int | None = None) -> ActionSpec:
        return ActionSpec("arrest", "Arrest", "The subject was arrested.", "Record arrest",
                          [self._allegation(aid), Field("offence", "Offence:", "text"),
                           Field("da", "", "bool", default=True, help="A domestic-abuse or sexual offence"), self._on()],
                          lambda v: self._run(cw.record_arrest, v["allegation"], offence=v["offence"] or "",
                                              da_or_sexual_offence=bool(v["da"]), **self._common(v)))

    def criminal_outcome(self, aid: int | None = None) -> ActionSpec:
        return ActionSpec("criminal_outcome", "Criminal outcome", "A charge makes suspension due (policy); a "
                          "conviction flags \"dismissal expected\".", "Record outcome",
                          [self._allegation(aid), Field("outcome", "Outcome:", "choice", enum_options(CriminalOutcome)),
                           Field("offence", "Offence:", "text"),
                           Field("da", "", "bool", default=True, help="Domestic-abuse related"),
                           Field("indictable", "", "bool", help="Indictable-only offence"),
                           Field("sentence", "Sentence:", "text"), self._on(), *self._signer()],
                          lambda v: self._run(cw.record_criminal_outcome, v["allegation"], v["outcome"],
                                              offence=v["offence"], da_related=bool(v["da"]),
                                              indictable_only=bool(v["indictable"]), sentence=v["sentence"],
                                              approver=v.get("approver"), **self._common(v)),
                          propose=self._proposal("criminal_outcome", lambda v: {
                              "allegation_id": v["allegation"], "outcome": v["outcome"], "offence": v["offence"],
                              "da_related": bool(v["da"]), "indictable_only": bool(v["indictable"]),
                              "sentence": v["sentence"]}))

    # -- IOPC and investigating body --------------------------------------------------------
    def iopc_referral(self, aid: int | None = None) -> ActionSpec:
        grounds = [f"{a.subject}: {g}" for a in self.f.allegations for g in a.grounds]
        extra = ["Mandatory referral grounds found: " + ("; ".join(grounds) if grounds else
                 "none (a voluntary referral is always possible).")]
        return ActionSpec("iopc_referral", "IOPC referral", "The referral sent to the IOPC.", "Record referral",
                          [self._allegation(aid, whole_case=True), self._on("Date sent:"),
                           Field("reference", "IOPC reference:", "text"),
                           Field("grounds", "Further grounds:", "choices", enum_options(MandatoryGround)),
                           Field("rationale", "Rationale:", "long")],
                          lambda v: self._run(cw.record_iopc_referral, allegation_id=v["allegation"],
                                              iopc_reference=v["reference"], extra_grounds=tuple(v["grounds"]),
                                              rationale=v["rationale"], **self._common(v)), extra=extra)

    def iopc_decision(self, aid: int | None = None) -> ActionSpec:
        return ActionSpec("iopc_decision", "IOPC decision", "The IOPC's decision on the referral; the "
                          "investigation mode follows from it.", "Record decision",
                          [Field("decision", "Decision:", "choice", enum_options(IopcDecision)),
                           self._allegation(aid, whole_case=True), self._on(), Field("reference", "IOPC reference:", "text")],
                          lambda v: self._run(cw.record_iopc_decision, v["decision"], allegation_id=v["allegation"],
                                              iopc_reference=v["reference"], **self._common(v)))

    def investigating_body(self, aid: int | None = None) -> ActionSpec:
        reasons = self.f.external_reasons
        extra = ["Force guidance requires an external investigation: " + "; ".join(reasons) + ". The home force "
                 "needs an exception approved by the head of PSD."] if reasons else []
        options = [("Home force", "HOME"), ("IOPC", "IOPC")] + sorted(
            ((name, code) for code, name in self.bodies.items() if code not in ("HOME", "IOPC")), key=lambda p: p[0])
        return ActionSpec("investigating_body", "Investigating body", "Who investigates: the home force, another "
                          "force, or the IOPC.", "Assign", [Field("body", "Body:", "choice", options),
                                                            self._allegation(aid, whole_case=True), self._on(), *self._signer()],
                          lambda v: self._run(cw.assign_investigating_body, v["body"], allegation_id=v["allegation"],
                                              approver=v.get("approver"), **self._common(v)), extra=extra,
                          propose=self._proposal("investigating_body",
                                                 lambda v: {"body": v["body"], "allegation_id": v["allegation"]}))

    def external_exception(self, aid: int | None = None) -> ActionSpec:
        reasons = "; ".join(self.f.external_reasons) or "none apply today"
        return ActionSpec("external_exception", "In-force investigation against guidance",
                          "An exception to the external-investigation guidance, approved by the head of PSD.",
                          "Record exception", [Field("rationale", "Rationale:", "long"),
                                               Field("approver", "Head of PSD:", "approver"), self._on()],
                          lambda v: self._run(cw.record_external_investigation_exception, rationale=v["rationale"],
                                              approver=v["approver"], **self._common(v)),
                          extra=[f"Guidance reasons: {reasons}."])

    def external_progress(self, aid: int | None = None) -> ActionSpec:
        return ActionSpec("external_progress", "External investigation progress", "Requested, accepted (with the "
                          "other body's reference), handed over, returned — in that order.", "Record",
                          [Field("event", "Event:", "choice", enum_options(ExternalEvent)), self._on(),
                           Field("reference", "Their reference:", "text"), self._allegation(aid, whole_case=True)],
                          lambda v: self._run(cw.record_external_progress, v["event"], reference=v["reference"],
                                              allegation_id=v["allegation"], **self._common(v)))

    # -- outcomes ---------------------------------------------------------------------------
    def misconduct_outcome(self, aid: int | None = None) -> ActionSpec:
        return ActionSpec("misconduct_outcome", "Misconduct outcome", "The next step of the misconduct track; "
                          "checked against the outcome matrix (e.g. a meeting cannot dismiss).", "Record outcome",
                          [self._allegation(aid), Field("outcome", "Outcome:", "choice", enum_options(MisconductOutcome)),
                           Field("fww", "", "bool", help="A final written warning is in force"),
                           Field("multiple", "", "bool", help="Multiple unconnected incidents"),
                           Field("rationale", "Rationale:", "long"), self._on(), *self._signer()],
                          lambda v: self._run(cw.record_misconduct_outcome, v["allegation"], v["outcome"],
                                              final_written_warning_in_force=bool(v["fww"]),
                                              multiple_unconnected_incidents=bool(v["multiple"]),
                                              rationale=v["rationale"], approver=v.get("approver"), **self._common(v)),
                          propose=self._proposal("misconduct_outcome", lambda v: {
                              "allegation_id": v["allegation"], "outcome": v["outcome"],
                              "final_written_warning_in_force": bool(v["fww"]),
                              "multiple_unconnected_incidents": bool(v["multiple"]), "rationale": v["rationale"]}))

    def _people(self) -> list[tuple[str, Any]]:
        seen: dict[int, str] = {}
        for a in self.d.allegations:
            seen.setdefault(a.subject_person_id, f"{a.subject} ({a.subject_staff_number})")
        return [(name, pid) for pid, name in seen.items()]

    def list_notification(self, aid: int | None = None) -> ActionSpec:
        tasks = [t for t in self.f.tasks if t.list_status is not None and not t.done]
        extra = [f"Due: {human(t.list_status.name if t.list_status else '')} List for person {t.person_id}, "
                 f"by {day(t.due_date)} ({t.trigger})" for t in tasks]
        return ActionSpec("list_notification", "Barred or Advisory List notification", "The College of Policing "
                          "was notified.", "Record notification",
                          [Field("person", "Person:", "choice", self._people()),
                           Field("list", "List:", "choice", enum_options(ListStatus, [ListStatus.BARRED, ListStatus.ADVISORY]),
                                 tasks[0].list_status if tasks else None),
                           Field("reference", "Reference:", "text"), self._on(), *self._signer()],
                          lambda v: self._run(cw.record_list_notification, v["person"], v["list"],
                                              reference=v["reference"], approver=v.get("approver"), **self._common(v)),
                          extra=extra, propose=self._proposal("list_notification", lambda v: {
                              "person_id": v["person"], "list_status": v["list"], "reference": v["reference"]}))

    def vetting_review(self, aid: int | None = None) -> ActionSpec:
        return ActionSpec("vetting_review", "Vetting review", "The result of the vetting review of a subject.",
                          "Record review", [Field("person", "Person:", "choice", self._people()),
                                            Field("result", "Result:", "text"), self._on(), *self._signer()],
                          lambda v: self._run(cw.record_vetting_review, v["person"], result=v["result"] or "",
                                              approver=v.get("approver"), **self._common(v)),
                          propose=self._proposal("vetting_review",
                                                 lambda v: {"person_id": v["person"], "result": v["result"] or ""}))

    def pcc_report(self, aid: int | None = None) -> ActionSpec:
        return ActionSpec("pcc_report", "Report to the local policing body", "The 12-month (or further 6-month) "
                          "report on an unfinished investigation was sent.", "Record report",
                          [self._on("Date sent:"), *self._signer()],
                          lambda v: self._run(cw.record_pcc_report, approver=v.get("approver"), **self._common(v)),
                          propose=self._proposal("pcc_report", lambda v: {}))

    def victim_update(self, aid: int | None = None) -> ActionSpec:
        return ActionSpec("victim_update", "Victim update", "An update given to a victim.", "Record update",
                          [Field("victim", "Victim:", "choice", [(v.reference, v.reference) for v in self.d.victims]),
                           self._on(), Field("method", "How:", "choice",
                                             [(m.capitalize(), m) for m in ("visit", "telephone call", "letter", "email")])],
                          lambda v: self._run(cw.record_victim_update, v["victim"], method=v["method"],
                                              **self._common(v)))

    # -- team and access --------------------------------------------------------------------
    def assign_member(self, aid: int | None = None) -> ActionSpec:
        return ActionSpec("assign_member", "Assign to the case team", "Refused with the reason when the person is "
                          "not independent of the subjects and victims.", "Assign",
                          [Field("username", "User name:", "text"),
                           Field("role", "Role:", "choice", enum_options(AssignmentRole)),
                           Field("declared", "", "bool", help="They have declared no prior connection to the "
                                 "subjects or victims")],
                          lambda v: self._run(cw.assign_member, v["username"] or "", v["role"], bool(v["declared"]),
                                              expected_version=self.d.version))

    def end_assignment(self, aid: int | None = None, member: tuple[str, str] | None = None) -> ActionSpec:
        """`member`: (display name, AssignmentRole name) of the team-table row to preselect."""
        team = person_search.current_team(self.ctx.uow(), self.ctx.user, self.d.id)
        options = [(f"{m.display_name} ({m.username}) — {human(m.role.name).lower()}", i) for i, m in enumerate(team)]
        chosen = next((i for i, m in enumerate(team) if member == (m.display_name, m.role.name)), 0)

        def call(v: Values) -> Any:
            m = team[v["member"]] if v["member"] is not None else None
            return self._run(cw.end_assignment, m.username if m else "", m.role if m else AssignmentRole.INVESTIGATOR,
                             reason=v["reason"], expected_version=self.d.version)

        return ActionSpec("end_assignment", "End an assignment", "Take a member off the case team. The ending is "
                          "recorded as a decision; they keep no access to the case unless their role gives it.",
                          "End assignment", [Field("member", "Member:", "choice", options, chosen),
                                             Field("reason", "Reason:", "long")], call)

    def declare_association(self, aid: int | None = None) -> ActionSpec:
        return ActionSpec("declare_association", "Declare my association", "You are connected to a subject or a "
                          "victim of this case, or to the case. You will be taken off its team and will no longer "
                          "see it.", "Declare",
                          [Field("staff", "Colleague's staff number:", "text"),
                           Field("victim", "Or victim:", "choice", [("—", None)] + [(v.reference, v.reference)
                                                                                    for v in self.d.victims]),
                           Field("note", "Note:", "long")],
                          lambda v: cw.declare_association(self.ctx.uow(), self.ctx.user, self.d.id,
                                                           associate_staff_number=v["staff"], victim_ref=v["victim"],
                                                           note=v["note"]))

    def restrict_case(self, aid: int | None = None) -> ActionSpec:
        return ActionSpec("restrict_case", "Restrict to named users", "Only the named users (and the case team) "
                          "will see this case; you stay named.", "Restrict",
                          [Field("users", "User names (comma separated):", "text")],
                          lambda v: self._run(cw.restrict_case, (v["users"] or "").split(","),
                                              expected_version=self.d.version))

    def close_case(self, aid: int | None = None) -> ActionSpec:
        blockers = self.f.closure_blockers
        extra = ["Still to do before closing: " + "; ".join(blockers) + "."] if blockers else []
        return ActionSpec("close_case", "Close the case", "A case closes only when every allegation has a final "
                          "outcome, every restriction has ended and its notifications are done.", "Close case",
                          [self._on("Closed on:"), *self._signer()],
                          lambda v: self._run(cw.close_case, approver=v.get("approver"), **self._common(v)), extra=extra,
                          propose=self._proposal("close_case", lambda v: {}))
