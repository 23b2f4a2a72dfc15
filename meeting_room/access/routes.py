"""The clerk desk's paired devices: the list, a pairing code for a new screen, revoking one."""

from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext

from meeting_room.access import service
from meeting_room.access.devices import list_devices
from meeting_room.access.principal import current_principal
from meeting_room.access.roles import Role, allow
from meeting_room.access.schemas import DeviceList, DeviceOut, PairingCodeOut, PairingIn, RevokedOut
from meeting_room.store.storage import transaction

bp = Blueprint("devices", __name__)


@bp.get("/clerk/api/devices")
@allow(Role.CLERK)
def devices() -> dict[str, object]:
    """The paired devices, newest first (revoked ones too)."""
    with transaction() as session:
        listed = [DeviceOut.model_validate(device) for device in list_devices(session)]
    return DeviceList(devices=listed).model_dump(mode="json")


@bp.post("/clerk/api/devices/pairing")
@allow(Role.CLERK)
def pairing_code() -> dict[str, object]:
    """A new six-digit pairing code for one device (shown once, valid ten minutes)."""
    wanted = PairingIn.model_validate(request.get_json(silent=True) or {})
    issued = service.new_pairing_code(wanted.kind, wanted.name, current_principal().account_id)
    return PairingCodeOut(
        code=issued.code, kind=issued.kind, name=issued.name, expires_at=issued.expires_at
    ).model_dump(mode="json")


@bp.post("/clerk/api/devices/<int:device_id>/revoke")
@allow(Role.CLERK)
def revoke(device_id: int) -> dict[str, object]:
    """Revoke a device: its screens close now and it must be paired again."""
    device = service.revoke_device(device_id)
    return RevokedOut(device=device, message=gettext("The device was revoked.")).model_dump(
        mode="json"
    )
