"""Topics' words as the screens say them (status, source, scope), in the page's language."""

from __future__ import annotations

from flask_babel import gettext

from meeting_room.domain.topics import ScopeKind, TopicSource, TopicStatus


def status_name(status: str) -> str:
    """A topic's status in words."""
    names = {
        TopicStatus.COLLECTING: gettext("Collecting signatures"),
        TopicStatus.THRESHOLD_MET: gettext("Threshold reached, awaiting review"),
        TopicStatus.ACCEPTED: gettext("Accepted onto an agenda"),
        TopicStatus.DECLINED: gettext("Declined"),
        TopicStatus.MERGED: gettext("Merged into another topic"),
    }
    return str(names.get(TopicStatus(status), status))


def source_name(source: str) -> str:
    """Where a topic came from, in words."""
    names = {
        TopicSource.KIOSK: gettext("Resident, at the kiosk"),
        TopicSource.PHONE: gettext("Resident, on their phone"),
        TopicSource.BOARD: gettext("Resident, on the notice board"),
        TopicSource.GRID_VISIT: gettext("Grid worker's visit"),
        TopicSource.REPRESENTATIVE: gettext("Resident representative"),
        TopicSource.SUGGESTION_BOX: gettext("Suggestion box"),
        TopicSource.OFFICE: gettext("Community office"),
    }
    return str(names.get(TopicSource(source), source))


def scope_name(scope: str, building: str, unit: str) -> str:
    """Whom a topic concerns, in words: 3栋2单元, 3栋, or the whole compound."""
    if scope == ScopeKind.UNIT:
        return f"{building}{unit}"
    if scope == ScopeKind.BUILDING:
        return building
    return str(gettext("The whole compound"))
