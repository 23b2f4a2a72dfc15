"""Voice through the real app with the recording speaker: WAVs served from the cache, read-aloud,
the kiosk's greeting, announcements pushed to the wall and the booth, the moderator's switches."""

from __future__ import annotations

import hashlib
import io
import wave
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_socketio import SocketIOTestClient

from devices.fakes import FakeSpeaker
from devices.tts import Lane
from meeting_room.extensions import socketio
from meeting_room.store.models.meetings import Meeting
from meeting_room.voice import routes
from meeting_room.voice.announcements import announce_closing
from meeting_room.voice.schemas import READ_ALOUD_CHARS
from meeting_room.voice.settings import voice_config
from meeting_room.voice.speech import say
from meeting_room.web.addresses import devices
from tests.conftest import Clock, logged_in, paired
from tests.web.floor.test_events import sign_in
from tests.web.voting.test_poll_events import moderator_client

QUESTION = "是否同意在1栋加装电梯？"


def said(app: Flask) -> list[str]:
    speaker = devices_of(app)
    return [text for text, _ in speaker.said]


def devices_of(app: Flask) -> FakeSpeaker:
    with app.app_context():
        speaker = devices().speaker
    assert isinstance(speaker, FakeSpeaker)
    return speaker


@pytest.fixture
def moderator(app: Flask, meeting: Meeting) -> SocketIOTestClient:
    """The moderator's console, joined."""
    return moderator_client(app, meeting)


def screen(app: Flask, meeting: Meeting, namespace: str) -> SocketIOTestClient:
    client = socketio.test_client(app, namespace=namespace, flask_test_client=logged_in(app))
    client.emit("join", {"meeting_id": meeting.id}, namespace=namespace, callback=True)
    client.get_received(namespace)
    return client


def says(client: SocketIOTestClient, namespace: str) -> list[dict[str, Any]]:
    return [e["args"][0] for e in client.get_received(namespace) if e["name"] == "say"]


def assert_wav(client: FlaskClient, url: str) -> None:
    with client.get(url) as answer:
        assert answer.status_code == 200 and answer.mimetype == "audio/wav"
        with wave.open(io.BytesIO(answer.data)) as audio:
            assert audio.getnframes() > 0


def open_poll(moderator: SocketIOTestClient, meeting: Meeting, **draft: Any) -> dict[str, Any]:
    drafted = moderator.emit(
        "poll.create",
        {"meeting_id": meeting.id, "question": QUESTION, **draft},
        namespace="/moderator",
        callback=True,
    )
    opened = moderator.emit(
        "poll.open", {"poll_id": drafted["poll"]["id"]}, namespace="/moderator", callback=True
    )
    poll: dict[str, Any] = opened["poll"]
    return poll


def test_audio_serves_a_prepared_wav_and_refuses_any_other_name(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.test_request_context():
        url = say("第一项，赞成", "zh_CN")
    with client.get(url) as answer:
        assert answer.status_code == 200 and answer.mimetype == "audio/wav"
        assert "immutable" in answer.headers["Cache-Control"]
        assert answer.data[:4] == b"RIFF"

    monkeypatch.setattr(routes, "WAIT_SECONDS", 0.05)
    name = url.rsplit("/", 1)[-1]
    for wrong in (
        "/audio/..%2F..%2Fyishi.db",
        "/audio/../secret_key",
        f"/audio/{name.upper()}",
        f"/audio/{name[:-4]}.mp3",
        f"/audio/{name[1:]}",
        "/audio/" + "0" * 32 + ".wav",  # the right shape, but nothing was said
    ):
        refused = client.get(wrong, headers={"Accept": "application/json"})
        assert refused.status_code == 404, wrong
        assert refused.get_json()["error"]["code"] == "404"


def test_read_aloud_answers_a_url_and_a_flood_is_turned_away(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = client.post("/audio/say", json={"text": "请扫描签到条上的二维码", "language": "zh-CN"})
    assert answer.status_code == 200
    assert_wav(client, answer.get_json()["url"])
    assert said(app)[-1] == "请扫描签到条上的二维码"
    english = client.post("/audio/say", json={"text": "Option 1: For", "language": "en"})
    assert devices_of(app).said[-1] == ("Option 1: For", "en")
    assert english.get_json()["url"] != answer.get_json()["url"]
    assert client.post("/audio/say", json={"text": "", "language": "zh"}).status_code == 422
    assert client.post("/audio/say", json={"text": "好", "language": "fr"}).status_code == 422

    monkeypatch.setattr(routes, "BURST", 3)
    app.extensions["yishi.voice.bucket"].levels.clear()
    codes = [
        client.post("/audio/say", json={"text": f"第{n}项", "language": "zh"}).status_code
        for n in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    busy = client.post(
        "/audio/say",
        json={"text": "第六项", "language": "zh"},
        headers={"Accept": "application/json"},  # as voice.js asks
    ).get_json()
    assert busy["error"] == {"code": "too_many_requests", "message": "朗读请求太频繁，请稍候再试。"}


def test_read_aloud_is_for_screens_staff_and_phones_with_their_token(
    app: Flask, meeting: Meeting
) -> None:
    json_only = {"Accept": "application/json", "Accept-Language": "en"}
    stranger = app.test_client()
    refused = stranger.post("/audio/say", json={"text": "你好"}, headers=json_only)
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "device_not_paired"
    assert "你好" not in said(app)  # nothing was made for a stranger

    _, token = sign_in(app, meeting, "孙艳娜", "6851")
    phone = app.test_client()
    answer = phone.post("/audio/say", json={"text": "请投票", "token": token})
    assert answer.status_code == 200 and said(app)[-1] == "请投票"
    assert devices_of(app).lanes[-1] is Lane.READ_ALOUD  # behind the room's own speech
    wrong = phone.post("/audio/say", json={"text": "请投票", "token": "x" * 32}, headers=json_only)
    assert wrong.status_code == 404 and wrong.get_json()["error"]["code"] == "token_unknown"

    booth = paired(app, "booth")
    assert booth.post("/audio/say", json={"text": "赞成"}).status_code == 200
    assert devices_of(app).lanes[-1] is Lane.ROOM
    assert logged_in(app, "clerk").post("/audio/say", json={"text": "反对"}).status_code == 200
    assert devices_of(app).lanes[-1] is Lane.ROOM

    too_long = booth.post("/audio/say", json={"text": "好" * (READ_ALOUD_CHARS + 1)})
    assert too_long.status_code == 422
    assert booth.post("/audio/say", json={"text": "好" * READ_ALOUD_CHARS}).status_code == 200


def test_a_spoken_name_is_named_with_the_boxs_secret_and_served_without_its_time(
    app: Flask, meeting: Meeting
) -> None:
    with app.test_request_context():
        url = say("王静，您已签到", "zh_CN")
    unkeyed = hashlib.sha256("zh_CN\n0\n王静，您已签到".encode()).hexdigest()[:32]
    assert url != f"/audio/{unkeyed}.wav"  # anyone could work that one out
    stranger = app.test_client()
    with stranger.get(url) as answer:
        assert answer.status_code == 200
        assert "Last-Modified" not in answer.headers  # when a name was first spoken
        assert "private" in answer.headers["Cache-Control"]
    assert url_on_another_box(app, "another box") != url


def url_on_another_box(app: Flask, secret: str) -> str:
    """The URL the same words get on a box with another secret."""
    speaker = FakeSpeaker(devices_of(app).cache_dir.parent / "other", secret=secret)
    return f"/audio/{speaker.prepare('王静，您已签到', 'zh_CN').name}"


def test_the_kiosk_greets_by_name_and_the_moderator_can_switch_the_greeting_off(
    app: Flask, client: FlaskClient, meeting: Meeting, moderator: SocketIOTestClient
) -> None:
    member = client.get("/api/v1/members", query_string={"q": "孙艳娜"}).get_json()["members"][0]
    body = {"meeting_id": meeting.id, "member_id": member["id"], "phone_tail": "6851"}
    signed = client.post("/kiosk/api/sign-in", json=body).get_json()
    assert signed["voice"]["text"] == "孙艳娜，签到成功"
    assert said(app)[-1] == "孙艳娜，签到成功"
    assert_wav(client, signed["voice"]["url"])

    ack = moderator.emit(
        "voice.settings",
        {"meeting_id": meeting.id, "announcements": {"greeting": False}},
        namespace="/moderator",
        callback=True,
    )
    assert ack["ok"] and ack["voice"]["announcements"]["greeting"] is False
    assert ack["voice"]["announcements"]["poll_opened"] is True  # only what was named changed
    before = len(said(app))
    again = client.post("/kiosk/api/sign-in", json=body).get_json()
    assert again["voice"] is None and len(said(app)) == before


def test_a_surname_with_its_own_reading_is_spoken_as_a_name(app: Flask) -> None:
    with app.test_request_context():
        say("单雄信，签到成功", "zh_CN", names=("单雄信",))
        say("单位：议事厅", "zh_CN")
    assert said(app)[-2:] == ["善雄信，签到成功", "单位：议事厅"]


def test_opening_a_poll_is_announced_on_the_wall_and_in_the_booth(
    app: Flask, client: FlaskClient, meeting: Meeting, moderator: SocketIOTestClient
) -> None:
    projector = screen(app, meeting, "/projector")
    booth = screen(app, meeting, "/booth")
    kiosk = screen(app, meeting, "/kiosk")
    moderator.emit(
        "voice.settings",
        {
            "meeting_id": meeting.id,
            "screens": {"booth": {"volume": 60, "rate": 130}, "kiosk": {"volume": 45, "rate": 150}},
        },
        namespace="/moderator",
        callback=True,
    )
    settings = [e for e in booth.get_received("/booth") if e["name"] == "voice.settings"]
    assert settings[-1]["args"][0]["volume"] == 60 and settings[-1]["args"][0]["rate"] == 130
    (heard,) = [e["args"][0] for e in kiosk.get_received("/kiosk") if e["name"] == "voice.settings"]
    assert (heard["screen"], heard["volume"], heard["rate"]) == ("kiosk", 45, 150)

    open_poll(moderator, meeting, duration_s=300)
    (wall,) = says(projector, "/projector")
    assert wall["key"] == "poll_opened"
    assert wall["text"]["zh_CN"] == f"现在开始表决：{QUESTION}请在五分钟内投票。"
    assert wall["text"]["en"] == f"Voting is open: {QUESTION} Please vote within 5 minutes."
    assert said(app)[-2:] == [wall["text"]["zh_CN"], wall["text"]["en"]]
    for url in wall["audio"].values():
        assert_wav(client, url)
    (heard,) = says(booth, "/booth")
    assert heard["text"] == wall["text"] and heard["volume"] == 60
    assert heard["audio"]["zh_CN"] != wall["audio"]["zh_CN"]  # the booth's own, slower rate


def test_a_switched_off_announcement_is_not_sent_and_the_others_still_are(
    app: Flask, meeting: Meeting, moderator: SocketIOTestClient
) -> None:
    projector = screen(app, meeting, "/projector")
    moderator.emit(
        "voice.settings",
        {"meeting_id": meeting.id, "announcements": {"poll_opened": False}},
        namespace="/moderator",
        callback=True,
    )
    open_poll(moderator, meeting)
    assert says(projector, "/projector") == []

    sign_in(app, meeting, "孙艳娜", "6851")
    item = moderator.emit(
        "agenda.add",
        {"meeting_id": meeting.id, "title": "加装电梯方案"},
        namespace="/moderator",
        callback=True,
    )["floor"]["agenda"][0]["id"]
    moderator.emit(
        "agenda.start",
        {"meeting_id": meeting.id, "item_id": item, "confirm": True},
        namespace="/moderator",
    )
    member = logged_in(app).get("/api/v1/members", query_string={"q": "孙艳娜"}).get_json()
    moderator.emit(
        "speaker.add",
        {"meeting_id": meeting.id, "member_id": member["members"][0]["id"]},
        namespace="/moderator",
    )
    moderator.emit("speaker.next", {"meeting_id": meeting.id}, namespace="/moderator")
    (announced,) = says(projector, "/projector")
    assert announced["key"] == "next_speaker"
    assert announced["text"] == {
        "zh_CN": "请孙艳娜发言，限时两分钟",
        "en": "孙艳娜, you have the floor for 2 minutes.",
    }


def test_the_last_minute_is_announced_once_and_the_result_when_the_poll_closes(
    app: Flask, meeting: Meeting, moderator: SocketIOTestClient, clock: Clock
) -> None:
    _, token = sign_in(app, meeting, "孙艳娜", "6851")
    projector = screen(app, meeting, "/projector")
    poll = open_poll(moderator, meeting, duration_s=120)
    phone = socketio.test_client(app, namespace="/phone")
    ballot = {"token": token, "poll_id": poll["id"], "choices": ["for"], "client_id": "voice-0001"}
    assert phone.emit("ballot.cast", ballot, namespace="/phone", callback=True)["receipt"]
    projector.get_received("/projector")

    clock.advance(30)
    assert announce_closing(app) == []  # 90 s left
    clock.advance(30)
    assert announce_closing(app) == [poll["id"]]
    clock.advance(1)
    assert announce_closing(app) == []
    (closing,) = says(projector, "/projector")
    assert closing["key"] == "poll_closing"
    assert closing["text"]["zh_CN"] == "表决还有一分钟结束。"

    moderator.emit("poll.close", {"poll_id": poll["id"]}, namespace="/moderator", callback=True)
    (result,) = says(projector, "/projector")
    assert result["key"] == "poll_result"
    assert result["text"]["zh_CN"] == "表决通过。赞成1票，反对0票，弃权0票。"
    assert result["text"]["en"] == "The motion is passed. For 1, against 0, abstain 0."


def test_the_projector_gets_its_countdown_cues_and_a_muted_screen_gets_nothing(
    app: Flask, client: FlaskClient, meeting: Meeting, moderator: SocketIOTestClient
) -> None:
    with app.test_request_context():
        config = voice_config("projector", meeting.id)
    assert config["cues"]["warning"]["text"] == {"zh_CN": "还剩三十秒", "en": "30 seconds left"}
    assert config["cues"]["time_up"]["text"]["zh_CN"] == "时间到"
    for cue in config["cues"].values():
        assert_wav(client, cue["audio"]["zh_CN"])
    assert client.get(f"/audio/config/projector?meeting_id={meeting.id}").get_json() == config

    booth = screen(app, meeting, "/booth")
    moderator.emit(
        "voice.settings",
        {
            "meeting_id": meeting.id,
            "announcements": {"warning": False},
            "screens": {"booth": {"volume": 0}},
        },
        namespace="/moderator",
        callback=True,
    )
    pushed = [e["args"][0] for e in booth.get_received("/booth") if e["name"] == "voice.settings"]
    assert pushed[-1]["volume"] == 0
    open_poll(moderator, meeting)
    assert says(booth, "/booth") == []
    with app.test_request_context():
        assert list(voice_config("projector", meeting.id)["cues"]) == ["time_up"]
    refused = moderator.emit(
        "voice.settings",
        {"meeting_id": meeting.id, "screens": {"booth": {"volume": 101}}},
        namespace="/moderator",
        callback=True,
    )
    assert refused["error"]["code"] == "invalid_input"
