"""Ticket codes: what the QR carries and what the staff type at the door.

A code is ``XXXX-XXXX-XXXX`` in Crockford's base 32 (no I, L, O or U, so it reads aloud and
types on a phone without mistakes): eight random characters (40 bits, stored with the
registration) and four characters of an HMAC of them under a key made for tickets alone (from
``SECRET_KEY`` with its own salt). So a code cannot be guessed, and a forged or mistyped one is
refused before the database is asked. Reading tolerates lower case, spaces, missing hyphens and
the letters people confuse with digits (O for 0, I and L for 1).
"""

from __future__ import annotations

import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 8
SIGNATURE_LENGTH = 4
SALT = "integritas.education.ticket"
_CONFUSED = str.maketrans({"O": "0", "I": "1", "L": "1"})


class ForgedTicket(ValueError):
    """The code is not one this system issued (wrong signature, length or characters)."""


def _signature(random_part: str) -> str:
    digest = salted_hmac(SALT, random_part, algorithm="sha256").digest()
    number = int.from_bytes(digest[:4], "big")
    chars = []
    for _ in range(SIGNATURE_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def new_ticket() -> str:
    """A fresh random part for a registration's ``ticket`` field."""
    return "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))


def code_for(ticket: str) -> str:
    """The signed code shown on the ticket and encoded in its QR."""
    full = ticket + _signature(ticket)
    return "-".join(full[i : i + 4] for i in range(0, len(full), 4))


def read_code(text: str) -> str:
    """The random part of a typed or scanned code; ``ForgedTicket`` if it is not one of ours."""
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_CONFUSED)
    if len(cleaned) != RANDOM_LENGTH + SIGNATURE_LENGTH or any(c not in ALPHABET for c in cleaned):
        raise ForgedTicket(text)
    ticket, signature = cleaned[:RANDOM_LENGTH], cleaned[RANDOM_LENGTH:]
    if not constant_time_compare(signature, _signature(ticket)):
        raise ForgedTicket(text)
    return ticket
