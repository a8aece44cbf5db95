"""Read configuration from environment variables, failing loudly on bad values.

Every helper accepts an optional ``*_FILE`` twin (``SECRET_KEY_FILE`` for ``SECRET_KEY``) so
secrets can come from files mounted by the service manager instead of the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A configuration value is present but unusable; the message names the variable."""


@dataclass(frozen=True)
class Env:
    """A view over an environment mapping (``os.environ`` by default, a dict in tests)."""

    source: Mapping[str, str]

    def raw(self, name: str) -> str | None:
        file_name = self.source.get(f"{name}_FILE")
        if file_name:
            try:
                return Path(file_name).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
        return self.source.get(name)

    def string(self, name: str, default: str) -> str:
        value = self.raw(name)
        return default if value is None else value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ConfigError(f"{name}={value!r} is not a boolean; use true or false")

    def integer(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self.raw(name)
        if value is None or value.strip() == "":
            return default
        try:
            number = int(value)
        except ValueError as exc:
            raise ConfigError(f"{name}={value!r} is not a whole number") from exc
        if minimum is not None and number < minimum:
            raise ConfigError(f"{name}={number} is below the minimum of {minimum}")
        return number

    def strings(self, name: str, default: list[str]) -> list[str]:
        value = self.raw(name)
        if value is None:
            return default
        return [item.strip() for item in value.split(",") if item.strip()]

    def path(self, name: str, default: Path) -> Path:
        value = self.raw(name)
        return Path(value) if value else default


def env() -> Env:
    return Env(os.environ)


def parse_database_url(url: str, *, base_dir: Path) -> dict[str, object]:
    """Turn ``sqlite:///var/db.sqlite3`` or ``postgres://u:p@host:5432/name`` into DATABASES['default'].

    Relative SQLite paths are taken relative to ``base_dir``; ``sqlite://:memory:`` is allowed for tests.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    options = dict(parse_qsl(parts.query))
    if scheme == "sqlite":
        raw_path = unquote(url[len("sqlite://") :].split("?", 1)[0])
        if raw_path in (":memory:", "/:memory:"):
            name: str = ":memory:"
        else:
            if raw_path.startswith("//"):
                path = Path(raw_path[1:])  # sqlite:////abs/path
            else:
                path = base_dir / raw_path.lstrip("/")
            name = str(path)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
                # the start of a transaction so two writers queue instead of failing mid-way.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    # Deleted rows (survey drafts, purged reports) are overwritten, not left
                    # readable in free pages of the file.
                    "PRAGMA secure_delete=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    if scheme in ("postgres", "postgresql", "pgsql"):
        if not parts.path.strip("/"):
            raise ConfigError("DATABASE_URL names no database: add /name after the host")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ConfigError(
        f"DATABASE_URL scheme {scheme!r} is not supported; use sqlite:///path or postgres://..."
    )
