"""The attacks, replayed against the real server: ``yishi run`` (gevent, real espeak-ng) in a
subprocess on its own instance folder, reached over HTTP and Socket.IO as a phone, a stranger
on the hall's Wi-Fi or a paired screen would reach it.

``Visitor`` is a browser without JavaScript: its own cookies, the page's CSRF token, answers
whatever their status. ``Hall`` sets the scene through the real API as the clerk would.
"""

from __future__ import annotations

import csv
import functools
import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.conftest import DEMO_ROSTER, ROOT

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


@dataclass
class Answer:
    """An HTTP answer: status, headers and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


class Visitor:
    """A client with its own cookie jar; ``csrf`` holds the token of the last page it loaded."""

    def __init__(self, server: LiveServer, language: str = "zh-CN") -> None:
        self.server = server
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.language = language
        self.csrf = ""

    def open(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> Answer:
        """One request; a refusal is an answer like any other (never raised)."""
        sent = {"Accept-Language": self.language, **(headers or {})}
        if self.csrf and method != "GET":
            sent["X-CSRFToken"] = self.csrf
        request = urllib.request.Request(
            self.server.url + path, data=body, method=method, headers=sent
        )
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read())

    def page(self, path: str) -> Answer:
        """GET a page and keep its CSRF token."""
        answer = self.open("GET", path, headers={"Accept": "text/html"})
        found = CSRF.search(answer.text)
        if found:
            self.csrf = found.group(1)
        return answer

    def get(self, path: str, **headers: str) -> Answer:
        return self.open("GET", path, headers={"Accept": "application/json", **headers})

    def post_json(self, path: str, body: Any) -> Answer:
        return self.open(
            "POST",
            path,
            json.dumps(body).encode(),
            {"Content-Type": "application/json", "Accept": "application/json"},
        )

    def post_form(self, path: str, fields: dict[str, str]) -> Answer:
        data = urllib.parse.urlencode({"csrf_token": self.csrf, **fields}).encode()
        return self.open("POST", path, data, {"Content-Type": "application/x-www-form-urlencoded"})

    def post_file(self, path: str, field: str, name: str, data: bytes) -> Answer:
        boundary = "yishi-security-boundary"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
                f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.open(
            "POST",
            path,
            body,
            {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Accept": "application/json",
            },
        )

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)


class Hall:
    """The scene, set through the real API: staff logged in, screens paired, people signed in."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self._staff: dict[str, Visitor] = {}

    def staff(self, role: str = "clerk") -> Visitor:
        """A browser logged in with ``role``'s password (the real login form; once per role)."""
        from tests.conftest import PASSWORD

        if role in self._staff:
            return self._staff[role]
        visitor = self._staff[role] = Visitor(self.server)
        visitor.page("/login")
        answer = visitor.post_form("/login", {"username": role, "password": PASSWORD})
        assert answer.status in (200, 303), answer.text[:500]
        assert visitor.cookie("session"), "the login did not start a session"
        visitor.page("/login")  # the session's CSRF token
        return visitor

    @functools.cached_property
    def meeting(self) -> int:
        """The demo meeting ``yishi run`` made."""
        meetings = self.staff().get("/api/v1/meetings").json()
        return int(meetings["meetings"][0]["id"])

    def meeting_id(self) -> int:
        return self.meeting

    def pairing_code(self, kind: str) -> str:
        """A fresh code from the clerk desk."""
        issued = self.staff().post_json("/clerk/api/devices/pairing", {"kind": kind})
        assert issued.status == 200, issued.text
        return str(issued.json()["code"])

    def paired(self, kind: str) -> Visitor:
        """A screen of ``kind`` paired through /pair with a code from the clerk desk."""
        screen = Visitor(self.server)
        screen.page("/pair")
        answer = screen.post_form("/pair", {"code": self.pairing_code(kind)})
        assert screen.cookie("yishi_device"), answer.text[:500]
        screen.page(f"/{kind}")
        return screen

    def sign_in(self, member_id: int) -> str:
        """Sign a member in at the clerk desk; their personal token (from the phone URL)."""
        clerk = self.staff()
        answer = clerk.post_json(
            f"/api/v1/meetings/{self.meeting_id()}/sign-in", {"member_id": member_id}
        )
        assert answer.status == 200, answer.text
        return str(answer.json()["phone_url"]).rsplit("/v/", 1)[1]

    def owners(self, count: int) -> list[Member]:
        """``count`` owners of the demo roster, with the phone tail only they know."""
        return [m for m in self.members(count * 3) if m.group == "业主"][:count]

    def members(self, count: int) -> list[Member]:
        """``count`` members of the demo roster (of any group), building by building."""
        tails = {row["member_id"]: row["phone_tail"] for row in demo_rows()}
        buildings = sorted({row["building"] for row in demo_rows()}, key=len)
        found: list[Member] = []
        for building in buildings:
            query = urllib.parse.urlencode({"building": building, "limit": 200})
            for m in self.staff().get(f"/api/v1/members?{query}").json()["members"]:
                found.append(Member(int(m["id"]), m["name"], tails[m["member_no"]], m["group"]))
            if len(found) >= count:
                return found[:count]
        raise AssertionError(f"the demo roster has fewer than {count} members")


@dataclass(frozen=True)
class Member:
    """A member of the demo roster: id, name and the last four digits of their phone."""

    id: int
    name: str
    tail: str
    group: str = "业主"


def demo_rows() -> list[dict[str, str]]:
    """The shipped demo roster's rows."""
    with DEMO_ROSTER.open(encoding="utf-8") as roster:
        return list(csv.DictReader(roster))


def start(tmp_path: Path, files: int | None = None, **env: str) -> LiveServer:
    """A fresh ``yishi run`` on its own instance (real espeak-ng unless ``YISHI_TTS`` says);
    with ``files``, started as a stock service is: at most that many open files, hard limit."""
    instance = tmp_path / "instance"
    instance.mkdir()
    prefix = ["prlimit", f"--nofile={files}:{files}", "--"] if files else []
    return LiveServer(instance, {key: str(value) for key, value in env.items()}, prefix)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    """The real server with its defaults."""
    live = start(tmp_path)
    yield live
    live.stop()


@pytest.fixture
def hall(server: LiveServer) -> Hall:
    return Hall(server)


__all__ = ["ROOT", "Answer", "Hall", "Member", "Visitor", "start"]
