"""Issue 12, deliverable 2: the access log can be trusted without trusting the database.

The attacker holds the database (its owner, or a copy of the SQLite file put back), not the
checkpoint file's copy kept by the auditor, and not the workstation's keyring. They switch off the
append-only triggers, change the log, and re-hash the chain with the public algorithm so that the
chain alone verifies again; where the database keeps a head of its own (older versions), they set
it too. Each attack must make `ppda-tracker audit verify` (or `--against` the auditor's copy) exit
1 and say what happened. On the program before this change every one of them verified."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import delete, make_url, update

from app.cli import main
from app.domain.enums import AccessOperation, Role
from app.services import audit
from tests.adversarial.log_tampering import LOG, entries, rechain, rewrite, tampering
from tests.helpers import PASSWORD, Env, force_env


@dataclass
class Site:
    env: Env
    url: str
    capsys: pytest.CaptureFixture[str]

    def cli(self, *args: str, user: str = "aud") -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["--db", self.url, "--user", user, *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def verify(self, *args: str) -> tuple[int, str]:
        code, out, err = self.cli("audit", "verify", *args)
        return code, out + err

    def checkpoint_file(self) -> Path:
        url = make_url(self.url)
        if url.get_backend_name() == "sqlite":
            return Path(f"{url.database}.checkpoints")
        from app.services.access_log_checkpoints import checkpoint_path

        found = checkpoint_path(url)
        assert found is not None
        return found

    def act(self, n: int) -> None:
        """n more actions, each its own transaction (as a user's day is)."""
        for i in range(n):
            with self.env.uow() as uow:
                audit.record(uow.session, self.env.admin, AccessOperation.CONSULTATION, "case", 100 + i,
                             reason="review")
                uow.commit()


@pytest.fixture
def site(db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Site]:
    monkeypatch.setenv("PPDA_PASSWORD", PASSWORD)
    with force_env(db_url) as env:
        env.user("aud", Role.AUDITOR)
        s = Site(env, db_url, capsys)
        s.act(6)
        yield s


def test_an_untouched_log_verifies_against_its_checkpoints(site: Site) -> None:
    code, said = site.verify()
    assert code == 0 and "chain intact, consistent with" in said, said


def test_entries_removed_from_the_end_are_detected(site: Site) -> None:
    with tampering(site.env.db) as conn:
        last = entries(conn)[-1]["seq"]
        conn.execute(delete(LOG).where(LOG.c.seq > last - 3))  # e.g. the attacker's own consultations
    code, said = site.verify()
    assert code == 1 and f"entries {last - 2} to {last} were removed" in said, said


def test_a_changed_entry_with_the_chain_rehashed_is_detected(site: Site) -> None:
    with tampering(site.env.db) as conn:
        conn.execute(update(LOG).where(LOG.c.seq == 4).values(username="someone.else", reason="routine"))
        rechain(conn)
    code, said = site.verify()
    assert code == 1 and "the chain was re-hashed" in said, said


def test_reordered_entries_with_the_chain_rehashed_are_detected(site: Site) -> None:
    with tampering(site.env.db) as conn:
        rows = entries(conn)
        rewrite(conn, [*rows[:3], rows[4], rows[3], *rows[5:]])  # entry 5 now comes before entry 4
    code, said = site.verify()
    assert code == 1 and "re-hashed" in said, said


def test_a_forged_entry_inserted_with_the_chain_rehashed_is_detected(site: Site) -> None:
    with tampering(site.env.db) as conn:
        rows = entries(conn)
        forged = {**rows[2], "id": 10_000, "username": "head", "detail": "approved by the head of PSD"}
        rewrite(conn, [*rows[:3], forged, *rows[3:]])
    code, said = site.verify()
    assert code == 1 and "re-hashed" in said, said


def test_an_emptied_log_is_detected(site: Site) -> None:
    with tampering(site.env.db) as conn:
        conn.execute(delete(LOG))
    code, said = site.verify()
    assert code == 1 and "the log was emptied" in said, said


def test_an_emptied_log_is_detected_even_with_the_checkpoint_file_deleted(site: Site) -> None:
    with tampering(site.env.db) as conn:
        conn.execute(delete(LOG))
    site.checkpoint_file().unlink()
    code, said = site.verify()
    assert code == 1 and "has user accounts" in said and "the log was emptied" in said, said


def test_the_auditors_copy_finds_what_a_deleted_checkpoint_file_hides(site: Site, tmp_path: Path) -> None:
    copy = tmp_path / "auditor" / "psd.checkpoints"
    copy.parent.mkdir()
    code, out, err = site.cli("audit", "checkpoint", "--out", str(copy))
    assert code == 0 and "Public key" in out, err
    key = out.split("Public key (record it with the file): ")[1].split()[0]
    site.act(2)
    with tampering(site.env.db) as conn:
        conn.execute(delete(LOG).where(LOG.c.seq > 3))
    site.checkpoint_file().unlink()  # the attacker also removes the workstation's file
    code, said = site.verify()
    assert code == 1 and "no signed checkpoint" in said, said
    code, said = site.verify("--against", str(copy), "--trust", key)
    assert code == 1 and "were removed" in said, said


def test_an_altered_checkpoint_line_is_detected(site: Site) -> None:
    path = site.checkpoint_file()
    lines = path.read_text().splitlines()
    forged = json.loads(lines[-1])
    forged["size"] = 3  # "the log only ever had 3 entries"
    path.write_text("\n".join([*lines[:-1], json.dumps(forged)]) + "\n")
    code, said = site.verify()
    assert code == 1 and "signature does not verify" in said, said


def test_a_replaced_checkpoint_file_is_detected_with_the_auditors_recorded_key(site: Site, tmp_path: Path) -> None:
    """The attacker rewrites the log and writes a new checkpoint file of their own, signed with their
    own key: consistent, but not signed by the key the auditor recorded."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from app.services.access_log_checkpoints import Signer, checkpoint_path

    code, out, _ = site.cli("audit", "checkpoint", "--out", str(tmp_path / "copy.checkpoints"))
    key = out.split("Public key (record it with the file): ")[1].split()[0]
    with tampering(site.env.db) as conn:
        conn.execute(delete(LOG).where(LOG.c.seq > 2))
        rows = entries(conn)
    theirs = Signer(Ed25519PrivateKey.generate(), kept=True).sign(str(rows[0]["hash"]), 2, str(rows[-1]["hash"]),
                                                                  "commit")
    path = checkpoint_path(site.env.db.engine.url)
    assert path is not None
    path.write_bytes(theirs.line())
    code, said = site.verify("--trust", key)
    assert code == 1 and "signed by a key you trusted" in said, said


def test_a_forged_restore_checkpoint_releases_nothing(site: Site) -> None:
    """A restore legitimately rolls the log back, and says so in a signed checkpoint. One signed by
    another key (the attacker's) must not excuse the removed entries."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from app.services.access_log_checkpoints import Signer, append

    with tampering(site.env.db) as conn:
        conn.execute(delete(LOG).where(LOG.c.seq > 3))
        rows = entries(conn)
    marker = Signer(Ed25519PrivateKey.generate(), kept=True).sign(str(rows[0]["hash"]), 3, str(rows[-1]["hash"]),
                                                                  "restore")
    append(site.checkpoint_file(), marker)
    code, said = site.verify()
    assert code == 1 and "were removed" in said, said


def test_an_old_copy_of_the_file_put_back_by_hand_is_detected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Rolling an SQLite database back by copying an old file over it removes the entries since; a
    `db restore` does the same on purpose, and its signed checkpoint says so."""
    monkeypatch.setenv("PPDA_PASSWORD", PASSWORD)
    monkeypatch.setenv("PPDA_NEW_PASSWORD", PASSWORD)
    db_file = tmp_path / "psd.db"
    url = f"sqlite:///{db_file}"
    assert main(["--db", url, "init", "--force", "kent", "--admin", "admin"]) == 0
    shutil.copyfile(db_file, tmp_path / "old.db")
    assert main(["--db", url, "--user", "admin", "user", "add", "aud", "--role", "AUDITOR"]) == 0
    shutil.copyfile(tmp_path / "old.db", db_file)  # by hand: the auditor's account creation is gone
    capsys.readouterr()
    assert main(["--db", url, "--user", "admin", "audit", "verify"]) == 1
    assert "were removed" in capsys.readouterr().err


def test_no_checkpoint_vouches_for_a_tampered_log(site: Site, tmp_path: Path) -> None:
    with tampering(site.env.db) as conn:
        conn.execute(delete(LOG).where(LOG.c.seq > 4))
    out_file = tmp_path / "copy.checkpoints"
    code, _, err = site.cli("audit", "checkpoint", "--out", str(out_file))
    assert code == 1 and "No checkpoint was written" in err and not out_file.exists()
