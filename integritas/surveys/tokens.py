"""Invitation tokens and resume codes: random, shown once, stored only as keyed digests."""

from __future__ import annotations

import secrets

from django.utils.crypto import salted_hmac

_TOKEN_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - an alphabet, no look-alikes (0/o, 1/l/i)


def new_token(length: int = 20) -> str:
    """An invitation token for a URL: ~98 bits from an unambiguous alphabet."""
    return "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(length))


def new_resume_code() -> str:
    """A code a respondent can write down: 12 characters in three groups (~59 bits)."""
    raw = "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise(code: str) -> str:
    return "".join(ch for ch in code.strip().lower() if ch.isalnum())


def digest(code: str, *, purpose: str) -> str:
    """Keyed SHA-256 of a token or resume code; the key is derived from SECRET_KEY, so a copy of the
    database alone cannot test guesses."""
    return salted_hmac(
        f"integritas.surveys.{purpose}", normalise(code), algorithm="sha256"
    ).hexdigest()
