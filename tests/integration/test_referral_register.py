"""The IOPC liaison's referral register on both databases: every referral in the period, in words,
on the cases the user may open, without victim details, logged as a disclosure to the IOPC."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.domain.enums import IopcDecision, Role
from app.domain.errors import InvalidInput, PermissionDenied
from app.persistence.models import AccessLogRow, CaseRow
from app.services import casework, referrals
from tests.helpers import Env
from tests.integration.test_reporting_service import env  # noqa: F401  (the shared fixture)


def _case(where: Env, reference: str) -> int:
    with where.uow() as uow:
        found = uow.session.scalar(select(CaseRow.id).where(CaseRow.reference == reference))
    assert found is not None
    return found


def test_the_register_lists_each_referred_allegation_in_words(env: Env, tmp_path: Path) -> None:  # noqa: F811
    head = env.user("head9", Role.HEAD_OF_PSD)
    case = _case(env, "PSD-2024-000001")
    casework.record_iopc_referral(env.uow(), head, case, on=date(2024, 5, 7), iopc_reference="IOPC-77")
    casework.record_iopc_decision(env.uow(), head, case, IopcDecision.LOCAL_INVESTIGATION, on=date(2024, 5, 20))
    liaison = env.user("liaison9", Role.IOPC_LIAISON)
    out = tmp_path / "referrals.xlsx"
    rows = referrals.export_referral_register(env.uow(), liaison, date(2024, 4, 1), date(2025, 3, 31), out)
    assert [r.case_ref for r in rows] == ["PSD-2024-000001"] * 2  # a whole-case referral: both allegations
    first = rows[0]
    assert first.referred_on == date(2024, 5, 7) and first.iopc_reference == "IOPC-77"
    assert (first.decision, first.decision_on, first.mode) == ("Local investigation", date(2024, 5, 20),
                                                               "Local investigation")
    assert first.investigating_body == "Home force" and first.state == "Open: under investigation"
    sheet = openpyxl.load_workbook(out)["Referrals"]
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "Mandatory grounds or voluntary" in cells and "Local investigation" in cells
    assert not any(c == "V1" or "LOCAL_INVESTIGATION" in c for c in cells)  # no victim reference, no codes
    assert sheet.print_title_rows == "$5:$5" and sheet.oddHeader.center.text == "OFFICIAL-SENSITIVE"
    with env.uow() as uow:
        entry = uow.session.scalar(select(AccessLogRow).where(AccessLogRow.record_type == "referral_register"))
        assert entry is not None and entry.operation == "DISCLOSURE" and entry.recipient.startswith("IOPC")
    assert referrals.referral_register(env.uow(), liaison, date(2024, 6, 1), date(2025, 3, 31)) == []


def test_who_may_export_the_register(env: Env) -> None:  # noqa: F811
    for name, role in (("lead9", Role.FORCE_LEAD), ("inv9", Role.INVESTIGATOR), ("aud9", Role.AUDITOR)):
        with pytest.raises(PermissionDenied, match="IOPC referral register"):
            referrals.referral_register(env.uow(), env.user(name, role), date(2024, 4, 1), date(2025, 3, 31))
    supervisor = env.user("sup9", Role.SUPERVISOR)
    assert referrals.referral_register(env.uow(), supervisor, date(2024, 4, 1), date(2025, 3, 31)) == []
    with pytest.raises(InvalidInput, match="is after"):
        referrals.referral_register(env.uow(), supervisor, date(2025, 4, 1), date(2024, 4, 1))
