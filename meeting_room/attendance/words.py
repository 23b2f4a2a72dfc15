"""How an attendance was made, in the reader's language: the clerk's CSV and the records'
spreadsheets say it the same way."""

from __future__ import annotations

from flask_babel import gettext

from meeting_room.domain.words import Presence, SignInChannel


def presence_name(presence: Presence) -> str:
    """In person, or by proxy."""
    names = {Presence.IN_PERSON: gettext("In person"), Presence.PROXY: gettext("By proxy")}
    return str(names[presence])


def channel_name(channel: SignInChannel) -> str:
    """Where the sign-in was made: the kiosk, the clerk desk, or a scanned QR code."""
    names = {
        SignInChannel.KIOSK: gettext("Kiosk"),
        SignInChannel.CLERK: gettext("Clerk desk"),
        SignInChannel.QR: gettext("QR code"),
    }
    return str(names[channel])


def proxy_label(member: str, proxy: str | None) -> str:
    """A member as the room sees them: the proxy by their own name, for whom they act
    ("曹小明（代曹凤）"), or the member's own name."""
    if not proxy:
        return member
    return str(gettext("%(proxy)s (for %(member)s)", proxy=proxy, member=member))
