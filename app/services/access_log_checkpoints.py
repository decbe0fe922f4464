"""Signed checkpoints of the access log's head, kept outside the database.

The anchor is Certificate Transparency's signed tree head (RFC 6962 §3.5, RFC 9162 §4.10): a log
periodically signs "I held N entries and they hash to H", and anyone holding such a statement can
later check that the log still begins with exactly those N entries. Here the hash chain's last
hash stands for the Merkle root, and re-walking the chain (`audit verify`) stands for the
consistency proof: an auditor who holds a checkpoint detects entries removed from the end, a chain
rewritten and re-hashed, entries reordered or inserted, and an emptied log.

A checkpoint is one JSON line appended to a file outside the database (FORMAT below):
    {"v": "ppda-access-log-checkpoint/1", "log": <hash of entry 1>, "size": N, "head": <hash of entry N>,
     "at": <UTC time>, "event": "commit" | "sign-in" | "manual" | "restore", "key": <Ed25519 public key,
     base64>, "sig": <signature over signing_bytes(), base64>}
One is written after every transaction that wrote log entries (signing and appending a line is
cheap: no extra query), at every sign-in, and on demand (`audit checkpoint --out FILE`). The file
is `<database file>.checkpoints` beside an SQLite database, `<data dir>/checkpoints/<server>-<port>-
<database>.checkpoints` for PostgreSQL, or the file named by PPDA_CHECKPOINT_FILE.

The signing key: an Ed25519 private key in the OS keyring (one per keyring, so one per user and
workstation), created when first needed; PPDA_CHECKPOINT_KEY supplies one to automation. Where no
keyring exists, a key is made for the session and kept in memory only (never written anywhere): its
checkpoints still pin the log's head for whoever holds the file, but the key cannot be pinned in
advance (docs/security.md says what each attacker can and cannot do).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import URL, event, select
from sqlalchemy.orm import Session

from app.config import data_dir
from app.domain.errors import InvalidInput
from app.persistence.models import AccessLogRow
from app.persistence.secrets import SecretStore
from app.private_files import append_private, private_dir

if TYPE_CHECKING:  # cryptography is imported when a key is first used: it is off the start-up path
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

log = logging.getLogger(__name__)

FORMAT = "ppda-access-log-checkpoint/1"
KEY_NAME = "access-log-checkpoint"  # the keyring entry: base64 of the raw 32-byte private key
ENV_KEY = "PPDA_CHECKPOINT_KEY"  # automation where no keyring exists (never written anywhere)
ENV_FILE = "PPDA_CHECKPOINT_FILE"  # another checkpoint file (e.g. on a drive the auditor keeps)
SUFFIX = ".checkpoints"
EVENTS = ("commit", "sign-in", "manual", "restore")


@dataclass(frozen=True)
class Checkpoint:
    log: str  # the hash of the log's first entry: which chain this is about
    size: int  # how many entries the signer saw
    head: str  # the hash of entry `size`
    at: str  # when (UTC, ISO 8601)
    event: str
    key: str  # the signer's public key, base64
    sig: str = ""
    origin: str = field(default="", compare=False)  # "FILE line N" when read back (not signed)

    def signing_bytes(self) -> bytes:
        """A fixed rendering with a domain label, so that no JSON serialiser's choices matter."""
        return "\n".join((FORMAT, self.log, str(self.size), self.head, self.at, self.event, self.key)).encode()

    def line(self) -> bytes:
        body = {"v": FORMAT, **{k: v for k, v in asdict(self).items() if k != "origin"}}
        return (json.dumps(body, separators=(",", ":")) + "\n").encode()

    def signature_valid(self) -> bool:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            public = Ed25519PublicKey.from_public_bytes(base64.b64decode(self.key, validate=True))
            public.verify(base64.b64decode(self.sig, validate=True), self.signing_bytes())
        except (ValueError, InvalidSignature):
            return False
        return True

    @property
    def moment(self) -> datetime:
        return datetime.fromisoformat(self.at)


def fingerprint(public_key: str) -> str:
    """A short, readable form of a public key to compare by eye (the key itself is for --trust)."""
    digest = hashlib.sha256(base64.b64decode(public_key)).hexdigest()[:16]
    return ":".join(digest[i:i + 4] for i in range(0, 16, 4))


def parse_public_key(text: str) -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        raw = base64.b64decode(text.strip(), validate=True)
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise InvalidInput(f"'{text[:60]}' is not an Ed25519 public key (32 bytes, base64).") from None
    return base64.b64encode(raw).decode()


# ---- the signing key ------------------------------------------------------------------------------

class Signer:
    def __init__(self, private: Ed25519PrivateKey, kept: bool) -> None:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        self._private = private
        self.kept = kept  # False: a key for this session only (no keyring)
        raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public = base64.b64encode(raw).decode()

    def sign(self, log_id: str, size: int, head: str, what: str) -> Checkpoint:
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        unsigned = Checkpoint(log_id, size, head, at, what, self.public)
        sig = base64.b64encode(self._private.sign(unsigned.signing_bytes())).decode()
        return Checkpoint(log_id, size, head, at, what, self.public, sig)


_signers: dict[str, Signer] = {}
_session_only: list[Signer] = []


def _from_text(text: str, kept: bool) -> Signer:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if text not in _signers:
        try:
            private = Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
        except ValueError:
            raise InvalidInput(f"The checkpoint key ({ENV_KEY} or the keyring's '{KEY_NAME}') is not an "
                               "Ed25519 private key (32 bytes, base64).") from None
        _signers[text] = Signer(private, kept)
    return _signers[text]


def stored_key(secrets: SecretStore | None = None) -> Signer | None:
    """The workstation's key if it has one (from PPDA_CHECKPOINT_KEY or the keyring); never makes one."""
    text = os.environ.get(ENV_KEY) or (secrets or SecretStore(quiet=True)).get(KEY_NAME)
    return _from_text(text, True) if text else None


def signer(secrets: SecretStore | None = None) -> Signer:
    """The key that signs checkpoints: the stored one, else a new one kept in the keyring, else
    (no keyring) one for this session only."""
    secrets = secrets or SecretStore(quiet=True)
    found = stored_key(secrets)
    if found is not None:
        return found
    if _session_only:
        return _session_only[0]
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    private = Ed25519PrivateKey.generate()
    text = base64.b64encode(private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())).decode()
    if secrets.put(KEY_NAME, text):
        log.info("Created this workstation's access-log checkpoint key (in the OS keyring)")
        return _from_text(text, True)
    log.info("No OS keyring: access-log checkpoints are signed with a key kept for this session only "
             "(set %s for a lasting key; docs/security.md)", ENV_KEY)
    _session_only.append(Signer(private, False))
    return _session_only[0]


# ---- where checkpoints are kept -----------------------------------------------------------------------

def checkpoint_path(url: URL) -> Path | None:
    """The checkpoint file for the database at `url` (None for an in-memory database)."""
    override = os.environ.get(ENV_FILE)
    if override:
        return Path(override)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return None
        return Path(url.database + SUFFIX)
    name = "-".join(str(part) for part in (url.host or "local", url.port or 5432, url.database or "postgres"))
    return data_dir() / "checkpoints" / (re.sub(r"[^A-Za-z0-9._-]", "_", name) + SUFFIX)


def append(path: Path, checkpoint: Checkpoint, *, durable: bool = False) -> None:
    private_dir(path.parent)
    append_private(path, checkpoint.line(), durable=durable)


def last_signed_by(path: Path, key: str) -> Checkpoint | None:
    """The file's last well-formed line signed by `key`, read backwards from the end (the file grows
    with every action; the line sought is nearly always in the last few kilobytes)."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return None
    with fh:
        end, carry = fh.seek(0, os.SEEK_END), b""
        while end > 0:
            start = max(0, end - 65536)
            fh.seek(start)
            lines = (fh.read(end - start) + carry).split(b"\n")
            carry, complete = (lines[0], lines[1:]) if start else (b"", lines)
            for raw in reversed(complete):
                found = parse_line(raw) if raw.strip() else None
                if isinstance(found, Checkpoint) and found.key == key and found.signature_valid():
                    return found
            end = start
    return None


def parse_line(raw: bytes, origin: str = "") -> Checkpoint | str:
    """A checkpoint, or why the line is not one."""
    try:
        body = json.loads(raw)
        if body.pop("v") != FORMAT:
            return "has an unknown format"
        cp = Checkpoint(**body, origin=origin)
        if not (isinstance(cp.size, int) and all(isinstance(v, str) for v in (cp.log, cp.head, cp.at, cp.event))):
            return "is not a checkpoint"
        cp.moment  # noqa: B018 - a valid time
        return cp
    except (ValueError, TypeError, KeyError, AttributeError):
        return "is not a checkpoint"


# ---- writing: after each transaction that wrote entries, and on demand ------------------------------

_PENDING = "ppda.log.pending"


def note_written(session: Session, log_id: str, size: int, head: str) -> None:
    """Called for each entry written: once the transaction commits, its last entry is checkpointed."""
    session.info[_PENDING] = (log_id, size, head)
    if not event.contains(session, "after_commit", _after_commit):
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_rollback", _after_rollback)


def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is not None:
        log_id, size, head = pending
        write(session, log_id, size, head, what="commit")


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def write(session: Session, log_id: str, size: int, head: str, what: str, *,
          also: Path | None = None) -> Checkpoint | None:
    """Sign (log, size, head) and append it to the database's checkpoint file (and to `also`).

    The entries are committed already: a checkpoint that cannot be written (a full disk, no right to
    write the file) must not make the action look failed, so it is logged and the action stands."""
    path = checkpoint_path(session.get_bind().engine.url)
    try:
        checkpoint = signer().sign(log_id, size, head, what)
        if path is not None:
            append(path, checkpoint)
        if also is not None:
            append(also, checkpoint, durable=True)
        return checkpoint
    except Exception:
        if also is not None:
            raise
        log.exception("An access-log checkpoint could not be written (entry %s)", size)
        return None


def current_head(session: Session) -> tuple[str, int, str] | None:
    """(log id, size, head) of the log as the database holds it now; None when it is empty."""
    last = session.execute(select(AccessLogRow.seq,
                                  AccessLogRow.hash).order_by(AccessLogRow.seq.desc()).limit(1)).first()
    if last is None:
        return None
    first = session.scalar(select(AccessLogRow.hash).where(AccessLogRow.seq == 1))
    return (first or "", last.seq, last.hash)


def at_sign_in(session: Session) -> None:
    """A sign-in checkpoints the head, provided the log still extends this key's last checkpoint in
    the file. It never signs a log it cannot check so: not when the file has no checkpoint of this
    key (it may have been replaced), nor when the log no longer matches (it warns; `audit verify`
    says what happened). A workstation's first checkpoint comes from its first action instead."""
    head = current_head(session)
    path = checkpoint_path(session.get_bind().engine.url)
    key = stored_key()
    if head is None or path is None or key is None:
        return
    previous = last_signed_by(path, key.public)
    if previous is None:
        return
    stored = session.scalar(select(AccessLogRow.hash).where(AccessLogRow.seq == previous.size))
    if previous.log != head[0] or stored != previous.head:
        log.warning("The access log does not match this workstation's last signed checkpoint (entry %s): entries "
                    "were removed or rewritten. Run `ppda-tracker audit verify`.", previous.size)
        return
    write(session, *head, what="sign-in")
