"""Investigation actions through the services, on SQLite and PostgreSQL: a task is given to a person
who works on the case (picked from its team and the supervisors), appears in their work queue (and
`queue --csv`) as INVESTIGATION_ACTION beside the due items the rules derive, and is completed or
cancelled with a log entry; refusals name the problem and change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.enums import AssignmentRole, DueItemKind
from app.domain.errors import InvalidInput, PermissionDenied, RuleRefused
from app.services import casework as cw
from app.services.casefile import tasks, timeline
from app.services.queue import CSV_HEADER
from tests.integration.test_casework_support import RECEIVED, World, new_case, pin, world

__all__ = ["world"]
DUE = RECEIVED + timedelta(days=7)


def actions(w: World, user, *, everyone: bool = False) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return [(i.case_ref, i.assigned_to, i.detail) for i in w.queue(user, everyone=everyone)
            if i.item == DueItemKind.INVESTIGATION_ACTION]


def test_a_task_goes_to_someone_on_the_list_and_into_their_my_work(world: World) -> None:
    created = new_case(world, by=world.inv)
    listed = tasks.assignees(world.uow(), world.inv, created.case_id)
    # The case team first, then the supervisors who may open it; never an investigator off the case (inv2), one
    # connected to the subject (mgrinv, who manages them), nor the IOPC liaison; sup manages no one here.
    assert [(a.username, a.on_case_as) for a in listed] == [
        ("inv", "INVESTIGATOR"), ("head", None), ("head2", None), ("sup", None), ("sup2", None)]
    assert listed[0].label == "inv (investigator, PSD East)"
    given = tasks.give_task(world.uow(), world.sup, created.case_id, "Obtain the CCTV from the council", "inv", DUE)
    assert actions(world, world.inv) == [(created.reference, "inv", "Obtain the CCTV from the council")]
    assert actions(world, world.inv2) == []
    assert actions(world, world.sup, everyone=True) == actions(world, world.inv)
    [item] = [i for i in world.queue(world.inv, everyone=False) if i.item == DueItemKind.INVESTIGATION_ACTION]
    assert (item.due_date, item.overdue, item.task_id, item.team, item.case_id) == (
        DUE, False, given.task_id, "PSD East", created.case_id)
    assert CSV_HEADER == ["case_ref", "item", "due_date", "overdue", "assigned_to", "detail"]  # the contract holds
    assert item.csv_row() == [created.reference, "INVESTIGATION_ACTION", DUE.isoformat(), "N", "inv",
                              "Obtain the CCTV from the council"]
    pin(DUE + timedelta(days=1))
    assert [i.overdue for i in world.queue(world.inv, everyone=False) if i.task_id == given.task_id] == [True]
    assert world.log(created.reference)[-1] == ("sup", "COLLECTION",
                                                f"task {given.task_id} given (due {DUE.isoformat()})")


def test_a_task_is_refused_for_someone_who_may_not_work_on_the_case(world: World) -> None:
    created = new_case(world, by=world.inv)
    with pytest.raises(PermissionDenied, match="may not work on case PSD-2025-000001"):
        tasks.give_task(world.uow(), world.sup, created.case_id, "Interview the neighbour", "inv2", DUE)
    with pytest.raises(PermissionDenied, match="may not work on case"):
        tasks.give_task(world.uow(), world.sup, created.case_id, "Interview the neighbour", "mgrinv", DUE)
    with pytest.raises(InvalidInput, match="^assignee: choose who does it"):
        tasks.give_task(world.uow(), world.sup, created.case_id, "Interview the neighbour", "nobody", DUE)
    with pytest.raises(InvalidInput, match="^due_date: 2025-03-02 has passed"):
        tasks.give_task(world.uow(), world.sup, created.case_id, "Interview", "inv", RECEIVED - timedelta(days=1))
    with pytest.raises(InvalidInput, match="^what: write something"):
        tasks.give_task(world.uow(), world.sup, created.case_id, "  ", "inv", DUE)
    with pytest.raises(PermissionDenied):
        tasks.give_task(world.uow(), world.inv2, created.case_id, "Interview", "inv", DUE)
    assert actions(world, world.sup, everyone=True) == []


def test_a_task_is_completed_with_a_log_entry_and_leaves_my_work(world: World) -> None:
    created = new_case(world, by=world.inv)
    given = tasks.give_task(world.uow(), world.sup, created.case_id, "Obtain the CCTV", "inv", DUE)
    pin(RECEIVED + timedelta(days=3))
    entry = tasks.complete_task(world.uow(), world.inv, given.task_id, "CCTV received on disc; 2 hours of footage.")
    assert actions(world, world.inv) == []
    [view] = tasks.case_tasks(world.uow(), world.inv, created.case_id)
    assert (view.status, view.closed_by) == ("DONE", "inv")
    item = next(i for i in timeline.read_log(world.uow(), world.inv, created.case_id).items if i.id == entry)
    assert (item.kind, item.task_id, item.on) == ("ACTION_TAKEN", given.task_id, RECEIVED + timedelta(days=3))
    assert item.text == "CCTV received on disc; 2 hours of footage.\n(Task: Obtain the CCTV)"
    with pytest.raises(RuleRefused, match=f"Task {given.task_id} is already done"):
        tasks.complete_task(world.uow(), world.inv, given.task_id, "Again")
    with pytest.raises(InvalidInput, match="^what_was_done: write something"):
        tasks.complete_task(world.uow(), world.inv, given.task_id, "")


def test_only_the_assignee_the_giver_or_a_supervisor_closes_a_task(world: World) -> None:
    created = new_case(world, by=world.inv)
    cw.assign_member(world.uow(), world.sup, created.case_id, "inv2", AssignmentRole.INVESTIGATOR, True)
    given = tasks.give_task(world.uow(), world.sup, created.case_id, "Trace the witness", "inv", DUE)
    with pytest.raises(PermissionDenied, match="Only the person the task was given to"):
        tasks.complete_task(world.uow(), world.inv2, given.task_id, "Done by me")
    tasks.cancel_task(world.uow(), world.sup2, given.task_id, "The witness came forward herself.")
    [view] = tasks.case_tasks(world.uow(), world.inv, created.case_id)
    assert view.status == "CANCELLED"
    notes = [i.text for i in timeline.read_log(world.uow(), world.inv, created.case_id).items if i.kind == "NOTE"]
    assert notes == ["Task cancelled: The witness came forward herself.\n(Task: Trace the witness)"]
    with pytest.raises(InvalidInput, match="^reason: say why"):
        tasks.cancel_task(world.uow(), world.sup, given.task_id, "no")


def test_a_task_whose_assignee_left_the_case_leaves_their_my_work_and_is_given_to_another(world: World) -> None:
    created = new_case(world, by=world.inv)
    tasks.give_task(world.uow(), world.sup, created.case_id, "Obtain the CCTV", "inv", DUE)
    cw.end_assignment(world.uow(), world.sup, created.case_id, "inv", AssignmentRole.INVESTIGATOR,
                      reason="Moved to another team.")
    assert actions(world, world.inv) == []  # need to know: the case is no longer theirs to see
    assert [a for _, a, _ in actions(world, world.sup, everyone=True)] == ["inv"]  # still open, for reallocation
    with pytest.raises(PermissionDenied, match="may not work on case"):
        tasks.reassign_task(world.uow(), world.sup, _task_id(world, created.case_id), "inv")
    cw.assign_member(world.uow(), world.sup, created.case_id, "inv2", AssignmentRole.INVESTIGATOR, True)
    tasks.reassign_task(world.uow(), world.sup, _task_id(world, created.case_id), "inv2")
    assert [a for _, a, _ in actions(world, world.inv2)] == ["inv2"]
    with pytest.raises(PermissionDenied, match="Only the person who gave task"):
        tasks.reassign_task(world.uow(), world.inv2, _task_id(world, created.case_id), "sup")


def _task_id(w: World, case_id: int) -> int:
    return tasks.case_tasks(w.uow(), w.sup, case_id)[0].id
