"""``yishi install-service``, ``uninstall-service`` and ``launch``: the generated systemd unit
checked by systemd itself (``systemd-analyze verify``), and each command's dry run, which does
nothing and says every step. A real install needs root and systemd: not on a test machine."""

from __future__ import annotations

import re
import shutil
import subprocess
import urllib.error
from email.message import Message
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from meeting_room.ops.launcher import wait_for_box
from meeting_room.ops.service import (
    OPEN_FILES,
    ServicePlan,
    Step,
    StepFailed,
    default_executable,
    install_steps,
    perform,
    uninstall_steps,
    unit_text,
)

ANALYZE = shutil.which("systemd-analyze")


def unit_of(output: str) -> str:
    return output[output.index("# Made by") :]


def lines(unit: str) -> set[str]:
    return set(unit.splitlines())


def test_the_dry_run_says_every_step_and_does_nothing(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["install-service", "--dry-run", "--port", "8000"])
    assert result.exit_code == 0, result.output
    said = result.output
    steps = [line for line in said.splitlines() if re.match(r"\d+\. ", line)]
    expected = [
        "make the instance folder /var/lib/yishi",
        "give it to yishi",
        "keep it private (0700)",
        "write the unit /etc/systemd/system/yishi.service",
        "tell systemd",
        *(
            ["let yishi set the clock (health page): /etc/polkit-1/rules.d/50-yishi-clock.rules"]
            if Path("/etc/polkit-1/rules.d").is_dir()
            else []
        ),
        "start it at every boot, and now",
    ]
    assert [s.split(". ", 1)[1] for s in steps][-len(expected) :] == expected
    assert "$ chmod 0700 /var/lib/yishi" in said
    assert "$ systemctl enable --now yishi.service" in said
    if "make the system user" in said:  # this machine has no yishi user yet
        assert "useradd --system --user-group" in said and "--shell /usr/sbin/nologin" in said
    unit = lines(unit_of(said))
    assert {
        "User=yishi",
        "Restart=on-failure",
        "StartLimitIntervalSec=0",
        f"LimitNOFILE={OPEN_FILES}",
        "UMask=0077",
        "StateDirectoryMode=0700",
        "StandardOutput=journal",
        "StandardError=journal",
        "Environment=YISHI_INSTANCE=/var/lib/yishi",
        "WantedBy=multi-user.target",
        f"ExecStart={default_executable()} run --port 8000",
    } <= unit
    assert not Path("/etc/systemd/system/yishi.service").exists() or "yishi" in said


def test_the_dry_run_of_uninstall_keeps_the_data_unless_purged(runner: FlaskCliRunner) -> None:
    kept = runner.invoke(args=["uninstall-service", "--dry-run"])
    assert kept.exit_code == 0, kept.output
    assert "$ systemctl disable --now yishi.service" in kept.output
    assert "$ rm -f /etc/systemd/system/yishi.service" in kept.output
    assert "/var/lib/yishi" not in kept.output and "userdel" not in kept.output
    purged = runner.invoke(args=["uninstall-service", "--dry-run", "--purge"])
    assert "$ rm -rf --one-file-system /var/lib/yishi" in purged.output
    assert "$ userdel yishi" in purged.output


@pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed on this machine")
@pytest.mark.parametrize("options", [{}, {"port": 80, "https": True}])
def test_systemd_accepts_the_generated_unit(tmp_path: Path, options: dict[str, object]) -> None:
    plan = ServicePlan(
        executable=default_executable(),
        unit_folder=tmp_path,
        environment={"YISHI_BACKUP_FOLDER": "/media/usb stick/yishi"},
        **options,  # type: ignore[arg-type]
    )
    plan.unit_path.write_text(unit_text(plan))
    checked = subprocess.run(
        [str(ANALYZE), "verify", str(plan.unit_path)], capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 0, checked.stderr
    # The same check fails for a broken unit: it is a real check, not a rubber stamp.
    broken = tmp_path / "broken" / "yishi.service"
    broken.parent.mkdir()
    broken.write_text(unit_text(plan).replace(str(plan.executable), "/nowhere/yishi"))
    refused = subprocess.run(
        [str(ANALYZE), "verify", str(broken)], capture_output=True, text=True, timeout=60
    )
    assert refused.returncode != 0 and "/nowhere/yishi" in refused.stderr


def test_a_low_port_gets_its_capability_and_https_its_flag() -> None:
    unit = lines(unit_text(ServicePlan(Path("/opt/yishi/.venv/bin/yishi"), port=80, https=True)))
    assert "AmbientCapabilities=CAP_SYS_TIME CAP_NET_BIND_SERVICE" in unit
    assert "ExecStart=/opt/yishi/.venv/bin/yishi run --port 80 --https" in unit
    high = lines(unit_text(ServicePlan(Path("/opt/yishi/.venv/bin/yishi"))))
    assert "AmbientCapabilities=CAP_SYS_TIME" in high


def test_an_instance_outside_var_lib_is_made_by_the_install_itself() -> None:
    plan = ServicePlan(Path("/opt/yishi/.venv/bin/yishi"), instance=Path("/srv/yishi"))
    assert "StateDirectory" not in unit_text(plan)
    commands = [step.command for step in install_steps(plan)]
    assert ("mkdir", "-p", "/srv/yishi") in commands
    assert ("chmod", "0700", "/srv/yishi") in commands
    assert ("systemctl", "enable", "yishi.service") in [
        s.command for s in install_steps(plan, start=False)
    ]
    assert uninstall_steps(plan, purge=True)[-2].command[-1] == "/srv/yishi"


def test_steps_stop_at_the_first_failure_and_name_it(tmp_path: Path) -> None:
    done: list[str] = []
    steps = [
        Step("first", act=lambda: done.append("first")),
        Step("may fail", ("false",), may_fail=True),
        Step("must work", ("sh", "-c", "echo no such user >&2; exit 6")),
        Step("never", act=lambda: done.append("never")),
    ]
    with pytest.raises(StepFailed, match=r"must work: .*no such user"):
        perform(steps, done.append)
    assert done == ["- first", "first", "- may fail", "- must work"]


def test_the_install_refuses_without_root(
    runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("meeting_room.ops.service.is_root", lambda: False)
    result = runner.invoke(args=["install-service"])
    assert result.exit_code == 2
    assert "needs root" in result.output


def test_the_launcher_opens_the_screen_full_screen_with_sound(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=[
            "launch", "projector", "--dry-run", "--url", "http://127.0.0.1:5000",
            "--browser", "/usr/bin/chromium", "--position", "1920,0",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    line = result.output.split()
    assert line[0] == "/usr/bin/chromium"
    assert "--kiosk" in line
    assert "--autoplay-policy=no-user-gesture-required" in line
    assert "--window-position=1920,0" in line
    profile = next(arg for arg in line if arg.startswith("--user-data-dir="))
    assert profile.endswith("/yishi/screens/projector")  # its pairing cookie is kept there
    assert line[-1] == "http://127.0.0.1:5000/projector"
    kiosk = runner.invoke(args=["launch", "kiosk", "--dry-run", "--url", "http://10.0.0.2:5000/"])
    assert kiosk.output.split()[-1] == "http://10.0.0.2:5000/kiosk"
    wrong = runner.invoke(args=["launch", "kiosk", "--dry-run", "--position", "left"])
    assert wrong.exit_code == 2 and "X,Y" in wrong.output


def test_the_service_user_may_set_the_clock_through_systemd(tmp_path: Path) -> None:
    plan = ServicePlan(Path("/opt/yishi/.venv/bin/yishi"), polkit_rules=tmp_path)
    step = next(s for s in install_steps(plan) if "set the clock" in s.says)
    assert step.act is not None
    step.act()
    rule = (tmp_path / "50-yishi-clock.rules").read_text()
    assert '"org.freedesktop.timedate1.set-time" && subject.user == "yishi"' in rule
    removal = [s.command for s in uninstall_steps(plan)]
    assert ("rm", "-f", str(tmp_path / "50-yishi-clock.rules")) in removal
    without = ServicePlan(Path("/opt/yishi/.venv/bin/yishi"), polkit_rules=tmp_path / "none")
    assert not any("set the clock" in s.says for s in install_steps(without))


def test_the_launcher_waits_for_the_box_without_sleeping() -> None:
    slept: list[float] = []
    answers = iter([ConnectionRefusedError(), ConnectionRefusedError(), 200])

    def ask(url: str) -> object:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert wait_for_box("http://127.0.0.1:5000/kiosk", 60, ask=ask, sleep=slept.append)
    assert slept == [2.0, 2.0]  # answered on the third try

    def never(url: str) -> object:
        raise ConnectionRefusedError

    slept.clear()
    assert not wait_for_box("http://127.0.0.1:5000/kiosk", 6, ask=never, sleep=slept.append)
    assert sum(slept) == 6

    def pairing(url: str) -> object:  # an unpaired screen is sent to /pair: the box answered
        raise urllib.error.HTTPError(url, 401, "Unauthorized", Message(), None)

    assert wait_for_box("http://127.0.0.1:5000/kiosk", 6, ask=pairing, sleep=slept.append)


def test_the_launcher_puts_the_screen_in_the_desktops_autostart(
    runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    shown = runner.invoke(args=["launch", "projector", "--autostart", "--dry-run"])
    assert not (tmp_path / "autostart").exists()
    assert "yishi-projector.desktop" in shown.output
    made = runner.invoke(
        args=[
            "launch",
            "projector",
            "--autostart",
            "--position",
            "1920,0",
            "--url",
            "http://b:5000",
        ]
    )
    assert made.exit_code == 0, made.output
    entry = (tmp_path / "autostart" / "yishi-projector.desktop").read_text()
    assert entry.startswith("[Desktop Entry]\nType=Application\n")
    exec_line = next(line for line in entry.splitlines() if line.startswith("Exec="))
    assert exec_line == (
        f"Exec={default_executable()} launch projector --url http://b:5000 --position 1920,0"
    )


def test_the_launcher_gives_up_in_words_when_the_box_never_answers(
    runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("meeting_room.ops.launcher.wait_for_box", lambda url, wait: False)
    result = runner.invoke(args=["launch", "kiosk", "--url", "http://127.0.0.1:9", "--wait", "0"])
    assert result.exit_code == 2
    assert "does not answer at http://127.0.0.1:9/kiosk" in result.output
