"""Staff accounts (argon2 passwords, throttled logins) and paired room devices.

A device is paired once: the clerk desk shows a six-digit code, the new screen sends it, and
gets a long random credential back (kept in an HttpOnly cookie; only its hash is stored). The
clerk or the administrator can revoke it at any time.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from meeting_room.domain.lockout import LockoutPolicy, lock_state
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.store.models.access import LoginFailure, PairingCode, RoomDevice, StaffAccount

STAFF_ROLES = ("admin", "moderator", "clerk")
DEVICE_KINDS = ("kiosk", "projector", "booth")
MIN_PASSWORD = 10
# Five wrong passwords lock an account name for five minutes; thirty wrong tries from one
# address within those minutes lock that address out of every account.
ACCOUNT_POLICY = LockoutPolicy(attempts=5, duration=timedelta(minutes=5))
ADDRESS_LIMIT = 30
PAIRING_POLICY = LockoutPolicy(attempts=10, duration=timedelta(minutes=5))
PAIRING_MINUTES = 10
PAIRING_DIGITS = 6

_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs as much time as a wrong
# password (no telling which names exist by the answer's speed).
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def digest(secret: str) -> str:
    """The stored form of a device credential or pairing code (SHA-256 hex)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Refusal(Problem.WEAK_PASSWORD, min=MIN_PASSWORD)


def create_account(
    session: Session,
    username: str,
    password: str,
    role: str,
    now: datetime | None = None,
    display_name: str = "",
) -> StaffAccount:
    """Add a staff account; refuses a taken name, an unknown role or a short password."""
    from meeting_room.clock import now as clock_now

    moment = now or clock_now()
    username = username.strip()
    if role not in STAFF_ROLES or not username:
        raise Refusal(Problem.INVALID_INPUT, detail="role" if username else "username")
    _check_password(password)
    if session.scalar(select(StaffAccount).where(StaffAccount.username == username)):
        raise Refusal(Problem.ACCOUNT_EXISTS, name=username)
    account = StaffAccount(
        username=username,
        display_name=display_name.strip() or username,
        role=role,
        password_hash=_hasher.hash(password),
        active=True,
        created_at=moment,
        password_changed_at=moment,
    )
    session.add(account)
    session.flush()
    return account


def find_account(session: Session, username: str) -> StaffAccount:
    """The account of this name, or a refusal."""
    account = session.scalar(select(StaffAccount).where(StaffAccount.username == username.strip()))
    if account is None:
        raise Refusal(Problem.ACCOUNT_NOT_FOUND, name=username)
    return account


def set_password(session: Session, account: StaffAccount, password: str, now: datetime) -> None:
    """A new password; every session opened with the old one ends."""
    _check_password(password)
    account.password_hash = _hasher.hash(password)
    account.password_changed_at = now


def set_active(account: StaffAccount, active: bool, now: datetime) -> None:
    """Switch an account on or off; switching off ends its sessions."""
    account.active = active
    account.password_changed_at = now


def _failures(session: Session, subject: str, since: datetime) -> list[datetime]:
    return list(
        session.scalars(
            select(LoginFailure.at).where(LoginFailure.subject == subject, LoginFailure.at >= since)
        )
    )


def _refuse_if_locked(
    session: Session, subject: str, policy: LockoutPolicy, address: str, now: datetime
) -> None:
    window = now - policy.duration * 2
    state = lock_state(policy, _failures(session, subject, window), now)
    from_address = session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.address == address, LoginFailure.at >= now - ACCOUNT_POLICY.duration)
    )
    if state.is_locked(now) or (from_address or 0) >= ADDRESS_LIMIT:
        minutes = max(1, round(policy.duration.total_seconds() / 60))
        raise Refusal(Problem.TOO_MANY_TRIES, minutes=minutes)


def _record_failure(session: Session, subject: str, address: str, now: datetime) -> None:
    session.add(LoginFailure(subject=subject, address=address[:64], at=now))
    session.execute(delete(LoginFailure).where(LoginFailure.at < now - timedelta(days=1)))


def authenticate(
    session: Session, username: str, password: str, address: str, now: datetime
) -> StaffAccount | None:
    """The account if the password is right; None (the failure recorded) if not.

    Raises TOO_MANY_TRIES while the name or the address is locked, before looking at the
    password. The caller commits the session either way, so failures are counted.
    """
    subject = f"user:{username.strip()}"[:80]
    _refuse_if_locked(session, subject, ACCOUNT_POLICY, address, now)
    account = session.scalar(select(StaffAccount).where(StaffAccount.username == username.strip()))
    stored = account.password_hash if account is not None and account.active else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
        good = account is not None and account.active
    except (VerificationError, InvalidHashError):
        good = False
    if not good or account is None:
        _record_failure(session, subject, address, now)
        return None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    session.execute(delete(LoginFailure).where(LoginFailure.subject == subject))
    return account


@dataclass(frozen=True)
class IssuedCode:
    """A pairing code as shown once on the clerk desk."""

    code: str
    kind: str
    name: str
    expires_at: datetime


def new_pairing_code(
    session: Session, kind: str, name: str, created_by: int | None, now: datetime
) -> IssuedCode:
    """A fresh six-digit code for pairing one device of ``kind``, valid for ten minutes."""
    if kind not in DEVICE_KINDS:
        raise Refusal(Problem.INVALID_INPUT, detail="kind")
    while True:
        code = f"{secrets.randbelow(10**PAIRING_DIGITS):0{PAIRING_DIGITS}d}"
        taken = session.scalar(
            select(PairingCode.id).where(
                PairingCode.code_hash == digest(code),
                PairingCode.used_at.is_(None),
                PairingCode.expires_at > now,
            )
        )
        if taken is None:
            break
    expires = now + timedelta(minutes=PAIRING_MINUTES)
    session.add(
        PairingCode(
            code_hash=digest(code),
            kind=kind,
            name=name.strip() or kind,
            created_by=created_by,
            created_at=now,
            expires_at=expires,
        )
    )
    return IssuedCode(code=code, kind=kind, name=name.strip() or kind, expires_at=expires)


def _new_device(
    session: Session, kind: str, name: str, paired_by: int | None, now: datetime
) -> tuple[RoomDevice, str]:
    if kind not in DEVICE_KINDS:
        raise Refusal(Problem.INVALID_INPUT, detail="kind")
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
    session: Session,
    kind: str,
    name: str,
    paired_by: int | None = None,
    now: datetime | None = None,
) -> str:
    """Register a device and return its credential (shown to the device once, never stored)."""
    from meeting_room.clock import now as clock_now

    return _new_device(session, kind, name, paired_by, now or clock_now())[1]


def redeem_pairing_code(
    session: Session, code: str, address: str, now: datetime
) -> tuple[RoomDevice, str]:
    """Pair a device with a code from the clerk desk: the device and its credential."""
    _refuse_if_locked(session, "pair", PAIRING_POLICY, address, now)
    found = session.scalar(
        select(PairingCode).where(
            PairingCode.code_hash == digest(code.strip()),
            PairingCode.used_at.is_(None),
            PairingCode.expires_at > now,
        )
    )
    if found is None:
        _record_failure(session, "pair", address, now)
        raise Refusal(Problem.PAIRING_FAILED)
    device, credential = _new_device(session, found.kind, found.name, found.created_by, now)
    found.used_at = now
    found.device_id = device.id
    return device, credential


def device_by_credential(session: Session, credential: str) -> RoomDevice | None:
    """The paired, unrevoked device holding this credential."""
    if not credential or len(credential) > 128:
        return None
    device = session.scalar(
        select(RoomDevice).where(RoomDevice.credential_hash == digest(credential))
    )
    if device is None or device.revoked_at is not None:
        return None
    return device


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
