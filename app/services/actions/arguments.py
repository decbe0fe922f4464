"""The arguments of case actions and how each is read.

One reader per type takes a value however it comes: typed by the window (an enumeration member,
a date, a set of members), stored in a proposal as JSON (names, ISO dates, lists, a dict of
conditions) or typed on the command line as text ("2025-03-04", "yes", "RESTRICTED_DUTIES;SUSPENDED").
A value that cannot be read is an InvalidInput naming the argument: "options: 'BANNED' is not one of …".
`plain` turns a read value back into JSON for the proposal store.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from app.domain.errors import InvalidInput
from app.domain.workflow import SuspensionConditions
from app.services.casework.inputs import CLEAR, Cleared

Read = Callable[[str, Any], Any]  # (argument name, value as given) -> the service's value
YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0"})
_SEPARATORS = re.compile(r"[;,]")


def _refuse(name: str, why: str) -> InvalidInput:
    return InvalidInput(f"{name}: {why}")


def _excerpt(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def read_int(name: str, v: Any) -> int:
    if isinstance(v, str) and v.strip().isdigit():
        return int(v.strip())
    if isinstance(v, bool) or not isinstance(v, int):
        raise _refuse(name, f"'{_excerpt(v)}' is not a number.")
    return v


def read_bool(name: str, v: Any) -> bool:
    if isinstance(v, str) and v.strip().lower() in YES | NO:
        return v.strip().lower() in YES
    if not isinstance(v, bool):
        raise _refuse(name, f"'{_excerpt(v)}' is not yes or no.")
    return v


def read_text(name: str, v: Any) -> str | None:
    if not isinstance(v, str):
        raise _refuse(name, "must be text.")
    return v.strip() or None


def read_date(name: str, v: Any) -> date:
    if isinstance(v, date) and not isinstance(v, datetime):
        return v
    try:
        return date.fromisoformat(str(v).strip())
    except ValueError:
        raise _refuse(name, f"'{_excerpt(v)}' is not a date (YYYY-MM-DD).") from None


def read_enum(kind: type[Enum]) -> Read:
    def read(name: str, v: Any) -> Any:
        if isinstance(v, kind):
            return v
        text = v.strip().upper() if isinstance(v, str) else ""
        if text in kind.__members__:
            return kind[text]
        raise _refuse(name, f"'{_excerpt(v)}' is not one of {', '.join(kind.__members__)}.")
    return read


def _items(name: str, v: Any) -> list[Any]:
    if isinstance(v, str):
        return [x.strip() for x in _SEPARATORS.split(v) if x.strip()]
    if isinstance(v, Iterable) and not isinstance(v, (bytes, Mapping)):
        return list(v)
    raise _refuse(name, "must be a list (separate values with ';').")


def read_enums(kind: type[Enum]) -> Read:
    one = read_enum(kind)

    def read(name: str, v: Any) -> tuple[Any, ...]:
        return tuple(dict.fromkeys(one(name, x) for x in _items(name, v)))
    return read


def read_texts(name: str, v: Any) -> tuple[str, ...]:
    return tuple(t for t in (read_text(name, x) for x in _items(name, v)) if t)


CONDITIONS = tuple(f.name for f in dataclasses.fields(SuspensionConditions))


def read_conditions(name: str, v: Any) -> SuspensionConditions:
    """The statutory conditions of a suspension: stored as a dict of yes/no, given as the names
    of those that hold (on the command line: 'redeployment_considered_not_appropriate;public_interest_requires')."""
    if isinstance(v, SuspensionConditions):
        return v
    if isinstance(v, Mapping):
        unknown = sorted(set(v) - set(CONDITIONS))
        if unknown or not all(isinstance(x, bool) for x in v.values()):
            raise _refuse(name, "must be yes or no for: " + ", ".join(CONDITIONS) + ".")
        return SuspensionConditions(**v)
    held = [str(x).strip().lower() for x in _items(name, v)]
    unknown = sorted(set(held) - set(CONDITIONS))
    if unknown:
        raise _refuse(name, f"'{_excerpt(unknown[0])}' is not one of {', '.join(CONDITIONS)}.")
    return SuspensionConditions(**dict.fromkeys(held, True))


def clearable(inner: Read) -> Read:
    """A correction's value: CLEAR (or the text 'CLEAR') removes what is recorded."""
    def read(name: str, v: Any) -> Any:
        if v is CLEAR or (isinstance(v, str) and v.strip().upper() == CLEAR.value):
            return CLEAR
        return inner(name, v)
    return read


@dataclass(frozen=True)
class Arg:
    """One argument of a case action: its name (as the service takes it), how it is read, and
    what it is, in words (the command line's help)."""

    name: str
    read: Read
    help: str
    required: bool = False


def plain(v: Any) -> Any:
    """A read value as JSON (the proposal store)."""
    if isinstance(v, Cleared):
        return v.value
    if isinstance(v, Enum):
        return v.name
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, SuspensionConditions):
        return dataclasses.asdict(v)
    if isinstance(v, (tuple, list, frozenset, set)):
        return [plain(x) for x in v]
    return v


def read_all(title: str, args: Iterable[Arg], given: Mapping[str, Any]) -> dict[str, Any]:
    """The service's arguments from `given` (None means not given), or InvalidInput saying what is wrong."""
    spec = {a.name: a for a in args}
    unknown = sorted(set(given) - set(spec))
    if unknown:
        raise InvalidInput(f"{title} does not take: {', '.join(unknown)} (it takes: {', '.join(spec) or 'nothing'}).")
    read = {n: spec[n].read(n, v) for n, v in given.items() if v is not None}
    missing = [a.name for a in spec.values() if a.required and read.get(a.name) in (None, ())]
    if missing:
        raise InvalidInput(f"{title} needs: {', '.join(missing)}.")
    return {n: v for n, v in read.items() if v is not None}
