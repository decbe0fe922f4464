"""What the wheel ships is declared in pyproject.toml by hand (migrations/ and resources/ are mapped
into the program as app.migrations and app.assets): these checks fail when a new package or data file
would be left out of it. tests/integration/test_wheel.py builds and installs the wheel for real."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

import app
from app import resources

ROOT = Path(__file__).resolve().parents[2]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def package_folder(package: str) -> Path:
    """Where setuptools takes `package` from (the longest mapped prefix in package-dir)."""
    mapping = SETUPTOOLS.get("package-dir", {})
    parts = package.split(".")
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in mapping:
            return ROOT.joinpath(mapping[prefix], *parts[cut:])
    return ROOT.joinpath(*parts)


def shipped(path: Path) -> bool:
    """Whether the wheel holds this file: a module of a listed package, or package data."""
    for package in SETUPTOOLS["packages"]:
        folder = package_folder(package)
        if path.parent == folder and path.suffix == ".py":
            return True
        patterns = SETUPTOOLS["package-data"].get(package, [])
        if path.is_relative_to(folder) and any(fnmatch(str(path.relative_to(folder)), p) for p in patterns):
            return True
    return False


def test_every_package_of_the_program_is_in_the_wheel() -> None:
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "app").rglob("__init__.py")}
    missing = sorted(on_disk - set(SETUPTOOLS["packages"]))
    assert not missing, f"add {missing} to [tool.setuptools] packages in pyproject.toml"


def test_every_migration_and_resource_file_is_in_the_wheel() -> None:
    files = [p for folder in ("migrations", "resources") for p in (ROOT / folder).rglob("*")
             if p.is_file() and "__pycache__" not in p.parts]
    assert any(p.name == "0001_initial_schema.py" for p in files)
    assert any(p.name == "style.qss" for p in files)
    missing = sorted(str(p.relative_to(ROOT)) for p in files if not shipped(p))
    assert not missing, f"not in the wheel: {missing} (package-data in pyproject.toml)"


def test_the_program_finds_its_files_through_the_mapped_packages() -> None:
    assert resources.migrations_path() == package_folder("app.migrations") == ROOT / "migrations"
    assert resources.resource_path("style.qss") == ROOT / "resources" / "style.qss"
    assert (resources.migrations_path() / "versions").is_dir()


def test_the_version_is_written_once() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert SETUPTOOLS["dynamic"]["version"] == {"attr": "app.__version__"}
    assert app.__version__.count(".") == 2


def test_the_typing_marker_ships() -> None:
    assert (ROOT / "app" / "py.typed").is_file()
    assert "py.typed" in SETUPTOOLS["package-data"]["app"]
