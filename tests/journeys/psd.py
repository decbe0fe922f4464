"""The smallest real PSD, for the journeys: one investigator (Ian), one supervisor (Sue), one head
of PSD (Hal) and one IOPC liaison (Lia), over a small workforce register — and the steps they take,
each through the services (the registry's `perform`, `propose`, `approve`), with the clock pinned.

A refused step asserts the exact reason the person is shown and that nothing was recorded."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.domain.enums import DueItemKind, ReportingRoute, Role, VictimRelationship
from app.domain.errors import ExpectedError
from app.domain.records import User
from app.persistence.models import AccessLogRow, AllegationRow, CaseRow, DecisionRow, PersonRow, UserRow
from app.services import actions, audit, clock, users
from app.services import casework as cw
from app.services.actions import Availability
from app.services.imports.workforce import import_workforce
from app.services.queue import QueueItem, work_queue
from tests.helpers import PASSWORD, Env, force_env, write_csv
from tests.integration.test_casework_support import WORKFORCE, WORKFORCE_HEADER

HEADER = WORKFORCE_HEADER
REGISTER = [*WORKFORCE[:6],  # the executive, command, a response team, the safeguarding hub, the control room
            ["S500", "Innes", "Ian", "1980-04-04", "POLICE_OFFICER", "DC", "PSD", "S210", "", "2003-01-01"],
            ["S210", "Sutton", "Sue", "1975-06-06", "POLICE_OFFICER", "Insp", "PSD", "S220", "", "1998-01-01"],
            ["S220", "Hughes", "Hal", "1970-07-07", "POLICE_OFFICER", "Supt", "PSD", "", "", "1992-01-01"]]
WORDS = {w for row in REGISTER for w in row[1:3]}


@dataclass
class Psd:
    env: Env
    ian: User  # INVESTIGATOR
    sue: User  # SUPERVISOR
    hal: User  # HEAD_OF_PSD
    lia: User  # IOPC_LIAISON
    people: dict[str, int] = field(default_factory=dict)

    # -- the clock -----------------------------------------------------------------------------
    @staticmethod
    def on(day: date, hour: int = 10) -> None:
        clock.pin(datetime.combine(day, time(hour)))

    # -- steps -------------------------------------------------------------------------------------
    def intake(self, by: User, *subjects: str, criminal: bool = False, received: date,
               abuse: tuple[str, ...] = ("COERCIVE_CONTROL",), features: tuple[str, ...] = ()) -> tuple[int, str]:
        """A case reported by the victim V1, one allegation per subject; (case id, reference)."""
        from app.domain.enums import AbuseType, AggravatingFeature

        allegations = tuple(cw.AllegationInput(
            s, ("V1",), frozenset(AbuseType[a] for a in abuse), frozenset(AggravatingFeature[f] for f in features),
            conduct_from=received, criminal=criminal, crime_ref="CR/1" if criminal else None) for s in subjects)
        created = cw.create_case(self.env.uow(), by, cw.CaseIntake(
            received, ReportingRoute.VICTIM_DIRECT, (cw.VictimInput("V1", VictimRelationship.FORMER_PARTNER),),
            allegations, creator_declares_no_prior_connection=True))
        return created.case_id, created.reference

    def do(self, who: User, case_id: int, action: str, approver: User | None = None, **args: Any) -> Any:
        return actions.perform(self.env.uow(), who, case_id, action, args, approver=approver)

    def propose(self, who: User, case_id: int, action: str, **args: Any) -> int:
        return actions.propose(self.env.uow(), who, case_id, action, args).proposal_id

    def approve(self, who: User, proposal_id: int) -> Any:
        return actions.approve(self.env.uow(), who, proposal_id)

    def refused(self, message: str, step: Any, *step_args: Any, **step_kwargs: Any) -> None:
        """`step(*step_args, **step_kwargs)` is refused with exactly `message`, recording nothing."""
        before = self._decision_ids()
        with pytest.raises(ExpectedError) as refusal:
            step(*step_args, **step_kwargs)
        assert refusal.value.message == message
        assert self._decision_ids() == before

    # -- what the people see -----------------------------------------------------------------------
    def may(self, who: User, case_id: int) -> dict[str, Availability]:
        return actions.by_name(actions.available_actions(self.env.uow(), who, case_id))

    def due(self, who: User, reference: str, *, everyone: bool = True) -> dict[DueItemKind, QueueItem]:
        return {i.item: i for i in work_queue(self.env.uow(), who, everyone=everyone) if i.case_ref == reference}

    def waiting(self, who: User) -> list[actions.ProposalView]:
        return actions.pending_for(self.env.uow(), who)

    # -- what was recorded -------------------------------------------------------------------------
    def _decision_ids(self) -> list[int]:
        with self.env.uow() as uow:
            return list(uow.session.scalars(select(DecisionRow.id).order_by(DecisionRow.id)))

    def last(self, case_id: int, kind: str) -> DecisionRow:
        with self.env.uow() as uow:
            row = uow.session.scalars(select(DecisionRow).where(
                DecisionRow.case_id == case_id, DecisionRow.kind == kind).order_by(DecisionRow.id.desc())).first()
            assert row is not None, kind
            uow.session.expunge(row)
            return row

    def who(self, row: DecisionRow) -> tuple[str | None, str | None, str | None]:
        """(proposed by, decided by, approved by) of a decision, as user names."""
        names = self._usernames()
        proposer = row.payload.get("proposed_by")
        return (names.get(proposer) if proposer else None, names.get(row.decided_by),
                names.get(row.approved_by) if row.approved_by else None)

    def _usernames(self) -> dict[int, str]:
        with self.env.uow() as uow:
            return dict(uow.session.execute(select(UserRow.id, UserRow.username)).all())

    def case(self, case_id: int) -> CaseRow:
        with self.env.uow() as uow:
            row = uow.session.get(CaseRow, case_id)
            assert row is not None
            uow.session.expunge(row)
            return row

    def allegation(self, case_id: int, staff_number: str = "S100") -> int:
        with self.env.uow() as uow:
            found = uow.session.scalar(select(AllegationRow.id).join(PersonRow,
                                                                     PersonRow.id == AllegationRow.subject_id)
                                       .where(AllegationRow.case_id == case_id, PersonRow.staff_number == staff_number))
        assert found is not None
        return found

    def status_of(self, staff_number: str) -> tuple[str, str]:
        with self.env.uow() as uow:
            row = uow.session.scalar(select(PersonRow).where(PersonRow.staff_number == staff_number))
            assert row is not None
            return row.employment_status, row.list_status

    def log(self, reference: str) -> list[tuple[str, str, str | None]]:
        with self.env.uow() as uow:
            return [(r.username, r.operation, r.detail) for r in uow.session.scalars(
                select(AccessLogRow).where(AccessLogRow.record_id == reference).order_by(AccessLogRow.seq))]

    def log_is_sound(self) -> bool:
        """The access log's chain holds and names no one in the workforce register."""
        with self.env.uow() as uow:
            details = [d for d in uow.session.scalars(select(AccessLogRow.detail)) if d]
            intact = audit.verify_chain(uow.session).ok
        return intact and not [d for d in details if any(w in d for w in WORDS)]


def _user(env: Env, name: str, role: Role, display: str, staff_number: str | None) -> User:
    return users.add_user(env.uow(), env.admin, name, {role}, PASSWORD, display_name=display, staff_number=staff_number)


def build(env: Env, folder: Path) -> Psd:
    Psd.on(date(2025, 1, 6))
    import_workforce(env.uow(), env.admin, write_csv(folder / "register.csv", HEADER, REGISTER))
    psd = Psd(env, _user(env, "ian", Role.INVESTIGATOR, "DC Ian Innes", "S500"),
              _user(env, "sue", Role.SUPERVISOR, "Insp Sue Sutton", "S210"),
              _user(env, "hal", Role.HEAD_OF_PSD, "Supt Hal Hughes", "S220"),
              _user(env, "lia", Role.IOPC_LIAISON, "Lia Lewis", None))
    with env.uow() as uow:
        psd.people = dict(uow.session.execute(select(PersonRow.staff_number, PersonRow.id)).all())
    return psd


@contextmanager
def small_psd(url: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Psd]:
    # Sign-in strength is not under test here: a light hash keeps the accounts quick to make.
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with force_env(url) as env:
        yield build(env, folder)
    clock.pin(None)
