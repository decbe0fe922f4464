"""The import-linter contracts of pyproject.toml hold, and each one catches the import it forbids: the
domain is pure, Qt stays in app.ui, layers point one way, the window and the command line reach data
only through services, the command line opens the window through app.ui.launch only, only they use the
composition root (app.bootstrap), no cycles."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}  # the `app` package of `root`, not the installed one
    return subprocess.run([LINT, "--no-cache"], cwd=root, capture_output=True, text=True, env=env, check=False)


def test_import_contracts_hold() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout
    assert "0 broken" in result.stdout


@pytest.fixture
def copy_of_app(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "app", tmp_path / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize(("module", "source", "contract"), [
    ("app/ui/sections/probe.py", "from app.persistence.uow import UnitOfWork\n",
     "The window and the command line reach data only through services"),
    ("app/ui/probe.py", "import sqlalchemy\n", "The window and the command line reach data only through services"),
    ("app/cli/commands/probe.py", "from app.persistence import models\n",
     "The window and the command line reach data only through services"),
    ("app/cli/commands/probe.py", "from app.ui import main_window\n",
     "The command line opens the window through app.ui.launch only"),
    ("app/ui/probe.py", "from app.cli import session\n", "Layers point one way"),
    ("app/persistence/probe.py", "from app.reports import counting\n", "Layers point one way"),
    ("app/services/probe.py", "from PySide6 import QtCore\n", "Qt only in app.ui"),
    ("app/domain/probe.py", "import sqlalchemy\n", "The domain is pure: no Qt, no SQLAlchemy"),
    ("app/services/probe.py", "from app import bootstrap\n",
     "Only the window and the command line use the composition root"),
])
def test_each_contract_catches_what_it_forbids(copy_of_app: Path, module: str, source: str,
                                               contract: str) -> None:
    (copy_of_app / module).write_text(source)
    result = lint_imports(copy_of_app)
    assert result.returncode != 0
    assert f"{contract} BROKEN" in result.stdout


def test_an_import_cycle_between_siblings_is_refused(copy_of_app: Path) -> None:
    services = copy_of_app / "app" / "services"
    (services / "probe_a.py").write_text("from app.services import probe_b\n")
    (services / "probe_b.py").write_text("from app.services import probe_a\n")
    result = lint_imports(copy_of_app)
    assert "No import cycles between sibling modules BROKEN" in result.stdout
