"""Password rules (checked before hashing)."""

from __future__ import annotations

from app.domain.errors import InvalidInput

MIN_LENGTH = 12
MAX_FAILED_SIGN_INS = 5
COMMON = frozenset({"password1234", "passwordpassword", "qwertyuiop12", "123456789012", "letmein12345"})


def check_new_password(username: str, password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"The password must be at least {MIN_LENGTH} characters long.")
    if username and username.lower() in password.lower():
        raise InvalidInput("The password must not contain the user name.")
    if password.lower() in COMMON or len(set(password)) < 5:
        raise InvalidInput("The password is too easy to guess: use a longer phrase of unrelated words.")


def check_username(username: str) -> None:
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise InvalidInput(
            f"'{username}' is not a valid user name: use letters, digits, '.', '_' or '-'."
        )
    if len(username) > 64:
        raise InvalidInput("A user name has at most 64 characters.")
