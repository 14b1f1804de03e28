"""Codes for personal links: long enough, allowed in a deep link, and stored only as a hash."""

import re

from services.codes import code_hash, new_code


def test_a_code_is_22_characters_a_deep_link_allows():
    codes = {new_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", code) for code in codes)


def test_the_hash_is_sha256_of_the_code_and_never_the_code():
    # sha256("abc"), from FIPS 180-2's example
    assert code_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    code = new_code()
    assert code not in code_hash(code)


def test_text_that_is_not_ascii_hashes_without_an_error():
    """A hand-typed /start r-ëé: each such character counts as "?" (a link never has one)."""
    # sha256 of the two bytes "??", from `printf '??' | sha256sum`
    assert code_hash("ëé") == "e270aeb347f2165574c3a5c5bf11d038bcd3acd5abfdb5ae8a1b52d91cb842f0"
