"""Actions on a person's page, as data for app.ui.dialogs.decision_form.DecisionDialog: recording
that they left the force (app.services.casework.record_leaving, which decides what is allowed and
re-derives the due items of their open cases, e.g. an Advisory List notification)."""

from __future__ import annotations

from app.domain.enums import EmploymentStatus
from app.services import casework as cw
from app.services.casework.people import LEAVING
from app.services.people_queries import PersonDetail
from app.ui.context import AppContext, Change
from app.ui.dialogs.decision_form import ActionSpec, Field, enum_options
from app.ui.labels import human


def leaving(ctx: AppContext, p: PersonDetail) -> ActionSpec:
    def changed(result: cw.LeavingRecorded) -> Change:
        return Change.CASES if result.open_cases else Change.PEOPLE  # CASES refreshes the people views too

    return ActionSpec("record_leaving", "Record leaving the force", "They resigned, retired, were dismissed or "
                      "transferred out. Record it once it has happened; the due items of any open case in which "
                      "they are a subject follow from it (e.g. an Advisory List notification).", "Record leaving",
                      [Field("status", "Left by:", "choice", enum_options(EmploymentStatus, LEAVING)),
                       Field("end_date", "Left on:", "date")],
                      lambda v: cw.record_leaving(ctx.uow(), ctx.user, p.staff_number, v["status"], v["end_date"]),
                      extra=[f"{p.surname}, {p.forenames} ({p.staff_number}) "
                             f"— now {human(p.employment_status).lower()}."],
                      changed=changed)
