"""Settings, declared once: key, type, default. Secrets never live here (see persistence.secrets)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "ppda-tracker"
APP_AUTHOR = "PPDA Tracker"
ENV_DB_URL = "PPDA_DB_URL"
ENV_USER = "PPDA_USER"
ENV_PASSWORD = "PPDA_PASSWORD"
ENV_NEW_PASSWORD = "PPDA_NEW_PASSWORD"
ENV_DATA_DIR = "PPDA_DATA_DIR"  # overrides the per-user data directory (tests, managed installs)


def data_dir() -> Path:
    override = os.environ.get(ENV_DATA_DIR)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'ppda-tracker.db'}"


@dataclass(frozen=True)
class Settings:
    db_url: str
    user: str | None = None

    @classmethod
    def resolve(cls, db_url: str | None = None, user: str | None = None) -> "Settings":
        """Command-line values first, then the environment, then the defaults."""
        return cls(
            db_url=db_url or os.environ.get(ENV_DB_URL) or default_db_url(),
            user=user or os.environ.get(ENV_USER),
        )
