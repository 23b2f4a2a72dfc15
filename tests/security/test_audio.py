"""Read-aloud and the speech cache on the real server with real espeak-ng.

The attack measured on the box before: a stranger with the login page's CSRF token sent five
texts of 1,000 characters (23 MB of WAV each); a booth's phrase then took 10.6 s instead of
0.85 s (25.9 s on the first report's box), the cache never shrank, and the greeting of anyone
who signed in could be fetched by a name anyone could compute from theirs.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devices.speech_text import speakable
from meeting_room.voice.speech import spoken_text
from tests.browser.conftest import LiveServer
from tests.security.conftest import ROOT, Hall, Visitor
from tests.security.flood import flood, speech_delay

ARTIFACTS = ROOT / "test-artifacts"


def wavs(server: LiveServer) -> list[Path]:
    return sorted((server.instance / "tts").glob("*.wav"))


def test_a_stranger_cannot_have_anything_read_aloud(server: LiveServer, hall: Hall) -> None:
    # The speaker first finishes what it was given at start (the demo meeting's opening, said
    # on the projector): a booth's phrase, on the same lane, is made after all of it.
    speech_delay(hall.paired("booth"), "请稍候。")
    before = wavs(server)
    stranger = Visitor(server)
    stranger.page("/login")  # the page's CSRF token is all a stranger on the Wi-Fi has
    sent = flood(stranger, 5, 1000)
    assert sent.statuses == [422] * 5  # longer than anything is read at once
    sent = flood(stranger, 5, 200)
    assert sent.statuses == [401] * 5
    refused = stranger.post_json("/audio/say", {"text": "你好"})
    assert refused.json()["error"]["code"] == "device_not_paired"
    assert wavs(server) == before  # nothing was made


@pytest.mark.alone
def test_a_phones_flood_is_capped_and_the_booth_stays_prompt(
    server: LiveServer, hall: Hall
) -> None:
    booth = hall.paired("booth")
    (member,) = hall.owners(1)
    phone = Visitor(server)
    token = hall.sign_in(member.id)
    phone.page(f"/v/{token}")
    speech_delay(booth, "请按零键重听。")  # espeak-ng starts with the first text: not counted
    quiet = speech_delay(booth, "请按一号键投赞成票。")

    sent = flood(phone, 40, 200, {"token": token})  # the phone's whole burst at once
    accepted = sent.count(200)
    # Sixteen may wait (and those made meanwhile leave room); the rest are turned away.
    assert 16 <= accepted < 40 and sent.count(429) == 40 - accepted
    turned_away = phone.post_json("/audio/say", {"text": "你好", "token": token})
    assert turned_away.status == 429 and "朗读" in turned_away.json()["error"]["message"]
    busy = speech_delay(booth, "请按二号键投反对票。")

    print(f"\nbooth phrase: {quiet:.2f} s quiet, {busy:.2f} s under a phone's flood")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "security-audio.json").write_text(
        json.dumps({"quiet_s": quiet, "flooded_s": busy, "flood_accepted": accepted}, indent=1)
    )
    # The booth's text goes before every text of the flood and interrupts the one being made:
    # it waits for its own synthesis, not for the flood (10.6 s before, with five texts).
    assert busy < quiet + 2.0, (quiet, busy)
    too_long = phone.post_json("/audio/say", {"text": "好" * 201, "token": token})
    assert too_long.status == 422


def test_a_greeting_cannot_be_found_from_a_name_and_the_purge_empties_the_cache(
    server: LiveServer, hall: Hall
) -> None:
    kiosk = hall.paired("kiosk")
    (member,) = hall.owners(1)
    answer = kiosk.post_json(
        "/kiosk/api/sign-in",
        {"meeting_id": hall.meeting_id(), "member_id": member.id, "phone_tail": member.tail},
    ).json()
    greeting = answer["voice"]
    assert member.name in greeting["text"]
    stranger = Visitor(server)
    # The address comes before the file; /audio/<name> waits 3 s, then 404: ask until it is
    # made (the one speech queue may be longer on a busy box; 60 s is a failure guard).
    deadline = time.monotonic() + 60
    served = stranger.open("GET", greeting["url"])
    while served.status == 404 and time.monotonic() < deadline:
        served = stranger.open("GET", greeting["url"])
    assert served.status == 200 and served.body[:4] == b"RIFF"
    assert "Last-Modified" not in served.headers  # would tell when they signed in

    spoken, voice = speakable(spoken_text(greeting["text"], (member.name,)), "zh_CN")
    for rate in (160, 0):  # the kiosk's rate, or none given
        guessed = hashlib.sha256(f"{voice}\n{rate}\n{spoken}".encode()).hexdigest()[:32]
        assert stranger.open("GET", f"/audio/{guessed}.wav").status == 404

    purged = subprocess.run(
        [sys.executable, "-m", "meeting_room.ops.cli", "purge", "--yes"],
        cwd=ROOT,
        env={**os.environ, "YISHI_INSTANCE": str(server.instance), "YISHI_TTS": "fake"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert purged.returncode == 0, purged.stderr
    assert "speech cache:" in purged.stdout
    assert wavs(server) == []
    assert stranger.open("GET", greeting["url"]).status == 404
