"""Need to know (DOMAIN.md §7) in the service layer, on SQLite and PostgreSQL: a user who is a
subject, a victim, a declared associate of a subject or the line manager of a subject never opens
the case nor finds it in any list, count, search, work queue or person page, and each refused
attempt is in the access log (a refused consultation naming no one); a case restricted to named
users; the IOPC liaison reads referred cases only and never victim details; the force lead and the
administrator read no case content. Every consultation and reveal is logged with its reason, and
the auditor filters the log by user, record and period and exports it."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli import main
from app.domain.enums import AccessOperation, AssignmentRole, DashRisk, Role, VictimWorkforce
from app.domain.errors import PermissionDenied
from app.domain.records import User
from app.persistence.models import AccessLogRow, VictimRow
from app.services import audit, reporting
from app.services import case_queries as cq
from app.services import casework as cw
from app.services import people_queries as pq
from app.services.access_log_export import LogFilter, export_access_log
from tests.helpers import PASSWORD
from tests.integration.test_casework_support import (
    RECEIVED,
    World,
    allegation,
    allegation_ids,
    new_case,
    pin,
    victim,
    world,
)

__all__ = ["world"]
REF1, REF2 = "PSD-2025-000001", "PSD-2025-000002"
CONTACT = "07700 900777, 9 Birch Lane"
CONNECTED = ("subject", "victim", "associate", "manager")  # each a SUPERVISOR, who would otherwise see all


@dataclass
class Scene:
    w: World
    case1: int  # subject S100 (line manager S200), victim S700 in the workforce
    case2: int  # subject S300: no one here is connected to it
    users: dict[str, User]

    def victim_id(self, case_id: int) -> int:
        with self.w.uow() as uow:
            found = uow.session.scalar(select(VictimRow.id).where(VictimRow.case_id == case_id))
            assert found is not None
            return found

    def refusals(self) -> list[tuple[str, str, str | None, str | None]]:
        with self.w.uow() as uow:
            return [(r.username, r.record_type, r.record_id, r.detail) for r in uow.session.scalars(
                select(AccessLogRow).where(AccessLogRow.detail.like("refused:%")).order_by(AccessLogRow.seq))]


@pytest.fixture
def scene(world: World) -> Scene:
    workforce_victim = victim("V1", police_workforce=VictimWorkforce.SAME_FORCE, staff_number="S700",
                              dash_risk=DashRisk.HIGH, dash_date=RECEIVED, contact_details=CONTACT)
    case1 = new_case(world, victims=(workforce_victim,)).case_id
    case2 = new_case(world, allegation("S300")).case_id
    env = world.env
    users = {"subject": env.user("subjsup", Role.SUPERVISOR, staff_number="S100"),
             "victim": env.user("victsup", Role.SUPERVISOR, staff_number="S700"),
             "associate": env.user("asocsup", Role.SUPERVISOR, staff_number="S600"),
             "manager": env.user("mgrsup", Role.SUPERVISOR, staff_number="S200"),
             "aud": env.user("aud", Role.AUDITOR)}
    cw.declare_association(world.uow(), users["associate"], associate_staff_number="S100", note="Old friends")
    aid = _allegation_id(world, case1)
    cw.record_threshold(world.uow(), world.sup, case1, aid)  # a restriction decision falls due
    cw.record_threshold(world.uow(), world.sup, case2, _allegation_id(world, case2))
    return Scene(world, case1, case2, users)


def _csv(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8").splitlines()))


def _allegation_id(w: World, case_id: int) -> int:
    return next(iter(allegation_ids(w, case_id).values()))


@pytest.mark.parametrize("who", CONNECTED)
def test_a_connected_user_never_sees_the_case_anywhere(scene: Scene, who: str) -> None:
    w, user = scene.w, scene.users[who]
    assert [r.reference for r in cq.list_cases(w.uow(), user)] == [REF2]
    for text in ("carter", "S100", REF1):
        assert cq.list_cases(w.uow(), user, cq.CaseFilter(text=text)) == []
        assert cq.count_cases(w.uow(), user, cq.CaseFilter(text=text)) == 0
    assert cq.count_cases(w.uow(), user) == 1
    assert cq.count_cases(w.uow(), user, cq.CaseFilter(risk=DashRisk.HIGH)) == 0
    assert {i.case_ref for i in w.queue(user) if i.case_id} == {REF2}
    assert [c.reference for c in pq.open_person(w.uow(), user, w.person("S100")).cases] == []
    assert {i.case_ref for i in w.queue(w.sup) if i.case_id} == {REF1, REF2}  # a supervisor who is not connected


@pytest.mark.parametrize("who", CONNECTED)
def test_a_connected_users_attempts_are_refused_and_logged_naming_no_one(scene: Scene, who: str) -> None:
    w, user = scene.w, scene.users[who]
    with pytest.raises(PermissionDenied, match=f"^You may not open case {REF1}: only its case team"):
        cq.open_case(w.uow(), user, scene.case1)
    with pytest.raises(PermissionDenied):
        cq.reveal_victim_contact(w.uow(), user, scene.victim_id(scene.case1), "Checking the address")
    with pytest.raises(PermissionDenied, match=f"^{user.username} may not change case {REF1}"):
        cw.add_victim(w.uow(), user, scene.case1, victim("V9"))
    assert scene.refusals() == [
        (user.username, "case", REF1, "refused: case opening"),
        (user.username, "victim_contact", str(scene.victim_id(scene.case1)), "refused: victim contact details"),
        (user.username, "case", REF1, "refused: case change")]
    assert w.personal_data_logged() == []
    assert [d.kind for d in w.decisions(scene.case1)] == ["RECORDING", "THRESHOLD"]  # nothing changed
    with w.uow() as uow:
        assert audit.verify_chain(uow.session).ok


def test_the_case_team_and_supervisors_read_the_case_and_each_consultation_is_logged(scene: Scene) -> None:
    w = scene.w
    cw.assign_member(w.uow(), w.sup, scene.case1, "inv", AssignmentRole.INVESTIGATOR, True)
    for reader in (w.sup, w.sup2, w.head, w.inv):
        assert cq.open_case(w.uow(), reader, scene.case1).reference == REF1
    with pytest.raises(PermissionDenied, match="only its case team"):
        cq.open_case(w.uow(), w.inv2, scene.case1)
    assert cq.reveal_victim_contact(w.uow(), w.inv, scene.victim_id(scene.case1), "Arrange a safety visit") == CONTACT
    entries = audit.search(w.uow(), scene.users["aud"], record_id=REF1)
    assert [(e.username, e.operation) for e in entries if e.operation == "CONSULTATION"] == [
        ("inv2", "CONSULTATION"), ("inv", "CONSULTATION"), ("head", "CONSULTATION"), ("sup2", "CONSULTATION"),
        ("sup", "CONSULTATION")]
    [reveal] = [e for e in audit.search(w.uow(), scene.users["aud"], record_id=str(scene.victim_id(scene.case1)))
                if e.record_type == "victim_contact"]
    assert (reveal.username, reveal.operation, reveal.reason) == ("inv", "CONSULTATION", "Arrange a safety visit")
    assert CONTACT not in (reveal.detail or "")


def test_a_case_restricted_to_named_users(scene: Scene) -> None:
    w = scene.w
    cw.restrict_case(w.uow(), w.sup, scene.case2, ["inv2"])
    assert REF2 not in [r.reference for r in cq.list_cases(w.uow(), w.sup2)]
    assert cq.count_cases(w.uow(), w.sup2) == 1 and REF2 not in {i.case_ref for i in w.queue(w.sup2)}
    with pytest.raises(PermissionDenied):
        cq.open_case(w.uow(), w.sup2, scene.case2)
    assert [r.reference for r in cq.list_cases(w.uow(), w.inv2)] == [REF2]
    assert cq.open_case(w.uow(), w.inv2, scene.case2).reference == REF2
    assert ("sup2", "case", REF2, "refused: case opening") in scene.refusals()


def test_the_iopc_liaison_reads_referred_cases_only_and_never_victim_details(scene: Scene) -> None:
    w = scene.w
    assert cq.list_cases(w.uow(), w.iopc) == []
    with pytest.raises(PermissionDenied):
        cq.open_case(w.uow(), w.iopc, scene.case1)
    cw.record_iopc_referral(w.uow(), w.iopc, scene.case1, iopc_reference="IOPC-2025-77")
    cw.record_victim_update(w.uow(), w.sup, scene.case1, "V1", method="home visit")
    [row] = cq.list_cases(w.uow(), w.iopc)
    assert (row.reference, row.risk) == (REF1, None)  # the victims' DASH risk is a victim detail
    assert cq.list_cases(w.uow(), w.sup)[-1].risk == "HIGH"
    assert cq.list_cases(w.uow(), w.iopc, cq.CaseFilter(risk=DashRisk.HIGH)) == []
    detail = cq.open_case(w.uow(), w.iopc, scene.case1)
    assert detail.victims == () and detail.victim_details_withheld
    assert "VICTIM_UPDATE" not in [t.kind for t in detail.timeline] and "home visit" not in repr(detail)
    assert "VICTIM_UPDATE" in [t.kind for t in cq.open_case(w.uow(), w.sup, scene.case1).timeline]
    with pytest.raises(PermissionDenied, match="not shown to the IOPC liaison"):
        cq.reveal_victim_contact(w.uow(), w.iopc, scene.victim_id(scene.case1), "Referral follow-up")
    assert ("iopc", "victim_contact", str(scene.victim_id(scene.case1)), "refused: victim contact details") in \
        scene.refusals()


@pytest.mark.parametrize("who", ["lead", "admin", "aud"])
def test_force_lead_administrator_and_auditor_read_no_case_content(scene: Scene, who: str, tmp_path: Path) -> None:
    w = scene.w
    user = {"lead": w.lead, "admin": w.env.admin, "aud": scene.users["aud"]}[who]
    for read in (lambda: cq.list_cases(w.uow(), user), lambda: cq.count_cases(w.uow(), user),
                 lambda: cq.case_years(w.uow(), user), lambda: cq.open_case(w.uow(), user, scene.case1),
                 lambda: cw.add_victim(w.uow(), user, scene.case1, victim("V9"))):
        with pytest.raises(PermissionDenied):
            read()
    if who == "lead":  # aggregates only
        figures = reporting.survey_return(w.uow(), user, 2025, tmp_path / "r.xlsx").figures
        assert (figures.allegations, figures.individuals) == (2, 2)  # both recorded in March 2025
    if who == "admin":
        page = pq.open_person(w.uow(), user, w.person("S100"))
        assert page.cases == () and not page.cases_shown


def test_the_auditor_filters_the_log_by_user_record_and_period_and_exports_it(scene: Scene, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    w, aud = scene.w, scene.users["aud"]
    later = RECEIVED + timedelta(days=2)
    pin(later)
    cq.open_case(w.uow(), w.sup, scene.case1)
    cq.open_case(w.uow(), w.sup2, scene.case2)
    cq.open_case(w.uow(), w.sup2, scene.case1)
    on_day = audit.search(w.uow(), aud, date_from=later, date_to=later)
    assert [(e.username, e.record_id) for e in on_day] == [("sup2", REF1), ("sup2", REF2), ("sup", REF1)]
    assert [(e.username, e.record_id, e.detail) for e in audit.search(w.uow(), aud, username="sup2", record_id=REF2)
            ] == [("sup2", REF2, "case opened")]
    assert all(e.at.date() < later for e in audit.search(w.uow(), aud, date_to=RECEIVED))
    out = tmp_path / "log.csv"
    count = export_access_log(w.uow(), aud, out, LogFilter(username="sup", record_id=REF1, date_from=later))
    rows = _csv(out)
    assert rows[0] == ["OFFICIAL-SENSITIVE"] and count == 1 and rows[2][2:5] == ["sup", "CONSULTATION", "case"]
    monkeypatch.setenv("PPDA_PASSWORD", PASSWORD)
    url = w.env.db.url.render_as_string(hide_password=False)
    cli_out = tmp_path / "cli-log.csv"
    assert main(["--db", url, "--user", "aud", "audit", "export", "--out", str(cli_out), "--for-user", "sup2",
                 "--record", REF2, "--from", later.isoformat(), "--to", later.isoformat()]) == 0
    cli_rows = _csv(cli_out)[2:]
    assert [(r[2], r[3], r[5]) for r in cli_rows] == [("sup2", "CONSULTATION", REF2)]
    assert main(["--db", url, "--user", "admin", "audit", "export", "--out", str(cli_out)]) == 1
    assert cli_out.exists() and _csv(cli_out)[2:] == cli_rows  # untouched
    exports = [e for e in audit.search(w.uow(), aud, username="aud") if e.operation == AccessOperation.DISCLOSURE.name]
    assert [e.recipient for e in exports] == ["file cli-log.csv", "file log.csv"]


def test_a_reason_given_for_opening_a_case_is_logged(scene: Scene) -> None:
    w = scene.w
    cq.open_case(w.uow(), w.sup, scene.case1, reason="  Preparing the misconduct meeting  ")
    [entry] = [e for e in audit.search(w.uow(), scene.users["aud"], username="sup", record_id=REF1)
               if e.operation == "CONSULTATION"]
    assert (entry.reason, entry.detail) == ("Preparing the misconduct meeting", "case opened")
