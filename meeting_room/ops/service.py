"""The box runs itself: ``yishi install-service`` makes Yishi a systemd service.

It starts at boot as its own system user (``yishi``, made if missing, no login), is restarted
after a crash (and keeps being restarted: a box nobody watches must not give up after five
tries), may hold enough open files for hundreds of phones (``LimitNOFILE``), keeps its
instance folder (database, backups, keys) private to that user (0700, ``UMask=0077``) and
logs to the journal (``journalctl -u yishi``). It may set the clock (``CAP_SYS_TIME``, for the
health page's "set the box's clock"), and nothing else a root process could.
``yishi uninstall-service`` stops and removes the service; the data and the user stay unless
``--purge``.

Each command is a list of ``Step``s: the dry run (``--dry-run``) prints them, a real run
performs them in order and stops at the first that fails, saying which.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SERVICE = "yishi"
UNIT_FOLDER = Path("/etc/systemd/system")
INSTANCE = Path("/var/lib/yishi")
POLKIT_RULES = Path("/etc/polkit-1/rules.d")
OPEN_FILES = 65536  # ~2 per phone socket (access.connections): thousands of phones, with room
NOLOGIN = "/usr/sbin/nologin"


@dataclass(frozen=True)
class ServicePlan:
    """What the unit says: who runs what, where, on which port."""

    executable: Path
    user: str = SERVICE
    instance: Path = INSTANCE
    port: int = 5000
    https: bool = False
    unit_folder: Path = UNIT_FOLDER
    polkit_rules: Path = POLKIT_RULES
    environment: dict[str, str] = field(default_factory=dict)

    @property
    def unit_path(self) -> Path:
        """Where the unit file goes."""
        return self.unit_folder / f"{SERVICE}.service"


def unit_text(plan: ServicePlan) -> str:
    """The systemd unit of ``plan``."""
    command = [str(plan.executable), "run", "--port", str(plan.port)]
    if plan.https:
        command.append("--https")
    environment = {"YISHI_INSTANCE": str(plan.instance), "PYTHONUNBUFFERED": "1"}
    environment |= plan.environment
    lines_env = "\n".join(
        f"Environment={shlex.quote(f'{key}={value}')}" for key, value in environment.items()
    )
    # A port below 1024 (80, 443) needs the capability to bind it, without being root.
    capabilities = "CAP_SYS_TIME" + (" CAP_NET_BIND_SERVICE" if plan.port < 1024 else "")
    state = plan.instance
    state_lines = (
        f"StateDirectory={state.name}\nStateDirectoryMode=0700\n"
        if state.parent == Path("/var/lib")
        else ""
    )
    return f"""# Made by `yishi install-service`; `yishi uninstall-service` removes it.
[Unit]
Description=Yishi (议事) offline meeting system of the deliberation hall
# The QR codes carry the box's address on the hall's network, read at start: wait for it.
After=network-online.target
Wants=network-online.target
# Restarted after every crash, however often: nobody is there to start it again.
StartLimitIntervalSec=0

[Service]
Type=simple
User={plan.user}
Group={plan.user}
{lines_env}
WorkingDirectory={state}
ExecStart={shlex.join(command)}
Restart=on-failure
RestartSec=3
# Each phone holds a socket (two open files): a stock service's 1,024 would turn phones away.
LimitNOFILE={OPEN_FILES}
# The database, backups and keys: readable by this user only.
UMask=0077
{state_lines}AmbientCapabilities={capabilities}
CapabilityBoundingSet={capabilities}
NoNewPrivileges=yes
ProtectSystem=full
ProtectHome=read-only
PrivateTmp=yes
StandardOutput=journal
StandardError=journal
SyslogIdentifier={SERVICE}

[Install]
WantedBy=multi-user.target
"""


@dataclass(frozen=True)
class Step:
    """One thing the command does: a command line, or a Python action (``act``)."""

    says: str
    command: tuple[str, ...] = ()
    act: Callable[[], None] | None = None
    may_fail: bool = False  # e.g. stopping a service that is not running

    def shown(self) -> str:
        """The step as the dry run prints it."""
        return f"{self.says}\n    $ {shlex.join(self.command)}" if self.command else self.says


def polkit_rule(user: str) -> str:
    """The polkit rule letting ``user`` set the clock through systemd (``timedatectl``), which
    keeps the hardware clock right too: the box has no internet time to correct it at boot."""
    return f"""// Made by `yishi install-service`: the health page of Yishi may set the box's clock.
polkit.addRule(function (action, subject) {{
    if (action.id == "org.freedesktop.timedate1.set-time" && subject.user == "{user}") {{
        return polkit.Result.YES;
    }}
}});
"""


def _write_rule(folder: Path, user: str) -> Callable[[], None]:
    def write() -> None:
        path = folder / f"50-{SERVICE}-clock.rules"
        path.write_text(polkit_rule(user), encoding="utf-8")
        path.chmod(0o644)

    return write


def _user_exists(user: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True


def _write_unit(plan: ServicePlan) -> Callable[[], None]:
    def write() -> None:
        plan.unit_folder.mkdir(parents=True, exist_ok=True)
        plan.unit_path.write_text(unit_text(plan), encoding="utf-8")
        plan.unit_path.chmod(0o644)

    return write


def install_steps(plan: ServicePlan, start: bool = True) -> list[Step]:
    """What ``yishi install-service`` does, in order."""
    steps = []
    if not _user_exists(plan.user):
        steps.append(
            Step(
                f"make the system user {plan.user} (no password, no login)",
                (
                    "useradd", "--system", "--user-group", "--home-dir", str(plan.instance),
                    "--no-create-home", "--shell", NOLOGIN, "--comment", "Yishi meeting system",
                    plan.user,
                ),
            )
        )  # fmt: skip
    steps += [
        Step(f"make the instance folder {plan.instance}", ("mkdir", "-p", str(plan.instance))),
        Step(
            f"give it to {plan.user}",
            ("chown", "-R", f"{plan.user}:{plan.user}", str(plan.instance)),
        ),
        Step("keep it private (0700)", ("chmod", "0700", str(plan.instance))),
        Step(f"write the unit {plan.unit_path}", act=_write_unit(plan)),
        Step("tell systemd", ("systemctl", "daemon-reload")),
    ]
    if plan.polkit_rules.is_dir():
        rule = plan.polkit_rules / f"50-{SERVICE}-clock.rules"
        steps.append(
            Step(f"let {plan.user} set the clock (health page): {rule}",
                 act=_write_rule(plan.polkit_rules, plan.user))
        )  # fmt: skip
    enable = ("systemctl", "enable", *(("--now",) if start else ()), f"{SERVICE}.service")
    steps.append(Step("start it at every boot" + (", and now" if start else ""), enable))
    return steps


def uninstall_steps(plan: ServicePlan, purge: bool = False) -> list[Step]:
    """What ``yishi uninstall-service`` does, in order (the data stays unless ``purge``)."""
    steps = [
        Step(
            "stop it and do not start it at boot",
            ("systemctl", "disable", "--now", f"{SERVICE}.service"),
            may_fail=True,
        ),
        Step(f"remove the unit {plan.unit_path}", ("rm", "-f", str(plan.unit_path))),
        Step(
            "remove the clock's polkit rule",
            ("rm", "-f", str(plan.polkit_rules / f"50-{SERVICE}-clock.rules")),
        ),
        Step("tell systemd", ("systemctl", "daemon-reload")),
        Step("forget it if it had failed", ("systemctl", "reset-failed"), may_fail=True),
    ]
    if purge:
        steps += [
            Step(
                f"remove the instance folder {plan.instance} (the database and its backups)",
                ("rm", "-rf", "--one-file-system", str(plan.instance)),
            ),
            Step(f"remove the system user {plan.user}", ("userdel", plan.user), may_fail=True),
        ]
    return steps


def readable_by_others(path: Path) -> Path | None:
    """The first folder on the way to ``path`` that other users cannot enter (the service's
    user must run the code there), or None."""
    for folder in [*reversed(path.parents)]:
        if folder.exists() and not folder.stat().st_mode & 0o001:
            return folder
    return None


class StepFailed(RuntimeError):
    """A step that did not work; the message names it and what the command said."""


def perform(steps: list[Step], echo: Callable[[str], None]) -> None:
    """Do each step in order; ``StepFailed`` at the first that fails (unless it may)."""
    for step in steps:
        echo(f"- {step.says}")
        if step.act is not None:
            step.act()
            continue
        done = subprocess.run(list(step.command), capture_output=True, text=True, check=False)
        if done.returncode != 0 and not step.may_fail:
            said = (done.stderr or done.stdout).strip()
            raise StepFailed(f"{step.says}: {shlex.join(step.command)}: {said}")


def default_executable() -> Path:
    """The ``yishi`` command of this installation (beside the running Python)."""
    found = Path(sys.executable).with_name("yishi")
    return found if found.exists() else Path(shutil.which("yishi") or found)


def is_root() -> bool:
    """Whether this process may install a service."""
    return os.geteuid() == 0
