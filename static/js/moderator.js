/* The moderator console: renders each newer floor snapshot (agenda, speaker and countdown, list
 * of speakers), sends the /moderator events and shows refusals in words; keyboard shortcuts;
 * attendance from a read-only /projector connection. The raised-hand form is in moderator-hand.js,
 * the voting view in moderator-voting.js, the voice settings in moderator-voice.js: they share
 * this module's connection, its `send` and its message line.
 */

import { everyTick, serverClock } from "./clock.js";
import { el, setText } from "./dom.js";
import {
  activeItem, itemUsedSeconds, personName, readSpeech, showSpeechClock, speakerLine, stanceBadge,
} from "./floor.js";
import { connect } from "./live.js";
import { asking, confirmStep, offerUndo } from "./moderator-undo.js";
import { format, pageData } from "./page.js";
import { showQuorum } from "./quorum.js";
import { viewSwitch } from "./views.js";

var data = pageData();
var texts = data.texts;
var words = data.words;
var clock = serverClock(data.server_now_ms);
var floor = data.floor;
var messageNode = document.getElementById("console-message");
var countdown = document.querySelector('[data-testid="countdown"]');
var panel = document.querySelector(".countdown-panel");
var agenda = document.querySelector('[data-testid="agenda"]');
var queue = document.querySelector('[data-testid="queue"]');
var messageTimer = null;
var floorWatchers = [];  // other parts of the console that follow the agenda

viewSwitch(document.getElementById("moderator"), document.querySelector(".view-switch"));

/** A line under the header: refusals stay until the next action, confirmations fade. */
export function say(text, kind) {
  window.clearTimeout(messageTimer);
  messageNode.textContent = text;
  messageNode.dataset.kind = kind || "ok";
  messageNode.hidden = !text;
  if (text && kind !== "error") {
    messageTimer = window.setTimeout(function () { messageNode.hidden = true; }, 6000);
  }
}

export var live = connect({
  namespace: "/moderator",
  join: { meeting_id: data.meeting_id },
  versions: { floor: floor.version },
  snapshots: { floor: render },
  onJoin: function (answer) { clock.sync(answer.floor); },
  texts: texts,
});

/** Send a /moderator event; the ack's snapshot is applied at once (the broadcast follows). */
export function send(event, payload) {
  payload = Object.assign({ meeting_id: data.meeting_id }, payload || {});
  return live.send(event, payload).then(
    function (answer) {
      if (answer.floor) live.apply("floor", answer.floor);
      return answer;
    },
    function (error) {
      say(error.message || texts.failed, "error");
      throw error;
    }
  );
}
function act(event, payload) {
  send(event, payload).then(function () { say(""); }, function () {});
}

// --- rendering ------------------------------------------------------------------------------

function agendaRow(item, index, items) {
  var active = item.status === "active";
  var actions = [
    el("button", {
      type: "button", className: active ? "secondary" : "",
      dataset: { action: active ? "finish" : "start" },
      attrs: { "aria-label": (active ? texts.finish : texts.start) + " " + item.title },
    }, [active ? texts.finish : texts.start]),
    el("button", {
      type: "button", className: "secondary icon", dataset: { action: "up" }, disabled: index === 0,
      attrs: { "aria-label": format(texts.move_up, { title: item.title }) },
    }, ["↑"]),
    el("button", {
      type: "button", className: "secondary icon", dataset: { action: "down" },
      disabled: index === items.length - 1,
      attrs: { "aria-label": format(texts.move_down, { title: item.title }) },
    }, ["↓"]),
  ];
  return el("li", { className: "agenda-item", dataset: { itemId: item.id, status: item.status } }, [
    el("span", { className: "agenda-title" }, [item.title]),
    el("span", { className: "agenda-meta" }, [
      el("span", { className: "status-badge", dataset: { status: item.status } }, [words.item_statuses[item.status]]),
      " ",
      el("span", { dataset: { field: "time" } }, [itemTime(item)]),
    ]),
    el("span", { className: "agenda-actions" }, actions),
  ]);
}

function itemTime(item) {
  if (!item.started_at) return format(texts.item_planned, { planned: item.planned_minutes });
  var used = itemUsedSeconds(item, clock.now());
  return format(texts.item_used, { used: Math.floor(used / 60), planned: item.planned_minutes });
}

function queueRow(request, index) {
  var warnings = [];
  if (request.speeches_so_far > 0) {
    warnings.push(el("span", { className: "rule-warning" }, [format(words.spoken_times, { num: request.speeches_so_far })]));
  }
  return el("li", {
    className: "queue-item", dataset: { requestId: request.request_id, kind: request.kind },
  }, [
    el("span", { className: "queue-place" }, [String(index + 1)]),
    el("span", { className: "queue-who" }, [
      stanceBadge(words, request.stance, request.kind), " ",
      el("span", { className: "queue-name" }, [personName(words, request)]),
    ].concat(warnings)),
    el("span", { className: "queue-actions" }, [
      // The name a reader hears starts with the words on the button (WCAG 2.5.3), then who.
      el("button", {
        type: "button", className: index === 0 ? "" : "secondary", dataset: { action: "give" },
        attrs: { "aria-label": (index === 0 ? texts.give_floor : texts.out_of_turn) + " " + request.name },
      }, [index === 0 ? texts.give_floor : texts.out_of_turn]),
      el("button", {
        type: "button", className: "secondary", dataset: { action: "withdraw" },
        attrs: { "aria-label": format(texts.withdraw_for, { name: request.name }) },
      }, [texts.withdraw]),
    ]),
  ]);
}

function render(snapshot) {
  floor = snapshot;
  floorWatchers.forEach(function (watcher) { watcher(snapshot); });
  clock.sync(snapshot);
  var active = activeItem(snapshot);
  agenda.replaceChildren.apply(agenda, snapshot.agenda.map(agendaRow));
  setText(document.querySelector('[data-testid="console-item"]'),
    active ? format(texts.current_item, { title: active.title }) : texts.no_item);
  var line = document.querySelector('[data-testid="current-speaker"]');
  var speaker = snapshot.speaker;
  line.replaceChildren(...speakerLine(words, speaker));
  queue.replaceChildren.apply(queue, snapshot.queue.length
    ? snapshot.queue.map(queueRow)
    : [el("li", { className: "queue-empty" }, [texts.nobody_waiting])]);
  setText(document.querySelector('[data-field="queue-count"]'),
    snapshot.queue.length ? format(texts.queue_count, { num: snapshot.queue.length }) : "");
  var button = function (command) { return document.querySelector('[data-command="' + command + '"]'); };
  button("next").disabled = !active || !snapshot.queue.length;
  ["toggle", "add", "stop"].forEach(function (command) { button(command).disabled = !speaker; });
  setText(document.querySelector('[data-field="toggle"]'),
    speaker && speaker.clock.phase === "paused" ? texts.resume : texts.pause);
  tick();
}

function tick() {
  showSpeechClock(countdown, panel, readSpeech(floor, clock.now()), words);
  floor.agenda.forEach(function (item) {
    var row = agenda.querySelector('[data-item-id="' + item.id + '"] [data-field="time"]');
    setText(row, itemTime(item));
  });
}

// --- actions --------------------------------------------------------------------------------

/**
 * A step that ends the speech under way (the next speaker, "End speech"): a click asks first
 * while the speaker still has time (a finger slips; a key is deliberate), and either way the
 * console offers to undo it for a few seconds, the speech coming back with its time.
 */
function cutOff(event, payload, byClick) {
  var speaker = floor.speaker;
  if (!speaker) {
    act(event, payload);
    return;
  }
  var name = personName(words, speaker);
  function go() {
    send(event, payload).then(function () {
      say("");
      offerUndo(format(texts.ended, { name: name }), texts.undo_count, function () {
        send("speech.undo", { speech_id: speaker.speech_id }).then(function () {
          say(format(texts.undone, { name: name }));
        }, function () {});
      });
    }, function () {});
  }
  var reading = readSpeech(floor, clock.now());
  if (byClick && reading.ms > 0) {
    confirmStep(format(texts.confirm_end, { name: name, left: reading.text }), texts.confirm_end_yes, go);
  } else {
    go();
  }
}

/** Open an item; without the quorum, or for a finished one, the server asks first (in words). */
function startItem(itemId) {
  send("agenda.start", { item_id: itemId }).then(function () { say(""); }, function (error) {
    if (error.code !== "confirm_no_quorum" && error.code !== "confirm_restart") return;
    say("");
    confirmStep(error.message, texts.confirm_start, function () {
      act("agenda.start", { item_id: itemId, confirm: true });
    });
  });
}

var commands = {
  next: function (byClick) { cutOff("speaker.next", {}, byClick); },
  toggle: function () { act("timer", { action: "toggle" }); },
  add: function () { act("timer", { action: "add", seconds: 30 }); },
  stop: function (byClick) { cutOff("timer", { action: "stop" }, byClick); },
  // Space: pause or resume the speech under way, or give the floor to the next speaker.
  space: function () { (floor.speaker ? commands.toggle : commands.next)(); },
};

document.querySelector(".clock-buttons").addEventListener("click", function (event) {
  var target = event.target.closest("[data-command]");
  if (target) commands[target.dataset.command](true);
});

agenda.addEventListener("click", function (event) {
  var target = event.target.closest("button[data-action]");
  if (!target) return;
  var itemId = Number(target.closest("[data-item-id]").dataset.itemId);
  var action = target.dataset.action;
  if (action === "start") {
    startItem(itemId);
    return;
  }
  if (action === "finish") {
    act("agenda.finish", { item_id: itemId });
    return;
  }
  var ids = floor.agenda.map(function (item) { return item.id; });
  var from = ids.indexOf(itemId);
  var to = action === "up" ? from - 1 : from + 1;
  if (to < 0 || to >= ids.length) return;
  ids.splice(to, 0, ids.splice(from, 1)[0]);
  send("agenda.reorder", { item_ids: ids }).then(function () {
    var moved = agenda.querySelector('[data-item-id="' + itemId + '"] [data-action="' + action + '"]');
    if (moved && !moved.disabled) moved.focus();  // keep the keyboard where it was
  }, function () {});
});

queue.addEventListener("click", function (event) {
  var target = event.target.closest("button[data-action]");
  if (!target) return;
  var requestId = Number(target.closest("[data-request-id]").dataset.requestId);
  if (target.dataset.action === "give") cutOff("speaker.next", { request_id: requestId }, true);
  else act("speaker.withdraw", { request_id: requestId });
});

document.getElementById("add-item").addEventListener("submit", function (event) {
  event.preventDefault();
  var form = event.target;
  var title = form.elements.title.value.trim();
  send("agenda.add", {
    title: title,
    planned_minutes: Number(form.elements.planned_minutes.value),
    kind: form.elements.kind.value,
  }).then(function () {
    form.elements.title.value = "";
    say(format(texts.item_added, { title: title }));
  }, function () {});
});

document.addEventListener("keydown", function (event) {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing || asking()) return;
  var typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
  if (typing) {
    if (event.key === "Escape") typing.blur();  // leave the field: the shortcuts work again
    return;
  }
  // The floor's keys act only on what is on screen: not while the voting view is shown.
  if (document.getElementById("moderator").dataset.view !== "floor") return;
  var key = event.key;
  var command = key === " " ? "space"
    : key === "n" || key === "N" ? "next"
    : key === "e" || key === "E" ? "stop"
    : key === "+" || key === "=" ? "add"
    : null;
  if (!command) return;
  event.preventDefault();  // also keeps Space from pressing the focused button
  if (!event.repeat) commands[command]();
});

// --- attendance, read-only from the projector's namespace ---------------------------------------

var summary = document.querySelector('[data-testid="console-attendance"]');
/** The read-only /projector connection (attendance; moderator-life.js follows the state on it). */
export var attendanceLive = connect({
  namespace: "/projector",
  join: { meeting_id: data.meeting_id },
  versions: { attendance: data.snapshot.version },
  snapshots: {
    attendance: function (snapshot) { showQuorum(summary, snapshot, texts); },
  },
  texts: texts,
});

/** The floor snapshot on screen. */
export function currentFloor() { return floor; }

/** Call `watcher(snapshot)` with the current floor and with each newer one. */
export function watchFloor(watcher) {
  floorWatchers.push(watcher);
  watcher(floor);
}

render(floor);
everyTick(tick);
