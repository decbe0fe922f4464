"""Issue 12's date findings tried through the other door: the import refuses conduct dated before
the subject's birth ("Imports accept: … conduct dated before the subject's birth"), but the same
allegation typed in the window or given to `ppda-tracker case do … add_allegation` was recorded.
One rule, whatever calls it (DOMAIN.md §3). SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.domain.enums import AbuseType, ReportingRoute, VictimRelationship
from app.services import casework as cw
from tests.journeys.psd import Psd, small_psd

MONDAY = date(2025, 3, 3)


@pytest.fixture
def psd(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Psd]:
    with small_psd(db_url, tmp_path, monkeypatch) as built:
        yield built


def test_an_added_allegation_cannot_date_conduct_before_the_subjects_birth(psd: Psd) -> None:
    psd.on(MONDAY, 9)
    case_id, _ref = psd.intake(psd.sue, "S100", received=MONDAY)
    # S700 (Bo Evans) was born on 1990-03-03.
    psd.refused("allegation.conduct_from: 1990-03-02 is before the subject's date of birth.",
                psd.do, psd.sue, case_id, "add_allegation", subject_staff_number="S700", victim_refs="V1",
                abuse_types="COERCIVE_CONTROL", conduct_from="1990-03-02")
    psd.refused("allegation.conduct_to: 1950-01-01 is before the subject's date of birth.",
                psd.do, psd.sue, case_id, "add_allegation", subject_staff_number="S700", victim_refs="V1",
                abuse_types="COERCIVE_CONTROL", conduct_to="1950-01-01")
    psd.do(psd.sue, case_id, "add_allegation", subject_staff_number="S700", victim_refs="V1",
           abuse_types="COERCIVE_CONTROL", conduct_from="1990-03-03")  # the day of birth: the boundary holds


def test_a_new_case_cannot_date_conduct_before_the_subjects_birth(psd: Psd) -> None:
    psd.on(MONDAY, 9)
    victims = (cw.VictimInput("V1", VictimRelationship.FORMER_PARTNER),)
    intake = cw.CaseIntake(MONDAY, ReportingRoute.VICTIM_DIRECT, victims,
                           (cw.AllegationInput("S700", ("V1",), frozenset({AbuseType.COERCIVE_CONTROL}),
                                               conduct_from=date(1980, 1, 1)),),
                           creator_declares_no_prior_connection=True)
    psd.refused("allegations[1].conduct_from: 1980-01-01 is before the subject's date of birth.",
                cw.create_case, psd.env.uow(), psd.sue, intake)


def test_the_psds_own_decisions_cannot_be_dated_before_the_case_was_received(psd: Psd) -> None:
    """A threshold "met" dated 1901 was recorded for a case received in 2025 (and the restriction
    decision, the reviews and the compliance report then ran from 1901). Events the PSD records but
    does not decide (an arrest, a charge) may come first; its own decisions cannot."""
    psd.on(MONDAY, 9)
    case_id, _ref = psd.intake(psd.sue, "S100", received=MONDAY)
    aid = psd.allegation(case_id, "S100")
    psd.refused("A threshold decision cannot be dated before the case was received (2025-03-03); give a date from "
                "then to today.", psd.do, psd.sue, case_id, "threshold", allegation_id=aid, on="1901-01-01")
    psd.refused("A threshold decision cannot be dated before the case was received (2025-03-03); give a date from "
                "then to today.", psd.do, psd.sue, case_id, "threshold", allegation_id=aid, on="2025-03-02")
    psd.do(psd.sue, case_id, "threshold", allegation_id=aid, on="2025-03-03")
    psd.refused("A restriction decision cannot be dated before the case was received (2025-03-03); give a date from "
                "then to today.", psd.do, psd.sue, case_id, "restriction", allegation_id=aid,
                options="RESTRICTED_DUTIES", on="2024-12-31")
