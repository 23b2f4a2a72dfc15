// The floor on every screen: each page counts a speech down by itself from the deadline in the
// floor snapshot and its offset to the server's clock (meeting_room/domain/timer.py). The server
// never ticks; a page re-reads its own clock a few times a second.

import { formatClock, parseTime } from "./clock.js";
import { figuresTable } from "./figures.js";
import { el, setText } from "./dom.js";
import { format } from "./page.js";

/**
 * The speech under way at `nowMs` (the server's clock, serverClock in clock.js): {state, ms,
 * text}. States: idle, running, paused, warning, overrun, stopped.
 */
export function readSpeech(snapshot, nowMs) {
  var speaker = snapshot && snapshot.speaker;
  if (!speaker) {
    var limit = snapshot ? snapshot.speech_limit_s * 1000 : 0;
    return { state: "idle", ms: limit, text: formatClock(limit) };
  }
  var clock = speaker.clock;
  var ms = clock.phase === "running"
    ? parseTime(clock.deadline) - nowMs
    : clock.paused_remaining_ms || 0;
  var state = clock.phase;
  if (state === "running" || state === "paused") {
    if (ms <= 0) state = "overrun";
    else if (state === "running" && ms <= snapshot.warning_s * 1000) state = "warning";
  }
  return { state: state, ms: ms, text: formatClock(ms) };
}

/** Show a speech's clock (readSpeech's reading) in `countdown` and its `panel`: the state as
 *  their data-state, the panel's note in words. True when the state changed. */
export function showSpeechClock(countdown, panel, reading, words) {
  setText(countdown, reading.text);
  if (countdown.dataset.state === reading.state) return false;
  countdown.dataset.state = reading.state;
  panel.dataset.state = reading.state;
  setText(panel.querySelector('[data-field="note"]'), words.clock_notes[reading.state] || "");
  return true;
}

/** Time an agenda item has been (or was) under discussion, in seconds. */
export function itemUsedSeconds(item, nowMs) {
  if (!item || !item.started_at) return 0;
  var end = item.finished_at ? parseTime(item.finished_at) : nowMs;
  return Math.max(0, (end - parseTime(item.started_at)) / 1000);
}

/** The item under discussion in a snapshot, or null. */
export function activeItem(snapshot) {
  if (!snapshot || snapshot.active_item_id === null) return null;
  return snapshot.agenda.filter(function (item) { return item.id === snapshot.active_item_id; })[0] || null;
}

/** Who has the floor, as the console and the wall say it: the stance, the name and the group
 *  (or that nobody speaks); nodes for replaceChildren. */
export function speakerLine(words, speaker) {
  if (!speaker) return [el("span", { className: "speaker-none" }, [words.no_speaker])];
  return [
    stanceBadge(words, speaker.stance, speaker.kind), " ",
    el("span", { className: "speaker-name" }, [personName(words, speaker)]), " ",
    el("span", { className: "speaker-group" }, [words.groups[speaker.group] || speaker.group]),
  ];
}

/** A stance (or point-of-order) badge in the page's words. */
export function stanceBadge(texts, stance, kind) {
  var orderPoint = kind === "point_of_order";
  return el("span", {
    className: "stance-badge",
    dataset: { stance: orderPoint ? "point_of_order" : stance },
  }, [orderPoint ? texts.kinds.point_of_order : texts.stances[stance] || stance]);
}

/** A speaker, a request or a line of the statistics by name: a proxy by their own name, for
 *  whom ("曹小明（代曹凤）"); `words` has the page's proxy_for. */
export function personName(words, person) {
  if (!person.proxy_name) return person.name;
  return format(words.proxy_for, { proxy: person.proxy_name, member: person.name });
}

/** Fill `container` with CSS bars (no chart library): each row {label, share 0–1, text, data}. */
export function statBars(container, rows, heads) {
  container.replaceChildren.apply(container, rows.map(function (row) {
    var fill = el("span", { className: "bar-fill" });
    fill.style.width = Math.max(0, Math.min(100, row.share * 100)).toFixed(1) + "%";
    return el("div", { className: "bar", dataset: row.data || {} }, [
      el("span", { className: "bar-label" }, [row.label]),
      el("span", { className: "bar-track" }, [fill]),
      el("span", { className: "bar-value" }, [row.text]),
    ]);
  }));
  // With column headings, the same figures as a table for screen readers (figures.js).
  if (heads) figuresTable(container, rows.map((row) => ({ label: row.label, value: row.text })), heads);
}
