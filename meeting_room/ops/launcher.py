"""``yishi launch projector|kiosk``: a room screen on the box itself, in the browser's kiosk mode.

The projector (a second display on the box's HDMI) or a touch screen plugged into the box
opens its page full screen with no browser frame, and may play sound without a tap (the
projector's chime and voice: ``--autoplay-policy=no-user-gesture-required``). Each screen has
its own browser profile (``~/.local/share/yishi/screens/<kind>``), so the pairing it got once
(typed from the clerk desk's code on the page the box shows an unpaired screen) is kept across
restarts: the URL opened is the screen's own, and the box sends it to /pair only until then.
It runs as the desktop's user, not the service's: it needs no access to the box's data. At
boot the desktop may come up before the server: the launcher waits until the box answers
(``wait_for_box``), so the screen never sits on the browser's "cannot connect" page; with
``--autostart`` it puts itself into the desktop's autostart, so the caretaker only switches on.
"""

from __future__ import annotations

import os
import shlex
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SCREENS = ("projector", "kiosk", "booth")
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


@dataclass(frozen=True)
class Launch:
    """A screen to open: which, on which box's address, with which browser and profile."""

    kind: str
    base_url: str
    browser: str
    profile: Path
    position: tuple[int, int] | None = None  # the display's top-left corner (a second screen)

    @property
    def url(self) -> str:
        """The screen's page."""
        return f"{self.base_url.rstrip('/')}/{self.kind}"


def profile_folder(kind: str) -> Path:
    """The screen's own browser profile (its pairing cookie lives there)."""
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data / "yishi" / "screens" / kind


def find_browser() -> str:
    """The first Chromium-like browser on the PATH (``chromium`` when none is)."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return "chromium"


def command_line(launch: Launch) -> list[str]:
    """The browser's command line for ``launch``."""
    line = [
        launch.browser,
        "--kiosk",
        "--autoplay-policy=no-user-gesture-required",
        f"--user-data-dir={launch.profile}",
        "--no-first-run",
        "--no-default-browser-check",
        "--noerrdialogs",
        "--disable-infobars",
        "--disable-session-crashed-bubble",
        "--disable-features=Translate",
        "--disable-pinch",
        "--overscroll-history-navigation=0",
        "--password-store=basic",
    ]
    if launch.position is not None:
        line.append(f"--window-position={launch.position[0]},{launch.position[1]}")
    line.append(launch.url)
    return line


def wait_for_box(
    url: str,
    timeout: float,
    *,
    ask: Callable[[str], object] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    every: float = 2.0,
) -> bool:
    """Whether the box answered ``url`` within ``timeout`` seconds (any HTTP answer counts: a
    redirect to the pairing page is the box speaking); asks every ``every`` seconds."""

    def fetch(address: str) -> object:
        with urllib.request.urlopen(address, timeout=5) as answer:
            return answer.status

    ask = ask or fetch
    waited = 0.0
    while True:
        try:
            ask(url)
            return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            if waited >= timeout:
                return False
        sleep(every)
        waited += every


def autostart_entry(kind: str, command: list[str]) -> str:
    """A desktop autostart entry (freedesktop.org) that opens the screen at login."""
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name=Yishi {kind}\n"
        f"Exec={shlex.join(command)}\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def autostart_path(kind: str) -> Path:
    """Where the desktop looks for programs to start at login."""
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "autostart" / f"yishi-{kind}.desktop"
