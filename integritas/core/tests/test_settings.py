"""Production mode: refuses unsafe configuration and passes Django's deployment checks."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "DEMO_MODE",
            "PRODUCTION",
            "SECRET_KEY",
            "COMPLAINTS_RECEIPT_PEPPER",
            "DATABASE_URL",
            "VAR_DIR",
        }
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "PRODUCTION": "true",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "COMPLAINTS_RECEIPT_PEPPER": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "integritas.example.go.id",
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }


def test_production_mode_passes_check_deploy_with_no_warnings(tmp_path: Path) -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    env.pop("SECRET_KEY")
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_mode_refuses_to_start_without_a_receipt_pepper(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    env.pop("COMPLAINTS_RECEIPT_PEPPER")
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "COMPLAINTS_RECEIPT_PEPPER" in result.stderr


def test_production_mode_refuses_debug_and_demo_mode(tmp_path: Path) -> None:
    for flag in ("DEBUG", "DEMO_MODE"):
        result = run_manage("check", **production_env(tmp_path), **{flag: "true"})
        assert result.returncode != 0
        assert f"{flag}=true is not allowed" in result.stderr


def test_a_bad_value_names_the_variable(tmp_path: Path) -> None:
    result = run_manage("check", VAR_DIR=str(tmp_path), SESSION_IDLE_MINUTES="soon")
    assert result.returncode != 0
    assert "SESSION_IDLE_MINUTES='soon' is not a whole number" in result.stderr


def test_local_defaults_keep_data_mail_and_media_under_var_and_hash_with_argon2(
    tmp_path: Path,
) -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_FILE_PATH, s.MEDIA_ROOT, s.DATABASES['default']['NAME'], "
        "s.PASSWORD_HASHERS[0], s.LANGUAGE_CODE)"
    )
    result = run_manage("shell", "-v", "0", "-c", code, VAR_DIR=str(tmp_path))
    backend, mail_dir, media, db, hasher, language = result.stdout.split()
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert mail_dir == str(tmp_path / "mail") and media == str(tmp_path / "media")
    assert db == str(tmp_path / "integritas.sqlite3")
    assert hasher == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert language == "id"
