"""Yishi: the in-room meeting system's core (app factory, storage, the meeting's domain)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app (imported lazily, so ``yishi run`` can monkey-patch gevent first)."""
    from meeting_room.app import create_app as build

    return build(config)
