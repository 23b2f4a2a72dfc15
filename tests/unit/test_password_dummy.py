"""The login's stand-in hash for an unknown name: made without hashing, yet as costly to check
as a real one, and matched by no password."""

from __future__ import annotations

import pytest
from argon2 import extract_parameters
from argon2.exceptions import VerifyMismatchError

from meeting_room.access import accounts


def test_the_unknown_names_hash_has_the_hashers_parameters_and_matches_nothing() -> None:
    dummy = accounts._DUMMY_HASH
    real = accounts._hasher.hash("correct horse battery staple")
    # The same work per check (memory, passes, lanes, type, lengths) as an account's hash.
    assert extract_parameters(dummy) == extract_parameters(real)
    assert not accounts._hasher.check_needs_rehash(dummy)
    for guess in ("", "correct horse battery staple", "x" * 12):
        with pytest.raises(VerifyMismatchError):
            accounts._hasher.verify(dummy, guess)
