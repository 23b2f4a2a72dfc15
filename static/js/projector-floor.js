/* The projector's floor layout: the item and its time, the speaker with a countdown the wall
 * computes itself, the next three speakers; when an item finishes, its speaking statistics until
 * the next one starts; a chime at the warning and at zero. Used by static/js/projector.js.
 */

import { everyTick, formatDuration, parseTime, serverClock } from "./clock.js";
import { el, setText } from "./dom.js";
import {
  activeItem, itemUsedSeconds, personName, readSpeech, showSpeechClock, speakerLine, stanceBadge,
  statBars,
} from "./floor.js";
import { request } from "./http.js";
import { format } from "./page.js";
import { voice } from "./voice.js";

var CUE_AFTER_CHIME_MS = 900;

/**
 * Two-tone chimes from the Web Audio API (no files). A projector started as docs/projector.md
 * says (Chromium with --autoplay-policy=no-user-gesture-required) sounds at once; a browser
 * that blocks sound until a tap gets `prompt`, a large "click here to turn the sound on" over
 * the wall, until someone taps it. The wall's data-sound says which ("on", "blocked").
 */
function chimes(prompt, wall) {
  var Context = window.AudioContext || window.webkitAudioContext;
  var audio = Context ? new Context() : null;
  function showState() {
    var blocked = Boolean(audio) && audio.state !== "running";
    prompt.hidden = !blocked;
    wall.dataset.sound = audio ? (blocked ? "blocked" : "on") : "none";
  }
  if (audio) {
    audio.addEventListener("statechange", showState);
    audio.resume().then(showState, showState);  // allowed without a tap: the prompt never shows
  }
  showState();
  function tone(frequency, start, length) {
    var oscillator = audio.createOscillator();
    var gain = audio.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.6, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
    oscillator.connect(gain);
    gain.connect(audio.destination);
    oscillator.start(start);
    oscillator.stop(start + length + 0.05);
  }
  function play(kind) {
    // Recorded on the wall, so a test (or a curious technician) can see a chime was due.
    wall.dataset.chime = kind;
    wall.dataset.chimes = String(Number(wall.dataset.chimes || 0) + 1);
    if (!audio || audio.state !== "running") return;
    var start = audio.currentTime + 0.02;
    var notes = kind === "overrun"
      ? [[523.25, 0], [392, 0.4], [523.25, 0.8], [392, 1.2]]   // C5 G4 C5 G4: time is up
      : [[880, 0], [659.25, 0.4]];                            // A5 E5: the last seconds
    notes.forEach(function (note) { tone(note[0], start + note[1], 0.9); });
  }
  prompt.addEventListener("click", function () {
    if (!audio) return;
    audio.resume().then(function () {
      showState();
      play("warning");  // so whoever tapped hears that it works
    }, showState);
  });
  return play;
}

/**
 * The floor part of the wall. `data` is the page data; `onLayout` runs after each snapshot (the
 * floor's layout may have changed). Returns {render(snapshot), sync(snapshot), mode()}.
 */
export function projectorFloor(wall, data, onLayout) {
  var words = data.words;
  var texts = data.texts;
  var clock = serverClock(data.server_now_ms);
  var floor = data.floor;
  var play = chimes(wall.querySelector('[data-testid="chime-unlock"]'), wall);
  var countdown = wall.querySelector('[data-testid="countdown"]');
  var panel = wall.querySelector(".countdown-panel");
  var warned = panel.querySelector('[data-testid="countdown-warning"]');
  var timeUp = panel.querySelector('[data-testid="countdown-time-up"]');
  var itemTime = wall.querySelector('[data-field="item-time"]');
  var stats = wall.querySelector('[data-testid="item-stats"]');
  var last = { speech: null, state: null };
  var statsFor = null;

  function finishedItem(snapshot) {
    var done = snapshot.agenda.filter(function (item) { return item.status === "done"; });
    done.sort(function (a, b) { return parseTime(a.finished_at) - parseTime(b.finished_at); });
    return done.length ? done[done.length - 1] : null;
  }

  function renderSpeaker(speaker) {
    var line = wall.querySelector('[data-testid="current-speaker"]');
    line.dataset.stance = speaker ? speaker.stance : "";
    line.replaceChildren(...speakerLine(words, speaker));
  }

  function renderQueue(queue) {
    var list = wall.querySelector('[data-testid="next-speakers"]');
    list.replaceChildren.apply(list, queue.slice(0, 3).map(function (request) {
      return el("li", { className: "next-one", dataset: { requestId: request.request_id } }, [
        stanceBadge(words, request.stance, request.kind), " ",
        el("span", { className: "next-name" }, [personName(words, request)]),
      ]);
    }));
    var more = "";
    if (!queue.length) more = texts.nobody_waiting;
    else if (queue.length > 3) more = format(texts.more_waiting, { num: queue.length - 3 });
    setText(wall.querySelector('[data-field="next-more"]'), more);
  }

  function renderStats(item, answer) {
    var groupRows = answer.by_group.map(function (share) {
      return {
        label: words.groups[share.key] || share.key, share: Number(share.percent) / 100,
        text: share.percent + "% · " + formatDuration(share.seconds),
      };
    });
    var stanceRows = answer.by_stance.map(function (share) {
      return {
        label: words.stances[share.key] || share.key, share: Number(share.percent) / 100,
        text: share.percent + "% · " + formatDuration(share.seconds),
        data: { stance: share.key },
      };
    });
    var longest = Math.max.apply(null, [1].concat(answer.people.map(function (p) { return p.seconds; })));
    var speeches = 0;
    var speakers = answer.people.filter(function (person) { return person.speeches > 0; });
    var people = speakers.slice(0, 7).map(function (person) {
      return {
        label: personName(words, person), share: person.seconds / longest,
        text: format(texts.person_line, {
          num: person.speeches, time: formatDuration(person.seconds),
        }),
      };
    });
    answer.people.forEach(function (person) { speeches += person.speeches; });
    var heads = [texts.figure_who, texts.figure_time];
    statBars(stats.querySelector('[data-field="by-group"]'), groupRows, heads);
    statBars(stats.querySelector('[data-field="by-stance"]'), stanceRows, heads);
    statBars(stats.querySelector('[data-field="people"]'), people, heads);
    setText(stats.querySelector('[data-field="total"]'), speeches
      ? format(texts.speeches_total, { num: speeches, time: formatDuration(answer.total_seconds) })
      : texts.no_speeches);
    stats.dataset.itemId = String(item.id);
    stats.dataset.loaded = "true";
  }

  function loadStats(item) {
    if (statsFor === item.id) return;
    statsFor = item.id;
    stats.dataset.loaded = "false";
    var url = "/api/v1/meetings/" + data.meeting_id + "/statistics?item_id=" + item.id;
    request(url).then(
      function (answer) { if (statsFor === item.id) renderStats(item, answer); },
      function () { statsFor = null; }  // try again with the next snapshot
    );
  }

  function shownItem() {
    return activeItem(floor) || finishedItem(floor);
  }

  function tick() {
    var now = clock.now();
    var reading = readSpeech(floor, now);
    if (showSpeechClock(countdown, panel, reading, words)) {
      setText(warned, reading.state === "warning" ? words.clock_notes.warning : "");
      setText(timeUp, reading.state === "overrun" ? words.clock_notes.overrun : "");
    }
    var speech = floor.speaker ? floor.speaker.speech_id : null;
    if (speech !== null && speech === last.speech && reading.state !== last.state) {
      // The chime, then the voice (its WAV fetched with the page): "还剩三十秒", "时间到".
      if (reading.state === "warning" && last.state === "running") {
        play("warning");
        voice.cue("warning", CUE_AFTER_CHIME_MS);
      }
      if (reading.state === "overrun" && (last.state === "running" || last.state === "warning")) {
        play("overrun");
        voice.cue("time_up", CUE_AFTER_CHIME_MS);
      }
    }
    last = { speech: speech, state: reading.state };
    var item = shownItem();
    setText(itemTime, item ? format(words.item_time, {
      used: formatDuration(itemUsedSeconds(item, now)), planned: item.planned_minutes,
    }) : "");
  }

  /* Once every item is finished: the audit log's anchor at the meeting's end, for a photo. */
  function renderEnded(anchor) {
    var line = stats.querySelector('[data-testid="meeting-anchor"]');
    line.hidden = !anchor;
    line.dataset.anchor = anchor ? anchor.hash : "";
    setText(line.querySelector('[data-field="ended"]'), anchor
      ? format(texts.meeting_ended, { seq: anchor.seq }) : "");
    setText(line.querySelector('[data-field="anchor"]'), anchor ? anchor.short : "");
  }

  function modeOf(snapshot) {
    return activeItem(snapshot) ? "floor" : finishedItem(snapshot) ? "stats" : "attendance";
  }

  function render(snapshot) {
    floor = snapshot;
    clock.sync(snapshot);
    var active = activeItem(snapshot);
    var finished = active ? null : finishedItem(snapshot);
    var item = active || finished;
    var heading = wall.querySelector('[data-testid="current-item"]');
    heading.dataset.itemId = item ? String(item.id) : "";
    setText(heading.querySelector('[data-field="item-title"]'), active ? active.title
      : finished ? format(texts.finished_item, { title: finished.title }) : "");
    renderSpeaker(snapshot.speaker);
    renderQueue(snapshot.queue);
    if (finished) loadStats(finished);
    else statsFor = null;
    renderEnded(snapshot.ended);
    tick();
    floorMode = modeOf(snapshot);
    if (onLayout) onLayout();
  }

  var floorMode = modeOf(floor);
  renderEnded(floor.ended);
  if (finishedItem(floor) && !activeItem(floor)) loadStats(finishedItem(floor));
  everyTick(tick);
  /* The wall's layout is chosen in projector.js (a poll goes first); `mode()` is the floor's. */
  return { render: render, sync: clock.sync, mode: function () { return floorMode; } };
}
