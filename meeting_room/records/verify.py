"""Verifying the records (``yishi verify`` and the administrator's page): that nothing was
edited behind the app's back, and that the box still holds the history the room saw.

Four ideas, one module each: the chain and an anchor read off paper (``verify_chain``), the
audited tables replayed from the log (``verify_tables``), every closed poll recounted and held
against its stored, sealed and published copies (``verify_polls``, ``verify_recount``). What a
person with root on the box can still forge, and how the printed anchor exposes it, is in
SECURITY.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from meeting_room.records.verify_chain import anchor_check, chain_check
from meeting_room.records.verify_polls import poll_checks
from meeting_room.records.verify_report import Report
from meeting_room.records.verify_tables import table_checks


def verify_records(session: Session, anchors: Sequence[str] = ()) -> Report:
    """Every check, in order: the chain, each anchor read off paper (one check saying none was
    given, if none was), the tables, the polls."""
    wanted = [text for text in anchors if text.strip()]
    checks = [chain_check(session)]
    checks += [anchor_check(session, text) for text in wanted] or [anchor_check(session, None)]
    checks += table_checks(session)
    checks += poll_checks(session)
    return Report(checks)
