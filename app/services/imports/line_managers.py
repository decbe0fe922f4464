"""Line-management cycles in a workforce import: A managed by B managed by A.

A cycle makes "the subject's line-management chain" (DOMAIN.md §3.3 independence, §7 need to
know) endless or wrong, so a file that would create one is refused. The chains are those of the
register as it would be after the import: each row of the file replaces that person's manager.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.domain.errors import RowError
from app.persistence.models import PersonRow
from app.services.imports.table import Row

COLUMN = "line_manager_staff_number"
SHOWN = 6


def managers_after(rows: list[Row], existing: Mapping[str, PersonRow]) -> dict[str, str]:
    """staff number → their line manager's staff number, the register with the file applied."""
    by_id = {p.id: sn for sn, p in existing.items()}
    managers = {sn: by_id[p.line_manager_id] for sn, p in existing.items()
                if p.line_manager_id is not None and p.line_manager_id in by_id}
    for r in rows:
        if r["staff_number"]:
            managers.pop(r["staff_number"], None)
            if r[COLUMN]:
                managers[r["staff_number"]] = r[COLUMN]
    return managers


def cycles(managers: Mapping[str, str]) -> list[list[str]]:
    """Every cycle in the manager graph (each person has at most one manager)."""
    done: set[str] = set()
    found: list[list[str]] = []
    for start in managers:
        path: list[str] = []
        on_path: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in done and node not in on_path:
            on_path[node] = len(path)
            path.append(node)
            node = managers.get(node)
        if node is not None and node in on_path:
            found.append(path[on_path[node]:])
        done.update(path)
    return found


def cycle_errors(rows: list[Row], existing: Mapping[str, PersonRow]) -> list[RowError]:
    lines = {r["staff_number"]: r.line for r in rows if r["staff_number"]}
    errors = []
    for cycle in cycles(managers_after(rows, existing)):
        if len(cycle) == 1:
            continue  # one's own line manager: refused on its own
        errors += [RowError(lines[sn], COLUMN, f"makes a line-management cycle: {_describe(cycle[i:] + cycle[:i])}")
                   for i, sn in enumerate(cycle) if sn in lines]
    return errors


def _describe(cycle: list[str]) -> str:
    shown = cycle[:SHOWN]
    more = f" → … ({len(cycle) - SHOWN} more)" if len(cycle) > SHOWN else ""
    return " → ".join(shown) + more + f" → {cycle[0]}"
