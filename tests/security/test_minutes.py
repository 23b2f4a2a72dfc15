"""Draft minutes on the real server: before the clerk publishes them, anyone on the hall's
Wi-Fi could read them at /board/meetings/<id>/minutes (and as PDF). Now they are the staff's
until published."""

from __future__ import annotations

from tests.browser.conftest import LiveServer
from tests.security.conftest import Hall, Visitor


def test_draft_minutes_are_refused_to_anyone_but_staff_until_published(
    server: LiveServer, hall: Hall
) -> None:
    page = f"/board/meetings/{hall.meeting}/minutes"
    stranger = Visitor(server)
    kiosk = hall.paired("kiosk")  # a room screen is not staff either
    clerk = hall.staff("clerk")
    for path in (page, f"{page}.pdf"):
        for outsider in (stranger, kiosk):
            refused = outsider.open("GET", path, headers={"Accept": "text/html"})
            assert refused.status == 403, (path, refused.status)
            assert "本次会议的会议纪要尚未公布" in refused.text
            assert "7栋加装电梯业主大会" not in refused.text  # nothing of the draft
        assert clerk.open("GET", path).status == 200

    closed = hall.staff("moderator").post_json(f"/api/v1/meetings/{hall.meeting}/close", {})
    assert closed.status == 200, closed.text  # minutes are published once the meeting is closed
    published = clerk.post_json(
        f"/api/v1/meetings/{hall.meeting}/minutes/publish", {"by": "张记录"}
    )
    assert published.status == 200, published.text
    shown = stranger.open("GET", page)
    assert shown.status == 200 and "7栋加装电梯业主大会" in shown.text
    assert stranger.open("GET", f"{page}.pdf").body.startswith(b"%PDF")
