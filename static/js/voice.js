/* Voice on the room's screens (kiosk, booth, projector, phone ballot).
 *
 * Everything heard is a WAV the server made: announcements arrive as URLs ("say" events, the
 * kiosk's sign-in answer, the projector's countdown cues), and read-aloud sends the screen's own
 * words to POST /audio/say, which answers the WAV's URL. A voter's screen (the booth, the phone)
 * has `private_say_url` instead: its words (the voter's name, choice and receipt) come back as
 * the WAV itself, made in memory on the box and never stored there; the page keeps it as a blob:
 * URL until the voter leaves (`resetVoter`). One thing plays at a time, in order, at
 * the screen's volume. A new screen interrupts the old screen's reading, never an announcement.
 * In elder mode (the kiosk's and booth's default; a toggle on the phone) each new screen is read
 * by itself. Every utterance is kept in `voice.log`: {key, text, url, state} in the order they were
 * asked for, so a test (or a technician, in the browser's console:
 * `(await import("/static/js/voice.js")).voice.log`) can see what was said.
 *
 * The page's settings come from <script type="application/json" id="voice-data">: {screen,
 * volume (0–100), rate, say_url, private_say_url, config_url, announcements: {key: on}, cues:
 * {key: {text, audio}}, elder, token (the phone's: read-aloud is for screens, staff and attendees
 * only)}. A reading longer than the server takes at once (MAX_CHARS) is sent in parts, cut after a
 * sentence or a clause. Only pages with that data import this module: it reads it, and sets elder
 * mode, at once.
 */

import { request } from "./http.js";
import { number, sentences, wordsOf } from "./voice-words.js";

var node = document.getElementById("voice-data");
var config = node ? JSON.parse(node.textContent) : {};
var english = /^en/.test(document.documentElement.lang);
var language = english ? "en" : "zh_CN";
var AUTO_DELAY_MS = 80;     // screens change in bursts (a screen, then its step): read the last
var STALL_MS = 30000;       // a WAV that never ends or fails still lets the next one play
var SAY_TIMEOUT_MS = 30000; // making a long screen's WAV may take a while on a busy box
var ELDER_KEY = "yishi.elder";
var MAX_CHARS = 200;        // POST /audio/say's longest text (voice.schemas.READ_ALOUD_CHARS)
var CUTS = /[。！？；，、.!?;,:：\s]/;

var log = [];
var queue = [];
var playing = null;
var urls = {};              // text → Promise of its URL (asked once per page, or per voter)
var privateUrls = [];       // blob: URLs of this voter's speech, revoked when they leave
var cues = {};              // key → prefetched Audio
var reader = null;          // () → the current screen's words (set by the page)
var autoTimer = 0;
var lastRead = "";          // the last reading, whole (the booth's 0 key says it again)
var voter = { volumeStep: 0, elder: null, pace: "normal" };
// The voter's own speech rate at a shared screen (the booth's 慢/中/快), around the screen's.
var PACES = { slow: 0.75, normal: 1, fast: 1.3 };

function elderDefault() {
  if (config.elder !== undefined) return Boolean(config.elder);
  try {
    return window.localStorage.getItem(ELDER_KEY) === "on";
  } catch (error) {
    return false;
  }
}

/** A text in parts of at most MAX_CHARS, each cut after a sign where there is one. */
function pieces(text) {
  var parts = [];
  while (text.length > MAX_CHARS) {
    var cut = MAX_CHARS;
    while (cut > MAX_CHARS / 2 && !CUTS.test(text.charAt(cut - 1))) cut -= 1;
    if (cut <= MAX_CHARS / 2) cut = MAX_CHARS;  // no sign near the end: cut anyway
    if (/[\ud800-\udbff]/.test(text.charAt(cut - 1))) cut -= 1;  // never inside 𠮷
    parts.push(text.slice(0, cut).trim());
    text = text.slice(cut).trim();
  }
  if (text) parts.push(text);
  return parts;
}

function volume(item) {
  var base = typeof item.volume === "number" ? item.volume : typeof config.volume === "number" ? config.volume : 100;
  return Math.max(0, Math.min(100, base + voter.volumeStep * 10)) / 100;
}

/** The rate this voter hears speech at: the screen's, slower or faster (espeak-ng's 80–450). */
function rateNow() {
  if (!config.rate) return null;
  return Math.max(80, Math.min(450, Math.round(config.rate * PACES[voter.pace])));
}

function ask(url, text, accept, rate) {
  return request(url, {
    method: "POST",
    body: {
      text: text, language: language, rate: rate, token: config.token || undefined,
    },
    timeout: SAY_TIMEOUT_MS,
    accept: accept,
  });
}

function urlOf(text) {
  var rate = rateNow();
  var key = rate + "|" + text;  // each rate is its own WAV (the server caches it by rate too)
  if (!urls[key]) {
    urls[key] = config.private_say_url
      ? ask(config.private_say_url, text, "audio/wav", rate).then(function (wav) {
        var url = URL.createObjectURL(wav);
        privateUrls.push(url);
        return url;
      })
      : ask(config.say_url, text, "application/json", rate).then(function (answer) { return answer.url; });
    urls[key].catch(function () { delete urls[key]; });  // a later try may work
  }
  return urls[key];
}

/** Forget the speech made for the voter who is leaving: nothing of it stays in the page. */
function forgetPrivate() {
  if (!privateUrls.length) return;
  privateUrls.forEach(function (url) { URL.revokeObjectURL(url); });
  privateUrls = [];
  urls = {};
  log.forEach(function (entry) {  // what was said to the voter goes too (entries stay)
    if (entry.url && entry.url.indexOf("blob:") === 0) {
      entry.text = "";
      entry.url = null;
    }
  });
}

function finish(item, state) {
  if (item.entry.state === "playing" || item.entry.state === "queued") item.entry.state = state;
  if (item.audio) {
    item.audio.onended = item.audio.onerror = null;
    if (state === "interrupted") item.audio.pause();
  }
  window.clearTimeout(item.stall);
  if (playing === item) {
    playing = null;
    pump();
  }
}

function pump() {
  if (playing || !queue.length) return;
  var item = queue.shift();
  playing = item;
  item.url.then(function (url) {
    if (playing !== item) return;
    item.entry.url = url;
    var audio = (item.audio = new Audio(url));
    audio.volume = volume(item);
    audio.onended = function () { finish(item, "done"); };
    audio.onerror = function () { finish(item, "failed"); };
    item.stall = window.setTimeout(function () { finish(item, "failed"); }, STALL_MS);
    item.entry.state = "playing";
    var started = audio.play();
    if (started && started.catch) {
      // No sound allowed yet (no tap on this page): the log still says what was due.
      started.catch(function () { finish(item, "blocked"); });
    }
  }, function () { finish(item, "failed"); });
}

/** Queue a WAV (a promise or a URL) with what it says; `key` "read" is a screen's reading. */
function enqueue(url, text, key, level) {
  var entry = { key: key, text: text, url: null, state: "queued", at: Date.now() };
  log.push(entry);
  var item = { entry: entry, url: Promise.resolve(url), volume: level };
  item.url.then(function (known) { entry.url = known; }, function () {});
  queue.push(item);
  pump();
  return entry;
}

/** Stop reading the screen (queued and playing); announcements are heard out. */
function hush() {
  window.clearTimeout(autoTimer);
  queue = queue.filter(function (item) {
    if (item.entry.key !== "read") return true;
    item.entry.state = "interrupted";
    return false;
  });
  if (playing && playing.entry.key === "read") finish(playing, "interrupted");
}

/** Read `parts` (a text or a list of sentences) now, instead of what the screen was saying;
 * a long text is read in parts, one after the other. The first part's log entry. */
function read(parts) {
  var text = Array.isArray(parts) ? sentences(parts) : sentences([parts]);
  hush();
  if (!text) return null;
  lastRead = text;
  return pieces(text).map(function (piece) { return enqueue(urlOf(piece), piece, "read"); })[0];
}

function current(auto) {
  var words = reader ? reader(auto) : [];
  return Array.isArray(words) ? words : [words];
}

export var voice = {
  log: log,
  config: config,
  language: language,
  sentences: sentences,
  number: number,
  wordsOf: wordsOf,
  read: read,
  hush: hush,
  /** Say `parts` after what is playing, without interrupting it (the booth's 遮屏: what the
   * voter was listening to goes on). The first part's log entry. */
  tell: function (parts) {
    var text = Array.isArray(parts) ? sentences(parts) : sentences([parts]);
    if (!text) return null;
    return pieces(text).map(function (piece) { return enqueue(urlOf(piece), piece, "note"); })[0];
  },
  /** Say the current screen (the 朗读 button). */
  readScreen: function () { return read(current(false)); },
  /** Say again what was read last (the booth's 0 key), else the screen. */
  repeat: function () {
    return lastRead ? read(lastRead) : voice.readScreen();
  },
  /** `fn(auto)` gives the current screen's words (a list of sentences). */
  setReader: function (fn) { reader = fn; },
  /** A new screen (or step) is shown: elder mode reads it, once the screen has settled. */
  shown: function () {
    hush();
    if (!voice.elder()) return;
    autoTimer = window.setTimeout(function () { read(current(true)); }, AUTO_DELAY_MS);
  },
  /** Play a WAV the server made (a greeting, an announcement). */
  play: function (url, text, key, level) { return enqueue(url, text, key || "announcement", level); },
  /** A "say" event: {key, text: {zh_CN, en}, audio: {zh_CN, en}, volume}. */
  announce: function (payload) {
    if (!payload || !payload.audio || !payload.audio[language]) return;
    voice.play(payload.audio[language], payload.text[language], payload.key, payload.volume);
  },
  /** The projector's own cue (the countdown's warning, time up), prefetched; `after` in ms. */
  cue: function (key, after) {
    var known = (config.cues || {})[key];
    if (!known) return;
    window.setTimeout(function () {
      voice.play(known.audio[language], known.text[language], key);
    }, after || 0);
  },
  /** New settings from the moderator (a "voice.settings" event or a fresh fetch). */
  apply: function (settings) {
    if (!settings || settings.screen !== config.screen) return;
    ["volume", "rate", "announcements", "cues", "say_url", "config_url"].forEach(function (name) {
      if (settings[name] !== undefined) config[name] = settings[name];
    });
    urls = {};
    prefetch();
  },
  elder: function () { return voter.elder === null ? elderDefault() : voter.elder; },
  setElder: function (on) {
    voter.elder = Boolean(on);
    if (config.elder === undefined) {  // a personal device remembers it
      try { window.localStorage.setItem(ELDER_KEY, on ? "on" : "off"); } catch (error) { /* private mode */ }
    }
    if (!on) hush();
    showElder();
  },
  /** The voter's own volume, in steps of 10 around the screen's. */
  louder: function () { voter.volumeStep = Math.min(voter.volumeStep + 1, 5); return loudness(); },
  softer: function () { voter.volumeStep = Math.max(voter.volumeStep - 1, -7); return loudness(); },
  volumeNow: function () { return Math.round(volume({}) * 100); },
  /** The voter's own speech rate: "slow", "normal" or "fast" (the booth's 慢/中/快). */
  setPace: function (pace) {
    if (PACES[pace]) voter.pace = pace;
    return voter.pace;
  },
  pace: function () { return voter.pace; },
  rate: rateNow,
  /** A shared screen's next person: nothing plays, the voter's changes are gone (and what was
   * read to them: the 0 key never repeats it), settings fresh. */
  resetVoter: function () {
    hush();
    forgetPrivate();
    lastRead = "";
    voter = { volumeStep: 0, elder: null, pace: "normal" };
    showElder();
    if (config.config_url) {
      request(config.config_url).then(voice.apply, function () {});
    }
  },
};

/** The voter's volume now, also for what is playing (a voter turns it up while listening). */
function loudness() {
  if (playing && playing.audio) playing.audio.volume = volume(playing);
  return voice.volumeNow();
}

function prefetch() {
  cues = {};
  Object.keys(config.cues || {}).forEach(function (key) {
    var audio = new Audio(config.cues[key].audio[language]);
    audio.preload = "auto";
    cues[key] = audio;
  });
}

/** Elder mode shows on the page (html.elder) and on its switch (the phone's 适老模式). */
function showElder() {
  var on = voice.elder();
  document.documentElement.classList.toggle("elder", on);
  document.querySelectorAll("[data-voice='elder']").forEach(function (button) {
    button.setAttribute("aria-pressed", String(on));
  });
}

// The 朗读 buttons and the elder-mode switch of the page, wherever they are.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-voice]");
  if (!button) return;
  if (button.dataset.voice === "read") voice.readScreen();
  if (button.dataset.voice === "elder") {
    voice.setElder(!voice.elder());
    if (voice.elder()) voice.readScreen();
  }
});

prefetch();
showElder();
