"""Prior-notice matching through the services: candidates after imports, the data wash report,
confirm/reject with rationale, flags and vetting reviews, rejected pairs not re-proposed, and a
case opened from a match (created and linked together, or not at all)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.enums import (
    AbuseType,
    DueItemKind,
    MatchState,
    ReportingRoute,
    Role,
    TriageOutcome,
    VictimRelationship,
)
from app.domain.errors import InvalidInput, PermissionDenied, RuleRefused
from app.persistence.models import AccessLogRow, CaseRow, NoticeMatchRow, NoticeRow
from app.persistence.uow import UnitOfWork
from app.services import matching, notice_review, queue
from app.services.casework.inputs import AllegationInput, CaseIntake, VictimInput
from app.services.imports.cases import import_cases
from app.services.imports.notices import import_notices
from app.services.imports.workforce import import_workforce
from tests.helpers import Env, force_env, write_csv
from tests.integration.test_imports import CASE_HEADER, CASE_ROWS, NOTICE_HEADER, WF_HEADER, WF_ROWS

NOTICES = [
    # Jane Smith, born 1985-03-04: surname typo and day/month swapped.
    ["K-1", "kent", "2024-01-02", "DOMESTIC_ABUSE_INCIDENT", "Smyth", "Jane", "1985-04-03", "west-midlands",
     "DA incident attended"],
    # Nobody in the register.
    ["K-2", "kent", "2024-01-03", "CRIME", "Ozturk", "Deniz", "1999-09-09", "", ""],
]


@pytest.fixture
def env(db_url: str, tmp_path: Path):
    with force_env(db_url) as e:
        import_workforce(e.uow(), e.admin, write_csv(tmp_path / "wf.csv", WF_HEADER, WF_ROWS))
        yield e


def _import(env: Env, tmp_path: Path, rows: list[list[str]], name: str = "n.csv") -> None:
    sup = env.user("sup", Role.SUPERVISOR) if not hasattr(env, "_sup") else env._sup  # type: ignore[attr-defined]
    env._sup = sup  # type: ignore[attr-defined]
    import_notices(env.uow(), sup, write_csv(tmp_path / name, NOTICE_HEADER, rows))


def test_import_proposes_the_match_with_reasons(env: Env, tmp_path: Path) -> None:
    _import(env, tmp_path, NOTICES)
    views = notice_review.review_queue(env.uow(), env._sup)  # type: ignore[attr-defined]
    assert [(v.notice_id, v.staff_number) for v in views] == [("K-1", "S001")]
    reasons = " ".join(views[0].reasons).lower()
    assert "swap" in reasons and views[0].offers_case
    with env.uow() as uow:
        assert uow.session.scalar(select(AccessLogRow).where(AccessLogRow.operation == "COMBINATION"))


def test_data_wash_writes_the_match_report(env: Env, tmp_path: Path) -> None:
    _import(env, tmp_path, NOTICES)
    out = tmp_path / "report.csv"
    summary = matching.data_wash(env.uow(), env._sup, out)  # type: ignore[attr-defined]
    assert summary.people == 3 and summary.notices == 2 and summary.candidates == 1
    rows = list(csv.reader(out.read_text().splitlines()))
    assert rows[0] == matching.REPORT_HEADER
    assert rows[1][:3] == ["K-1", "kent", "S001"] and rows[1][4] in ("MATCH", "REVIEW")
    inv = env.user("inv", Role.INVESTIGATOR)
    with pytest.raises(PermissionDenied, match="may not run a data wash"):
        matching.data_wash(env.uow(), inv)


def test_confirm_flags_the_person_and_raises_a_vetting_review(env: Env, tmp_path: Path) -> None:
    head = env.user("head", Role.HEAD_OF_PSD)
    import_cases(env.uow(), head, write_csv(tmp_path / "c.csv", CASE_HEADER, CASE_ROWS))
    _import(env, tmp_path, NOTICES)
    (view,) = notice_review.review_queue(env.uow(), env._sup)  # type: ignore[attr-defined]
    items = queue.work_queue(env.uow(), env._sup, everyone=True)  # type: ignore[attr-defined]
    assert any(i.item == DueItemKind.NOTICE_TRIAGE and i.case_ref == "K-1" for i in items)
    with pytest.raises(InvalidInput, match="rationale"):
        notice_review.confirm_match(env.uow(), env._sup, view.match_id, TriageOutcome.VETTING_REVIEW, "ok")  # type: ignore[attr-defined]
    notice_review.confirm_match(env.uow(), env._sup, view.match_id, TriageOutcome.VETTING_REVIEW,  # type: ignore[attr-defined]
                           "Same person: DOB digits swapped, surname misspelt by Kent.")
    with env.uow() as uow:
        case = uow.session.scalar(select(CaseRow).where(CaseRow.reference == "PSD-2024-000001"))
        assert case is not None and "PRIOR_NOTICE" in case.list_flags
    items = queue.work_queue(env.uow(), env._sup, everyone=True)  # type: ignore[attr-defined]
    assert any(i.item == DueItemKind.VETTING_REVIEW and i.case_ref == "K-1" for i in items)
    assert not any(i.item == DueItemKind.NOTICE_TRIAGE for i in items)
    with pytest.raises(RuleRefused, match="already confirmed"):
        notice_review.reject_match(env.uow(), env._sup, view.match_id, "Changed my mind about this one.")  # type: ignore[attr-defined]
    notice_review.record_vetting_review(env.uow(), env._sup, view.match_id, "Clearance maintained with conditions")  # type: ignore[attr-defined]
    items = queue.work_queue(env.uow(), env._sup, everyone=True)  # type: ignore[attr-defined]
    assert not any(i.item == DueItemKind.VETTING_REVIEW for i in items)


def test_rejected_pair_returns_only_when_the_notice_changes(env: Env, tmp_path: Path) -> None:
    _import(env, tmp_path, NOTICES)
    (view,) = notice_review.review_queue(env.uow(), env._sup)  # type: ignore[attr-defined]
    notice_review.reject_match(env.uow(), env._sup, view.match_id, "Different person: PNC shows another Jane Smyth.")  # type: ignore[attr-defined]
    matching.data_wash(env.uow(), env._sup)  # type: ignore[attr-defined]
    assert notice_review.review_queue(env.uow(), env._sup) == []  # type: ignore[attr-defined]
    changed = [r[:] for r in NOTICES]
    changed[0][8] = "Further DA incident attended"
    _import(env, tmp_path, changed, "n2.csv")
    again = notice_review.review_queue(env.uow(), env._sup)  # type: ignore[attr-defined]
    assert [v.notice_id for v in again] == ["K-1"] and again[0].state == MatchState.PROPOSED.name


def test_a_rejected_pair_proposed_again_is_the_same_row_cleared_for_review(env: Env, tmp_path: Path) -> None:
    """The reviewer's rejection and rationale do not carry over to the changed notice's proposal,
    nor is the pair held twice: one row, proposed again, in the notice's new version."""
    _import(env, tmp_path, NOTICES)
    (view,) = notice_review.review_queue(env.uow(), env._sup)  # type: ignore[attr-defined]
    notice_review.reject_match(env.uow(), env._sup, view.match_id, "Different person: PNC shows another Jane Smyth.")  # type: ignore[attr-defined]
    changed = [r[:] for r in NOTICES]
    changed[0][8] = "Further DA incident attended"
    _import(env, tmp_path, changed, "n2.csv")
    matching.data_wash(env.uow(), env._sup)  # type: ignore[attr-defined]
    with env.uow() as uow:
        rows = list(uow.session.execute(select(
            NoticeMatchRow.id, NoticeMatchRow.state, NoticeMatchRow.reviewed_by, NoticeMatchRow.rationale,
            NoticeMatchRow.triage_outcome, NoticeMatchRow.notice_version, NoticeRow.version, NoticeMatchRow.reasons)
            .join(NoticeRow, NoticeRow.id == NoticeMatchRow.notice_id)))
    assert len(rows) == 1
    key, state, reviewer, rationale, outcome, seen_version, version, reasons = rows[0]
    assert (key, state, reviewer, rationale, outcome) == (view.match_id, MatchState.PROPOSED.name, None, None, None)
    assert seen_version == version == 2 and "day and month swapped" in reasons


def test_a_reviewer_cannot_review_their_own_match(env: Env, tmp_path: Path) -> None:
    _import(env, tmp_path, NOTICES)
    jane = env.user("jsmith", Role.SUPERVISOR, staff_number="S001")
    assert notice_review.review_queue(env.uow(), jane) == []
    (view,) = notice_review.review_queue(env.uow(), env._sup)  # type: ignore[attr-defined]
    with pytest.raises(PermissionDenied, match="about yourself"):
        notice_review.confirm_match(env.uow(), jane, view.match_id, TriageOutcome.NO_FURTHER_ACTION,
                                    "Nothing to see here at all.")


# Anita Patel (S003, line-managed by S002 like Jane Smith S001) and Mark Jones (S002, no line
# manager): exact matches.
MORE = [["K-3", "kent", "2024-01-04", "CRIME", "Patel", "Anita", "1990-11-12", "", "Arrested"],
        ["K-4", "kent", "2024-01-05", "CUSTODY", "Jones", "Mark", "1975-06-07", "", "Detained overnight"]]


def _log_size(env: Env) -> int:
    with env.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(AccessLogRow)) or 0


def test_the_count_is_the_queue_length_for_every_role_and_logs_nothing(env: Env, tmp_path: Path) -> None:
    _import(env, tmp_path, NOTICES + MORE)
    readers = {
        "supervisor": env._sup,  # type: ignore[attr-defined]
        "head": env.user("head", Role.HEAD_OF_PSD),
        "investigator": env.user("inv", Role.INVESTIGATOR),
        "the subject": env.user("jsmith", Role.SUPERVISOR, staff_number="S001"),
        "their line manager": env.user("mjones", Role.INVESTIGATOR, staff_number="S002"),
        "a colleague": env.user("apatel", Role.SUPERVISOR, staff_number="S003"),
    }
    expected = {"supervisor": 3, "head": 3, "investigator": 3, "the subject": 2, "their line manager": 0,
                "a colleague": 2}
    for who, user in readers.items():
        before = _log_size(env)
        assert notice_review.pending_count(env.uow(), user) == expected[who], who
        assert _log_size(env) == before, who  # a number discloses no one's personal data
        assert len(notice_review.review_queue(env.uow(), user)) == expected[who], who
    for role in (Role.FORCE_LEAD, Role.AUDITOR, Role.IOPC_LIAISON, Role.ADMINISTRATOR):
        other = env.user(role.name.lower(), role)
        with pytest.raises(PermissionDenied, match="may not triage prior notices"):
            notice_review.pending_count(env.uow(), other)
        with pytest.raises(PermissionDenied, match="may not triage prior notices"):
            notice_review.review_queue(env.uow(), other)
    first = notice_review.review_queue(env.uow(), env._sup)[0]  # type: ignore[attr-defined]
    notice_review.reject_match(env.uow(), env._sup, first.match_id, "Different person: the PNC shows another one.")  # type: ignore[attr-defined]
    assert notice_review.pending_count(env.uow(), env._sup) == 2  # type: ignore[attr-defined]


def _confirmed(env: Env, tmp_path: Path) -> notice_review.MatchView:
    head = env.user("head", Role.HEAD_OF_PSD)
    import_cases(env.uow(), head, write_csv(tmp_path / "c.csv", CASE_HEADER, CASE_ROWS))
    _import(env, tmp_path, NOTICES)
    (view,) = notice_review.review_queue(env.uow(), env._sup)  # type: ignore[attr-defined]
    return notice_review.confirm_match(env.uow(), env._sup, view.match_id, TriageOutcome.VETTING_REVIEW,  # type: ignore[attr-defined]
                                       "Same person: DOB digits swapped, surname misspelt by Kent.")


def test_a_vetting_review_is_recorded_once_and_shown_with_the_match(env: Env, tmp_path: Path) -> None:
    from app.services import clock

    view = _confirmed(env, tmp_path)
    assert not view.vetting_done and view.vetting_reviewed_on is None
    notice_review.record_vetting_review(env.uow(), env._sup, view.match_id, "Clearance maintained with conditions")  # type: ignore[attr-defined]
    (shown,) = notice_review.review_queue(env.uow(), env._sup, MatchState.CONFIRMED)  # type: ignore[attr-defined]
    assert shown.vetting_done and shown.vetting_reviewed_on == clock.today()
    assert shown.vetting_result == "Clearance maintained with conditions"
    with pytest.raises(RuleRefused, match="already recorded on .*; a recorded review is never changed"):
        notice_review.record_vetting_review(env.uow(), env._sup, view.match_id, "Clearance withdrawn")  # type: ignore[attr-defined]
    (again,) = notice_review.review_queue(env.uow(), env._sup, MatchState.CONFIRMED)  # type: ignore[attr-defined]
    assert again.vetting_result == "Clearance maintained with conditions"
    jsmith = env.user("jsmith", Role.SUPERVISOR, staff_number="S001")
    with pytest.raises(PermissionDenied, match="about yourself"):
        notice_review.record_vetting_review(env.uow(), jsmith, view.match_id, "Nothing to see here")


def test_a_match_is_linked_to_one_case_shown_only_to_those_who_may_see_it(env: Env, tmp_path: Path) -> None:
    view = _confirmed(env, tmp_path)
    assert not view.case_linked
    with env.uow() as uow:
        ids = dict(uow.session.execute(select(CaseRow.reference, CaseRow.id)).all())
    notice_review.check_linkable(env.uow(), env._sup, view.match_id)  # type: ignore[attr-defined]
    notice_review.link_case(env.uow(), env._sup, view.match_id, ids["PSD-2024-000001"])  # type: ignore[attr-defined]
    (shown,) = notice_review.review_queue(env.uow(), env._sup, MatchState.CONFIRMED)  # type: ignore[attr-defined]
    assert shown.case_linked and shown.linked_case == "PSD-2024-000001"
    for refused in (lambda: notice_review.check_linkable(env.uow(), env._sup, view.match_id),  # type: ignore[attr-defined]
                    lambda: notice_review.link_case(env.uow(), env._sup, view.match_id, ids["PSD-2024-000002"])):  # type: ignore[attr-defined]
        with pytest.raises(RuleRefused, match="already linked to a PPDA case"):
            refused()
    inv = env.user("inv", Role.INVESTIGATOR)  # on no case team: may triage, may not see the case
    (unseen,) = notice_review.review_queue(env.uow(), inv, MatchState.CONFIRMED)
    assert unseen.case_linked and unseen.linked_case is None


def _intake(view: notice_review.MatchView) -> CaseIntake:
    from app.services import clock

    return CaseIntake(clock.today(), ReportingRoute.OTHER_FORCE_NOTICE,
                      (VictimInput("V1", VictimRelationship.CURRENT_PARTNER),),
                      (AllegationInput(view.staff_number, ("V1",), frozenset({AbuseType.PHYSICAL})),))


def _cases(env: Env) -> list[str]:
    with env.uow() as uow:
        return list(uow.session.scalars(select(CaseRow.reference).order_by(CaseRow.id)))


def test_a_case_opened_from_a_match_is_created_and_linked_in_one_transaction(env: Env, tmp_path: Path) -> None:
    view = _confirmed(env, tmp_path)
    before = _cases(env)
    created = notice_review.open_case_for_match(env.uow(), env._sup, view.match_id, _intake(view))  # type: ignore[attr-defined]
    assert _cases(env) == [*before, created.reference]
    with env.uow() as uow:
        logged = uow.session.execute(select(AccessLogRow.record_type, AccessLogRow.record_id, AccessLogRow.operation,
                                            AccessLogRow.detail).order_by(AccessLogRow.seq.desc()).limit(2)).all()
    assert [tuple(r) for r in reversed(logged)] == [("case", created.reference, "COLLECTION", "case created"),
                                                    ("notice_match", str(view.match_id), "ALTERATION",
                                                     "linked to a case")]
    (shown,) = notice_review.review_queue(env.uow(), env._sup, MatchState.CONFIRMED)  # type: ignore[attr-defined]
    assert (shown.linked_case_id, shown.linked_case) == (created.case_id, created.reference)


def test_no_case_is_opened_for_a_match_that_cannot_be_linked(env: Env, tmp_path: Path) -> None:
    view = _confirmed(env, tmp_path)
    first = notice_review.open_case_for_match(env.uow(), env._sup, view.match_id, _intake(view))  # type: ignore[attr-defined]
    before = _cases(env)
    with pytest.raises(RuleRefused,
                       match="^This match is already linked to a PPDA case; a notice opens one case only.$"):
        notice_review.open_case_for_match(env.uow(), env._sup, view.match_id, _intake(view))  # type: ignore[attr-defined]
    assert _cases(env) == before
    (shown,) = notice_review.review_queue(env.uow(), env._sup, MatchState.CONFIRMED)  # type: ignore[attr-defined]
    assert shown.linked_case == first.reference
    _import(env, tmp_path,
            [*NOTICES[1:],
             ["K-3", "kent", "2024-01-04", "DOMESTIC_ABUSE_INCIDENT", "Smith", "Jane", "1985-03-04", "", ""]],
             "more.csv")
    (pending,) = notice_review.review_queue(env.uow(), env._sup)  # type: ignore[attr-defined]
    with pytest.raises(RuleRefused, match="^Only a confirmed match can be linked to a PPDA case.$"):
        notice_review.open_case_for_match(env.uow(), env._sup, pending.match_id, _intake(pending))  # type: ignore[attr-defined]
    assert _cases(env) == before


def test_a_link_made_by_someone_else_meanwhile_refuses_the_case_too(
        env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import update

    from app.persistence.models import NoticeMatchRow

    view = _confirmed(env, tmp_path)
    before = _cases(env)
    checked = notice_review._linkable

    def linked_after_the_check(s, actor, match_id):  # type: ignore[no-untyped-def]
        row = checked(s, actor, match_id)  # another workstation links the match just after this read
        s.execute(update(NoticeMatchRow).where(NoticeMatchRow.id == match_id).values(case_id=min(
            s.scalars(select(CaseRow.id)))).execution_options(synchronize_session=False))
        return row

    monkeypatch.setattr(notice_review, "_linkable", linked_after_the_check)
    with pytest.raises(RuleRefused, match="already linked to a PPDA case"):
        notice_review.open_case_for_match(env.uow(), env._sup, view.match_id, _intake(view))  # type: ignore[attr-defined]
    assert _cases(env) == before


class FailingCommit(UnitOfWork):
    """A unit of work whose commit fails, as a cancelled one does."""

    def commit(self) -> None:
        raise RuleRefused("The commit was refused.")


def test_a_wash_that_is_not_committed_leaves_no_report(env: Env, tmp_path: Path) -> None:
    _import(env, tmp_path, NOTICES)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(RuleRefused, match="commit was refused"):
        matching.data_wash(FailingCommit(env.db.session_factory), env._sup, folder / "report.csv")  # type: ignore[attr-defined]
    assert list(folder.iterdir()) == []  # neither the report nor a half-written one
