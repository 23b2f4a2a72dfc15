"""Yishi: the in-room meeting system's core (app factory, storage, the meeting's domain)."""

from meeting_room.app import create_app

__all__ = ["create_app"]
