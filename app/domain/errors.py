"""Expected errors: each carries a plain-language message for the user.

Anything that is not one of these is a bug (logged with its traceback, shown in the crash dialog).
"""

from __future__ import annotations

from dataclasses import dataclass


class ExpectedError(Exception):
    """Base of every refusal the user should see as a plain message (CLI exit status 1)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class RuleRefused(ExpectedError):
    """A workflow rule forbids the action; the message says which rule and what would satisfy it."""


class PermissionDenied(ExpectedError):
    """The acting user's role or need-to-know does not allow the action."""


class NotFound(ExpectedError):
    """A record named by the user does not exist (or is not visible to them)."""


class InvalidInput(ExpectedError):
    """A value given by the user is malformed."""


class AuthenticationFailed(ExpectedError):
    """Wrong user name or password, or a locked account."""


class ConflictError(ExpectedError):
    """Someone else saved the same record first (optimistic version check)."""


class DatabaseVersionError(ExpectedError):
    """The database schema is newer than this program, or needs an upgrade first."""


class SecretUnavailable(ExpectedError):
    """A secret (database password, SQLCipher key, signing key) could not be obtained."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


class ImportRejected(ExpectedError):
    """A file with any bad row changes nothing; every bad row is listed (at most 100)."""

    MAX_LISTED = 100

    def __init__(self, filename: str, errors: list[RowError], total: int | None = None) -> None:
        self.filename = filename
        self.errors = errors[: self.MAX_LISTED]
        self.total = total if total is not None else len(errors)
        lines = [f"{filename}: refused, nothing was imported ({self.total} problem(s))"]
        lines += [f"  {e}" for e in self.errors]
        if self.total > len(self.errors):
            lines.append(f"  … and {self.total - len(self.errors)} more")
        super().__init__("\n".join(lines))


class UnsignedNoticeFile(RuleRefused):
    """An unsigned PND or College file: refused unless the user accepts it unsigned (logged)."""

    def __init__(self, filename: str, sources: list[str]) -> None:
        self.filename = filename
        self.sources = sources
        super().__init__(f"{filename} is not signed. It comes from {', '.join(sources) or 'an unknown source'}; "
                         "import it only if you are sure of its origin, and say so (--accept-unsigned).")
