"""Participation credit in words: the deeds that earn it (staff settings, the member's page,
the kiosk's slip)."""

from __future__ import annotations

from flask_babel import gettext

from meeting_room.domain.credits import Deed


def deed_name(deed: Deed) -> str:
    """A deed that earns credit, in words."""
    return str(
        {
            Deed.SIGN_IN: gettext("Signing in at a meeting"),
            Deed.SPEECH: gettext("Speaking on the floor"),
            Deed.PROPOSAL: gettext("Proposing a topic"),
            Deed.SIGNATURE: gettext("Co-signing a topic"),
            Deed.RATING: gettext("Rating finished work"),
        }[deed]
    )
