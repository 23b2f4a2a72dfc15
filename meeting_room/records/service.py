"""Records' one writer: the clerk's additions to the minutes (signatories, item summaries,
corrections, publication) and the purge of old meetings' personal data; and the reads that
routes, the notice board and the ``yishi`` commands share (the minutes, an export's file).

Each write is one committed transaction. Nothing is broadcast but the meeting's state when
the minutes are published (``meeting.state``): no screen shows the minutes live (the board and
the minutes pages read them when they load).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from flask import current_app

from meeting_room.clock import now, today
from meeting_room.life.service import emit_state
from meeting_room.meetings.meetings import get_meeting
from meeting_room.meetings.snapshot import meeting_state
from meeting_room.records import corrections, purge
from meeting_room.records.build import build_minutes
from meeting_room.records.exports import Export, export_table
from meeting_room.records.minutes import CorrectionRecord, Minutes
from meeting_room.records.purge_record import sealed_minutes
from meeting_room.records.schemas import CorrectionIn, SignatoriesIn, SummaryIn
from meeting_room.records.spreadsheets import FileFormat, written
from meeting_room.records.verify import verify_records
from meeting_room.records.verify_report import Report
from meeting_room.store.audit import append, canonical
from meeting_room.store.backup import SCANS, backup, verify_scans
from meeting_room.store.files import private_file
from meeting_room.store.rewrite import rewrite_without_history
from meeting_room.store.storage import storage, transaction

# --- the minutes ----------------------------------------------------------------------------


def minutes_of(meeting_id: int) -> Minutes:
    """The minutes as of now (as sealed, without names, if the meeting was purged); may refuse
    ``meeting_not_found``."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        return sealed_minutes(session, meeting.id) or build_minutes(
            session, meeting, now(), today()
        )


def name_signatories(meeting_id: int, wanted: SignatoriesIn) -> Minutes:
    """Name the moderator and the clerk who sign the minutes; the minutes as committed."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        corrections.name_signatories(session, meeting, wanted.moderator, wanted.clerk)
    return minutes_of(meeting_id)


def publish_minutes(meeting_id: int, by: str) -> Minutes:
    """Put the minutes on the notice board (once: publishing again changes nothing); the
    closed meeting moves to "minutes published" and every screen and board hears it."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        corrections.publish_minutes(session, meeting, by, now())
        state = meeting_state(meeting)
    emit_state(state)
    return minutes_of(meeting_id)


def write_summary(meeting_id: int, item_id: int, wanted: SummaryIn) -> Minutes:
    """Write an item's summary (rewriting it is kept as a correction); may refuse
    ``item_not_found`` or ``nothing_changed``."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        corrections.write_summary(session, meeting, item_id, wanted.text, wanted.by, now())
    return minutes_of(meeting_id)


def correct(meeting_id: int, wanted: CorrectionIn) -> CorrectionRecord:
    """Correct a text of the minutes (the record of what happened stays); may refuse
    ``not_correctable`` or ``nothing_changed``."""
    with transaction() as session:
        meeting = get_meeting(session, meeting_id)
        c = corrections.correct(session, meeting, wanted.field, wanted.text, wanted.by, now())
        return CorrectionRecord(field=c.field, before=c.before, after=c.after, by=c.by, at=c.at)


def export_file(meeting_id: int, what: Export, file_format: FileFormat) -> bytes:
    """One of the meeting's records as a file, in the current language; may refuse
    ``meeting_not_found``."""
    with transaction() as session:
        table = export_table(session, get_meeting(session, meeting_id), what, now(), today())
    return written(table, file_format)


# --- verification (SECURITY.md) ------------------------------------------------------------


def verify(anchors: list[str]) -> Report:
    """Check the records against the audit log, every closed poll by a recount, and the chain
    against anchors read off paper (when some are given); changes nothing."""
    with transaction() as session:
        return verify_records(session, anchors)


# --- the purge (docs/privacy.md) ------------------------------------------------------------


def purge_due(days: int) -> list[purge.Purged]:
    """Meetings older than ``days`` still holding personal data (those that cannot go yet are
    held back, with the reason); nothing is changed."""
    with transaction() as session:
        return purge.due(session, purge.cutoff(now(), days))


def purge_meetings(meeting_ids: list[int], days: int) -> list[purge.Purged]:
    """Remove these meetings' personal data in one transaction, all or none (raises
    ``PurgeRefused`` before touching anything when the records do not verify); then old page
    images leave SQLite's write-ahead log and free space too. Needs a request context: the
    sealed minutes word each poll's verdict in every language."""
    moment, day = now(), today()
    with transaction() as session:
        done = [
            purge.purge_meeting(session, get_meeting(session, meeting_id), days, moment, day)
            for meeting_id in meeting_ids
        ]
    database = storage().file
    if database is not None:  # nor the log, nor the pages' free space (store.rewrite)
        rewrite_without_history(database)
    return done


# --- backups (store.backup) -----------------------------------------------------------------

BACKUP_KIND = "backups.download"


def backup_for_download(folder: Path, by: str, account_id: int | None) -> Path:
    """A fresh, checked copy of the database in ``folder`` for an administrator to download;
    the copy is entered in the audit log (who, which file, how big; never a path or a secret).
    Where paper ballots were scanned, the download is a zip of the database copy and its
    ``ballot-scans/`` folder (each image checked against the SHA-256 the copy records).
    Raises ``BackupError`` (``SecretVoteOpen`` while a secret poll is open)."""
    stamp = now().strftime("%Y%m%dT%H%M%SZ")
    scans = Path(current_app.instance_path) / SCANS
    copy = backup(current_app.config["DATABASE_URL"], folder / f"yishi-{stamp}.db", scans)
    if verify_scans(copy):
        copy = _zipped(copy, folder / SCANS)
    with transaction() as session:
        detail = {"file": copy.name, "bytes": copy.stat().st_size, "by": by}
        append(session, [(BACKUP_KIND, f"staff_accounts:{account_id}", canonical(detail))])
    return copy


def _zipped(copy: Path, scans: Path) -> Path:
    """The database copy and the ballot images in one zip beside it (images stored as they are:
    photos do not compress), written whole, owner-only."""
    target = copy.with_suffix(".zip")
    partial = private_file(target.with_name(target.name + ".partial"))
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as bundle:
        bundle.write(copy, copy.name)
        for image in sorted(p for p in scans.iterdir() if p.is_file()):
            if not image.name.endswith(".partial"):
                bundle.write(image, f"{SCANS}/{image.name}")
    partial.replace(target)
    return target
