"""The whistleblowing encryption primitives, on libsodium (PyNaCl). Pure: no Django imports.

The protocol these build (docs/security.md, "Whistleblowing encryption"):

- every report has a random **report key**; its content, messages and files are encrypted with it
  (XChaCha20-Poly1305 through ``nacl.secret.Aead``: authenticated, random 24-byte nonces);
- the report key is **sealed** to each authorised handler's X25519 public key (``SealedBox``) and
  **wrapped** for the reporter with a key derived from the receipt by Argon2id and a per-report salt;
- a handler's private key is kept encrypted twice: with a key derived from their password
  (Argon2id, own salt) and with a random **recovery key** shown once at enrolment;
- the receipt itself is never stored: a keyed slow hash of it (the **lookup id**) finds the report.

Every failure to decrypt raises ``DecryptionError`` and nothing else, so a caller cannot tell a wrong
key from tampered data (and neither can an attacker probing it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import nacl.exceptions
import nacl.public
import nacl.pwhash.argon2id
import nacl.secret
import nacl.utils

KEY_SIZE = nacl.secret.Aead.KEY_SIZE  # 32 bytes
SALT_SIZE = nacl.pwhash.argon2id.SALTBYTES  # 16 bytes
RECEIPT_DIGITS = 16
RECOVERY_BYTES = 20  # 160 bits, written as 32 base32 characters in 8 groups of 4


class CryptoError(Exception):
    """Base class for the errors of this module."""


class DecryptionError(CryptoError):
    """Wrong key, wrong password or receipt, or data that was altered: we cannot tell which."""


class MalformedReceipt(CryptoError):
    """Not 16 digits with a valid check digit: a typo, caught before any lookup."""


class MalformedRecoveryKey(CryptoError):
    """Not a recovery key as we print them."""


# -- key derivation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: passes over memory and memory in bytes (libsodium uses one lane).

    Stored beside every salt (``str(params)``) so that costs can be raised later without
    making existing records unreadable.
    """

    ops: int
    mem: int

    def __str__(self) -> str:
        return f"argon2id:t={self.ops}:m={self.mem // 1024}"

    @classmethod
    def parse(cls, text: str) -> KdfParams:
        try:
            name, ops, mem = text.split(":")
            if name != "argon2id" or not ops.startswith("t=") or not mem.startswith("m="):
                raise ValueError(text)
            return cls(ops=int(ops[2:]), mem=int(mem[2:]) * 1024)
        except ValueError as exc:
            raise CryptoError(f"unknown key-derivation parameters: {text!r}") from exc


# About 0.3 s and 64 MiB per derivation on one server core: a guesser pays the same for each of
# the 10^15 receipts, per report (the salt is per report). Above OWASP's minimum for Argon2id.
STRONG = KdfParams(ops=3, mem=64 * 1024 * 1024)
# The lookup hash runs once per receipt entered; it is keyed by the server pepper as well.
LOOKUP = KdfParams(ops=2, mem=64 * 1024 * 1024)
# For the test suite only (like Django's fast password hasher in tests): never in production.
FAST_FOR_TESTS = KdfParams(ops=1, mem=8 * 1024 * 1024)


def new_salt() -> bytes:
    return nacl.utils.random(SALT_SIZE)


def derive_key(secret: bytes | str, salt: bytes, params: KdfParams = STRONG) -> bytes:
    """A 32-byte key from a password, receipt or recovery key, with Argon2id."""
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    if len(salt) != SALT_SIZE:
        raise CryptoError(f"a salt has {SALT_SIZE} bytes, not {len(salt)}")
    return nacl.pwhash.argon2id.kdf(
        KEY_SIZE, secret, salt, opslimit=params.ops, memlimit=params.mem
    )


# -- symmetric encryption ------------------------------------------------------------------------


def new_key() -> bytes:
    """A random report key (or any other symmetric key)."""
    return nacl.utils.random(KEY_SIZE)


def encrypt(key: bytes, plaintext: bytes, *, context: bytes = b"") -> bytes:
    """XChaCha20-Poly1305 with a random nonce; the result carries the nonce.

    ``context`` is authenticated but not stored: the same value must be given to ``decrypt``.
    It binds a ciphertext to its place (for instance a report's public id), so a ciphertext
    copied into another row does not decrypt there.
    """
    return bytes(nacl.secret.Aead(key).encrypt(plaintext, context))


def decrypt(key: bytes, ciphertext: bytes, *, context: bytes = b"") -> bytes:
    try:
        return bytes(nacl.secret.Aead(key).decrypt(ciphertext, context))
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as exc:
        raise DecryptionError("cannot decrypt: wrong key or altered data") from exc


# -- public-key sealing --------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyPair:
    public: bytes
    private: bytes

    def __repr__(self) -> str:  # never print a private key into a log or a traceback
        return f"KeyPair(public={self.public.hex()[:16]}…)"


def new_key_pair() -> KeyPair:
    private = nacl.public.PrivateKey.generate()
    return KeyPair(public=bytes(private.public_key), private=bytes(private))


def seal(public_key: bytes, plaintext: bytes) -> bytes:
    """Encrypt to a holder of the matching private key; the sender stays anonymous (SealedBox)."""
    return bytes(nacl.public.SealedBox(nacl.public.PublicKey(public_key)).encrypt(plaintext))


def unseal(private_key: bytes, sealed: bytes) -> bytes:
    try:
        return bytes(nacl.public.SealedBox(nacl.public.PrivateKey(private_key)).decrypt(sealed))
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as exc:
        raise DecryptionError("cannot unseal: wrong private key or altered data") from exc


# -- receipts ------------------------------------------------------------------------------------

# Damm's check digit: a totally anti-symmetric quasigroup of order 10. It catches every
# single-digit mistake and every swap of two neighbouring digits, the two commonest slips when a
# code is copied by hand; Luhn misses the swap 09 <-> 90, Verhoeff needs three tables.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def damm_digit(digits: str) -> str:
    """The check digit that makes ``digits + check`` pass ``damm_valid``."""
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][int(ch)]
    return str(interim)


def damm_valid(digits: str) -> bool:
    return digits.isdigit() and damm_digit(digits) == "0"


def new_receipt() -> str:
    """16 digits: 15 random (about 50 bits) and a check digit, as ``1234 5678 9012 3456``."""
    body = "".join(secrets.choice("0123456789") for _ in range(RECEIPT_DIGITS - 1))
    return format_receipt(body + damm_digit(body))


def format_receipt(digits: str) -> str:
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def normalise_receipt(text: str) -> str:
    """The 16 digits of a receipt as typed (spaces, dashes and dots allowed), or raise.

    Only ASCII digits count: a receipt typed with other numerals is a different code.
    """
    digits = "".join(ch for ch in text if ch not in " -.\u00a0\t")
    if len(digits) != RECEIPT_DIGITS or not digits.isascii() or not digits.isdigit():
        raise MalformedReceipt("a receipt has 16 digits")
    if not damm_valid(digits):
        raise MalformedReceipt("the receipt has a typing mistake (its check digit does not match)")
    return digits


def receipt_lookup_id(receipt: str, pepper: bytes, params: KdfParams = LOOKUP) -> str:
    """The hex id a report is found by: HMAC-SHA256(pepper, Argon2id(receipt, pepper-salt)).

    Argon2id makes every guess slow; the pepper (a server secret kept outside the database) means
    a copy of the database alone cannot test guesses at all. The salt is the same for every report
    (it must be, to find a report by it), which is why the reporter's key uses a second,
    per-report derivation.
    """
    digits = normalise_receipt(receipt)
    salt = hmac.new(pepper, b"integritas.complaints.lookup-salt", hashlib.sha256).digest()
    slow = derive_key(digits, salt[:SALT_SIZE], params)
    return hmac.new(pepper, slow, hashlib.sha256).hexdigest()


def receipt_key(receipt: str, salt: bytes, params: KdfParams = STRONG) -> bytes:
    """The reporter's key: Argon2id of the receipt with the report's own salt."""
    return derive_key(normalise_receipt(receipt), salt, params)


# -- handler keys --------------------------------------------------------------------------------

_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def new_recovery_key() -> str:
    """A recovery key to print or write down: 160 random bits as 8 groups of 4 base32 characters."""
    text = base64.b32encode(nacl.utils.random(RECOVERY_BYTES)).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def normalise_recovery_key(text: str) -> str:
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t")
    # People misread these; base32 has neither 0 nor 1, so map them to the letters meant.
    cleaned = cleaned.replace("0", "O").replace("1", "I")
    if len(cleaned) != RECOVERY_BYTES * 8 // 5 or any(ch not in _B32 for ch in cleaned):
        raise MalformedRecoveryKey("a recovery key has 32 letters and digits")
    return cleaned


@dataclass(frozen=True)
class LockedPrivateKey:
    """A private key encrypted under a key derived from a secret (password or recovery key)."""

    ciphertext: bytes
    salt: bytes
    params: KdfParams


def lock_private_key(
    private_key: bytes, secret: str, *, params: KdfParams = STRONG, context: bytes = b""
) -> LockedPrivateKey:
    salt = new_salt()
    wrapping = derive_key(secret, salt, params)
    return LockedPrivateKey(encrypt(wrapping, private_key, context=context), salt, params)


def unlock_private_key(locked: LockedPrivateKey, secret: str, *, context: bytes = b"") -> bytes:
    wrapping = derive_key(secret, locked.salt, locked.params)
    return decrypt(wrapping, locked.ciphertext, context=context)


def public_key_of(private_key: bytes) -> bytes:
    return bytes(nacl.public.PrivateKey(private_key).public_key)
