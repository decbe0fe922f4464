"""Settings, declared once: key, type, default. Secrets never live here (see persistence.secrets).

Each value is taken from the first of: the command line, the environment, the central settings
file an IT department deploys to every workstation, the default. The central file is an INI file
(`%PROGRAMDATA%\\PPDA Tracker\\settings.ini` on Windows, `/etc/ppda-tracker/settings.ini`
elsewhere, or the file named by PPDA_SETTINGS_FILE) with one section:

    [ppda-tracker]
    db_url = postgresql+psycopg://ppda@psd-db.example.police.uk/psd?sslmode=verify-full
    data_dir = %LOCALAPPDATA%\\PPDA Tracker

It holds no secrets: a database URL with a password in it is refused.
"""

from __future__ import annotations

import configparser
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app.domain.errors import InvalidInput
from app.private_files import private_dir

APP_NAME = "ppda-tracker"
APP_AUTHOR = "PPDA Tracker"
ENV_DB_URL = "PPDA_DB_URL"
ENV_USER = "PPDA_USER"
ENV_PASSWORD = "PPDA_PASSWORD"
ENV_NEW_PASSWORD = "PPDA_NEW_PASSWORD"
ENV_DATA_DIR = "PPDA_DATA_DIR"  # overrides the per-user data directory (tests, managed installs)
ENV_SETTINGS_FILE = "PPDA_SETTINGS_FILE"  # another central settings file (tests, unusual layouts)

CENTRAL_SECTION = "ppda-tracker"
CENTRAL_DB_URL = "db_url"
CENTRAL_DATA_DIR = "data_dir"
CENTRAL_KEYS = (CENTRAL_DB_URL, CENTRAL_DATA_DIR)


class CentralSettingsError(InvalidInput):
    """The central settings file exists but cannot be used; the message names the file and the fix."""


def central_settings_file() -> Path:
    """Where the machine-wide settings file is looked for (it need not exist)."""
    override = os.environ.get(ENV_SETTINGS_FILE)
    if override:
        return Path(override)
    if sys.platform == "win32":
        program_data = os.environ.get("PROGRAMDATA") or r"C:\ProgramData"
        return Path(program_data) / APP_AUTHOR / "settings.ini"
    return Path("/etc") / APP_NAME / "settings.ini"


def central_settings() -> dict[str, str]:
    """The non-empty values of the central settings file; {} when there is no such file."""
    path = central_settings_file()
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with path.open(encoding="utf-8-sig") as fh:  # utf-8-sig: Notepad may add a BOM
            parser.read_file(fh)
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        raise CentralSettingsError(
            f"The central settings file {path} cannot be read ({_first_line(exc)}). Ask IT to correct it: "
            f"an INI file with a [{CENTRAL_SECTION}] section and the keys {' and '.join(CENTRAL_KEYS)}."
        ) from None
    if not parser.has_section(CENTRAL_SECTION):
        return {}
    section = parser[CENTRAL_SECTION]
    unknown = sorted(set(section) - set(CENTRAL_KEYS))
    if unknown:
        raise CentralSettingsError(
            f"The central settings file {path} has unknown key(s) {', '.join(unknown)}; it may hold only "
            f"{' and '.join(CENTRAL_KEYS)}. Secrets belong in the OS keyring, never in this file."
        )
    values = {key: section[key].strip() for key in CENTRAL_KEYS if section.get(key, "").strip()}
    if CENTRAL_DB_URL in values:
        _refuse_password(path, values[CENTRAL_DB_URL])
    return values


def _refuse_password(path: Path, url: str) -> None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise CentralSettingsError(f"The db_url in {path} is not a database URL: give sqlite:///FILE or "
                                   "postgresql+psycopg://USER@HOST/DATABASE.") from None
    if parsed.password is not None or "password" in parsed.query:
        raise CentralSettingsError(
            f"The db_url in {path} contains a password. Remove it: the password is kept in the OS keyring "
            "(Windows Credential Manager) of each user, never in a settings file."
        )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def data_dir() -> Path:
    """Logs, window settings and the default SQLite file: PPDA_DATA_DIR, else the central file's
    data_dir (environment variables such as %LOCALAPPDATA% expanded), else the per-user default."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        path = Path(override)
    else:
        central = central_settings().get(CENTRAL_DATA_DIR)
        path = _central_dir(central) if central else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    return private_dir(path)  # created 0700: it holds the database, its backups and the logs


def _central_dir(value: str) -> Path:
    path = Path(os.path.expandvars(value)).expanduser()
    if not path.is_absolute():
        raise CentralSettingsError(
            f"The data_dir in {central_settings_file()} is '{value}', which is not an absolute folder "
            "(an unknown %VARIABLE%?). Give a full path such as %LOCALAPPDATA%\\PPDA Tracker."
        )
    return path


def log_dir() -> Path:
    return private_dir(data_dir() / "logs")


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'ppda-tracker.db'}"


@dataclass(frozen=True)
class Settings:
    db_url: str
    user: str | None = None

    @classmethod
    def resolve(cls, db_url: str | None = None, user: str | None = None) -> Settings:
        """Command-line values first, then the environment, then the central settings file, then
        the defaults."""
        central = central_settings()  # read even when overridden, so a bad file is always reported
        return cls(
            db_url=db_url or os.environ.get(ENV_DB_URL) or central.get(CENTRAL_DB_URL) or default_db_url(),
            user=user or os.environ.get(ENV_USER),
        )
