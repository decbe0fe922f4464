"""The wheel, installed as a new user would (`pip install ppda_tracker-*.whl` in a fresh virtual
environment, away from the source tree), runs the product: init, demo, export survey-return.

Needs the package index (or pip's cache) for setuptools and the program's dependencies: the test
allows the network, as `pip install` does for a user. About a minute, most of it installing Qt."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

import app

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Correct-Horse-Battery-9"

pytestmark = pytest.mark.slow


def _run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=900, check=False)
    assert result.returncode == 0, f"{args[1:]} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from a copy of the sources a release is made from (not the working tree's build/)."""
    src = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for folder in ("app", "migrations", "resources"):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, src], cwd=src)
    (built,) = dist.glob("ppda_tracker-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtual environment with the wheel (and its dependencies) installed; its bin folder."""
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", venv], cwd=venv)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    _run([bin_dir / "python", "-m", "pip", "install", "--quiet", wheel], cwd=venv)
    yield bin_dir


@pytest.fixture
def user_env(tmp_path: Path) -> dict[str, str]:
    """A user's environment: no PYTHONPATH, no repository on the path, a data folder of their own."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR", "SYSTEMROOT")}
    return {**keep, "PPDA_DATA_DIR": str(tmp_path / "data"), "PPDA_SETTINGS_FILE": str(tmp_path / "none.ini"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}


def test_the_wheel_holds_the_migrations_the_look_and_the_typing_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"app/py.typed", "app/migrations/env.py", "app/migrations/script.py.mako",
            "app/migrations/versions/0001_initial_schema.py", "app/assets/style.qss",
            "app/assets/icons/app.svg"} <= names
    assert wheel.name.startswith(f"ppda_tracker-{app.__version__}-")
    assert not any(n.startswith(("tests/", "migrations/", "resources/")) for n in names)


def test_the_installed_wheel_runs_init_demo_and_the_survey_return(installed: Path, tmp_path: Path,
                                                                   user_env: dict[str, str]) -> None:
    exe = installed / "ppda-tracker"
    where = _run([installed / "python", "-c", "import app.resources as r; print(r.migrations_path())"],
                 cwd=tmp_path, env=user_env).stdout.strip()
    assert Path(where).is_relative_to(installed.parent) and not Path(where).is_relative_to(ROOT)
    assert _run([exe, "--version"], cwd=tmp_path, env=user_env).stdout.strip() == f"ppda-tracker {app.__version__}"

    psd = f"sqlite:///{tmp_path / 'psd.db'}"
    init = _run([exe, "--db", psd, "init", "--force", "west-yorkshire", "--admin", "admin1"], cwd=tmp_path,
                env={**user_env, "PPDA_NEW_PASSWORD": PASSWORD})
    assert "Database ready for West Yorkshire Police" in init.stdout

    demo_db = f"sqlite:///{tmp_path / 'demo.db'}"
    demo = _run([exe, "--db", demo_db, "demo", "--cases", "50"], cwd=tmp_path, env=user_env)
    assert re.search(r"Cases +50,", demo.stdout) and "iopc.liaison" in demo.stdout
    demo_password = re.search(r"password: ([^)\s]+)\)", demo.stdout)
    assert demo_password, demo.stdout

    year = date.today().year - (0 if date.today().month >= 4 else 1)  # the last year ending 31 March
    out = tmp_path / "survey-return.xlsx"
    export = _run([exe, "--db", demo_db, "--user", "iopc.liaison", "export", "survey-return", "--year", str(year),
                   "--out", out], cwd=tmp_path, env={**user_env, "PPDA_PASSWORD": demo_password.group(1)})
    assert "written" in export.stdout and "OFFICIAL-SENSITIVE" in export.stdout
    book = load_workbook(out, read_only=True)
    answers = {row[0]: row[1] for row in book["Return"].iter_rows(max_row=6, values_only=True)}
    assert answers["Force"] == "west-midlands" and answers["PPDA allegations recorded"] > 0
