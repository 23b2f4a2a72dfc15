"""What the booth and the phone say to one voter (their name, "您的选择：反对", their receipt)
is never written to the box's disk (issue 15): it is made in memory and sent once, with no
cache anywhere. The booth's whole audio ballot, in Chromium, is
``tests/browser/test_audio_ballot.py`` (nothing new on disk after the voter's session, nothing
of the voter left in the page)."""

from __future__ import annotations

import io
import wave
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from devices.tts import EspeakSpeaker
from meeting_room.attendance import members
from meeting_room.domain.words import MemberGroup, SignInChannel
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.roster import Member
from tests.conftest import Clock, paired, unit

CONFIRMED = "投票成功。您的选择：反对。回执码 K 7 Q M 2 X P A。重听请按0，结束请按5。"


def files_in(folder: Path) -> set[str]:
    """Every file under ``folder`` but the database's own (which the app writes anyway)."""
    return {str(p) for p in folder.rglob("*") if p.is_file() and "yishi.db" not in p.name}


def seconds_of(wav: bytes) -> float:
    with wave.open(io.BytesIO(wav)) as audio:
        return float(audio.getnframes() / audio.getframerate())


def test_the_booth_s_words_for_its_voter_are_sent_as_speech_and_never_stored(
    app: Flask, tmp_path: Path
) -> None:
    booth = paired(app, "booth")
    before = files_in(tmp_path)

    spoken = booth.post("/booth/api/speech", json={"text": CONFIRMED, "language": "zh_CN"})

    assert spoken.status_code == 200
    assert spoken.mimetype == "audio/wav" and spoken.data[:4] == b"RIFF"
    assert spoken.headers["Cache-Control"] == "no-store"
    assert app.extensions["yishi.devices"].speaker.said[-1] == (CONFIRMED, "zh_CN")
    assert files_in(tmp_path) == before, "no file made, in the speech cache or anywhere else"


def test_the_phone_s_words_are_spoken_for_its_attendee_alone(
    app: Flask, meeting: Meeting, clock: Clock, stranger: FlaskClient, tmp_path: Path
) -> None:
    with unit(app) as s:
        here = s.get(Meeting, meeting.id)
        assert here is not None
        owner = s.scalars(select(Member.id).where(Member.group == MemberGroup.OWNER)).first()
        assert owner is not None
        token = members.sign_in(s, here, owner, SignInChannel.CLERK, clock.now).token
    before = files_in(tmp_path)

    mine = stranger.post(f"/v/{token}/speech", json={"text": CONFIRMED})
    guessed = stranger.post(f"/v/{token[:-2]}xx/speech", json={"text": CONFIRMED})
    booth_s = stranger.post("/booth/api/speech", json={"text": CONFIRMED})

    assert mine.status_code == 200 and mine.data[:4] == b"RIFF"
    assert mine.headers["Cache-Control"] == "no-store"
    assert guessed.status_code == 404
    assert booth_s.status_code in (302, 401, 403), "the booth's speech is the booth's"
    assert files_in(tmp_path) == before


def test_espeak_speaks_a_voter_s_choice_in_memory_and_writes_no_file(tmp_path: Path) -> None:
    cache = tmp_path / "tts"
    speaker = EspeakSpeaker(cache)

    wav = speaker.private_wav(CONFIRMED, "zh")

    # Real speech of its length (espeak-ng reads about four syllables a second), and no file:
    # not in the cache, not beside it, not half-written.
    assert seconds_of(wav) > 0.12 * len(CONFIRMED)
    assert list(tmp_path.rglob("*")) == []


def test_a_voter_s_own_speech_speed_is_the_rate_espeak_speaks_at(tmp_path: Path) -> None:
    """The booth's 慢/中/快 (issue 19) is a rate per request: 0.75× and 1.3× the booth's 160."""
    speaker = EspeakSpeaker(tmp_path / "tts")

    slow, medium, fast = (
        seconds_of(speaker.private_wav(CONFIRMED, "zh", rate)) for rate in (120, 160, 208)
    )

    assert slow > medium > fast
    assert slow > 1.3 * fast, (slow, fast)
    assert not (tmp_path / "tts").exists() or not any((tmp_path / "tts").iterdir())
