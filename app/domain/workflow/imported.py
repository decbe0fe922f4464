"""The outcome matrix applied to an imported case row (FORMATS.md "Cases").

The importer (app/domain/imported.py builds the imported decisions) calls
`check_imported_outcomes` while validating a row, so that an import obeys the same matrix as the
application ("whatever calls it: UI, CLI, import"). Imported outcomes may skip stages and their
cell order does not matter (they are put in stage order); what is there must be consistent.
Facts a row cannot state (a final written warning in force, several unconnected incidents) are
given the benefit of the doubt. MANAGEMENT_ADVICE is accepted only for allegations recorded
before 1 February 2020.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from app.domain.enums import MisconductOutcome
from app.domain.errors import RuleRefused
from app.domain.policy import PolicyName, PolicySet
from app.domain.records import Person
from app.domain.workflow.outcomes import REGIME_2020, OutcomeContext, Stage, check_outcome_sequence, stage_of

COLUMN = "misconduct_outcomes"
_STAGE_ORDER = list(Stage)


class ImportedRowProblem(RuleRefused):
    """A refusal about one cell of an imported row; `column` names it."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def in_stage_order(outcomes: Iterable[MisconductOutcome]) -> list[MisconductOutcome]:
    return sorted(outcomes, key=lambda o: _STAGE_ORDER.index(stage_of(o)))


def check_imported_outcomes(outcomes: Iterable[MisconductOutcome], subject: Person, recorded_date: date,
                            policies: PolicySet) -> None:
    """Refuse (ImportedRowProblem on `misconduct_outcomes`) outcomes the matrix does not allow."""
    ctx = OutcomeContext(
        statutory=subject.workforce_type.statutory_conduct,
        has_left=subject.employment_status.has_left,
        pre_2020_import=recorded_date < REGIME_2020,
        management_action_allowed=policies.bool_on(PolicyName.MANAGEMENT_ACTION_ALLOWED, recorded_date),
        final_written_warning_in_force=True,
        multiple_unconnected_incidents=True,
        strict=False,
    )
    try:
        check_outcome_sequence(in_stage_order(outcomes), ctx)
    except RuleRefused as refused:
        raise ImportedRowProblem(COLUMN, refused.message) from None
