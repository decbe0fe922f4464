"""The case-file PDF through the service and the command line, on SQLite and PostgreSQL: what it
holds (read back with pdftotext), OFFICIAL-SENSITIVE on every page, victims' contact details never
in it, the disclosure logged with its recipient, and a refusal with nothing written for anyone who
may not open the case. Retention disposal erases the whole case file."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.domain.case_file import DocumentKind, EntryInput, EntryKind
from app.domain.enums import IopcDecision, RestrictionOption
from app.domain.errors import InvalidInput, PermissionDenied
from app.persistence.case_file_models import (
    CaseDocumentRow,
    CaseLogEntryRow,
    CaseTaskRow,
    DocumentChunkRow,
    DocumentVersionRow,
)
from app.persistence.models import AccessLogRow, CaseRow
from app.services import case_queries as cq
from app.services import casework as cw
from app.services import retention
from app.services.casefile import documents, entries, export, tasks
from tests.helpers import PASSWORD
from tests.integration.test_case_documents import pdf
from tests.integration.test_casework_support import RECEIVED, World, intake, pin, victim, world

__all__ = ["world"]
CONTACT = "07700 900123, 14 Acacia Avenue"
SUMMARY = "Ex-partner reports threats and tracking of her car by PC Carter."
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is missing")


def pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return [p for p in text.split("\f") if p.strip()]


def full_case(w: World, tmp_path: Path) -> tuple[int, str, str]:
    """A case with a summary, decisions (one proposed by the investigator), log entries (one corrected,
    one contact with the victim), a task and a document; (case id, reference, document SHA-256)."""
    made = cw.create_case(w.uow(), w.inv, dataclasses.replace(
        intake(victims=(victim("V1", contact_details=CONTACT),)), summary=SUMMARY))
    aid = cq.open_case(w.uow(), w.inv, made.case_id).allegations[0].id
    pin(RECEIVED + timedelta(days=1))
    cw.record_threshold(w.uow(), w.inv, made.case_id, aid, approver=w.sup, rationale="He is said to have used "
                        "police systems to find her new address.")
    cw.record_restriction(w.uow(), w.sup, made.case_id, aid, [RestrictionOption.RESTRICTED_DUTIES,
                                                              RestrictionOption.SYSTEMS_ACCESS_RESTRICTED],
                          rationale="Keeps him off the systems he is said to have misused.")
    first = entries.add_entry(w.uow(), w.inv, made.case_id,
                              EntryInput(EntryKind.NOTE, "Audit of PNC searches asked for."))
    entries.correct_entry(w.uow(), w.inv, first.entry_id, "Audit of PNC and PND searches asked for.", "PND too.")
    entries.add_entry(w.uow(), w.inv, made.case_id, EntryInput(EntryKind.VICTIM_CONTACT, "Told her of the restriction.",
                                                               victim_ref="V1", method="visit"))
    tasks.give_task(w.uow(), w.inv, made.case_id, "Obtain the systems audit", "inv", RECEIVED + timedelta(days=8))
    doc = documents.attach(w.uow(), w.inv, made.case_id, pdf(tmp_path / "statement.pdf"), title="Statement of V1",
                           kind=DocumentKind.STATEMENT)
    return made.case_id, made.reference, doc.sha256


@needs_pdftotext
def test_the_case_file_holds_the_case_and_never_the_victims_contact_details(world: World, tmp_path: Path) -> None:
    case_id, reference, sha = full_case(world, tmp_path)
    out = tmp_path / "bundle.pdf"
    done = export.export_case_file(world.uow(), world.sup, case_id, "IOPC (referral)", out, purpose="IOPC referral")
    assert (done.reference, done.decisions, done.documents) == (reference, 4, 1)  # recording, assignment, 2 decided
    text = pages(out)
    assert done.pages == len(text) >= 3
    assert all(p.count("OFFICIAL-SENSITIVE") >= 1 for p in text)
    whole = " ".join(" ".join(p.split()) for p in text)
    for expected in (reference, "Prepared for IOPC (referral)", SUMMARY, "Carter, Alex (S100)",
                     "used police systems to find her new address", "Proposed by inv; Decided by sup; Approved by sup",
                     "Restricted duties, Systems access restricted", "Audit of PNC and PND searches asked for.",
                     "Correction of entry", "CORRECTED by entry", "Told her of the restriction.",
                     "Contact with the victim",
                     "Obtain the systems audit", sha[:32], sha[32:], "Statement of V1", "Former partner",
                     "Victims' contact details are excluded"):
        assert expected in whole, expected
    assert CONTACT not in whole and "07700" not in whole and "Acacia" not in whole
    with world.uow() as uow:
        entry = uow.session.execute(select(AccessLogRow.operation, AccessLogRow.record_id, AccessLogRow.recipient,
                                           AccessLogRow.detail).order_by(AccessLogRow.seq.desc()).limit(1)).one()
    assert tuple(entry) == (
        "DISCLOSURE", reference, "IOPC (referral)", f"case file exported ({done.pages} pages, OFFICIAL-SENSITIVE)")


@needs_pdftotext
def test_the_iopc_liaisons_case_file_leaves_the_victims_out(world: World, tmp_path: Path) -> None:
    case_id, _reference, _ = full_case(world, tmp_path)
    aid = cq.open_case(world.uow(), world.sup, case_id).allegations[0].id
    cw.record_iopc_referral(world.uow(), world.iopc, case_id, allegation_id=aid)
    cw.record_iopc_decision(world.uow(), world.iopc, case_id, IopcDecision.LOCAL_INVESTIGATION, allegation_id=aid)
    out = tmp_path / "iopc.pdf"
    export.export_case_file(world.uow(), world.iopc, case_id, "Misconduct hearing panel", out)
    whole = " ".join(" ".join(p.split()) for p in pages(out))
    assert "Victims' details are not shown to the IOPC liaison" in whole
    assert "Told her of the restriction." not in whole and "Former partner" not in whole
    assert "Audit of PNC and PND searches asked for." in whole


def test_anyone_who_may_not_open_the_case_is_refused_and_nothing_is_written(world: World, tmp_path: Path) -> None:
    case_id, reference, _ = full_case(world, tmp_path)
    out = tmp_path / "refused.pdf"
    for user in (world.inv2, world.mgr_inv, world.lead):
        with pytest.raises(PermissionDenied):
            export.export_case_file(world.uow(), user, case_id, "IOPC", out)
    assert list(tmp_path.glob("*refused*")) == [] and list(tmp_path.glob(".refused*")) == []
    assert ("inv2", "CONSULTATION", "refused: case file export") in world.log(reference)
    with pytest.raises(InvalidInput, match="^recipient: say who receives it"):
        export.export_case_file(world.uow(), world.sup, case_id, " ", out)
    with pytest.raises(InvalidInput, match=r"should end in .pdf"):
        export.export_case_file(world.uow(), world.sup, case_id, "IOPC", tmp_path / "bundle.docx")
    assert not out.exists()


def test_export_case_file_on_the_command_line(world: World, tmp_path: Path, db_url: str,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    _case_id, reference, _ = full_case(world, tmp_path)
    monkeypatch.setenv("PPDA_PASSWORD", PASSWORD)
    out = tmp_path / "cli.pdf"
    cli = lambda user, *a: main(["--db", db_url, "--user", user, "export", "case-file", *a])  # noqa: E731
    assert cli("sup", "--case", reference, "--to", "IOPC", "--out", str(out), "--purpose", "IOPC referral") == 0
    said = capsys.readouterr().out
    assert said.startswith(f"Case file {reference} written to {out} for IOPC (OFFICIAL-SENSITIVE):")
    assert out.read_bytes().startswith(b"%PDF-")
    refused = tmp_path / "inv2.pdf"
    assert cli("inv2", "--case", reference, "--to", "IOPC", "--out", str(refused)) == 1
    assert "You may not open case" in capsys.readouterr().err and not refused.exists()
    assert cli("sup", "--case", "PSD-1999-000009", "--to", "IOPC", "--out", str(refused)) == 1
    assert "There is no case PSD-1999-000009" in capsys.readouterr().err and not refused.exists()
    with pytest.raises(SystemExit) as usage:
        cli("sup", "--case", reference, "--out", str(refused))  # no --to
    assert usage.value.code == 2


def test_retention_disposal_erases_the_whole_case_file(world: World, tmp_path: Path) -> None:
    case_id, reference, _ = full_case(world, tmp_path)
    with world.uow() as uow:  # closed long ago, past its review date
        row = uow.session.get(CaseRow, case_id)
        assert row is not None
        row.status, row.retention_review_date = "CLOSED", RECEIVED
        uow.commit()
    retention.dispose(world.uow(), world.sup, case_id, "Past retention; no barred-list matter.", world.head)
    with world.uow() as uow:
        left = [int(uow.session.scalar(select(func.count()).select_from(t)) or 0)
                for t in (CaseLogEntryRow, CaseTaskRow, CaseDocumentRow, DocumentVersionRow, DocumentChunkRow)]
    assert left == [0, 0, 0, 0, 0]
    erasure = [d for _, op, d in world.log(reference) if op == "ERASURE"]
    assert erasure and "case file erased (4 log entries, 1 documents in 1 versions, 1 tasks)" in (erasure[0] or "")
