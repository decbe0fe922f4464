"""Allegation facts and return contexts with sane defaults, for the reporting tests."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from typing import Any

from app.domain.enums import AbuseType, GuidanceCoverage, WorkforceType
from app.reports.read_models import AllegationFact, Period, ReturnContext

YEAR = 2024
PERIOD = Period.survey_year(YEAR)


class FactFactory:
    """`fact(subject=1, recorded=date(...), **fields)`: a new allegation (new id) each call."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    def __call__(self, subject: int = 1, recorded: date = date(2023, 6, 1), **fields: Any) -> AllegationFact:
        allegation_id = next(self._ids)
        values: dict[str, Any] = {
            "case_ref": f"PSD-{recorded.year}-{allegation_id:06d}",
            "allegation_id": allegation_id,
            "subject_id": subject,
            "subject_staff_number": f"S{subject:05d}",
            "received_date": recorded,
            "recorded_date": recorded,
            "workforce_type": WorkforceType.POLICE_OFFICER,
            "abuse_types": frozenset({AbuseType.PHYSICAL}),
        }
        values.update(fields)
        return AllegationFact(**values)


def make_context(**fields: Any) -> ReturnContext:
    values: dict[str, Any] = {
        "force_code": "kent",
        "force_name": "Kent Police",
        "period": PERIOD,
        "exported_by": "jsmith",
        "exported_at": datetime(YEAR, 5, 2, 14, 30, 5),
        "systems_used": "Centurion",
        "headcount": 8000,
        "role_restriction_guidance": GuidanceCoverage.SOME,
        "external_investigation_guidance": GuidanceCoverage.NONE,
    }
    values.update(fields)
    return ReturnContext(**values)
