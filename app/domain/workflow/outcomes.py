"""Misconduct-track outcomes checked against the outcome matrix (research notes §1.6).

Stages, in order: determination (case to answer) -> proceedings -> finding -> disciplinary
action. In-app decisions must follow the stages in order; imported outcomes (`strict=False`)
may skip stages, but what is present must still be consistent. The matrix:
- a misconduct meeting deals with misconduct only: it cannot find gross misconduct, and its
  actions are WRITTEN_WARNING or FINAL_WRITTEN_WARNING (it cannot dismiss);
- at a hearing, after a misconduct finding: WW or FWW; REDUCTION_IN_RANK or
  DISMISSAL_WITHOUT_NOTICE only if an FWW was in force or the finding rests on more than one
  incident not closely connected; after a gross misconduct finding: FWW, RIR or dismissal;
- WOULD_HAVE_BEEN_DISMISSED only for someone who has left, after a gross misconduct finding;
  someone who has left cannot be given a warning, reduction in rank or dismissal;
- MANAGEMENT_ACTION only for police staff, PCSOs and volunteers, where MANAGEMENT_ACTION_ALLOWED;
- MANAGEMENT_ADVICE only on cases received before 1 February 2020 and imported;
- after a conviction for an indictable-only offence only gross misconduct is possible.

Payload MISCONDUCT_OUTCOME `{"outcome": MisconductOutcome name, "stage": Stage name,
"final_written_warning_in_force": bool, "multiple_unconnected_incidents": bool}` —
allegation_id set; one decision per value; effective_date is the outcome date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.calendar import add_working_days
from app.domain.enums import FINAL_MISCONDUCT_OUTCOMES, CriminalOutcome, DecisionKind
from app.domain.enums import MisconductOutcome as O
from app.domain.errors import RuleRefused
from app.domain.policy import PolicyName, PolicySet
from app.domain.records import CaseSnapshot, Decision
from app.domain.workflow.common import Act, allegation_of, make_decision, own_history, require_open, subject_of
from app.domain.workflow.criminal import events, has_indictable_only_conviction

REGIME_2020 = date(2020, 2, 1)


class Stage(StrEnum):
    DETERMINATION = "DETERMINATION"
    PROCEEDINGS = "PROCEEDINGS"
    FINDING = "FINDING"
    ACTION = "ACTION"
    OTHER = "OTHER"


STAGE_OF: dict[O, Stage] = {
    **dict.fromkeys((O.CASE_TO_ANSWER_MISCONDUCT, O.CASE_TO_ANSWER_GROSS_MISCONDUCT,
                     O.NO_CASE_TO_ANSWER), Stage.DETERMINATION),
    **dict.fromkeys((O.MISCONDUCT_MEETING, O.MISCONDUCT_HEARING,
                     O.ACCELERATED_MISCONDUCT_HEARING), Stage.PROCEEDINGS),
    **dict.fromkeys((O.NOT_PROVEN, O.MISCONDUCT, O.GROSS_MISCONDUCT), Stage.FINDING),
    **dict.fromkeys((O.WRITTEN_WARNING, O.FINAL_WRITTEN_WARNING, O.REDUCTION_IN_RANK,
                     O.DISMISSAL_WITHOUT_NOTICE), Stage.ACTION),
}
DISMISSALS = frozenset({O.DISMISSAL_WITHOUT_NOTICE, O.WOULD_HAVE_BEEN_DISMISSED})
_AFTER_FINAL = frozenset({O.REFLECTIVE_PRACTICE})  # RPRP may follow no case / not proven


def stage_of(outcome: O) -> Stage:
    return STAGE_OF.get(outcome, Stage.OTHER)


@dataclass(frozen=True)
class OutcomeContext:
    """What the matrix needs to know besides the outcomes themselves."""

    statutory: bool = True  # officer or special constable
    has_left: bool = False
    pre_2020_import: bool = False
    management_action_allowed: bool = True
    final_written_warning_in_force: bool = False
    multiple_unconnected_incidents: bool = False
    indictable_only_conviction: bool = False
    strict: bool = True


@dataclass
class _Track:
    determination: O | None = None
    proceedings: O | None = None
    finding: O | None = None
    final: O | None = None


def _advance(track: _Track, outcome: O) -> None:
    stage = stage_of(outcome)
    if stage == Stage.DETERMINATION:
        track.determination = outcome
    elif stage == Stage.PROCEEDINGS:
        track.proceedings = outcome
    elif stage == Stage.FINDING:
        track.finding = outcome
    if outcome in FINAL_MISCONDUCT_OUTCOMES:
        track.final = outcome


def check_outcome_sequence(outcomes: Iterable[O], ctx: OutcomeContext) -> None:
    """Refuse the first outcome that the matrix does not allow after those before it."""
    track = _Track()
    for outcome in outcomes:
        _check_one(outcome, track, ctx)
        _advance(track, outcome)


def check_next_outcome(past: Iterable[O], outcome: O, ctx: OutcomeContext) -> None:
    """Check only `outcome`, after `past` (already recorded, so not judged again)."""
    track = _Track()
    for earlier in past:
        _advance(track, earlier)
    _check_one(outcome, track, ctx)


def _check_one(o: O, track: _Track, ctx: OutcomeContext) -> None:
    if track.final is not None and not (o in _AFTER_FINAL and track.final in (O.NO_CASE_TO_ANSWER, O.NOT_PROVEN)):
        raise RuleRefused(f"The allegation already has a final outcome ({track.final.name}); "
                          f"{o.name} cannot follow it.")
    _check_special(o, track, ctx)
    stage = stage_of(o)
    if stage == Stage.DETERMINATION:
        _check_determination(o, track, ctx)
    elif stage == Stage.PROCEEDINGS:
        _check_proceedings(o, track, ctx)
    elif stage == Stage.FINDING:
        _check_finding(o, track, ctx)
    elif stage == Stage.ACTION:
        _check_action(o, track, ctx)


def _check_special(o: O, track: _Track, ctx: OutcomeContext) -> None:
    if o == O.MANAGEMENT_ADVICE and not ctx.pre_2020_import:
        raise RuleRefused("MANAGEMENT_ADVICE was abolished on 1 February 2020; it is kept only for "
                          "imported cases received before then. Use REFLECTIVE_PRACTICE instead.")
    if o == O.MANAGEMENT_ACTION and (ctx.statutory or not ctx.management_action_allowed):
        raise RuleRefused("MANAGEMENT_ACTION is only for police staff, PCSOs and volunteers under "
                          "the force's staff process, where force policy allows it.")
    if o == O.WOULD_HAVE_BEEN_DISMISSED:
        if not ctx.has_left:
            raise RuleRefused("WOULD_HAVE_BEEN_DISMISSED is only for someone who has left the force; "
                              "a serving subject is dismissed (DISMISSAL_WITHOUT_NOTICE).")
        if track.finding not in (O.GROSS_MISCONDUCT, None) or (ctx.strict and track.finding is None):
            raise RuleRefused("WOULD_HAVE_BEEN_DISMISSED needs a finding of GROSS_MISCONDUCT first.")
    if o == O.REFLECTIVE_PRACTICE and track.finding == O.GROSS_MISCONDUCT:
        raise RuleRefused("REFLECTIVE_PRACTICE cannot follow a gross misconduct finding; record "
                          "the disciplinary action.")


def _check_determination(o: O, track: _Track, ctx: OutcomeContext) -> None:
    if track.determination is not None:
        raise RuleRefused(f"Case to answer is already determined ({track.determination.name}).")
    if ctx.indictable_only_conviction and o != O.CASE_TO_ANSWER_GROSS_MISCONDUCT:
        raise RuleRefused("A conviction for an indictable-only offence is always gross misconduct: "
                          "the determination must be CASE_TO_ANSWER_GROSS_MISCONDUCT.")


def _check_proceedings(o: O, track: _Track, ctx: OutcomeContext) -> None:
    if track.proceedings is not None:
        raise RuleRefused(f"Proceedings are already recorded ({track.proceedings.name}).")
    if ctx.strict and track.determination is None:
        raise RuleRefused(f"{o.name} needs a case to answer determined first.")
    if o == O.MISCONDUCT_MEETING and (
        track.determination == O.CASE_TO_ANSWER_GROSS_MISCONDUCT or ctx.indictable_only_conviction
    ):
        raise RuleRefused("A misconduct meeting deals only with misconduct; a case to answer for "
                          "gross misconduct goes to a hearing or an accelerated hearing.")
    if o == O.ACCELERATED_MISCONDUCT_HEARING and track.determination == O.CASE_TO_ANSWER_MISCONDUCT:
        raise RuleRefused("An accelerated misconduct hearing is only for gross misconduct "
                          "(CASE_TO_ANSWER_GROSS_MISCONDUCT).")


def _check_finding(o: O, track: _Track, ctx: OutcomeContext) -> None:
    if track.finding is not None:
        raise RuleRefused(f"A finding is already recorded ({track.finding.name}).")
    if ctx.strict and track.proceedings is None:
        raise RuleRefused(f"A finding of {o.name} needs the proceedings (meeting or hearing) first.")
    if o == O.GROSS_MISCONDUCT and track.proceedings == O.MISCONDUCT_MEETING:
        raise RuleRefused("A misconduct meeting cannot find gross misconduct.")
    if o == O.GROSS_MISCONDUCT and track.determination == O.CASE_TO_ANSWER_MISCONDUCT:
        raise RuleRefused("Gross misconduct cannot be found on a case to answer for misconduct only.")
    if ctx.indictable_only_conviction and o != O.GROSS_MISCONDUCT:
        raise RuleRefused("A conviction for an indictable-only offence is always gross misconduct: "
                          "the finding must be GROSS_MISCONDUCT.")


def _check_action(o: O, track: _Track, ctx: OutcomeContext) -> None:
    if ctx.has_left and ctx.strict:  # an imported action may predate the leaving
        raise RuleRefused(f"{o.name} cannot be given to someone who has left the force; after a "
                          "gross misconduct finding record WOULD_HAVE_BEEN_DISMISSED.")
    if track.finding == O.NOT_PROVEN or (ctx.strict and track.finding is None):
        raise RuleRefused(f"{o.name} needs a finding of MISCONDUCT or GROSS_MISCONDUCT first.")
    severe = o in (O.REDUCTION_IN_RANK, O.DISMISSAL_WITHOUT_NOTICE)
    if track.proceedings == O.MISCONDUCT_MEETING and severe:
        raise RuleRefused(f"A misconduct meeting cannot impose {o.name}; its outcomes are "
                          "WRITTEN_WARNING or FINAL_WRITTEN_WARNING.")
    if track.finding == O.GROSS_MISCONDUCT and o == O.WRITTEN_WARNING:
        raise RuleRefused("After a gross misconduct finding the action is FINAL_WRITTEN_WARNING, "
                          "REDUCTION_IN_RANK or DISMISSAL_WITHOUT_NOTICE.")
    conditions = ctx.final_written_warning_in_force or ctx.multiple_unconnected_incidents
    if track.finding == O.MISCONDUCT and severe and not conditions:
        raise RuleRefused(f"{o.name} after a misconduct (not gross) finding needs a final written "
                          "warning in force, or a finding resting on more than one incident not "
                          "closely connected.")


def context_for(snapshot: CaseSnapshot, allegation_id: int, policies: PolicySet, **given: bool) -> OutcomeContext:
    subject = subject_of(snapshot, allegation_of(snapshot, allegation_id))
    on = snapshot.case.received_date
    return OutcomeContext(
        statutory=subject.workforce_type.statutory_conduct if subject else True,
        has_left=subject.employment_status.has_left if subject else False,
        management_action_allowed=policies.bool_on(PolicyName.MANAGEMENT_ACTION_ALLOWED, on),
        indictable_only_conviction=has_indictable_only_conviction(snapshot, allegation_id, policies),
        **given,
    )


def outcome_decisions(snapshot: CaseSnapshot, allegation_id: int) -> list[Decision]:
    return own_history(snapshot, [DecisionKind.MISCONDUCT_OUTCOME], allegation_id)


def misconduct_outcomes(snapshot: CaseSnapshot, allegation_id: int) -> list[O]:
    return [O[d.payload["outcome"]] for d in outcome_decisions(snapshot, allegation_id)]


def final_outcome(snapshot: CaseSnapshot, allegation_id: int) -> Decision | None:
    """The latest MISCONDUCT_OUTCOME decision with a final value, if any."""
    final = [d for d in outcome_decisions(snapshot, allegation_id)
             if O[d.payload["outcome"]] in FINAL_MISCONDUCT_OUTCOMES]
    return final[-1] if final else None


def record_misconduct_outcome(
    snapshot: CaseSnapshot, act: Act, allegation_id: int, outcome: O, policies: PolicySet, *,
    on: date | None = None, final_written_warning_in_force: bool = False,
    multiple_unconnected_incidents: bool = False, rationale: str | None = None,
) -> Decision:
    """Record the next misconduct-track value for the allegation, checked against the matrix."""
    require_open(snapshot)
    ctx = context_for(snapshot, allegation_id, policies,
                      final_written_warning_in_force=final_written_warning_in_force,
                      multiple_unconnected_incidents=multiple_unconnected_incidents)
    earlier = outcome_decisions(snapshot, allegation_id)
    check_next_outcome([O[d.payload["outcome"]] for d in earlier], outcome, ctx)
    payload = {"outcome": outcome.name, "stage": stage_of(outcome).name,
               "final_written_warning_in_force": final_written_warning_in_force,
               "multiple_unconnected_incidents": multiple_unconnected_incidents}
    made = make_decision(DecisionKind.MISCONDUCT_OUTCOME, act, payload, on=on,
                         allegation_id=allegation_id, rationale=rationale)
    if earlier and made.effective_date < earlier[-1].effective_date:
        raise RuleRefused(f"{outcome.name} cannot be dated before the previous outcome "
                          f"({earlier[-1].effective_date.isoformat()}).")
    return made



@dataclass(frozen=True)
class DismissalExpected:
    """A conviction flags the case "dismissal expected": an accelerated hearing is due."""

    allegation_id: int
    convicted_on: date
    offence: str | None
    accelerated_hearing_due: date


def dismissal_expected(snapshot: CaseSnapshot, policies: PolicySet) -> list[DismissalExpected]:
    """Convicted allegations whose misconduct track has not reached a final outcome."""
    found = []
    for allegation in snapshot.allegations:
        aid = allegation.id
        if aid is None or final_outcome(snapshot, aid) is not None:
            continue
        for conviction in events(snapshot, aid, CriminalOutcome.CONVICTED):
            on = conviction.effective_date
            days = policies.int_on(PolicyName.ACCELERATED_HEARING_DUE_WORKING_DAYS, on)
            found.append(DismissalExpected(aid, on, conviction.payload.get("offence"),
                                           add_working_days(on, days)))
    return found
