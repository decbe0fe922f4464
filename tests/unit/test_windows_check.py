"""installer/windows-check runs only where Wine is installed (an hour's run): these checks keep its
scripts consistent with the program and the installer script on every machine."""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = [ROOT / "installer" / "windows-check", ROOT / "installer" / "windows" / "window-check"]


def _tuple_constant(path: Path, name: str) -> tuple[str, ...]:
    """A module-level tuple of strings, read without importing the module (it needs pefile)."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            value = ast.literal_eval(node.value)
            assert isinstance(value, tuple)
            return value
    raise AssertionError(f"{name} not found in {path}")


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_the_scripts_parse(script: Path) -> None:
    done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_the_bundle_check_names_modules_the_program_has() -> None:
    modules = _tuple_constant(ROOT / "installer" / "windows" / "check_bundle.py", "MODULES")
    own = [m for m in modules if m.startswith("app.")]
    assert own, "check_bundle.py names none of the program's own modules"
    missing = [m for m in own if importlib.util.find_spec(m) is None]
    assert not missing, f"check_bundle.py looks for modules that no longer exist: {missing}"


def test_the_uninstall_entry_checked_is_the_installers_app_id() -> None:
    iss = (ROOT / "installer" / "windows" / "ppda-tracker.iss").read_text(encoding="utf-8")
    app_id = re.search(r"^AppId=\{\{([0-9A-F-]{36})\}?", iss, re.MULTILINE)
    assert app_id is not None
    check = SCRIPTS[0].read_text(encoding="utf-8")
    assert f"Uninstall\\{{{app_id.group(1)}}}_is1" in check
    assert "/reg:64" in check  # `wine reg` is the 32-bit reg.exe: the 64-bit install's entry is in the 64-bit view


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_help_and_a_wrong_stage_start_nothing() -> None:
    """The README's `bash installer/windows-check` is run with --help by the README test: it must print
    the usage and stop before Xvfb, Wine or any download."""
    script = str(SCRIPTS[0])
    shown = subprocess.run(["bash", script, "--help"], capture_output=True, text=True, timeout=30, check=False)
    assert shown.returncode == 0 and "stages: source bundle installer window" in shown.stdout
    wrong = subprocess.run(["bash", script, "sauce"], capture_output=True, text=True, timeout=30, check=False)
    assert wrong.returncode == 2 and "no stage 'sauce'" in wrong.stderr
