"""Issue 12, deliverable 4: sign-in under attack.

- Twenty wrong passwords sent at once must not buy more guesses than five sent one by one (the
  failure count was read, then written: parallel attempts lost updates, and 31-40 guesses were
  checked before the lock).
- A stranger must not learn whether a user name exists ("N attempt(s) left" was said to known names
  only; a locked account said so).
- Every refused sign-in is in the access log, without the text typed as an unknown name (people
  type their password there).
- New and changed passwords are refused when they are common or built on this force's words.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.cli import main
from app.domain.enums import Role
from app.domain.errors import AuthenticationFailed, InvalidInput
from app.persistence.models import AccessLogRow, UserRow
from app.services import users
from tests.helpers import PASSWORD, Env, force_env

WRONG = "Wrong-Guess-Number-1"
REFUSED = ("Unknown user name or wrong password. After 5 wrong passwords in a row an account is locked until an "
           "administrator unlocks it.")  # what anyone is told, whatever went wrong


@pytest.fixture
def env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Env]:
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with force_env(db_url) as e:
        e.user("inv", Role.INVESTIGATOR)
        e.user("sup", Role.SUPERVISOR)
        yield e


class CountingHasher(PasswordHasher):
    """Counts the passwords checked against one account's real hash."""

    def __init__(self, real: str) -> None:
        super().__init__()
        self.real, self.checked = real, 0
        self._lock = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        if hash == self.real:
            with self._lock:
                self.checked += 1
        return super().verify(hash, password)


def _refusal(env: Env, name: str, password: str) -> str:
    with pytest.raises(AuthenticationFailed) as refused:
        users.authenticate(env.uow(), name, password)
    return refused.value.message


def _sign_in_entries(env: Env) -> list[tuple[str, int | None, str | None]]:
    """(user name, user id, detail) of each refused sign-in in the log, oldest first."""
    with env.uow() as uow:
        return [(r.username, r.user_id, r.detail) for r in uow.session.scalars(
            select(AccessLogRow).where(AccessLogRow.operation == "SIGN_IN").order_by(AccessLogRow.seq))]


@pytest.mark.slow
def test_twenty_parallel_wrong_passwords_check_at_most_five(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", PasswordHasher())  # argon2's real cost: the race is as wide as in use
    env.user("target", Role.INVESTIGATOR)
    with env.uow() as uow:
        real = uow.session.scalar(select(UserRow.password_hash).where(UserRow.username == "target"))
    counting = CountingHasher(str(real))
    monkeypatch.setattr(users, "_hasher", counting)
    gate = threading.Barrier(20)
    outcomes: list[object] = []

    def guess(n: int) -> None:
        gate.wait()
        try:
            outcomes.append(users.authenticate(env.uow(), "target", f"{WRONG}-{n}"))
        except AuthenticationFailed as exc:
            outcomes.append(exc.message)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert counting.checked <= 5, f"{counting.checked} passwords were checked before the lock"
    assert len(outcomes) == 20 and all(o == REFUSED for o in outcomes)
    with env.uow() as uow:
        row = uow.session.scalar(select(UserRow).where(UserRow.username == "target"))
        assert row is not None and row.locked and row.failed_attempts == 5
    assert len([e for e in _sign_in_entries(env) if e[0] == "target"]) == 20  # every attempt is logged
    assert _refusal(env, "target", PASSWORD) == REFUSED  # locked: the right password too


def test_one_message_whether_the_name_exists_or_not(env: Env) -> None:
    unknown = _refusal(env, "no.such.user", WRONG)
    wrong = _refusal(env, "inv", WRONG)
    assert unknown == wrong == REFUSED
    assert "left" not in wrong and "inv" not in wrong
    users.set_active(env.uow(), env.admin, "sup", False)
    assert _refusal(env, "sup", PASSWORD) == unknown  # an inactive account says no more
    for _ in range(4):
        _refusal(env, "inv", WRONG)
    assert _refusal(env, "inv", PASSWORD) == unknown  # nor does a locked one


def test_refused_sign_ins_are_logged_without_what_a_stranger_typed(env: Env) -> None:
    typed = "Hunter2-Horse-Staple-8"  # a password typed into the user-name box
    _refusal(env, typed, "x")
    _refusal(env, "INV", WRONG)
    first, second = _sign_in_entries(env)
    assert first == ("(unknown user name)", None, "sign-in refused: unknown user name")
    assert (second[0], second[2]) == ("inv", "sign-in refused: wrong password")
    with env.uow() as uow:
        logged = " ".join(str(v) for r in uow.session.scalars(select(AccessLogRow))
                          for v in (r.username, r.record_id, r.reason, r.recipient, r.detail))
    assert typed.lower() not in logged.lower()


def test_the_lock_is_logged_and_another_user_still_signs_in(env: Env) -> None:
    for _ in range(5):
        _refusal(env, "inv", WRONG)
    assert _sign_in_entries(env)[-1][2] == "sign-in refused: wrong password; account now locked"
    assert users.authenticate(env.uow(), "sup", PASSWORD).username == "sup"


def test_the_command_line_says_the_same_for_a_wrong_name_and_a_wrong_password(
        db_url: str, env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PPDA_PASSWORD", WRONG)
    said = []
    for name in ("inv", "nobody.here"):
        capsys.readouterr()
        assert main(["--db", db_url, "--user", name, "queue"]) == 1
        said.append(capsys.readouterr().err)
    assert said[0] == said[1] == REFUSED + "\n"


DENIED = ("Police12345678", "P0l1ce-P0l1ce!", "Password123456", "P@ssw0rd-2024!", "West-Midlands-2025!",
          "westmidlands99", "Kent-Police-2025!", "Constable-2024!", "Sergeant12345", "Summer2024!!!", "qwertyuiop12",
          "letmein12345", "Investigator-1!")


def test_common_and_force_passwords_are_refused(env: Env) -> None:
    inv = users.authenticate(env.uow(), "inv", PASSWORD)
    for password in DENIED:
        with pytest.raises(InvalidInput, match="too easy to guess|must not contain the user name"):
            users.add_user(env.uow(), env.admin, "investigator", {Role.INVESTIGATOR}, password)
        with pytest.raises(InvalidInput, match="too easy to guess|must not contain the user name"):
            users.change_password(env.uow(), inv, PASSWORD, password)
    assert users.authenticate(env.uow(), "inv", PASSWORD).username == "inv"  # the old password still works


def test_a_phrase_of_unrelated_words_is_accepted(env: Env) -> None:
    users.add_user(env.uow(), env.admin, "phrase", {Role.INVESTIGATOR}, "marble kettle orbit lantern")
    assert users.authenticate(env.uow(), "phrase", "marble kettle orbit lantern").username == "phrase"


def test_init_refuses_a_weak_first_administrator_password(tmp_path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PPDA_NEW_PASSWORD", "Kent-Police-2025!")
    assert main(["--db", f"sqlite:///{tmp_path / 'psd.db'}", "init", "--force", "kent", "--admin", "admin"]) == 1
    assert "too easy to guess" in capsys.readouterr().err
