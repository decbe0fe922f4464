"""What the subcommand modules share: adding a command, reading an ISO date, the approver's password."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import date
from typing import Any

from app.domain.errors import InvalidInput

Sub = Any  # argparse's private _SubParsersAction
ENV_APPROVER_PASSWORD = "PPDA_APPROVER_PASSWORD"  # automation: the approving user's password


def command(sub: Sub, name: str, handler: Any, help: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(name, help=help, description=help)
    p.set_defaults(handler=handler)
    return p


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD") from None


def approver_password(name: str) -> str:
    value = os.environ.get(ENV_APPROVER_PASSWORD)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise InvalidInput(f"No password for the approver: set {ENV_APPROVER_PASSWORD} or run in a terminal.")
    return getpass.getpass(f"Password for {name} (approving): ")
