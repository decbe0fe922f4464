"""Installation-wide facts: the home force, the first administrator, headcount, force settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.domain.enums import AccessOperation
from app.domain.errors import InvalidInput, NotFound, RuleRefused
from app.domain.permissions import Action, require
from app.domain.records import Force, User
from app.persistence.models import ForceRow, HeadcountRow, SettingRow
from app.persistence.uow import UnitOfWork
from app.services import audit, case_summary, clock, users

HOME_FORCE = "home_force"
SYSTEMS_USED = "systems_used"
DEFAULT_SYSTEMS_USED = "PPDA Tracker"


def _setting(uow: UnitOfWork, key: str) -> str | None:
    row = uow.session.get(SettingRow, key)
    return row.value if row else None


def is_initialised(uow: UnitOfWork) -> bool:
    with uow:
        return _setting(uow, HOME_FORCE) is not None


def initialise(uow: UnitOfWork, force_code: str, admin: str, password: str) -> User:
    """Set the home force and create the first administrator (first run / `init`)."""
    with uow:
        current = _setting(uow, HOME_FORCE)
        if current is not None:
            raise RuleRefused(
                f"This database is already set up for {current}. Use `db upgrade` to upgrade it; "
                "`user add` to add users."
            )
        force = uow.session.get(ForceRow, force_code.strip().lower())
        if force is None or not force.territorial:
            raise InvalidInput(f"'{force_code}' is not a force code (see FORMATS.md, e.g. west-yorkshire).")
        uow.session.add(SettingRow(key=HOME_FORCE, value=force.code))
        if uow.session.get(SettingRow, case_summary.PROJECTION_SETTING) is None:
            case_summary.stamp_current(uow.session)  # no cases yet: their list columns are current
        user = users.first_administrator(uow.session, admin, password)  # one transaction: all or nothing
        uow.commit()
    return user


def home_force(uow: UnitOfWork) -> Force:
    with uow:
        code = _setting(uow, HOME_FORCE)
        if code is None:
            raise RuleRefused("The database has not been set up: run `ppda-tracker init --force CODE --admin NAME`.")
        row = uow.session.get(ForceRow, code)
        assert row is not None
        return Force(row.code, row.name, row.territorial)


def list_forces(uow: UnitOfWork) -> list[Force]:
    with uow:
        return [Force(r.code, r.name, r.territorial)
                for r in uow.session.scalars(select(ForceRow).order_by(ForceRow.name))]


def systems_used(uow: UnitOfWork) -> str:
    with uow:
        return _setting(uow, SYSTEMS_USED) or DEFAULT_SYSTEMS_USED


def set_systems_used(uow: UnitOfWork, actor: User, text: str) -> None:
    require(actor, Action.ADMINISTER)
    if not text.strip():
        raise InvalidInput("Say which systems record misconduct allegations (e.g. 'Centurion; PPDA Tracker').")
    with uow:
        row = uow.session.get(SettingRow, SYSTEMS_USED)
        if row is None:
            uow.session.add(SettingRow(key=SYSTEMS_USED, value=text.strip()))
        else:
            row.value = text.strip()
        audit.record(uow.session, actor, AccessOperation.ALTERATION, "setting", SYSTEMS_USED)
        uow.commit()


@dataclass(frozen=True)
class Headcount:
    year: int
    total: int


def set_headcount(uow: UnitOfWork, actor: User, year: int, total: int) -> None:
    require(actor, Action.ADMINISTER)
    if not 2000 <= year <= 2100:
        raise InvalidInput(f"{year} is not a survey year (the year in which the period ends on 31 March).")
    if total <= 0:
        raise InvalidInput("The headcount must be a positive whole number.")
    with uow:
        row = uow.session.get(HeadcountRow, year)
        if row is None:
            uow.session.add(HeadcountRow(year=year, total=total, set_by=actor.id, set_at=clock.now()))
        else:
            row.total, row.set_by, row.set_at = total, actor.id, clock.now()
        audit.record(uow.session, actor, AccessOperation.ALTERATION, "headcount", year, detail=f"headcount {total}")
        uow.commit()


def headcount(uow: UnitOfWork, year: int) -> int | None:
    with uow:
        row = uow.session.get(HeadcountRow, year)
        return row.total if row else None


def headcounts(uow: UnitOfWork) -> list[Headcount]:
    with uow:
        return [Headcount(r.year, r.total)
                for r in uow.session.scalars(select(HeadcountRow).order_by(HeadcountRow.year))]


def force(uow: UnitOfWork, code: str) -> Force:
    with uow:
        row = uow.session.get(ForceRow, code)
        if row is None:
            raise NotFound(f"No force with code '{code}'.")
        return Force(row.code, row.name, row.territorial)
