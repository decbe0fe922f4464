"""`ppda-tracker`: with no arguments it opens the desktop application; subcommands serve automation
and administration, through the same services (roles, rules, access log) as the window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from typing import NoReturn

from app import __version__, bootstrap
from app.cli import commands
from app.config import Settings, log_dir
from app.domain.enums import Role
from app.domain.errors import ExpectedError
from app.logging_setup import FILE_ONLY, configure

log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # wrong usage: exit status 2
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="ppda-tracker", description="PPDA Tracker: police-perpetrated domestic abuse case tracking.")
    p.add_argument("--version", action="version", version=f"ppda-tracker {__version__}")
    p.add_argument("--db", metavar="URL",
                   help="SQLAlchemy database URL (default: SQLite in your data directory; also PPDA_DB_URL)")
    p.add_argument("--user", metavar="NAME",
                   help="who you are (also PPDA_USER); password from PPDA_PASSWORD or a prompt")
    p.add_argument("--verbose", action="store_true", help="show progress messages")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    commands.register(sub, roles=[r.name for r in Role])
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        configure(verbose=args.verbose)
        settings = Settings.resolve(args.db, args.user)
    except ExpectedError as exc:  # e.g. a malformed central settings file
        print(str(exc), file=sys.stderr)
        return 1
    if args.command is None:
        from app.ui.launch import run_application

        return run_application(settings)
    from app.cli.session import CliSession

    session = CliSession(settings)
    try:
        status = int(args.handler(session, args) or 0)
        sys.stdout.flush()  # a reader that went away is found here, not at exit
        return status
    except BrokenPipeError:
        return _reader_gone()
    except ExpectedError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted; nothing was changed by the unfinished step.", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the one place that turns any other error into a message
        return _failed(exc)
    finally:
        session.close()


def _reader_gone() -> int:
    """The output's reader stopped reading (`… | head -1`): end quietly, as Unix tools do. Standard
    output goes to the null device so that nothing is written (or fails) at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. captured by a test)
        pass
    return 0


def _failed(exc: Exception) -> int:
    """A database failure the user can act on is a plain message; anything else is a bug, logged
    (with its traceback, without the values a database error quotes) and told in one line. Nothing
    is printed that could hold personal data."""
    problem = bootstrap.explain(exc)
    if problem is not None:
        print(problem.message, file=sys.stderr)
        return 1
    details = "".join(traceback.format_tb(exc.__traceback__)) + f"{type(exc).__name__}: {bootstrap.safe_text(exc)}"
    log.critical("Unexpected error\n%s", details, extra={FILE_ONLY: True})
    print(f"Unexpected error ({type(exc).__name__}); the unfinished step changed nothing. The details are in the "
          f"log file in {log_dir()}: please send it to your administrator.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
