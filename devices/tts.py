"""Text-to-speech: WAV files spoken by libespeak-ng (through pyttsx3's binding), cached on disk.

The screens play the files through the room's speakers or headphones (the web layer serves
them from ``cache_dir``); the box can also play them itself (``speak``) when it has a sound card.
A file is named by a hash of (spoken text, voice, rate), so asking twice synthesises once.
Speech meant for one listener (``private_wav``: a voter hearing their choice and receipt) is
never cached: it is made in memory and handed back as bytes, and no file of it ever exists.
The cache folder and its files are readable by the box's account only.

Threading. libespeak-ng exists once per process and one synthesis holds the CPU for tens of
milliseconds, so every synthesis runs on one native OS thread behind a queue, never on the
gevent loop, where it would stall every request and broadcast. Under gevent's monkey-patching
``threading.Thread`` starts a greenlet, not a thread (so does ``get_original("threading",
"Thread")``), so that worker is started with the original ``_thread.start_new_thread`` and
blocks on the original C ``SimpleQueue``; it imports nothing and spawns no process (gevent's
child watchers work only on the main loop). Callers share no lock with it: ``prepare`` returns
the path at once and the file appears whole (renamed into place) when done; ``wav`` polls for
it with ``time.sleep``, which under gevent yields to the other greenlets. Playback on the box
waits on ``aplay``, not the CPU, so it runs on a plain ``threading.Thread``: a greenlet under
gevent, a thread without it.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import io
import logging
import os
import queue
import re
import shutil
import subprocess
import threading
import time
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from gevent.monkey import get_original

from devices.speech_text import speakable

logger = logging.getLogger(__name__)

DEFAULT_RATE = 160  # words a minute: a little under espeak's 175, for elderly listeners
RATES = range(80, 451)  # what espeak-ng accepts
CACHE_NAME = re.compile(r"[0-9a-f]{32}\.wav")  # the only names the cache directory serves
POLL_SECONDS = 0.005
PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600  # as meeting_room.store.files (devices imports none)


class Speaker(Protocol):
    """Something that turns text into speech."""

    @property
    def cache_dir(self) -> Path:
        """Where the WAV files are (named like ``CACHE_NAME``)."""
        ...

    def prepare(self, text: str, language: str = "zh", rate: int | None = None) -> Path:
        """The WAV file's path at once; the file appears when synthesis is done."""
        ...

    def wav(self, text: str, language: str = "zh", rate: int | None = None) -> Path:
        """The WAV file's path once it exists."""
        ...

    def speak(self, text: str, language: str = "zh", rate: int | None = None) -> None:
        """Say ``text`` on the box's own audio device, if it plays at all; returns at once."""
        ...

    def private_wav(self, text: str, language: str = "zh", rate: int | None = None) -> bytes:
        """``text`` as a WAV made in memory and written nowhere (for one listener's ears)."""
        ...


class SynthesisError(RuntimeError):
    """espeak-ng produced no speech for a text."""


def cache_name(spoken: str, voice: str, rate: int) -> str:
    """The file name of one synthesis: a hash of what is said, by which voice, how fast."""
    return hashlib.sha256(f"{voice}\n{rate}\n{spoken}".encode()).hexdigest()[:32] + ".wav"


@dataclass
class _Job:
    spoken: str
    voice: str
    rate: int
    path: Path
    done: bool = False
    error: Exception | None = None


class _NativeWorker:
    """One OS thread running the tasks put on its queue in order, started on first use."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._queue: Any = get_original("queue", "SimpleQueue")()
        self._start_lock: Any = get_original("_thread", "allocate_lock")()
        self._started = False

    def put(self, task: Callable[[], None]) -> None:
        """Queue ``task``; never blocks."""
        if not self._started:
            with self._start_lock:
                if not self._started:
                    get_original("_thread", "start_new_thread")(self._run, ())
                    self._started = True
        self._queue.put(task)

    def _run(self) -> None:
        while True:
            task = self._queue.get()
            try:
                task()
            except Exception:
                logger.exception("%s: a task failed", self.name)


_SYNTHESIS = _NativeWorker("speech synthesis")  # one per process, like libespeak-ng


class EspeakSpeaker:
    """Speaks with espeak-ng's voices, caching each WAV in ``cache_dir``."""

    def __init__(
        self,
        cache_dir: str | Path,
        default_rate: int = DEFAULT_RATE,
        *,
        playback: bool = False,
        player: Sequence[str] = ("aplay", "-q"),
        timeout: float = 30.0,
    ) -> None:
        self._cache_dir = Path(cache_dir)
        self.default_rate = _checked_rate(default_rate)
        self.playback = playback
        self.player = tuple(player)
        self.timeout = timeout
        try:  # here, not on the worker: an import there would take gevent's patched import lock
            from pyttsx3.drivers import _espeak
        except (OSError, RuntimeError) as error:
            raise SynthesisError("no libespeak-ng: install espeak-ng, or set TTS=fake") from error
        self._espeak = _espeak
        if self._cache_dir.is_dir():  # a cache made before it was owner-only becomes so
            self._cache_dir.chmod(self._cache_dir.stat().st_mode & PRIVATE_FOLDER)
        self._pending: dict[str, _Job] = {}
        self._playlist: queue.Queue[_Job] | None = None
        self._playback_warned = False

    @property
    def cache_dir(self) -> Path:
        """Where the WAV files are."""
        return self._cache_dir

    def prepare(self, text: str, language: str = "zh", rate: int | None = None) -> Path:
        """The WAV file's path at once; the file appears when synthesis is done."""
        return self._submit(text, language, rate).path

    def wav(self, text: str, language: str = "zh", rate: int | None = None) -> Path:
        """The WAV file's path once it exists (raises ``SynthesisError`` if it cannot)."""
        job = self._submit(text, language, rate)
        deadline = time.monotonic() + self.timeout
        while not job.done:
            if time.monotonic() > deadline:
                raise SynthesisError(f"no speech after {self.timeout} s for {text!r}")
            time.sleep(POLL_SECONDS)
        if job.error:
            raise SynthesisError(f"espeak-ng could not say {text!r}: {job.error}") from job.error
        return job.path

    def private_wav(self, text: str, language: str = "zh", rate: int | None = None) -> bytes:
        """``text`` as WAV bytes made in memory on the synthesis thread, never on disk and
        never cached (speech for one listener: what a voter chose, their receipt)."""
        spoken, voice = speakable(text, language)
        if not spoken:
            raise ValueError(f"nothing to say in {text!r}")
        rate = self.default_rate if rate is None else _checked_rate(rate)
        made: list[bytes | Exception] = []

        def synthesize() -> None:
            try:
                made.append(wav_bytes(_libespeak(self._espeak).synthesize(spoken, voice, rate)))
            except Exception as error:
                made.append(error)

        _SYNTHESIS.put(synthesize)
        deadline = time.monotonic() + self.timeout
        while not made:
            if time.monotonic() > deadline:
                raise SynthesisError(f"no speech after {self.timeout} s")
            time.sleep(POLL_SECONDS)
        if isinstance(made[0], Exception):
            raise SynthesisError(f"espeak-ng could not say it: {made[0]}") from made[0]
        return made[0]

    def speak(self, text: str, language: str = "zh", rate: int | None = None) -> None:
        """Play ``text`` on the box's audio device when ``playback`` is on; returns at once."""
        if not self.playback:
            return
        if shutil.which(self.player[0]) is None:
            self._warn_once(f"{self.player[0]} not found: the box does not play speech")
            return
        job = self._submit(text, language, rate)
        if self._playlist is None:
            self._playlist = queue.Queue()
            threading.Thread(target=self._play_all, name="speech playback", daemon=True).start()
        self._playlist.put(job)

    def _submit(self, text: str, language: str, rate: int | None) -> _Job:
        spoken, voice = speakable(text, language)
        if not spoken:
            raise ValueError(f"nothing to say in {text!r}")
        rate = self.default_rate if rate is None else _checked_rate(rate)
        name = cache_name(spoken, voice, rate)
        job = _Job(spoken, voice, rate, self._cache_dir / name)
        if job.path.exists():
            job.done = True
            return job
        queued = self._pending.setdefault(name, job)  # atomic: one synthesis per file
        if queued is job:
            _SYNTHESIS.put(lambda: self._synthesize(name, job))
        return queued

    def _synthesize(self, name: str, job: _Job) -> None:
        try:
            if not job.path.exists():
                sound = _libespeak(self._espeak).synthesize(job.spoken, job.voice, job.rate)
                _write_wav(sound, job.path)
        except Exception as error:
            job.error = error
            logger.exception("speech synthesis failed for %r", job.spoken)
        finally:
            job.done = True
            self._pending.pop(name, None)

    def _play_all(self) -> None:
        """Play each queued WAV in turn, once it is written: one loudspeaker, one voice."""
        assert self._playlist is not None
        while True:
            job = self._playlist.get()
            while not job.done:
                time.sleep(POLL_SECONDS)
            if job.error:
                continue
            done = subprocess.run([*self.player, str(job.path)], capture_output=True, check=False)
            if done.returncode:
                self._warn_once(f"{self.player[0]} failed: {done.stderr.decode(errors='replace')}")

    def _warn_once(self, message: str) -> None:
        if not self._playback_warned:
            logger.warning("%s", message)
            self._playback_warned = True


def _checked_rate(rate: int) -> int:
    if rate not in RATES:
        raise ValueError(f"speech rate {rate} is outside {RATES.start}–{RATES.stop - 1}")
    return rate


def wav_bytes(sound: tuple[bytes, int]) -> bytes:
    """16-bit mono samples at a sample rate as the bytes of a WAV file."""
    samples, sample_rate = sound
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(sample_rate)
        audio.writeframes(samples)
    return out.getvalue()


def _write_wav(sound: tuple[bytes, int], path: Path) -> None:
    """A WAV file in the cache, owner-only, renamed into place once complete."""
    path.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.stem}.{os.getpid()}.part")  # one writer per process
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with os.fdopen(descriptor, "wb") as out:
            out.write(wav_bytes(sound))
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


class _Libespeak:
    """libespeak-ng through pyttsx3's ctypes binding, in synchronous mode.

    Not pyttsx3's Engine: its 2.99 espeak driver starts libespeak asynchronously and its
    ``runAndWait`` ends the loop, cancelling the synthesis, about 10 ms after starting it, so a
    longer text came out cut short or as no file at all (and the audio of one text could land in
    the next one's file). In synchronous mode ``Synth`` returns when the whole text is spoken.
    """

    def __init__(self, espeak: Any) -> None:
        self._espeak = espeak
        self.sample_rate: int = espeak.Initialize(espeak.AUDIO_OUTPUT_SYNCHRONOUS, 500)
        if self.sample_rate < 0:
            raise SynthesisError("libespeak-ng could not start")
        self._chunks: list[bytes] = []
        espeak.SetSynthCallback(self._collect)

    def _collect(self, samples: Any, count: int, events: Any) -> int:
        if count > 0:
            self._chunks.append(ctypes.string_at(samples, count * 2))  # 16-bit mono
        return 0  # go on

    def synthesize(self, spoken: str, voice: str, rate: int) -> tuple[bytes, int]:
        """``spoken`` in ``voice`` at ``rate`` as 16-bit mono samples, and their sample rate."""
        espeak = self._espeak
        if espeak.SetVoiceByName(voice.encode()) != espeak.EE_OK:
            raise SynthesisError(f"espeak-ng has no voice {voice!r}: install espeak-ng 1.51+")
        espeak.SetParameter(espeak.RATE, rate, 0)
        self._chunks = []
        flags = espeak.CHARS_UTF8 | espeak.ENDPAUSE
        if espeak.Synth(spoken.encode(), flags=flags) != espeak.EE_OK or not self._chunks:
            raise SynthesisError(f"espeak-ng made no sound for {spoken!r}")
        return b"".join(self._chunks), self.sample_rate


@functools.cache
def _libespeak(espeak: Any) -> _Libespeak:
    """The process's libespeak-ng, started, like every use of it, on the synthesis thread."""
    return _Libespeak(espeak)
