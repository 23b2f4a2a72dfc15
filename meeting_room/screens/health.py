"""The administrator's health page (/admin/health, and /admin/health.json for scripts): disk,
database, backups, audit chain, speech, connections and the box's clock against the staff
browser's, with the three things an administrator does there: set the backup folder, back up
now, and set the box's clock to the browser's time (``health_facts`` gathers and sets; the
backups are ``store.backups``'). Forms post and the page answers with the result; the clock
check is the page's script (static/js/admin-health.js), as only the browser knows its time."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from devices.system_clock import ClockNotSet
from meeting_room.access.principal import current_principal
from meeting_room.access.roles import Role, allow
from meeting_room.clock import now
from meeting_room.domain.box import KEEP_RANGE, BackupReason, BackupWarning
from meeting_room.screens.health_facts import health, set_box_clock
from meeting_room.store.backup import SecretVoteOpen
from meeting_room.store.backups import (
    BackupStatus,
    back_up,
    backup_status,
    recent_runs,
    save_backup_setup,
)

bp = Blueprint("health", __name__)
FOLDER_LIMIT = 500
# The browser's time as milliseconds since 1970: anything before 2020 or after 2100 is a typo.
EARLIEST_MS, LATEST_MS = 1_577_836_800_000, 4_102_444_800_000


def warning_words() -> dict[str, str]:
    """Each warning of the desk and the health page, in words."""
    return {
        BackupWarning.NONE_YET: gettext("No backup has been made yet."),
        BackupWarning.OLD: gettext("The last good backup is more than a day old."),
        BackupWarning.FOLDER_MISSING: gettext(
            "The backup folder is missing: is the USB stick plugged in?"
        ),
        BackupWarning.FOLDER_UNWRITABLE: gettext("The box may not write to the backup folder."),
        BackupWarning.LAST_FAILED: gettext("The last backup failed."),
        "disk_low": gettext("Less than 1 GB is left on the box's disk."),
        "chain_broken": gettext(
            "The audit log is broken: records were changed outside the app. Open Verify records."
        ),
        "clock_off": gettext("The box's clock differs from this browser's by more than 2 minutes."),
    }


def reason_words() -> dict[str, str]:
    """Why each backup was made, in words."""
    return {
        BackupReason.DAILY: gettext("Daily"),
        BackupReason.CLOSED: gettext("Meeting closed"),
        BackupReason.MANUAL: gettext("By hand"),
    }


def _page(status: int = 200, notice: str = "", problem: str = "") -> ResponseReturnValue:
    page = render_template(
        "admin_health.html",
        health=health(),
        runs=recent_runs(),
        warning_words=warning_words(),
        reasons=reason_words(),
        keep_range=KEEP_RANGE,
        notice=notice,
        problem=problem,
        form=request.form if problem else {},
    )
    return page, status, {"Cache-Control": "no-store"}


@bp.get("/admin/health")
@allow(Role.ADMIN)
def health_page() -> ResponseReturnValue:
    """The box's health, with the backup settings and "back up now"."""
    return _page()


def _browser_time(value: object) -> datetime | None:
    """A time the browser sent (milliseconds since 1970), None when absent or not plausible."""
    try:
        millis = int(str(value))
    except ValueError:
        return None
    if not EARLIEST_MS <= millis <= LATEST_MS:
        return None
    return datetime.fromtimestamp(millis / 1000, UTC)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@bp.get("/admin/health.json")
@allow(Role.ADMIN)
def health_json() -> ResponseReturnValue:
    """The same facts as JSON; ``?browser=<ms since 1970>`` compares the clocks."""
    facts = health(_browser_time(request.args.get("browser")))
    body = _plain(asdict(facts))
    body["disk"]["low"] = facts.disk.low
    body["warning_words"] = {w: warning_words()[w] for w in facts.warnings}
    return jsonify(body), 200, {"Cache-Control": "no-store"}


@bp.post("/admin/health/backup")
@allow(Role.ADMIN)
def back_up_now() -> ResponseReturnValue:
    """Write, verify and rotate a backup now; the page says how it went."""
    try:
        made = back_up(BackupReason.MANUAL, now())
    except SecretVoteOpen:
        return _page(409, problem=gettext("A secret vote is open: back up once it is closed."))
    if not made.ok:
        return _page(500, problem=gettext("The backup failed: %(why)s", why=made.error))
    return _page(
        notice=gettext(
            "Backup written and verified in %(seconds)s s: %(path)s",
            seconds=f"{made.seconds:.2f}",
            path=made.path,
        )
    )


@bp.post("/admin/health/backup-settings")
@allow(Role.ADMIN)
def backup_settings() -> ResponseReturnValue:
    """Choose the backup folder (empty: the box's own) and how many backups to keep."""
    folder = request.form.get("folder", "").strip()
    if len(folder) > FOLDER_LIMIT or (folder and not Path(folder).is_absolute()):
        return _page(422, problem=gettext("Give the folder as a full path, e.g. /media/usb/yishi."))
    try:
        keep = int(request.form.get("keep", ""))
    except ValueError:
        keep = 0
    if keep not in KEEP_RANGE:
        return _page(
            422,
            problem=gettext(
                "Keep between %(low)d and %(high)d backups.",
                low=KEEP_RANGE.start,
                high=KEEP_RANGE.stop - 1,
            ),
        )
    save_backup_setup(folder, keep, now())
    return _page(notice=gettext("Backup settings saved."))


@bp.post("/admin/health/clock")
@allow(Role.ADMIN)
def set_clock() -> ResponseReturnValue:
    """Set the box's clock to the time the browser sent (``{"browser": <ms since 1970>}``)."""
    payload = request.get_json(silent=True) or {}
    moment = _browser_time(payload.get("browser") if isinstance(payload, dict) else None)
    if moment is None:
        message = gettext("The browser's time did not arrive; reload the page and try again.")
        return jsonify(error={"code": "invalid_input", "message": message}), 422
    try:
        set_box_clock(moment, current_principal().account_id)
    except ClockNotSet as refused:
        message = gettext("The box's clock could not be set: %(why)s", why=str(refused))
        return jsonify(error={"code": "clock_not_set", "message": message}), 503
    return jsonify(ok=True, set_to=moment.isoformat())


def desk_backup_line() -> BackupStatus | None:
    """The backup line of the clerk desk (a template global): None on PostgreSQL."""
    status = backup_status(now())
    return status if status.supported else None


def init_app(app: Flask) -> None:
    """Register the page and the clerk desk's backup line."""
    app.register_blueprint(bp)
    app.add_template_global(desk_backup_line)
    app.add_template_global(warning_words, "backup_warning_words")
