"""Find the files shipped with the program: the Alembic migrations and the look (stylesheet, icons).

In the repository they are the top-level folders `migrations/` and `resources/`; pyproject.toml maps
them into the program as the packages `app.migrations` and `app.assets`, so they are found the same
way — through importlib.resources — from a wheel, an editable install and the PyInstaller bundle
(installer/ppda-tracker.spec puts them at app/migrations and app/assets).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

MIGRATIONS_PACKAGE = "app.migrations"
ASSETS_PACKAGE = "app.assets"


class MissingInstallFiles(RuntimeError):
    """The program was installed without its migrations or its look, or in a form they cannot be read from."""


def package_folder(package: str) -> Path:
    """The folder on disk of a shipped data package (Alembic and Qt need real files)."""
    try:
        root = files(package)
    except ModuleNotFoundError:
        raise MissingInstallFiles(
            f"This installation of PPDA Tracker lacks {package}: reinstall it from its wheel or bundle "
            "(in a source checkout installed before the folders were mapped: pip install -e . again)."
        ) from None
    if not isinstance(root, Path) or not root.is_dir():
        raise MissingInstallFiles(
            f"{package} is not a folder on disk ({root!r}): install PPDA Tracker unzipped (pip install)."
        )
    return root


def resource_path(*parts: str) -> Path:
    """A file of the look, e.g. resource_path("icons", "app.svg")."""
    return package_folder(ASSETS_PACKAGE).joinpath(*parts)


def migrations_path() -> Path:
    """The Alembic script folder (env.py, versions/)."""
    return package_folder(MIGRATIONS_PACKAGE)
