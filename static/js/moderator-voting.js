/* The moderator console's voting view: open, close (after a confirmation) and publish a poll
 * drafted in moderator-poll-form.js, over /moderator; the live count from the throttled
 * poll.count; the poll's countdown from its deadline; after closing, the result with its
 * explanation and the ballot list's final hash. Polls come from the JSON API on every (re)join
 * and from "poll" broadcasts after.
 */

import { everyTick, serverClock } from "./clock.js";
import { el, field, setText } from "./dom.js";
import { request } from "./http.js";
import { pollForm } from "./moderator-poll-form.js";
import { currentFloor, live, say, send, watchFloor } from "./moderator.js";
import { format, pageData } from "./page.js";
import { optionLabel, pollBook, pollExplanation, pollLeft, pollTimeText, pollVerdict } from "./poll.js";

var data = pageData();
var words = data.poll_words;
var texts = data.voting;
var COMMANDS = {
  open: ["poll.open", "opened"],
  "confirm-close": ["poll.close", "closed"],
  publish: ["poll.publish", "published"],
};
var current = document.querySelector('[data-testid="poll-current"]');
var list = document.querySelector('[data-testid="poll-list"]');
var countdown = current.querySelector('[data-testid="poll-countdown"]');
var book = pollBook();
var clock = serverClock();
var state = { selected: null, confirming: false, busy: false };

function show(node, shown) { node.hidden = !shown; }

// --- the polls as the server tells them ---------------------------------------------------------

/** Keep a poll snapshot unless an older one arrives late; an opened poll comes into view. */
function receive(view, select) {
  var before = book.get(view.id);
  if (!book.add(view)) return;
  clock.sync(view);
  var opened = view.status === "open" && (!before || before.status !== "open");
  if (select || opened || state.selected === null) state.selected = view.id;
  if (view.status !== "open" && view.id === state.selected) state.confirming = false;
  render();
}

function count(payload) {
  if (book.count(payload)) render();
}

function load() {
  request("/api/v1/meetings/" + data.meeting_id + "/polls")
    .then(function (answer) {
      answer.polls.forEach(function (view) { receive(view, false); });
      var polls = book.all();
      var chosen = book.get(state.selected);
      if (!chosen || chosen.status !== "open") {
        var open = polls.filter(function (p) { return p.status === "open"; })[0];
        var draft = polls.filter(function (p) { return p.status === "draft"; })[0];
        var pick = open || draft || polls[0];
        state.selected = pick ? pick.id : null;
      }
      render();
    }, function (error) { say(error.message || data.texts.failed, "error"); });
}

// --- rendering ----------------------------------------------------------------------------------

function itemTitle(itemId) {
  var item = currentFloor().agenda.filter(function (i) { return i.id === itemId; })[0];
  return item ? format(words.item, { title: item.title }) : words.no_item;
}

function meta(poll) {
  var parts = [poll.secret ? words.secret : words.named];
  parts.push(poll.kind === "yes_no" ? words.rules[poll.rule] : format(words.max_choices, { num: poll.max_choices }));
  if (poll.matter_kind) parts.push(words.matters[poll.matter_kind]);  // the art. 278 item voted on
  if (poll.kind === "choice" || poll.rule.indexOf("art278") !== 0) parts.push(words.weightings[poll.weighting]);
  parts.push(words.eligibility[poll.eligibility]);
  return parts.join(" · ");
}

function renderResult(poll) {
  var box = current.querySelector('[data-testid="poll-result"]');
  var result = poll.result;
  show(box, Boolean(result));
  if (!result) return;
  box.dataset.passed = String(result.passed);
  setText(box.querySelector('[data-testid="poll-verdict"]'), pollVerdict(poll, words).text);
  var explanation = pollExplanation(poll, data.lang);
  var explained = box.querySelector('[data-testid="poll-explanation"]');
  setText(explained, explanation);
  show(explained, Boolean(explanation));
  var art278 = poll.kind === "yes_no" && poll.rule.indexOf("art278") === 0;
  var byArea = poll.weighting === "area" || art278;
  var byWeight = poll.weighting === "custom" && !art278;
  box.querySelectorAll("[data-column]").forEach(function (head) {
    show(head, head.dataset.column === "area" ? byArea : byWeight);
  });
  var body = box.querySelector("tbody");
  body.replaceChildren.apply(body, poll.options.map(function (option) {
    var tally = result.tallies[option] || { headcount: 0, area: "0.00", weight: "0", percent_headcount: "0.0" };
    var cells = [
      el("th", { scope: "row" }, [optionLabel(poll, option, words)]),
      el("td", { className: "num" }, [String(tally.headcount)]),
      el("td", { className: "num" }, [tally.percent_headcount + "%"]),
    ];
    if (byArea) cells.push(el("td", { className: "num" }, [tally.area]));
    if (byWeight) cells.push(el("td", { className: "num" }, [tally.weight]));
    return el("tr", { dataset: { option: option } }, cells);
  }));
  var problems = field(box, "card-problems");
  var failed = (result.card_problems || []).length;
  setText(problems, failed ? format(texts.card_problems, { num: failed }) : "");
  show(problems, failed > 0);
  setText(box.querySelector('[data-testid="poll-hash"]'), poll.final_hash || "");
}

function renderCurrent(poll) {
  show(field(document, "poll-none"), !poll);
  show(current, Boolean(poll));
  if (!poll) return;
  current.dataset.status = poll.status;
  current.dataset.pollId = String(poll.id);
  var badge = field(current, "status");
  badge.dataset.status = poll.status;
  setText(badge, words.statuses[poll.status]);
  setText(field(current, "meta"), meta(poll));
  setText(current.querySelector('[data-testid="poll-question"]'), poll.question);
  setText(field(current, "item"), itemTitle(poll.item_id));
  var open = poll.status === "open";
  show(field(current, "live"), open);
  var counter = current.querySelector('[data-testid="poll-count"]');
  counter.dataset.cast = String(poll.cast);
  setText(counter, format(words.count, { cast: poll.cast, eligible: poll.eligible }));
  setText(field(current, "present"), format(words.present, { present: poll.present }));
  current.querySelectorAll("[data-poll-command]").forEach(function (button) {
    button.disabled = state.busy;
  });
  var button = function (name) { return current.querySelector('[data-poll-command="' + name + '"]'); };
  show(button("open"), poll.status === "draft");
  show(button("close"), open && !state.confirming);
  show(button("publish"), poll.status === "closed");
  show(current.querySelector('[data-testid="poll-confirm"]'), open && state.confirming);
  renderResult(poll);
  tick();
}

function pollRow(poll) {
  var figure = poll.status === "open" ? format(words.count, { cast: poll.cast, eligible: poll.eligible })
    : poll.result ? pollVerdict(poll, words).text : "";
  var chosen = poll.id === state.selected;
  return el("li", {
    className: "poll-row", dataset: { pollId: poll.id, status: poll.status },
    attrs: chosen ? { "aria-current": "true" } : {},
  }, [
    el("span", { className: "status-badge", dataset: { status: poll.status } }, [words.statuses[poll.status]]),
    el("span", { className: "poll-row-question" }, [poll.question]),
    el("span", { className: "poll-row-figure" }, [figure]),
    chosen ? null : el("button", {
      type: "button", className: "secondary", dataset: { action: "show" },
      attrs: { "aria-label": format(texts.show_poll, { question: poll.question }) },
    }, [texts.show]),
  ]);
}

function render() {
  renderCurrent(book.get(state.selected));
  list.replaceChildren.apply(list, book.all().map(pollRow));
  var open = book.open();
  var badge = field(document, "poll-live");
  setText(badge, open ? open.cast + " / " + open.eligible : "");
  show(badge, Boolean(open));
}

function tick() {
  var poll = book.get(state.selected);
  if (!poll || poll.status !== "open") return;
  var ms = pollLeft(poll, clock.now());
  if (ms === null) {
    setText(countdown, words.no_time_limit);
    countdown.dataset.state = "none";
    return;
  }
  setText(countdown, pollTimeText(ms, words));
  countdown.dataset.state = ms <= 0 ? "over" : ms <= 30000 ? "warning" : "running";
}

// --- open, close, publish -----------------------------------------------------------------------

current.addEventListener("click", function (event) {
  var target = event.target.closest("[data-poll-command]");
  var poll = book.get(state.selected);
  if (!target || !poll) return;
  var command = target.dataset.pollCommand;
  if (command === "close" || command === "cancel-close") {
    state.confirming = command === "close";
    render();
    // The safe answer takes the focus: Enter pressed by habit keeps the vote open.
    current.querySelector(state.confirming ? '[data-poll-command="cancel-close"]' : '[data-poll-command="close"]').focus();
    return;
  }
  state.busy = true;
  render();
  send(COMMANDS[command][0], { poll_id: poll.id }).then(
    function (answer) {
      state.busy = false;
      state.confirming = false;
      receive(answer.poll, true);
      say(texts[COMMANDS[command][1]]);
    },
    function () {  // the console has said why
      state.busy = false;
      state.confirming = false;
      render();
    }
  );
});

list.addEventListener("click", function (event) {
  var target = event.target.closest('button[data-action="show"]');
  if (!target) return;
  state.selected = Number(target.closest("[data-poll-id]").dataset.pollId);
  state.confirming = false;
  render();
  current.querySelector('[data-testid="poll-question"]').scrollIntoView({ block: "nearest" });
});

// --- live -----------------------------------------------------------------------------------------

live.on("poll", function (view) { receive(view, false); });
live.on("poll.count", count);
live.onJoin(load);  // each (re)join catches up with what was missed
// The agenda's titles change: so may the shown poll's item.
watchFloor(function () {
  var shown = book.get(state.selected);
  if (shown) setText(field(current, "item"), itemTitle(shown.item_id));
});
pollForm({
  words: words,
  texts: texts,
  created: function (poll) {
    receive(poll, true);
    say(texts.created);
    current.querySelector('[data-poll-command="open"]').focus();
  },
});
load();
everyTick(tick);
