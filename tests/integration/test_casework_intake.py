"""Intake and case editing through the services, on SQLite and PostgreSQL: what is saved, the
references, the creator's assignment, removing recorded victim values, and every refusal with its
message."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import select

from app.domain.enums import (
    AbuseType,
    AgeBand,
    AssignmentRole,
    CaseType,
    DashRisk,
    DecisionKind,
    ReportingRoute,
    Sex,
    VictimWorkforce,
)
from app.domain.errors import InvalidInput, NotFound, PermissionDenied, RuleRefused
from app.persistence.models import CaseMemberRow, VictimRow
from app.services import case_queries as cq
from app.services import casework as cw
from app.services import users
from app.services.casework.inputs import CLEAR
from tests.integration.test_casework_support import (
    RECEIVED,
    World,
    allegation,
    allegation_ids,
    intake,
    new_case,
    pin,
    victim,
    world,
)

__all__ = ["world"]


def test_a_new_case_is_recorded_with_its_parties_and_a_recording_decision(world: World) -> None:
    two = intake(allegation("S100", AbuseType.PHYSICAL, AbuseType.COERCIVE_CONTROL, victims=("V1", "V2")),
                 allegation("S700", AbuseType.ECONOMIC, victims=("V2",), criminal=True, crime_ref="CR/1"),
                 victims=(victim("V1", dash_risk=DashRisk.HIGH, dash_date=RECEIVED, dash_assessor="inv2",
                                 contact_details="07700 900123"),
                          victim("V2", police_workforce=VictimWorkforce.SAME_FORCE, staff_number="S600")))
    created = cw.create_case(world.uow(), world.sup, dataclasses.replace(two, crime_refs=("CR/1",)))
    assert (created.reference, created.version, created.investigator_assigned) == ("PSD-2025-000001", 1, False)
    detail = cq.open_case(world.uow(), world.sup, created.case_id)
    assert [a.subject_staff_number for a in detail.allegations] == ["S100", "S700"]
    assert detail.allegations[1].criminal and detail.allegations[1].crime_ref == "CR/1"
    assert [(v.reference, v.dash_risk, v.has_contact_details) for v in detail.victims] == [
        ("V1", "HIGH", True), ("V2", None, False)]
    assert [t.kind for t in detail.timeline] == ["RECORDING"]
    assert dict(detail.timeline[0].details) == {"recordable": "yes", "case type": "CONDUCT_MATTER"}
    with world.uow() as uow:
        v2 = uow.session.scalar(select(VictimRow).where(VictimRow.reference == "V2"))
        assert v2 is not None and v2.person_id == world.person("S600")
    assert world.log(created.reference)[0] == ("sup", "COLLECTION", "case created")


def test_references_run_on_within_the_received_year(world: World) -> None:
    assert new_case(world).reference == "PSD-2025-000001"
    assert new_case(world).reference == "PSD-2025-000002"
    assert new_case(world, received=date(2024, 12, 30)).reference == "PSD-2024-000001"


def test_a_creating_investigator_becomes_the_investigator_when_independent(world: World) -> None:
    created = new_case(world, by=world.inv)
    assert created.investigator_assigned and created.not_assigned_reason is None
    with world.uow() as uow:
        member = uow.session.scalar(select(CaseMemberRow).where(CaseMemberRow.case_id == created.case_id))
        assert member is not None and (member.user_id, member.role) == (world.inv.id, "INVESTIGATOR")
    kinds = [d.kind for d in world.decisions(created.case_id)]
    assert kinds == ["RECORDING", "ASSIGNMENT"]
    assert cq.open_case(world.uow(), world.inv, created.case_id).reference == created.reference


def test_a_creating_investigator_who_manages_the_subject_is_not_assigned(world: World) -> None:
    created = new_case(world, by=world.mgr_inv)
    assert not created.investigator_assigned
    assert created.not_assigned_reason == (
        "Jo Lane cannot be the investigator: they are the line manager of the subject Alex Carter; they work "
        "in the same unit (Response North) as the subject Alex Carter. An investigator, decision-maker or DASH "
        "assessor must have no connection to the subject or victim; choose someone independent.")
    with pytest.raises(PermissionDenied):
        cq.open_case(world.uow(), world.mgr_inv, created.case_id)


def test_a_creating_investigator_must_declare_no_prior_connection(world: World) -> None:
    created = cw.create_case(world.uow(), world.inv, intake(declare=False))
    assert not created.investigator_assigned
    assert created.not_assigned_reason is not None and "must declare having no prior connection" in \
        created.not_assigned_reason


@pytest.mark.parametrize(("who", "message"), [
    ("lead", "lead (FORCE_LEAD) may not create and edit cases, allegations and victims: this needs one of "
             "HEAD_OF_PSD, INVESTIGATOR, SUPERVISOR."),
    ("iopc", "iopc (IOPC_LIAISON) may not create and edit cases"),
])
def test_intake_is_refused_to_roles_without_case_editing(world: World, who: str, message: str) -> None:
    with pytest.raises(PermissionDenied, match=message.replace("(", r"\(").replace(")", r"\)")):
        new_case(world, by=getattr(world, who))
    with pytest.raises(PermissionDenied, match="admin \\(ADMINISTRATOR\\) may not create"):
        new_case(world, by=world.env.admin)


BAD_INTAKES = [
    ({"received": date(2025, 3, 4)}, "received_date: 2025-03-04 is in the future."),
    ({"victims": ()}, None),
    ({"allegations": (allegation(victims=("V9",)),)}, "allegations[1].victim_refs: V9 is not a victim of the case."),
    ({"allegations": (allegation(),
                       dataclasses.replace(allegation("S700"), abuse_types=frozenset()))},
     "allegations[2].abuse_types: at least one abuse type is needed."),
    ({"allegations": (allegation("S404"),)},
     "allegations[1].subject_staff_number: S404 is not in the workforce register."),
    ({"allegations": (allegation(), allegation())},
     "allegations[2].subject_staff_number: S100 already has an allegation in this case; one allegation per subject."),
    ({"allegations": (allegation(conduct_from=date(2025, 2, 1), conduct_to=date(2025, 1, 1)),)},
     "allegations[1].conduct_to: is before conduct_from."),
    ({"allegations": (allegation(crime_ref="CR/9"),)},
     "allegations[1].crime_ref: a crime reference needs the allegation marked criminal."),
    ({"victims": (victim(), victim())}, "victims[2].reference: V1 is given twice."),
    ({"victims": (victim(staff_number="S600"),)},
     "victims[1].staff_number: only a victim in the same force's workforce has a staff number here."),
    ({"victims": (victim(dash_date=RECEIVED),)},
     "victims[1].dash_date: give the DASH risk level assessed on that date."),
    ({"victims": (victim(advocate_accepted=True),)},
     "victims[1].advocate_accepted: IDVA/ISVA support can be accepted only once offered."),
    ({"victims": (victim(dash_risk=DashRisk.HIGH, dash_assessor="nobody"),)},
     "victims[1].dash_assessor: there is no active user called 'nobody'."),
    ({"victims": (victim(police_workforce=VictimWorkforce.SAME_FORCE, staff_number="S100"),)},
     "allegations[1].victim_refs: the subject of an allegation cannot also be its victim."),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INTAKES)
def test_invalid_intake_names_the_field_and_saves_nothing(world: World, changes: dict, message: str | None) -> None:  # type: ignore[type-arg]
    base = intake()
    values = {"received_date": changes.get("received", base.received_date),
              "victims": changes.get("victims", base.victims),
              "allegations": changes.get("allegations", base.allegations)}
    with pytest.raises(InvalidInput) as refused:
        cw.create_case(world.uow(), world.sup, dataclasses.replace(base, **values))
    assert refused.value.message == (message or "victims: a case needs at least one victim.")
    assert cq.count_cases(world.uow(), world.sup) == 0


def test_a_dash_assessor_must_be_independent_of_the_subject(world: World) -> None:
    bad = intake(victims=(victim(dash_risk=DashRisk.MEDIUM, dash_date=RECEIVED, dash_assessor="mgrinv"),))
    with pytest.raises(RuleRefused, match="^Jo Lane cannot be the dash assessor: they are the line manager"):
        cw.create_case(world.uow(), world.sup, bad)
    assert cq.count_cases(world.uow(), world.sup) == 0


def test_allegations_victims_and_details_are_edited_with_the_version(world: World) -> None:
    created = new_case(world)
    v = created.version
    added = cw.add_victim(world.uow(), world.sup, created.case_id, victim("V2"), expected_version=v)
    assert added.case_version == v + 1
    more = cw.add_allegation(world.uow(), world.sup, created.case_id,
                             allegation("S600", AbuseType.THREATS, victims=("V2",)), expected_version=v + 1)
    changed = cw.update_victim(world.uow(), world.sup, created.case_id, "V2",
                               cw.VictimUpdate(dash_risk=DashRisk.HIGH, dash_date=RECEIVED,
                                               contact_details="1 High Street"), expected_version=v + 2)
    cw.update_allegation(world.uow(), world.sup, created.case_id, allegation_ids(world, created.case_id)["S100"],
                         cw.AllegationUpdate(criminal=True, crime_ref="CR/7"), expected_version=v + 3)
    details = cw.update_case_details(world.uow(), world.sup, created.case_id,
                                     cw.CaseDetailsUpdate(reporting_route=ReportingRoute.MARAC,
                                                          case_type=CaseType.COMPLAINT, crime_refs=("CR/7",)),
                                     expected_version=v + 4)
    assert (changed.case_version, details.case_version) == (v + 3, v + 5)
    assert world.case(created.case_id).version == v + 5
    detail = cq.open_case(world.uow(), world.sup, created.case_id)
    assert (detail.reporting_route, detail.case_type, detail.crime_refs) == ("MARAC", "COMPLAINT", ("CR/7",))
    assert [(a.subject_staff_number, a.criminal) for a in detail.allegations] == [("S100", True), ("S600", False)]
    assert detail.victims[1].dash_risk == "HIGH" and detail.victims[1].has_contact_details
    recorded = [(d.kind, d.allegation_id) for d in world.decisions(created.case_id)]
    assert recorded[-1] == (DecisionKind.RECORDING.name, more.record_id)
    details_logged = [d for _, op, d in world.log(created.reference) if op == "ALTERATION"]
    assert details_logged == ["victim added", "allegation added", "victim updated", "allegation updated",
                              "case details updated"]


def test_contact_details_can_be_cleared_and_edits_are_checked(world: World) -> None:
    created = new_case(world, victims=(victim(contact_details="07700 900123"),))
    cw.update_victim(world.uow(), world.sup, created.case_id, "V1", cw.VictimUpdate(contact_details=""))
    assert not cq.open_case(world.uow(), world.sup, created.case_id).victims[0].has_contact_details
    with pytest.raises(NotFound, match="There is no victim V7 in case PSD-2025-000001."):
        cw.update_victim(world.uow(), world.sup, created.case_id, "V7", cw.VictimUpdate(sex=None))
    with pytest.raises(InvalidInput, match="^victim.reference: V1 is already a victim in this case.$"):
        cw.add_victim(world.uow(), world.sup, created.case_id, victim("V1"))
    with pytest.raises(InvalidInput, match="^allegation.subject_staff_number: S100 already has an allegation"):
        cw.add_allegation(world.uow(), world.sup, created.case_id, allegation("S100"))
    with pytest.raises(InvalidInput, match="^recorded_date: is before the case was received.$"):
        cw.add_allegation(world.uow(), world.sup, created.case_id, allegation("S600"),
                          recorded_date=date(2025, 3, 1))


def test_an_assigned_dash_assessor_records_the_assessment(world: World) -> None:
    created = new_case(world)
    pin(RECEIVED, 11)
    done = cw.assign_member(world.uow(), world.sup, created.case_id, "inv2", AssignmentRole.DASH_ASSESSOR, True)
    cw.update_victim(world.uow(), world.inv2, created.case_id, "V1",
                     cw.VictimUpdate(dash_risk=DashRisk.STANDARD, dash_date=RECEIVED, dash_assessor="inv2"),
                     expected_version=done.case_version)
    with world.uow() as uow:
        row = uow.session.scalar(select(VictimRow).where(VictimRow.case_id == created.case_id))
        assert row is not None and (row.dash_risk, row.dash_assessor_user_id) == ("STANDARD", world.inv2.id)
    assert [m.role for m in cq.open_case(world.uow(), world.sup, created.case_id).team] == ["DASH_ASSESSOR"]


def test_recorded_victim_values_can_be_removed_and_the_view_names_colleague_and_assessor(world: World) -> None:
    created = new_case(world, victims=(victim(police_workforce=VictimWorkforce.SAME_FORCE, staff_number="S600",
                                              sex=Sex.F, age_band=AgeBand.AGE_25_34, dash_risk=DashRisk.HIGH,
                                              dash_date=RECEIVED, dash_assessor="inv2"),))
    (shown,) = cq.open_case(world.uow(), world.sup, created.case_id).victims
    assert (shown.colleague_staff_number, shown.dash_assessor) == ("S600", "inv2")
    cw.update_victim(world.uow(), world.sup, created.case_id, "V1", cw.VictimUpdate(sex=CLEAR, age_band=CLEAR))
    (shown,) = cq.open_case(world.uow(), world.sup, created.case_id).victims
    assert (shown.sex, shown.age_band, shown.dash_risk, shown.colleague_staff_number) == (None, None, "HIGH", "S600")
    cw.update_victim(world.uow(), world.sup, created.case_id, "V1", cw.VictimUpdate(dash_risk=CLEAR))
    (shown,) = cq.open_case(world.uow(), world.sup, created.case_id).victims
    assert (shown.dash_risk, shown.dash_date, shown.dash_assessor) == (None, None, None)  # its date and assessor too
    cw.update_victim(world.uow(), world.sup, created.case_id, "V1", cw.VictimUpdate(staff_number=CLEAR))
    (shown,) = cq.open_case(world.uow(), world.sup, created.case_id).victims
    assert (shown.police_workforce, shown.colleague_staff_number) == ("SAME_FORCE", None)
    assert [d for _, op, d in world.log(created.reference) if op == "ALTERATION"] == ["victim updated"] * 3


@pytest.mark.parametrize(("changes", "message"), [
    (cw.VictimUpdate(relationship=CLEAR), "victim.relationship: cannot be cleared: give the right value instead."),  # type: ignore[arg-type]
    (cw.VictimUpdate(marac_referred=CLEAR), "victim.marac_referred: cannot be cleared: give the right value instead."),  # type: ignore[arg-type]
    (cw.VictimUpdate(dash_risk=CLEAR, dash_date=RECEIVED),
     "victim.dash_date: give the DASH risk level assessed on that date."),
    (cw.VictimUpdate(police_workforce=VictimWorkforce.NO, staff_number="S600"),
     "victim.staff_number: only a victim in the same force's workforce has a staff number here."),
    (cw.VictimUpdate(police_workforce=VictimWorkforce.SAME_FORCE, staff_number="S100"),
     "victim.staff_number: the subject of an allegation cannot also be its victim."),
])
def test_a_victim_edit_that_contradicts_itself_is_refused_and_changes_nothing(
        world: World, changes: cw.VictimUpdate, message: str) -> None:
    created = new_case(world, victims=(victim(dash_risk=DashRisk.MEDIUM, dash_date=RECEIVED),))
    with pytest.raises(InvalidInput) as refused:
        cw.update_victim(world.uow(), world.sup, created.case_id, "V1", changes)
    assert refused.value.message == message
    (shown,) = cq.open_case(world.uow(), world.sup, created.case_id).victims
    assert (shown.relationship, shown.police_workforce, shown.dash_risk) == ("FORMER_PARTNER", "NO", "MEDIUM")
    assert world.case(created.case_id).version == created.version


def test_a_colleague_victim_moved_out_of_the_same_force_loses_the_colleague_link(world: World) -> None:
    created = new_case(world, victims=(victim(police_workforce=VictimWorkforce.SAME_FORCE, staff_number="S600"),))
    cw.update_victim(world.uow(), world.sup, created.case_id, "V1",
                     cw.VictimUpdate(police_workforce=VictimWorkforce.OTHER_FORCE))
    (shown,) = cq.open_case(world.uow(), world.sup, created.case_id).victims
    assert (shown.police_workforce, shown.colleague_staff_number) == ("OTHER_FORCE", None)
    with world.uow() as uow:
        assert uow.session.scalar(select(VictimRow.person_id).where(VictimRow.case_id == created.case_id)) is None


def test_a_recorded_assessor_whose_account_was_deactivated_does_not_block_other_edits(world: World) -> None:
    created = new_case(world, victims=(victim(dash_risk=DashRisk.HIGH, dash_date=RECEIVED, dash_assessor="inv2"),))
    users.set_active(world.uow(), world.env.admin, "inv2", False)
    cw.update_victim(world.uow(), world.sup, created.case_id, "V1", cw.VictimUpdate(sex=Sex.M, dash_assessor="INV2"))
    (shown,) = cq.open_case(world.uow(), world.sup, created.case_id).victims
    assert (shown.sex, shown.dash_assessor) == ("M", "inv2")
    with pytest.raises(InvalidInput, match="^victim.dash_assessor: there is no active user called 'inv2'.$"):
        cw.add_victim(world.uow(), world.sup, created.case_id, victim("V2", dash_risk=DashRisk.HIGH,
                                                                       dash_assessor="inv2"))
