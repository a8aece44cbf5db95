"""Configuration helpers: typed reads that fail loudly, *_FILE secrets, DATABASE_URL parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from integritas.lib.env import ConfigError, Env, parse_database_url


def test_booleans_accept_the_usual_spellings_and_refuse_others() -> None:
    env = Env({"A": "yes", "B": "0", "C": "maybe"})
    assert env.boolean("A", False) is True
    assert env.boolean("B", True) is False
    assert env.boolean("MISSING", True) is True
    with pytest.raises(ConfigError, match="C='maybe' is not a boolean"):
        env.boolean("C", False)


def test_integers_are_checked_against_a_minimum() -> None:
    env = Env({"N": "3", "BAD": "three", "LOW": "0"})
    assert env.integer("N", 1) == 3
    with pytest.raises(ConfigError, match="not a whole number"):
        env.integer("BAD", 1)
    with pytest.raises(ConfigError, match="below the minimum"):
        env.integer("LOW", 1, minimum=1)


def test_lists_split_on_commas_and_drop_blanks() -> None:
    assert Env({"H": "a.go.id, b.go.id,,"}).strings("H", []) == ["a.go.id", "b.go.id"]


def test_a_file_variable_wins_and_a_missing_file_is_an_error(tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("from-file\n", encoding="utf-8")
    assert (
        Env({"SECRET_KEY": "plain", "SECRET_KEY_FILE": str(secret)}).string("SECRET_KEY", "")
        == "from-file"
    )
    with pytest.raises(ConfigError, match="cannot be read"):
        Env({"SECRET_KEY_FILE": str(tmp_path / "nope")}).string("SECRET_KEY", "")


def test_sqlite_urls_are_relative_to_the_project(tmp_path: Path) -> None:
    db = parse_database_url("sqlite:///var/db.sqlite3", base_dir=tmp_path)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "var" / "db.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]  # type: ignore[index]
    assert (
        parse_database_url("sqlite:////srv/db.sqlite3", base_dir=tmp_path)["NAME"]
        == "/srv/db.sqlite3"
    )


def test_postgres_urls_give_every_part(tmp_path: Path) -> None:
    db = parse_database_url(
        "postgres://app:p%40ss@db.internal:5433/integritas?sslmode=require", base_dir=tmp_path
    )
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "integritas",
        "app",
        "p@ss",
        "db.internal",
        "5433",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_unknown_schemes_and_missing_names_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not supported"):
        parse_database_url("mysql://x/y", base_dir=tmp_path)
    with pytest.raises(ConfigError, match="names no database"):
        parse_database_url("postgres://host:5432/", base_dir=tmp_path)
