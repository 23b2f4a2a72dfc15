"""Socket.IO namespaces, one per kind of client, and the room every screen of a meeting joins
(see docs/events.md)."""

PROJECTOR = "/projector"
CLERK = "/clerk"
KIOSK = "/kiosk"
PHONE = "/phone"
MODERATOR = "/moderator"
BOOTH = "/booth"
BOARD = "/board"  # the notice boards: anyone may follow the meetings' states
PAPER = "/paper"  # the clerk's paper-ballot screen: the camera's state while it counts
BOARD_ROOM = "board"  # every notice board, in /board (whatever meetings it shows)


def meeting_room_name(meeting_id: int) -> str:
    """The Socket.IO room of every screen following one meeting (same name in each namespace)."""
    return f"meeting:{meeting_id}"


def voter_room(meeting_id: int, member_id: int) -> str:
    """The Socket.IO room of one voter's phone (``/phone``): their own ballot's news, such as a
    named vote's ballot replaced by a later one on another channel."""
    return f"voter:{meeting_id}:{member_id}"


def paper_room(period_id: int) -> str:
    """The Socket.IO room (``/paper``) of the paper screens of one voting period."""
    return f"paper:{period_id}"
