"""`ppda-tracker`: with no arguments it opens the desktop application; subcommands serve automation
and administration, through the same services (roles, rules, access log) as the window."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from app import __version__
from app.cli import commands
from app.config import Settings
from app.domain.enums import Role
from app.domain.errors import ExpectedError
from app.logging_setup import configure

log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # wrong usage: exit status 2
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="ppda-tracker", description="PPDA Tracker: police-perpetrated domestic abuse case tracking.")
    p.add_argument("--version", action="version", version=f"ppda-tracker {__version__}")
    p.add_argument("--db", metavar="URL", help="SQLAlchemy database URL (default: SQLite in your data directory; also PPDA_DB_URL)")
    p.add_argument("--user", metavar="NAME", help="who you are (also PPDA_USER); password from PPDA_PASSWORD or a prompt")
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
        return int(args.handler(session, args) or 0)
    except ExpectedError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted; nothing was changed by the unfinished step.", file=sys.stderr)
        return 1
    finally:
        session.close()


if __name__ == "__main__":
    sys.exit(main())
