"""The force codes `aggregate` knows without a database are those the database ships (migration
0002) and FORMATS.md lists: 43 territorial forces and British Transport Police."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from app.domain.forces import FORCES, force_name

MIGRATION = Path(__file__).resolve().parents[3] / "migrations" / "versions" / "0002_reference_forces.py"


def test_the_force_codes_match_the_reference_data() -> None:
    spec = importlib.util.spec_from_file_location("reference_forces", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert dict(module.FORCES) == FORCES
    assert len(FORCES) == 44 and force_name("kent") == "Kent Police" and force_name("atlantis") == "atlantis"
