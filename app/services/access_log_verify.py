"""`audit verify`: the chain walked in order, then compared with every signed checkpoint.

A checkpoint (log, size, head) held outside the database must still be true of the log: the log
begins with the same first entry, has at least `size` entries, and entry `size` has the hash
`head`. So, for an attacker who can change the database but not the checkpoint file (or the
auditor's copy of it):
- entries removed from the end: the log is shorter than a checkpoint's size;
- entries changed, inserted or reordered and the chain re-hashed: the hash at a checkpoint's size
  differs from its head;
- the log rewritten from its first entry: the log id differs;
- an emptied log: no entries where checkpoints (or the database's user accounts) say there were.
A line that disagrees with the log is believed only if its signature verifies (otherwise it is
reported as an altered or forged line); a line that agrees needs no check, as it can only confirm
what the chain shows, so verification reads a file of a million lines in seconds. A restore from a backup rolls
the log back on purpose: its signed "restore" checkpoint releases the earlier checkpoints of the
same key that the restored log no longer reaches (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import func, select

from app.domain.errors import InvalidInput
from app.persistence.models import UserRow
from app.persistence.uow import UnitOfWork
from app.services import access_log_checkpoints as checkpoints
from app.services.access_log_chain import VerifyResult, verify_chain
from app.services.access_log_checkpoints import Checkpoint, fingerprint


@dataclass
class Book:
    """The checkpoints read from the files, and what was wrong with any line."""

    looked: list[Path]  # the files read (or looked for)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _valid: dict[str, bool] = field(default_factory=dict)

    def valid(self, c: Checkpoint) -> bool:
        """Whether the line's signature verifies (checked once, and only when it matters)."""
        if c.origin not in self._valid:
            self._valid[c.origin] = c.signature_valid()
        return self._valid[c.origin]

    def where(self) -> str:
        named = [f"{p}{'' if p.exists() else ' (no such file)'}" for p in self.looked]
        return ", ".join(named) or "no checkpoint file (an in-memory database)"


def load(paths: Sequence[Path], *, required: bool) -> Book:
    book = Book(list(paths))
    for path in paths:
        if required and not path.is_file():
            raise InvalidInput(f"No checkpoint file {path}: give the file written by `audit checkpoint --out`, or "
                               "a copy of the database's checkpoint file.")
        if path.is_file():
            _read(path, book)
    return book


def _read(path: Path, book: Book) -> None:
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            origin = f"{path.name} line {number}"
            found = checkpoints.parse_line(raw, origin)
            if isinstance(found, str):
                book.problems.append(f"{origin} {found}")
            else:
                book.checkpoints.append(found)


def verify(uow: UnitOfWork, against: Sequence[Path], trusted: Sequence[str]) -> VerifyResult:
    anchors = frozenset(checkpoints.parse_public_key(k) for k in trusted)
    with uow:
        default = checkpoints.checkpoint_path(uow.session.get_bind().engine.url)
        book = load(list(against) or ([default] if default else []), required=bool(against))
        chain = verify_chain(uow.session, {c.size for c in book.checkpoints})
        accounts = uow.session.scalar(select(func.count()).select_from(UserRow)) or 0
    local = checkpoints.stored_key()
    verdict = judge(chain, book, anchors, accounts > 0)
    if not (verdict.ok and book.checkpoints):
        return verdict
    return replace(verdict, message=verdict.message + _keys_note(book, anchors, local.public if local else None))


def effective(book: Book) -> list[Checkpoint]:
    """The checkpoints still binding: a signed restore releases the earlier checkpoints of its own
    key that the restored log no longer reaches (a forged restore, by another key, releases none)."""
    found = book.checkpoints
    markers = [c for c in found if c.event == "restore" and book.valid(c)]

    def released(c: Checkpoint) -> bool:
        return any(m.key == c.key and m.moment > c.moment and (m.log != c.log or m.size < c.size) for m in markers)

    return [c for c in found if not released(c)]


def judge(chain: VerifyResult, book: Book, anchors: frozenset[str], has_accounts: bool) -> VerifyResult:
    if not chain.ok:
        return chain
    if book.problems:
        return _bad(chain, f"The checkpoint file was altered: {book.problems[0]}"
                    + (f" (and {len(book.problems) - 1} more)" if len(book.problems) > 1 else "") + ".")
    if chain.entries == 0 and has_accounts:
        return _bad(chain, "The access log is empty, but this database has user accounts and the creation of "
                    "every account is logged: the log was emptied.")
    live = effective(book)
    if anchors and not any(c.key in anchors and book.valid(c) for c in live):
        return _bad(chain, f"None of the {len(live)} checkpoint(s) in {book.where()} is signed by a key you trusted: "
                    "the file may have been replaced.")
    if not live:
        return _unanchored(chain, book)
    problem = _contradiction(chain, [c for c in live if _contradicts(chain, c) and book.valid(c)])
    if problem:
        return _bad(chain, *problem)
    forged = [c for c in live if _contradicts(chain, c)]  # all of them failed their signature
    if forged:
        return _bad(chain, f"The checkpoint file was altered: {forged[0].origin}: its signature does not verify "
                    f"(the line was altered or forged){f' (and {len(forged) - 1} more)' if len(forged) > 1 else ''}.")
    latest = max(live, key=lambda c: (c.size, c.at))
    newer = (f"; entries {latest.size + 1} to {chain.entries} are newer than it" if chain.entries > latest.size else "")
    released = len(book.checkpoints) - len(live)
    return VerifyResult(
        True, chain.entries,
        f"Access log verified: {chain.entries} entries, chain intact, consistent with {len(live)} signed "
        f"checkpoint(s) in {book.where()} (the latest signed {latest.size} entries on {_when(latest)}{newer})."
        + (f" {released} checkpoint(s) from before a restore describe entries that the restore rolled back."
           if released else ""),
        log_id=chain.log_id, checkpoints=len(live))


def _contradicts(chain: VerifyResult, c: Checkpoint) -> bool:
    return chain.entries == 0 or c.log != chain.log_id or chain.hashes.get(c.size) != c.head


def _contradiction(chain: VerifyResult, live: list[Checkpoint]) -> tuple[str, int] | None:
    """What the log does that the (signed) checkpoints say it did not: the most telling first (a new
    first entry, then the most entries removed, then the earliest re-hashed position). A line that
    agrees with the log needs no signature check: it can only confirm what the chain shows."""
    if not live:
        return None
    if chain.entries == 0:
        c = max(live, key=lambda c: c.size)
        return f"The access log is empty, but {_signed(c)} records {c.size} entries: the log was emptied.", 1
    foreign = [c for c in live if c.log != chain.log_id]
    if foreign:
        return (f"The access log's first entry is not the one {_signed(foreign[0])} was made for: the log was "
                "rewritten from its first entry (or the checkpoint file belongs to another database).", 1)
    longest = max(live, key=lambda c: c.size)
    if longest.size > chain.entries:
        return (f"The access log has {chain.entries} entries, but {_signed(longest)} records {longest.size}: entries "
                f"{chain.entries + 1} to {longest.size} were removed.", chain.entries + 1)
    for c in sorted(live, key=lambda c: c.size):
        if chain.hashes.get(c.size) != c.head:
            return (f"Entries up to {c.size} differ from those in {_signed(c)}: entries were changed, inserted, "
                    "reordered or removed and the chain was re-hashed.", c.size)
    return None


def _signed(c: Checkpoint) -> str:
    return f"the checkpoint signed on {_when(c)} ({c.origin})"


def _unanchored(chain: VerifyResult, book: Book) -> VerifyResult:
    if chain.entries == 0:
        return VerifyResult(True, 0, "The access log is empty (a new database); there is nothing to verify yet.")
    return replace(_bad(chain, f"The chain of {chain.entries} entries is intact, but there is no signed checkpoint "
                        f"of it in {book.where()}, so entries removed from the end or a re-hashed chain could not be "
                        "detected. Verify against the auditor's copy: `ppda-tracker audit verify --against FILE`."),
                   unanchored=True)


def _bad(chain: VerifyResult, message: str, seq: int | None = None) -> VerifyResult:
    return VerifyResult(False, chain.entries, message, seq, chain.log_id)


def _when(c: Checkpoint) -> str:
    return c.moment.strftime("%d %b %Y at %H:%M:%S UTC")


def _keys_note(book: Book, anchors: frozenset[str], local: str | None) -> str:
    keys = sorted({c.key for c in book.checkpoints})
    if anchors:
        others = [k for k in keys if k not in anchors]
        return " Signed by the key(s) you trusted" + (
            f"; {len(others)} other key(s) signed checkpoints that were checked too." if others else ".")
    named = [f"{fingerprint(k)}{' (this workstation’s key)' if k == local else ''}" for k in keys]
    lasting = "" if local else (" This workstation holds no lasting checkpoint key (no OS keyring, no "
                                f"{checkpoints.ENV_KEY}): it signs with a key for each session.")
    return (f" Signed by key {', '.join(named)}: compare with the fingerprint recorded by the auditor, or verify "
            f"with --trust KEY.{lasting}")

