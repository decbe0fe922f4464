"""The rules a cases import obeys once its cases, victims and allegations exist (in the import's
own transaction, not yet committed): the same functions as the casework services, so one code
path decides (DOMAIN.md §3: "whatever calls it (UI, CLI, import)").

- Need to know: the importer may not alter a case they may not open: `visible_clause`, the
  condition that decides who may open a case, over every case the file alters, new ones included
  (a supervisor importing a case in which they are a subject, a subject's line manager …).
- Approvals: a decision the rules let nobody record alone needs the same approval through the
  import, given by an approver who signs in (never the importer) and who may see the case:
  NO_RESTRICTION (`record_restriction`: a SUPERVISOR or HEAD_OF_PSD), and the home force as
  investigating body against the force's external-investigation guidance
  (`assign_investigating_body`; with a HEAD_OF_PSD approver the import records the exception,
  `record_external_investigation_exception`, as the application would). Each is checked against
  the case as it would be with the file's earlier decisions, so a row that is fine alone but not
  with another (a HIGH-risk victim added on the next line) is refused too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from app.domain.enums import DecisionKind, RestrictionOption
from app.domain.errors import ExpectedError, RowError
from app.domain.imported import ImportedDecision
from app.domain.policy import PolicySet
from app.domain.records import CaseSnapshot, Decision, User
from app.domain.workflow import (
    Act,
    assign_investigating_body,
    external_investigation_reasons,
    record_external_investigation_exception,
    record_restriction,
    with_decisions,
)
from app.domain.workflow.investigation import has_approved_exception
from app.services.case_state import load_snapshots
from app.services.casework.common import case_row, require_approver_access
from app.services.imports.case_checks import access_message, hidden_cases
from app.services.imports.case_plan import CHUNK, RowPlan

APPROVER_HINT = ("An import needs the same approval as the application: import with an approver who signs in "
                 "(`--approver NAME`, or 'Approver signs in' in the window), never the importer; or leave the cell "
                 "empty and record the decision in the application.")


def rule_errors(session: Session, actor: User, approver: User | None, plans: list[RowPlan],
                ids: Mapping[tuple[str, int], tuple[int, int]], policies: PolicySet, now: datetime,
                source: str) -> tuple[list[RowError], dict[int, str]]:
    """Problems with the altered cases (and the cases the importer may not alter, id → reference)."""
    altering = [p for p in plans if p.alters]
    hidden = hidden_cases(session, actor, {ids[_key(p)][0] for p in altering})
    errors = [RowError(p.row.line, "case_ref", access_message(actor, p.row["case_ref"]))
              for p in altering if ids[_key(p)][0] in hidden]
    gated: dict[int, list[RowPlan]] = defaultdict(list)
    for p in altering:
        if ids[_key(p)][0] not in hidden and any(_gated(d) for d in p.decisions):
            gated[ids[_key(p)][0]].append(p)
    checker = _Checker(session, Act(actor, now), approver, policies, source)
    case_ids = sorted(gated)
    for i in range(0, len(case_ids), CHUNK):
        for cid, snapshot in load_snapshots(session, case_ids[i : i + CHUNK]).items():
            errors += checker.case(snapshot, gated[cid], ids)
    return errors, hidden


def _key(p: RowPlan) -> tuple[str, int]:
    return (p.row["case_ref"], p.subject.id)


def _gated(d: ImportedDecision) -> bool:
    if d.kind == DecisionKind.RESTRICTION:
        return RestrictionOption.NO_RESTRICTION.name in d.payload.get("options", ())
    return d.kind == DecisionKind.INVESTIGATING_BODY


class _Checker:
    def __init__(self, session: Session, act: Act, approver: User | None, policies: PolicySet, source: str) -> None:
        self.session, self.act, self.approver, self.policies, self.source = session, act, approver, policies, source

    def case(self, snapshot: CaseSnapshot, plans: Iterable[RowPlan],
             ids: Mapping[tuple[str, int], tuple[int, int]]) -> list[RowError]:
        errors: list[RowError] = []
        preview = snapshot
        for p in plans:
            aid = ids[_key(p)][1]
            for i, d in enumerate(p.decisions):
                try:
                    preview = self._check(preview, p, i, d, aid)
                except ExpectedError as refused:
                    column = "restrictions" if d.kind == DecisionKind.RESTRICTION else "investigating_body"
                    hint = f" {APPROVER_HINT}" if "approv" in refused.message.lower() else ""
                    errors.append(RowError(p.row.line, column, refused.message + hint))
                preview = with_decisions(preview, [self._record(d, aid, p, i)])
        return errors

    def _check(self, preview: CaseSnapshot, p: RowPlan, i: int, d: ImportedDecision, aid: int) -> CaseSnapshot:
        if not _gated(d):
            return preview
        if d.kind == DecisionKind.RESTRICTION:
            record_restriction(preview, self.act, aid, [RestrictionOption.NO_RESTRICTION], rationale=d.rationale,
                               approver=self.approver, on=d.effective_date)
            self._approver_sees(preview)
            p.approved.add(i)
            return preview
        body = str(d.payload["body"])
        reasons = external_investigation_reasons(preview, self.policies, d.effective_date) if body == "HOME" else []
        if reasons and self.approver is not None and not has_approved_exception(preview):
            made = record_external_investigation_exception(preview, self.act, self.policies, rationale=d.rationale,
                                                            approver=self.approver, on=d.effective_date)
            self._approver_sees(preview)
            exception = ImportedDecision(made.kind, dict(made.payload), made.effective_date, d.rationale)
            p.exception_before[i] = exception
            preview = with_decisions(preview, [self._decision(exception, None, approved=True)])
        assign_investigating_body(preview, self.act, body, self.policies, allegation_id=aid, on=d.effective_date)
        return preview

    def _approver_sees(self, preview: CaseSnapshot) -> None:
        assert self.approver is not None
        require_approver_access(self.session, self.approver, case_row(self.session, preview.case.id or 0))

    def _record(self, d: ImportedDecision, aid: int, p: RowPlan, i: int) -> Decision:
        return self._decision(d, aid, approved=i in p.approved)

    def _decision(self, d: ImportedDecision, aid: int | None, *, approved: bool) -> Decision:
        approver = self.approver if approved else None
        return Decision(None, d.kind, dict(d.payload), None, self.act.at, d.effective_date, allegation_id=aid,
                        rationale=d.rationale, approved_by=approver.id if approver else None,
                        approved_at=self.act.at if approver else None, imported_from=self.source,
                        imported_by=self.act.user.id)

