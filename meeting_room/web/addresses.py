"""The app's device adapters and the addresses screens print as QR codes."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from devices.adapters import Devices
from devices.qr import qr_svg

__all__ = ["devices", "join_url", "kiosk_url", "public_url", "qr_svg"]


def devices() -> Devices:
    """The device adapters built by the app factory."""
    result: Devices = current_app.extensions["yishi.devices"]
    return result


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute URL at the address phones on the hall's Wi-Fi reach (``PUBLIC_BASE_URL``)."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return f"{str(base).rstrip('/')}{url_for(endpoint, **values)}"
    return url_for(endpoint, _external=True, **values)


def kiosk_url() -> str:
    """The kiosk's public address."""
    return public_url("kiosk.page")


def join_url() -> str:
    """The address the room's QR codes (projector, start-up) open on a resident's phone: the
    landing page, not the kiosk (a staff pairing page on any device but the kiosk)."""
    return public_url("join.page")
