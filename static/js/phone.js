/* The attendee's page: follows its meeting over /phone (status, the floor, polls). While an item is
 * under discussion it shows who is speaking and lets the attendee ask for the floor: choose a
 * stance, confirm, then see their place on the list, with a way to withdraw. While a poll is open
 * it shows the ballot first (static/js/phone-ballot.js). Refusals are shown as the server words
 * them. */

import { everyTick, serverClock } from "./clock.js";
import { setText } from "./dom.js";
import { activeItem, personName, readSpeech, stanceBadge } from "./floor.js";
import { connect } from "./live.js";
import { followState } from "./meeting-state.js";
import { format, pageData } from "./page.js";
import { phoneBallot } from "./phone-ballot.js";

var data = pageData();
var texts = Object.assign({}, data.texts, data.floor_texts);
var words = data.words;
var card = document.querySelector('[data-testid="phone-floor"]');
var message = card.querySelector('[data-testid="floor-message"]');
var countdown = card.querySelector('[data-testid="countdown"]');
var turnAnnouncer = document.querySelector('[data-testid="floor-announce"]');
var clock = serverClock(data.server_now_ms);
var floor = data.floor;
var choice = { step: "ask", stance: null, kind: "speech" };
var busy = false;

function show(step) {
  var changed = card.dataset.step !== step;
  card.querySelectorAll(".floor-step").forEach(function (node) {
    node.hidden = node.dataset.step !== step;
    // A small screen: bring the new step's buttons into view.
    if (changed && !node.hidden && !card.hidden) node.scrollIntoView({ block: "nearest" });
  });
  card.dataset.step = step;
}

function tell(text, kind) {
  message.textContent = text || "";
  message.dataset.kind = kind || "error";
  message.hidden = !text;
}

function render(snapshot) {
  floor = snapshot;
  clock.sync(snapshot);
  var item = activeItem(snapshot);
  card.hidden = !item;
  if (!item) {
    choice.step = "ask";
    setText(turnAnnouncer, "");
    return;
  }
  setText(card.querySelector('[data-field="item-title"]'), item.title);
  var speaker = snapshot.speaker;
  var who = card.querySelector('[data-field="speaker"]');
  who.replaceChildren.apply(who, speaker
    ? [stanceBadge(words, speaker.stance, speaker.kind), " ", personName(words, speaker)]
    : [texts.nobody_speaking]);
  var place = 0;
  snapshot.queue.forEach(function (request, index) {
    if (!place && request.member_id === data.member_id) place = index + 1;
  });
  // A screen reader hears at once that it is their turn (once: the same words are not said again).
  var mine = speaker && speaker.member_id === data.member_id;
  setText(turnAnnouncer, mine ? format(data.your_turn_announce, { item: item.title }) : "");
  if (mine) {
    show("speaking");
  } else if (place) {
    setText(card.querySelector('[data-testid="queue-place"]'), format(texts.queue_place, { num: place }));
    show("waiting");
  } else {
    if (choice.step === "waiting" || choice.step === "speaking") choice.step = "ask";
    show(choice.step);
  }
  tick();
}

function tick() {
  var reading = readSpeech(floor, clock.now());
  var shown = floor && floor.speaker ? reading.text : "";
  setText(countdown, shown);
  countdown.dataset.state = reading.state;
  countdown.parentNode.dataset.state = reading.state;
}

var votes = phoneBallot(data, document.querySelector('[data-testid="ballot"]'));

var live = connect({
  namespace: "/phone",
  join: { token: data.token },
  version: data.version,
  versions: { floor: floor.version },
  snapshots: { floor: render },
  on: { poll: votes.poll, "ballot.counted": votes.counted },
  onJoin: function (answer) {
    clock.sync(answer.floor);
    votes.join(answer);
  },
  texts: texts,
});
votes.attach(live);
followState(live);

function send(event, payload) {
  if (busy) return;
  busy = true;
  card.setAttribute("aria-busy", "true");
  live.send(event, Object.assign({ token: data.token }, payload)).then(
    function (answer) {
      choice.step = "ask";
      if (event === "floor.withdraw") tell(texts.withdrawn, "ok");
      if (answer.floor) live.apply("floor", answer.floor);
    },
    function (error) {
      choice.step = "ask";
      tell(error.message || texts.failed);
      render(floor);
    }
  ).then(function () {
    busy = false;
    card.removeAttribute("aria-busy");
  });
}

card.addEventListener("click", function (event) {
  var button = event.target.closest("button");
  if (!button || busy) return;
  if (button.dataset.stance) {
    choice.stance = button.dataset.stance;
    choice.kind = button.dataset.kind || "speech";
    var label = choice.kind === "point_of_order" ? words.kinds.point_of_order : words.stances[choice.stance];
    setText(card.querySelector('[data-field="confirm"]'), format(texts.confirm, { stance: label }));
    choice.step = "confirm";
    show("confirm");
    return;
  }
  var action = button.dataset.action;
  if (action === "ask") {
    tell("");
    choice.step = "stance";
    show("stance");
  } else if (action === "cancel") {
    choice.step = "ask";
    show("ask");
  } else if (action === "back") {
    choice.step = "stance";
    show("stance");
  } else if (action === "confirm") {
    send("floor.request", { stance: choice.stance, kind: choice.kind });
  } else if (action === "withdraw") {
    send("floor.withdraw", {});
  }
});

render(floor);
everyTick(tick);
