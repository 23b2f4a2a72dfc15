"""Socket.IO namespaces, one per kind of client, and the room every screen of a meeting joins
(see docs/events.md)."""

PROJECTOR = "/projector"
CLERK = "/clerk"
KIOSK = "/kiosk"
PHONE = "/phone"
MODERATOR = "/moderator"
BOOTH = "/booth"


def meeting_room_name(meeting_id: int) -> str:
    """The Socket.IO room of every screen following one meeting (same name in each namespace)."""
    return f"meeting:{meeting_id}"
