"""The whistleblowing primitives: round trips, and every way decryption must fail."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integritas.lib import crypto
from integritas.lib.crypto import FAST_FOR_TESTS as FAST

PEPPER = b"p" * 32


def flip(data: bytes, at: int = -1) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


# -- symmetric -----------------------------------------------------------------------------------


def test_a_report_key_encrypts_and_decrypts_with_its_context() -> None:
    key = crypto.new_key()
    ciphertext = crypto.encrypt(key, b"Kepala dinas meminta uang", context=b"report-1")
    assert b"uang" not in ciphertext
    assert crypto.decrypt(key, ciphertext, context=b"report-1") == b"Kepala dinas meminta uang"


def test_the_same_plaintext_encrypts_differently_each_time() -> None:
    key = crypto.new_key()
    assert crypto.encrypt(key, b"same") != crypto.encrypt(key, b"same")


def test_a_wrong_key_a_tampered_ciphertext_or_another_context_all_fail_alike() -> None:
    key = crypto.new_key()
    ciphertext = crypto.encrypt(key, b"secret", context=b"report-1")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(crypto.new_key(), ciphertext, context=b"report-1")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(key, flip(ciphertext), context=b"report-1")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(key, flip(ciphertext, at=0), context=b"report-1")  # the nonce
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(key, ciphertext, context=b"report-2")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(key, ciphertext[:10])


@settings(max_examples=30)
@given(st.binary(max_size=2048), st.binary(max_size=40))
def test_any_bytes_round_trip(plaintext: bytes, context: bytes) -> None:
    key = crypto.new_key()
    assert crypto.decrypt(
        key, crypto.encrypt(key, plaintext, context=context), context=context
    ) == (plaintext)


# -- sealing -------------------------------------------------------------------------------------


def test_a_sealed_key_opens_only_with_the_matching_private_key() -> None:
    handler, other = crypto.new_key_pair(), crypto.new_key_pair()
    report_key = crypto.new_key()
    sealed = crypto.seal(handler.public, report_key)
    assert crypto.unseal(handler.private, sealed) == report_key
    with pytest.raises(crypto.DecryptionError):
        crypto.unseal(other.private, sealed)
    with pytest.raises(crypto.DecryptionError):
        crypto.unseal(handler.private, flip(sealed))


def test_a_key_pair_never_shows_its_private_half_in_its_repr() -> None:
    pair = crypto.new_key_pair()
    assert pair.private.hex() not in repr(pair)
    assert crypto.public_key_of(pair.private) == pair.public


# -- receipts ------------------------------------------------------------------------------------


def test_a_new_receipt_is_sixteen_digits_in_four_groups_with_a_valid_check_digit() -> None:
    receipt = crypto.new_receipt()
    groups = receipt.split(" ")
    assert [len(g) for g in groups] == [4, 4, 4, 4]
    assert crypto.damm_valid("".join(groups))


def test_receipts_are_random() -> None:
    assert len({crypto.new_receipt() for _ in range(200)}) == 200


def test_a_receipt_is_accepted_with_spaces_dashes_or_nothing_between_groups() -> None:
    receipt = crypto.new_receipt()
    digits = receipt.replace(" ", "")
    assert crypto.normalise_receipt(receipt) == digits
    assert crypto.normalise_receipt(receipt.replace(" ", "-")) == digits
    assert crypto.normalise_receipt(f"  {digits} ") == digits


def test_every_single_digit_typo_and_every_neighbour_swap_is_caught() -> None:
    digits = crypto.new_receipt().replace(" ", "")
    for position, wrong in itertools.product(range(16), "0123456789"):
        if digits[position] == wrong:
            continue
        typo = digits[:position] + wrong + digits[position + 1 :]
        with pytest.raises(crypto.MalformedReceipt):
            crypto.normalise_receipt(typo)
    for position in range(15):
        a, b = digits[position], digits[position + 1]
        if a == b:
            continue
        swapped = digits[:position] + b + a + digits[position + 2 :]
        with pytest.raises(crypto.MalformedReceipt):
            crypto.normalise_receipt(swapped)


@pytest.mark.parametrize(
    "text",
    ["", "1234", "1234 5678 9012 345", "1234 5678 9012 34567", "abcd efgh ijkl mnop", "١٢٣٤"],
)
def test_malformed_receipts_are_refused_before_any_lookup(text: str) -> None:
    with pytest.raises(crypto.MalformedReceipt):
        crypto.normalise_receipt(text)


def test_the_lookup_id_is_stable_per_receipt_and_depends_on_the_pepper() -> None:
    receipt = crypto.new_receipt()
    first = crypto.receipt_lookup_id(receipt, PEPPER, FAST)
    assert crypto.receipt_lookup_id(receipt.replace(" ", ""), PEPPER, FAST) == first
    assert crypto.receipt_lookup_id(receipt, b"q" * 32, FAST) != first
    assert crypto.receipt_lookup_id(crypto.new_receipt(), PEPPER, FAST) != first
    assert receipt.replace(" ", "") not in first


def test_a_report_key_wrapped_with_the_receipt_opens_only_with_that_receipt() -> None:
    receipt, salt, report_key = crypto.new_receipt(), crypto.new_salt(), crypto.new_key()
    wrapped = crypto.encrypt(crypto.receipt_key(receipt, salt, FAST), report_key)
    assert crypto.decrypt(crypto.receipt_key(receipt, salt, FAST), wrapped) == report_key
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(crypto.receipt_key(crypto.new_receipt(), salt, FAST), wrapped)
    with pytest.raises(crypto.DecryptionError):  # the right receipt with another report's salt
        crypto.decrypt(crypto.receipt_key(receipt, crypto.new_salt(), FAST), wrapped)


def test_the_production_costs_are_strong() -> None:
    assert crypto.STRONG.mem >= 64 * 1024 * 1024 and crypto.STRONG.ops >= 3
    assert crypto.LOOKUP.mem >= 64 * 1024 * 1024


def test_kdf_parameters_survive_being_stored_as_text() -> None:
    assert crypto.KdfParams.parse(str(crypto.STRONG)) == crypto.STRONG
    with pytest.raises(crypto.CryptoError):
        crypto.KdfParams.parse("scrypt:n=1")


def test_a_salt_of_the_wrong_size_is_refused() -> None:
    with pytest.raises(crypto.CryptoError):
        crypto.derive_key("secret", b"short", FAST)


# -- handler keys --------------------------------------------------------------------------------


def test_a_private_key_locked_with_a_password_opens_with_it_and_not_with_another() -> None:
    pair = crypto.new_key_pair()
    locked = crypto.lock_private_key(pair.private, "kata sandi panjang", params=FAST, context=b"u1")
    assert crypto.unlock_private_key(locked, "kata sandi panjang", context=b"u1") == pair.private
    with pytest.raises(crypto.DecryptionError):
        crypto.unlock_private_key(locked, "kata sandi salah", context=b"u1")
    with pytest.raises(crypto.DecryptionError):  # moved to another account's row
        crypto.unlock_private_key(locked, "kata sandi panjang", context=b"u2")


def test_the_recovery_key_opens_the_private_key_even_as_written_down_sloppily() -> None:
    pair = crypto.new_key_pair()
    recovery = crypto.new_recovery_key()
    assert len(recovery.replace("-", "")) == 32
    locked = crypto.lock_private_key(
        pair.private, crypto.normalise_recovery_key(recovery), params=FAST
    )
    sloppy = recovery.lower().replace("-", " ").replace("O", "0").replace("o", "0")
    assert crypto.unlock_private_key(locked, crypto.normalise_recovery_key(sloppy)) == pair.private


def test_a_recovery_key_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(crypto.MalformedRecoveryKey):
        crypto.normalise_recovery_key("ABCD-EFGH")
