"""The case log through the services, on SQLite and PostgreSQL: the summary given at intake, entries
of every kind in one timeline with the decisions, a contact with the victim that is the victim
update the rules track, corrections, search in the query, need to know on every entry and every
reading logged without personal data."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain.case_file import EntryInput, EntryKind
from app.domain.enums import AssignmentRole, DecisionKind, DueItemKind, IopcDecision
from app.domain.errors import ConflictError, InvalidInput, PermissionDenied, RuleRefused
from app.persistence.case_file_models import CaseLogEntryRow
from app.services import case_queries as cq
from app.services import casework as cw
from app.services.casefile import entries, timeline
from app.services.casefile.timeline import LogQuery, Source
from tests.integration.test_casework_support import RECEIVED, World, intake, new_case, pin, world

__all__ = ["world"]
SUMMARY = "Ex-partner reports that PC Carter tracked her phone and threatened her after the split."


def with_summary(w: World, summary: str = SUMMARY, by=None) -> cw.CaseCreated:  # type: ignore[no-untyped-def]
    return cw.create_case(w.uow(), by or w.sup, dataclasses.replace(intake(), summary=summary))


def note(text: str, kind: EntryKind = EntryKind.NOTE, **values: object) -> EntryInput:
    return EntryInput(kind, text, **values)  # type: ignore[arg-type]


def test_the_summary_given_at_intake_is_the_case_logs_first_entry(world: World) -> None:
    created = with_summary(world)
    log = timeline.read_log(world.uow(), world.sup, created.case_id)
    assert log.summary is not None and log.summary.text == SUMMARY and log.summary.on == RECEIVED
    assert [(i.source, i.kind) for i in log.items] == [(Source.ENTRY, "SUMMARY"), (Source.DECISION, "RECORDING")]
    assert world.log(created.reference)[-1] == ("sup", "CONSULTATION", "case log read (2 items)")
    too_long = dataclasses.replace(intake(), summary="x" * 20_001)
    with pytest.raises(InvalidInput, match="^summary: longer than 20,000 characters"):
        cw.create_case(world.uow(), world.sup, too_long)


def test_entries_of_every_kind_make_one_timeline_with_the_decisions_newest_first(world: World) -> None:
    created = new_case(world)
    pin(RECEIVED + timedelta(days=2))
    subject = world.person("S100")
    entries.add_entry(world.uow(), world.sup, created.case_id, note("Spoke to PC Carter's inspector.",
                                                                    EntryKind.SUBJECT_CONTACT, subject_id=subject,
                                                                    method="telephone call"))
    cw.record_threshold(world.uow(), world.sup, created.case_id, _allegation(world, created.case_id), met=True,
                        rationale="Indication of a criminal offence.")
    entries.add_entry(world.uow(), world.sup, created.case_id, note("Letter to the victim's solicitor.",
                                                                    EntryKind.CORRESPONDENCE, occurred_on=RECEIVED))
    log = timeline.read_log(world.uow(), world.sup, created.case_id)
    assert [(i.kind, i.on) for i in log.items] == [
        ("THRESHOLD", RECEIVED + timedelta(days=2)), ("SUBJECT_CONTACT", RECEIVED + timedelta(days=2)),
        ("CORRESPONDENCE", RECEIVED), ("RECORDING", RECEIVED)]
    contact = log.items[1]
    assert contact.subject == "Carter, Alex" and contact.by == "sup" and ("how", "telephone call") in contact.details
    threshold = log.items[0]
    assert threshold.text == "Indication of a criminal offence." and threshold.subject == "Carter, Alex"
    assert world.log(created.reference)[1][2] == f"case log entry {contact.id} added (SUBJECT_CONTACT)"
    assert world.personal_data_logged() == []


def _allegation(w: World, case_id: int) -> int:
    return cq.open_case(w.uow(), w.sup, case_id).allegations[0].id


def test_a_contact_with_the_victim_is_the_victim_update_the_rules_track(world: World) -> None:
    created = new_case(world)
    before = world.due(world.sup, created.reference)[DueItemKind.VICTIM_UPDATE].due_date
    assert before == RECEIVED + timedelta(days=28)
    pin(RECEIVED + timedelta(days=10))
    added = entries.add_entry(world.uow(), world.sup, created.case_id, note(
        "Discussed the bail conditions; she wants updates by phone.", EntryKind.VICTIM_CONTACT, victim_ref="V1",
        method="telephone call", next_contact=RECEIVED + timedelta(days=17)))
    # One record of the fact: the VICTIM_UPDATE decision the rules count, which the entry points at.
    updates = [d for d in world.decisions(created.case_id) if d.kind == DecisionKind.VICTIM_UPDATE.name]
    assert [d.id for d in updates] == [added.decision_id]
    assert updates[0].payload == {"victim_ref": "V1", "method": "telephone call",
                                  "next_contact": (RECEIVED + timedelta(days=17)).isoformat()}
    due = world.due(world.sup, created.reference)[DueItemKind.VICTIM_UPDATE]
    assert due.due_date == RECEIVED + timedelta(days=17)  # the agreed contact, before the 28 days
    assert due.detail == "victim V1: next contact agreed"
    log = timeline.read_log(world.uow(), world.sup, created.case_id)
    assert [i.kind for i in log.items] == ["VICTIM_CONTACT", "RECORDING"]  # the decision is shown as the entry
    assert ("victim update", "recorded") in log.items[0].details
    assert world.case(created.case_id).version == added.case_version == 2


def test_a_victim_contact_is_refused_as_the_victim_update_is(world: World) -> None:
    created = new_case(world)
    with pytest.raises(RuleRefused, match="There is no victim V9"):
        entries.add_entry(world.uow(), world.sup, created.case_id, note("x", EntryKind.VICTIM_CONTACT, victim_ref="V9"))
    with pytest.raises(InvalidInput, match="^next_contact: the next contact is after this one"):
        entries.add_entry(world.uow(), world.sup, created.case_id, note(
            "x", EntryKind.VICTIM_CONTACT, victim_ref="V1", next_contact=RECEIVED))
    with pytest.raises(InvalidInput, match="^victim_ref: say which victim"):
        entries.add_entry(world.uow(), world.sup, created.case_id, note("x", EntryKind.VICTIM_CONTACT))
    with pytest.raises(InvalidInput, match="^text: write something"):
        entries.add_entry(world.uow(), world.sup, created.case_id, note("   "))
    with pytest.raises(InvalidInput, match="^occurred_on: .* is in the future"):
        entries.add_entry(world.uow(), world.sup, created.case_id, note("x", occurred_on=RECEIVED + timedelta(days=1)))
    with pytest.raises(InvalidInput, match="^subject: that person is not a subject of this case"):
        entries.add_entry(world.uow(), world.sup, created.case_id, note(
            "x", EntryKind.SUBJECT_CONTACT, subject_id=world.person("S700")))
    assert _entries(world) == 0 and len(world.decisions(created.case_id)) == 1


def _entries(w: World) -> int:
    with w.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(CaseLogEntryRow)) or 0)


def test_a_correction_is_a_new_entry_and_the_original_stays_marked_corrected(world: World) -> None:
    created = with_summary(world)
    first = entries.add_entry(world.uow(), world.sup, created.case_id, note("Met PC Carter at 10:00."))
    fixed = entries.correct_entry(world.uow(), world.sup, first.entry_id, "Met PC Carter at 14:00.",
                                  "The time was wrong: the diary says 14:00.")
    items = {i.id: i for i in timeline.read_log(world.uow(), world.sup, created.case_id).items}
    assert items[first.entry_id].text == "Met PC Carter at 10:00."  # kept as written
    assert items[first.entry_id].corrected_by == fixed.entry_id
    assert (items[fixed.entry_id].corrects, items[fixed.entry_id].correction_reason) == (
        first.entry_id, "The time was wrong: the diary says 14:00.")
    with pytest.raises(RuleRefused, match=f"already been corrected by entry {fixed.entry_id}: correct that one"):
        entries.correct_entry(world.uow(), world.sup, first.entry_id, "again", "another reason")
    with pytest.raises(InvalidInput, match="^reason: say why"):
        entries.correct_entry(world.uow(), world.sup, fixed.entry_id, "Met at 15:00.", "")
    assert world.log(created.reference)[-2][2] == f"case log entry {first.entry_id} corrected by entry {fixed.entry_id}"


def test_the_summary_is_replaced_only_by_a_new_summary_or_a_correction(world: World) -> None:
    created = with_summary(world)
    summary = timeline.read_log(world.uow(), world.sup, created.case_id).summary
    assert summary is not None
    entries.correct_entry(world.uow(), world.sup, summary.id, SUMMARY.replace("phone", "car"), "It was her car.")
    assert timeline.read_log(world.uow(), world.sup, created.case_id).summary.text.endswith(  # type: ignore[union-attr]
        "tracked her car and threatened her after the split.")
    pin(RECEIVED + timedelta(days=1))
    entries.add_entry(world.uow(), world.sup, created.case_id, note("Now also harassment at work.", EntryKind.SUMMARY))
    log = timeline.read_log(world.uow(), world.sup, created.case_id)
    assert log.summary is not None and log.summary.text == "Now also harassment at work."
    assert sum(1 for i in log.items if i.kind == "SUMMARY") == 3  # nothing lost


def test_only_the_author_or_a_supervisor_corrects_an_entry(world: World) -> None:
    created = new_case(world, by=world.inv)
    cw.assign_member(world.uow(), world.sup, created.case_id, "inv2", AssignmentRole.INVESTIGATOR, True)
    written = entries.add_entry(world.uow(), world.inv, created.case_id, note("Interviewed the neighbour."))
    with pytest.raises(PermissionDenied, match="^Only Investigator|^Only inv"):
        entries.correct_entry(world.uow(), world.inv2, written.entry_id, "Interviewed two neighbours.", "Two, not one.")
    entries.correct_entry(world.uow(), world.sup, written.entry_id, "Interviewed two neighbours.", "Two, not one.")


def test_two_people_correcting_the_same_entry_at_once_cannot_both_succeed(world: World) -> None:
    created = new_case(world)
    written = entries.add_entry(world.uow(), world.sup, created.case_id, note("First version."))
    entries.correct_entry(world.uow(), world.sup2, written.entry_id, "Second version.", "A fix by sup2.")
    with world.uow() as uow:  # the check passed for the other writer: only the constraint stops them
        rows = uow.session.scalars(select(CaseLogEntryRow).where(CaseLogEntryRow.corrects_id == written.entry_id))
        assert len(list(rows)) == 1
    with pytest.raises((RuleRefused, ConflictError)):
        entries.correct_entry(world.uow(), world.sup, written.entry_id, "Third version.", "A fix by sup.")


def test_need_to_know_applies_to_every_entry_and_reading(world: World) -> None:
    created = new_case(world, by=world.inv)  # inv is on the team; inv2 is not; mgrinv manages the subject
    for user in (world.inv2, world.mgr_inv):
        with pytest.raises(PermissionDenied):
            entries.add_entry(world.uow(), user, created.case_id, note("Not mine to write."))
        with pytest.raises(PermissionDenied):
            timeline.read_log(world.uow(), user, created.case_id)
    with pytest.raises(PermissionDenied, match="may not create and edit cases"):
        entries.add_entry(world.uow(), world.lead, created.case_id, note("x"))
    assert _entries(world) == 0
    refusals = [(u, d) for u, op, d in world.log(created.reference) if d and d.startswith("refused")]
    assert ("inv2", "refused: case change") in refusals and ("inv2", "refused: case log") in refusals
    assert ("mgrinv", "refused: case log") in refusals
    entries.add_entry(world.uow(), world.inv, created.case_id, note("On the team: written."))


def test_the_iopc_liaison_reads_a_referred_case_without_contacts_with_the_victim(world: World) -> None:
    created = new_case(world)
    aid = _allegation(world, created.case_id)
    cw.record_iopc_referral(world.uow(), world.iopc, created.case_id, allegation_id=aid, rationale="For oversight.")
    cw.record_iopc_decision(world.uow(), world.iopc, created.case_id, IopcDecision.LOCAL_INVESTIGATION,
                            allegation_id=aid)
    entries.add_entry(world.uow(), world.sup, created.case_id, note("Visited V1.", EntryKind.VICTIM_CONTACT,
                                                                    victim_ref="V1", method="visit"))
    entries.add_entry(world.uow(), world.sup, created.case_id, note("Asked the IOPC for an update."))
    log = timeline.read_log(world.uow(), world.iopc, created.case_id)
    assert log.victim_contacts_withheld
    kinds = [i.kind for i in log.items]
    assert "VICTIM_CONTACT" not in kinds and "VICTIM_UPDATE" not in kinds and "NOTE" in kinds
    with pytest.raises(PermissionDenied):
        entries.add_entry(world.uow(), world.iopc, created.case_id, note("The IOPC does not write here."))


def test_the_log_is_searched_by_words_and_kind_in_the_query(world: World) -> None:
    created = with_summary(world)
    for text, kind in (("CCTV requested from the council.", EntryKind.ACTION_TAKEN),
                       ("The council sent the CCTV on a disc.", EntryKind.CORRESPONDENCE),
                       ("100% sure the car was hers.", EntryKind.NOTE)):
        entries.add_entry(world.uow(), world.sup, created.case_id, note(text, kind))
    search = lambda q, *k: [i.text for i in timeline.read_log(  # noqa: E731
        world.uow(), world.sup, created.case_id, LogQuery(q, frozenset(k))).items]
    assert search("cctv council") == ["The council sent the CCTV on a disc.", "CCTV requested from the council."]
    assert search("cctv", "CORRESPONDENCE") == ["The council sent the CCTV on a disc."]
    assert search("%") == ["100% sure the car was hers."]  # a LIKE wildcard is searched for, not matched anyhow
    assert search("", "DECISION") == [""]  # the recording decision (no rationale)
    assert search("conduct matter", "DECISION") == [""]  # decisions are searched in what was decided too
    assert search("nothing-like-this") == []
    assert world.log(created.reference)[-1][2] == "case log searched (0 items)"


def test_a_disposed_case_takes_no_entry(world: World) -> None:
    created = new_case(world)
    with world.uow() as uow:
        from app.persistence.models import CaseRow

        row = uow.session.get(CaseRow, created.case_id)
        assert row is not None
        row.status = "DISPOSED"
        uow.commit()
    with pytest.raises(RuleRefused, match="has been disposed of"):
        entries.add_entry(world.uow(), world.sup, created.case_id, note("Too late."))

