"""Hash chains catch any change, and say where."""

from __future__ import annotations

from meeting_room.domain.chain import chain, first_broken

SEED = "poll 7 · 加装电梯"
TEXTS = ["2345ABCD|for", "6789EFGH|against", "JKMNPQRS|abstain"]


def test_an_untouched_list_verifies() -> None:
    assert first_broken(SEED, TEXTS, chain(SEED, TEXTS)) is None


def test_changing_one_entry_is_found_at_that_entry() -> None:
    hashes = chain(SEED, TEXTS)
    tampered = [TEXTS[0], "6789EFGH|for", TEXTS[2]]
    assert first_broken(SEED, tampered, hashes) == 1


def test_each_hash_depends_on_everything_before_it() -> None:
    assert chain(SEED, TEXTS)[2] != chain(SEED, ["x", *TEXTS[1:]])[2]
    assert chain("another poll", TEXTS)[0] != chain(SEED, TEXTS)[0]


def test_a_dropped_entry_is_reported() -> None:
    assert first_broken(SEED, TEXTS[:2], chain(SEED, TEXTS)) == 2
