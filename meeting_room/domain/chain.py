"""Hash chains: each entry's hash covers the previous hash, so no entry can change unseen."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def link(previous: str, text: str) -> str:
    """The hash of one entry after ``previous`` (SHA-256, hex)."""
    return hashlib.sha256(f"{previous}\n{text}".encode()).hexdigest()


def chain(seed: str, texts: Sequence[str]) -> list[str]:
    """The hash of every entry, starting from the hash of ``seed``."""
    previous = hashlib.sha256(seed.encode()).hexdigest()
    hashes = []
    for text in texts:
        previous = link(previous, text)
        hashes.append(previous)
    return hashes


def first_broken(seed: str, texts: Sequence[str], hashes: Sequence[str]) -> int | None:
    """The index of the first entry whose stored hash does not match, or None if all do."""
    expected = chain(seed, texts)
    if len(hashes) != len(expected):
        return min(len(hashes), len(expected))
    for index, (want, have) in enumerate(zip(expected, hashes, strict=True)):
        if want != have:
            return index
    return None
