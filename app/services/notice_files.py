"""Signed notice files between forces (DOMAIN.md §4, FORMATS.md "Prior notices").

An outbound file is the notices CSV plus a manifest `<file>.manifest.json`:

    {"format": "ppda-notice-file/1", "issuing_force": "kent", "recipient": "west-midlands",
     "file": "notices.csv", "rows": 12, "sha256": "<hex of the CSV bytes>",
     "created_at": "2026-11-25T10:00:00", "signature": "<base64 Ed25519 over the other fields>"}

The signature covers the canonical JSON of every field but `signature`, so neither the CSV nor the
manifest can be altered unnoticed. The force's private key lives in the OS keyring; other forces'
public keys are reference data (force.public_key). On import a manifest must verify; a file with
no manifest is refused unless every row comes from the PND or the College lists and the user says
to accept it unsigned (that acceptance is logged).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from sqlalchemy import select

from app.domain.enums import AccessOperation, CaseStatus
from app.domain.errors import InvalidInput, NotFound, RuleRefused, SecretUnavailable, UnsignedNoticeFile
from app.domain.permissions import Action, require
from app.domain.records import User
from app.persistence.models import AllegationRow, CaseRow, DecisionRow, ForceRow, PersonRow, SettingRow
from app.persistence.secrets import SecretStore
from app.persistence.uow import UnitOfWork
from app.reports.cells import formula_leading
from app.reports.files import atomic_path
from app.services import audit, clock
from app.services.imports.cells import EXCERPT_LENGTH, character_problem, excerpt
from app.services.imports.notices import COLUMNS, import_notices
from app.services.imports.reader import records
from app.services.imports.workforce import ImportSummary

FORMAT = "ppda-notice-file/1"
UNSIGNED_SOURCES = frozenset({"PND", "COLLEGE_BARRED_LIST", "COLLEGE_ADVISORY_LIST"})
ENV_SIGNING_KEY = "PPDA_SIGNING_KEY"  # automation only (base64 raw private key); never written anywhere
HEADER = [c.name for c in COLUMNS]
MULTILINE = frozenset(c.name for c in COLUMNS if c.multiline)


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def _canonical(manifest: dict[str, object]) -> bytes:
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# ---- keys ----------------------------------------------------------------------------------

def _key_name(force: str) -> str:
    return f"signing:{force}"


def _home(uow: UnitOfWork) -> str:
    row = uow.session.get(SettingRow, "home_force")
    if row is None:
        raise RuleRefused("The database has not been set up.")
    return row.value


def create_signing_key(uow: UnitOfWork, actor: User, secrets: SecretStore | None = None) -> str:
    """Generate the home force's key pair: private key to the keyring, public key to reference data.
    Returns the public key (base64) to send to other forces."""
    require(actor, Action.ADMINISTER)
    secrets = secrets or SecretStore()
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
    with uow:
        home = _home(uow)
        kept = secrets.put(_key_name(home), base64.b64encode(raw).decode())
        if not kept:
            raise SecretUnavailable(
                "No OS keyring is available, so the force's signing key cannot be kept. Create it on a "
                "workstation with a keyring.")
        force = uow.session.get(ForceRow, home)
        assert force is not None
        force.public_key = public
        audit.record(uow.session, actor, AccessOperation.ALTERATION, "force_key", home, detail="signing key created")
        uow.commit()
    return public


def set_public_key(uow: UnitOfWork, actor: User, force_code: str, public_key: str) -> None:
    require(actor, Action.ADMINISTER)
    try:
        raw = base64.b64decode(public_key.strip(), validate=True)
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise InvalidInput("That is not an Ed25519 public key (32 bytes, base64).") from None
    with uow:
        force = uow.session.get(ForceRow, force_code)
        if force is None:
            raise NotFound(f"No force with code '{force_code}'.")
        force.public_key = public_key.strip()
        audit.record(uow.session, actor, AccessOperation.ALTERATION, "force_key", force_code, detail="public key set")
        uow.commit()


def _private_key(home: str, secrets: SecretStore) -> Ed25519PrivateKey:
    text = os.environ.get(ENV_SIGNING_KEY) or secrets.get(_key_name(home), question="The force's notice-signing key")
    if not text:
        raise SecretUnavailable(
            "The force's notice-signing key is not in this workstation's keyring. An administrator "
            "creates it with `ppda-tracker keys create`.")
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text))


# ---- outbound ------------------------------------------------------------------------------

@dataclass(frozen=True)
class OutboundResult:
    file: Path
    manifest: Path
    rows: int


def export_transferee_notices(uow: UnitOfWork, actor: User, recipient: str, staff_numbers: list[str],
                              out: Path, secrets: SecretStore | None = None) -> OutboundResult:
    """A notice file telling `recipient` of the PPDA allegations against people who moved there."""
    require(actor, Action.EXPORT_NOTICES)
    with uow:
        home = _home(uow)
        if uow.session.get(ForceRow, recipient) is None:
            raise NotFound(f"No force with code '{recipient}'.")
        rows = [_transferee_row(uow, home, recipient, sn) for sn in staff_numbers]
    return write_signed(uow, actor, recipient, rows, out, secrets)


def _transferee_row(uow: UnitOfWork, home: str, recipient: str, staff_number: str) -> dict[str, str]:
    person = uow.session.scalar(select(PersonRow).where(PersonRow.staff_number == staff_number))
    if person is None:
        raise NotFound(f"No one with staff number {staff_number} is in the workforce register.")
    cases = uow.session.execute(
        select(CaseRow.reference, CaseRow.status, CaseRow.received_date).join(AllegationRow,
                                                                              AllegationRow.case_id == CaseRow.id)
        .where(AllegationRow.subject_id == person.id).order_by(CaseRow.received_date)).all()
    if not cases:
        raise RuleRefused(f"{staff_number} has no PPDA allegations recorded: there is nothing to notify.")
    outcomes = uow.session.scalars(select(DecisionRow.payload).join(AllegationRow,
                                                                    AllegationRow.id == DecisionRow.allegation_id)
                                   .where(AllegationRow.subject_id == person.id,
                                          DecisionRow.kind == "MISCONDUCT_OUTCOME")).all()
    summary = (f"{len(cases)} PPDA allegation(s) recorded by {home}: "
               + ", ".join(f"{r} ({'open' if s == CaseStatus.OPEN.name else 'closed'})" for r, s, _ in cases)
               + (f"; outcomes: {', '.join(sorted({o.get('outcome', '') for o in outcomes}))}" if outcomes else ""))
    return {
        "notice_id": f"{home}-{staff_number}-{cases[-1][0]}", "issuing_force": home,
        "notice_date": clock.today().isoformat(), "record_type": "MISCONDUCT", "surname": person.surname,
        "forenames": person.forenames, "date_of_birth": person.date_of_birth.isoformat(),
        "staff_number": person.staff_number, "warrant_number": person.warrant_number or "", "pnc_id": "",
        "employing_force": recipient, "summary": summary, "handling": "OFFICIAL-SENSITIVE: PSD to PSD only",
    }


def unsafe_values(rows: list[dict[str, str]]) -> list[str]:
    """The values an outbound file may not carry, as "notice N, column: why": a value a spreadsheet
    would run as a formula, or with a control or invisible character. The receiving force imports
    the file as it is, so nothing is escaped: such a record is refused, named, for a person to correct."""
    problems = []
    for row in rows:
        for column in HEADER:
            value = row.get(column) or ""
            why = ("starts with a formula character" if formula_leading(value)
                   else character_problem(value, multiline=column in MULTILINE))
            if why:
                problems.append(f"notice {row.get('notice_id', '?')}, {column}: {why}")
    return problems


def write_signed(uow: UnitOfWork, actor: User, recipient: str, rows: list[dict[str, str]], out: Path,
                 secrets: SecretStore | None = None) -> OutboundResult:
    """Write the CSV and its signed manifest (atomically); logged as a disclosure to `recipient`."""
    require(actor, Action.EXPORT_NOTICES)
    problems = unsafe_values(rows)
    if problems:
        raise RuleRefused("The notice file was not written: another force's system imports it as it is, and "
                          "these values would be refused there or run as formulas in a spreadsheet. Correct "
                          "the records first:\n  " + "\n  ".join(problems[:20]))
    secrets = secrets or SecretStore()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    with uow:
        home = _home(uow)
        key = _private_key(home, secrets)
        manifest: dict[str, object] = {
            "format": FORMAT, "issuing_force": home, "recipient": recipient, "file": out.name, "rows": len(rows),
            "sha256": hashlib.sha256(data).hexdigest(), "created_at": clock.now().isoformat(timespec="seconds"),
            "marking": "OFFICIAL-SENSITIVE",
        }
        manifest["signature"] = base64.b64encode(key.sign(_canonical(manifest))).decode()
        # The files take their names only once the disclosure is committed: a refused or cancelled
        # export leaves neither the file nor a half-written one.
        with atomic_path(out) as temp, atomic_path(manifest_path(out)) as temp_manifest:
            temp.write_bytes(data)
            temp_manifest.write_bytes(json.dumps(manifest, indent=2).encode("utf-8"))
            audit.record(uow.session, actor, AccessOperation.DISCLOSURE, "notice_file", out.name, recipient=recipient,
                         detail=f"{len(rows)} notice(s) sent")
            uow.commit()
    return OutboundResult(out, manifest_path(out), len(rows))


# ---- inbound -------------------------------------------------------------------------------

def _manifest(path: Path) -> dict[str, object]:
    mpath = manifest_path(path)
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise RuleRefused(f"{mpath.name} cannot be read as a notice-file manifest.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise RuleRefused(f"{mpath.name}: unknown manifest format {found!r}; expected {FORMAT}.")
    return manifest


def verify_file(uow: UnitOfWork, path: Path, digest: str | None = None) -> str:
    """Check the manifest next to `path` against the file's SHA-256 `digest` (default: read now);
    returns the issuing force. Refused with the reason: a wrong signature, an altered file, or a
    file addressed to another force (a signed file is for its recipient only)."""
    manifest = _manifest(path)
    issuer = str(manifest.get("issuing_force"))
    with uow:
        home = _home(uow)
        force = uow.session.get(ForceRow, issuer)
        if force is None or not force.public_key:
            raise RuleRefused(f"{path.name} says it comes from '{issuer}', but no public key for that force is held; "
                              "an administrator adds it with `ppda-tracker keys set-public`.")
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(force.public_key))
    try:
        public.verify(base64.b64decode(str(manifest.get("signature", ""))), _canonical(manifest))
    except (InvalidSignature, ValueError):
        raise RuleRefused(f"{path.name}: the manifest's signature does not verify with {issuer}'s public key; "
                          "the file may have been altered. Nothing was imported.") from None
    if (digest or hashlib.sha256(path.read_bytes()).hexdigest()) != manifest.get("sha256"):
        raise RuleRefused(f"{path.name} has been altered since {issuer} signed it (its digest differs from the "
                          "manifest). Nothing was imported.")
    if manifest.get("recipient") != home:
        raise RuleRefused(f"{path.name} was signed by {issuer} for {manifest.get('recipient')!r}, not for this force "
                          f"({home}): a notice file is for its recipient only. Nothing was imported.")
    return issuer


@contextmanager
def _private_copy(path: Path) -> Iterator[tuple[IO[bytes], str]]:
    """A copy of the file only this process can see, and its SHA-256: what is verified is what is
    imported, even if the file is replaced on disk meanwhile."""
    try:
        source = path.open("rb")
    except OSError as exc:
        raise InvalidInput(f"{path.name}: cannot be read ({exc.strerror}).") from None
    with source, tempfile.TemporaryFile() as copy:
        digest = hashlib.sha256()
        while chunk := source.read(1 << 20):
            digest.update(chunk)
            copy.write(chunk)
        copy.seek(0)
        yield copy, digest.hexdigest()


def _issuers(path: Path, stream: IO[bytes]) -> set[str]:
    with records(path, stream) as recs:
        names = [h.strip().lower() for h in recs.header]
        if "issuing_force" not in names:
            return set()
        i = names.index("issuing_force")
        found = {cells[i].strip().upper() if cells[i].strip().upper() in UNSIGNED_SOURCES else cells[i].strip().lower()
                 for _, cells in recs if i < len(cells) and cells[i].strip()}
    stream.seek(0)
    return found


def _listed(values: list[str], most: int = 5) -> str:
    """Issuers named in a message: short excerpts of at most `most` of them (a file can hold anything)."""
    shown = [v if len(v) <= EXCERPT_LENGTH and not character_problem(v) else excerpt(v) for v in values[:most]]
    return ", ".join(shown) + (f" and {len(values) - most} more" if len(values) > most else "")


def import_notice_file(uow: UnitOfWork, actor: User, path: Path, *, accept_unsigned: bool = False,
                       workers: int = 1) -> tuple[ImportSummary, list[int]]:
    """``workers`` > 1: the matching after the import may fork processes (the command line only)."""
    require(actor, Action.IMPORT_NOTICES)
    with _private_copy(path) as (copy, digest):
        issuers = _issuers(path, copy)
        if manifest_path(path).exists():
            signer = verify_file(uow, path, digest)
            strays = sorted(i for i in issuers if i != signer)
            if strays:
                raise RuleRefused(f"{path.name} is signed by {signer} but has rows issued by {_listed(strays)}.")
            return import_notices(uow, actor, path, signature_state="VERIFIED", stream=copy, workers=workers)
        forces = sorted(i for i in issuers if i not in UNSIGNED_SOURCES)
        if forces:
            raise RuleRefused(f"{path.name} has no signed manifest ({manifest_path(path).name}) but has notices from "
                              f"{_listed(forces)}; notices from a force must come in a signed file. Nothing was "
                              "imported.")
        if not accept_unsigned:
            raise UnsignedNoticeFile(path.name, sorted(issuers))
        result = import_notices(uow, actor, path, signature_state="ACCEPTED_UNSIGNED", stream=copy, workers=workers)
    with uow:
        audit.record(uow.session, actor, AccessOperation.COLLECTION, "notice_import", path.name,
                     reason="unsigned file accepted by the user", detail=f"sources: {', '.join(sorted(issuers))}")
        uow.commit()
    return result
