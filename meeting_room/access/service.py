"""Access's one writer: staff accounts (creating, passwords, switching off and on), logins,
paired devices (pairing codes, pairing, revoking) and a device's last sighting.

The login and pairing pages (``auth_views``), the administrator's accounts page
(``accounts_views``), the clerk desk's device routes (``routes``) and the ``yishi`` commands
all call it, so a change meets the same rules and is audited the same way (by the audit log's
flush listener, the password hash left out) whichever way it came. Each function is one
transaction. A wrong password or pairing code is committed before it is refused, so the
throttle counts it across reloads. No screen shows accounts, so nothing is broadcast; revoking
a device closes its sockets once the revocation is committed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from meeting_room.access import accounts, devices, throttle
from meeting_room.access.devices import IssuedCode
from meeting_room.access.roles import Principal, Role, roles_of
from meeting_room.access.schemas import DeviceOut
from meeting_room.access.sockets import disconnect_device
from meeting_room.clock import now
from meeting_room.domain.problems import Problem, Refusal
from meeting_room.store.models.access import StaffAccount
from meeting_room.store.storage import transaction


@dataclass(frozen=True)
class StaffLogin:
    """An account as a staff session needs it: sessions carrying an older epoch have ended."""

    account_id: int
    username: str
    role: str
    epoch: datetime

    @classmethod
    def of(cls, account: StaffAccount) -> StaffLogin:
        """The account's id, name, role and current epoch."""
        return cls(account.id, account.username, account.role, account.password_changed_at)


@dataclass(frozen=True)
class PairedDevice:
    """A device just paired: its kind, and the credential its cookie will hold (shown once)."""

    kind: str
    credential: str


def create_account(username: str, password: str, role: str, display_name: str = "") -> None:
    """Add a staff account; refuses a taken name, an unknown role or a short password."""
    with transaction() as session:
        accounts.create_account(session, username, password, role, now(), display_name)


def change_password(which: int | str, password: str) -> StaffLogin:
    """Give an account (by id or user name) a new password; its open sessions end."""
    with transaction() as session:
        account = accounts.find_account(session, which)
        accounts.set_password(account, password, accounts.next_epoch(account, now()))
        return StaffLogin.of(account)


def switch_account(which: int | str, active: bool, by: int | None = None) -> StaffLogin:
    """Switch an account off (its sessions end at once) or on again (they stay ended).

    Refused: switching off the last active administrator (``LAST_ADMIN``), and an account
    switching itself off (``OWN_ACCOUNT``; ``by`` is the account asking, None for a command).
    """
    with transaction() as session:
        account = accounts.find_account(session, which)
        switching_off = account.active and not active
        if switching_off and account.role == Role.ADMIN and accounts.active_admins(session) <= 1:
            raise Refusal(Problem.LAST_ADMIN, name=account.username)
        if not active and account.id == by:
            raise Refusal(Problem.OWN_ACCOUNT)
        if account.active != active:
            accounts.set_active(account, active, accounts.next_epoch(account, now()))
        return StaffLogin.of(account)


def authenticate(username: str, password: str, address: str) -> StaffLogin:
    """A staff login: the account if the password is right.

    Refused with ``TOO_MANY_TRIES`` while the name or the address is locked (before looking at
    the password), and with ``LOGIN_FAILED`` after the wrong try is committed.
    """
    subject = throttle.login_subject(username)
    moment = now()
    with transaction() as session:
        throttle.refuse_if_locked(session, subject, throttle.ACCOUNT_POLICY, address, moment)
        account = accounts.verify_password(session, username, password)
        if account is None:
            throttle.record_failure(session, subject, address, moment)
            login = None
        else:
            throttle.forget_failures(session, subject)
            login = StaffLogin.of(account)
    if login is None:
        raise Refusal(Problem.LOGIN_FAILED)
    return login


def create_demo_accounts() -> dict[str, str]:
    """On a box with no staff account yet, one account per role, named after it, with a random
    password: ``{role: password}``. Empty when there are accounts already."""
    made: dict[str, str] = {}
    with transaction() as session:
        if session.scalar(select(StaffAccount.id).limit(1)) is not None:
            return made
        for role in accounts.STAFF_ROLES:
            made[role] = secrets.token_urlsafe(9)
            accounts.create_account(session, role, made[role], role, now())
    return made


def recognise(account_id: int | None, epoch: object, credential: str | None) -> Principal:
    """The principal of a staff session (its account and epoch) and a device credential, each
    only while still valid; notes that the device was heard from (at most once a minute)."""
    with transaction() as session:
        account = session.get(StaffAccount, account_id) if account_id is not None else None
        if account is not None and not (
            account.active and epoch == account.password_changed_at.isoformat()
        ):
            account = None
        device = devices.device_by_credential(session, credential) if credential else None
        if device is not None:
            devices.mark_seen(device, now())
        role = account.role if account is not None else None
        kind = device.kind if device is not None else None
        return Principal(
            roles=roles_of(role, kind),
            account_id=account.id if account is not None else None,
            account_role=role,
            username=account.username if account is not None else "",
            device_id=device.id if device is not None else None,
            device_kind=kind,
            device_name=device.name if device is not None else "",
        )


def new_pairing_code(kind: str, name: str, by: int | None) -> IssuedCode:
    """A six-digit code for pairing one device of ``kind`` (shown once, valid ten minutes)."""
    with transaction() as session:
        return devices.new_pairing_code(session, kind, name, by, now())


def pair(code: str, address: str) -> PairedDevice:
    """Pair a new screen with a code from the clerk desk.

    Refused with ``TOO_MANY_TRIES`` while pairing or the address is locked, and with
    ``PAIRING_FAILED`` after a wrong, used or expired code is committed as a failed try.
    """
    moment = now()
    with transaction() as session:
        throttle.refuse_if_locked(
            session, throttle.PAIRING, throttle.PAIRING_POLICY, address, moment
        )
        redeemed = devices.redeem_pairing_code(session, code, moment)
        if redeemed is None:
            throttle.record_failure(session, throttle.PAIRING, address, moment)
            paired = None
        else:
            paired = PairedDevice(redeemed[0].kind, redeemed[1])
    if paired is None:
        raise Refusal(Problem.PAIRING_FAILED)
    return paired


def revoke_device(device_id: int) -> DeviceOut:
    """Revoke a device: committed, then its sockets on this worker close (other workers refuse
    its next event, which checks the credential again)."""
    with transaction() as session:
        revoked = DeviceOut.model_validate(devices.revoke_device(session, device_id, now()))
    disconnect_device(device_id)
    return revoked
