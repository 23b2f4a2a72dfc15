"""``yishi`` commands for the box itself: install or remove the systemd service
(``ops.service``), and open a room screen on the box in kiosk mode (``ops.launcher``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from meeting_room.ops import launcher, service


def _show(steps: list[service.Step], title: str) -> None:
    click.echo(title)
    for number, step in enumerate(steps, 1):
        click.echo(f"{number}. {step.shown()}")


def _perform(steps: list[service.Step]) -> None:
    if not service.is_root():
        click.echo("This needs root: run it with sudo (or see --dry-run).", err=True)
        sys.exit(2)
    try:
        service.perform(steps, click.echo)
    except (service.StepFailed, OSError) as failed:
        click.echo(f"failed: {failed}", err=True)
        sys.exit(2)


@click.command("install-service")
@click.option("--dry-run", is_flag=True, help="Print what would be done and the unit; do nothing.")
@click.option("--user", default=service.SERVICE, show_default=True, help="The system user.")
@click.option(
    "--instance",
    default=str(service.INSTANCE),
    show_default=True,
    type=click.Path(path_type=Path),
    help="The private folder of the database, backups and keys.",
)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--https", is_flag=True, help="Serve over TLS with the box's own certificate.")
@click.option(
    "--backup-folder",
    default="",
    help="Where the automatic backups go (e.g. a folder on a USB stick); "
    "the health page can change it.",
)
@click.option("--no-start", is_flag=True, help="Enable it for the next boot, start nothing now.")
def install_service(
    dry_run: bool,
    user: str,
    instance: Path,
    port: int,
    https: bool,
    backup_folder: str,
    no_start: bool,
) -> None:
    """Make Yishi a systemd service: at boot, as its own user, restarted after a crash."""
    environment = {"YISHI_BACKUP_FOLDER": backup_folder} if backup_folder else {}
    plan = service.ServicePlan(
        executable=service.default_executable(),
        user=user,
        instance=instance.resolve(),
        port=port,
        https=https,
        environment=environment,
    )
    steps = service.install_steps(plan, start=not no_start)
    closed = service.readable_by_others(plan.executable)
    if closed is not None:
        click.echo(
            f"warning: {closed} is closed to other users, so {user} cannot run"
            f" {plan.executable}: install Yishi in a folder such as /opt/yishi",
            err=True,
        )
    if dry_run:
        _show(steps, "yishi install-service would:")
        click.echo(f"\n{plan.unit_path}:\n")
        click.echo(service.unit_text(plan))
        return
    _perform(steps)
    click.echo(
        f"Yishi runs as the service {service.SERVICE} (user {user}, data in {plan.instance})."
        f"\n  status: systemctl status {service.SERVICE}"
        f"\n  log:    journalctl -u {service.SERVICE}"
    )


@click.command("uninstall-service")
@click.option("--dry-run", is_flag=True, help="Print what would be done; do nothing.")
@click.option("--user", default=service.SERVICE, show_default=True)
@click.option(
    "--instance", default=str(service.INSTANCE), show_default=True, type=click.Path(path_type=Path)
)
@click.option("--purge", is_flag=True, help="Also remove the data (database, backups) and user.")
def uninstall_service(dry_run: bool, user: str, instance: Path, purge: bool) -> None:
    """Stop the systemd service and remove it (the data stays unless --purge)."""
    plan = service.ServicePlan(
        executable=service.default_executable(), user=user, instance=instance
    )
    steps = service.uninstall_steps(plan, purge=purge)
    if dry_run:
        _show(steps, "yishi uninstall-service would:")
        return
    _perform(steps)
    if not purge:
        click.echo(f"The data stays in {instance} (user {user}); --purge removes both.")


@click.command("launch")
@click.argument("kind", type=click.Choice(launcher.SCREENS))
@click.option(
    "--url",
    default=lambda: f"http://127.0.0.1:{os.environ.get('PORT', '5000')}",
    help="The box's address.  [default: http://127.0.0.1:$PORT or 5000]",
)
@click.option("--browser", default=None, help="The browser (default: chromium on the PATH).")
@click.option(
    "--position",
    default=None,
    help="X,Y of the display to fill, e.g. 1920,0 for a projector right of the box's screen.",
)
@click.option(
    "--wait", default=180.0, show_default=True, help="Seconds to wait for the box to answer."
)
@click.option(
    "--autostart", is_flag=True, help="Open this screen at every login of this desktop user."
)
@click.option("--dry-run", is_flag=True, help="Print the command line; open nothing.")
def launch(
    kind: str,
    url: str,
    browser: str | None,
    position: str | None,
    wait: float,
    autostart: bool,
    dry_run: bool,
) -> None:
    """Open a room screen (projector, kiosk, booth) on this box, full screen, sound allowed."""
    corner = None
    if position:
        try:
            x, y = (int(part) for part in position.split(","))
        except ValueError:
            message = "give it as X,Y, e.g. 1920,0"
            raise click.BadParameter(message, param_hint="--position") from None
        corner = (x, y)
    plan = launcher.Launch(
        kind=kind,
        base_url=url,
        browser=browser or launcher.find_browser(),
        profile=launcher.profile_folder(kind),
        position=corner,
    )
    line = launcher.command_line(plan)
    if autostart:
        again = [service.default_executable().as_posix(), "launch", kind, "--url", url]
        again += ["--position", position] if position else []
        entry = launcher.autostart_entry(kind, again)
        if dry_run:
            click.echo(f"{launcher.autostart_path(kind)}:\n{entry}")
            return
        target = launcher.autostart_path(kind)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(entry, encoding="utf-8")
        click.echo(f"{kind} opens at every login: {target} (delete it to stop)")
        return
    if dry_run:
        click.echo(" ".join(line))
        return
    if not launcher.wait_for_box(plan.url, wait):
        click.echo(f"the box does not answer at {plan.url} after {wait:.0f} s", err=True)
        sys.exit(2)
    plan.profile.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.execvp(line[0], line)  # the browser takes this process's place
    except OSError as error:
        click.echo(f"could not start {line[0]}: {error}", err=True)
        sys.exit(2)


COMMANDS = (install_service, uninstall_service, launch)
