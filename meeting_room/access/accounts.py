"""Staff accounts on the database: argon2 passwords, the session epoch, the password check.

Functions of ``(session, …, now)``; ``access.service`` calls them inside its transactions (and
the test fixtures, to build their template database). A session carries its account's
``password_changed_at`` (the epoch): a new password or a switch off or on moves it, so every
session opened before ends.
"""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import ARGON2_VERSION
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from meeting_room.access.roles import Role
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.store.models.access import StaffAccount

STAFF_ROLES = (Role.ADMIN.value, Role.MODERATOR.value, Role.CLERK.value)
MIN_PASSWORD = 10
# No 0/O, 1/l/I: a generated password is read off the screen and typed by someone else.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GROUPS, GROUP_SIZE = 3, 4

_hasher = PasswordHasher()


def _unmatchable_hash() -> str:
    """An argon2 hash with the hasher's parameters that no password matches: a random salt
    and a random digest. Verifying against it costs what a real hash costs (the parameters
    set the work), and it is made without hashing: argon2 at import took a quarter of a CPU
    second and 64 MiB at every start of the server, of each command and of each test process."""

    def b64(size: int) -> str:
        return base64.b64encode(secrets.token_bytes(size)).decode().rstrip("=")

    kind = _hasher.type.name.lower()
    params = f"m={_hasher.memory_cost},t={_hasher.time_cost},p={_hasher.parallelism}"
    salt, digest = b64(_hasher.salt_len), b64(_hasher.hash_len)
    return f"$argon2{kind}$v={ARGON2_VERSION}${params}${salt}${digest}"


# Verified against when the name is unknown, so a wrong name costs as much time as a wrong
# password (no telling which names exist by the answer's speed).
_DUMMY_HASH = _unmatchable_hash()


def generate_password() -> str:
    """A random password easy to read aloud: three groups of four, e.g. ``k7mq-x4tp-9hwr``."""
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_SIZE)) for _ in range(GROUPS))
    return "-".join(groups)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Refusal(Problem.WEAK_PASSWORD, min=MIN_PASSWORD)


def create_account(
    session: Session,
    username: str,
    password: str,
    role: str,
    now: datetime,
    display_name: str = "",
) -> StaffAccount:
    """Add a staff account; refuses a taken name, an unknown role or a short password."""
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
        created_at=now,
        password_changed_at=now,
    )
    session.add(account)
    session.flush()
    return account


def find_account(session: Session, which: int | str) -> StaffAccount:
    """The account with this id (the administrator's page) or user name (the command line)."""
    if isinstance(which, int):
        account = session.get(StaffAccount, which)
    else:
        account = session.scalar(select(StaffAccount).where(StaffAccount.username == which.strip()))
    if account is None:
        raise Refusal(Problem.ACCOUNT_NOT_FOUND, name=str(which))
    return account


def list_accounts(session: Session) -> list[StaffAccount]:
    """Every staff account, by user name (disabled ones too)."""
    return list(session.scalars(select(StaffAccount).order_by(StaffAccount.username)))


def active_admins(session: Session) -> int:
    """How many administrator accounts are switched on."""
    found = session.scalar(
        select(func.count())
        .select_from(StaffAccount)
        .where(StaffAccount.role == Role.ADMIN, StaffAccount.active.is_(True))
    )
    return found or 0


def next_epoch(account: StaffAccount, now: datetime) -> datetime:
    """Now, but strictly after the account's epoch (so older sessions always end, even when
    two changes fall on the same clock reading)."""
    return max(now, account.password_changed_at + timedelta(microseconds=1))


def set_password(account: StaffAccount, password: str, epoch: datetime) -> None:
    """A new password from ``epoch`` on (``next_epoch``): sessions opened before it end."""
    _check_password(password)
    account.password_hash = _hasher.hash(password)
    account.password_changed_at = epoch


def set_active(account: StaffAccount, active: bool, epoch: datetime) -> None:
    """Switch an account on or off; either way the sessions opened before ``epoch`` end."""
    account.active = active
    account.password_changed_at = epoch


def verify_password(session: Session, username: str, password: str) -> StaffAccount | None:
    """The active account of this name if the password is right (its hash renewed when argon2's
    parameters have changed), else None; as slow for an unknown name as for a wrong password."""
    account = session.scalar(select(StaffAccount).where(StaffAccount.username == username.strip()))
    known = account is not None and account.active
    stored = account.password_hash if account is not None and known else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if account is None or not known:
        return None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    return account
