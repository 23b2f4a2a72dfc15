"""The administrator's backup page (/admin/backup): one button makes a consistent, checked copy
of the database (``store.backup``) and the browser downloads it. Each copy is entered in the
audit log; nothing is logged of its content or of any secret. Refused, in words, while a
secret poll is open (two copies a ballot apart could show how someone voted)."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, send_file
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from meeting_room.access.principal import current_principal
from meeting_room.access.roles import Role, allow
from meeting_room.records import service
from meeting_room.store.backup import BackupError, SecretVoteOpen

bp = Blueprint("backup_admin", __name__)
log = logging.getLogger(__name__)


def _page(problem: str | None = None) -> ResponseReturnValue:
    status = 409 if problem else 200
    page = render_template("admin_backup.html", problem=problem)
    return page, status, {"Cache-Control": "no-store"}


@bp.get("/admin/backup")
@allow(Role.ADMIN)
def backup_page() -> ResponseReturnValue:
    """What a backup holds and how to keep it, and the button."""
    return _page()


@bp.post("/admin/backup")
@allow(Role.ADMIN)
def download() -> ResponseReturnValue:
    """Make a backup now and send it as a file (kept in the instance's backups folder too)."""
    who = current_principal()
    folder = Path(current_app.instance_path) / "backups"
    try:
        copy = service.backup_for_download(folder, who.username, who.account_id)
    except SecretVoteOpen:
        return _page(gettext("A secret vote is open: make the backup once it is closed."))
    except BackupError as error:
        log.warning("backup refused: %s", error)  # a path and a reason, never the data
        return _page(gettext("The backup could not be made. The box's log says why."))
    if copy.suffix == ".zip":  # with the ballot images: may be large, sent from the file
        return send_file(copy, mimetype="application/zip", as_attachment=True, max_age=0)
    # Sent whole (a hall's database is megabytes): nothing stays open if the download stops.
    return Response(
        copy.read_bytes(),
        mimetype="application/vnd.sqlite3",
        headers={
            "Content-Disposition": f"attachment; filename={copy.name}",
            "Cache-Control": "no-store",
        },
    )
