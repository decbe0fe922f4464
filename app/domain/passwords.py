"""Password rules for new and changed passwords (checked before hashing).

Following the NCSC's password guidance: a minimum length and a deny-list, no composition rules.
The deny-list has two parts:
- the common passwords and patterns that attackers try first: zxcvbn (a maintained estimator that
  ships the most common leaked passwords, words, names and keyboard patterns) must estimate at
  least 10^10 guesses;
- what anyone would try against a police force's system: the user name, the force's name and
  code (every force's, given by the caller), and police words ("police", "password", "constable",
  "psd"…). A password that is nothing but such words, whatever the capitals, digits, symbols,
  separators or look-alike characters around and inside them ("Kent-Police-2025!", "P0l1ce12345678"),
  is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.domain.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 256
MAX_FAILED_SIGN_INS = 5
MIN_GUESSES_LOG10 = 10.0  # zxcvbn's "very unguessable": at least 10^10 guesses
POLICE_WORDS = frozenset({
    "police", "password", "passwd", "constable", "sergeant", "inspector", "detective", "officer", "chief",
    "superintendent", "psd", "ppda", "professional", "standards", "misconduct", "warrant", "collar", "force",
    "admin", "administrator", "letmein", "welcome", "qwerty", "secret", "pcso", "cid", "custody", "bobby",
})
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s",
                       "!": "i", "|": "l", "+": "t"})
ADVICE = "Use a longer phrase of three or more unrelated words (NCSC guidance)."


def context_words(*texts: str) -> frozenset[str]:
    """The words of force names, codes and the like, lower-cased ('west-yorkshire' gives 'west',
    'yorkshire' and 'westyorkshire')."""
    words: set[str] = set()
    for text in texts:
        parts = [p for p in re.split(r"[^a-z0-9]+", text.lower()) if p]
        words.update(parts)
        if len(parts) > 1:
            words.add("".join(parts))
    return frozenset(w for w in words if len(w) > 1)


def check_new_password(username: str, password: str, context: Iterable[str] = ()) -> None:
    """Refuse a password that is too short, too long, or on the deny-list; `context` are the words
    of this installation (force names and codes: context_words)."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"The password must be at least {MIN_LENGTH} characters long.")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"The password must be at most {MAX_LENGTH} characters long.")
    if username and username.lower() in password.lower():
        raise InvalidInput("The password must not contain the user name.")
    denied = POLICE_WORDS | frozenset(context) | context_words(username)
    if _only_denied_words(password, denied):
        raise InvalidInput("The password is too easy to guess: it is made of words anyone would try here (the "
                           f"force's name, 'police', 'password', the user name). {ADVICE}")
    if len(set(password)) < 5 or _guesses_log10(password, denied) < MIN_GUESSES_LOG10:
        raise InvalidInput(f"The password is too easy to guess: it is a commonly used password or follows a common "
                           f"pattern. {ADVICE}")


def _only_denied_words(password: str, denied: frozenset[str]) -> bool:
    """True when the letters left after dropping leading/trailing digits and symbols (and reading
    look-alike characters as letters) are nothing but denied words, one after another."""
    core = re.sub(r"^[^A-Za-z]+|[^A-Za-z]+$", "", password)
    letters = re.sub(r"[^a-z]", "", core.lower().translate(_LEET))
    return bool(letters) and _composed(letters, denied)


def _composed(text: str, words: frozenset[str]) -> bool:
    reachable = [True] + [False] * len(text)  # reachable[i]: text[:i] is made of words
    longest = max((len(w) for w in words), default=0)
    for end in range(1, len(text) + 1):
        reachable[end] = any(reachable[start] and text[start:end] in words
                             for start in range(max(0, end - longest), end))
    return reachable[-1]


def _guesses_log10(password: str, denied: frozenset[str]) -> float:
    from zxcvbn import zxcvbn  # its word lists take a moment to load: only when a password is set

    return float(zxcvbn(password[:72], user_inputs=sorted(denied))["guesses_log10"])


def check_username(username: str) -> None:
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise InvalidInput(
            f"'{username}' is not a valid user name: use letters, digits, '.', '_' or '-'."
        )
    if len(username) > 64:
        raise InvalidInput("A user name has at most 64 characters.")
