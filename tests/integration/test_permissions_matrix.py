"""The permission table (app.domain.permissions.TABLE, DOMAIN.md §7) as a generated test: for every
action and every role, the action's representative service is called by a user holding only that
role, and is allowed exactly when the table says so; the same through the command line for every
action that has a command (exit 0, or exit 1 with the refusal on stderr). On SQLite and PostgreSQL,
one database per backend set up once for the whole matrix.

The users act on cases they have every other reason to reach (the investigator is on the team,
the IOPC liaison's cases are referred), so the role is what decides.
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from sqlalchemy import select

from app.cli import main
from app.domain.enums import AssignmentRole, IopcDecision, Role, Severity
from app.domain.errors import ExpectedError, PermissionDenied, RuleRefused
from app.domain.permissions import TABLE, Action
from app.domain.records import User
from app.persistence.models import AllegationRow, CaseRow
from app.services import (
    audit,
    case_queries,
    installation,
    matching,
    notice_files,
    notice_review,
    people_queries,
    policies,
    referrals,
    reporting,
    retention,
    users,
)
from app.services import casework as cw
from app.services.access_log_export import export_access_log
from app.services.casework.inputs import VictimInput
from app.services.imports.cases import import_cases
from app.services.imports.workforce import import_workforce
from tests.conftest import empty_postgres
from tests.helpers import PASSWORD, Env, force_env, write_csv

WF = (["staff_number", "surname", "forenames", "date_of_birth", "workforce_type", "rank_or_grade"],
      [["M001", "Hart", "Dana", "1984-02-03", "POLICE_OFFICER", "PC"],
       ["M002", "Lowe", "Evan", "1979-07-08", "POLICE_STAFF", "Band C"]])
CASE_HEADER = ["case_ref", "recorded_date", "reporting_route", "case_type", "subject_staff_number", "victim_ref",
               "victim_relationship", "abuse_types", "iopc_referral_date", "misconduct_outcomes", "outcome_date"]
OPEN = {name: f"MX-{name}" for name in ("edit", "decide", "approve", "exception", "iopc", "read")}
REFERRED = ("iopc", "read")
NOTICES = (["notice_id", "issuing_force", "notice_date", "record_type", "surname", "forenames"],
           [["PND-1", "PND", "2025-01-02", "INTELLIGENCE", "Hartt", "Dana"]])
YEAR = 2025
WHY = "Matrix check: the reason is long enough"


@dataclass
class Matrix:
    env: Env
    url: str
    folder: Path
    by_role: dict[Role, User]
    requester: User  # a SUPERVISOR who decides when the role under test approves
    cosigner: User
    cases: dict[str, int]
    allegations: dict[str, int]
    disposable: dict[str, list[int]]  # closed cases past review, per surface ("service", "cli")
    files: dict[str, Path]
    serial: Iterator[int] = field(default_factory=itertools.count)

    def uow(self):  # type: ignore[no-untyped-def]
        return self.env.uow()

    def out(self, suffix: str) -> Path:
        return self.folder / f"out-{next(self.serial)}{suffix}"


# ---- the representative service of each action ----------------------------------------------------

def _victim(m: Matrix) -> VictimInput:
    from app.domain.enums import VictimRelationship

    return VictimInput(f"V{next(m.serial) + 10}", VictimRelationship.FORMER_PARTNER)


def _allocate(m: Matrix, u: User) -> None:
    cw.assign_member(m.uow(), u, m.cases["edit"], m.cosigner.username, AssignmentRole.DECISION_MAKER, True)
    cw.end_assignment(m.uow(), u, m.cases["edit"], m.cosigner.username, AssignmentRole.DECISION_MAKER, reason=WHY)


SERVICE: dict[Action, Callable[[Matrix, User], object]] = {
    Action.EDIT_CASE: lambda m, u: cw.add_victim(m.uow(), u, m.cases["edit"], _victim(m)),
    Action.TRIAGE_NOTICE: lambda m, u: notice_review.review_queue(m.uow(), u),
    Action.DECIDE: lambda m, u: cw.record_severity(m.uow(), u, m.cases["decide"], Severity.MISCONDUCT,
                                                   allegation_id=m.allegations["decide"]),
    Action.PROPOSE_DECISION: lambda m, u: cw.record_severity(m.uow(), u, m.cases["decide"], Severity.MISCONDUCT,
                                                             allegation_id=m.allegations["decide"],
                                                             approver=m.cosigner),
    Action.APPROVE: lambda m, u: cw.record_recording(m.uow(), m.requester, m.cases["approve"], recordable=False,
                                                     rationale=WHY, approver=u),
    Action.ALLOCATE: _allocate,
    Action.HEAD_EXCEPTION: lambda m, u: cw.record_external_investigation_exception(
        m.uow(), m.requester, m.cases["exception"], rationale=WHY, approver=u),
    Action.IOPC_RECORD: lambda m, u: cw.record_iopc_decision(m.uow(), u, m.cases["iopc"],
                                                             IopcDecision.LOCAL_INVESTIGATION),
    Action.READ_CASE: lambda m, u: case_queries.open_case(m.uow(), u, m.cases["read"]),
    Action.IMPORT_WORKFORCE: lambda m, u: import_workforce(m.uow(), u, m.files["workforce"]),
    Action.IMPORT_CASES: lambda m, u: import_cases(m.uow(), u, m.files["cases"]),
    Action.IMPORT_NOTICES: lambda m, u: notice_files.import_notice_file(m.uow(), u, m.files["notices"],
                                                                        accept_unsigned=True),
    Action.DATA_WASH: lambda m, u: matching.data_wash(m.uow(), u),
    Action.EXPORT_RETURN: lambda m, u: reporting.survey_return(m.uow(), u, YEAR, m.out(".xlsx")),
    Action.ANNUAL_REPORT: lambda m, u: reporting.annual_report(m.uow(), u, YEAR, m.out(".pdf")),
    Action.AGGREGATE: lambda m, u: reporting.aggregate(m.uow(), u, [m.files["return"]], m.out(".xlsx")),
    Action.ADMINISTER: lambda m, u: installation.set_headcount(m.uow(), u, YEAR, 4000),
    Action.READ_ACCESS_LOG: lambda m, u: export_access_log(m.uow(), u, m.out(".csv")),
    Action.VERIFY_ACCESS_LOG: lambda m, u: audit.verify(m.uow(), u),
    Action.READ_PEOPLE: lambda m, u: people_queries.search_people(m.uow(), u, "hart"),
    Action.EXPORT_NOTICES: lambda m, u: notice_files.export_transferee_notices(m.uow(), u, "kent", ["M001"],
                                                                               m.out(".csv")),
    Action.DISPOSE: lambda m, u: retention.dispose(m.uow(), m.requester, m.disposable["service"][-1], WHY, u),
    Action.EXPORT_REFERRALS: lambda m, u: referrals.export_referral_register(m.uow(), u, date(YEAR - 1, 4, 1),
                                                                             date(YEAR, 3, 31), m.out(".xlsx")),
}

# Approvals are given inside someone else's decision: an approver without the role is refused by
# the approval rule itself (RuleRefused "... does not hold that role"), or by need to know.
APPROVALS = (Action.APPROVE, Action.HEAD_EXCEPTION)

# ---- the command of each action that has one ------------------------------------------------------

CLI: dict[Action, Callable[[Matrix], list[str]]] = {
    Action.DECIDE: lambda m: ["retention", "due"],
    Action.IMPORT_WORKFORCE: lambda m: ["import", "workforce", str(m.files["workforce"])],
    Action.IMPORT_CASES: lambda m: ["import", "cases", str(m.files["cases"])],
    Action.IMPORT_NOTICES: lambda m: ["import", "notices", str(m.files["notices"]), "--accept-unsigned"],
    Action.DATA_WASH: lambda m: ["match"],
    Action.EXPORT_RETURN: lambda m: ["export", "survey-return", "--year", str(YEAR), "--out", str(m.out(".xlsx"))],
    Action.ANNUAL_REPORT: lambda m: ["report", "annual", "--year", str(YEAR), "--out", str(m.out(".pdf"))],
    # `aggregate` on the command line reads files only, with no account (FORMATS.md): no role to check.
    Action.ADMINISTER: lambda m: ["headcount", "set", "--year", str(YEAR), "--total", "4100"],
    Action.READ_ACCESS_LOG: lambda m: ["audit", "export", "--out", str(m.out(".csv"))],
    Action.VERIFY_ACCESS_LOG: lambda m: ["audit", "verify"],
    Action.EXPORT_NOTICES: lambda m: ["notices", "export", "--to", "kent", "--staff-number", "M001",
                                      "--out", str(m.out(".csv"))],
    Action.EXPORT_REFERRALS: lambda m: ["export", "referrals", "--from", f"{YEAR - 1}-04-01", "--to", f"{YEAR}-03-31",
                                        "--out", str(m.out(".xlsx"))],
}
# Commands where the role under test approves another user's request.
CLI_APPROVALS: dict[Action, Callable[[Matrix, User], list[str]]] = {
    Action.DISPOSE: lambda m, u: ["retention", "dispose", _reference(m, m.disposable["cli"][-1]), "--reason", WHY,
                                  "--approver", u.username],
}


def _reference(m: Matrix, case_id: int) -> str:
    with m.uow() as uow:
        return str(uow.session.scalar(select(CaseRow.reference).where(CaseRow.id == case_id)))


def test_every_action_has_a_representative_service() -> None:
    assert set(SERVICE) == set(Action) == set(TABLE)
    assert not set(CLI) & set(CLI_APPROVALS)


# ---- one database per backend ---------------------------------------------------------------------

@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def m(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
      _sqlite_template: Path) -> Iterator[Matrix]:
    folder = tmp_path_factory.mktemp(f"matrix-{request.param}")
    url = _database(request.param, folder, _sqlite_template)
    key = Ed25519PrivateKey.generate()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        mp.setenv("PPDA_CHECKPOINT_FILE", str(folder / "access-log.checkpoints"))  # one for the module's database
        mp.setenv(notice_files.ENV_SIGNING_KEY,
                  base64.b64encode(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())).decode())
        with force_env(url) as env:
            public = base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
            notice_files.set_public_key(env.uow(), env.admin, "west-midlands", public)
            yield _build(env, url, folder)


def _database(backend: str, folder: Path, template: Path) -> str:
    if backend == "sqlite":
        import shutil

        shutil.copy(template, folder / "matrix.db")
        return f"sqlite:///{folder / 'matrix.db'}"
    return empty_postgres()


def _build(env: Env, url: str, folder: Path) -> Matrix:
    by_role: dict[Role, User] = {r: env.user(r.name.lower(), r) for r in Role if r != Role.ADMINISTRATOR}
    by_role[Role.ADMINISTRATOR] = env.admin
    head = by_role[Role.HEAD_OF_PSD]
    files = {"workforce": write_csv(folder / "workforce.csv", *WF),
             "notices": write_csv(folder / "notices.csv", *NOTICES),
             "cases": write_csv(folder / "cases.csv", CASE_HEADER, [
                 [ref, "2025-01-06", "VICTIM_DIRECT", "CONDUCT_MATTER", "M001", "V1", "FORMER_PARTNER", "PHYSICAL",
                  "2025-01-07" if name in REFERRED else "", "", ""] for name, ref in OPEN.items()])}
    import_workforce(env.uow(), head, files["workforce"])
    import_cases(env.uow(), head, files["cases"])
    m = Matrix(env, url, folder, by_role, env.user("requester", Role.SUPERVISOR), env.user("cosigner", Role.SUPERVISOR),
               {}, {}, {}, files)
    with env.uow() as uow:
        ids = dict(uow.session.execute(select(CaseRow.reference, CaseRow.id)).all())
        m.cases = {name: ids[ref] for name, ref in OPEN.items()}
        allegation_of: dict[int, int] = dict(uow.session.execute(select(AllegationRow.case_id, AllegationRow.id)).all())
        m.allegations = {name: allegation_of[cid] for name, cid in m.cases.items()}
    for name in ("edit", "decide", "approve", "read"):
        cw.assign_member(env.uow(), m.requester, m.cases[name], "investigator", AssignmentRole.INVESTIGATOR, True)
    policies.set_policy(env.uow(), env.admin, "external-investigation-guidance", "ALL", date(2024, 4, 1),
                        reason="Guidance in force since 1 April 2024")
    reporting.survey_return(env.uow(), head, YEAR, files.setdefault("return", folder / "return.xlsx"))
    # one for each role that may approve a disposal, and one left for the refused attempts
    m.disposable = {surface: _closed_cases(m, surface, len(TABLE[Action.DISPOSE]) + 1)
                    for surface in ("service", "cli")}
    return m


def _closed_cases(m: Matrix, surface: str, count: int) -> list[int]:
    """`count` cases closed in 2017, past their review date."""
    rows = [[f"MX-OLD-{surface}-{i}", "2017-03-01", "VICTIM_DIRECT", "CONDUCT_MATTER", "M002", "V1", "FORMER_PARTNER",
             "EMOTIONAL_PSYCHOLOGICAL", "", "NO_CASE_TO_ANSWER", "2017-05-01"] for i in range(count)]
    import_cases(m.uow(), m.by_role[Role.HEAD_OF_PSD], write_csv(m.folder / f"old-{surface}.csv", CASE_HEADER, rows))
    with m.uow() as uow:
        ids = list(uow.session.scalars(select(CaseRow.id).where(CaseRow.reference.like(f"MX-OLD-{surface}-%"))
                                       .order_by(CaseRow.id)))
        still_open = list(uow.session.scalars(select(CaseRow.id).where(CaseRow.id.in_(ids), CaseRow.status == "OPEN")))
    for case_id in still_open:  # an import closes a case whose rows owe nothing; close any other
        cw.close_case(m.uow(), m.requester, case_id, on=date(2017, 6, 1))
    return ids


# ---- the matrix -----------------------------------------------------------------------------------

MATRIX = [(a, r) for a in Action for r in Role]


@pytest.mark.parametrize(("action", "role"), MATRIX, ids=[f"{a.name}-{r.name}" for a, r in MATRIX])
def test_service(m: Matrix, action: Action, role: Role) -> None:
    user = m.by_role[role]
    if role in TABLE[action]:
        SERVICE[action](m, user)
        if action == Action.DISPOSE:
            m.disposable["service"].pop()
        return
    with pytest.raises(ExpectedError) as refused:
        SERVICE[action](m, user)
    _assert_refusal(action, refused.value)


def _assert_refusal(action: Action, error: ExpectedError) -> None:
    if action in APPROVALS and isinstance(error, RuleRefused):
        assert "does not hold that role" in error.message
    else:
        assert isinstance(error, PermissionDenied), error


CLI_MATRIX = [(a, r) for a in Action if a in CLI or a in CLI_APPROVALS for r in Role]


@pytest.mark.parametrize(("action", "role"), CLI_MATRIX, ids=[f"{a.name}-{r.name}" for a, r in CLI_MATRIX])
def test_command_line(m: Matrix, action: Action, role: Role, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PPDA_PASSWORD", PASSWORD)
    monkeypatch.setenv("PPDA_APPROVER_PASSWORD", PASSWORD)
    user = m.by_role[role]
    if action in CLI_APPROVALS:
        argv = ["--user", m.requester.username, *CLI_APPROVALS[action](m, user)]
    else:
        argv = ["--user", user.username, *CLI[action](m)]
    status = main(["--db", m.url, *argv])
    err = capsys.readouterr().err
    if role in TABLE[action]:
        assert status == 0, err
        if action == Action.DISPOSE:
            m.disposable["cli"].pop()
    else:
        assert status == 1 and f"may not {action.value}" in err, err
