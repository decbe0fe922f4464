"""The subcommands of FORMATS.md ("Command line"), one module per area. Each handler calls
services and prints; a new area adds its module to AREAS."""

from __future__ import annotations

from app.cli.commands import admin, cases, data, database, records, reports
from app.cli.commands.base import Sub

AREAS = (admin, database, data, reports, records, cases)


def register(sub: Sub, roles: list[str]) -> None:
    for area in AREAS:
        area.register(sub, roles)
