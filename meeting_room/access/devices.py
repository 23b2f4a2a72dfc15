"""Paired room devices on the database: pairing codes, credentials, revocation.

A device is paired once: the clerk desk shows a six-digit code, the new screen sends it, and
gets a long random credential back (kept in an HttpOnly cookie; only its hash is stored). The
clerk or the administrator can revoke it at any time. Functions of ``(session, …, now)``;
``access.service`` calls them inside its transactions.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from meeting_room.access.roles import Role
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.store.models.access import PairingCode, RoomDevice

DEVICE_KINDS = (Role.KIOSK.value, Role.PROJECTOR.value, Role.BOOTH.value)
PAIRING_MINUTES = 10
PAIRING_DIGITS = 6
CREDENTIAL_LIMIT = 128
SEEN_EVERY = timedelta(minutes=1)  # last_seen_at is a hint for the desk, not a write per event


def digest(secret: str) -> str:
    """The stored form of a device credential or pairing code (SHA-256 hex)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedCode:
    """A pairing code as shown once on the clerk desk."""

    code: str
    kind: str
    name: str
    expires_at: datetime


def _check_kind(kind: str) -> None:
    if kind not in DEVICE_KINDS:
        raise Refusal(Problem.INVALID_INPUT, detail="kind")


def _live_code(session: Session, code: str, now: datetime) -> PairingCode | None:
    return session.scalar(
        select(PairingCode).where(
            PairingCode.code_hash == digest(code),
            PairingCode.used_at.is_(None),
            PairingCode.expires_at > now,
        )
    )


def new_pairing_code(
    session: Session, kind: str, name: str, created_by: int | None, now: datetime
) -> IssuedCode:
    """A fresh six-digit code for pairing one device of ``kind``, valid for ten minutes."""
    _check_kind(kind)
    code = f"{secrets.randbelow(10**PAIRING_DIGITS):0{PAIRING_DIGITS}d}"
    while _live_code(session, code, now) is not None:
        code = f"{secrets.randbelow(10**PAIRING_DIGITS):0{PAIRING_DIGITS}d}"
    issued = IssuedCode(
        code=code,
        kind=kind,
        name=name.strip() or kind,
        expires_at=now + timedelta(minutes=PAIRING_MINUTES),
    )
    session.add(
        PairingCode(
            code_hash=digest(code),
            kind=kind,
            name=issued.name,
            created_by=created_by,
            created_at=now,
            expires_at=issued.expires_at,
        )
    )
    return issued


def _new_device(
    session: Session, kind: str, name: str, paired_by: int | None, now: datetime
) -> tuple[RoomDevice, str]:
    _check_kind(kind)
    credential = secrets.token_urlsafe(32)
    device = RoomDevice(
        kind=kind,
        name=name.strip() or kind,
        credential_hash=digest(credential),
        paired_at=now,
        paired_by=paired_by,
    )
    session.add(device)
    session.flush()
    return device, credential


def issue_device(
    session: Session, kind: str, name: str, paired_by: int | None = None, *, now: datetime
) -> str:
    """Register a device without a code and return its credential (shown to the device once,
    never stored): how tests and benchmarks pair their screens."""
    return _new_device(session, kind, name, paired_by, now)[1]


def redeem_pairing_code(
    session: Session, code: str, now: datetime
) -> tuple[RoomDevice, str] | None:
    """Pair a device with a live code from the clerk desk: the device and its credential;
    None for a wrong, used or expired code (the caller counts the failure)."""
    found = _live_code(session, code.strip(), now)
    if found is None:
        return None
    device, credential = _new_device(session, found.kind, found.name, found.created_by, now)
    found.used_at = now
    found.device_id = device.id
    return device, credential


def device_by_credential(session: Session, credential: str) -> RoomDevice | None:
    """The paired, unrevoked device holding this credential."""
    if not credential or len(credential) > CREDENTIAL_LIMIT:
        return None
    device = session.scalar(
        select(RoomDevice).where(RoomDevice.credential_hash == digest(credential))
    )
    if device is None or device.revoked_at is not None:
        return None
    return device


def mark_seen(device: RoomDevice, now: datetime) -> None:
    """Note that the device was heard from (at most once a minute)."""
    if device.last_seen_at is None or now - device.last_seen_at > SEEN_EVERY:
        device.last_seen_at = now


def revoke_device(session: Session, device_id: int, now: datetime) -> RoomDevice:
    """Revoke a device's credential; it gets nothing from now on."""
    device = session.get(RoomDevice, device_id)
    if device is None:
        raise Refusal(Problem.DEVICE_NOT_FOUND)
    if device.revoked_at is None:
        device.revoked_at = now
    return device


def list_devices(session: Session) -> list[RoomDevice]:
    """Every paired device, newest first (revoked ones too, marked)."""
    return list(session.scalars(select(RoomDevice).order_by(RoomDevice.id.desc())))
